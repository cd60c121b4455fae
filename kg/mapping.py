"""`Standard` ⇄ RDF: the triples of one source document, and the model read back.

Every coded thing carries its official code as written (`skos:notation`) and its
name or text as written (`skos:prefLabel`, tagged zh-Hant); `ocs:position` keeps
the document's order. Each K, S and A item points to the shared concept of its
normalised label (`ocs:concept`). A code used twice for two things keeps both: the
second gets a URI ending in `~2` and the same notation, for validation to report.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.labels import normalise
from kg.model import Block, Classification, Duty, Indicator, Item, Output, Standard, Task, Version
from kg.namespaces import ISCO, OCS, PREFIXES
from kg.uris import Minter

LANG = "zh-Hant"
_REPLACED_BY = re.compile(r"已被《([^》]+)》取代")
_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_ISCO_GROUP = re.compile(r"\d{4}")

# Classification lists of the model ↔ property, class and concept scheme.
CLASSIFICATIONS = (
    ("job_categories", "job-category", OCS.jobCategory, OCS.JobCategory, OCS.JobCategoryScheme),
    ("occupations", "occupation", OCS.occupation, OCS.Occupation, OCS.OccupationScheme),
    ("industries", "industry", OCS.industry, OCS.Industry, OCS.IndustryScheme),
)
# Item lists of the model ↔ URI kind, list property, item class, concept class.
ITEMS = (
    ("knowledge", "knowledge", OCS.hasKnowledge, OCS.Knowledge, OCS.KnowledgeConcept),
    ("skills", "skill", OCS.hasSkill, OCS.Skill, OCS.SkillConcept),
    ("attitudes", "attitude", OCS.hasAttitude, OCS.Attitude, OCS.AttitudeConcept),
)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def level_iri(level: int) -> URIRef:
    """The competency level individual (職能級別 1–6) of the ontology."""
    return OCS[f"level{level}"]


class _Writer:
    """Writes one standard's triples, minting a URI per coded part."""

    def __init__(self, standard: Standard, minter: Minter) -> None:
        self.standard = standard
        self.minter = minter
        self.graph = new_graph()
        self.node = minter.standard(standard.code)
        self.seen: Counter[tuple[str, str]] = Counter()
        self.positions: Counter[str] = Counter()
        self.blocks: dict[int, URIRef] = {}

    def text(self, subject: Node, predicate: URIRef, value: str | None) -> None:
        if value:
            self.graph.add((subject, predicate, Literal(value, lang=LANG)))

    def coded(self, kind: str, cls: URIRef, code: str, name: str, position: int, *, split: bool) -> URIRef:
        self.seen[(kind, code)] += 1
        node = self.minter.part(self.node, kind, code, self.seen[(kind, code)])
        self.graph.add((node, RDF.type, cls))
        self.graph.add((node, SKOS.notation, Literal(code)))
        self.graph.add((node, OCS.position, Literal(position)))
        self.text(node, SKOS.prefLabel, name)
        if split:
            self.graph.add((node, OCS.splitAcrossPages, Literal(True)))
        return node

    def write(self) -> Graph:
        s, g, std = self.node, self.graph, self.standard
        g.add((s, RDF.type, OCS.CompetencyStandard))
        g.add((s, SKOS.notation, Literal(std.code)))
        self.text(s, SKOS.prefLabel, std.name)
        self.text(s, OCS.occupationName, std.occupation_name)
        self.text(s, OCS.jobCategoryName, std.job_category_name)
        self.text(s, OCS.jobDescription, std.description)
        if std.level is not None:
            g.add((s, OCS.level, level_iri(std.level)))
        if std.source:
            g.add((s, DCTERMS.source, Literal(Path(std.source).name)))
        self.text(s, OCS.prerequisite, "\n".join(std.prerequisites))
        self.text(s, OCS.supplement, "\n".join(std.supplements))
        for field, scheme, predicate, cls, concept_scheme in CLASSIFICATIONS:
            for entry in getattr(std, field):
                g.add((s, predicate, self.classification(scheme, cls, concept_scheme, entry)))
        for position, version in enumerate(std.versions, 1):
            self.version(version, position)
        for position, duty in enumerate(std.duties, 1):
            g.add((s, OCS.hasDuty, self.duty(duty, position)))
        for field, kind, predicate, cls, concept_cls in ITEMS:
            for item in getattr(std, field):
                g.add((s, predicate, self.item(kind, cls, concept_cls, item)))
        return g

    def classification(self, scheme: str, cls: URIRef, concept_scheme: URIRef, entry: Classification) -> Node:
        g = self.graph
        node: Node = self.minter.classification(scheme, entry.code) if entry.code else BNode()
        g.add((node, RDF.type, cls))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, concept_scheme))
        if entry.code:
            g.add((node, SKOS.notation, Literal(entry.code)))
        self.text(node, RDFS.label, entry.name)
        if cls == OCS.Occupation and _ISCO_GROUP.fullmatch(entry.code):
            g.add((node, SKOS.closeMatch, ISCO[f"C{entry.code}"]))
        return node

    def version(self, version: Version, position: int) -> None:
        g = self.graph
        node = self.minter.standard(version.code)
        g.add((self.node, OCS.listsVersion, node))
        g.add((node, RDF.type, OCS.CompetencyStandard))
        g.add((node, SKOS.notation, Literal(version.code)))
        g.add((node, OCS.position, Literal(position)))
        g.add((node, OCS.version, Literal(version.version)))
        self.text(node, SKOS.prefLabel, version.name)
        self.text(node, OCS.status, version.status)
        self.text(node, OCS.updateNote, version.note)
        if version.date:
            g.add((node, OCS.updateDate, Literal(version.date)))
        if date := _DATE.fullmatch(version.date):
            year, month, day = (int(part) for part in date.groups())
            g.add((node, DCTERMS.date, Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)))
        if replaced := _REPLACED_BY.search(version.note):
            successor = self.minter.standard(replaced.group(1))
            g.add((node, DCTERMS.isReplacedBy, successor))
            g.add((successor, DCTERMS.replaces, node))

    def duty(self, duty: Duty, position: int) -> URIRef:
        node = self.coded("duty", OCS.Duty, duty.code, duty.name, position, split=duty.page_split)
        for task in duty.tasks:
            self.graph.add((node, OCS.hasTask, self.task(task)))
        return node

    def task(self, task: Task) -> URIRef:
        self.positions["task"] += 1
        node = self.coded("task", OCS.Task, task.code, task.name, self.positions["task"], split=task.page_split)
        for index, block in enumerate(task.blocks, 1):
            self.graph.add((node, OCS.hasBlock, self.block(block, node, index)))
        return node

    def block(self, block: Block, task: URIRef, index: int) -> URIRef:
        if id(block) in self.blocks:
            return self.blocks[id(block)]
        g = self.graph
        node = self.minter.block(task, index)
        self.blocks[id(block)] = node
        g.add((node, RDF.type, OCS.CompetencyBlock))
        g.add((node, OCS.position, Literal(len(self.blocks))))
        if block.level is not None:
            g.add((node, OCS.level, level_iri(block.level)))
        for position, i in enumerate(block.indicators, 1):
            cls = OCS.BehaviourIndicator
            indicator = self.coded("indicator", cls, i.code, i.text, position, split=i.page_split)
            g.add((node, OCS.hasIndicator, indicator))
        for position, o in enumerate(block.outputs, 1):
            output = self.coded("output", OCS.WorkOutput, o.code, o.name, position, split=o.page_split)
            g.add((node, OCS.hasOutput, output))
        for code in block.knowledge:
            g.add((node, OCS.requiresKnowledge, self.minter.part(self.node, "knowledge", code)))
        for code in block.skills:
            g.add((node, OCS.requiresSkill, self.minter.part(self.node, "skill", code)))
        return node

    def item(self, kind: str, cls: URIRef, concept_cls: URIRef, item: Item) -> URIRef:
        """A K, S or A item: one node per code, with every name the document gives it."""
        g = self.graph
        node = self.minter.part(self.node, kind, item.code)
        if (node, RDF.type, cls) not in g:
            self.positions[kind] += 1
            g.add((node, RDF.type, cls))
            g.add((node, SKOS.notation, Literal(item.code)))
            g.add((node, OCS.position, Literal(self.positions[kind])))
        self.text(node, SKOS.prefLabel, item.name)
        if item.details:
            self.text(node, OCS.details, "\n".join(item.details))
        if item.page_split:
            g.add((node, OCS.splitAcrossPages, Literal(True)))
        label = normalise(item.name)
        if not label:
            return node
        concept = self.minter.concept(kind, item.name)
        g.add((node, OCS.concept, concept))
        g.add((concept, RDF.type, concept_cls))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(label, lang=LANG)))
        return node


