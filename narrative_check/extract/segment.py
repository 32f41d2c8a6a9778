"""Word segmentation: jieba with our user dictionary, through spaCy's Chinese class.

Loaded lazily and once: only subject phrases are segmented, never tables or
whole reports, so a check costs a fraction of segmenting the text.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from .. import lexicons


@lru_cache(maxsize=1)
def _nlp():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    # spaCy's jieba segmenter uses jieba's global dictionary: load ours first.
    for row in lexicons.rows("jieba_userdict.tsv"):
        jieba.add_word(row[0], int(row[1]) if len(row) > 1 else None, row[2] if len(row) > 2 else None)
    for word in lexicons.words("subject_fillers.tsv"):
        jieba.add_word(word, 20000)
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=1)
def _segmenter():
    """The jieba segmenter spaCy's Chinese tokenizer was configured with."""
    return _nlp().tokenizer.jieba_seg


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words of a short phrase, as spaCy's Chinese tokenizer cuts them (without space tokens).

    The segmenter's cut, aligned as the tokenizer aligns it, without building a spaCy Doc:
    the Doc (lexemes, arrays) cost twice the segmentation and nothing here reads it.
    """
    if not text:
        return ()
    from spacy.util import get_words_and_spaces

    cut, _ = get_words_and_spaces([w for w in _segmenter().cut(text, cut_all=False) if w], text)
    return tuple(w for w in cut if not w.isspace())
