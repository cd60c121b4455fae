"""Dereferenceable URIs: every IRI under `KG_BASE_IRI` answers at the same path on this service.

Slash URIs answered with a direct 200 (Cool URIs for the Semantic Web §4.2 allows
either 303 or, since HTTP range-14 was relaxed, a 200 with the description; see
docs/linked-data.md): one request gives the data, `Vary: Accept` tells caches that the
form depends on the header. Browsers get a page, other clients Turtle, JSON-LD,
N-Triples or RDF/XML; a suffix (`.ttl` `.jsonld` `.nt` `.rdf` `.html`) picks the form
without headers. An IRI the graph does not mention is a 404 page with a search box and
the nearest codes and labels, never a 500.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.responses import Response

from kg.namespaces import OCS
from kg.queries import load as load_queries
from kg.settings import Settings
from kg.store.query import QueryPool
from service import resource_queries as texts
from service.deps import PoolDep, SettingsDep
from service.linked_data import (
    FORM_NAMES,
    RDF_FORMS,
    Served,
    choose,
    construct,
    safe_iri,
    select,
    sparql_link,
    split_suffix,
    to_graph,
    triples,
    triples_response,
)
from service.negotiation import HTML
from service.pages import render
from service.resource_views import Link, label, level_number, local, resource_view, standard_view


class _AnyPath(PathConvertor):
    """A path that may hold any character, a newline too: a code with a line break in the source
    (e.g. a job-category cell `HBR\nNFP`) is minted percent-encoded, and Starlette decodes it
    before matching, where the `path` convertor's `.*` would stop at the newline."""

    regex = "(?s:.*)"


register_url_convertor("anypath", _AnyPath())
router = APIRouter(tags=["Linked data"])

_CONCEPTS = {OCS.KnowledgeConcept, OCS.SkillConcept, OCS.AttitudeConcept}
_SCHEMES = {OCS.JobCategory, OCS.Occupation, OCS.Industry}


def forms(path: str) -> list[tuple[str, str]]:
    """(name, link) of each RDF form of the resource at `path`."""
    return [(FORM_NAMES[media], path + suffix) for media, suffix in RDF_FORMS.items()]


async def not_found(request: Request, settings: Settings, pool: QueryPool, served: Served, path: str) -> Response:
    """404 with a search box and the resources whose code or label holds a part of the path."""
    segments = [unquote(part) for part in path.strip("/").split("/")[1:] if part]
    # Each segment, and a code without its version suffix (IIS3513-006v9 → IIS3513-006).
    candidates = {term for segment in segments for term in (segment, re.sub(r"v\d+$", "", segment))}
    terms = sorted({term.lower()[:80] for term in candidates if len(term) >= 2}, key=len, reverse=True)[:4]
    found = await select(pool, settings, served, texts.nearest(terms)) if terms else []
    matches = [Link(local(row["s"], settings.base_iri), row["label"]) for row in found]
    context = {"path": path, "query": segments[-1] if segments else "", "matches": matches}
    return render(request, "ld/not_found.html", context, status=404)


async def _standard(settings: Settings, pool: QueryPool, served: Served, iri: str) -> dict[str, Any] | None:
    """The context of a standard page, or None when the IRI has no document of its own (an old version)."""
    text = texts.document(iri)
    graph = await construct(pool, settings, served, text)
    if not graph:
        return None
    view = standard_view(graph, iri, settings.base_iri)
    similar_query = load_queries()["similar-standards"].bind({"standard": [view.code]}, 10, 0)
    similar = await select(pool, settings, served, similar_query)
    return {
        "standard": view,
        "similar": similar,
        "similar_sparql": sparql_link(similar_query),
        "sparql": sparql_link(text),
    }


