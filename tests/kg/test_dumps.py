"""Dumps: written into each build by `kg build`, swapped with it, kept when a build fails,
and written again by `kg export`."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg import dumps
from tests.conftest import SEEDS
from tests.kg.test_cli import kg

SEED = SEEDS["IIS3513-006v4"]


def _env(store: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    return env | {"KG_STORE": str(store)}


def _check(folder: Path, manifest: dict[str, object], store: ox.Store) -> None:
    """The files in `folder` are what `manifest` says, and hold the union of the store's graphs."""
    union = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)}
    assert manifest["triples"] == len(union)
    entries = manifest["dumps"]
    assert isinstance(entries, list)
    assert [entry["name"] for entry in entries] == list(dumps.NAMES)
    for entry in entries:
        data = (folder / entry["name"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    nt = gzip.decompress((folder / "tw-ocs.nt.gz").read_bytes()).decode()
    assert len([line for line in nt.splitlines() if line.strip()]) == len(union)
    assert len(Graph().parse(folder / "tw-ocs.ttl", format="turtle")) == len(union)
    document = json.loads((folder / "tw-ocs.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["notation"] == {"@id": "skos:notation"}, "compacted with the data's context"
    assert len(Graph().parse(folder / "tw-ocs.jsonld", format="json-ld")) == len(union)


def test_build_writes_dumps_and_a_failed_build_keeps_them(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = kg("build", SEED, env=_env(store))
    assert done.returncode == 0, done.stderr
    served = (store / "current").resolve()
    manifest = dumps.manifest(served)
    assert manifest is not None
    _check(served / dumps.FOLDER, manifest, ox.Store.read_only(str(served)))
    before = (served / dumps.FOLDER / "tw-ocs.ttl").read_bytes()

    broken = tmp_path / "broken.json"
    broken.write_text('{"ocs_profile": {', encoding="utf-8")
    failed = kg("build", SEED, broken, env=_env(store))
    assert failed.returncode != 0
    assert (store / "current").resolve() == served
    assert (served / dumps.FOLDER / "tw-ocs.ttl").read_bytes() == before


def test_export_writes_the_same_files(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("build", SEED, env=_env(store)).returncode == 0
    out = tmp_path / "out"
    done = kg("export", "--out", out, env=_env(store))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / dumps.MANIFEST).read_text(encoding="utf-8"))
    served = (store / "current").resolve()
    _check(out, manifest, ox.Store.read_only(str(served)))
    built = dumps.manifest(served)
    assert built is not None
    assert built["triples"] == manifest["triples"]
    assert sorted(os.listdir(out)) == sorted([*dumps.NAMES, dumps.MANIFEST])


def test_export_without_a_store_says_so(tmp_path: Path) -> None:
    done = kg("export", "--out", tmp_path / "out", env=_env(tmp_path / "none"))
    assert done.returncode == 1
    assert "kg build" in done.stderr
