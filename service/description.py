"""The service description: what `/sparql` answers when called without a query.

SPARQL 1.1 Service Description §2 (GET on the endpoint returns it) and §3 (the
`sd:` vocabulary): the endpoint, the languages, result formats and features.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.settings import Settings

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N3",
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def triples(endpoint: str, settings: Settings) -> list[ox.Triple]:
    """The description of the endpoint at `endpoint` as configured by `settings`."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    out = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, _RDF_TYPE, _sd("Graph")),
    ]
    out += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in _RESULT_FORMATS]
    if settings.admin_token:
        out.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if settings.service_allowlist:
        out.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    return out


def serialize(endpoint: str, settings: Settings, media: str) -> bytes:
    """The description in `media` (an RDF media type)."""
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise ValueError(media)
    data = ox.serialize(triples(endpoint, settings), format=rdf_format, prefixes={"sd": SD, "formats": FORMATS})
    return data or b""
