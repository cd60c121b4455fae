"""A standard's outline read from its document graph, shared by the exchange formats.

Duties → tasks → competency blocks (level, indicators, outputs) and the standard's
knowledge, skill and attitude items with their shared concepts, each in document order
(`ocs:position`, then code).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.namespaces import OCS

ITEM_KINDS = (("knowledge", OCS.hasKnowledge), ("skill", OCS.hasSkill), ("attitude", OCS.hasAttitude))


@dataclass
class Part:
    """One coded part of a standard."""

    iri: str
    code: str
    text: str
    position: int
    level: int | None = None
    concept: str | None = None
    concept_label: str = ""
    children: list[Part] = field(default_factory=list)
    kind: str = ""


@dataclass
class Outline:
    iri: str
    code: str
    name: str
    description: str
    version: str
    level: int | None
    duties: list[Part]
    items: list[Part]

    def walk(self) -> Iterator[tuple[Part, Part | None]]:
        """Every duty, task, indicator and output with its parent (None for a duty), in order."""
        stack: list[tuple[Part, Part | None]] = [(duty, None) for duty in reversed(self.duties)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((child, node) for child in reversed(node.children))


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""


def _position(graph: Graph, node: Node) -> int:
    value = graph.value(node, OCS.position)
    return int(value) if isinstance(value, Literal) else 0


def _level(graph: Graph, node: Node) -> int | None:
    value = str(graph.value(node, OCS.level) or "")
    prefix = str(OCS) + "level"
    return int(value[len(prefix) :]) if value.startswith(prefix) else None


def _node(graph: Graph, node: Node, kind: str) -> Part:
    """The code, text and position of `node`."""
    return Part(
        iri=str(node),
        code=_text(graph, node, SKOS.notation),
        text=_text(graph, node, SKOS.prefLabel),
        position=_position(graph, node),
        kind=kind,
    )


def _children(graph: Graph, node: Node, predicate: URIRef) -> list[Node]:
    return sorted(graph.objects(node, predicate), key=lambda n: (_position(graph, n), str(n)))


def read(graph: Graph, iri: str) -> Outline:
    """The outline of the standard `iri` from its document graph."""
    standard = URIRef(iri)
    duties = []
    for duty in _children(graph, standard, OCS.hasDuty):
        entry = _node(graph, duty, "duty")
        for task in _children(graph, duty, OCS.hasTask):
            task_entry = _node(graph, task, "task")
            for block in _children(graph, task, OCS.hasBlock):
                level = _level(graph, block)
                task_entry.level = level if task_entry.level is None else max(task_entry.level, level or 0)
                for predicate, kind in ((OCS.hasIndicator, "indicator"), (OCS.hasOutput, "output")):
                    for child in _children(graph, block, predicate):
                        part = _node(graph, child, kind)
                        part.level = level
                        task_entry.children.append(part)
            entry.children.append(task_entry)
        duties.append(entry)
    items = []
    for kind, predicate in ITEM_KINDS:
        for item in _children(graph, standard, predicate):
            entry = _node(graph, item, kind)
            concept = graph.value(item, OCS.concept)
            if concept is not None:
                entry.concept = str(concept)
                entry.concept_label = _text(graph, concept, SKOS.prefLabel)
            items.append(entry)
    return Outline(
        iri=iri,
        code=_text(graph, standard, SKOS.notation),
        name=_text(graph, standard, SKOS.prefLabel),
        description=_text(graph, standard, OCS.jobDescription),
        version=_text(graph, standard, OCS.version),
        level=_level(graph, standard),
        duties=duties,
        items=items,
    )
