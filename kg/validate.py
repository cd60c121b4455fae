"""SHACL validation of the mapped standards: `validate(graph) -> Report`.

The shapes are the Turtle files of `shapes/`, one per concern, each with a severity
(SHACL §2.1.5) and a message in zh-Hant and en (§2.1.6). pySHACL evaluates them
without inference: SHACL Core constraints (§4) and SHACL-SPARQL constraints (§5).

Every shape but the version chain looks inside one document, so documents are
validated one graph at a time: small graphs keep pySHACL's per-focus-node queries
fast, a document's parts are never confused with another's, and the documents can
be shared out between processes. The corpus shapes (`CORPUS_SHAPES`) then run once
on what every document says about standards and their versions.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS, XSD, NamespaceManager
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result as QueryResult
from rdflib.term import Identifier, Node, Variable

from kg.namespaces import OCS, PREFIXES, SH

SHAPES_DIR = Path(__file__).parents[1] / "shapes"
OCSH = "https://w3id.org/tw-ocs/shapes#"
# Shapes whose focus nodes chain across documents: run on the union only.
CORPUS_SHAPES = frozenset({URIRef(OCSH + "VersionChainAcyclic")})
SEVERITIES = ("Violation", "Warning", "Info")
# A document standard has duties or a version table; the rows of its table have neither.
DOCUMENT_PROPERTIES = (OCS.hasDuty, OCS.listsVersion)
_STANDARD_IRI = re.compile(r"^(.*/standard/([^/]+))")
_PLACEHOLDER = re.compile(r"\{[?$]\w+\}")
_NUMBERED = re.compile(r"(\D*)(\d*)")
_Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result (SHACL §3.6.2) with the codes a reader looks for.

    `focus_code` is the focus node's code as written (its `skos:notation`; for a node
    without one, its IRI after the standard, e.g. `task/T1.1/block/1`), and
    `standard_code` the code of the document the focus node belongs to.
    """

    severity: str
    focus_node: str
    focus_code: str
    standard_code: str
    path: str
    value: str
    message_zh: str
    message_en: str
    shape: str

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "standard_code": self.standard_code,
            "focus_node": self.focus_node,
            "focus_code": self.focus_code,
            "path": self.path,
            "value": self.value,
            "message": {"zh-Hant": self.message_zh, "en": self.message_en},
            "shape": self.shape,
        }


@dataclass(slots=True)
class Report:
    """The results of one validation, sorted by standard and severity, and the
    `sh:ValidationReport` graph (SHACL §3.6) they were read from."""

    results: list[Result]
    graph: Graph = field(repr=False)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos are reported, not fatal)."""
        return not any(result.severity == "Violation" for result in self.results)

    def counts(self) -> dict[str, int]:
        """The number of results of each severity."""
        counted = Counter(result.severity for result in self.results)
        return {severity: counted[severity] for severity in SEVERITIES}

    def counts_by_shape(self) -> dict[tuple[str, str], int]:
        """The number of results of each (severity, shape name)."""
        return dict(sorted(Counter((r.severity, _shape_name(r.shape)) for r in self.results).items()))

    def to_text(self, lang: str = "en") -> str:
        """A table per standard, grouped by severity: code, shape, path, value, message."""
        counts = ", ".join(f"{severity}: {n}" for severity, n in self.counts().items())
        lines = [f"{'conforms' if self.conforms else 'does not conform'} ({counts})"]
        group: tuple[str, str] | None = None
        for result in self.results:
            if group is None or result.standard_code != group[0]:
                lines += ["", result.standard_code or "(no standard)"]
            if group is None or (result.standard_code, result.severity) != group:
                lines.append(f"  {result.severity}")
            group = (result.standard_code, result.severity)
            message = result.message_zh if lang.startswith("zh") else result.message_en
            cells = (result.focus_code, _shape_name(result.shape), result.path, _short(result.value))
            lines.append(
                "    " + "  ".join(_cell(text, width) for text, width in zip(cells, _WIDTHS, strict=True)) + message
            )
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """Conformance, counts, and each result with both messages."""
        document = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [result.as_json() for result in self.results],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        """The standard `sh:ValidationReport` in Turtle."""
        return self.graph.serialize(format="turtle")


_WIDTHS = (16, 28, 36, 24)


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split()) or "-"
    return (text if len(text) < width else text[: width - 2] + "…").ljust(width)


def _shape_name(shape: str) -> str:
    return shape.removeprefix(OCSH)


def _short(value: str) -> str:
    """A value for the table: an IRI of a standard's part as the part after the standard."""
    match = _STANDARD_IRI.match(value)
    if not match:
        return value
    return value[match.end() :].lstrip("/") or unquote(match.group(2))


