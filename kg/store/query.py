"""Running SPARQL on the embedded store in worker processes that can be killed.

pyoxigraph cannot cancel a query once it runs, so nothing runs in the service
process: a pool of worker processes (`python -m kg.store.query`) each holds the
served build open read-only and runs one job at a time. At the deadline the pool
kills the worker (SIGKILL), which really stops the work, and starts another; the
other workers keep answering meanwhile.

Results are serialised by pyoxigraph itself. The row cap is kept without turning
rows into Python objects: solutions are written as TSV (one row per line) and
triples as N-Triples (one per line) into a writer that stops the query after the
cap, and the kept lines are re-read and written in the asked format, natively.

Writes (SPARQL Update, Graph Store PUT/POST/DELETE) go through
`EmbeddedStore.revise`: applied to a checkpoint copy of the served build, then
swapped in atomically, so readers never see half a change.

Before a query or update runs, its text is scanned for the operations that reach
outside the store: `SERVICE` only to the allow-listed endpoints, `LOAD` never.
The scan follows the parser's view: a keyword may start any token and needs no
space after it (`SERVICEex:x` is a SERVICE call), so every token that starts with
such a keyword is treated as one, and every reading of its target must be allowed.

Wire format between pool and worker, both ways: a frame is two big-endian uint32
(header length, body length), a JSON header, then the body bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import IO, Any, Final, cast

import pyoxigraph as ox

from kg.store.embedded import EmbeddedStore

# Reply statuses, mapped to HTTP by the service.
OK: Final = "ok"
SYNTAX: Final = "syntax"  # the query, update or payload does not parse
INVALID: Final = "invalid"  # well-formed but not acceptable (bad IRI, dataset conflict)
REFUSED: Final = "refused"  # SERVICE off the allowlist, LOAD
NOT_FOUND: Final = "not_found"
NOT_ACCEPTABLE: Final = "not_acceptable"
UNSUPPORTED: Final = "unsupported"  # payload media type
FAILED: Final = "failed"  # the store or a SERVICE call failed while evaluating
TIMEOUT: Final = "timeout"
BUSY: Final = "busy"
CRASHED: Final = "crashed"

# Kinds of result: what the `accept` media type is chosen for.
SOLUTIONS: Final = "solutions"
BOOLEAN: Final = "boolean"
GRAPH: Final = "graph"

_FRAME = struct.Struct(">II")


# --- reading SPARQL text the way the parser does -------------------------------------------

_PN = r"[\w\u00b7\u0300-\u036f\u203f\u2040-]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PNAME = rf"(?:[^\W\d_](?:(?:{_PN}|\.)*{_PN})?)?:(?:(?:{_PN}|:|{_PLX})(?:(?:{_PN}|\.|:|{_PLX})*(?:{_PN}|:|{_PLX}))?)?"
_IRI = r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
_VAR = r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+"
_STRING = (
    r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'(?:[^'\\\r\n]|\\.)*'"
    r'|"(?:[^"\\\r\n]|\\.)*"'
)
_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in [
            ("space", r"\s+"),
            ("comment", r"#[^\r\n]*"),
            ("iri", _IRI),
            ("string", _STRING),
            ("lang", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
            ("var", _VAR),
            ("pname", _PNAME),
            ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
            ("other", r"."),
        ]
    ),
    re.DOTALL,
)
# What may follow a SERVICE or PREFIX keyword, matched from the keyword's end; the parser
# takes comments for white space there too.
_GAP = r"(?:\s|#[^\r\n]*)*"
_SERVICE_TARGET = re.compile(rf"{_GAP}(?:(?P<iri>{_IRI})|(?P<pname>{_PNAME})|(?P<var>{_VAR}))")
_SILENT = re.compile(rf"{_GAP}[Ss][Ii][Ll][Ee][Nn][Tt]")
_PREFIX_DECLARATION = re.compile(rf"{_GAP}(?P<prefix>(?:[^\W\d_](?:(?:{_PN}|\.)*{_PN})?)?):{_GAP}(?P<iri>{_IRI})")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# Functions whose value changes between runs: a query using one is not cached.
_VOLATILE = re.compile(r"(?:now|rand|uuid)\s*\(")
# Tokens that carry no keyword: a keyword can start any other token.
_OPAQUE = frozenset({"space", "comment", "iri", "string", "lang", "var"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no spaces or comments)."""
    return [
        Token(match.lastgroup or "other", match.group(), match.start(), match.end())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in {"space", "comment"}
    ]


