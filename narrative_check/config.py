"""Settings that change what is checked and how strictly."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from .interval import Rounding


class Settings(BaseModel):
    select: list[str] = Field(default_factory=list, description="rule codes or prefixes to run; empty = all")
    ignore: list[str] = Field(default_factory=list, description="rule codes or prefixes to skip")
    rounding: Rounding = Field(default="round", description="how stated figures were rounded: round, truncate, either")
    explain_threshold: Decimal = Field(
        default=Decimal(10),
        description="a change of this many percent or more needs a stated reason (RSN rules; 决算 reports)",
    )
    max_bytes: int = Field(default=50 * 1024 * 1024, description="inputs larger than this are refused")

    def enabled(self, code: str) -> bool:
        """Select and ignore work by prefix; the more specific match wins (as in ruff)."""
        code = code.upper()
        selected = max((len(s) for s in self.select if code.startswith(s.upper())), default=None)
        if self.select and selected is None:
            return False
        ignored = max((len(s) for s in self.ignore if code.startswith(s.upper())), default=None)
        if ignored is None:
            return True
        return selected is not None and selected > ignored
