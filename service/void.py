"""The dataset described in VoID and DCAT, from the served build's dump manifest.

W3C VoID (Describing Linked Datasets, Interest Group Note 2011) §4 statistics
(`void:triples`, `void:classes`, `void:classPartition`), §3 access
(`void:sparqlEndpoint`, `void:dataDump`, `void:exampleResource`, `void:uriSpace`);
W3C DCAT 3 §6.6 `dcat:Dataset` and §6.8 `dcat:Distribution` (`dcat:downloadURL`,
`dcat:mediaType`, `dcat:compressFormat`, `dcat:byteSize`) with SPDX 2.3 checksums, and
§6.9 `dcat:DataService` for the SPARQL endpoint.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from kg.namespaces import OCS, PREFIXES

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
PATH = ".well-known/void"
SOURCE_STATEMENT = {
    "zh-Hant": (
        "職能基準內容由勞動部勞動力發展署 iCAP 職能發展應用平台發布；data/corpus 的 JSON 語料由公開儲存庫 "
        "JD-Consultant/Caliburn 自官方 PDF 擷取（MIT 授權）。本資料集保留原文，並註明來源文件。"
    ),
    "en": (
        "The content of the competency standards is published by the Workforce Development Agency, Ministry of Labor "
        "(勞動部勞動力發展署), on its iCAP platform; the JSON corpus in data/corpus was extracted from the "
        "official PDFs by the public repository JD-Consultant/Caliburn (MIT licence). The dataset keeps the text "
        "as published and names each source document."
    ),
}


def dataset_iri(base: str) -> URIRef:
    return URIRef(f"{base}{PATH}#dataset")


def without_dumps(modified: str) -> dict[str, Any]:
    """The manifest of a build that has no dumps and no statistics (one changed by SPARQL Update)."""
    return {"modified": modified, "classes": {}, "examples": [], "dumps": []}


def describe(base: str, manifest: dict[str, Any]) -> Graph:
    """The VoID/DCAT description of the dataset whose build `manifest` describes."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("void", VOID)
    graph.bind("spdx", SPDX)
    graph.bind("foaf", FOAF)
    dataset = dataset_iri(base)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal("職能基準知識圖譜", lang="zh-Hant")))
    add((dataset, DCTERMS.title, Literal("Knowledge graph of Taiwan's occupational competency standards", lang="en")))
    add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "勞動部 iCAP 職能基準（主要職責、工作任務、行為指標、職能內涵與分類）的 RDF 知識圖譜。", lang="zh-Hant"
            ),
        )
    )
    add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Taiwan's occupational competency standards (duties, tasks, indicators, knowledge, skills, attitudes "
                "and classifications) as an RDF knowledge graph.",
                lang="en",
            ),
        )
    )
    licence = BNode()
    add((dataset, DCTERMS.license, licence))
    add((licence, RDF.type, DCTERMS.LicenseDocument))
    for language, text in SOURCE_STATEMENT.items():
        add((licence, RDFS.label, Literal(text, lang=language)))
        add((dataset, DCTERMS.rights, Literal(text, lang=language)))
    add((licence, RDFS.seeAlso, URIRef("https://opensource.org/licenses/MIT")))
    add((dataset, DCTERMS.source, URIRef("https://icap.wda.gov.tw/")))
    add((dataset, DCTERMS.source, URIRef("https://github.com/JD-Consultant/Caliburn")))
    publisher = BNode()
    add((dataset, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Agent))
    add((publisher, FOAF.name, Literal("tw-ocs 專案維護者", lang="zh-Hant")))
    add((publisher, FOAF.name, Literal("The tw-ocs project maintainers", lang="en")))
    add((dataset, DCTERMS.modified, Literal(manifest["modified"], datatype=XSD.dateTime)))
    _statistics(graph, dataset, base, manifest)
    _access(graph, dataset, base, manifest)
    return graph


def _statistics(graph: Graph, dataset: URIRef, base: str, manifest: dict[str, Any]) -> None:
    """VoID §4: how big the dataset is and what it holds."""
    add = graph.add
    for key, predicate in (
        ("triples", VOID.triples),
        ("subjects", VOID.distinctSubjects),
        ("properties", VOID.properties),
    ):
        if key in manifest:
            add((dataset, predicate, Literal(manifest[key], datatype=XSD.integer)))
    if manifest["classes"]:
        add((dataset, VOID.classes, Literal(len(manifest["classes"]), datatype=XSD.integer)))
    for cls, count in manifest["classes"].items():
        partition = BNode()
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    add((dataset, VOID.uriSpace, Literal(base)))
    add((dataset, VOID.vocabulary, URIRef(str(OCS))))
    add((dataset, VOID.vocabulary, URIRef("http://www.w3.org/2004/02/skos/core#")))
    for example in manifest["examples"]:
        add((dataset, VOID.exampleResource, URIRef(example)))


def _access(graph: Graph, dataset: URIRef, base: str, manifest: dict[str, Any]) -> None:
    """VoID §3 and DCAT §6.8–6.9: the SPARQL endpoint and the dumps, with their sizes and checksums."""
    add = graph.add
    endpoint = URIRef(f"{base}sparql")
    add((dataset, VOID.sparqlEndpoint, endpoint))
    service = URIRef(f"{base}sparql#service")
    add((dataset, DCAT.accessService, service))
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, endpoint))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((service, DCAT.servesDataset, dataset))
    for dump in manifest["dumps"]:
        url = URIRef(f"{base}dumps/{dump['name']}")
        add((dataset, VOID.dataDump, url))
        distribution = URIRef(f"{base}dumps/{dump['name']}#distribution")
        add((dataset, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.title, Literal(dump["name"])))
        add((distribution, DCAT.downloadURL, url))
        add((distribution, DCAT.mediaType, URIRef(IANA + dump["media"])))
        if dump["name"].endswith(".gz"):
            add((distribution, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        add((distribution, DCAT.byteSize, Literal(dump["bytes"], datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        add((distribution, SPDX.checksum, checksum))
        add((checksum, RDF.type, SPDX.Checksum))
        add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        add((checksum, SPDX.checksumValue, Literal(dump["sha256"], datatype=XSD.hexBinary)))