def _iri_value(token: str) -> str:
    """The IRI a `<…>` token denotes, with its `\\u` escapes decoded."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


@dataclass
class Scan:
    """What a SPARQL text does beyond reading the store, as far as the parser could see it."""

    keywords: set[str] = field(default_factory=set)  # FROM, LOAD, USING, WITH, when a token starts with one
    services: list[set[str | None]] = field(default_factory=list)  # each SERVICE: its possible targets
    tokens: list[Token] = field(default_factory=list)

    def refusal(self, allowlist: Iterable[str]) -> str | None:
        """Why the text may not run, or None."""
        allowed = set(allowlist)
        for targets in self.services:
            for target in targets:
                if target is None:
                    return "SERVICE 端點須為固定的絕對 IRI · SERVICE needs a fixed absolute endpoint IRI"
                if target not in allowed:
                    return f"SERVICE 端點不在允許清單 · SERVICE endpoint not on the allowlist: <{target}>"
        return None


_KEYWORDS = ("from", "load", "using", "with")


def scan(text: str) -> Scan:
    """Find FROM, LOAD, USING, WITH and the targets of every SERVICE in `text`."""
    result = Scan(tokens=tokens(text))
    prefixes: dict[str, set[str | None]] = {}
    unread_prefix = False  # a PREFIX we could not read: no prefixed SERVICE target can be trusted
    pending: list[int] = []
    for token in result.tokens:
        if token.kind in _OPAQUE:
            continue
        lowered = token.text.lower()
        for keyword in _KEYWORDS:
            if lowered.startswith(keyword):
                result.keywords.add(keyword.upper())
        if lowered.startswith("prefix"):
            declaration = _PREFIX_DECLARATION.match(text, token.start + 6)
            if declaration:
                iri = _iri_value(declaration.group("iri"))
                prefixes.setdefault(declaration.group("prefix"), set()).add(iri if _ABSOLUTE.match(iri) else None)
            else:
                unread_prefix = True
        if lowered.startswith("service"):
            pending.append(token.start + 7)
    for position in pending:
        starts = [position]
        silent = _SILENT.match(text, position)
        if silent:
            starts.append(silent.end())
        targets: set[str | None] = set()
        for start in starts:
            match = _SERVICE_TARGET.match(text, start)
            if match is None:
                continue
            if match.group("iri"):
                iri = _iri_value(match.group("iri"))
                targets.add(iri if _ABSOLUTE.match(iri) else None)
            elif match.group("pname"):
                prefix, _, local = match.group("pname").partition(":")
                local = _LOCAL_ESCAPE.sub(r"\1", local)
                bases = {None} if unread_prefix else prefixes.get(prefix, {None})
                targets.update(None if base is None else base + local for base in bases)
            else:
                targets.add(None)
        result.services.append(targets or {None})  # no target we can read: refuse rather than guess
    return result


def with_dataset(text: str, found: Scan, using: list[str], using_named: list[str]) -> str:
    """`text` with the protocol's `using-graph-uri` / `using-named-graph-uri` as USING clauses.

    SPARQL 1.1 Protocol §2.2.3: the parameters give the dataset of every operation's
    WHERE clause. `DELETE WHERE { P }` takes no USING, so it becomes the equivalent
    `DELETE { P } USING … WHERE { P }`.
    """
    clause = " ".join([*(f"USING <{iri}>" for iri in using), *(f"USING NAMED <{iri}>" for iri in using_named)])
    edits: list[tuple[int, int, str]] = []
    depth = 0
    items = found.tokens
    for index, token in enumerate(items):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            previous = items[index - 1] if index else None
            if previous is not None and previous.kind == "word" and previous.text.upper() == "DELETE":
                close = _closing_brace(items, index + 1)
                if close is None:
                    return text  # malformed: let the parser report it
                pattern = text[items[index + 1].start : items[close].end]
                edits.append((token.start, items[close].end, f"{pattern} {clause} WHERE {pattern}"))
            else:
                edits.append((token.start, token.start, f"{clause} "))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _closing_brace(items: list[Token], start: int) -> int | None:
    if start >= len(items) or items[start].text != "{":
        return None
    depth = 0
    for index in range(start, len(items)):
        if items[index].text == "{":
            depth += 1
        elif items[index].text == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


MAX_NESTING: Final = 200  # the parser recurses per level; some 10,000 levels overflow its stack
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")


def too_deep(text: str) -> str | None:
    """Why `text` nests groups, brackets or parentheses deeper than `MAX_NESTING`, or None.

    Counted over the tokens, so brackets in strings, IRIs and comments do not count;
    the count is only made when the text holds that many opening brackets at all.
    """
    if sum(text.count(bracket) for bracket in _OPEN) <= MAX_NESTING:
        return None
    depth = deepest = 0
    for token in tokens(text):
        if token.text in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in _CLOSE:
            depth -= 1
    if deepest <= MAX_NESTING:
        return None
    return f"巢狀過深 · nested {deepest} levels deep (groups, brackets, parentheses); at most {MAX_NESTING} are allowed"


# --- the worker: runs in its own process ------------------------------------------------------


class _CapReachedError(Exception):
    """The capped writer has all the lines it keeps."""


class _Capped(io.RawIOBase):
    """A write target that keeps the first `limit` lines and then stops the writer."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0
        self.parts: list[bytes] = []
        self.full = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        lines = chunk.count(b"\n")
        if self.lines + lines < self.limit:
            self.lines += lines
            self.parts.append(chunk)
            return len(chunk)
        cut = -1
        for _ in range(self.limit - self.lines):
            cut = chunk.index(b"\n", cut + 1)
        self.parts.append(chunk[: cut + 1])
        self.lines = self.limit
        self.full = True
        raise _CapReachedError

    def value(self) -> bytes:
        return b"".join(self.parts)


