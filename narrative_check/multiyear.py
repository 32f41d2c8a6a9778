"""Across years: one department's reports checked against each other (CON010).

A report states last year's figures — '较上年决算数增加 2481.7 万元' implies 上年 = 本年 −
2481.7; '2020年收入总计 X 万元' names one outright — and last year's own report stated those
figures as its current ones. This pass runs after the per-report checks, on the reports alone
(their claims carry a quantity key and the figures as stated), so it works as well on the
JSON lines of an earlier scan as on reports just made. It is not a per-report rule and so is
not in `rules.REGISTRY`; `CROSS_REPORT_RULES` lists it for `rules --explain`.

Reports are paired when their units (from the title) are the same after normalisation, their
scope is the same (a 部门 report's 汇总 and 本级 figures differ, and a 单位 report is another
unit's: `lexicons/report_scopes.tsv`), their basis (预算 / 决算) is the same, and their years are
consecutive.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

import regex

from .config import Settings
from .interval import Interval
from .link.facts import report_title
from .models.claims import AmountClaim, ChangeClaim, Figure
from .models.document import Document
from .models.findings import Finding, Related, Report, Severity
from .rules.base import fmt_figure_value
from .rules.contradiction._common import quantity

# Baselines that name last year's figure of the same basis as the report (a 决算 report's
# 上年决算数, a 预算 report's 上年预算数); 年初预算数 and the like are this year's figures.
PRIOR_BASELINES = {
    "final": {"prior_final", "prior_year", "year", "year_final"},
    "budget": {"prior_budget", "prior_year", "year", "year_budget"},
}

class PriorYearDisagrees:
    """What it checks:
    A figure a report gives for the year before — '较上年决算数增加 2481.7 万元' implies last
    year's value as this year's value less the change; '2020年收入总计 X 万元' states it — against
    what the same unit's report for that year gave as its own figure for the same quantity
    (same subject, funding scope and basis; 收入总计 = 支出总计 as in CON001). Runs across the
    reports of one scan, or on the JSON lines of an earlier one.

    Why it matters:
    Last year's figures are published already; a change measured from a different base either
    rests on a restatement the report should explain or on a wrong figure, and readers comparing
    the two reports cannot reconcile them.

    Example:
    2021 report: 一般公共预算财政拨款支出 9754.15 万元. 2022 report: 一般公共预算财政拨款支出
    9954.15 万元，较上年决算数增加 300 万元 (implies 9654.15 万元 for 2021).

    Instead:
    较上年决算数增加 200 万元 — or, where last year's figure was restated, say so and why.

    检查内容：
    报告所述上年的数据，与同一单位上年报告中该数据的本年数对照。
    上年数可以由变动推算（“较上年决算数增加 2481.7 万元”：本年数减去变动额），
    也可以直接写出（“2020年收入总计 X 万元”）；两处须为同一项目、同一资金范围、
    同为决算或预算（收入总计与支出总计视为相等，同 CON001）。
    在一次批量核验（scan）的各报告之间比较，也可以对照此前批量核验输出的 JSON 行。

    为何重要：
    上年数据已经公开；变动的基数与之不同，要么是数据作了调整而报告应当说明，要么是基数错了，
    读者对照两年的报告无法衔接。

    示例：
    2021 年报告：一般公共预算财政拨款支出 9754.15 万元。2022 年报告：一般公共预算财政拨款支出 9954.15 万元，较上年决算数增加 300 万元（推算 2021 年为 9654.15 万元）。

    改为：
    一般公共预算财政拨款支出 9954.15 万元，较上年决算数增加 200 万元。
    （上年数据作过调整的，写明调整情况和原因。）
    """

    code = "CON010"
    name = "prior-year-figure-disagrees"
    severity: Severity = "warning"
    summary = "上年数与上年报告所列本年数不一致"


CROSS_REPORT_RULES = {PriorYearDisagrees.code: PriorYearDisagrees}


def report_unit(doc: Document) -> str | None:
    """The unit a report is of, from its title (`link.facts.report_title`)."""
    return report_title(doc.text).unit


def report_scope(doc: Document) -> str | None:
    """What the report covers, from its title: '部门（汇总）', '部门（本级）', '单位'."""
    return report_title(doc.text).scope


def unit_key(unit: str) -> str:
    """Units compare equal when they differ only in width, spacing or bracketed notes（汇总）: a note
    is the report's scope, which is compared on its own."""
    text = unicodedata.normalize("NFKC", unit)
    text = regex.sub(r"\([^()]{1,8}\)", "", text)
    return "".join(text.split())


