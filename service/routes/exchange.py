"""Exchange formats of one standard, read from its document graph in the store.

1EdTech CASE Service 1.1 paths (`/ims/case/v1p1/CFDocuments`, `…/CFPackages/{sourcedId}`,
where the id is the document's UUID or, for convenience, the standard's code) and a
CTDL-ASN framework at `/ctdl/frameworks/{code}`. The mappings are in `kg.exchange`.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from kg.exchange import case, ctdl
from service import resource_queries as texts
from service.deps import PoolDep, SettingsDep
from service.linked_data import Served, construct, select
from service.problems import ServiceError

router = APIRouter(tags=["Exchange formats"])

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-~]{0,63}")
_STANDARDS = f"""{texts.PREFIXES}
SELECT ?standard ?code ?name WHERE {{
  GRAPH ?g {{ ?standard dcterms:source ?source ; skos:notation ?code . OPTIONAL {{ ?standard skos:prefLabel ?name }} }}
}} ORDER BY ?code"""


async def _standards(settings: SettingsDep, pool: PoolDep, served: Served) -> list[dict[str, str]]:
    return await select(pool, settings, served, _STANDARDS)


async def _find(settings: SettingsDep, pool: PoolDep, served: Served, key: str, name: str) -> str:
    """The IRI of the standard whose CASE identifier or code is `key`."""
    if not (_UUID.fullmatch(key) or _CODE.fullmatch(key)):
        raise ServiceError(400, f"{name} 須為 UUID 或職能基準代碼 · {name} must be a UUID or a standard code: {key!r}")
    for row in await _standards(settings, pool, served):
        if key in {row["code"], case.identifier(row["standard"])} or key.lower() == case.identifier(row["standard"]):
            return row["standard"]
    raise ServiceError(404, f"找不到職能基準 · no standard with {name} {key!r}")


def _changed(served: Served) -> str:
    manifest = served.manifest()
    return str(manifest["modified"]) if manifest else served.modified.isoformat()


async def _document(settings: SettingsDep, pool: PoolDep, served: Served, iri: str) -> Any:
    return await construct(pool, settings, served, texts.document(iri))


@router.get("/ims/case/v1p1/CFDocuments", name="case-documents")
async def documents(settings: SettingsDep, pool: PoolDep) -> Response:
    """CASE 1.1 getAllCFDocuments: every loaded standard as a CFDocument."""
    served = Served.of(settings)
    changed = _changed(served)
    rows = await _standards(settings, pool, served)
    listing = [
        {
            "identifier": case.identifier(row["standard"]),
            "uri": row["standard"],
            "creator": case.CREATOR,
            "title": f"{row['code']} {row.get('name', '')}".strip(),
            "lastChangeDateTime": changed,
            "CFPackageURI": {
                "title": row["code"],
                "identifier": case.identifier(row["standard"]),
                "uri": f"{settings.base_iri}ims/case/v1p1/CFPackages/{case.identifier(row['standard'])}",
            },
        }
        for row in rows
    ]
    return JSONResponse({"CFDocuments": listing}, headers=served.headers("case-documents"))


@router.get("/ims/case/v1p1/CFPackages/{sourced_id}", name="case-package")
async def cf_package(sourced_id: str, settings: SettingsDep, pool: PoolDep) -> Response:
    """CASE 1.1 getCFPackage: the standard, its items and their associations."""
    served = Served.of(settings)
    iri = await _find(settings, pool, served, sourced_id, "sourcedId")
    graph = await _document(settings, pool, served, iri)
    body = await asyncio.to_thread(case.from_graph, graph, iri, _changed(served))
    return JSONResponse(body, headers=served.headers("case", iri))


@router.get("/ctdl/frameworks/{code}", name="ctdl-framework")
async def ctdl_framework(code: str, settings: SettingsDep, pool: PoolDep) -> Response:
    """The standard as a CTDL-ASN competency framework (JSON-LD)."""
    served = Served.of(settings)
    iri = await _find(settings, pool, served, code, "code")
    graph = await _document(settings, pool, served, iri)
    body = await asyncio.to_thread(ctdl.from_graph, graph, iri, _changed(served))
    return JSONResponse(body, media_type="application/ld+json", headers=served.headers("ctdl", iri))
