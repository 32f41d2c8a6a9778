"""The 政府收支分类科目 catalogue (lexicons/gov_classification.tsv): official names by code and year."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from . import lexicons


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    system: str  # function | economic
    from_year: int | None
    to_year: int | None
    note: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.from_year is None or self.from_year <= year) and (self.to_year is None or year <= self.to_year)


_NAME_NOISE = regex.compile(r"[\s\u3000“”\"'‘’]")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names compared without spaces and quotes, with 和/与 and bracket styles unified."""
    from .extract.normalize import to_simplified

    name = _NAME_NOISE.sub("", to_simplified(name))
    name = name.replace("(", "（").replace(")", "）").replace("与", "和")
    return name


class Catalogue:
    def __init__(self, entries: list[Entry]) -> None:
        self.by_code: dict[str, list[Entry]] = {}
        self.by_name: dict[str, set[str]] = {}
        for e in entries:
            self.by_code.setdefault(e.code, []).append(e)
            self.by_name.setdefault(name_key(e.name), set()).add(e.code)

    def names(self, code: str, year: int | None = None) -> list[Entry]:
        return [e for e in self.by_code.get(code, []) if e.valid_in(year)]

    def knows(self, code: str) -> bool:
        return code in self.by_code

    def name_matches(self, code: str, name: str, year: int | None = None) -> bool:
        key = name_key(name)
        return any(name_key(e.name) == key for e in self.names(code, year))

    def code_for_name(self, name: str) -> str | None:
        """The 类 code of a function-class name ('社会保障和就业支出' → '208'), when unique."""
        codes = {c for c in self.by_name.get(name_key(name), set()) if len(c) == 3 and c.startswith("2")}
        return codes.pop() if len(codes) == 1 else None


def _year(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    entries = []
    try:
        rows = lexicons.rows("gov_classification.tsv")
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        rows = ()
    for row in rows:
        fields = list(row) + [""] * (6 - len(row))
        entries.append(Entry(fields[0], fields[1], fields[2], _year(fields[3]), _year(fields[4]), fields[5]))
    return Catalogue(entries)
