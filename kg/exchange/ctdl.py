"""A standard as CTDL-ASN JSON-LD (Credential Engine, Achievement Standards Network terms).

One `ceasn:CompetencyFramework` (the standard) and one `ceasn:Competency` per duty,
task, behaviour indicator, work output and K/S/A item: `ceasn:isPartOf` the framework,
duties `ceasn:isTopChildOf` it (`ceasn:hasTopChild`), the rest `ceasn:isChildOf` their
parent (`ceasn:hasChild`); `ceasn:competencyCategory` names the kind,
`ceasn:codedNotation` the code, `ceasn:exactAlignment` the shared concept of a K/S/A
item. Language maps use `zh-Hant`. The context is inline (CTDL-ASN terms under their
own IRIs), so the document reads offline.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph

from kg.exchange.case import CREATOR, SOURCE
from kg.exchange.outline import Outline, Part, read

CONTEXT: dict[str, Any] = {
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "ceterms": "https://purl.org/ctdl/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{
        f"ceasn:{term}": {"@container": "@language"}
        for term in ("name", "description", "competencyText", "competencyCategory", "publisherName")
    },
    **{
        f"ceasn:{term}": {"@type": "@id"}
        for term in ("isPartOf", "isTopChildOf", "hasTopChild", "isChildOf", "hasChild", "exactAlignment", "source")
    },
    "ceasn:dateModified": {"@type": "xsd:dateTime"},
}
CATEGORIES = {
    "duty": "主要職責",
    "task": "工作任務",
    "indicator": "行為指標",
    "output": "工作產出",
    "knowledge": "知識",
    "skill": "技能",
    "attitude": "態度",
}
LANGUAGE = "zh-Hant"


def _competency(part: Part, framework: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": part.iri,
        "@type": "ceasn:Competency",
        "ceasn:competencyText": {LANGUAGE: part.text or part.code},
        "ceasn:codedNotation": part.code,
        "ceasn:competencyCategory": {LANGUAGE: CATEGORIES[part.kind]},
        "ceasn:isPartOf": framework,
        "ceasn:listID": str(part.position),
    }
    if part.concept is not None:
        node["ceasn:exactAlignment"] = [part.concept]
    return node


def framework(outline: Outline, changed: str) -> dict[str, Any]:
    """The CTDL-ASN JSON-LD document of a standard; `changed` is the build time."""
    nodes: dict[str, dict[str, Any]] = {}
    top: list[str] = []
    for part, parent in outline.walk():
        node = _competency(part, outline.iri)
        nodes[part.iri] = node
        if parent is None:
            node["ceasn:isTopChildOf"] = outline.iri
            top.append(part.iri)
        else:
            node["ceasn:isChildOf"] = parent.iri
            nodes[parent.iri].setdefault("ceasn:hasChild", []).append(part.iri)
    for part in outline.items:
        node = _competency(part, outline.iri)
        node["ceasn:isTopChildOf"] = outline.iri
        nodes[part.iri] = node
        top.append(part.iri)
    head: dict[str, Any] = {
        "@id": outline.iri,
        "@type": "ceasn:CompetencyFramework",
        "ceasn:name": {LANGUAGE: outline.name},
        "ceasn:codedNotation": outline.code,
        "ceasn:inLanguage": [LANGUAGE],
        "ceasn:publisherName": {LANGUAGE: CREATOR},
        "ceasn:source": [SOURCE],
        "ceasn:dateModified": changed,
        "ceasn:hasTopChild": top,
    }
    if outline.description:
        head["ceasn:description"] = {LANGUAGE: outline.description}
    return {"@context": CONTEXT, "@graph": [head, *nodes.values()]}


def from_graph(graph: Graph, iri: str, changed: str) -> dict[str, Any]:
    """The CTDL-ASN framework of the standard `iri`, read from its document graph."""
    return framework(read(graph, iri), changed)