# Validation


def validate(graph: Graph, shapes: Graph | None = None, workers: int | None = None) -> Report:
    """Validate `graph`: a dataset one document graph at a time, any other graph whole.

    In a dataset, the named graphs that hold a document standard are the documents;
    the others (ontology, alignment, statistics) have nothing the shapes check. A
    plain graph may be the union of many documents (and the ontology): the shapes
    follow each document's own structure, so they hold there too, only slower.
    """
    if isinstance(graph, Dataset):
        documents = [g for g in graph.graphs() if _document_standard(g) is not None]
        return validate_documents(documents, shapes, workers)
    shapes = load_shapes() if shapes is None else shapes
    whole = _data_graph(graph)
    report = _run(whole, shapes)
    _tag_messages(report, shapes)
    return _assemble([(list(_results(report, whole, None)), list(report))])


def validate_documents(documents: Sequence[Graph], shapes: Graph | None = None, workers: int | None = None) -> Report:
    """Validate each document graph on its own, then the corpus shapes on their union.

    `workers` processes share the documents out (default: one per CPU, where
    processes can be forked); pass 1 to stay in this process.
    """
    shapes = load_shapes() if shapes is None else shapes
    graphs = [_data_graph(document) for document in documents]
    if _workers(workers, len(graphs)) > 1:
        parts = _in_processes(graphs, shapes, workers)
    else:
        parts = [_validate_document(graph, shapes) for graph in graphs]
    versions = _version_tables(graphs)
    report = _run(versions, shapes, sorted(CORPUS_SHAPES))
    _tag_messages(report, shapes)
    parts.append((list(_results(report, versions, None)), list(report)))
    return _assemble(parts)


def validate_store(store: pyoxigraph.Store, shapes: Graph | None = None, workers: int | None = None) -> Report:
    """Validate the document graphs of an Oxigraph store (e.g. the served build)."""
    documents = []
    for name in store.named_graphs():
        graph = Graph(identifier=_rdflib(name))
        quads = store.quads_for_pattern(None, None, None, name)
        graph.addN((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object), graph) for q in quads)
        if _document_standard(graph) is not None:
            documents.append(graph)
    return validate_documents(documents, shapes, workers)


@cache
def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """All shapes files of `directory`, parsed once per process.

    pySHACL checks a SPARQL text for forbidden clauses with line-anchored regular
    expressions before each focus node; they cost most on long indented lines, so
    each query without comments is joined into one line (the files stay readable).
    """
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    for predicate in (SH.select, SH.ask):
        for node, text in list(shapes.subject_objects(predicate)):
            if isinstance(text, Literal) and "#" not in text:
                shapes.set((node, predicate, Literal(" ".join(text.split()))))
    return shapes


def shape_names(shapes: Graph) -> list[URIRef]:
    """The named node and property shapes of a shapes graph (those that report results)."""
    named = {
        node
        for kind in (SH.NodeShape, SH.PropertyShape)
        for node in shapes.subjects(RDF.type, kind)
        if isinstance(node, URIRef)
    }
    return sorted(named)


_Part = tuple[list[Result], list[_Triple]]


def _validate_document(document: Graph, shapes: Graph) -> _Part:
    """The results of the per-document shapes on one document, and their report triples."""
    per_document = [shape for shape in shape_names(shapes) if shape not in CORPUS_SHAPES]
    report = _run(document, shapes, per_document)
    _tag_messages(report, shapes)
    code = _document_code(document)
    return list(_results(report, document, code)), list(report)


def _run(data: Graph, shapes: Graph, use_shapes: Sequence[URIRef] | None = None) -> Graph:
    _, report, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_infos=True,
        allow_warnings=True,
        use_shapes=list(use_shapes) if use_shapes is not None else None,
    )
    if not isinstance(report, Graph):
        raise RuntimeError(f"SHACL validation failed: {report}")
    return report


# Parallel validation: forked workers inherit the documents and the shapes.

_SHARED: tuple[Sequence[Graph], Graph] | None = None


def _workers(requested: int | None, documents: int) -> int:
    """The processes to use: as requested, else one per CPU (a few documents each) when
    this process can safely fork (a platform with fork, no other thread running)."""
    if requested is not None:
        return max(1, min(requested, documents))
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, documents // 4))