def to_graph(standard: Standard, minter: Minter) -> Graph:
    """The triples of one standard (the content of its named graph)."""
    return _Writer(standard, minter).write()


class _Reader:
    """Reads a standard back from its graph: the inverse of `_Writer`."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.blocks: dict[Node, Block] = {}

    def text(self, subject: Node, predicate: URIRef) -> str:
        return next(iter(self.texts(subject, predicate)), "")

    def texts(self, subject: Node, predicate: URIRef) -> list[str]:
        return sorted(str(o) for o in self.graph.objects(subject, predicate))

    def lines(self, subject: Node, predicate: URIRef) -> list[str]:
        text = self.text(subject, predicate)
        return text.split("\n") if text else []

    def flag(self, subject: Node) -> bool:
        return (subject, OCS.splitAcrossPages, Literal(True)) in self.graph

    def ordered(self, subject: Node, predicate: URIRef) -> list[Node]:
        def key(node: Node) -> tuple[int, str]:
            position = self.graph.value(node, OCS.position)
            return (int(position) if isinstance(position, Literal) else 0, str(node))

        return sorted(set(self.graph.objects(subject, predicate)), key=key)

    def level(self, subject: Node) -> int | None:
        level = self.graph.value(subject, OCS.level)
        return int(str(level).removeprefix(str(OCS.level))) if level is not None else None

    def read(self, node: URIRef) -> Standard:
        standard = Standard(
            code=self.text(node, SKOS.notation),
            occupation_name=self.text(node, OCS.occupationName) or None,
            job_category_name=self.text(node, OCS.jobCategoryName) or None,
            description=self.text(node, OCS.jobDescription),
            level=self.level(node),
            prerequisites=self.lines(node, OCS.prerequisite),
            supplements=self.lines(node, OCS.supplement),
            source=self.text(node, DCTERMS.source),
        )
        for field, _, predicate, _, _ in CLASSIFICATIONS:
            setattr(standard, field, self.classifications(node, predicate))
        standard.versions = [self.version(v, node, standard.name) for v in self.ordered(node, OCS.listsVersion)]
        standard.duties = [self.duty(d) for d in self.ordered(node, OCS.hasDuty)]
        for field, _, predicate, _, _ in ITEMS:
            setattr(standard, field, [i for n in self.ordered(node, predicate) for i in self.items(n)])
        return standard

    def classifications(self, node: Node, predicate: URIRef) -> list[Classification]:
        return [
            Classification(code=self.text(c, SKOS.notation), name=name)
            for c in sorted(self.graph.objects(node, predicate), key=str)
            for name in self.texts(c, RDFS.label) or [""]
        ]

    def version(self, node: Node, standard: Node, header_name: str) -> Version:
        names = self.texts(node, SKOS.prefLabel)
        if node == standard and len(names) > 1:
            names.remove(header_name)
        return Version(
            version=self.text(node, OCS.version),
            code=self.text(node, SKOS.notation),
            name=names[0] if names else "",
            status=self.text(node, OCS.status),
            note=self.text(node, OCS.updateNote),
            date=self.text(node, OCS.updateDate),
        )

    def duty(self, node: Node) -> Duty:
        tasks = [self.task(t) for t in self.ordered(node, OCS.hasTask)]
        return Duty(self.text(node, SKOS.notation), self.text(node, SKOS.prefLabel), tasks, self.flag(node))

    def task(self, node: Node) -> Task:
        blocks = [self.block(b) for b in self.ordered(node, OCS.hasBlock)]
        return Task(self.text(node, SKOS.notation), self.text(node, SKOS.prefLabel), blocks, self.flag(node))

    def block(self, node: Node) -> Block:
        if node not in self.blocks:
            self.blocks[node] = Block(
                level=self.level(node),
                indicators=[
                    Indicator(self.text(i, SKOS.notation), self.text(i, SKOS.prefLabel), self.flag(i))
                    for i in self.ordered(node, OCS.hasIndicator)
                ],
                outputs=[
                    Output(self.text(o, SKOS.notation), self.text(o, SKOS.prefLabel), self.flag(o))
                    for o in self.ordered(node, OCS.hasOutput)
                ],
                knowledge=[_code_of(k) for k in self.ordered(node, OCS.requiresKnowledge)],
                skills=[_code_of(s) for s in self.ordered(node, OCS.requiresSkill)],
            )
        return self.blocks[node]

    def items(self, node: Node) -> list[Item]:
        code = self.text(node, SKOS.notation)
        details = self.lines(node, OCS.details)
        return [Item(code, name, details, self.flag(node)) for name in self.texts(node, SKOS.prefLabel) or [""]]


def _code_of(node: Node) -> str:
    """The code a reference cites, read from its URI (the item may be undefined)."""
    return unquote(str(node).rsplit("/", 1)[-1])


def from_graph(graph: Graph, standard: URIRef) -> Standard:
    """The standard `standard` as `graph` states it."""
    return _Reader(graph).read(standard)