Reply = dict[str, Any]


def _reply(status: str, message: str = "", **extra: Any) -> tuple[Reply, bytes]:
    return {"status": status, "message": message, **extra}, b""


class Worker:
    """Runs jobs on the served build; one instance per worker process."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.max_results: int = config["max_results"]
        self.allowlist: list[str] = config["allowlist"]
        self.prefixes: dict[str, str] = config["prefixes"]
        self.mirror_quads: int = config.get("mirror_quads", 0)
        self.path: str | None = None
        self.store: ox.Store | None = None
        # (build folder, in-memory copy of it), set by the loading thread when the copy is whole.
        self._mirror: tuple[str, ox.Store] | None = None
        if config.get("store"):
            self._open(config["store"])

    def _open(self, path: str) -> ox.Store:
        """The build at `path` on disk, read-only (reopened when the served build changes)."""
        if self.store is None or path != self.path:
            self.store = None
            self._mirror = None
            self.store = ox.Store.read_only(path)
            self.path = path
            self._copy_to_memory(path, self.store)
        return self.store

    def _reader(self, path: str) -> ox.Store:
        """What queries read: the in-memory copy of the build once loaded, the disk build until then."""
        disk = self._open(path)
        mirror = self._mirror
        return mirror[1] if mirror is not None and mirror[0] == path else disk

    def _copy_to_memory(self, path: str, disk: ox.Store) -> None:
        """Load a copy of the build into memory in the background (queries on it run several times faster).

        pyoxigraph releases the GIL while it dumps and loads, so jobs keep running meanwhile.
        Builds over `mirror_quads` quads stay on disk only.
        """
        if self.mirror_quads <= 0:
            return

        def load() -> None:
            with contextlib.suppress(OSError, ValueError, SyntaxError, MemoryError):
                if len(disk) > self.mirror_quads:
                    return
                memory = ox.Store()
                memory.load(_bytes(disk.dump(format=ox.RdfFormat.N_QUADS)), format=ox.RdfFormat.N_QUADS)
                if self.path == path:
                    self._mirror = (path, memory)

        threading.Thread(target=load, name="mirror", daemon=True).start()

    def handle(self, job: dict[str, Any], body: bytes) -> tuple[Reply, bytes]:
        operation = job.get("op")
        if operation in {"query", "update"} and (deep := too_deep(job["text"])):
            return _reply(INVALID, deep)  # before the parser, which would overflow its stack
        if operation == "query":
            return self.query(job)
        if operation == "update":
            return self.update(job)
        if operation == "graph":
            return self.graph(job, body)
        return _reply(INVALID, f"unknown operation {operation!r}")

    # SPARQL 1.1 Protocol §2.1: the query operation.
    def query(self, job: dict[str, Any]) -> tuple[Reply, bytes]:
        text: str = job["text"]
        union = True
        lowered = text.lower()
        found: Scan | None = None
        if "service" in lowered or "from" in lowered:
            found = scan(text)
            refusal = found.refusal(self.allowlist)
            if refusal:
                return _reply(REFUSED, refusal)
            union = "FROM" not in found.keywords
        options: dict[str, Any] = {}
        dataset: dict[str, list[str]] | None = job.get("dataset")
        if dataset is not None:  # Protocol §2.1.4: the request's dataset replaces the query's
            union = False
            try:
                options["default_graph"] = [ox.NamedNode(iri) for iri in dataset["default"]]
                options["named_graphs"] = [ox.NamedNode(iri) for iri in dataset["named"]]
            except ValueError as error:
                return _reply(INVALID, f"資料集 IRI 無效 · invalid dataset IRI: {error}")
        try:
            store = self._reader(job["store"])
            result = store.query(text, base_iri=job.get("base"), use_default_graph_as_union=union, **options)
            reply, body = self._serialize(result, job["accept"])
            reply["cacheable"] = not (found and found.services) and _VOLATILE.search(lowered) is None
            return reply, body
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        except (ValueError, RuntimeError) as error:
            return _reply(INVALID, f"無法執行 · could not be evaluated: {error}")
        except OSError as error:
            return _reply(FAILED, str(error), service=bool(found and found.services))

    def _serialize(self, result: Any, accept: dict[str, str | None]) -> tuple[Reply, bytes]:
        return serialize(result, accept, max_results=self.max_results, prefixes=self.prefixes)

    # SPARQL 1.1 Protocol §2.2: the update operation.
    def update(self, job: dict[str, Any]) -> tuple[Reply, bytes]:
        found = scan(job["text"])
        prepared = prepare_update(job, found, self.allowlist)
        if isinstance(prepared, tuple):
            return prepared
        text = prepared
        base = job.get("base")
        try:
            self._revise(job, lambda store: store.update(text, base_iri=base))
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        except (ValueError, RuntimeError) as error:
            return _reply(INVALID, f"無法執行 · could not be evaluated: {error}")
        except OSError as error:
            return _reply(FAILED, str(error), service=bool(found.services))
        return _reply(OK)

    # SPARQL 1.1 Graph Store HTTP Protocol §5: GET, HEAD, PUT, POST, DELETE on one graph.
    def graph(self, job: dict[str, Any], body: bytes) -> tuple[Reply, bytes]:
        action: str = job["action"]
        iri: str | None = job.get("graph")
        try:
            target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(iri) if iri is not None else ox.DefaultGraph()
        except ValueError as error:
            return _reply(INVALID, f"圖 IRI 無效 · invalid graph IRI: {error}")
        try:
            store = self._open(job["store"])
            exists = isinstance(target, ox.DefaultGraph) or store.contains_named_graph(target)
            if action in {"get", "head"}:
                if not exists:
                    return _reply(NOT_FOUND, f"沒有這個圖 · no such graph: <{iri}>")
                media: str = job["accept"][GRAPH]
                if action == "head":
                    return {"status": OK, "kind": GRAPH, "media": media}, b""
                rdf_format = ox.RdfFormat.from_media_type(media)
                data = _bytes(store.dump(format=rdf_format, from_graph=target, prefixes=self.prefixes))
                return {"status": OK, "kind": GRAPH, "media": media}, data
            if action == "delete":
                if not exists:
                    return _reply(NOT_FOUND, f"沒有這個圖 · no such graph: <{iri}>")
                self._revise(job, lambda s: _clear(s, target))
                return _reply(OK)
            quads = self._payload(job, body, target, iri)
            if isinstance(quads, tuple):
                return quads
            replace = action == "put"
            self._revise(job, lambda s: _write(s, target, quads, replace=replace))
            return _reply(OK, created=not exists)
        except SyntaxError as error:
            return _reply(SYNTAX, str(error))
        except (ValueError, RuntimeError) as error:
            return _reply(INVALID, f"無法執行 · could not be carried out: {error}")
        except OSError as error:
            return _reply(FAILED, str(error))

    def _revise(self, job: dict[str, Any], change: Callable[[ox.Store], None]) -> None:
        """Apply `change` to a copy of the served build (copied from this worker's open handle) and swap it in."""
        source = self._open(job["store"]) if job.get("store") else None
        EmbeddedStore(job["folder"]).revise(change, source)

    def _payload(
        self, job: dict[str, Any], body: bytes, target: ox.NamedNode | ox.DefaultGraph, iri: str | None
    ) -> list[ox.Quad] | tuple[Reply, bytes]:
        """The request's RDF as quads in `target`; multipart/form-data holds one document per part."""
        media: str = job.get("media") or ""
        base = iri or job.get("base")
        documents: list[tuple[str, bytes]] = []
        if media.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + media.encode() + b"\r\n\r\n" + body)
            if not message.is_multipart():
                return _reply(INVALID, "multipart/form-data 內容無法解析 · malformed multipart/form-data body")
            for part in message.iter_parts():
                payload = part.get_payload(decode=True)
                documents.append((part.get_content_type(), payload if isinstance(payload, bytes) else b""))
        else:
            documents.append((media, body))
        quads: list[ox.Quad] = []
        for media_type, data in documents:
            rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
            if rdf_format is None or rdf_format.supports_datasets:
                return _reply(
                    UNSUPPORTED, f"不支援的 RDF 媒體類型 · unsupported RDF media type: {media_type or '(none)'}"
                )
            for quad in ox.parse(data, format=rdf_format, base_iri=base, rename_blank_nodes=True):
                quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, target))
        return quads