async def _concept(settings: Settings, pool: QueryPool, served: Served, iri: str) -> dict[str, Any]:
    text = texts.concept_use(iri)
    rows = await select(pool, settings, served, text)
    uses: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = uses.setdefault(
            row["standard"],
            {
                "link": Link(local(row["standard"], settings.base_iri), row.get("name", ""), row["code"]),
                "items": set(),
                "tasks": {},
            },
        )
        entry["items"].add(row["itemCode"])
        if "task" in row:
            task = entry["tasks"].setdefault(
                row["task"],
                {
                    "link": Link(local(row["task"], settings.base_iri), row["taskLabel"], row["taskCode"]),
                    "levels": set(),
                },
            )
            task["levels"].add(level_number(row.get("level")))
    return {"uses": list(uses.values()), "use_sparql": sparql_link(text)}


@router.api_route("/standard/{rest:anypath}", methods=["GET", "HEAD"], name="standard")
@router.api_route("/knowledge/{rest:anypath}", methods=["GET", "HEAD"], name="knowledge")
@router.api_route("/skill/{rest:anypath}", methods=["GET", "HEAD"], name="skill")
@router.api_route("/attitude/{rest:anypath}", methods=["GET", "HEAD"], name="attitude")
@router.api_route("/classification/{rest:anypath}", methods=["GET", "HEAD"], name="classification")
@router.api_route("/graph/{rest:anypath}", methods=["GET", "HEAD"], name="graph")
async def resource(request: Request, rest: str, settings: SettingsDep, pool: PoolDep) -> Response:
    """Any IRI under the base: request path → `KG_BASE_IRI` + path (percent-encoding kept)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path, suffix_media = split_suffix(raw.decode("latin-1"))
    media = choose(request, suffix_media)
    served = Served.of(settings)
    iri = settings.base_iri + path.lstrip("/")
    if not safe_iri(iri):
        return await not_found(request, settings, pool, served, path)
    headers = served.headers(iri, media)
    unchanged = served.unchanged(request, headers)
    if unchanged is not None:
        return unchanged
    text = texts.named_graph(iri) if path.startswith("/graph/") else texts.describe(iri)
    data = await triples(pool, settings, served, text)
    if not data.strip():
        return await not_found(request, settings, pool, served, path)
    if media != HTML:
        return await triples_response(data, media, headers)
    graph = await asyncio.to_thread(to_graph, data)
    context = await _page(settings, pool, served, graph, iri=iri, path=path, text=text)
    template = context.pop("template")
    return render(request, template, context, headers=headers)


async def _page(
    settings: Settings, pool: QueryPool, served: Served, graph: Graph, *, iri: str, path: str, text: str
) -> dict[str, Any]:
    """The template and context of the page of `iri`, whose description (or named graph) is `graph`."""
    node = URIRef(iri)
    is_graph = path.startswith("/graph/")
    context: dict[str, Any] = {
        "template": "ld/resource.html",
        "iri": iri,
        "path": path,
        "forms": forms(path),
        "sparql": sparql_link(text),
        "title": iri if is_graph else label(graph, node),
        "is_graph": is_graph,
    }
    if is_graph:
        standards = sorted(set(graph.subjects(RDF.type, OCS.CompetencyStandard)), key=str)
        context["triples"] = len(graph)
        context["subjects"] = [Link(local(str(s), settings.base_iri), label(graph, s)) for s in standards]
        return context
    context["view"] = resource_view(graph, iri, settings.base_iri)
    types = set(graph.objects(node, RDF.type))
    if OCS.CompetencyStandard in types:
        page = await _standard(settings, pool, served, iri)
        if page is not None:  # a version listed by another document but not loaded itself: the plain page
            context |= page | {"template": "ld/standard.html"}
    elif types & _CONCEPTS:
        context |= await _concept(settings, pool, served, iri) | {"template": "ld/concept.html"}
    elif types & _SCHEMES:
        isco = [str(match) for match in graph.objects(node, SKOS.closeMatch)]
        context |= {"template": "ld/classification.html", "isco": isco}
    return context
