"""The embedded store: pyoxigraph on disk, replaced atomically on each build.

Layout under the store folder: `builds/<id>/` holds one complete store each, and the
symbolic link `current` names the one being served. A build loads into a new folder
and only then swaps the link (`os.replace` is atomic), so a failed build never
replaces the served data and readers never see a half-loaded graph.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph
from rdflib import Dataset


class EmbeddedStore:
    """A pyoxigraph store in `folder`, built aside and swapped in."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.link = self.folder / "current"

    def exists(self) -> bool:
        return self.link.exists()

    def replace(self, dataset: Dataset) -> Path:
        """Load `dataset` (its named graphs) into a new store and serve it from now on."""
        builds = self.folder / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            store = pyoxigraph.Store(str(target))
            store.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), pyoxigraph.RdfFormat.N_QUADS)
            store.flush()
            del store
            temporary = self.folder / f".current-{target.name}"
            temporary.symlink_to(target.relative_to(self.folder))
            os.replace(temporary, self.link)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._prune(keep={target.name})
        return target

    def open(self) -> pyoxigraph.Store:
        """The served store, read-only."""
        return pyoxigraph.Store.read_only(str(self.link.resolve()))

    def _prune(self, keep: set[str]) -> None:
        """Remove builds older than the served one and the one before it."""
        builds = sorted((self.folder / "builds").iterdir(), key=lambda p: p.name)
        for old in builds[:-2]:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
