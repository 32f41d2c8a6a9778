"""Helpers shared by the text-vs-table rules."""

from __future__ import annotations

from decimal import Decimal

from ...interval import Interval
from ...models.claims import CellLink
from ...models.document import Cell
from ..base import RuleContext
from ..table._common import cell_interval


def link_interval(ctx: RuleContext, link: CellLink) -> Interval:
    return cell_interval(ctx, link.value).scale(_scale(link))


def link_yuan(link: CellLink) -> Decimal:
    """A linked cell's printed value in 元 (in the figure's base unit)."""
    return link.value * _scale(link)


def _scale(link: CellLink) -> Decimal:
    from ...extract.numbers import units

    unit = units().get(link.unit or "万元")
    return unit.scale if unit else Decimal(1)


def link_cell(ctx: RuleContext, link: CellLink) -> Cell:
    return ctx.doc.tables[link.table].rows[link.row].cells[link.col]


def describe(link: CellLink) -> str:
    column = f"（{link.column}）" if link.column else ""
    value = "空" if link.value is None else f"{format(link.value, 'f')} {link.unit or '万元'}"
    return f"《{link.title or '表'}》{link.label}{column}为 {value}"
