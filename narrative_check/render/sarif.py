"""SARIF 2.1.0: one run, every rule (`rules.all_rules()`) as `tool.driver.rules`, one result per finding.

Columns and character offsets count Unicode code points (`columnKind`), as the report's own
offsets do. `partialFingerprints` carries `Finding.fingerprint()`, with `:N` appended to the
N-th repeat (N ≥ 2) of the same fingerprint in a file, so that identical sentences repeated
in a report stay distinct results; the first occurrence keeps the bare fingerprint.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path, PurePath
from urllib.parse import quote as url_quote

from ..files import json_text
from ..models.findings import Finding, Fix, Related, Report
from ..rules import all_rules
from ..rules.base import DOC_HEADINGS, doc_sections
from .places import place
from .positions import Positions

# the sections whose text is a report sentence, shown as written
EXAMPLE_HEADINGS = {headings[i] for headings in DOC_HEADINGS.values() for i in (2, 3)}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/narrative-check/"
FINGERPRINT_KEY = "narrativeCheck/v1"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(reports: list[Report]) -> str:
    return json_text(sarif_log(reports), indent=2) + "\n"


def sarif_log(reports: list[Report]) -> dict:
    from .. import __version__

    rules = all_rules()
    rule_index = {code: i for i, code in enumerate(rules)}
    artifacts = []
    results = []
    for report in reports:
        artifact = {"location": {"uri": artifact_uri(report.file)}}
        if report.text is not None:
            artifact["length"] = len(report.text)
        artifact_index = len(artifacts)
        artifacts.append(artifact)
        positions = Positions(report)
        seen: Counter[str] = Counter()
        for finding in report.findings:
            fingerprint = finding.fingerprint()
            seen[fingerprint] += 1
            if seen[fingerprint] > 1:
                fingerprint = f"{fingerprint}:{seen[fingerprint]}"
            results.append(_result(finding, report, artifact_index, positions, rule_index, fingerprint))
    run = {
        "tool": {
            "driver": {
                "name": "narrative-check",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules.values()],
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def artifact_uri(file: str | None) -> str:
    """A URI reference for the report's path: relative paths stay relative (with '/'), absolute ones become file: URIs."""
    if not file:
        return "stdin"
    path = PurePath(file)
    if path.is_absolute():
        return Path(file).as_uri()
    return url_quote(os.fsencode(path.as_posix()), safe="/")  # a name not UTF-8 keeps its bytes


def _rule_descriptor(rule) -> dict:
    # both languages, Chinese first: a code-scanning page has no --lang
    sections = sorted(doc_sections(rule.__doc__), key=lambda section: section[0] not in DOC_HEADINGS["zh"])
    text = "\n\n".join(f"{heading}\n{body}" for heading, body in sections)
    markdown = "\n\n".join(
        f"**{heading.rstrip(':：')}**\n\n" + (f"```\n{body}\n```" if heading in EXAMPLE_HEADINGS else body)
        for heading, body in sections
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": sections[0][1] if sections else rule.summary},
        "help": {"text": text or rule.summary, "markdown": markdown or rule.summary},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.code[:3]]},
    }


def _result(finding: Finding, report: Report, artifact_index: int, positions: Positions,
            rule_index: dict[str, int], fingerprint: str) -> dict:
    message = finding.message
    if said := finding.stated_and_expected(report.lang):
        message += "（" + "；".join(f"{label}：{value}" for label, value in said) + "）"
    result = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(report.file), "index": artifact_index},
                "region": _finding_region(finding, positions),
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            key: value
            for key, value in (("stated", finding.stated), ("expected", finding.expected),
                               ("sentence", finding.sentence), ("claim", finding.claim), ("page", finding.page))
            if value is not None
        },
    }
    if finding.source is not None:
        # where the span sits in a Word/PDF/workbook original; the region counts in the extracted text
        result["properties"]["source"] = finding.source.model_dump(mode="json", exclude_none=True)
        if words := place(finding.source, report.lang):
            # in the editor's words, where a viewer shows a location's own message and logical name
            location = result["locations"][0]
            location["message"] = {"text": words}
            location["logicalLocations"] = [{"name": words}]
    if finding.tied:
        result["properties"]["tied"] = [t.model_dump(mode="json") for t in finding.tied]
    if finding.fix is not None and finding.source is None:
        # SARIF fixes replace regions of the artifact itself: only a text report's offsets are its own
        result["fixes"] = [_fix(finding.fix, report, artifact_index, positions)]
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.related:
        result["relatedLocations"] = [
            _related_location(i, related, report, artifact_index, positions) for i, related in enumerate(finding.related)
        ]
    return result


def _fix(fix: Fix, report: Report, artifact_index: int, positions: Positions) -> dict:
    replacements = []
    for edit in fix.edits:
        end_line, end_column = positions.end(edit.line, edit.column, edit.end, edit.before)
        region = {"startLine": edit.line, "startColumn": edit.column, "endLine": end_line, "endColumn": end_column,
                  "charOffset": edit.start, "charLength": edit.end - edit.start}
        replacements.append({"deletedRegion": region, "insertedContent": {"text": edit.after}})
    return {
        "description": {"text": fix.message},
        "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(report.file), "index": artifact_index},
                             "replacements": replacements}],
    }


def _finding_region(finding: Finding, positions: Positions) -> dict:
    end_line, end_column = positions.end(finding.line, finding.column, finding.end, finding.quote)
    return {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": finding.start,
        "charLength": finding.end - finding.start,
        "snippet": {"text": finding.quote},
    }


def _related_location(i: int, related: Related, report: Report, artifact_index: int, positions: Positions) -> dict:
    region = {"startLine": related.line, "charOffset": related.start, "charLength": related.end - related.start,
              "snippet": {"text": related.quote}}
    artifact = {"uri": artifact_uri(report.file), "index": artifact_index}
    if related.file is not None and related.file != report.file:
        artifact = {"uri": artifact_uri(related.file)}  # a place in another report (a prior year's)
    else:
        start = positions.start(related.start)
        if start is not None:
            end_line, end_column = positions.end(start[0], start[1], related.end, related.quote)
            region.update(startColumn=start[1], endLine=end_line, endColumn=end_column)
    text = f"{related.role}：{related.quote}" if related.role else related.quote
    return {"id": i, "physicalLocation": {"artifactLocation": artifact, "region": region}, "message": {"text": text}}
