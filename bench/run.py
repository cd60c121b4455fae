"""The product benchmark: build, validate, load and serve N standards, and query them side by side.

    make bench                                   # the shipped data and 1,000 synthetic standards
    .venv/bin/python bench/run.py --sizes 100 1000 5000 [--no-shipped] [--seconds 5]

For the shipped data (`data/`, 52 standards) and for each size N of the synthetic corpus
(`bench/synthetic.py`, seed `--seed`) it:

1. builds through the real pipeline and times each stage: parse (`kg.sources`), parse +
   map (`kg.build.build`), the derived graphs (alignment, statistics, ontology:
   `Build.dataset`), SHACL validation (`Build.validate`) and the load into a new
   embedded store (`EmbeddedStore.replace`);
2. serves that store with our service (`python -m service`), measures its resident
   memory (the service and its query workers), the median and p95 latency of every named
   query in `queries/` (defaults, adapted to codes the corpus holds) and of each query of
   `bench/endpoint.py`, each request evaluated (`Cache-Control: no-cache`), and the
   throughput of the one-standard outline query from `--concurrency` clients;
3. serves the same quads with rdflib-endpoint and measures the same, bounded: few
   repetitions, a per-request timeout (`--timeout`), a short throughput run;
4. Virtuoso, our service on it and Virtuoso directly, when the repository has the remote
   store (`tests/virtuoso.py`); otherwise the table says so.

It prints one table per corpus with the ratios to rdflib-endpoint and the targets, and
writes them to `docs/benchmarks.md` between its markers, with the machine described.
Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph  # noqa: E402

from bench import client  # noqa: E402
from bench.client import Endpoint, Latency, Load  # noqa: E402
from bench.endpoint import OUTLINE, QUERIES  # noqa: E402
from bench.synthetic import generate  # noqa: E402
from kg.build import Document, build  # noqa: E402
from kg.namespaces import OCS  # noqa: E402
from kg.queries import NamedQuery  # noqa: E402
from kg.queries import load as load_queries  # noqa: E402
from kg.sources.formats import discover, parse  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from kg.store.remote import RemoteError, RemoteStore, Server  # noqa: E402
from kg.uris import Minter  # noqa: E402
from tests.virtuoso import running_virtuoso  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SLOW = 0.100  # rdflib-endpoint slower than this: ours must be ≥ 50× faster
VIRTUOSO_LAUNCHER = ROOT / "tests" / "virtuoso.py"
# rdflib-endpoint, loaded once; each line read on stdin (a port) forks a server of the loaded
# dataset on that port and prints its pid, so a server stuck in a slow query is replaced at once.
RDFLIB_SERVERS = """
import os, signal, sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # servers killed by the benchmark are reaped
print("loaded", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
        uvicorn.run(app, host="127.0.0.1", port=int(line), log_level="warning")
        os._exit(0)
    print(pid, flush=True)
"""
LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "fastapi", "uvicorn", "rdflib-endpoint")


@dataclass
class Corpus:
    """What one build produced: its timings, size and the codes the queries take."""

    label: str
    standards: int
    quads: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    violations: int = 0
    peak_mb: float = 0.0  # the benchmark process's peak resident memory so far (the build's)
    codes: set[str] = field(default_factory=set)
    # Codes for the query parameters: a loaded standard whose previous version is loaded too,
    # that previous version, and another standard sharing the most skills with the first.
    latest: str = ""
    previous: str = ""
    other: str = ""


@dataclass
class Measured:
    """One endpoint's answers on one corpus."""

    name: str
    started_in: float = float("nan")
    rss_mb: float = float("nan")
    queries: dict[str, Latency] = field(default_factory=dict)
    load: Load | None = None
    note: str = ""


@dataclass
class Others:
    """The endpoints ours is compared with, where they were measured."""

    rdflib: Measured | None = None
    ours_virtuoso: Measured | None = None
    virtuoso: Measured | None = None
    failure: str = ""

    def present(self) -> list[Measured]:
        return [m for m in (self.rdflib, self.ours_virtuoso, self.virtuoso) if m is not None]


def build_store(label: str, sources: list[Path], store: Path, nquads: Path) -> Corpus:
    """Build `sources` into a new embedded store at `store`, timing every stage; dump its quads."""
    minter = Minter()
    began = time.perf_counter()
    for path in discover(sources):
        parse(path)
    parsed = time.perf_counter()
    result = build(sources, minter)
    mapped = time.perf_counter()
    if result.errors:
        raise SystemExit(f"{label}: {len(result.errors)} documents failed, first: {result.errors[0]}")
    corpus = Corpus(label, len(result.documents))
    corpus.codes = {document.standard.code for document in result.documents}
    _pick_codes(corpus, result.documents)
    dataset = result.dataset()
    derived = time.perf_counter()
    report = result.validate()
    validated = time.perf_counter()
    EmbeddedStore(store).replace(dataset)
    loaded = time.perf_counter()
    corpus.quads = len(dataset)
    corpus.violations = report.counts()["Violation"]
    corpus.stages = {
        "parse": parsed - began,
        "map (parse + map − parse)": (mapped - parsed) - (parsed - began),
        "derived graphs (alignment, statistics, ontology)": derived - mapped,
        "validate (SHACL)": validated - derived,
        "load (embedded store)": loaded - validated,
    }
    corpus.stages["full build (without the separate parse)"] = loaded - parsed
    corpus.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del dataset, result, report
    gc.collect()
    EmbeddedStore(store).open().dump(str(nquads), pyoxigraph.RdfFormat.N_QUADS)
    return corpus


def _pick_codes(corpus: Corpus, docs: list[Document]) -> None:
    by_code = {d.standard.code: d for d in docs}
    pairs = [
        (v.code, d.standard.code)
        for d in docs
        for v in d.standard.versions
        if v.code != d.standard.code and v.code in by_code
    ]
    corpus.previous, corpus.latest = min(pairs) if pairs else ("", docs[0].standard.code)
    skills = {code: set(d.graph.objects(None, OCS.concept)) for code, d in by_code.items()}
    mine = skills[corpus.latest]
    candidates = sorted(c for c in by_code if c not in (corpus.latest, corpus.previous))
    corpus.other = max(candidates, key=lambda c: len(skills[c] & mine)) if candidates else corpus.latest


def bound_queries(corpus: Corpus) -> dict[str, tuple[str, str]]:
    """Every named query with its defaults, codes the corpus lacks replaced by ones it has,
    and the queries of `bench/endpoint.py`; name → (query text, Accept)."""
    queries: dict[str, tuple[str, str]] = {}
    for name, query in load_queries().items():
        values = {p.name: _values(query, p.name, p.default, corpus) for p in query.parameters if p.type == "code"}
        accept = client.SELECT_JSON if query.paged else "text/turtle"
        queries[f"named: {name}"] = (query.bind({k: v for k, v in values.items() if v}, limit=100), accept)
    for name, template in QUERIES.items():
        graph = "DESCRIBE" in template or "CONSTRUCT" in template
        text = template.replace("{code}", json.dumps(corpus.latest, ensure_ascii=False))
        queries[name] = (text, "text/turtle" if graph else client.SELECT_JSON)
    return queries


def _values(query: NamedQuery, name: str, default: tuple[str, ...], corpus: Corpus) -> list[str]:
    versions = query.name.startswith("version")
    if not default or all(code in corpus.codes for code in default) or (versions and not corpus.previous):
        return list(default)
    roles = {
        "standard": [corpus.latest],
        "standards": [corpus.latest, corpus.other],
        "from": [corpus.previous if versions else corpus.other],
        "to": [corpus.latest],
    }
    if name not in roles:
        raise SystemExit(f"{query.name}: no code of the corpus for parameter {name!r}; add it to bench/run.py")
    return roles[name]


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent and child not in family]
        family.update(children)
        frontier.extend(children)
    total = 0
    for member in family:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("KG_")}


