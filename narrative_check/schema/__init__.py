"""The JSON schema of a report, generated from the pydantic models.

`report.schema.json` beside this file is the committed copy, shipped in the package; a test
fails when the models change without it being regenerated (`narrative-check schema > …`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..models.findings import SCHEMA_VERSION, Report

SCHEMA_FILE = Path(__file__).with_name("report.schema.json")
REGENERATE = "narrative-check schema > narrative_check/schema/report.schema.json"


def report_schema() -> dict:
    """The schema of `Report` as the JSON output writes it (serialisation mode: decimals are strings)."""
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"narrative-check report, schema_version {SCHEMA_VERSION}; regenerate with: {REGENERATE}",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
