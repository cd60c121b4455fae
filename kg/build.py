"""The build pipeline: source documents → one named graph each → a dataset.

`build(paths, minter)` parses every document it can, keeps the errors of those it
cannot (a bad document never stops the others), and maps each standard into its
own named graph `{base}graph/<code>`; the ontology goes into `{base}graph/ontology`
the near matches between shared concepts into `{base}graph/alignment`, and counts
precomputed for the cross-standard queries into `{base}graph/statistics`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.align import alignment_graph
from kg.mapping import to_graph
from kg.model import Standard
from kg.namespaces import OCS, PREFIXES
from kg.settings import ROOT
from kg.sources.formats import discover, parse
from kg.sources.reader import ParseError
from kg.uris import Minter
from kg.validate import Report, validate_documents

ONTOLOGY = ROOT / "ontology" / "ocs.ttl"
# Dump formats by file extension; the triple formats hold the union of all graphs.
FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}
# Columns of the build summary: what is counted in each standard's graph.
COUNTED = {
    "duties": OCS.Duty,
    "tasks": OCS.Task,
    "indicators": OCS.BehaviourIndicator,
    "outputs": OCS.WorkOutput,
    "K": OCS.Knowledge,
    "S": OCS.Skill,
    "A": OCS.Attitude,
}

Progress = Callable[[int, int, Path], None]


@dataclass
class Document:
    """One source document, read and mapped."""

    path: Path
    standard: Standard
    graph: Graph
    name: URIRef

    def counts(self) -> dict[str, int]:
        """Nodes of each kind in the document's graph, and its triples."""
        counts = {key: len(set(self.graph.subjects(RDF.type, cls))) for key, cls in COUNTED.items()}
        return counts | {"triples": len(self.graph)}


@dataclass
class Build:
    """The outcome of one build: the documents that mapped, the errors of the rest."""

    minter: Minter
    documents: list[Document] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    def dataset(self, *, ontology: bool = True) -> Dataset:
        """All document graphs as named graphs, with the alignment and the ontology beside."""
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        for document in self.documents:
            named = dataset.graph(document.name)
            for triple in document.graph:
                named.add(triple)
        union = self.union()
        for name, derived in (("alignment", alignment_graph(union)), ("statistics", self.statistics())):
            named = dataset.graph(URIRef(f"{self.minter.base}graph/{name}"))
            for triple in derived:
                named.add(triple)
        if ontology:
            dataset.graph(URIRef(f"{self.minter.base}graph/ontology")).parse(ONTOLOGY, format="turtle")
        return dataset

    def validate(self) -> Report:
        """The SHACL report of every document that mapped (see `kg.validate`)."""
        return validate_documents([document.graph for document in self.documents])

    def statistics(self) -> Graph:
        """`ocs:standardCount` of every shared concept: how many standards need it."""
        standards: Counter[Node] = Counter()
        for document in self.documents:
            standards.update(set(document.graph.objects(None, OCS.concept)))
        graph = Graph()
        for concept, count in standards.items():
            graph.add((concept, OCS.standardCount, Literal(count)))
        return graph

    def union(self) -> Graph:
        """All document graphs merged into one graph (no ontology)."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for document in self.documents:
            graph += document.graph
        return graph

    def write(self, path: Path) -> None:
        """Write the whole graph to `path`, in the format its extension names."""
        fmt = FORMATS.get(path.suffix)
        if fmt is None:
            raise ValueError(f"{path}: unknown output format {path.suffix!r}; use one of {', '.join(FORMATS)}")
        target = self.dataset() if fmt in QUAD_FORMATS else self.union()
        target.serialize(destination=path, format=fmt, encoding="utf-8")


def build(paths: Iterable[Path], minter: Minter, progress: Progress | None = None) -> Build:
    """Parse and map every source document under `paths`."""
    result = Build(minter)
    seen: dict[str, Path] = {}
    files = discover(paths)
    for index, path in enumerate(files, 1):
        if progress:
            progress(index, len(files), path)
        try:
            standard = parse(path)
        except ParseError as error:
            result.errors.append(error)
            continue
        if standard.code in seen:
            message = f"standard code {standard.code} was already read from {seen[standard.code]}"
            result.errors.append(ParseError(str(path), "職能基準代碼", message))
            continue
        seen[standard.code] = path
        result.documents.append(Document(path, standard, to_graph(standard, minter), minter.graph(standard.code)))
    return result