@dataclass(frozen=True)
class _Place:
    id: str
    start: int
    end: int
    line: int
    column: int
    quote: str


@dataclass
class _Statement:
    place: _Place
    subject: str
    interval: Interval
    shown: str
    how: str | None = None  # how the text implies `shown`: '9954.15 万元 − 300 万元'


@dataclass
class YearDigest:
    """What the pass needs of one report — its identity and statements, not its claims — so a
    scan of thousands keeps little in memory."""

    file: str | None
    unit: str
    scope: str | None
    basis: str
    year: int
    current: dict[str, list[_Statement]]
    prior: list[tuple[str, _Statement]]


def digest(report: Report, settings: Settings | None = None) -> YearDigest | None:
    """The report's digest; None when its title gives no unit, year or basis to pair it by."""
    if not (report.unit and report.year and report.basis):
        return None
    settings = settings or Settings()
    return YearDigest(report.file, unit_key(report.unit), report.scope, report.basis, report.year,
                      _current(report, settings), _prior(report, settings))


def cross_year_findings(reports: Iterable[Report], settings: Settings | None = None) -> dict[str, list[Finding]]:
    """CON010 findings, by the file of the report they are in (the later year's)."""
    settings = settings or Settings()
    if not settings.enabled(PriorYearDisagrees.code):
        return {}
    return findings_between([d for r in reports if (d := digest(r, settings)) is not None], settings)


def findings_between(digests: Iterable[YearDigest], settings: Settings | None = None) -> dict[str, list[Finding]]:
    """CON010 findings among reports already digested."""
    settings = settings or Settings()
    rule = PriorYearDisagrees
    if not settings.enabled(rule.code):
        return {}
    severity = settings.severity_of(rule.code, rule.severity)
    groups: dict[tuple[str, str | None, str], dict[int, list[YearDigest]]] = defaultdict(lambda: defaultdict(list))
    for d in digests:
        groups[(d.unit, d.scope, d.basis)][d.year].append(d)
    out: dict[str, list[Finding]] = defaultdict(list)
    for by_year in groups.values():
        for year, this_year in by_year.items():
            previous = by_year.get(year - 1)
            if not previous:
                continue
            for report in this_year:
                for q, said in report.prior:
                    found = _disagreement(said, q, previous)
                    if found is not None:
                        out[report.file or ""].append(_finding(rule, severity, said, *found))
    for findings in out.values():
        findings.sort(key=lambda f: (f.start, f.end))
    return dict(out)


def add_cross_year_findings(reports: list[Report], settings: Settings | None = None) -> None:
    """Add the CON010 findings to the reports they are in, in position order."""
    found = cross_year_findings(reports, settings)
    for report in reports:
        extra = found.get(report.file or "")
        if extra:
            report.findings = sorted([*report.findings, *extra], key=lambda f: (f.start, f.end))
            report.recount()


def _disagreement(said: _Statement, q: str, previous: list[YearDigest]):
    """(report, statement) of last year that `said` contradicts; None when any agrees or none says."""
    candidates = [(p, s) for p in previous for s in p.current.get(q, [])]
    if not candidates or any(said.interval.overlaps(s.interval) for _, s in candidates):
        return None
    return candidates[0]


def _finding(rule, severity: Severity, said: _Statement, then: YearDigest, stated: _Statement) -> Finding:
    claim, other = said.place, stated.place
    where = f"{then.file}" if then.file else f"{then.year}年报告"
    return Finding(
        rule=rule.code,
        name=rule.name,
        severity=severity,
        message=(
            f"{said.subject} 上年数按本报告为 {said.shown}，{then.year} 年报告（{where} 第 {other.line} 行）"
            f"所列本年数为 {stated.shown}"
        ),
        start=claim.start,
        end=claim.end,
        line=claim.line,
        column=claim.column,
        quote=claim.quote,
        stated=f"{said.shown}（{said.how}）" if said.how else said.shown,
        expected=stated.shown,
        related=[Related(start=other.start, end=other.end, line=other.line, quote=other.quote,
                         role="上年报告所列本年数", file=then.file)],
        claim=claim.id,
    )


