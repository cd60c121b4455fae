"""Dumps of the whole graph, written beside each build, and their manifest.

The union of every named graph (documents, ontology, alignment, statistics), as
distinct triples, in three files with fixed names: Turtle, gzipped N-Triples and
JSON-LD compacted with `ontology/context.jsonld`. `manifest.json` holds what the
VoID/DCAT description states about them (W3C VoID §4 statistics, DCAT 3 §6.7
`dcat:byteSize` and `spdx:checksum`): size and SHA-256 of each file, the triple
count, the instances of each class and the build time.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.namespaces import PREFIXES
from kg.settings import ROOT

CONTEXT = ROOT / "ontology" / "context.jsonld"
FOLDER = "dumps"  # inside each build folder
MANIFEST = "manifest.json"
# The only names a dump may have, with their media types (the service refuses any other).
NAMES: dict[str, str] = {
    "tw-ocs.ttl": "text/turtle",
    "tw-ocs.nt.gz": "application/n-triples",
    "tw-ocs.jsonld": "application/ld+json",
}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


def context() -> dict[str, Any]:
    """The JSON-LD context of the data (its `@context` object)."""
    document: dict[str, Any] = json.loads(CONTEXT.read_text(encoding="utf-8"))
    return dict(document["@context"])


def to_jsonld(graph: Graph) -> bytes:
    """`graph` as JSON-LD compacted with the data's context, so it reads as plain JSON."""
    return graph.serialize(format="json-ld", context=context(), auto_compact=True, encoding="utf-8")


def _union(store: ox.Store) -> ox.Store:
    """Every triple of every graph of `store`, once each, in the default graph of a memory store."""
    union = ox.Store()
    union.extend(
        ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
        for quad in store.quads_for_pattern(None, None, None)
    )
    return union


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def write(store: ox.Store, folder: Path) -> dict[str, Any]:
    """Write the dumps of `store` and their manifest into `folder`; the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    union = _union(store)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    default = ox.DefaultGraph()
    union.dump(str(folder / "tw-ocs.ttl"), format=ox.RdfFormat.TURTLE, from_graph=default, prefixes=prefixes)
    triples = union.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=default) or b""
    with gzip.GzipFile(folder / "tw-ocs.nt.gz", "wb", mtime=0) as sink:
        sink.write(triples)
    graph = Graph()
    graph.parse(data=triples.decode("utf-8"), format="nt")
    (folder / "tw-ocs.jsonld").write_bytes(to_jsonld(graph))
    classes: dict[str, int] = {}
    for quad in union.quads_for_pattern(None, _RDF_TYPE, None):
        name = str(quad.object)[1:-1]  # an IRI, written <…>
        classes[name] = classes.get(name, 0) + 1
    standards = sorted({str(quad.subject)[1:-1] for quad in union.quads_for_pattern(None, _SOURCE, None)})
    manifest: dict[str, Any] = {
        "modified": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "triples": len(union),
        "subjects": len({quad.subject for quad in union.quads_for_pattern(None, None, None)}),
        "properties": len({quad.predicate for quad in union.quads_for_pattern(None, None, None)}),
        "classes": dict(sorted(classes.items())),
        "examples": standards[:3],
        "dumps": [
            {"name": name, "media": media, "bytes": (folder / name).stat().st_size, "sha256": _digest(folder / name)}
            for name, media in NAMES.items()
        ],
    }
    temporary = folder / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)
    return manifest


def attach(store: ox.Store, build: Path) -> None:
    """Write the dumps of a new build into the build's own folder (see `EmbeddedStore.replace`)."""
    write(store, build / FOLDER)


def manifest(build: Path | str) -> dict[str, Any] | None:
    """The manifest of the dumps of the build in `build`, or None when it has none."""
    path = Path(build) / FOLDER / MANIFEST
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded


def file(build: Path | str, name: str) -> Path | None:
    """The dump called `name` of the build in `build`; None for any name not in `NAMES` or a missing file."""
    if name not in NAMES:
        return None
    path = Path(build) / FOLDER / name
    return path if path.is_file() else None
