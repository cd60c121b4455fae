"""The one small interface every source-format reader implements, and its error."""

from __future__ import annotations

from typing import Protocol

from kg.model import Standard


class ParseError(ValueError):
    """A source document that cannot be read, naming the file and the line or field."""

    def __init__(self, source: str, where: str, message: str) -> None:
        self.source = source
        self.where = where
        self.message = message
        super().__init__(f"{source}: {where}: {message}")


class Reader(Protocol):
    """A reader for one source format.

    `accepts` decides by content (not by file name); `read` returns the standard or
    raises `ParseError` with the file and a line (`line 12`) or field (`ocs_profile.ocs_code`).
    """

    name: str

    def accepts(self, text: str) -> bool: ...

    def read(self, text: str, source: str) -> Standard: ...
