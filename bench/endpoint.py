"""Benchmark the SPARQL endpoint against rdflib-endpoint on the same data and queries, side by side.

    .venv/bin/python bench/endpoint.py [DATA ...] [--seconds 5] [--concurrency 8]

Builds the data (default `data/`) once, loads it into our embedded store and into an
rdflib `Dataset` served by rdflib-endpoint, starts both on loopback ports, then:

1. runs each query several times on one keep-alive connection and reports the median
   and p99 latency on both endpoints and the ratio (target: ≥ 50× wherever
   rdflib-endpoint takes over 100 ms);
2. runs the single-standard outline query from `--concurrency` clients for
   `--seconds` and reports throughput, p50/p99 latency and errors (target: ≥ 1,000
   req/s, p99 ≤ 50 ms, 0 errors with 8 clients).

The load comes from a minimal HTTP/1.1 client on raw asyncio streams, so that the
client spends as little of the machine's CPU as it can. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import client  # noqa: E402
from bench.client import Endpoint  # noqa: E402
from kg.build import build  # noqa: E402
from kg.settings import Settings  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from kg.uris import Minter  # noqa: E402

PREFIXES = """PREFIX ocs: <https://w3id.org/tw-ocs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# Each query names a standard by its code; `{code}` is replaced by a SPARQL string literal.
QUERIES: dict[str, str] = {
    "outline (one standard)": PREFIXES
    + """SELECT ?duty ?dutyLabel ?task ?taskLabel ?level WHERE {
  VALUES ?code { {code} }
  ?standard skos:notation ?code ; ocs:hasDuty ?duty .
  ?duty skos:notation ?dutyCode ; skos:prefLabel ?dutyLabel ; ocs:hasTask ?task .
  ?task skos:notation ?taskCode ; skos:prefLabel ?taskLabel .
  OPTIONAL { ?task ocs:hasBlock ?block . ?block ocs:level ?level }
} ORDER BY ?dutyCode ?taskCode""",
    "count all triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "list standards": PREFIXES
    + """SELECT ?code ?name WHERE { ?s a ocs:CompetencyStandard ; skos:notation ?code ; skos:prefLabel ?name }
ORDER BY ?code""",
    "skills shared by standards": PREFIXES
    + """SELECT ?concept (COUNT(DISTINCT ?standard) AS ?standards) WHERE {
  ?standard ocs:hasSkill ?item . ?item ocs:concept ?concept
} GROUP BY ?concept HAVING (COUNT(DISTINCT ?standard) > 1) ORDER BY DESC(?standards) LIMIT 50""",
    "tasks per level": PREFIXES
    + """SELECT ?level (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  ?task a ocs:Task ; ocs:hasBlock ?block . ?block ocs:level ?level
} GROUP BY ?level ORDER BY ?level""",
    "label search": PREFIXES
    + """SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(CONTAINS(STR(?label), "資料")) } LIMIT 100""",
    "named graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "describe a standard": PREFIXES + "DESCRIBE ?s WHERE { ?s skos:notation {code} ; a ocs:CompetencyStandard }",
    "construct outline": PREFIXES
    + """CONSTRUCT { ?standard ocs:hasDuty ?duty . ?duty skos:prefLabel ?d ; ocs:hasTask ?task .
  ?task skos:prefLabel ?t } WHERE {
  ?standard skos:notation {code} ; ocs:hasDuty ?duty . ?duty skos:prefLabel ?d ; ocs:hasTask ?task .
  ?task skos:prefLabel ?t }""",
}
OUTLINE = "outline (one standard)"
SLOW = 0.100  # rdflib-endpoint slower than this: ours must be ≥ 50× faster
RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _literal(text: str) -> str:
    """`text` as a SPARQL string literal (JSON string escapes are valid SPARQL escapes)."""
    return json.dumps(text, ensure_ascii=False)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f}"


