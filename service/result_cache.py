"""Answers to repeated queries, kept in memory per served build.

The served data only changes by swapping in a new build, and the build's folder is
part of every key, so an entry can never be stale: after a swap the old entries
simply stop matching and age out. Least recently used entries go first once the
cache holds `max_bytes`. A request with `Cache-Control: no-cache` skips the lookup
(RFC 9111 §5.2.1.4) and `no-store` skips keeping its answer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from kg.store.query import Outcome

HEADER = "X-KG-Cache"  # hit or miss


class ResultCache:
    def __init__(self, max_bytes: int, max_entry_bytes: int = 1 << 20) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.size = 0
        self._entries: OrderedDict[Hashable, Outcome] = OrderedDict()

    def get(self, key: Hashable) -> Outcome | None:
        outcome = self._entries.get(key)
        if outcome is not None:
            self._entries.move_to_end(key)
        return outcome

    def put(self, key: Hashable, outcome: Outcome) -> None:
        size = len(outcome.body)
        if size > self.max_entry_bytes or key in self._entries:
            return
        self._entries[key] = outcome
        self.size += size
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)