def _in_processes(documents: Sequence[Graph], shapes: Graph, workers: int | None) -> list[_Part]:
    global _SHARED  # noqa: PLW0603 - read by the forked workers, reset below
    _SHARED = (documents, shapes)
    try:
        count = _workers(workers, len(documents))
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            chunks = [list(range(start, len(documents), count)) for start in range(count)]
            return [part for parts in pool.map(_validate_shared, chunks) for part in parts]
    finally:
        _SHARED = None


def _validate_shared(indices: list[int]) -> list[_Part]:
    assert _SHARED is not None
    documents, shapes = _SHARED
    return [_validate_document(documents[index], shapes) for index in indices]


# Data graphs


class _DataGraph(Graph):
    """The data graph handed to pySHACL.

    Core constraints read rdflib's in-memory store. pySHACL runs each SHACL-SPARQL
    query once per focus node with `$this` pre-bound (§5.3.1); rdflib's evaluator
    makes that the slowest part of a run, so the queries go to an Oxigraph copy of
    the graph instead, the pre-bound variables passed as SEP-0007 substitutions.
    """

    _oxigraph: pyoxigraph.Store | None = None

    def query(  # type: ignore[override]  # noqa: PLR0917 - rdflib's signature, called positionally
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's name
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803 - rdflib's name
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> QueryResult:
        if not isinstance(query_object, str) or initNs:
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)
        if self._oxigraph is None:
            self._oxigraph = pyoxigraph.Store()
            self._oxigraph.extend(pyoxigraph.Quad(_ox(s), _ox(p), _ox(o)) for s, p, o in self)
        substitutions = {pyoxigraph.Variable(str(name)): _ox(term) for name, term in (initBindings or {}).items()}
        return _rdflib_result(self._oxigraph.query(query_object, substitutions=substitutions))