def prepare_update(job: dict[str, Any], found: Scan, allowlist: Iterable[str]) -> str | tuple[Reply, bytes]:
    """The update text to run, with the request's `using-graph-uri` dataset; or why it may not run.

    LOAD is refused, SERVICE held to the allowlist, and Protocol §2.2.3 forbids the
    parameters together with USING or WITH in the text.
    """
    text: str = job["text"]
    if "LOAD" in found.keywords:
        return _reply(REFUSED, "LOAD 已停用：服務不讀取外部或本機資料 · LOAD is disabled: the service fetches nothing")
    refusal = found.refusal(allowlist)
    if refusal:
        return _reply(REFUSED, refusal)
    using: list[str] = job.get("using") or []
    using_named: list[str] = job.get("using_named") or []
    if using or using_named:
        if found.keywords & {"USING", "WITH"}:
            return _reply(
                INVALID,
                "資料集衝突：同時使用 using-graph-uri 參數與 USING/WITH · "
                "dataset conflict: using-graph-uri/using-named-graph-uri together with USING or WITH",
            )
        for iri in [*using, *using_named]:
            try:
                ox.NamedNode(iri)
            except ValueError as error:
                return _reply(INVALID, f"資料集 IRI 無效 · invalid dataset IRI: {error}")
        text = with_dataset(text, found, using, using_named)
    return text