def _served_by(store: Path) -> dict[str, str]:
    return {"KG_STORE": str(store)}


@contextmanager
def ours(settings: dict[str, str], work: Path, name: str = "ours") -> Iterator[Endpoint]:
    """Our service (`python -m service`) with the given `KG_` settings."""
    port = client.free_port()
    env = _environment() | settings | {"KG_PORT": str(port), "KG_HOST": "127.0.0.1"}
    with client.started(name, [sys.executable, "-m", "service"], env, port, work / f"{name}.log") as endpoint:
        yield endpoint


class RdflibServers:
    """rdflib-endpoint serving one parsed copy of the quads, forked anew for each server."""

    def __init__(self, nquads: Path) -> None:
        began = time.perf_counter()
        command = [sys.executable, "-c", RDFLIB_SERVERS, str(nquads)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_environment())
        if self._read() != "loaded":
            raise RuntimeError("rdflib-endpoint could not load the quads")
        self.loaded_in = time.perf_counter() - began

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().decode().strip()

    @contextmanager
    def server(self) -> Iterator[Endpoint]:
        """A new server of the loaded quads, killed when the block ends."""
        assert self.process.stdin is not None
        port = client.free_port()
        self.process.stdin.write(f"{port}\n".encode())
        self.process.stdin.flush()
        endpoint = Endpoint("rdflib-endpoint", port, int(self._read()))
        try:
            endpoint.started_in = asyncio.run(client.ready(endpoint, 120))
            yield endpoint
        finally:
            os.kill(int(endpoint.pid or 0), signal.SIGKILL)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure(
    endpoint: Endpoint, queries: dict[str, tuple[str, str]], args: argparse.Namespace, *, bounded: bool
) -> Measured:
    """Latency of each query, then throughput of the outline query; `bounded` for a slow endpoint,
    whose measurement stops at the first request over the timeout (it is still busy with it)."""
    result = Measured(endpoint.name, endpoint.started_in)
    repeats, budget = (args.slow_repeats, args.timeout) if bounded else (args.repeats, args.budget)
    timeout = args.timeout if bounded else None
    for name, (text, accept) in queries.items():
        answer = asyncio.run(client.latency(endpoint, text, accept, repeats, budget, timeout=timeout))
        result.queries[name] = answer
        if answer.timeouts:
            print(f"  {endpoint.name}: {name}: over {args.timeout:g} s", file=sys.stderr, flush=True)
            return result
    if OUTLINE in queries:
        seconds = min(args.seconds, 5.0) if bounded else args.seconds
        run = client.load(endpoint, queries[OUTLINE][0], args.concurrency, seconds, cached=True)
        try:
            result.load = asyncio.run(asyncio.wait_for(run, seconds + (args.timeout if bounded else 60)))
        except TimeoutError:
            result.note = "throughput run over its time limit"
    result.rss_mb = rss_mb(endpoint.pid) if endpoint.pid else float("nan")
    return result


