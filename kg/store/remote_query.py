"""Running the service's jobs on an external SPARQL 1.1 server: the remote twin of `QueryPool`.

`RemotePool` has `QueryPool`'s surface (`start`, `close`, `run(job, body, *, timeout,
write) -> Outcome`) and takes the same jobs (see `kg.store.query.Worker`), so the
routes cannot tell the stores apart. Each job runs in a thread that talks to the
server through SPARQLWrapper (SPARQL 1.1 Protocol §2.1 query, §2.2 update):

- the same guards first: SERVICE only to the allowlist, no LOAD, and the text must
  parse as SPARQL 1.1 here (pyoxigraph's parser, so a syntax error reads as on the
  embedded store and server extensions such as `DEFINE` pragmas or undeclared
  `bif:` functions never reach the server); what the server still rejects comes back
  as 400 with the server's message;
- the deadline is kept here, never passed on: Virtuoso 7.2 given a `timeout` runs the
  query as an "anytime" query and may answer with part of the rows, unmarked, well
  within the time (tasks-at-level with a 9 s timeout: 23 of 42 rows in 0.4 s). A query
  given up here runs on at the server until it ends or the server's own limits stop
  it; an answer the server marks as cut short (`X-SQL-State: S1TAT`, from such a
  limit) is a timeout, never a partial result;
- answers are read as they stream in and written by the embedded store's own
  serialiser (`kg.store.query.serialize`), so formats, the row cap and truncation
  are the same; the server being unreachable or failing is a `FAILED` outcome with
  its reason (503), and the next job simply tries again.

The request's dataset (Protocol §2.1.4) goes to the server as `default-graph-uri` /
`named-graph-uri`; without one, the dataset is the server's: on Virtuoso the union of
the graphs the anonymous user may read, so the server keeps its own graphs (virtrdf#
and the like) private with graph-level security (as `tests/virtuoso.py` sets it up) and
the default graph is this knowledge graph's graphs, as on the embedded store. Answers
are never cached: the server may change under us.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.error
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

import pyoxigraph as ox
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, URITooLong

from kg.store.query import (
    BOOLEAN,
    BUSY,
    FAILED,
    GRAPH,
    INVALID,
    NOT_FOUND,
    OK,
    REFUSED,
    SOLUTIONS,
    SYNTAX,
    TIMEOUT,
    UNSUPPORTED,
    Outcome,
    Reply,
    Scan,
    prepare_update,
    scan,
    serialize,
)
from kg.store.remote import FORMS, UPDATE, RemoteError, Server, server_message

RESULTS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
PARTIAL = "S1TAT"  # Virtuoso's SQL state for an answer cut short by a server-side limit
_WHOLE = 10**15  # no cap: a Graph Store GET returns the whole graph


def _reply(status: str, message: str = "", **extra: Any) -> tuple[Reply, bytes]:
    return {"status": status, "message": message, **extra}, b""


class _Triples:
    """Triples streamed from the server, shaped like pyoxigraph's QueryTriples for `serialize`."""

    def __init__(self, triples: Iterator[ox.Triple]) -> None:
        self.triples = triples

    def serialize(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        ox.serialize(self.triples, output, format=format)


class RemoteWorker:
    """Runs one job against the server; called from the pool's threads (it keeps no state between jobs)."""

    def __init__(self, server: Server, *, max_results: int, allowlist: Iterable[str], prefixes: dict[str, str]) -> None:
        self.server = server
        self.max_results = max_results
        self.allowlist = list(allowlist)
        self.prefixes = prefixes

    def handle(self, job: dict[str, Any], body: bytes, timeout: float) -> tuple[Reply, bytes]:
        operation = job.get("op")
        try:
            if operation == "query":
                return self.query(job, timeout)
            if operation == "update":
                return self.update(job, timeout)
            if operation == "graph":
                return self.graph(job, body, timeout)
        except TimeoutError:
            return _reply(TIMEOUT)
        except RemoteError as error:
            return _reply(FAILED, str(error))
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                return _reply(TIMEOUT)
            return _reply(FAILED, self._unreachable(error))
        return _reply(INVALID, f"unknown operation {operation!r}")

    def _unreachable(self, error: Exception) -> str:
        reason = getattr(error, "reason", error)
        return f"無法連線 SPARQL 伺服器 · cannot reach the SPARQL server {self.server.query_url}: {reason}"

    # SPARQL 1.1 Protocol §2.1: the query operation.
    def query(self, job: dict[str, Any], timeout: float, cap: int | None = None) -> tuple[Reply, bytes]:
        text: str = job["text"]
        lowered = text.lower()
        found: Scan | None = None
        if "service" in lowered or "from" in lowered:
            found = scan(text)
            refusal = found.refusal(self.allowlist)
            if refusal:
                return _reply(REFUSED, refusal)
        dataset: dict[str, list[str]] | None = job.get("dataset")
        base: str | None = job.get("base")
        try:
            for iri in [*(dataset or {}).get("default", []), *(dataset or {}).get("named", [])]:
                ox.NamedNode(iri)
        except ValueError as error:
            return _reply(INVALID, f"資料集 IRI 無效 · invalid dataset IRI: {error}")
        try:
            form = ox.Store().query(text, base_iri=base)  # parses; an empty store has nothing to evaluate
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        except (ValueError, RuntimeError) as error:
            return _reply(INVALID, f"無法執行 · could not be evaluated: {error}")
        kind = (
            BOOLEAN
            if isinstance(form, ox.QueryBoolean)
            else SOLUTIONS
            if isinstance(form, ox.QuerySolutions)
            else GRAPH
        )
        wrapper = self.server.wrapper(f"BASE <{base}>\n{text}" if base else text, FORMS[kind], timeout)
        wrapper.addCustomHttpHeader("Accept", N_TRIPLES if kind == GRAPH else RESULTS_XML)
        for iri in (dataset or {}).get("default", []):
            wrapper.addDefaultGraph(iri)
        for iri in (dataset or {}).get("named", []):
            wrapper.addNamedGraph(iri)
        try:
            response = wrapper.query().response
        except (QueryBadFormed, URITooLong) as error:
            return _reply(SYNTAX, server_message(error))
        except SPARQLWrapperException as error:
            return _reply(FAILED, server_message(error), service=bool(found and found.services))
        except urllib.error.HTTPError as error:
            return _reply(FAILED, f"{error.code} {error.read().decode('utf-8', 'replace').strip()}")
        with contextlib.closing(response):
            if response.headers.get("X-SQL-State") == PARTIAL:
                return _reply(TIMEOUT)
            result: Any
            if kind == GRAPH:
                result = _Triples(ox.parse(response, format=ox.RdfFormat.N_TRIPLES))
            else:
                result = ox.parse_query_results(response, format=ox.QueryResultsFormat.XML)
            try:
                reply, body = serialize(
                    result, job["accept"], max_results=self.max_results if cap is None else cap, prefixes=self.prefixes
                )
            except SyntaxError as error:
                return _reply(FAILED, f"伺服器回應無法解析 · the server's answer does not parse: {error}")
        reply["cacheable"] = False
        return reply, body

    # SPARQL 1.1 Protocol §2.2: the update operation.
    def update(self, job: dict[str, Any], timeout: float) -> tuple[Reply, bytes]:
        found = scan(job["text"])
        prepared = prepare_update(job, found, self.allowlist)
        if isinstance(prepared, tuple):
            return prepared
        base: str | None = job.get("base")
        try:
            ox.Store().update(prepared, base_iri=base)  # parses (and runs on an empty store in memory)
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        except (ValueError, RuntimeError, OSError):
            pass  # evaluation on the empty store is not the server's; let the server decide
        wrapper = self.server.wrapper(f"BASE <{base}>\n{prepared}" if base else prepared, UPDATE, timeout)
        try:
            wrapper.query().response.read()
        except QueryBadFormed as error:
            return _reply(SYNTAX, server_message(error))
        except SPARQLWrapperException as error:
            return _reply(FAILED, server_message(error), service=bool(found.services))
        except urllib.error.HTTPError as error:
            return _reply(FAILED, f"{error.code} {error.read().decode('utf-8', 'replace').strip()}")
        return _reply(OK)

    # SPARQL 1.1 Graph Store HTTP Protocol §5 on one named graph of the server.
    def graph(self, job: dict[str, Any], body: bytes, timeout: float) -> tuple[Reply, bytes]:
        action: str = job["action"]
        iri: str | None = job.get("graph")
        if iri is None:
            return _reply(
                INVALID,
                "外部 SPARQL 伺服器的預設圖是所有圖的聯集，請指定圖 · on the external SPARQL server the default graph "
                "is the union of all graphs; name a graph with ?graph=<IRI>",
            )
        try:
            node = ox.NamedNode(iri)
        except ValueError as error:
            return _reply(INVALID, f"圖 IRI 無效 · invalid graph IRI: {error}")
        exists = self.server.ask(f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}", timeout)
        if action in {"get", "head", "delete"} and not exists:
            return _reply(NOT_FOUND, f"沒有這個圖 · no such graph: <{iri}>")
        if action == "head":
            return {"status": OK, "kind": GRAPH, "media": job["accept"][GRAPH]}, b""
        if action == "get":
            construct = {"text": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"}
            return self.query(job | construct, timeout, cap=_WHOLE)
        if action == "delete":
            self.server.update(f"DROP GRAPH {node}", timeout)
            return _reply(OK)
        media: str = job.get("media") or ""
        rdf_format = ox.RdfFormat.from_media_type(media) if media else None
        if rdf_format is None or rdf_format.supports_datasets:
            return _reply(UNSUPPORTED, f"不支援的 RDF 媒體類型 · unsupported RDF media type: {media or '(none)'}")
        try:
            triples = [quad.triple for quad in ox.parse(body, format=rdf_format, base_iri=iri)]
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self.server.send_graph("PUT" if action == "put" else "POST", iri, data, timeout=timeout)
        return _reply(OK, created=not exists)


class RemotePool:
    """Jobs on an external SPARQL server, at most `size` at once, each under its deadline."""

    def __init__(
        self,
        server: Server,
        size: int,
        *,
        max_results: int,
        allowlist: Iterable[str] = (),
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.size = size
        self.worker = RemoteWorker(server, max_results=max_results, allowlist=allowlist, prefixes=prefixes or {})
        self._executor: ThreadPoolExecutor | None = None
        self._slots = asyncio.Semaphore(size)
        self._writes = asyncio.Lock()

    async def start(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="remote-sparql")

    async def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, job: dict[str, Any], body: bytes = b"", *, timeout: float, write: bool = False) -> Outcome:
        """Run `job` on the server; give up `timeout` seconds after the call (writes one at a time)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            async with asyncio.timeout_at(deadline):
                if write:
                    await self._writes.acquire()
        except TimeoutError:
            return Outcome(BUSY)
        try:
            return await self._run(job, body, deadline)
        finally:
            if write:
                self._writes.release()

    async def _run(self, job: dict[str, Any], body: bytes, deadline: float) -> Outcome:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        except TimeoutError:
            return Outcome(BUSY)
        remaining = max(0.001, deadline - loop.time())
        future = loop.run_in_executor(self._executor, self.worker.handle, job, body, remaining)
        future.add_done_callback(lambda _: self._slots.release())  # the slot frees when the thread does
        try:
            async with asyncio.timeout_at(deadline):
                reply, payload = await asyncio.shield(future)
        except TimeoutError:
            return Outcome(TIMEOUT)
        return Outcome.of(reply, payload)
