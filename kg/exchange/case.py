"""A standard as a 1EdTech CASE 1.1 package (Competencies and Academic Standards Exchange).

CASE Service 1.1, the CFPackage of `getCFPackage`: one CFDocument (the standard), one
CFItem per duty, task, behaviour indicator, work output and K/S/A item, and
CFAssociations: `isChildOf` from each item to its parent (a duty and a K/S/A item to
the document, a task to its duty, an indicator or output to its task) with its
`sequenceNumber`, and `exactMatchOf` from each K/S/A item to the shared concept it
names. Identifiers are UUIDs (version 5, URL namespace) of the graph's IRIs, so they
are stable across builds; `uri` is the IRI itself, which dereferences.
"""

from __future__ import annotations

import uuid
from typing import Any

from rdflib import Graph

from kg.exchange.outline import Outline, Part, read

CREATOR = "勞動部勞動力發展署 Workforce Development Agency, Ministry of Labor"
SOURCE = "https://icap.wda.gov.tw/"
# CFItemType of each kind of part (zh-Hant · English).
ITEM_TYPES = {
    "duty": "主要職責 · Duty",
    "task": "工作任務 · Task",
    "indicator": "行為指標 · Behaviour indicator",
    "output": "工作產出 · Work output",
    "knowledge": "知識 · Knowledge",
    "skill": "技能 · Skill",
    "attitude": "態度 · Attitude",
}


def identifier(iri: str) -> str:
    """The CASE identifier of an IRI: its UUID version 5 in the URL namespace."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def _link(title: str, iri: str) -> dict[str, str]:
    """A CASE LinkURI / LinkGenURI: title, identifier and uri."""
    return {"title": title, "identifier": identifier(iri), "uri": iri}


def _item(part: Part, document: dict[str, str], changed: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "identifier": identifier(part.iri),
        "uri": part.iri,
        "fullStatement": part.text or part.code,
        "humanCodingScheme": part.code,
        "CFItemType": ITEM_TYPES[part.kind],
        "language": "zh-Hant",
        "lastChangeDateTime": changed,
        "CFDocumentURI": document,
    }
    if part.level is not None:
        item["notes"] = f"職能級別 · Competency level {part.level}"
    return item


def _association(
    kind: str, origin: dict[str, str], destination: dict[str, str], changed: str, **extra: Any
) -> dict[str, Any]:
    key = f"{kind} {origin['uri']} {destination['uri']}"
    return {
        "identifier": identifier(key),
        "uri": origin["uri"] + "#" + kind + "-" + destination["identifier"],
        "associationType": kind,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": changed,
        **extra,
    }


def package(outline: Outline, changed: str) -> dict[str, Any]:
    """The CFPackage of a standard; `changed` is the build time (xsd:dateTime) for every lastChangeDateTime."""
    title = f"{outline.code} {outline.name}"
    document_link = _link(title, outline.iri)
    document: dict[str, Any] = {
        "identifier": identifier(outline.iri),
        "uri": outline.iri,
        "creator": CREATOR,
        "title": title,
        "lastChangeDateTime": changed,
        "officialSourceURL": SOURCE,
        "publisher": CREATOR,
        "description": outline.description,
        "language": "zh-Hant",
        "version": outline.version or outline.code,
        "adoptionStatus": "Implemented",
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    for part, parent in outline.walk():
        items.append(_item(part, document_link, changed))
        destination = document_link if parent is None else _link(parent.text or parent.code, parent.iri)
        origin = _link(part.text or part.code, part.iri)
        associations.append(_association("isChildOf", origin, destination, changed, sequenceNumber=part.position))
    for part in outline.items:
        items.append(_item(part, document_link, changed))
        origin = _link(part.text or part.code, part.iri)
        associations.append(_association("isChildOf", origin, document_link, changed, sequenceNumber=part.position))
        if part.concept is not None:
            concept = _link(part.concept_label or part.concept, part.concept)
            associations.append(_association("exactMatchOf", origin, concept, changed))
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def from_graph(graph: Graph, iri: str, changed: str) -> dict[str, Any]:
    """The CFPackage of the standard `iri`, read from its document graph."""
    return package(read(graph, iri), changed)


def counts(cf_package: dict[str, Any]) -> dict[str, int]:
    """How many CFItems of each kind a package holds (for round-trip checks)."""
    kinds = {label: kind for kind, label in ITEM_TYPES.items()}
    result = dict.fromkeys(ITEM_TYPES, 0)
    for item in cf_package.get("CFItems", []):
        result[kinds[item["CFItemType"]]] += 1
    return result
