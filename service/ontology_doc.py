"""HTML documentation of the ontology, generated from `ontology/ocs.ttl`.

One section per kind of term (classes, object, datatype and annotation properties,
concept schemes, individuals), one entry per term with its anchor (the fragment of its
IRI, so `https://w3id.org/tw-ocs/ontology#Task` lands on it), labels and definitions in
both languages, and every other statement about it, linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build import ONTOLOGY
from kg.namespaces import OCS, PREFIXES
from service.resource_views import curie

ONTOLOGY_IRI = URIRef(str(OCS).rstrip("#"))
SECTIONS = (
    (OWL.Class, "類別 · Classes"),
    (OWL.ObjectProperty, "物件屬性 · Object properties"),
    (OWL.DatatypeProperty, "資料屬性 · Datatype properties"),
    (OWL.AnnotationProperty, "註記屬性 · Annotation properties"),
    (SKOS.ConceptScheme, "概念架構 · Concept schemes"),
    (OWL.NamedIndividual, "個體 · Individuals"),
)
_SHOWN = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.definition, SKOS.scopeNote, RDFS.isDefinedBy}


@dataclass
class Term:
    anchor: str
    iri: str
    curie: str
    labels: dict[str, str]
    definitions: dict[str, str]
    notes: dict[str, str]
    statements: list[tuple[str, list[tuple[str, str]]]]


def _by_language(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    return {
        (value.language or "").lower(): str(value)
        for value in graph.objects(node, predicate)
        if isinstance(value, Literal)
    }


def _href(iri: str) -> str:
    return "#" + iri[len(str(OCS)) :] if iri.startswith(str(OCS)) else iri


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """`ontology/ocs.ttl`, parsed once."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def _term(graph: Graph, node: URIRef) -> Term:
    statements = []
    for predicate in sorted(set(graph.predicates(node)) - _SHOWN, key=str):
        values = []
        for value in sorted(graph.objects(node, predicate), key=str):
            if isinstance(value, URIRef):
                values.append((curie(str(value)), _href(str(value))))
            elif isinstance(value, Literal):
                values.append((str(value), ""))
        if values:
            statements.append((curie(str(predicate)), values))
    return Term(
        anchor=str(node)[len(str(OCS)) :],
        iri=str(node),
        curie=curie(str(node)),
        labels=_by_language(graph, node, RDFS.label) or _by_language(graph, node, SKOS.prefLabel),
        definitions=_by_language(graph, node, SKOS.definition),
        notes=_by_language(graph, node, SKOS.scopeNote),
        statements=statements,
    )


@lru_cache(maxsize=1)
def sections() -> list[tuple[str, list[Term]]]:
    """The terms of the ocs namespace, by kind, each kind sorted by name; a term is listed once."""
    graph = ontology()
    seen: set[URIRef] = set()
    result = []
    for cls, title in SECTIONS:
        terms = sorted(
            (s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef) and str(s).startswith(str(OCS))),
            key=str,
        )
        fresh = [t for t in terms if t not in seen]
        seen.update(fresh)
        result.append((title, [_term(graph, t) for t in fresh]))
    return result


def header() -> dict[str, dict[str, str] | str]:
    """The ontology's own title, description, version and licence."""
    graph = ontology()
    return {
        "iri": str(ONTOLOGY_IRI),
        "title": _by_language(graph, ONTOLOGY_IRI, DCTERMS.title),
        "description": _by_language(graph, ONTOLOGY_IRI, DCTERMS.description),
        "version": str(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or ""),
        "license": str(graph.value(ONTOLOGY_IRI, DCTERMS.license) or ""),
    }
