from __future__ import annotations

import json

from click.testing import CliRunner
from jsonschema import Draft202012Validator

from narrative_check.cli import cli
from narrative_check.render import RENDERERS
from narrative_check.schema import REGENERATE, SCHEMA_FILE, report_schema


def test_committed_schema_matches_the_models():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == report_schema(), (
        f"the report models changed: regenerate the schema with `{REGENERATE}` "
        "(and bump SCHEMA_VERSION in narrative_check/models/findings.py if the report's shape changed)"
    )


def test_schema_command_prints_it():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == report_schema()


def test_json_output_follows_the_schema(final_report, budget_report):
    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    data = json.loads(RENDERERS["json"].render([final_report, budget_report]))
    for report in data["reports"]:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(report)]
        assert errors == []
        assert "text" not in report  # the text is for renderers that show it, not part of the JSON


def test_schema_rejects_a_broken_report(final_report):
    validator = Draft202012Validator(report_schema())
    data = json.loads(RENDERERS["json"].render([final_report]))["reports"][0]
    data["findings"][0]["severity"] = "fatal"
    del data["findings"][0]["quote"]
    assert len(list(validator.iter_errors(data))) == 2
