"""`{"reports": [...]}`, one report per input, in order."""

from __future__ import annotations

from ..files import json_text
from ..models.findings import Report


def render(reports: list[Report]) -> str:
    payload = {"reports": [r.model_dump(mode="json") for r in reports]}
    return json_text(payload, indent=2) + "\n"
