"""Minting URIs from official codes under one configurable base IRI.

Paths are readable and stable: `{base}standard/IIS3513-006v4`,
`{base}standard/IIS3513-006v4/task/T1.1`, `{base}skill/<key>` for shared concepts,
`{base}classification/occupation/3513`, and `{base}graph/IIS3513-006v4` for the named
graph of one source document. Codes are percent-encoded where a path needs it.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from kg.labels import concept_key
from kg.namespaces import DEFAULT_BASE

SCHEMES = ("job-category", "occupation", "industry")
ITEM_KINDS = ("knowledge", "skill", "attitude")


def _segment(code: str) -> str:
    return quote(code, safe="-._~")


class Minter:
    """Mints every URI of the data under `base` (which ends with a slash)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def standard(self, code: str) -> URIRef:
        return URIRef(f"{self.base}standard/{_segment(code)}")

    def graph(self, code: str) -> URIRef:
        return URIRef(f"{self.base}graph/{_segment(code)}")

    def part(self, standard: URIRef, kind: str, code: str, occurrence: int = 1) -> URIRef:
        """A coded part of a standard; a repeated code gets `~2`, `~3` … after the first."""
        suffix = f"~{occurrence}" if occurrence > 1 else ""
        return URIRef(f"{standard}/{kind}/{_segment(code)}{suffix}")

    def block(self, task: URIRef, index: int) -> URIRef:
        return URIRef(f"{task}/block/{index}")

    def concept(self, kind: str, label: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{concept_key(label)}")

    def classification(self, scheme: str, code: str) -> URIRef:
        return URIRef(f"{self.base}classification/{scheme}/{_segment(code)}")
