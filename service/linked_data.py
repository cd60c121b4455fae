"""What every linked-data answer shares: the form asked for, the served build's validators,
and reading graphs and rows from the store through the worker pool.

Forms: HTML for browsers, Turtle, JSON-LD, N-Triples, RDF/XML by `Accept` (RFC 9110
§12.5.1, through `service.negotiation`) or by a suffix for clients that cannot set
headers. Validators (RFC 9110 §8.8): the ETag names the served build and the form, and
Last-Modified is the time that build was made, so a new build changes both.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import Request
from rdflib import Graph
from starlette.responses import Response

from kg import dumps
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store.query import GRAPH, QueryPool
from service.deps import served_store
from service.negotiation import HTML, JSON, JSONLD, NTRIPLES, RDFXML, TURTLE, negotiate
from service.outcomes import check, content_type
from service.problems import ServiceError

# Suffix → media type, for people who cannot set `Accept`.
SUFFIXES: dict[str, str] = {".ttl": TURTLE, ".jsonld": JSONLD, ".nt": NTRIPLES, ".rdf": RDFXML, ".html": HTML}
RDF_FORMS = {TURTLE: ".ttl", JSONLD: ".jsonld", NTRIPLES: ".nt", RDFXML: ".rdf"}
FORM_NAMES = {TURTLE: "Turtle", JSONLD: "JSON-LD", NTRIPLES: "N-Triples", RDFXML: "RDF/XML"}
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_RDFLIB = {TURTLE: "turtle", NTRIPLES: "nt", RDFXML: "xml"}
# What an IRI may hold to be written between < > in a query (SPARQL 1.1 §19.8 IRIREF), with
# every `%` starting a percent-encoded octet (RFC 3987 §2.2 pct-encoded).
_IRIREF = re.compile(r"(?:[^<>\"{}|^`\\\x00-\x20%]|%[0-9A-Fa-f]{2})+")


def split_suffix(path: str) -> tuple[str, str | None]:
    """(`path` without a form suffix, the media type the suffix names or None)."""
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)], media
    return path, None


def choose(request: Request, media: str | None) -> str:
    """The form to answer in: the suffix's, else what `Accept` prefers; 406 when nothing fits."""
    if media is not None:
        return media
    chosen = negotiate(request.headers.get("accept"))[GRAPH]
    if chosen is None or chosen not in {HTML, *RDF_FORMS}:
        offers = ", ".join([HTML, *RDF_FORMS])
        raise ServiceError(
            406, f"無法以要求的格式回應 · none of the forms asked for is offered; available · 可用: {offers}"
        )
    return chosen


def sparql_link(text: str) -> str:
    """A link to the SPARQL endpoint that runs `text`."""
    return "/sparql?query=" + quote(text, safe="")


def safe_iri(iri: str) -> bool:
    """True when `iri` can be written as an IRIREF in a query."""
    return _IRIREF.fullmatch(iri) is not None


@dataclass(frozen=True)
class Served:
    """The served build: its folder, and the validators of what is answered from it."""

    folder: str

    @classmethod
    def of(cls, settings: Settings) -> Served:
        return cls(served_store(settings))

    @property
    def modified(self) -> datetime:
        return datetime.fromtimestamp(int(os.stat(self.folder).st_mtime), UTC)

    def etag(self, *parts: str) -> str:
        digest = hashlib.sha256("\n".join([os.path.basename(self.folder), *parts]).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def headers(self, *parts: str) -> dict[str, str]:
        return {
            "ETag": self.etag(*parts),
            "Last-Modified": format_datetime(self.modified, usegmt=True),
            "Vary": "Accept",
        }

    def unchanged(self, request: Request, headers: dict[str, str]) -> Response | None:
        """304 when the client's copy is current (RFC 9110 §13.1.2 If-None-Match, §15.4.5)."""
        match = request.headers.get("if-none-match")
        if match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            return Response(status_code=304, headers=headers) if headers["ETag"] in tags or "*" in tags else None
        return None

    def manifest(self) -> dict[str, Any] | None:
        return dumps.manifest(self.folder)


async def _run(pool: QueryPool, settings: Settings, served: Served, text: str, media: str) -> bytes:
    accept = {"solutions": JSON, "boolean": JSON, GRAPH: media}
    job = {"op": "query", "store": served.folder, "text": text, "base": settings.base_iri, "accept": accept}
    outcome = await pool.run(job, timeout=settings.query_timeout)
    check(outcome, settings)
    return outcome.body


async def triples(pool: QueryPool, settings: Settings, served: Served, text: str) -> bytes:
    """The N-Triples a CONSTRUCT or DESCRIBE query gives on the served build (b"" when none)."""
    return await _run(pool, settings, served, text, NTRIPLES)


def to_graph(data: bytes) -> Graph:
    """N-Triples as an rdflib graph with the data's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


async def construct(pool: QueryPool, settings: Settings, served: Served, text: str) -> Graph:
    """The graph a CONSTRUCT or DESCRIBE query gives on the served build."""
    return await asyncio.to_thread(to_graph, await triples(pool, settings, served, text))


async def select(pool: QueryPool, settings: Settings, served: Served, text: str) -> list[dict[str, str]]:
    """The rows of a SELECT query on the served build, each a dict of its bound values as text."""
    body = await _run(pool, settings, served, text, NTRIPLES)
    results = json.loads(body)
    return [{name: cell["value"] for name, cell in row.items()} for row in results["results"]["bindings"]]


def serialize(graph: Graph, media: str) -> bytes:
    """`graph` in an RDF form; JSON-LD is compacted with the data's context (`ontology/context.jsonld`)."""
    if media == JSONLD:
        return dumps.to_jsonld(graph)
    return graph.serialize(format=_RDFLIB[media], encoding="utf-8")


def convert(data: bytes, media: str) -> bytes:
    """N-Triples in an RDF form: natively by pyoxigraph, JSON-LD through rdflib for the context."""
    if media == JSONLD:
        return dumps.to_jsonld(to_graph(data))
    if media == NTRIPLES:
        return data
    quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(quads, format=ox.RdfFormat.from_media_type(media), prefixes=_PREFIXES) or b""


async def rdf_response(graph: Graph, media: str, headers: dict[str, str]) -> Response:
    body = await asyncio.to_thread(serialize, graph, media)
    return Response(body, media_type=content_type(media), headers=headers)


async def triples_response(data: bytes, media: str, headers: dict[str, str]) -> Response:
    body = await asyncio.to_thread(convert, data, media)
    return Response(body, media_type=content_type(media), headers=headers)