def measure_rdflib(nquads: Path, queries: dict[str, tuple[str, str]], args: argparse.Namespace) -> Measured:
    """rdflib-endpoint on `nquads`: after a request over the timeout, a fresh server goes on with the next query."""
    servers = RdflibServers(nquads)
    total = Measured("rdflib-endpoint", servers.loaded_in)
    remaining = dict(queries)
    try:
        while remaining:
            with servers.server() as endpoint:
                part = measure(endpoint, remaining, args, bounded=True)
            total.queries |= part.queries
            total.load = total.load or part.load
            if not math.isnan(part.rss_mb):
                total.rss_mb = part.rss_mb
            remaining = {name: query for name, query in remaining.items() if name not in part.queries}
    finally:
        servers.close()
    return total


def virtuoso_available() -> bool:
    return VIRTUOSO_LAUNCHER.exists() and shutil.which("virtuoso-t") is not None


def virtuoso_status(args: argparse.Namespace) -> str:
    if args.no_virtuoso:
        return "not measured (--no-virtuoso)"
    if not VIRTUOSO_LAUNCHER.exists():
        return "not measured: tests/virtuoso.py (the Virtuoso launcher) is not in the repository"
    if shutil.which("virtuoso-t") is None:
        return "not measured: virtuoso-t is not installed (make install installs it)"
    return "Virtuoso Open Source 7, started by tests/virtuoso.py, loaded graph by graph through kg.store.remote"


