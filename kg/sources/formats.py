"""Source documents → `Standard`: the known formats, and the reader a text is in.

`parse(path)` is the façade; `discover(paths)` expands folders into the documents
they hold, in a stable order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.model import Standard
from kg.sources import corpus_json, text_duties, text_tasks
from kg.sources.reader import ParseError, Reader

READERS: tuple[Reader, ...] = (corpus_json.reader, text_duties.reader, text_tasks.reader)
SUFFIXES = (".json", ".txt")

__all__ = ["READERS", "ParseError", "Reader", "detect", "discover", "parse"]


def detect(text: str, source: str) -> Reader:
    """The reader whose format the text is in; `ParseError` when none accepts it."""
    for reader in READERS:
        if reader.accepts(text):
            return reader
    known = ", ".join(r.name for r in READERS)
    raise ParseError(source, "line 1", f"unknown layout: not one of the known formats ({known})")


def parse(path: Path) -> Standard:
    """Read one source document; `ParseError` names the file and the line or field."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(source, f"byte {error.start}", "not UTF-8 text") from None
    except OSError as error:
        raise ParseError(source, "file", error.strerror or str(error)) from None
    if not text.strip():
        raise ParseError(source, "line 1", "empty document")
    return detect(text, source).read(text, source)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their source documents (.json, .txt), sorted by path."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found
