"""Benchmark dereferencing: latency of each form for URIs of each kind, on a build of DATA.

    .venv/bin/python bench/dereference.py [DATA ...] [--per-kind 20]

Builds the data (default `data/`) into a temporary store, starts the service on a
loopback port, takes up to `--per-kind` URIs of each kind from the dump, fetches each
in HTML and in every RDF form one after another on one connection, and prints the
median and p95 latency per kind and form. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.namespaces import DEFAULT_BASE  # noqa: E402
from tests.service.live import running  # noqa: E402

FORMS = ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")


def kind(iri: str) -> str:
    parts = iri[len(DEFAULT_BASE) :].split("/")
    if parts[0] == "classification":
        return "/".join(parts[:2])
    return parts[::2][-1] if parts[0] == "standard" else parts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="*", type=Path, default=[ROOT / "data"])
    parser.add_argument("--per-kind", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running(Path(folder) / "store", data=args.data) as live:
        dump = next((Path(folder) / "store" / "current" / "dumps").glob("*.nt.gz"))
        iris = sorted(
            set(re.findall(rf"<({re.escape(DEFAULT_BASE)}[^>#]+)>", gzip.decompress(dump.read_bytes()).decode()))
        )
        by_kind: dict[str, list[str]] = defaultdict(list)
        for iri in iris:
            by_kind[kind(iri)].append(iri)
        print(f"{len(iris)} URIs under {DEFAULT_BASE}; up to {args.per_kind} of each kind")
        print(f"{'kind':<28}{'form':<24}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}")
        with httpx.Client(base_url=live.url, timeout=60) as client:
            for name, group in sorted(by_kind.items()):
                for media in FORMS:
                    times = []
                    for iri in group[: args.per_kind]:
                        started = time.perf_counter()
                        answer = client.get("/" + iri[len(DEFAULT_BASE) :], headers={"Accept": media})
                        times.append((time.perf_counter() - started) * 1000)
                        if answer.status_code != 200:
                            print(f"  {iri}: {answer.status_code}")
                    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
                    print(f"{name:<28}{media:<24}{len(times):>4}{statistics.median(times):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
