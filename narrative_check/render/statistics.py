"""`--statistics`: how many findings each rule raised, over all reports, most frequent first."""

from __future__ import annotations

import json
from collections import Counter

from ..models.findings import Report
from ..lang import SEVERITY_WORDS, Lang


def counts(reports: list[Report]) -> list[dict]:
    """One row per rule that raised anything: code, name, severity, count."""
    tally: Counter[tuple[str, str, str]] = Counter(
        (f.rule, f.name, f.severity) for report in reports for f in report.findings
    )
    rows = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return [{"code": code, "name": name, "severity": severity, "count": n} for (code, name, severity), n in rows]


def render(reports: list[Report], lang: Lang = "zh") -> str:
    """count, code, name, severity (错误/警告/提示 in Chinese) per line; the JSON keeps the codes' own words."""
    rows = counts(reports)
    if not rows:
        return ""
    width = max(len(str(row["count"])) for row in rows)
    name_width = max(len(row["name"]) for row in rows)
    return "".join(
        f"{row['count']:>{width}}  {row['code']}  {row['name']:<{name_width}}  {SEVERITY_WORDS[lang][row['severity']]}\n" for row in rows
    )


def render_json(reports: list[Report], lang: Lang = "zh") -> str:
    return json.dumps(counts(reports), ensure_ascii=False, indent=2) + "\n"
