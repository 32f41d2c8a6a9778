"""Performance tables (绩效目标表, 绩效自评表) read as units: total score, funds line, indicators.

These tables are forms rather than grids: a '自评总分' cell, a funds line under
'年初预算数 / 全年(调整)预算数 / 全年执行数 / 执行率 / 权重 / 得分' heads, and an indicator
list under '指标名称 … 指标值 … 指标性质 … 权重 … 完成值 … 得分' heads. Heads are found by
name, so templates that order or merge them differently still read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import regex

from ..models.document import Cell, Table, TableRow
from .normalize import normalize
from .numbers import parse_decimal
from .tables import squash

_NUMBER = regex.compile(r"^(-?\d+(?:\.\d+)?)%?$")


def number(cell: Cell | None) -> Decimal | None:
    if cell is None:
        return None
    if cell.value is not None:
        return cell.value
    return _text_number(cell.text)


@lru_cache(maxsize=16384)
def _text_number(text: str) -> Decimal | None:
    """'95%', '１０' → the number; the same few texts fill a form's cells over and over."""
    m = _NUMBER.match(normalize(text))
    return parse_decimal(m.group(1)) if m else None


@dataclass
class Funds:
    row: TableRow
    budget: Cell | None = None
    adjusted: Cell | None = None
    executed: Cell | None = None
    rate: Cell | None = None
    rate_weight: Cell | None = None
    rate_score: Cell | None = None


@dataclass
class Indicator:
    row: TableRow
    name: str
    target: Cell | None = None
    unit: Cell | None = None
    nature: Cell | None = None
    weight: Cell | None = None
    actual: Cell | None = None
    score: Cell | None = None


@dataclass
class PerformanceUnit:
    table: Table
    total_score: Cell | None = None
    funds: Funds | None = None
    indicators: list[Indicator] = field(default_factory=list)
    self_evaluation: bool = False
    rate_weight: Cell | None = None  # '预算执行率权重 10' outside a funds line (绩效目标表)


_FUNDS_HEADS = {
    "budget": ("年初预算数",),
    "adjusted": ("全年（调整）预算数", "调整预算数", "全年预算数"),
    "executed": ("全年执行数", "执行数"),
    "rate": ("执行率（%）", "执行率"),
    "rate_weight": ("执行率权重", "权重", "分值"),
    "rate_score": ("执行率得分", "得分"),
}
_INDICATOR_HEADS = {
    "name": ("指标名称", "三级指标"),
    "target": ("指标值", "年度指标值", "目标值"),
    "unit": ("计量单位",),
    "nature": ("指标性质",),
    "weight": ("指标权重", "权重", "分值"),
    "actual": ("全年完成值", "实际完成值", "完成值"),
    "score": ("指标得分（分）", "指标得分", "得分"),
}


_HEAD_WORDS = frozenset(o for wanted in (_FUNDS_HEADS, _INDICATOR_HEADS) for options in wanted.values() for o in options)


def _heads(texts: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column of each wanted head in a row's squashed texts: the first option present, each
    column taken once."""
    columns: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        if t in _HEAD_WORDS:
            columns.setdefault(t, []).append(i)
    if not columns:
        return {}  # most rows are figures, not heads
    found: dict[str, int] = {}
    taken: set[int] = set()
    for name, options in wanted.items():
        for option in options:
            hit = next((i for i in columns.get(option, ()) if i not in taken), None)
            if hit is not None:
                found[name] = hit
                taken.add(hit)
                break
    return found


def _cell(row: TableRow, index: int | None) -> Cell | None:
    if index is None or index >= len(row.cells):
        return None
    return row.cells[index]


def performance_units(table: Table) -> list[PerformanceUnit]:
    units: list[PerformanceUnit] = []
    unit: PerformanceUnit | None = None
    funds_heads: dict[str, int] | None = None
    indicator_heads: dict[str, int] | None = None
    rows = [r for r in table.rows if not r.continuation]
    for row in rows:
        texts = [squash(c.text) for c in row.cells]
        if "自评总分" in texts or unit is None:
            unit = PerformanceUnit(table=table)
            units.append(unit)
            indicator_heads = None
        if "自评总分" in texts:
            unit.self_evaluation = True
            i = texts.index("自评总分")
            unit.total_score = next((c for c in row.cells[i + 1 :] if c.text.strip()), None)
            continue
        joined = "\t".join(texts)  # one search of the row rather than one per cell
        if "执行率权重" in joined:
            for i, t in enumerate(texts):
                if t.endswith("执行率权重") and number(_cell(row, i + 1)) is not None and unit.funds is None:
                    unit.rate_weight = _cell(row, i + 1)
        if "执行数" in joined and any(t.startswith("执行率") for t in texts):
            funds_heads = _heads(texts, _FUNDS_HEADS)
            continue
        if funds_heads is not None:
            unit.funds = Funds(row=row, **{k: _cell(row, v) for k, v in funds_heads.items()})
            funds_heads = None
            continue
        heads = _heads(texts, _INDICATOR_HEADS)
        if "weight" in heads and "name" in heads:
            indicator_heads = heads
            continue
        if indicator_heads is not None:
            weight = _cell(row, indicator_heads["weight"])
            if number(weight) is None:
                continue
            name = _cell(row, indicator_heads["name"])
            unit.indicators.append(
                Indicator(row=row, name=name.text.strip() if name else "", **{k: _cell(row, v) for k, v in indicator_heads.items() if k != "name"})
            )
    return [u for u in units if u.funds or u.indicators or u.total_score]
