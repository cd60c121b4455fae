"""Benchmark SHACL validation time for N standards.

    .venv/bin/python bench/validation.py [--sizes 52 100 1000] [--workers N]

Until the synthetic corpus generator exists, N standards are the shipped ones
(data/) repeated in turn, each copy under its own well-formed standard code,
so the documents have the real shapes, defects and sizes. Each size is parsed and
mapped once, then validated; it prints the documents, triples, seconds and the
report's counts. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.mapping import to_graph  # noqa: E402
from kg.uris import Minter  # noqa: E402
from kg.validate import validate_documents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[52, 100, 1000])
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    args = parser.parse_args()
    minter = Minter()
    shipped = [document.standard for document in build([ROOT / "data"], minter).documents]
    print(f"{'standards':>9}  {'triples':>9}  {'seconds':>8}  report")
    for size in args.sizes:
        graphs = []
        for index in range(size):
            standard = copy.deepcopy(shipped[index % len(shipped)])
            if index >= len(shipped):
                standard.code = f"{standard.code[:7]}-{index % 1000:03d}v{index // 1000 + 1}"
            graphs.append(to_graph(standard, minter))
        started = time.perf_counter()
        report = validate_documents(graphs, workers=args.workers)
        seconds = time.perf_counter() - started
        triples = sum(len(graph) for graph in graphs)
        print(f"{size:>9}  {triples:>9}  {seconds:>8.2f}  {report.counts()}")


if __name__ == "__main__":
    main()
