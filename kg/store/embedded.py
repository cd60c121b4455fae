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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph

if TYPE_CHECKING:
    from rdflib import Dataset

T = TypeVar("T")


class EmbeddedStore:
    """A pyoxigraph store in `folder`, built aside and swapped in."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.link = self.folder / "current"

    def exists(self) -> bool:
        return self.link.exists()

    def replace(self, dataset: Dataset, attach: Callable[[pyoxigraph.Store, Path], None] | None = None) -> Path:
        """Load `dataset` (its named graphs) into a new store and serve it from now on.

        `attach(store, folder)` may write files that belong to this build (the dumps) into
        its folder before the swap; if it raises, the build is dropped like a failed load.
        """
        data = dataset.serialize(format="nquads", encoding="utf-8")

        def fill(store: pyoxigraph.Store, folder: Path) -> None:
            store.bulk_load(data, pyoxigraph.RdfFormat.N_QUADS)
            if attach is not None:
                attach(store, folder)

        target, _ = self._aside(None, fill)
        return target

    def open(self) -> pyoxigraph.Store:
        """The served store, read-only."""
        return pyoxigraph.Store.read_only(str(self.link.resolve()))

    def select(self, text: str) -> tuple[list[str], list[list[str]]]:
        """Run a SELECT on the served store (default graph: the union of all graphs);
        its columns, and each row's values as text ("" where unbound)."""
        solutions = self.open().query(text, use_default_graph_as_union=True)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise ValueError("not a SELECT query")
        columns = [variable.value for variable in solutions.variables]
        rows = [[term.value if term is not None else "" for term in solution] for solution in solutions]
        return columns, rows

    def revise(self, change: Callable[[pyoxigraph.Store], T], source: pyoxigraph.Store | None = None) -> tuple[Path, T]:
        """Apply `change` to a copy of the served store, then serve the copy.

        The copy is a checkpoint of the served build (hard links to its immutable
        files), so it is cheap; the swap is the same atomic `current` replacement as
        `replace`, and a `change` that raises leaves the served store as it was.
        `source` is the served build when the caller has it open already.
        Callers serialise revisions: two at once would each miss the other's change.
        """
        origin = source if source is not None else self.open() if self.exists() else None
        return self._aside(origin, lambda store, _: change(store))

    def _aside(self, origin: pyoxigraph.Store | None, fill: Callable[[pyoxigraph.Store, Path], T]) -> tuple[Path, T]:
        """Fill a new build (a copy of `origin`, or empty) and swap it in; on failure, remove it."""
        target = self._new_build()
        try:
            if origin is not None:
                origin.backup(str(target))
            store = pyoxigraph.Store(str(target))
            result = fill(store, target)
            store.flush()
            del store
            self._swap(target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._prune(keep={target.name})
        return target, result

    def _new_build(self) -> Path:
        builds = self.folder / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        return builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"

    def _swap(self, target: Path) -> None:
        """Point `current` at `target` in one atomic rename."""
        temporary = self.folder / f".current-{target.name}"
        temporary.symlink_to(target.relative_to(self.folder))
        os.replace(temporary, self.link)

    def _prune(self, keep: set[str]) -> None:
        """Remove builds older than the served one and the one before it."""
        builds = sorted((self.folder / "builds").iterdir(), key=lambda p: p.name)
        for old in builds[:-2]:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
