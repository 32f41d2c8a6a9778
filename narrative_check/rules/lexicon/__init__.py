"""Lexicon rules (LEX): codes, names and numbering against the official classification."""

from . import LEX001, LEX002, LEX003, LEX004  # noqa: F401
