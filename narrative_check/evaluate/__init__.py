"""Measured detection quality: labelled errors injected into consistent reports, and the score.

`mutate` makes copies of a real report with one realistic error each (found by parsing the
report with the library itself, then edited in the raw text at the claim's or cell's offsets);
`score` checks every copy and counts, per rule family, which injected errors were found and how
many of the new findings were caused by the injected error.
"""

from .mutate import KINDS, Mutation, generate
from .score import Evaluation, evaluate

__all__ = ["KINDS", "Evaluation", "Mutation", "evaluate", "generate"]