def _place(claim) -> _Place:
    return _Place(claim.id, claim.start, claim.end, claim.line, claim.column, claim.quote)


def _key_year(key: str) -> tuple[str, int | None]:
    parts = key.split("/")
    return "/".join(parts[:4]), (int(parts[4]) if len(parts) > 4 and parts[4].isdigit() else None)


def _money_amounts(report: Report):
    for claim in report.claims:
        if (isinstance(claim, AmountClaim) and claim.key and claim.of_baseline is None and claim.value.kind == "money"
                and not claim.value.qualifier):
            yield claim


def _current(report: Report, settings: Settings) -> dict[str, list[_Statement]]:
    """The report's own figures for its year, by quantity."""
    out: dict[str, list[_Statement]] = defaultdict(list)
    for claim in _money_amounts(report):
        base, year = _key_year(claim.key)
        if year in (None, report.year):
            iv = Interval.of(claim.value, settings.rounding)
            out[quantity(base)].append(_Statement(_place(claim), claim.subject, iv, claim.value.text))
    return out


def _prior(report: Report, settings: Settings) -> list[tuple[str, _Statement]]:
    """What the report says last year's figures were, by quantity."""
    prior_year = report.year - 1
    out: list[tuple[str, _Statement]] = []
    amounts = {c.id: c for c in _money_amounts(report)}
    for claim in amounts.values():
        base, year = _key_year(claim.key)
        if year == prior_year:
            iv = Interval.of(claim.value, settings.rounding)
            out.append((quantity(base), _Statement(_place(claim), claim.subject, iv, claim.value.text)))
    accepted = PRIOR_BASELINES[report.basis]
    for change in report.claims:
        if not isinstance(change, ChangeClaim) or change.template or change.conflicting_directions:
            continue
        if change.baseline is None or change.baseline.kind not in accepted:
            continue
        if change.baseline.year is not None and change.baseline.year != prior_year:
            continue
        current = amounts.get(change.current_claim or "")
        if current is None:
            continue
        base, year = _key_year(current.key)
        if year not in (None, report.year):
            continue
        iv = _implied_base(change, current.value, settings)
        if iv is not None:
            shown = change.base.text if change.base is not None else fmt_figure_value(iv.mid, current.value)
            out.append((quantity(base), _Statement(_place(change), current.subject, iv, shown, _how(change, current.value))))
    return out


def _how(change: ChangeClaim, current: Figure) -> str | None:
    if change.base is not None:
        return None
    if change.delta is not None and change.direction in ("increase", "decrease"):
        return f"{current.text} {'−' if change.direction == 'increase' else '+'} {change.delta.text}"
    if change.percent is not None and change.direction in ("increase", "decrease"):
        return f"{current.text} ÷ (1 {'+' if change.direction == 'increase' else '−'} {change.percent.text})"
    return f"{current.text}，{change.direction_text or '持平'}"


def _implied_base(change: ChangeClaim, current: Figure, settings: Settings) -> Interval | None:
    """Last year's value: stated as the base, or this year's less the change."""
    if change.base is not None and change.base.kind == "money":
        return Interval.of(change.base, settings.rounding)
    now = Interval.of(current, settings.rounding)
    if change.direction == "flat" and change.delta is None and change.percent is None:
        return now
    if change.direction not in ("increase", "decrease"):
        return None
    sign = change.sign
    if change.delta is not None and change.delta.kind == "money":
        delta = Interval.of(change.delta, settings.rounding)
        return now - delta if sign > 0 else now + delta
    if change.percent is not None and change.percent.kind == "percent":
        rate = Interval.of(change.percent, settings.rounding).scale(Decimal("0.01") * sign)
        return now / (Interval.exact(Decimal(1)) + rate)
    return None
