from __future__ import annotations

import json

import regex
from click.testing import CliRunner

from conftest import FINAL_2021
from render_cases import hostile_report
from narrative_check.cli import EXIT_FINDINGS, cli
from narrative_check.render import RENDERERS

LINE = regex.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def unescape(value: str) -> str:
    return regex.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m[1]], value)


def parse(output: str) -> list[tuple[str, dict, str]]:
    commands = []
    for line in output.splitlines():
        m = LINE.fullmatch(line)
        assert m, line
        props = dict(pair.split("=", 1) for pair in m[2].split(","))
        commands.append((m[1], {k: unescape(v) for k, v in props.items()}, unescape(m[3])))
    return commands


def test_one_annotation_per_finding_with_its_place(final_report):
    commands = parse(RENDERERS["github"].render([final_report]))
    assert len(commands) == len(final_report.findings)
    for (command, props, message), f in zip(commands, final_report.findings):
        assert command == {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
        assert props["file"] == final_report.file and int(props["line"]) == f.line
        assert props["title"] == f"{f.rule} {f.name}"
        assert message.startswith(f.message)
        if "\n" not in f.quote:
            assert int(props["col"]) == f.column and int(props["endLine"]) == f.line
            assert int(props["endColumn"]) == f.column + max(len(f.quote), 1)
        else:
            assert "col" not in props and int(props["endLine"]) == f.line + f.quote.count("\n")


def test_hostile_messages_and_paths_are_escaped():
    report = hostile_report()
    output = RENDERERS["github"].render([report])
    assert output.count("\n") == len(report.findings)  # no raw newline from a message
    assert "\r" not in output
    commands = parse(output)
    for (_, props, message), f in zip(commands, report.findings):
        assert props["file"] == report.file  # ',' ':' '%' in the path survive
        assert message.splitlines()[0] == f.message.splitlines()[0]
        assert message.startswith(f.message)
    hostile = next(c for c in commands if c[1]["title"].startswith("ARI001"))
    assert "::warning::" in hostile[2] and "%0A" in hostile[2]  # the literal text, not an escape
    raw = next(line for line in output.splitlines() if "ARI001" in line)
    assert "%250A ::warning:: 100%25%0D%0A" in raw and "file=out%2Cdir%3Ax/" in raw


def test_cli_github():
    result = CliRunner().invoke(cli, ["check", str(FINAL_2021), "--format", "github"])
    assert result.exit_code == EXIT_FINDINGS
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in result.stdout.splitlines())



def test_a_finding_without_a_correction_says_no_expected_value_in_any_text_format(final_report):
    finding = final_report.findings[0].model_copy(update={"expected": None})
    report = final_report.model_copy(update={"findings": [finding]})
    assert finding.stated_and_expected() == [("文中", finding.stated)]
    for fmt, correction in (("text", "应为"), ("github", "应为"), ("sarif", "应为"), ("html", 'class="expected"')):
        rendered = RENDERERS[fmt].render([report])
        if fmt == "sarif":  # the results, not the rules' documentation (whose examples may say 应为)
            rendered = json.dumps(json.loads(rendered)["runs"][0]["results"], ensure_ascii=False)
        assert correction not in rendered and "None" not in rendered, fmt
