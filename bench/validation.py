"""Benchmark SHACL validation time for N standards.

    .venv/bin/python bench/validation.py [--sizes 100 1000] [--seed 1] [--workers N]

The shipped standards (data/) first, then for each size N the synthetic corpus of
`bench/synthetic.py` (shaped like the shipped standards, seed `--seed`). Each corpus is
parsed and mapped once, then validated; it prints the documents, triples, seconds and
the report's counts. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate  # noqa: E402
from kg.build import build  # noqa: E402
from kg.uris import Minter  # noqa: E402
from kg.validate import validate_documents  # noqa: E402


def _validate(label: str, sources: list[Path], workers: int | None) -> None:
    graphs = [document.graph for document in build(sources, Minter()).documents]
    started = time.perf_counter()
    report = validate_documents(graphs, workers=workers)
    seconds = time.perf_counter() - started
    triples = sum(len(graph) for graph in graphs)
    print(f"{label:>14}  {len(graphs):>9}  {triples:>9}  {seconds:>8.2f}  {report.counts()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000], help="synthetic corpus sizes")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    args = parser.parse_args()
    print(f"{'corpus':>14}  {'standards':>9}  {'triples':>9}  {'seconds':>8}  report")
    _validate("shipped", [ROOT / "data"], args.workers)
    with tempfile.TemporaryDirectory(prefix="kg-validation-") as work:
        for size in args.sizes:
            folder = Path(work) / str(size)
            generate(size, args.seed, folder)
            _validate(f"synthetic {size}", [folder], args.workers)


if __name__ == "__main__":
    main()