def serialize(
    result: Any, accept: dict[str, str | None], *, max_results: int, prefixes: dict[str, str]
) -> tuple[Reply, bytes]:
    """A query result (pyoxigraph's boolean, solutions or triples) in the media type `accept` names for its kind,
    cut after `max_results` rows or triples."""
    if isinstance(result, ox.QueryBoolean):
        media = accept.get(BOOLEAN)
        if media is None:
            return _reply(NOT_ACCEPTABLE, kind=BOOLEAN)
        results_format = ox.QueryResultsFormat.from_media_type(media)
        return {"status": OK, "kind": BOOLEAN, "media": media}, _bytes(result.serialize(format=results_format))
    if isinstance(result, ox.QuerySolutions):
        media = accept.get(SOLUTIONS)
        if media is None:
            return _reply(NOT_ACCEPTABLE, kind=SOLUTIONS)
        target = ox.QueryResultsFormat.from_media_type(media)
        capped = _Capped(max_results + 2)  # the header, the rows, one more to know
        with contextlib.suppress(_CapReachedError):
            result.serialize(cast(IO[bytes], capped), format=ox.QueryResultsFormat.TSV)
        tsv = capped.value()
        if capped.full:
            tsv = tsv[: _nth_newline(tsv, max_results + 1) + 1]
        if target != ox.QueryResultsFormat.TSV:
            tsv = _bytes(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=target))
        return {"status": OK, "kind": SOLUTIONS, "media": media, "truncated": capped.full}, tsv
    media = accept.get(GRAPH)
    if media is None:
        return _reply(NOT_ACCEPTABLE, kind=GRAPH)
    target_format = ox.RdfFormat.from_media_type(media)
    capped = _Capped(max_results + 1)
    with contextlib.suppress(_CapReachedError):
        result.serialize(cast(IO[bytes], capped), format=ox.RdfFormat.N_TRIPLES)
    triples = capped.value()
    if capped.full:
        triples = triples[: _nth_newline(triples, max_results) + 1]
    if target_format != ox.RdfFormat.N_TRIPLES:
        graph = ox.Store()
        graph.load(triples, format=ox.RdfFormat.N_TRIPLES)
        triples = _bytes(graph.dump(format=target_format, from_graph=ox.DefaultGraph(), prefixes=prefixes))
    return {"status": OK, "kind": GRAPH, "media": media, "truncated": capped.full}, triples


