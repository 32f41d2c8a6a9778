"""Word segmentation: jieba with our user dictionary, its words aligned as spaCy's Chinese tokenizer aligns them.

Loaded lazily and once: only subject phrases are segmented, never tables or
whole reports, so a check costs a fraction of segmenting the text.

The tokens are those of spaCy's `Chinese` class configured with the jieba segmenter (the
segmenter's cut, then `spacy.util.get_words_and_spaces`), produced without importing spaCy: its
import cost half a second of every check and nothing here used more of it than that alignment.

jieba's dictionary (half a million words and prefixes) is the other start-up cost. jieba reads
its own cache with `marshal.load(file)`, three times slower than `marshal.loads` of the whole
file, so we keep a copy of the built dictionary in the user's cache folder
(`dictionary_cache_path()`), keyed by jieba's version and its dictionary file, and load that;
our user words are added on top each time, with jieba's own `add_word`, as before.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .. import lexicons

# Raised when the layout of our dictionary cache file changes, so an old file is not read.
_CACHE_FORMAT = 1
CACHE_DIR_ENV = "NARRATIVE_CHECK_CACHE_DIR"


class Token(NamedTuple):
    """One token as spaCy's Chinese tokenizer makes it: its text, offset, and whether one space follows."""

    text: str
    idx: int
    space: bool


def segmenter():
    """A jieba `Tokenizer` holding jieba's dictionary and our user words (its own instance:
    jieba's global one, which other code in the process may use, is left as it is). Built once
    per process: two threads' first checks (a `serve` page) wait for one build."""
    with _BUILDING:
        return _segmenter()


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter():
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    _load_dictionary(tokenizer)
    for row in lexicons.rows("jieba_userdict.tsv"):
        tokenizer.add_word(row[0], int(row[1]) if len(row) > 1 else None, row[2] if len(row) > 2 else None)
    for word in lexicons.words("subject_fillers.tsv"):
        tokenizer.add_word(word, 20000)
    return tokenizer


segmenter.cache_clear = _segmenter.cache_clear  # type: ignore[attr-defined]  # as in a fresh process, for tests


def tokens(text: str) -> list[Token]:
    """The tokens of `text`, space tokens included, as spaCy's Chinese tokenizer (jieba segmenter) makes them."""
    return aligned([w for w in segmenter().cut(text, cut_all=False) if w], text)


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words of a short phrase: its tokens without the space tokens."""
    if not text:
        return ()
    return tuple(t.text for t in tokens(text) if not t.text.isspace())


def aligned(cut: list[str], text: str) -> list[Token]:
    """The segmenter's words laid on `text` as `spacy.util.get_words_and_spaces` lays them.

    Whitespace words are dropped and realigned: one plain space after a word becomes that word's
    trailing space; any other whitespace between words (a second space, a tab, an ideographic
    space, a line break) becomes a token of its own.
    """
    if "".join("".join(cut).split()) != "".join(text.split()):
        raise ValueError(f"the words do not spell the text: {text!r}")
    out: list[Token] = []
    pos = 0
    for word in cut:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0:
            raise ValueError(f"the words do not spell the text: {text!r}")
        if start > pos:
            out.append(Token(text[pos:start], pos, False))
        pos = start + len(word)
        space = pos < len(text) and text[pos] == " "
        out.append(Token(word, start, space))
        pos += space
    if pos < len(text):
        out.append(Token(text[pos:], pos, False))
    return out


def _import_jieba():
    """jieba, imported without setuptools' `pkg_resources`.

    jieba imports `pkg_resources` (0.1 s, a tenth of a cold check) only to open its own data files,
    and opens them with `open()` when the import fails, as it does wherever setuptools is not
    installed. A `None` in `sys.modules` makes that import fail; it is taken out again at once, so
    code importing `pkg_resources` later gets it.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]  # only our marker: a real module another thread imported stays
    return jieba


# ---- jieba's dictionary, cached --------------------------------------------------------------


def _load_dictionary(tokenizer) -> None:
    """Give `tokenizer` jieba's default dictionary, from our cache if it holds this version's."""
    try:
        path = dictionary_cache_path()
    except RuntimeError:  # no home folder to keep a cache in: build the dictionary, as jieba alone would
        tokenizer.initialize()
        return
    try:
        freq, total = marshal.loads(path.read_bytes())
        if not isinstance(freq, dict) or not isinstance(total, int):
            raise ValueError("not a dictionary cache")
    except (OSError, ValueError, EOFError, TypeError):  # none yet, unreadable, or damaged: build it again
        tokenizer.initialize()
        _write_cache(path, marshal.dumps((tokenizer.FREQ, tokenizer.total)))
        return
    install_dictionary(tokenizer, freq, total)


def install_dictionary(tokenizer, freq: dict[str, int], total: int) -> None:
    """Set a jieba `Tokenizer`'s prefix dictionary as its `initialize()` would.

    jieba has no public way to hand a tokenizer a dictionary already built: `initialize()` reads
    its own cache with the slow `marshal.load(file)`. These three attributes are what it sets
    (jieba 0.42); tests/test_segment.py fails if a jieba release stores them otherwise.
    """
    tokenizer.FREQ = freq
    tokenizer.total = total
    tokenizer.initialized = True


def _write_cache(path: Path, data: bytes) -> None:
    from ..errors import InputError
    from ..files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)  # a concurrent reader sees the old file or the new one, never half
    except (OSError, InputError):  # a read-only home: every run builds the dictionary, as jieba alone would
        pass


def dictionary_cache_path() -> Path:
    """Where the built dictionary is kept: named after jieba's version and its dictionary file's size and time."""
    import jieba

    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        st = dictionary.stat()
        identity = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:  # a zipped install: jieba reads it through its resource loader; the version names it
        identity = "-"
    key = hashlib.sha256(f"{_CACHE_FORMAT}:{jieba.__version__}:{dictionary}:{identity}".encode()).hexdigest()[:16]
    return cache_dir() / f"jieba-{jieba.__version__}-{key}.marshal"


def cache_dir() -> Path:
    """The user's cache folder for narrative_check (`NARRATIVE_CHECK_CACHE_DIR` overrides it)."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "narrative_check"
