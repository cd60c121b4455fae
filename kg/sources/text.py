"""Shared helpers for the readers of text extracted from the official PDFs."""

from __future__ import annotations

import re

from kg.labels import is_wide

# Position codes of the iCAP template: duty T1, task T1.1, output O1.1.1,
# indicator P1.1.1, knowledge K01/K1, skill S01/S1, attitude A01/A1.
CODE = re.compile(r"(?:T\d+(?:\.\d+)?|[OP]\d+(?:\.\d+){2,}|[KSA]\d+)")


def join_fragments(fragments: list[str]) -> str:
    """Join the lines of one table cell that the PDF wrapped.

    A wrap between two CJK characters was no space in the source; a wrap between
    Latin words was one.
    """
    text = ""
    for fragment in (f.strip() for f in fragments):
        if not fragment:
            continue
        if text and not (is_wide(text[-1]) or is_wide(fragment[0])):
            text += " "
        text += fragment
    return text
