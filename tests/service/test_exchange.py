"""Each seed standard as a CASE 1.1 package (valid against the schema, counts round-trip) and
as a CTDL-ASN framework."""

from __future__ import annotations

import json

import httpx
import jsonschema
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from kg.build import build
from kg.exchange import case
from kg.namespaces import DEFAULT_BASE
from kg.uris import Minter
from tests.conftest import ROOT, SEEDS
from tests.service.live import Live

SCHEMA = json.loads((ROOT / "kg" / "exchange" / "case-1.1.schema.json").read_text())
CEASN = Namespace("https://purl.org/ctdlasn/terms/")


def model_counts(code: str) -> dict[str, int]:
    document = next(d for d in build([SEEDS[code]], Minter(DEFAULT_BASE)).documents if d.standard.code == code)
    counts = document.counts()
    return {
        "duty": counts["duties"],
        "task": counts["tasks"],
        "indicator": counts["indicators"],
        "output": counts["outputs"],
        "knowledge": counts["K"],
        "skill": counts["S"],
        "attitude": counts["A"],
    }


@pytest.mark.parametrize("code", sorted(SEEDS))
def test_case_package_validates_and_round_trips(live: Live, code: str) -> None:
    iri = f"{DEFAULT_BASE}standard/{code}"
    listing = httpx.get(f"{live.url}/ims/case/v1p1/CFDocuments").json()["CFDocuments"]
    entry = next(document for document in listing if document["uri"] == iri)
    answer = httpx.get(f"{live.url}/ims/case/v1p1/CFPackages/{entry['identifier']}")
    assert answer.status_code == 200
    package = answer.json()
    jsonschema.validate(package, SCHEMA)
    assert package["CFDocument"]["identifier"] == case.identifier(iri)
    assert case.counts(package) == model_counts(code)
    items = {item["identifier"] for item in package["CFItems"]}
    child = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(child) == len(items), "every item has its parent"
    assert all(a["originNodeURI"]["identifier"] in items for a in child)
    matches = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    expected = model_counts(code)
    assert len(matches) == expected["knowledge"] + expected["skill"] + expected["attitude"]
    by_code = httpx.get(f"{live.url}/ims/case/v1p1/CFPackages/{code}").json()
    assert by_code["CFDocument"] == package["CFDocument"]


def test_case_refuses_bad_identifiers(live: Live) -> None:
    assert httpx.get(f"{live.url}/ims/case/v1p1/CFPackages/00000000-0000-5000-8000-000000000000").status_code == 404
    bad = httpx.get(f"{live.url}/ims/case/v1p1/CFPackages/%3Cscript%3E")
    assert bad.status_code == 400
    assert "sourcedId" in bad.text


@pytest.mark.parametrize("code", sorted(SEEDS))
def test_ctdl_framework(live: Live, code: str) -> None:
    answer = httpx.get(f"{live.url}/ctdl/frameworks/{code}")
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="json-ld")
    frameworks = list(graph.subjects(RDF.type, CEASN.CompetencyFramework))
    assert [str(f) for f in frameworks] == [f"{DEFAULT_BASE}standard/{code}"]
    competencies = set(graph.subjects(RDF.type, CEASN.Competency))
    assert len(competencies) == sum(model_counts(code).values())
    top = set(graph.objects(frameworks[0], CEASN.hasTopChild))
    expected = model_counts(code)
    assert len(top) == expected["duty"] + expected["knowledge"] + expected["skill"] + expected["attitude"]
