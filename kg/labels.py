"""Normalised labels: the key under which the same K, S or A item of different
standards meets in one shared concept."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# A colon ends the item's name and starts its sub-items or definition
# (讀寫技能：…, 親和關係：…), except between digits (ISO 9001:2015).
_NAME_END = re.compile(r"(?<!\d):|:(?!\d)")
_TRAILING = ".,;:、。，；：．"


def is_wide(char: str) -> bool:
    """True for East Asian wide or full-width characters (CJK text and punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width font: 2 for a wide character, 1 for any other."""
    return sum(2 if is_wide(char) else 1 for char in text)


def normalise(label: str) -> str:
    """NFKC, the name before its colon, spacing folded, trailing punctuation dropped.

    NFKC folds full-width letters, digits and punctuation to their half-width forms;
    a space is kept only between two narrow (Latin) characters.
    """
    text = unicodedata.normalize("NFKC", label)
    head = _NAME_END.split(text, maxsplit=1)[0]
    if head.strip():
        text = head
    words = text.split()
    folded = ""
    for word in words:
        if folded and not (_joins(folded[-1]) or _joins(word[0])):
            folded += " "
        folded += word
    return folded.rstrip(_TRAILING + " ")


def _joins(char: str) -> bool:
    """True where a neighbouring space is only layout: beside CJK text or punctuation."""
    return is_wide(char) or unicodedata.category(char).startswith("P")


def concept_key(label: str) -> str:
    """A short, stable identifier for a normalised label."""
    return hashlib.sha256(normalise(label).encode()).hexdigest()[:12]
