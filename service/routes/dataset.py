"""The dataset describes itself: the ontology at its namespace IRI, the JSON-LD context,
the VoID/DCAT description at `/.well-known/void` (VoID §7.2, RFC 8615) and the dumps.

Dumps are the files `kg build` wrote into the served build, so they swap with it; only
the fixed names of `kg.dumps.NAMES` are answered (no path reaches outside the folder).
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from kg import dumps
from kg.build import ONTOLOGY
from service import ontology_doc, void
from service.deps import SettingsDep
from service.linked_data import SUFFIXES, Served, choose, rdf_response, sparql_link
from service.negotiation import HTML
from service.outcomes import content_type
from service.pages import render
from service.problems import ServiceError

router = APIRouter(tags=["Dataset"])
ONTOLOGY_QUERY = 'CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?g), "graph/ontology")) }'


def _suffix(ext: str) -> str:
    media = SUFFIXES.get("." + ext)
    if media is None:
        names = " ".join(SUFFIXES)
        raise ServiceError(404, f"沒有這種格式 · no such form .{ext}; one of · 可用: {names}")
    return media


def _forms(path: str) -> list[tuple[str, str]]:
    return [
        ("Turtle", f"{path}.ttl"),
        ("JSON-LD", f"{path}.jsonld"),
        ("N-Triples", f"{path}.nt"),
        ("RDF/XML", f"{path}.rdf"),
    ]


async def _ontology(request: Request, media: str | None) -> Response:
    form = choose(request, media)
    source = ONTOLOGY
    tag = hashlib.sha256(source.read_bytes() + form.encode()).hexdigest()[:32]
    headers = {"ETag": f'"{tag}"', "Vary": "Accept"}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    if form == "text/turtle":
        return Response(source.read_bytes(), media_type=content_type(form), headers=headers)
    if form != HTML:
        return await rdf_response(ontology_doc.ontology(), form, headers)
    context = {
        "ontology": ontology_doc.header(),
        "sections": ontology_doc.sections(),
        "forms": _forms("/ontology"),
        "iri": ontology_doc.ONTOLOGY_IRI,
        "sparql": sparql_link(ONTOLOGY_QUERY),
    }
    return render(request, "ld/ontology.html", context, headers=headers)


@router.api_route("/ontology", methods=["GET", "HEAD"], name="ontology")
async def ontology(request: Request) -> Response:
    """The ontology at its namespace IRI `…/ontology#`: documentation for browsers, RDF for clients."""
    return await _ontology(request, None)


@router.api_route("/ontology.{ext}", methods=["GET", "HEAD"], name="ontology-form")
async def ontology_form(request: Request, ext: str) -> Response:
    return await _ontology(request, _suffix(ext))


@router.api_route("/context.jsonld", methods=["GET", "HEAD"], name="context")
async def context() -> Response:
    """The JSON-LD context of the data (JSON-LD 1.1 §3.1), used by every JSON-LD answer and dump."""
    return FileResponse(dumps.CONTEXT, media_type="application/ld+json")


async def _void(request: Request, settings: SettingsDep, media: str | None) -> Response:
    form = choose(request, media)
    served = Served.of(settings)
    # A build changed by SPARQL Update has no dumps of its own: it is described without them.
    manifest = served.manifest() or void.without_dumps(served.modified.isoformat())
    headers = served.headers("void", form)
    unchanged = served.unchanged(request, headers)
    if unchanged is not None:
        return unchanged
    graph = void.describe(settings.base_iri, manifest)
    if form != HTML:
        return await rdf_response(graph, form, headers)
    context = {
        "manifest": manifest,
        "forms": _forms("/.well-known/void"),
        "iri": str(void.dataset_iri(settings.base_iri)),
        "statement": void.SOURCE_STATEMENT,
        "sparql": "/sparql",
    }
    return render(request, "ld/dataset.html", context, headers=headers)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], name="void")
async def void_description(request: Request, settings: SettingsDep) -> Response:
    """VoID §7.2: the description of the dataset at the well-known path."""
    return await _void(request, settings, None)


@router.api_route("/.well-known/void.{ext}", methods=["GET", "HEAD"], name="void-form")
async def void_form(request: Request, settings: SettingsDep, ext: str) -> Response:
    return await _void(request, settings, _suffix(ext))


@router.api_route("/dumps", methods=["GET", "HEAD"], name="dumps-listing", include_in_schema=False)
@router.api_route("/dumps/", methods=["GET", "HEAD"], name="dumps")
async def listing(request: Request, settings: SettingsDep) -> Response:
    """The dumps of the served build, with size and SHA-256."""
    served = Served.of(settings)
    context: dict[str, object] = {"manifest": served.manifest(), "forms": [], "iri": "", "sparql": "/sparql"}
    return render(request, "ld/dumps.html", context, headers=served.headers("dumps"))


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], name="dump")
async def dump(request: Request, name: str, settings: SettingsDep) -> Response:
    """One dump file, by its fixed name only."""
    if name not in dumps.NAMES:
        raise ServiceError(404, f"沒有這個傾印檔 · no dump named {name!r}; one of · 可用: {', '.join(dumps.NAMES)}")
    served = Served.of(settings)
    path = dumps.file(served.folder, name)
    if path is None:
        raise ServiceError(404, f"此版本沒有 {name} · the served build has no {name}; run `kg build` to make it")
    media = "application/gzip" if name.endswith(".gz") else content_type(dumps.NAMES[name])
    headers = served.headers("dump", name)
    headers["Last-Modified"] = format_datetime(served.modified, usegmt=True)
    unchanged = served.unchanged(request, headers)
    if unchanged is not None:
        return unchanged
    return FileResponse(path, media_type=media, filename=name, headers=headers)
