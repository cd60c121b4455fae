"""Choosing the media type of a response: `Accept` with q-values, or a `format` parameter.

SPARQL 1.1 Protocol §2.1.6 (and RFC 9110 §12.5.1 for `Accept`). A query's result
kind is only known once it runs, so a media type is chosen for each kind up front:
solutions (SELECT), boolean (ASK) and graph (CONSTRUCT, DESCRIBE, the service
description, Graph Store GET). `text/html` is offered for browsers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

HTML = "text/html"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
N3 = "text/n3"

# What each kind can be answered in, the default first, each with the media types
# and `format` names that ask for it.
_RESULTS: dict[str, tuple[str, ...]] = {
    JSON: ("application/json", "text/javascript", "application/javascript", "json", "srj"),
    XML: ("application/xml", "text/xml", "xml", "srx"),
    CSV: ("csv",),
    TSV: ("text/tsv", "tsv"),
    HTML: ("application/xhtml+xml", "html"),
}
_GRAPHS: dict[str, tuple[str, ...]] = {
    TURTLE: ("application/turtle", "application/x-turtle", "turtle", "ttl"),
    NTRIPLES: ("text/plain", "nt", "ntriples", "n-triples"),
    JSONLD: ("application/json", "application/x-json+ld", "json-ld", "jsonld", "json"),
    RDFXML: ("application/xml", "text/xml", "rdf+xml", "rdfxml", "rdf", "xml"),
    N3: ("text/rdf+n3", "application/n3", "n3"),
    HTML: ("application/xhtml+xml", "html"),
}
OFFERS: dict[str, dict[str, tuple[str, ...]]] = {"solutions": _RESULTS, "boolean": _RESULTS, "graph": _GRAPHS}


@dataclass(frozen=True)
class _Range:
    media: str
    q: float
    order: int


def _ranges(accept: str) -> list[_Range]:
    ranges = []
    for order, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0  # a malformed weight is ignored
        ranges.append(_Range(media.lower(), q, order))
    return ranges


def _choose(offers: dict[str, tuple[str, ...]], accept: str | None) -> str | None:
    """The offer the `Accept` ranges prefer: highest q, then the most specific range, then the
    earlier range, then the earlier offer (the default is first)."""
    if not accept or not accept.strip():
        return next(iter(offers))
    ranges = _ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, (offer, aliases) in enumerate(offers.items()):
        types = {offer, *(a for a in aliases if "/" in a)}
        major = offer.split("/")[0]
        match: tuple[int, float, int] | None = None  # specificity, q, order
        for r in ranges:
            if r.media in types:
                specificity = 2
            elif r.media == f"{major}/*":
                specificity = 1
            elif r.media == "*/*" and offer != HTML:
                specificity = 0
            else:
                continue
            candidate = (specificity, r.q, r.order)
            if match is None or candidate[:2] > match[:2]:
                match = candidate
        if match is None or match[1] <= 0:
            continue
        score = (match[1], match[0], -match[2], -rank)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen


def _by_name(offers: dict[str, tuple[str, ...]], formats: tuple[str, ...]) -> str | None:
    for value in formats:
        key = value.strip().lower()
        for offer, aliases in offers.items():
            if key == offer or key in aliases:
                return offer
    return None


@lru_cache(maxsize=1024)
def negotiate(accept: str | None, formats: tuple[str, ...] = ()) -> dict[str, str | None]:
    """The media type for each result kind, or None where nothing acceptable is offered.

    A `format` parameter (a name such as `json`, `turtle`, or a media type) wins over
    `Accept` for the kinds it applies to; for the others `Accept` decides.
    """
    chosen: dict[str, str | None] = {}
    for kind, offers in OFFERS.items():
        chosen[kind] = _by_name(offers, formats) or _choose(offers, accept)
    return chosen


def offered(kind: str) -> str:
    """The media types a kind can be answered in, for a 406 message."""
    return ", ".join(OFFERS[kind])
