"""The `kg` command: thin, each subcommand calls one façade."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kg import dumps
from kg.build import COUNTED, FORMATS, Build, build
from kg.labels import display_width
from kg.queries import ParameterError
from kg.queries import load as load_queries
from kg.settings import Settings
from kg.store.embedded import EmbeddedStore
from kg.store.remote import RemoteError, RemoteStore
from kg.uris import Minter
from kg.validate import Report, validate_store


def _table(header: list[str], rows: list[list[str]], left: int = 2) -> str:
    """A plain text table whose columns line up with CJK text too; text left, numbers right."""
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - display_width(c)) if i < left else " " * (w - display_width(c)) + c
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def summary(result: Build) -> str:
    """One row per standard: its code, name and the counts of its graph."""
    header = ["standard", "name", *COUNTED, "triples"]
    rows = []
    totals = dict.fromkeys([*COUNTED, "triples"], 0)
    for document in result.documents:
        counts = document.counts()
        for key, value in counts.items():
            totals[key] += value
        rows.append([document.standard.code, document.standard.name, *map(str, counts.values())])
    rows.append([f"{len(result.documents)} standards", "", *map(str, totals.values())])
    return _table(header, rows)


def _progress(index: int, total: int, path: Path) -> None:
    if sys.stderr.isatty():
        print(f"\r讀取 reading {index}/{total} {path.name[:40]:<40}", end="", file=sys.stderr, flush=True)
        if index == total:
            print(file=sys.stderr)
    elif total >= 20 and (index == total or index % max(1, total // 10) == 0):
        print(f"讀取 reading {index}/{total}", file=sys.stderr)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    if args.out and args.out.suffix not in FORMATS:
        print(f"錯誤 error: {args.out}: unknown output format; use one of {' '.join(FORMATS)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = build(args.sources or settings.data, Minter(settings.base_iri), _progress)
    print(summary(result))
    for error in result.errors:
        print(f"錯誤 error: {error}", file=sys.stderr)
    if args.out:
        result.write(args.out)
        print(f"已寫入 written: {args.out}")
    if result.errors:
        print(f"{len(result.errors)} 份文件無法讀取 documents failed; the store was not replaced", file=sys.stderr)
        return 1
    report = result.validate()
    counts = ", ".join(f"{severity} {n}" for severity, n in report.counts().items())
    print(f"驗證 validation: {counts} (kg validate shows each result)")
    if not report.conforms:
        violations = Report([r for r in report.results if r.severity == "Violation"], report.graph)
        print(violations.to_text(), file=sys.stderr)
        print("違反資料模型，資料庫未更新 violations found; the store was not replaced", file=sys.stderr)
        return 1
    if not args.no_store and settings.remote:
        try:
            graphs = RemoteStore.of(settings).replace(result.dataset())
        except (RemoteError, OSError) as error:
            print(f"錯誤 error: 載入失敗 loading into {settings.store} failed: {error}", file=sys.stderr)
            return 1
        print(f"已載入 loaded {len(graphs)} graphs into {settings.store}")
    elif not args.no_store:
        store = EmbeddedStore(args.store or settings.store)
        try:
            target = store.replace(result.dataset(), dumps.attach)
        except OSError as error:  # the folder not writable, the disk full: the new build was removed
            print(f"錯誤 error: 無法寫入資料庫 · cannot write the store: {error}", file=sys.stderr)
            print("資料庫未更新 the served store was not replaced", file=sys.stderr)
            return 1
        print(f"已載入 loaded into the embedded store: {target}")
    print(f"完成 done in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    if args.store:
        report = validate_store(EmbeddedStore(settings.store).open())
    else:
        result = build(args.sources or settings.data, Minter(settings.base_iri), _progress)
        for error in result.errors:
            print(f"錯誤 error: {error}", file=sys.stderr)
        report = result.validate()
        if result.errors:
            print(_render(report, args.format))
            return 1
    print(_render(report, args.format))
    return 0 if report.conforms else 1


def _render(report: Report, fmt: str) -> str:
    return {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}[fmt]()


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    named = load_queries()
    if args.name not in named:
        print(f"錯誤 error: no named query {args.name!r}; one of: {' '.join(named)}", file=sys.stderr)
        return 2
    values: dict[str, list[str]] = {}
    for pair in args.param:
        key, _, value = pair.partition("=")
        values.setdefault(key, []).extend(value.split(",") if value else [""])
    try:
        text = named[args.name].bind(values, args.limit, args.offset)
    except ParameterError as error:
        print(f"錯誤 error: invalid parameter {error}", file=sys.stderr)
        return 2
    store = EmbeddedStore(settings.store)
    if not store.exists():
        print(f"錯誤 error: no store in {settings.store}; run kg build first", file=sys.stderr)
        return 1
    columns, rows = store.select(text)
    if args.format == "json":
        print(
            json.dumps(
                {"columns": columns, "rows": [dict(zip(columns, r, strict=True)) for r in rows]}, ensure_ascii=False
            )
        )
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerows([columns, *rows])
    else:
        print(_table(columns, rows, left=len(columns)))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    store = EmbeddedStore(settings.store)
    if not store.exists():
        print(f"錯誤 error: no store in {settings.store}; run kg build first", file=sys.stderr)
        return 1
    manifest = dumps.write(store.open(), args.out)
    for dump in manifest["dumps"]:
        print(f"{args.out / dump['name']}  {dump['bytes']} bytes  sha256 {dump['sha256']}")
    print(f"已寫入 written: {manifest['triples']} triples")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from service.main import serve

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    serve(settings.model_copy(update=overrides))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kg", description="職能基準知識圖譜 Competency-standards knowledge graph")
    commands = main.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="parse, map and load source documents (default: data/)")
    b.add_argument("sources", nargs="*", type=Path, help="source files or folders")
    b.add_argument("--out", type=Path, help="also write the graph to FILE (.ttl .nt .nq .trig .jsonld)")
    b.add_argument("--store", help="embedded store folder (default: KG_STORE)")
    b.add_argument("--no-store", action="store_true", help="do not load the embedded store")
    b.set_defaults(run=cmd_build)
    v = commands.add_parser("validate", help="check source documents (or the served store) against the shapes")
    v.add_argument("sources", nargs="*", type=Path, help="source files or folders (default: data/)")
    v.add_argument("--store", action="store_true", help="validate the embedded store (KG_STORE) instead")
    v.add_argument("--format", choices=("text", "json", "turtle"), default="text", help="report format")
    v.set_defaults(run=cmd_validate)
    q = commands.add_parser("query", help="run a named query of queries/ on the embedded store")
    q.add_argument("name", help="the query's name, e.g. skill-frequency")
    q.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter; V may be a,b,c")
    q.add_argument("--limit", type=int, default=100, help="rows at most (SELECT queries)")
    q.add_argument("--offset", type=int, default=0, help="rows to skip")
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.set_defaults(run=cmd_query)
    e = commands.add_parser("export", help="write the dumps of the served store (Turtle, N-Triples gzip, JSON-LD)")
    e.add_argument("--out", type=Path, default=Path("dumps"), help="folder to write into (default: ./dumps)")
    e.set_defaults(run=cmd_export)
    s = commands.add_parser("serve", help="serve the SPARQL endpoint (builds the store on first start)")
    s.add_argument("--host", help="address to listen on (default: KG_HOST, 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: KG_PORT, 8000)")
    s.set_defaults(run=cmd_serve)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args, Settings())
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
