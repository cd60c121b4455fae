"""Every namespace the graph uses, declared once."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

OCS = Namespace("https://w3id.org/tw-ocs/ontology#")
ESCO = Namespace("http://data.europa.eu/esco/model#")
ISCO = Namespace("http://data.europa.eu/esco/isco/")
CEASN = Namespace("https://purl.org/ctdlasn/terms/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")

DEFAULT_BASE = "https://w3id.org/tw-ocs/"

PREFIXES: dict[str, Namespace] = {
    "ocs": OCS,
    "esco": ESCO,
    "isco": ISCO,
    "ceasn": CEASN,
    "ceterms": CETERMS,
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "dcat": Namespace(str(DCAT)),
    "prov": Namespace(str(PROV)),
    "schema": Namespace(str(SDO)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": SH,
}
