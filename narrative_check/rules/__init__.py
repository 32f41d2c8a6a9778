"""The rules. Importing this package registers every rule."""

from . import arithmetic, contradiction, document, lexicon, performance, reasons, table, text_table  # noqa: F401
from .base import REGISTRY, Rule, RuleContext

__all__ = ["REGISTRY", "Rule", "RuleContext", "all_rules"]


def all_rules() -> dict[str, type]:
    """Every rule by code, sorted: the per-report ones (`REGISTRY`) and those that compare reports
    with each other (`multiyear.CROSS_REPORT_RULES`, e.g. CON010)."""
    # multiyear imports rules.base, so importing it at the top would be circular.
    from ..multiyear import CROSS_REPORT_RULES

    merged = {**REGISTRY, **CROSS_REPORT_RULES}
    return {code: merged[code] for code in sorted(merged)}
