"""An external SPARQL 1.1 server as the store (e.g. Virtuoso), when one machine is not enough.

`KG_STORE` is then the server's query endpoint URL; `KG_STORE_UPDATE` its SPARQL
Update endpoint, `KG_STORE_GRAPHS` its Graph Store Protocol endpoint, and
`KG_STORE_USER` / `KG_STORE_PASSWORD` the account allowed to write (HTTP digest or
basic authentication, whichever the server asks for).

`RemoteStore.replace` loads a build with the same promise as the embedded store's:
each document's named graph is replaced whole, and a failure leaves the graphs served
before it as they were. A graph is sent in batches by the Graph Store Protocol (§5.6
POST, N-Triples) into a staging graph, then put in place with one SPARQL Update
`MOVE` (SPARQL 1.1 Update §3.2.5), which the server runs as one transaction; a graph
that fits in one batch is replaced by one PUT (GSP §5.4). Blank nodes are scoped to
one request, so every triple that shares a blank node travels in the same batch.
Graphs of this knowledge graph (`{base}graph/…`) that the new build no longer has are
dropped last; other graphs on the server (ESCO, say) are never touched.
"""

from __future__ import annotations

import ast
import math
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from SPARQLWrapper import ASK, CONSTRUCT, DIGEST, INSERT, JSON, POST, SELECT, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.settings import Settings

if TYPE_CHECKING:
    from rdflib import Dataset

BATCH_TRIPLES = 50_000
UPDATE = "UPDATE"
FORMS = {"solutions": SELECT, "boolean": ASK, "graph": CONSTRUCT}  # query forms by kind of result
N_TRIPLES = "application/n-triples"


class RemoteError(Exception):
    """The server refused or failed a request; the message is the server's own."""


@dataclass(frozen=True)
class Server:
    """Where an external SPARQL server answers queries, updates and graph requests, and who may write."""

    query_url: str
    update_url: str | None = None
    graphs_url: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Server:
        return cls(
            settings.store, settings.store_update, settings.store_graphs, settings.store_user, settings.store_password
        )

    def wrapper(self, text: str, form: str, timeout: float) -> SPARQLWrapper:
        """A SPARQLWrapper for `text` that POSTs URL-encoded (Protocol §2.1.2, §2.2.1), waiting `timeout` s at most.

        `form` (SELECT, ASK, CONSTRUCT or UPDATE) is what the caller parsed the text as:
        SPARQLWrapper's own guess reads keywords in comments, strings and names too
        (a query mentioning "delete" would go to the update endpoint).
        """
        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url or self.query_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(max(1, math.ceil(timeout)))
        wrapper.setQuery(text)
        wrapper.queryType = INSERT if form == UPDATE else form
        if form == UPDATE and self.user and self.password:
            wrapper.setHTTPAuth(DIGEST)
            wrapper.setCredentials(self.user, self.password)
        return wrapper

    def update(self, text: str, timeout: float = 600) -> None:
        """Run a SPARQL Update (Protocol §2.2)."""
        wrapper = self.wrapper(text, UPDATE, timeout)
        try:
            wrapper.query().response.read()
        except SPARQLWrapperException as error:
            raise RemoteError(server_message(error)) from None

    def ask(self, text: str, timeout: float = 60) -> bool:
        wrapper = self.wrapper(text, ASK, timeout)
        wrapper.setReturnFormat(JSON)
        try:
            answer: Any = wrapper.query().convert()
        except SPARQLWrapperException as error:
            raise RemoteError(server_message(error)) from None
        return bool(answer["boolean"])

    def select(self, text: str, timeout: float = 60) -> tuple[list[str], list[list[str]]]:
        """A SELECT's columns and each row's values as text ("" where unbound)."""
        wrapper = self.wrapper(text, SELECT, timeout)
        wrapper.addCustomHttpHeader("Accept", "application/sparql-results+xml")
        try:
            response = wrapper.query().response
        except SPARQLWrapperException as error:
            raise RemoteError(server_message(error)) from None
        solutions = ox.parse_query_results(response.read(), format=ox.QueryResultsFormat.XML)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        columns = [variable.value for variable in solutions.variables]
        return columns, [[term.value if term is not None else "" for term in row] for row in solutions]

    def send_graph(self, method: str, graph: str, data: bytes, media: str = N_TRIPLES, timeout: float = 600) -> int:
        """GSP §5.4 PUT or §5.6 POST of `data` to `graph` (indirect identification, §4.2); the status."""
        if not self.graphs_url:
            raise RemoteError("KG_STORE_GRAPHS is not set: the server's Graph Store Protocol endpoint is unknown")
        separator = "&" if "?" in self.graphs_url else "?"
        url = f"{self.graphs_url}{separator}{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": media})
        try:
            with self._opener(url).open(request, timeout=timeout) as response:
                status: int = response.status
                return status
        except urllib.error.HTTPError as error:
            raise RemoteError(f"{error.code} {error.read().decode('utf-8', 'replace').strip()}") from None

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if self.user and self.password:
            passwords.add_password(None, url, self.user, self.password)
        return urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
        )


