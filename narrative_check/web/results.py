"""Checked files' results kept for a short while, under random tokens, for the page's links."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Callable


@dataclass(frozen=True)
class Result:
    name: str
    """The file's name as the editor's browser gave it (display only)."""
    report_html: str
    annotated_docx: bytes | None = None
    overview: str = ""
    """The result page's summary above the report (HTML)."""
    created: float = field(default=0.0, compare=False)


class Results:
    """At most `capacity` results, each for `lifetime` seconds; the oldest goes first when full.

    Tokens are 128 random bits: a result can only be fetched by the page it was shown on.
    """

    def __init__(self, *, lifetime: float, capacity: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime = lifetime
        self.capacity = capacity
        self._clock = clock
        self._kept: OrderedDict[str, Result] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, result: Result) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._drop_expired()
            while len(self._kept) >= self.capacity:
                self._kept.popitem(last=False)
            self._kept[token] = replace(result, created=self._clock())
        return token

    def get(self, token: str) -> Result | None:
        with self._lock:
            self._drop_expired()
            return self._kept.get(token)

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired()
            return len(self._kept)

    def _drop_expired(self) -> None:
        now = self._clock()
        while self._kept:
            token, oldest = next(iter(self._kept.items()))
            if now - oldest.created < self.lifetime:
                break
            del self._kept[token]