def _ox(term: Node) -> Any:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(term)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(term)
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(term, language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(term, datatype=pyoxigraph.NamedNode(term.datatype))
        return pyoxigraph.Literal(term)
    raise TypeError(f"not an RDF term: {term!r}")


def _rdflib(term: Any) -> Identifier:
    """An Oxigraph term as an rdflib term."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _rdflib_result(answer: Any) -> QueryResult:
    """Oxigraph's answer to a SELECT or ASK query as an rdflib query result."""
    if isinstance(answer, pyoxigraph.QueryBoolean):
        result = QueryResult("ASK")
        result.askAnswer = bool(answer)
        return result
    variables = [Variable(variable.value) for variable in answer.variables]
    result = QueryResult("SELECT")
    result.vars = variables
    result.bindings = [
        {variable: _rdflib(value) for variable in variables if (value := solution[str(variable)]) is not None}
        for solution in answer
    ]
    return result


def _data_graph(graph: Graph) -> _DataGraph:
    """`graph` as a data graph: a view of its store when the store holds this graph
    alone, else a copy (lookups in a store of many graphs are slower)."""
    if len(list(islice(graph.store.contexts(), 2))) <= 1:
        return _DataGraph(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
    copy = _DataGraph()
    copy.addN((s, p, o, copy) for s, p, o in graph.triples((None, None, None)))
    return copy


def _version_tables(documents: Iterable[Graph]) -> Graph:
    """What every document says about standards: its own, and the rows of its version table."""
    union = _DataGraph()
    for document in documents:
        for standard in document.subjects(RDF.type, OCS.CompetencyStandard):
            for triple in document.triples((standard, None, None)):
                union.add(triple)
    return union


def _document_standard(graph: Graph) -> Node | None:
    """The standard a document graph describes (None for a graph that is no document)."""
    for predicate in DOCUMENT_PROPERTIES:
        for subject in graph.subjects(predicate, None):
            if (subject, RDF.type, OCS.CompetencyStandard) in graph:
                return subject
    return None


def _document_code(graph: Graph) -> str | None:
    standard = _document_standard(graph)
    code = graph.value(standard, SKOS.notation) if standard is not None else None
    return str(code) if code is not None else None


# Reading the report


def _tag_messages(report: Graph, shapes: Graph) -> None:
    """Give back the language of messages that pySHACL filled in from a template.

    pySHACL substitutes `{?var}` in the messages of SHACL-SPARQL results (§5.3.2) and
    drops their language tag on the way; each is matched to the template it fills.
    """
    for result in set(report.subjects(SH.resultMessage, None)):
        templates = _templates(shapes, report.value(result, SH.sourceShape))
        for message in list(report.objects(result, SH.resultMessage)):
            if not isinstance(message, Literal) or message.language:
                continue
            language = next((lang for pattern, lang in templates if pattern.fullmatch(str(message))), None)
            if language:
                report.remove((result, SH.resultMessage, message))
                report.add((result, SH.resultMessage, Literal(str(message), lang=language)))


def _templates(shapes: Graph, shape: Node | None) -> list[tuple[re.Pattern[str], str]]:
    templates = []
    for message in shapes.objects(shape, SH.message):
        if isinstance(message, Literal) and message.language:
            pattern = ".*".join(re.escape(part) for part in _PLACEHOLDER.split(str(message)))
            templates.append((re.compile(pattern, re.DOTALL), message.language))
    return templates


def _results(report: Graph, data: Graph, document: str | None) -> Iterator[Result]:
    names = _namespaces()
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        messages = {m.language: str(m) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)}
        yield Result(
            severity=str(report.value(node, SH.resultSeverity)).removeprefix(str(SH)),
            focus_node=str(focus),
            focus_code=_code(data, focus),
            standard_code=document or _standard(data, focus),
            path=_path(report, report.value(node, SH.resultPath), names),
            value=str(value) if value is not None else "",
            message_zh=messages.get("zh-Hant", ""),
            message_en=messages.get("en", ""),
            shape=str(report.value(node, SH.sourceShape)),
        )


def _code(data: Graph, node: Node | None) -> str:
    """The node's code as written, or else the part of its IRI after the standard."""
    notation = data.value(node, SKOS.notation) if node is not None else None
    if notation is not None:
        return str(notation)
    match = _STANDARD_IRI.match(str(node))
    return unquote(str(node)[match.end() :].lstrip("/")) if match else ""


def _standard(data: Graph, node: Node | None) -> str:
    """The code of the standard `node` belongs to: from its IRI (`…/standard/<code>/…`),
    or, for a row of a version table, the standard whose table lists it."""
    match = _STANDARD_IRI.match(str(node))
    if not match:
        return ""
    root = URIRef(match.group(1))
    if _document_standard_of(data, root):
        return unquote(match.group(2))
    lister = next((s for s in data.subjects(OCS.listsVersion, root) if s != root), None)
    code = data.value(lister, SKOS.notation) if lister is not None else None
    return str(code) if code is not None else unquote(match.group(2))


def _document_standard_of(data: Graph, node: Node) -> bool:
    return any((node, predicate, None) in data for predicate in DOCUMENT_PROPERTIES)


@cache
def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    return names


def _path(report: Graph, path: Node | None, names: NamespaceManager) -> str:
    """A SHACL property path (§2.3.1) written as a SPARQL property path."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return names.normalizeUri(path)
    if (path, RDF.first, None) in report:
        return "/".join(_path(report, step, names) for step in Collection(report, path))
    if (inverse := report.value(path, SH.inversePath)) is not None:
        return "^" + _path(report, inverse, names)
    if (alternatives := report.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(_path(report, step, names) for step in Collection(report, alternatives)) + ")"
    for operator, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := report.value(path, operator)) is not None:
            return _path(report, inner, names) + suffix
    return str(path)


# Assembling the report


def _assemble(parts: Iterable[_Part]) -> Report:
    """One report from the results and report triples of several pySHACL runs."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("ocsh", OCSH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    results: list[Result] = []
    for part_results, triples in parts:
        results.extend(part_results)
        _add_results(graph, report, triples)
    results.sort(key=_order)
    graph.add((report, SH.conforms, Literal(not any(r.severity == "Violation" for r in results))))
    return Report(results, graph)


def _add_results(graph: Graph, report: BNode, triples: list[_Triple]) -> None:
    """Copy one run's results under `report`, with fresh blank nodes (runs in other
    processes may have minted the same blank node labels)."""
    fresh: dict[BNode, BNode] = {}

    def renamed(node: Node) -> Node:
        return fresh.setdefault(node, BNode()) if isinstance(node, BNode) else node

    reports = {s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport}
    for subject, predicate, obj in triples:
        if subject in reports:
            if predicate == SH.result:
                graph.add((report, SH.result, renamed(obj)))
        else:
            graph.add((renamed(subject), predicate, renamed(obj)))


def _order(result: Result) -> tuple[str, int, list[tuple[str, int]], str, str]:
    """Standard, severity, then the codes in their natural order (K2 before K10)."""
    code = [(text, int(number or 0)) for text, number in _NUMBERED.findall(result.focus_code)]
    return (result.standard_code, SEVERITIES.index(result.severity), code, result.shape, result.value)
