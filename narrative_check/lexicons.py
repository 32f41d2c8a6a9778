"""Access to the data files in ``lexicons/``.

Lexicons are tab-separated text. Lines starting with '#' are comments; the
first of them names the file's source. A repository checkout reads them from
the top-level ``lexicons/`` folder; an installed wheel carries a copy inside
the package (see ``pyproject.toml``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def lexicon_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "lexicons", _PACKAGE_DIR.parent / "lexicons"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("narrative_check cannot find its lexicons/ folder")


def lexicon_path(name: str) -> Path:
    return lexicon_dir() / name


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The data rows of a lexicon file, each split on tabs, comments and blanks dropped."""
    out = []
    for raw in lexicon_path(name).read_text(encoding="utf-8").splitlines():
        line = raw.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(out)


def source_header(name: str) -> str:
    """The first comment line of a lexicon: where its data comes from."""
    for raw in lexicon_path(name).read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            return raw.lstrip("# ").strip()
    return ""


def words(name: str) -> tuple[str, ...]:
    """The first column of a lexicon."""
    return tuple(row[0] for row in rows(name))


def mapping(name: str) -> dict[str, tuple[str, ...]]:
    """First column → the remaining columns."""
    return {row[0]: row[1:] for row in rows(name)}
