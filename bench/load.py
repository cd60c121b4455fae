"""Load test: loopback clients hammer the real service over a realistic mix; prints what it saw.

    make loadtest                                   # shipped data, then 1,000 synthetic standards
    .venv/bin/python bench/load.py --clients 16 --seconds 60 --synthetic 1000 --json out.json

For each corpus the store is built with `kg build`, the service started as `kg serve`
would (default settings: result cache on, no budget), and `--clients` asyncio clients
(httpx.AsyncClient, one connection each) send requests back to back for `--seconds`
after a warm-up of `--warmup` seconds. The mix, by weight, over every standard's code:

| kind | request |
| --- | --- |
| lookup | SPARQL: every property of one standard (a point lookup by IRI) |
| page | its linked-data page, Turtle or HTML (`/standard/{code}`), when the route exists |
| named | a named query (`/api/queries/…`: a standard's outline, tasks at a level, skill ranking) |
| sparql | ad-hoc SPARQL: a label search with CONTAINS, a count by class |
| search | the search page (`/search?q=`), when it exists |
| dump | the dumps listing (`/dumps/`), when it exists |

Routes that answer 404 to a probe are left out and reported as absent. It reports
throughput, p50/p95/p99 latency per kind, errors (any status >= 400 or transport
error), and the resident memory (VmRSS) of the service process plus its query workers
after the warm-up and at the end. Goals: 0 errors, p99 of point lookups (lookup, page)
<= 50 ms, RSS growth <= 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.client import percentile  # noqa: E402
from tests.service.live import Live, running  # noqa: E402  (the one way the tests start the service)

POINT = ("lookup", "page")
GOAL_P99_MS = 50.0
GOAL_RSS_GROWTH = 0.10
PREFIXES = "PREFIX ocs: <https://w3id.org/tw-ocs/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
STANDARDS = (
    PREFIXES + "SELECT ?s ?code ?label { ?s a ocs:CompetencyStandard ; skos:notation ?code ; skos:prefLabel ?label }"
)
LABEL_SEARCH = PREFIXES + 'SELECT ?s { ?s skos:prefLabel ?l FILTER(CONTAINS(?l, "WORD")) } LIMIT 20'

Request = tuple[str, str, dict[str, str], dict[str, str]]  # kind, path, params, headers


@dataclass
class Corpus:
    codes: list[str]
    iris: list[str]
    words: list[str]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)


def build(label: str, sources: list[Path], store: Path) -> float:
    """`kg build` of `sources` into `store`; the seconds it took."""
    began = time.perf_counter()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")} | {"KG_STORE": str(store)}
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, sources)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{label}: kg build failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - began


def rss_kib(pid: int) -> int:
    """VmRSS of `pid` and of its children (the query workers), in KiB."""
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for process in [pid, *map(int, children)]:
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def corpus(live: Live) -> Corpus:
    query = (
        PREFIXES
        + "SELECT ?s ?code ?label { ?s a ocs:CompetencyStandard ; skos:notation ?code ; skos:prefLabel ?label }"
    )
    rows = httpx.get(live.sparql, params={"query": query}, timeout=60).json()["results"]["bindings"]
    words = sorted({row["label"]["value"][:2] for row in rows if len(row["label"]["value"]) >= 2})
    standards = dict(sorted({row["s"]["value"]: row["code"]["value"] for row in rows}.items()))
    return Corpus(list(standards.values()), list(standards), words)


def present(live: Live, path: str, params: dict[str, str]) -> bool:
    return httpx.get(f"{live.url}{path}", params=params, timeout=60).status_code != 404


def mix(live: Live, data: Corpus) -> tuple[list[tuple[int, Callable[[random.Random], Request]]], list[str]]:
    """The weighted request makers for the routes this service has, and the kinds it lacks."""
    turtle, html = {"Accept": "text/turtle"}, {"Accept": "text/html"}
    makers: list[tuple[int, Callable[[random.Random], Request]]] = [
        (30, lambda r: ("lookup", "/sparql", {"query": f"SELECT ?p ?o {{ <{r.choice(data.iris)}> ?p ?o }}"}, {})),
        (10, lambda r: ("named", "/api/queries/standard-outline", {"standard": r.choice(data.codes)}, {})),
        (4, lambda r: ("named", "/api/queries/tasks-at-level", {"level": str(r.randint(1, 6)), "limit": "50"}, {})),
        (3, lambda r: ("named", "/api/queries/skill-frequency", {"level": str(r.randint(1, 5)), "limit": "20"}, {})),
        (
            6,
            lambda r: (
                "sparql",
                "/sparql",
                {
                    "query": PREFIXES
                    + f'SELECT ?s {{ ?s skos:prefLabel ?l FILTER(CONTAINS(?l, "{r.choice(data.words)}")) }} LIMIT 20'
                },
                {},
            ),
        ),
        (2, lambda r: ("sparql", "/sparql", {"query": "SELECT ?t (COUNT(?s) AS ?n) { ?s a ?t } GROUP BY ?t"}, {})),
    ]
    absent = []
    if present(live, f"/standard/{data.codes[0]}", {}):
        makers.append((20, lambda r: ("page", f"/standard/{r.choice(data.codes)}", {}, r.choice([turtle, html]))))
    else:
        absent.append("page")
    if present(live, "/search", {"q": data.words[0]}):
        makers.append((8, lambda r: ("search", "/search", {"q": r.choice(data.words)}, {})))
    else:
        absent.append("search")
    if present(live, "/dumps/", {}):
        makers.append((2, lambda r: ("dump", "/dumps/", {}, {})))
    else:
        absent.append("dump")
    return makers, absent


async def client(
    live: Live, makers: list[tuple[int, Callable[[random.Random], Request]]], seed: int, until: float, tally: Tally
) -> None:
    rng = random.Random(seed)
    weights = [weight for weight, _ in makers]
    async with httpx.AsyncClient(base_url=live.url, timeout=30, limits=httpx.Limits(max_connections=1)) as http:
        while (now := time.perf_counter()) < until:
            kind, path, params, headers = rng.choices(makers, weights)[0][1](rng)
            try:
                response = await http.get(path, params=params, headers=headers)
                await response.aread()
                failed = response.status_code >= 400
                status = str(response.status_code)
            except httpx.HTTPError as error:
                failed, status = True, type(error).__name__
            tally.latencies[kind].append(time.perf_counter() - now)
            if failed:
                tally.errors[kind] += 1
                if len(tally.samples) < 5:
                    tally.samples.append(f"{kind} {path} {params}: {status}")


def run(label: str, store: Path, clients: int, seconds: float, warmup: float, *, exclude: list[str]) -> dict[str, Any]:
    with running(store, token=None) as live:
        data = corpus(live)
        makers, absent = mix(live, data)
        makers = [(weight, make) for weight, make in makers if make(random.Random(0))[0] not in exclude]

        async def drive(duration: float, tally: Tally) -> None:
            until = time.perf_counter() + duration
            await asyncio.gather(*(client(live, makers, seed, until, tally) for seed in range(clients)))

        asyncio.run(drive(warmup, Tally()))
        rss_start = rss_kib(live.process.pid)
        tally = Tally()
        began = time.perf_counter()
        asyncio.run(drive(seconds, tally))
        elapsed = time.perf_counter() - began
        rss_end = rss_kib(live.process.pid)
    kinds = {}
    for kind, values in sorted(tally.latencies.items()):
        kinds[kind] = {
            "requests": len(values),
            "per_second": len(values) / elapsed,
            "p50_ms": percentile(values, 0.50) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
            "p99_ms": percentile(values, 0.99) * 1000,
            "errors": tally.errors[kind],
        }
    total = sum(len(values) for values in tally.latencies.values())
    return {
        "corpus": label,
        "standards": len(data.codes),
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "per_second": total / elapsed,
        "errors": sum(tally.errors.values()),
        "error_samples": tally.samples,
        "kinds": kinds,
        "absent": absent,
        "rss_start_mib": rss_start / 1024,
        "rss_end_mib": rss_end / 1024,
        "rss_growth": rss_end / rss_start - 1,
    }


def report(result: dict[str, Any]) -> str:
    kinds: dict[str, dict[str, float]] = result["kinds"]
    lines = [
        f"### {result['corpus']}: {result['standards']} standards, {result['clients']} clients, {result['seconds']} s",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in kinds.items():
        lines.append(
            f"| {kind} | {row['requests']:.0f} | {row['per_second']:.1f} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']:.0f} |"
        )
    lines.append(f"| **all** | {result['requests']} | {result['per_second']:.1f} | | | | {result['errors']} |")
    worst = max((kinds[kind]["p99_ms"] for kind in POINT if kind in kinds), default=float("nan"))
    growth: float = result["rss_growth"]
    lines += [
        "",
        f"RSS (service + workers): {result['rss_start_mib']:.0f} MiB after warm-up → {result['rss_end_mib']:.0f} MiB "
        f"at the end ({growth:+.1%}).",
        f"Goals: errors 0 → {result['errors']}; p99 of point lookups ≤ {GOAL_P99_MS:.0f} ms → {worst:.1f} ms; "
        f"RSS growth ≤ {GOAL_RSS_GROWTH:.0%} → {growth:+.1%}.",
    ]
    if result.get("excluded"):
        lines.append(f"Left out of the mix on purpose: {', '.join(result['excluded'])}.")
    if result["absent"]:
        lines.append(f"Not present at run time (not measured): {', '.join(result['absent'])}.")
    if result["error_samples"]:
        lines.append(f"First errors: {result['error_samples']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before the first RSS reading")
    parser.add_argument("--synthetic", type=int, default=1000, help="synthetic standards (0: shipped data only)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--synthetic-store", type=Path, help="a store kg build made of that synthetic corpus already (skips the build)"
    )
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped data")
    parser.add_argument("--exclude", action="append", default=[], metavar="KIND", help="leave a kind out of the mix")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-load-") as folder:
        work = Path(folder)
        corpora: list[tuple[str, list[Path]]] = [] if args.no_shipped else [("shipped data (data/)", [ROOT / "data"])]
        skipped = None
        if args.synthetic:
            try:
                from bench import synthetic
            except ImportError:
                skipped = f"synthetic N={args.synthetic}: not run (bench/synthetic.py is not present)"
            else:
                if args.synthetic_store is None:
                    synthetic.generate(args.synthetic, args.seed, work / "synthetic")
                corpora.append((f"synthetic N={args.synthetic}, seed {args.seed}", [work / "synthetic"]))
        for index, (label, sources) in enumerate(corpora):
            store = work / f"store-{index}"
            took = None
            if label.startswith("synthetic") and args.synthetic_store is not None:
                store = args.synthetic_store
            else:
                took = round(build(label, sources, store), 1)
                print(f"built {label} in {took:.0f} s", file=sys.stderr)
            result = run(label, store, args.clients, args.seconds, args.warmup, exclude=args.exclude)
            result["excluded"] = args.exclude
            result["build_seconds"] = took
            results.append(result)
            print(report(result) + "\n", flush=True)
        if skipped:
            print(skipped)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
