"""Nothing a seed document states is lost: its codes and texts are in the graph.

The expectations are derived from the source text by a regex scan, independently of
the readers: every code the text writes is the `skos:notation` of a node, and the
text written after each code is found in that node's name or text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from kg.build import Build
from kg.namespaces import OCS
from tests.conftest import SEEDS

# Position codes at the start of a cell (line start, tab, space, <p>), with their text.
POSITION = re.compile(r"(?:^|(?<=[\s>]))(T\d+(?:\.\d+)?|[OP]\d+\.\d+\.\d+|[KSA]\d+)\.?(?=[\s\u4e00-\u9fff(（]|$)")
STANDARD = re.compile(r"[A-Z]{3}\d{4}-\d{3}(?:v\d+)?")
CLASSIFICATION = re.compile(r"(?:職類別|職業別|行業別)代碼\s+(\S+)")
# Where a fragment of cell text ends: a tag, a tab, a level digit standing alone.
FRAGMENT_END = re.compile(r"</?p>|\t|\s\d\s*$")


def _scan(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    """Codes the text writes, and (code, the text after it on its line) pairs."""
    codes = set(STANDARD.findall(text)) | set(CLASSIFICATION.findall(text))
    fragments = []
    for line in text.splitlines():
        matches = list(POSITION.finditer(line))
        for match, after in zip(matches, [*matches[1:], None], strict=False):
            codes.add(match.group(1))
            rest = line[match.end() : after.start() if after else len(line)]
            fragment = FRAGMENT_END.split(rest, maxsplit=1)[0].strip()
            if fragment:
                fragments.append((match.group(1), fragment))
    return codes, fragments


def _graph(shipped: Build, code: str) -> Graph:
    return next(d.graph for d in shipped.documents if d.standard.code == code)


@pytest.mark.parametrize("code", SEEDS)
def test_every_code_in_the_source_is_a_notation(shipped: Build, code: str) -> None:
    codes, _ = _scan(Path(SEEDS[code]).read_text(encoding="utf-8"))
    notations = {str(n) for n in _graph(shipped, code).objects(None, SKOS.notation)}
    assert {"IIS", "3513", "J6312", code} <= codes
    assert codes - notations == set()


@pytest.mark.parametrize("code", SEEDS)
def test_every_text_in_the_source_is_kept_verbatim(shipped: Build, code: str) -> None:
    _, fragments = _scan(Path(SEEDS[code]).read_text(encoding="utf-8"))
    graph = _graph(shipped, code)
    assert len(fragments) > 100
    missing = []
    for notation, fragment in fragments:
        texts = [
            str(text)
            for node in graph.subjects(SKOS.notation, Literal(notation))
            for predicate in (SKOS.prefLabel, OCS.details, RDFS.label)
            for text in graph.objects(node, predicate)
        ]
        if not any(fragment in text for text in texts):
            missing.append((notation, fragment))
    assert missing == []