def _clear(store: ox.Store, target: ox.NamedNode | ox.DefaultGraph) -> None:
    if isinstance(target, ox.DefaultGraph):
        store.clear_graph(target)
    else:
        store.remove_graph(target)


def _write(store: ox.Store, target: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad], *, replace: bool) -> None:
    if replace:
        _clear(store, target)
    if isinstance(target, ox.NamedNode):
        store.add_graph(target)
    store.extend(quads)


def _bytes(data: bytes | None) -> bytes:
    """What pyoxigraph returns when it writes to no file: the bytes it wrote."""
    return data or b""


def _nth_newline(data: bytes, n: int) -> int:
    position = -1
    for _ in range(n):
        position = data.index(b"\n", position + 1)
    return position


def _read_frame(stream: IO[bytes]) -> tuple[dict[str, Any], bytes] | None:
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    header_size, body_size = _FRAME.unpack(head)
    header = json.loads(stream.read(header_size))
    body = stream.read(body_size) if body_size else b""
    return header, body


def _frame(header: dict[str, Any], body: bytes) -> bytes:
    encoded = json.dumps(header, ensure_ascii=False).encode()
    return _FRAME.pack(len(encoded), len(body)) + encoded + body


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the service process dies."""
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def main() -> None:
    """The worker process: read a config frame, then answer job frames until stdin closes.

    SIGINT and SIGTERM sent to the whole process group (Ctrl-C, a service manager) are
    ignored: the pool stops its workers after the requests in flight are answered.
    """
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    source = sys.stdin.buffer
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the channel
    first = _read_frame(source)
    if first is None:
        return
    config = first[0]
    _limit_memory(int(config.get("memory_mb", 0)))
    worker = Worker(config)
    sink.write(_frame({"status": "ready"}, b""))
    sink.flush()
    while (frame := _read_frame(source)) is not None:
        job, body = frame
        try:
            reply, payload = worker.handle(job, body)
        except Exception as error:  # a bug must not kill the worker; the service reports it
            reply, payload = _reply(FAILED, f"{type(error).__name__}: {error}")
        sink.write(_frame(reply, payload))
        sink.flush()


# --- the pool: runs in the service's event loop ----------------------------------------------


@dataclass
class Outcome:
    """A worker's answer to one job, or the pool's own (timeout, busy, crashed)."""

    status: str
    message: str = ""
    kind: str = ""
    media: str = ""
    body: bytes = b""
    truncated: bool = False
    created: bool = False
    service: bool = False
    cacheable: bool = False

    @classmethod
    def of(cls, reply: Reply, body: bytes) -> Outcome:
        return cls(
            status=str(reply.get("status", FAILED)),
            message=str(reply.get("message", "")),
            kind=str(reply.get("kind", "")),
            media=str(reply.get("media", "")),
            body=body,
            truncated=bool(reply.get("truncated", False)),
            created=bool(reply.get("created", False)),
            service=bool(reply.get("service", False)),
            cacheable=bool(reply.get("cacheable", False)),
        )


class _Process:
    """One worker process and its pipes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.writer = process.stdin
        self.reader = process.stdout

    async def exchange(self, header: dict[str, Any], body: bytes) -> tuple[Reply, bytes]:
        self.writer.write(_frame(header, body))
        await self.writer.drain()
        header_size, body_size = _FRAME.unpack(await self.reader.readexactly(_FRAME.size))
        reply: Reply = json.loads(await self.reader.readexactly(header_size))
        return reply, (await self.reader.readexactly(body_size) if body_size else b"")

    def dead(self) -> bool:
        """Whether the process has exited or closed its end of the channel."""
        return self.process.returncode is not None or self.reader.at_eof()

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


