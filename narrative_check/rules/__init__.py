"""The rules. Importing this package registers every rule."""

from . import arithmetic, contradiction, lexicon, performance, reasons, table, text_table  # noqa: F401
from .base import REGISTRY, Rule, RuleContext

__all__ = ["REGISTRY", "Rule", "RuleContext"]