def measure_virtuoso(
    nquads: Path, work: Path, queries: dict[str, tuple[str, str]], args: argparse.Namespace
) -> tuple[Measured, Measured]:
    """Our service on Virtuoso (`KG_STORE` its URL), then Virtuoso queried directly."""
    with running_virtuoso(work / "virtuoso") as server:
        began = time.perf_counter()
        remote = RemoteStore(
            Server(server.query_url, server.update_url, server.graphs_url, server.user, server.password), Minter().base
        )
        graphs: dict[str, list[pyoxigraph.Triple]] = {}
        for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, pyoxigraph.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        for name, triples in graphs.items():
            remote.replace_graph(name, triples)
        loaded_in = time.perf_counter() - began
        del graphs
        print(f"  Virtuoso loaded in {loaded_in:.0f} s", flush=True)
        settings = {f"KG_{key.upper()}": value for key, value in server.settings().items()}
        with ours(settings, work, "ours on Virtuoso") as endpoint:
            on_virtuoso = measure(endpoint, queries, args, bounded=False)
        direct = Endpoint("Virtuoso", server.http_port, _pid_of(str(server.folder / "virtuoso.ini")))
        direct.started_in = loaded_in
        virtuoso = measure(direct, queries, args, bounded=False)
    return on_virtuoso, virtuoso


def _pid_of(argument: str) -> int | None:
    """The process whose command line holds `argument`."""
    for command in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if argument.encode() in command.read_bytes():
                return int(command.parent.name)
        except OSError:
            continue
    return None


def _ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:,.1f}"


def _build_section(corpus: Corpus, endpoints: list[Measured]) -> list[str]:
    lines = [f"### {corpus.label}: {corpus.standards:,} standards, {corpus.quads:,} quads", ""]
    lines += ["| build stage | seconds |", "| --- | ---: |"]
    lines += [f"| {stage} | {seconds:,.1f} |" for stage, seconds in corpus.stages.items()]
    lines += ["", f"Violations: {corpus.violations}. Peak memory of the build: {corpus.peak_mb:,.0f} MB.", ""]
    lines += ["| endpoint | ready after s | resident memory MB |", "| --- | ---: | ---: |"]
    lines += [f"| {m.name} | {m.started_in:,.1f} | {m.rss_mb:,.0f} |" for m in endpoints]
    lines += ["", "Ready after: from start (rdflib-endpoint: parsing the quads; Virtuoso: loading them) to the first"]
    lines += ["answer. Memory: the serving process with its children (our query workers).", ""]
    versions = f" (previous version {corpus.previous})" if corpus.previous else ""
    lines += [f"Codes the queries use: {corpus.latest}{versions}, {corpus.other}.", ""]
    return lines


def _cell(measured: Measured | None, name: str, args: argparse.Namespace) -> tuple[str, str]:
    """The p50 and p95 cells of one query on one endpoint."""
    latency = measured.queries.get(name) if measured else None
    if measured is None:
        return "—", "—"
    if latency is None:
        return "not run", "—"
    if latency.timeouts and not latency.times:
        return f"> {args.timeout * 1000:,.0f}", "—"
    if latency.errors:
        return f"{latency.errors} errors", "—"
    return _ms(latency.median), _ms(latency.p95)


