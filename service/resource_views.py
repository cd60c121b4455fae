"""What the resource pages show, read from graphs the store answered: plain values for the templates.

A standard is read from its whole document graph (header, version table, duties →
tasks → blocks with indicators and outputs, K/S/A, classifications); any other
resource from its description (its properties, and what points at it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.namespaces import OCS, PREFIXES

_LABELS = (SKOS.prefLabel, RDFS.label)


def local(iri: str, base: str) -> str:
    """The path on this service that answers `iri` (the IRI itself when it is not under `base`)."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def label(graph: Graph, node: Node, lang: str = "zh-hant") -> str:
    """The node's label in `lang` if it has one, else any label, its code, or the IRI."""
    labels = [value for predicate in _LABELS for value in graph.objects(node, predicate) if isinstance(value, Literal)]
    for value in labels:
        if (value.language or "").lower() == lang:
            return str(value)
    if labels:
        return str(labels[0])
    code = graph.value(node, SKOS.notation)
    return str(code) if code is not None else str(node)


def curie(iri: str) -> str:
    """`prefix:local` for an IRI in a known namespace, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""


def _ordered(graph: Graph, nodes: Iterable[Node]) -> list[Node]:
    def key(node: Node) -> tuple[int, str]:
        position = graph.value(node, OCS.position)
        return (int(position) if isinstance(position, Literal) else 0, str(graph.value(node, SKOS.notation) or node))

    return sorted(nodes, key=key)


def level_number(level: Node | str | None) -> str:
    """The number of a competency level IRI (`ocs:level4` → "4"), "" when absent."""
    text = str(level or "")
    return text.removeprefix(str(OCS) + "level") if text.startswith(str(OCS) + "level") else ""


@dataclass
class Link:
    """A resource to link to: its path on this service, its label and its code."""

    href: str
    label: str
    code: str = ""


@dataclass
class Block:
    level: str
    indicators: list[Link]
    outputs: list[Link]
    knowledge: list[Link]
    skills: list[Link]


@dataclass
class Task:
    link: Link
    blocks: list[Block]


@dataclass
class Duty:
    link: Link
    tasks: list[Task]


@dataclass
class Version:
    link: Link
    version: str
    status: str
    date: str
    note: str
    current: bool


@dataclass
class StandardView:
    iri: str
    code: str
    name: str
    level: str
    description: str
    prerequisite: str
    supplement: str
    classifications: list[tuple[str, Link]] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    items: dict[str, list[tuple[Link, Link | None]]] = field(default_factory=dict)

    @property
    def task_count(self) -> int:
        return sum(len(duty.tasks) for duty in self.duties)


_SCHEMES = (
    (OCS.jobCategory, "職類別 · Job category"),
    (OCS.occupation, "職業別 · Occupation (ISCO-08)"),
    (OCS.industry, "行業別 · Industry"),
)
_ITEMS = (
    (OCS.hasKnowledge, "knowledge"),
    (OCS.hasSkill, "skill"),
    (OCS.hasAttitude, "attitude"),
)


def standard_view(graph: Graph, iri: str, base: str) -> StandardView:
    """A standard read from its document graph."""
    node = URIRef(iri)

    def link(target: Node) -> Link:
        return Link(local(str(target), base), label(graph, target), _text(graph, target, SKOS.notation))

    view = StandardView(
        iri=iri,
        code=_text(graph, node, SKOS.notation),
        name=label(graph, node),
        level=level_number(graph.value(node, OCS.level)),
        description=_text(graph, node, OCS.jobDescription),
        prerequisite=_text(graph, node, OCS.prerequisite),
        supplement=_text(graph, node, OCS.supplement),
    )
    for predicate, title in _SCHEMES:
        for target in graph.objects(node, predicate):
            view.classifications.append((title, link(target)))
    for row in _ordered(graph, graph.objects(node, OCS.listsVersion)):
        view.versions.append(
            Version(
                link(row),
                _text(graph, row, OCS.version),
                _text(graph, row, OCS.status),
                _text(graph, row, OCS.updateDate) or _text(graph, row, DCTERMS.date),
                _text(graph, row, OCS.updateNote),
                row == node,
            )
        )
    for duty in _ordered(graph, graph.objects(node, OCS.hasDuty)):
        tasks = []
        for task in _ordered(graph, graph.objects(duty, OCS.hasTask)):
            blocks = [
                Block(
                    level_number(graph.value(block, OCS.level)),
                    [link(n) for n in _ordered(graph, graph.objects(block, OCS.hasIndicator))],
                    [link(n) for n in _ordered(graph, graph.objects(block, OCS.hasOutput))],
                    [link(n) for n in _ordered(graph, graph.objects(block, OCS.requiresKnowledge))],
                    [link(n) for n in _ordered(graph, graph.objects(block, OCS.requiresSkill))],
                )
                for block in _ordered(graph, graph.objects(task, OCS.hasBlock))
            ]
            tasks.append(Task(link(task), blocks))
        view.duties.append(Duty(link(duty), tasks))
    for predicate, kind in _ITEMS:
        rows: list[tuple[Link, Link | None]] = []
        for item in _ordered(graph, graph.objects(node, predicate)):
            concept = graph.value(item, OCS.concept)
            rows.append((link(item), link(concept) if concept is not None else None))
        view.items[kind] = rows
    return view


@dataclass
class Statement:
    """One row of a resource's property table: the property and its values."""

    property: Link
    values: list[Link | str]


@dataclass
class ResourceView:
    iri: str
    title: str
    types: list[Link]
    statements: list[Statement]
    inbound: list[Statement]
    matches: list[tuple[Link, str]] = field(default_factory=list)


def _value(graph: Graph, value: Node, base: str) -> Link | str:
    if isinstance(value, URIRef):
        return Link(local(str(value), base), curie(label(graph, value)), _text(graph, value, SKOS.notation))
    if isinstance(value, BNode):
        return "…"
    return str(value)


def resource_view(graph: Graph, iri: str, base: str) -> ResourceView:
    """Any resource read from its description: its properties, the links to it, its scored near matches."""
    node = URIRef(iri)
    grouped: dict[URIRef, list[Link | str]] = {}
    for predicate, value in sorted(graph.predicate_objects(node)):
        if predicate != RDF.type and isinstance(predicate, URIRef):
            grouped.setdefault(predicate, []).append(_value(graph, value, base))
    incoming: dict[URIRef, list[Link | str]] = {}
    for subject, predicate in sorted(graph.subject_predicates(node)):
        if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
            incoming.setdefault(predicate, []).append(_value(graph, subject, base))
    matches = []
    # Each match is annotated once, from either side: read the axioms that name the node at either end.
    for here, there in ((OWL.annotatedSource, OWL.annotatedTarget), (OWL.annotatedTarget, OWL.annotatedSource)):
        for axiom in graph.subjects(here, node):
            other = graph.value(axiom, there)
            score = graph.value(axiom, OCS.matchScore)
            if isinstance(other, URIRef):
                matches.append((Link(local(str(other), base), label(graph, other)), str(score or "")))
    matches.sort(key=lambda pair: pair[1], reverse=True)

    def statements(groups: dict[URIRef, list[Link | str]]) -> list[Statement]:
        return [Statement(Link(local(str(p), base), curie(str(p))), values) for p, values in groups.items()]

    return ResourceView(
        iri=iri,
        title=label(graph, node),
        types=[Link(local(str(t), base), curie(str(t))) for t in sorted(graph.objects(node, RDF.type), key=str)],
        statements=statements(grouped),
        inbound=statements(incoming),
        matches=matches,
    )
