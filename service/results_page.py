"""Query results as a small HTML page, for a browser that GETs `/sparql?query=…`."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}small{color:#666}pre{white-space:pre-wrap}"
)


def _term(term: dict[str, Any]) -> str:
    value = str(term.get("value", ""))
    kind = term.get("type")
    if kind == "uri":
        if value.startswith(("http://", "https://")):
            return f'<a href="{escape(value)}">{escape(value)}</a>'
        return escape(value)
    if kind == "bnode":
        return f"_:{escape(value)}"
    if kind == "triple":
        inner = term.get("value") or {}
        parts = (_term(inner.get(k, {})) for k in ("subject", "predicate", "object"))
        return f"&lt;&lt;( {' '.join(parts)} )&gt;&gt;"
    text = escape(value)
    if "xml:lang" in term:
        return f"{text} <small>@{escape(str(term['xml:lang']))}</small>"
    if "datatype" in term:
        return f"{text} <small>^^{escape(str(term['datatype']))}</small>"
    return text


def _page(body: str) -> str:
    return (
        '<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f"<title>SPARQL 查詢結果 · query results</title><style>{_STYLE}</style></head>"
        f"<body><h1>SPARQL 查詢結果 · query results</h1>{body}</body></html>"
    )


def render(kind: str, data: bytes, truncated: bool) -> str:
    """The page for a result: a table of solutions, the ASK answer, or a graph as Turtle."""
    if kind == "graph":
        return _page(f"<pre>{escape(data.decode('utf-8'))}</pre>")
    results = json.loads(data)
    if "boolean" in results:
        answer = "是 · true" if results["boolean"] else "否 · false"
        return _page(f"<p>ASK: <strong>{answer}</strong></p>")
    names = results["head"]["vars"]
    rows = results["results"]["bindings"]
    head = "".join(f"<th>?{escape(name)}</th>" for name in names)
    body = "".join(
        "<tr>" + "".join(f"<td>{_term(row[name]) if name in row else ''}</td>" for name in names) + "</tr>"
        for row in rows
    )
    note = f"<p>{len(rows)} 列 · rows" + ("（已截斷 · truncated）" if truncated else "") + "</p>"
    return _page(f"{note}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
