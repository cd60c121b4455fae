"""The embedded store is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from kg.store.embedded import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _dataset(n: int) -> Dataset:
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://example.org/graph/a"))
    for i in range(n):
        graph.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)))
    return dataset


def _count(store: EmbeddedStore) -> int:
    solution = next(iter(store.open().query(COUNT)))
    return int(solution["n"].value)


def test_replace_serves_the_new_data(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert not store.exists()
    store.replace(_dataset(3))
    assert _count(store) == 3
    store.replace(_dataset(5))
    assert _count(store) == 5
    assert len(list((tmp_path / "builds").iterdir())) <= 2


def test_a_failed_load_keeps_the_served_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(tmp_path)
    store.replace(_dataset(3))
    served = store.link.resolve()

    def broken(self: Dataset, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(Dataset, "serialize", broken)
    with pytest.raises(OSError, match="disk full"):
        store.replace(_dataset(9))
    assert store.link.resolve() == served
    assert _count(store) == 3
    assert len(list((tmp_path / "builds").iterdir())) == 1