def _run(ours: Endpoint, theirs: Endpoint | None, code: str, args: argparse.Namespace) -> bool:
    ok = True
    print(f"\n查詢延遲 · latency per query (ms; standard {code})")
    print("  ours p50/p99: every request evaluated (no-cache); served p50: repeated, from the result cache")
    print(f"{'query':28} {'ours p50':>9} {'ours p99':>9} {'served p50':>10} {'rdflib p50':>10} {'ratio':>7}  target")
    for name, template in QUERIES.items():
        query = template.replace("{code}", _literal(code))
        graph = "DESCRIBE" in template or "CONSTRUCT" in template
        accept = "text/turtle" if graph else "application/sparql-results+json"
        mine = asyncio.run(client.latency(ours, query, accept, args.repeats, args.budget))
        served = asyncio.run(client.latency(ours, query, accept, args.repeats, args.budget, cached=True))
        line = f"{name[:28]:28} {_ms(mine.median)} {_ms(mine.p99)} {_ms(served.median):>10}"
        if theirs is None:
            print(line)
            continue
        other = asyncio.run(client.latency(theirs, query, accept, args.repeats, args.budget))
        ratio = other.median / mine.median
        verdict = ""
        if other.median > SLOW:
            passed = ratio >= 50
            ok &= passed
            verdict = f"≥50× {'PASS' if passed else 'FAIL'} (served: {other.median / served.median:.0f}×)"
        errors = f"  errors ours={mine.errors} rdflib={other.errors}" if mine.errors or other.errors else ""
        ok &= mine.errors == 0
        print(f"{line} {_ms(other.median):>10} {ratio:6.1f}×  {verdict}{errors}")
    query = QUERIES[OUTLINE].replace("{code}", _literal(code))
    print(f"\n吞吐量 · throughput: {OUTLINE}, {args.concurrency} clients, {args.seconds:g} s each")
    mine_cached = asyncio.run(client.load(ours, query, args.concurrency, args.seconds, cached=True))
    mine_evaluated = asyncio.run(client.load(ours, query, args.concurrency, args.seconds, cached=False))
    rows = [("ours (as served)", mine_cached), ("ours, no-cache", mine_evaluated)]
    if theirs is not None:
        rows.append(("rdflib-endpoint", asyncio.run(client.load(theirs, query, args.concurrency, 5, cached=True))))
    print(f"{'endpoint':18} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}  target ≥1000 req/s, p99 ≤ 50 ms")
    passed = True
    for label, load in rows:
        verdict = ""
        if label.startswith("ours"):
            met = load.rate >= 1000 and load.latency.p99 <= 0.050 and load.latency.errors == 0
            verdict = "PASS" if met else "FAIL"
            passed &= met or label != "ours (as served)"
        print(
            f"{label:18} {load.rate:9.0f} {_ms(load.latency.median)} {_ms(load.latency.p99)} "
            f"{load.latency.errors:7d}  {verdict}"
        )
    if theirs is not None:
        print(f"ratio 比值 (as served / rdflib-endpoint): {mine_cached.rate / max(rows[-1][1].rate, 1e-9):.1f}×")
    return ok and passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="*", type=Path, help="source folders or files (default: data/)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each throughput run")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients in the throughput run")
    parser.add_argument("--repeats", type=int, default=50, help="runs of each query (fewer if slow)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds to spend on one query per endpoint")
    parser.add_argument("--workers", type=int, default=None, help="query workers of our service (KG_WORKERS)")
    parser.add_argument("--no-rdflib", action="store_true", help="measure only our endpoint")
    args = parser.parse_args(argv)

    settings = Settings()
    began = time.perf_counter()
    result = build(args.data or [ROOT / "data"], Minter(settings.base_iri))
    dataset = result.dataset()
    codes = sorted(document.standard.code for document in result.documents)
    if not codes:
        print("沒有可讀的職能基準 · no standard could be read", file=sys.stderr)
        return 2
    print(f"建置 · built {len(codes)} standards, {len(dataset)} quads in {time.perf_counter() - began:.1f} s")
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        EmbeddedStore(work / "store").replace(dataset)
        nquads = work / "data.nq"
        dataset.serialize(destination=str(nquads), format="nquads", encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
        port = client.free_port()
        ours_env = env | {"KG_STORE": str(work / "store"), "KG_PORT": str(port), "KG_HOST": "127.0.0.1"}
        if args.workers:
            ours_env["KG_WORKERS"] = str(args.workers)
        command = [sys.executable, "-m", "service"]
        with client.started("ours", command, ours_env, port, work / "ours.log") as ours:
            print(f"啟動 · our service answered {ours.started_in:.2f} s after start (target ≤ 2 s)")
            if args.no_rdflib:
                ok = _run(ours, None, codes[0], args)
            else:
                other_port = client.free_port()
                other_command = [sys.executable, "-c", RDFLIB_ENDPOINT, str(nquads), str(other_port)]
                with client.started("rdflib-endpoint", other_command, env, other_port, work / "rdflib.log") as theirs:
                    print(f"啟動 · rdflib-endpoint answered {theirs.started_in:.2f} s after start")
                    ok = _run(ours, theirs, codes[0], args)
        print("\n整體 · overall:", "PASS" if ok else "FAIL")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