class QueryPool:
    """Worker processes that run jobs under a deadline; a worker past it is killed and replaced."""

    def __init__(
        self,
        size: int,
        *,
        max_results: int,
        allowlist: Iterable[str] = (),
        prefixes: dict[str, str] | None = None,
        memory_mb: int = 0,
        mirror_quads: int = 0,
        store: str | None = None,
    ) -> None:
        self.size = size
        self.config = {
            "max_results": max_results,
            "allowlist": list(allowlist),
            "prefixes": prefixes or {},
            "memory_mb": memory_mb,
            "mirror_quads": mirror_quads,
            "store": None,
        }
        self.folder = store
        self._idle: asyncio.Queue[_Process] = asyncio.Queue()
        self._all: set[_Process] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False
        self._writes = asyncio.Lock()

    async def start(self) -> None:
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def close(self) -> None:
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.writer.close()
            await worker.kill()
        self._all.clear()

    async def _spawn(self) -> _Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kg.store.query", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        worker = _Process(process)
        config = self.config | {"store": served_build(self.folder) if self.folder else None}
        try:
            reply, _ = await asyncio.wait_for(worker.exchange(config, b""), 60)
        except BaseException:
            await worker.kill()
            raise
        if reply.get("status") != "ready":
            await worker.kill()
            raise RuntimeError(f"query worker did not start: {reply}")
        return worker

    async def _add(self) -> None:
        worker = await self._spawn()
        if self._closed:
            await worker.kill()
            return
        self._all.add(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Process) -> None:
        """Kill `worker` and start another in the background."""
        self._all.discard(worker)

        async def renew() -> None:
            await worker.kill()
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    await self._add()
                    return
                except (OSError, RuntimeError, TimeoutError) as error:
                    print(f"查詢程序無法啟動 · query worker failed to start: {error}", file=sys.stderr)
                    await asyncio.sleep(attempt + 1)

        task = asyncio.get_running_loop().create_task(renew())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def run(self, job: dict[str, Any], body: bytes = b"", *, timeout: float, write: bool = False) -> Outcome:
        """Run `job` on an idle worker and stop it `timeout` seconds after the call.

        Writes (`write=True`) run one at a time: each revises the build the last one served.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        if not write:
            return await self._run(job, body, deadline)
        try:
            async with asyncio.timeout_at(deadline):
                await self._writes.acquire()
        except TimeoutError:
            return Outcome(BUSY)
        try:
            return await self._run(job, body, deadline)
        finally:
            self._writes.release()

    async def _run(self, job: dict[str, Any], body: bytes, deadline: float) -> Outcome:
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
                while worker.dead():  # killed while idle (OOM killer, an operator): not this job's fault
                    self._replace(worker)
                    worker = await self._idle.get()
        except TimeoutError:
            return Outcome(BUSY)
        finished = False
        try:
            async with asyncio.timeout_at(deadline):
                reply, payload = await worker.exchange(job, body)
            finished = True
            return Outcome.of(reply, payload)
        except TimeoutError:
            return Outcome(TIMEOUT)
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
            return Outcome(CRASHED)
        finally:
            if finished:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)


def served_build(folder: str) -> str | None:
    """The build folder the store's `current` link names, or None before the first build."""
    try:
        return os.path.join(folder, os.readlink(os.path.join(folder, "current")))
    except OSError:
        return None


if __name__ == "__main__":
    main()