def server_message(error: SPARQLWrapperException) -> str:
    """The server's own words from a SPARQLWrapper error (it keeps the response body as a bytes literal)."""
    text = str(error)
    _, found, body = text.partition("Response:\n")
    if not found:
        return text
    try:
        value = ast.literal_eval(body.strip())
    except (ValueError, SyntaxError):
        return body.strip()
    return value.decode("utf-8", "replace").strip() if isinstance(value, bytes) else str(value)


def batches(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """`triples` in lists of about `size`, every triple that shares a blank node in the same list."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[ox.Triple] = []
    linked: list[tuple[ox.Triple, list[ox.BlankNode]]] = []
    for triple in triples:
        nodes = [term for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]
        if not nodes:
            plain.append(triple)
            continue
        linked.append((triple, nodes))
        first = root(nodes[0])
        for other in nodes[1:]:
            parent[root(other)] = first
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for triple, nodes in linked:
        groups.setdefault(root(nodes[0]), []).append(triple)
    batch: list[ox.Triple] = []
    for group in [*groups.values(), *([triple] for triple in plain)]:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


class RemoteStore:
    """This knowledge graph's named graphs on an external SPARQL server."""

    def __init__(self, server: Server, base: str, batch: int = BATCH_TRIPLES) -> None:
        self.server = server
        self.prefix = f"{base}graph/"
        self.batch = batch

    @classmethod
    def of(cls, settings: Settings) -> RemoteStore:
        return cls(Server.of(settings), settings.base_iri)

    def exists(self) -> bool:
        """Whether the server holds any graph of this knowledge graph."""
        return self.server.ask(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {_string(self.prefix)})) }}")

    def graphs(self) -> set[str]:
        """The names of this knowledge graph's graphs on the server."""
        _, rows = self.server.select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {_string(self.prefix)})) }}"
        )
        return {row[0] for row in rows}

    def replace(self, dataset: Dataset) -> list[str]:
        """Load every named graph of `dataset`, each replacing its old version; drop our graphs it lacks."""
        data = dataset.serialize(format="nquads", encoding="utf-8")
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        before = self.graphs()
        for name, triples in graphs.items():
            self.replace_graph(name, triples)
        for stale in sorted(before - graphs.keys()):
            self.server.update(f"DROP SILENT GRAPH <{stale}>")
        return list(graphs)

    def replace_graph(self, name: str, triples: list[ox.Triple]) -> None:
        """Replace graph `name` with `triples`: one PUT, or batches into a staging graph and one MOVE."""
        parts = list(batches(triples, self.batch))
        if len(parts) <= 1:
            self.server.send_graph("PUT", name, _ntriples(parts[0] if parts else []))
            return
        staging = f"{name}#staging-{uuid.uuid4().hex}"
        try:
            for part in parts:
                self.server.send_graph("POST", staging, _ntriples(part))
            self.server.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{name}>")
        except BaseException:
            self.server.update(f"DROP SILENT GRAPH <{staging}>")
            raise


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
