"""The OWL ontology `ontology/ocs.ttl`: its contract with the RDF mapping, and its hygiene.

The lists of classes, properties and individuals below are the contract: the RDF
mapping writes exactly these names, so adding, renaming or retyping a term must
change this file too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TypeGuard

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ONTOLOGY_FILE = Path(__file__).resolve().parents[2] / "ontology" / "ocs.ttl"

OCS = Namespace("https://w3id.org/tw-ocs/ontology#")
ONTOLOGY = URIRef("https://w3id.org/tw-ocs/ontology")
ESCO = Namespace("http://data.europa.eu/esco/model#")
CEASN = Namespace("https://purl.org/ctdlasn/terms/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
# a plain Namespace: pytest probes module globals, which rdflib's closed XSD warns about
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

LANGUAGES = ("zh-Hant", "en")

# --- the contract ---------------------------------------------------------------

CLASSES = {
    "CompetencyStandard",
    "Duty",
    "Task",
    "CompetencyBlock",
    "BehaviourIndicator",
    "WorkOutput",
    "Knowledge",
    "Skill",
    "Attitude",
    "KnowledgeConcept",
    "SkillConcept",
    "AttitudeConcept",
    "CompetencyLevel",
    "JobCategory",
    "Occupation",
    "Industry",
}

# property -> (domain, range); None where the property has no single rdfs:domain
OBJECT_PROPERTIES: dict[str, tuple[str | None, str | None]] = {
    "hasDuty": ("CompetencyStandard", "Duty"),
    "hasTask": ("Duty", "Task"),
    "hasBlock": ("Task", "CompetencyBlock"),
    "level": (None, "CompetencyLevel"),
    "hasIndicator": ("CompetencyBlock", "BehaviourIndicator"),
    "hasOutput": ("CompetencyBlock", "WorkOutput"),
    "requiresKnowledge": ("CompetencyBlock", "Knowledge"),
    "requiresSkill": ("CompetencyBlock", "Skill"),
    "hasKnowledge": ("CompetencyStandard", "Knowledge"),
    "hasSkill": ("CompetencyStandard", "Skill"),
    "hasAttitude": ("CompetencyStandard", "Attitude"),
    "concept": (None, None),
    "jobCategory": ("CompetencyStandard", "JobCategory"),
    "occupation": ("CompetencyStandard", "Occupation"),
    "industry": ("CompetencyStandard", "Industry"),
    "listsVersion": ("CompetencyStandard", "CompetencyStandard"),
}

# property -> (domain, range datatype); None where there is no single rdfs:domain
DATATYPE_PROPERTIES: dict[str, tuple[str | None, URIRef]] = {
    "position": (None, XSD.integer),
    "version": ("CompetencyStandard", XSD.string),
    "status": ("CompetencyStandard", RDFS.Literal),
    "updateNote": ("CompetencyStandard", RDFS.Literal),
    "updateDate": ("CompetencyStandard", XSD.string),
    "occupationName": ("CompetencyStandard", RDFS.Literal),
    "jobCategoryName": ("CompetencyStandard", RDFS.Literal),
    "jobDescription": ("CompetencyStandard", RDFS.Literal),
    "prerequisite": ("CompetencyStandard", RDFS.Literal),
    "supplement": ("CompetencyStandard", RDFS.Literal),
    "details": (None, RDFS.Literal),
    "splitAcrossPages": (None, XSD.boolean),
    "levelNumber": ("CompetencyLevel", XSD.integer),
    "matchScore": (None, XSD.decimal),
    "standardCount": (None, XSD.integer),
    "matchMethod": (None, XSD.string),
}

SCHEMES = {
    "CompetencyLevelScheme",
    "JobCategoryScheme",
    "OccupationScheme",
    "IndustryScheme",
}

LEVELS = {f"level{n}": n for n in range(1, 7)}

# classes that are SKOS concepts
CONCEPT_CLASSES = {
    "KnowledgeConcept",
    "SkillConcept",
    "AttitudeConcept",
    "CompetencyLevel",
    "JobCategory",
    "Occupation",
    "Industry",
}

# external classes and datatypes a domain or range may name
EXTERNAL_CLASSES = {SKOS.Concept, OWL.Axiom}
DATATYPES = {XSD.integer, XSD.decimal, XSD.string, XSD.boolean, RDFS.Literal}

PROPERTY_TYPES = {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}
DOMAIN_PREDICATES = (RDFS.domain, SCHEMA.domainIncludes)
RANGE_PREDICATES = (RDFS.range, SCHEMA.rangeIncludes)


# --- fixtures and helpers ---------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def is_ocs(term: object) -> TypeGuard[URIRef]:
    return isinstance(term, URIRef) and str(term).startswith(str(OCS))


def ocs_subjects(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if is_ocs(s)}


def described_terms(g: Graph) -> set[URIRef]:
    """Every ocs: term that is a subject, and the ontology itself."""
    return ocs_subjects(g) | {ONTOLOGY}


def languages(g: Graph, subject: URIRef, predicate: URIRef) -> Counter[str]:
    return Counter(
        str(o.language) for o in g.objects(subject, predicate) if isinstance(o, Literal) and o.language is not None
    )


def declared(g: Graph, term: URIRef) -> bool:
    return (term, RDF.type, None) in g


# --- the contract: names and types --------------------------------------------------


def test_file_parses(graph: Graph) -> None:
    assert len(graph) > 0
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class_declared(graph: Graph, name: str) -> None:
    assert (OCS[name], RDF.type, OWL.Class) in graph


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_object_property_declared(graph: Graph, name: str) -> None:
    assert (OCS[name], RDF.type, OWL.ObjectProperty) in graph


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_declared(graph: Graph, name: str) -> None:
    assert (OCS[name], RDF.type, OWL.DatatypeProperty) in graph


def test_no_terms_outside_the_contract(graph: Graph) -> None:
    """Adding a term means adding it to the contract above, so the mapping can agree."""

    def names(rdf_type: URIRef) -> set[str]:
        return {str(s).removeprefix(str(OCS)) for s in graph.subjects(RDF.type, rdf_type) if is_ocs(s)}

    assert names(OWL.Class) == CLASSES
    assert names(OWL.ObjectProperty) == set(OBJECT_PROPERTIES)
    assert names(OWL.DatatypeProperty) == set(DATATYPE_PROPERTIES)
    assert names(SKOS.ConceptScheme) == SCHEMES
    assert names(OCS.CompetencyLevel) == set(LEVELS)
    expected = CLASSES | set(OBJECT_PROPERTIES) | set(DATATYPE_PROPERTIES)
    expected |= SCHEMES | set(LEVELS)
    assert {str(s).removeprefix(str(OCS)) for s in ocs_subjects(graph)} == expected


def test_every_ocs_term_used_is_declared(graph: Graph) -> None:
    used = {
        term
        for triple in graph
        for term in triple
        if is_ocs(term)  # subjects, predicates and objects (list members included)
    }
    undeclared = sorted(str(t) for t in used if not declared(graph, t))
    assert undeclared == []


def test_no_term_is_both_a_class_and_a_property(graph: Graph) -> None:
    classes = set(graph.subjects(RDF.type, OWL.Class))
    properties = {s for t in PROPERTY_TYPES for s in graph.subjects(RDF.type, t)}
    assert classes & properties == set()


def test_no_property_is_both_object_and_datatype(graph: Graph) -> None:
    objects = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    datatypes = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    annotations = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    assert objects & datatypes == set()
    assert (objects | datatypes) & annotations == set()


def test_no_ocs_individual_is_a_class_or_property(graph: Graph) -> None:
    individuals = {OCS[n] for n in SCHEMES | set(LEVELS)}
    for term in individuals:
        types = set(graph.objects(term, RDF.type))
        assert OWL.Class not in types
        assert types.isdisjoint(PROPERTY_TYPES), term


# --- labels, definitions, provenance ----------------------------------------------


def test_every_term_has_one_label_per_language(graph: Graph) -> None:
    for term in described_terms(graph):
        counts = languages(graph, term, RDFS.label)
        for lang in LANGUAGES:
            assert counts[lang] == 1, f"{term}: {counts[lang]} rdfs:label @{lang}"


def test_every_term_has_a_definition_per_language(graph: Graph) -> None:
    for term in described_terms(graph):
        counts = languages(graph, term, SKOS.definition) + languages(graph, term, RDFS.comment)
        for lang in LANGUAGES:
            assert counts[lang] >= 1, f"{term}: no definition @{lang}"


def test_literal_annotations_are_language_tagged(graph: Graph) -> None:
    predicates = (RDFS.label, SKOS.prefLabel, SKOS.definition, SKOS.scopeNote)
    for term in described_terms(graph):
        for predicate in predicates:
            for value in graph.objects(term, predicate):
                assert isinstance(value, Literal), (term, predicate)
                assert value.language in LANGUAGES, (term, predicate, value)


def test_pref_labels_at_most_one_per_language(graph: Graph) -> None:
    for term in described_terms(graph):
        counts = languages(graph, term, SKOS.prefLabel)
        assert all(n <= 1 for n in counts.values()), term


def test_labels_are_unique_per_language(graph: Graph) -> None:
    seen: dict[tuple[str, str | None], URIRef] = {}
    for term in sorted(described_terms(graph)):
        for label in graph.objects(term, RDFS.label):
            assert isinstance(label, Literal)
            key = (str(label), label.language)
            assert key not in seen, f"{term} and {seen[key]} share the label {key}"
            seen[key] = term


def test_every_ocs_term_is_defined_by_the_ontology(graph: Graph) -> None:
    for term in ocs_subjects(graph):
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in graph, term


# --- domains, ranges, hierarchy ---------------------------------------------------


def _names_class(graph: Graph, term: object) -> bool:
    if is_ocs(term):
        return (term, RDF.type, OWL.Class) in graph
    return term in EXTERNAL_CLASSES


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_object_property_domain_and_range(graph: Graph, name: str) -> None:
    prop = OCS[name]
    domain, range_ = OBJECT_PROPERTIES[name]
    domains = set(graph.objects(prop, RDFS.domain))
    ranges = set(graph.objects(prop, RDFS.range))
    assert domains == ({OCS[domain]} if domain else set())
    if range_:
        assert ranges == {OCS[range_]}
    if domain is None:  # documented instead with schema:domainIncludes
        assert set(graph.objects(prop, SCHEMA.domainIncludes))
    for predicate in DOMAIN_PREDICATES + RANGE_PREDICATES:
        for value in graph.objects(prop, predicate):
            assert _names_class(graph, value), (name, predicate, value)


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_domain_and_range(graph: Graph, name: str) -> None:
    prop = OCS[name]
    domain, datatype = DATATYPE_PROPERTIES[name]
    assert set(graph.objects(prop, RDFS.domain)) == ({OCS[domain]} if domain else set())
    assert set(graph.objects(prop, RDFS.range)) == {datatype}
    assert datatype in DATATYPES
    if domain is None:
        assert set(graph.objects(prop, SCHEMA.domainIncludes))
    for value in graph.objects(prop, SCHEMA.domainIncludes):
        assert _names_class(graph, value), (name, value)


def test_level_and_concept_document_their_subjects(graph: Graph) -> None:
    assert set(graph.objects(OCS.level, SCHEMA.domainIncludes)) == {
        OCS.CompetencyBlock,
        OCS.CompetencyStandard,
    }
    assert set(graph.objects(OCS.concept, SCHEMA.domainIncludes)) == {
        OCS.Knowledge,
        OCS.Skill,
        OCS.Attitude,
    }
    assert set(graph.objects(OCS.concept, SCHEMA.rangeIncludes)) == {
        OCS.KnowledgeConcept,
        OCS.SkillConcept,
        OCS.AttitudeConcept,
    }
    assert (OCS.concept, RDFS.subPropertyOf, SKOS.related) not in graph


@pytest.mark.parametrize("name", sorted(CONCEPT_CLASSES))
def test_concept_classes_are_skos_concepts(graph: Graph, name: str) -> None:
    assert (OCS[name], RDFS.subClassOf, SKOS.Concept) in graph


def test_subclass_targets_are_classes(graph: Graph) -> None:
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        assert is_ocs(sub)
        assert _names_class(graph, sup) or sup == CEASN.CompetencyFramework, sup


def test_alignments(graph: Graph) -> None:
    assert (OCS.CompetencyStandard, RDFS.subClassOf, CEASN.CompetencyFramework) in graph
    assert (OCS.Task, SKOS.closeMatch, CEASN.Competency) in graph
    assert (OCS.KnowledgeConcept, SKOS.closeMatch, ESCO.Skill) in graph
    assert (OCS.SkillConcept, SKOS.closeMatch, ESCO.Skill) in graph
    assert (OCS.jobDescription, RDFS.subPropertyOf, DCTERMS.description) in graph
    # a standard describes an occupation but is not one: no subclass, no close match
    for occupation in (ESCO.Occupation, SCHEMA.Occupation):
        assert (OCS.CompetencyStandard, RDFS.subClassOf, occupation) not in graph
        assert (OCS.CompetencyStandard, SKOS.closeMatch, occupation) not in graph


# --- individuals ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "number"), sorted(LEVELS.items()))
def test_competency_level(graph: Graph, name: str, number: int) -> None:
    level = OCS[name]
    assert (level, RDF.type, OCS.CompetencyLevel) in graph
    assert (level, RDF.type, SKOS.Concept) in graph
    assert (level, SKOS.inScheme, OCS.CompetencyLevelScheme) in graph
    assert (OCS.CompetencyLevelScheme, SKOS.hasTopConcept, level) in graph
    assert list(graph.objects(level, OCS.levelNumber)) == [Literal(number)]
    assert list(graph.objects(level, SKOS.notation)) == [Literal(str(number))]
    assert (level, SKOS.prefLabel, Literal(f"職能級別 {number}", lang="zh-Hant")) in graph
    assert (level, SKOS.prefLabel, Literal(f"Competency level {number}", lang="en")) in graph
    assert languages(graph, level, DCTERMS.source).keys() >= set(LANGUAGES)


def test_exactly_six_levels(graph: Graph) -> None:
    numbers = sorted(
        int(n.toPython())
        for level in graph.subjects(RDF.type, OCS.CompetencyLevel)
        for n in graph.objects(level, OCS.levelNumber)
        if isinstance(n, Literal)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_concept_scheme(graph: Graph, name: str) -> None:
    scheme = OCS[name]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert languages(graph, scheme, SKOS.prefLabel).keys() >= set(LANGUAGES)
    assert languages(graph, scheme, DCTERMS.source).keys() >= set(LANGUAGES)


def test_classification_sources_name_the_revisions(graph: Graph) -> None:
    def sources(scheme: URIRef) -> str:
        return " ".join(str(s) for s in graph.objects(scheme, DCTERMS.source))

    assert "第6次修訂" in sources(OCS.OccupationScheme)
    assert "6th revision" in sources(OCS.OccupationScheme)
    assert "第11次修訂" in sources(OCS.IndustryScheme)
    assert "11th revision" in sources(OCS.IndustryScheme)


# --- the ontology header -------------------------------------------------------------


def test_ontology_header(graph: Graph) -> None:
    assert (ONTOLOGY, OWL.versionInfo, Literal("0.1.0")) in graph
    assert (ONTOLOGY, VANN.preferredNamespacePrefix, Literal("ocs")) in graph
    assert (ONTOLOGY, VANN.preferredNamespaceUri, Literal(str(OCS))) in graph
    assert languages(graph, ONTOLOGY, DCTERMS.title).keys() >= set(LANGUAGES)
    assert languages(graph, ONTOLOGY, DCTERMS.description).keys() >= set(LANGUAGES)
    for predicate in (DCTERMS.license, DCTERMS.creator, DCTERMS.publisher):
        assert graph.value(ONTOLOGY, predicate) is not None, predicate
    assert isinstance(graph.value(ONTOLOGY, DCTERMS.license), URIRef)


def test_general_axioms_use_declared_classes(graph: Graph) -> None:
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        assert isinstance(axiom, BNode)
        members = graph.value(axiom, OWL.members)
        assert members is not None
        for member in graph.items(members):
            assert (member, RDF.type, OWL.Class) in graph