def _times(measured: Measured | None, name: str, mine: Latency, args: argparse.Namespace) -> tuple[str, float]:
    """The ratio of one endpoint's median to ours, as text and number (a timeout counts as the timeout)."""
    latency = measured.queries.get(name) if measured else None
    if latency is None or latency.errors or mine.median <= 0:
        return "—", math.nan
    theirs = args.timeout if latency.timeouts else latency.median
    value = theirs / mine.median
    shown = f"{value:,.1f}" if value < 10 else f"{value:,.0f}"
    return f"{'> ' if latency.timeouts else ''}{shown}×", value


def _query_rows(
    mine: Measured, others: Others, target_ms: float, args: argparse.Namespace, missed: list[str]
) -> list[str]:
    lines = [
        "| query | ours p50 ms | ours p95 ms | rdflib p50 ms | rdflib p95 ms | × rdflib | ours on Virtuoso p50 ms "
        "| Virtuoso p50 ms | Virtuoso p95 ms | × Virtuoso | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, latency in mine.queries.items():
        verdict = []
        if name.startswith("named:"):
            met = latency.median <= target_ms / 1000
            verdict.append(f"≤ {target_ms:g} ms {'met' if met else 'MISSED'}")
            if not met:
                missed.append(f"{name}: median {_ms(latency.median)} ms > {target_ms:g} ms")
        ratio, value = _times(others.rdflib, name, latency, args)
        rdflib = others.rdflib.queries.get(name) if others.rdflib else None
        if rdflib is not None and (rdflib.timeouts or rdflib.median > SLOW):
            met = value >= 50
            verdict.append(f"≥ 50× {'met' if met else 'MISSED'}")
            if not met:
                missed.append(f"{name}: {ratio} rdflib-endpoint, not ≥ 50×")
        if latency.errors:
            verdict.append(f"{latency.errors} errors")
            missed.append(f"{name}: {latency.errors} errors")
        cells = [*_cell(mine, name, args), *_cell(others.rdflib, name, args), ratio]
        cells += [_cell(others.ours_virtuoso, name, args)[0], *_cell(others.virtuoso, name, args)]
        cells += [_times(others.virtuoso, name, latency, args)[0], "; ".join(verdict)]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return lines


def _throughput_rows(mine: Measured, others: Others, args: argparse.Namespace, missed: list[str]) -> list[str]:
    lines = ["", f"Throughput of “{OUTLINE}”, {args.concurrency} clients, as served (result cache on):", ""]
    lines += ["| endpoint | req/s | p50 ms | p99 ms | errors |", "| --- | ---: | ---: | ---: | ---: |"]
    for measured in [mine, *others.present()]:
        load = measured.load
        if load is None:
            lines.append(f"| {measured.name} | — | — | — | {measured.note or 'not run'} |")
            continue
        lines.append(
            f"| {measured.name} | {load.rate:,.0f} | {_ms(load.latency.median)} | {_ms(load.latency.p99)} "
            f"| {load.latency.errors} |"
        )
    if mine.load is not None:
        load = mine.load
        if not (load.rate >= 1000 and load.latency.p99 <= 0.050 and load.latency.errors == 0):
            missed.append(
                f"throughput {load.rate:,.0f} req/s, p99 {_ms(load.latency.p99)} ms, {load.latency.errors} errors"
            )
        ratios = [
            f"{other.name} {load.rate / other.load.rate:,.1f}×"
            for other in others.present()
            if other.load is not None and other.load.rate > 0
        ]
        if ratios:
            lines += ["", f"Our throughput relative to: {', '.join(ratios)}."]
    return lines


def report(
    corpus: Corpus, mine: Measured, others: Others, target_ms: float, args: argparse.Namespace
) -> tuple[str, list[str]]:
    """The markdown tables of one corpus, and the targets it missed."""
    missed: list[str] = []
    lines = _build_section(corpus, [mine, *others.present()])
    if others.failure:
        lines += [f"{others.failure}.", ""]
    lines += _query_rows(mine, others, target_ms, args, missed)
    lines += _throughput_rows(mine, others, args, missed)
    return "\n".join(lines) + "\n", missed


def machine() -> str:
    """Cores, memory, CPU, Python and library versions, load."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in LIBRARIES)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory.split()[1]) // 1024:,} MB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {versions}. Load average at the end "
        f"(1, 5, 15 min): {load}."
    )


def write(text: str, path: Path = DOCS) -> None:
    """Put `text` between the markers of `path`, keeping what is written around them."""
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in old or END not in old:
        old = old.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def run_corpus(
    label: str, sources: list[Path], work: Path, args: argparse.Namespace, target_ms: float
) -> tuple[str, list[str]]:
    print(f"\n== {label}", flush=True)
    store, nquads = work / "store", work / "data.nq"
    corpus = build_store(label, sources, store, nquads)
    for stage, seconds in corpus.stages.items():
        print(f"  {stage}: {seconds:.1f} s", flush=True)
    queries = bound_queries(corpus)
    with ours(_served_by(store), work) as endpoint:
        mine = measure(endpoint, queries, args, bounded=False)
    print(f"  ours: {mine.rss_mb:.0f} MB, outline {_ms(mine.queries[OUTLINE].median)} ms", flush=True)
    shutil.rmtree(store, ignore_errors=True)
    others = Others()
    if not args.no_rdflib:
        others.rdflib = measure_rdflib(nquads, queries, args)
        print("  rdflib-endpoint measured", flush=True)
    if not args.no_virtuoso and virtuoso_available():
        try:
            others.ours_virtuoso, others.virtuoso = measure_virtuoso(nquads, work, queries, args)
        except (OSError, RuntimeError, RemoteError) as error:  # URLError is an OSError
            others.failure = f"Virtuoso failed: {type(error).__name__}: {error}"
            print(f"  {others.failure}", file=sys.stderr, flush=True)
    nquads.unlink(missing_ok=True)
    text, missed = report(corpus, mine, others, target_ms, args)
    print(text, flush=True)
    return text, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000], help="synthetic corpus sizes (default 1000)")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped data")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of our throughput run")
    parser.add_argument("--concurrency", type=int, default=8, help="clients in the throughput run")
    parser.add_argument("--repeats", type=int, default=30, help="runs of each query on our endpoint")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per query on our endpoint")
    parser.add_argument("--slow-repeats", type=int, default=3, help="runs of each query on rdflib-endpoint")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout on rdflib-endpoint")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    parser.add_argument("--no-virtuoso", action="store_true", help="leave Virtuoso out")
    parser.add_argument("--out", type=Path, default=DOCS, help="markdown file to write the tables into")
    args = parser.parse_args(argv)
    if any(size < 1 or size > 5000 for size in args.sizes):
        parser.error("--sizes: from 1 to 5000 standards")
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sections, missed = [], []
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        runs: list[tuple[str, list[Path], float]] = []
        if not args.no_shipped:
            runs.append(("Shipped data (data/)", [ROOT / "data"], 20.0))
        for size in args.sizes:
            folder = work / f"synthetic-{size}"
            generate(size, args.seed, folder)
            runs.append((f"Synthetic corpus, N = {size:,} (seed {args.seed})", [folder], 30.0))
        for label, paths, target_ms in runs:
            text, failed = run_corpus(label, paths, work, args, target_ms)
            sections.append(text)
            missed += [f"{label}: {item}" for item in failed]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = [f"Run {began}, `bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`.", ""]
    summary += [f"Machine: {machine()}", "", f"Virtuoso: {virtuoso_status(args)}.", ""]
    summary += ["Targets missed:" if missed else "Every measured target met.", ""]
    summary += [f"- {item}" for item in missed] + [""]
    write("\n".join(summary + sections), args.out)
    print("\n".join(summary))
    print(f"已寫入 written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
