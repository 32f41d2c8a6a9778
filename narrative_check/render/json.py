"""`{"reports": [...]}`, one report per input, in order."""

from __future__ import annotations

import json

from ..models.findings import Report


def render(reports: list[Report]) -> str:
    payload = {"reports": [r.model_dump(mode="json") for r in reports]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
