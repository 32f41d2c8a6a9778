from __future__ import annotations

from ...interval import sum_intervals
from ...models.document import Record, Table
from ...read.numbering import OF_WHICH, match_marker, marker_number
from ..base import Rule, register, table_name
from ._common import analysed_tables, cell_interval, cell_of, column_name, record_name, show


@register
class OfWhichExceedsParent(Rule):
    """What it checks:
    A table line opening with 其中 ("其中：（1）公务用车运行维护费") and the lines numbered after it
    ("（2）公务用车购置费") are parts of the line above them: in each column, neither one part nor
    the parts together may be larger than that line. Rounding is allowed for; a blank parent cell,
    or negative figures (结余 can be below zero), are not checked.

    Why it matters:
    "其中" lists part of a figure. A part larger than its whole means the whole was left at 0 or
    typed into the wrong line, and the table's 合计 no longer adds up to what it lists.

    Example:
    3.公务用车费 | 0 | 0 |
    其中:(1)公务用车运行维护费 | 32.65 | 32.65 |

    Instead:
    3.公务用车费 | 32.65 | 32.65 |

    检查内容：
    表中以“其中”开头的行（“其中：（1）公务用车运行维护费”），以及其后按同一编号样式接续的行（“（2）公务用车
    购置费”），都是上一行的分项：每一列中，任何一个分项、以及各分项之和，都不得大于所属行。允许四舍五入误差；
    所属行为空，或所属行、分项中有负数（结余可以为负）的列，不检查。

    为何重要：
    “其中”列出的是一个数的一部分。分项大于所属项，说明所属项漏填为 0 或数字填错了行，表的合计也就不再
    等于所列各项之和。

    示例：
    3.公务用车费 | 0 | 0 |
    其中:(1)公务用车运行维护费 | 32.65 | 32.65 |

    改为：
    3.公务用车费 | 32.65 | 32.65 |
    其中:(1)公务用车运行维护费 | 32.65 | 32.65 |
    """

    code = "TBL006"
    name = "of-which-exceeds-parent"
    severity = "error"
    summary = "“其中”分项大于其所属项"

    def check(self, ctx):
        for table in analysed_tables(ctx):
            records = table.records
            for i, rec in enumerate(records):
                if i == 0 or not _opens_of_which(table, rec):
                    continue
                parent = records[i - 1]
                if parent.block != rec.block or parent.total == "grand":
                    continue
                parts = _of_which_parts(table, records, i)
                yield from self._check_parts(ctx, table, parent, parts)

    def _check_parts(self, ctx, table: Table, parent: Record, parts: list[Record]):
        for pv in parent.values:
            if pv.value is None or pv.value < 0:
                continue  # a blank parent may be unfilled rather than zero
            values = [(p, v) for p in parts for v in p.values if v.col == pv.col and v.value is not None]
            if not values or any(v.value < 0 for _, v in values):
                continue
            whole = cell_interval(ctx, pv.value)
            biggest_part, biggest = max(values, key=lambda pair: pair[1].value)
            together = sum_intervals(cell_interval(ctx, v.value) for _, v in values)
            if cell_interval(ctx, biggest.value).lo <= whole.hi and together.lo <= whole.hi:
                continue
            column = column_name(table, pv.col)
            parent_cell = cell_of(table, parent.row, pv.col)
            if cell_interval(ctx, biggest.value).lo > whole.hi:
                what = f"其中“{record_name(biggest_part)}”为 {show(biggest.value)}"
            else:
                total = sum(v.value for _, v in values)
                what = "其中各项合计 " + " + ".join(show(v.value) for _, v in values) + f" = {show(total)}"
            yield ctx.finding(
                self,
                parent_cell,
                f"{table_name(table)}{record_name(parent)}（{column}）为 {show(pv.value)}，而{what}，分项大于其所属项",
                stated=show(pv.value),
                expected=f"不小于 {show(max(biggest.value, sum(v.value for _, v in values)))}",
                related=[(cell_of(table, p.row, v.col), record_name(p)) for p, v in values],
            )


def _label_text(table: Table, rec: Record) -> str:
    return cell_of(table, rec.row, rec.label_col or 0).text


def _opens_of_which(table: Table, rec: Record) -> bool:
    return bool(OF_WHICH.match(_label_text(table, rec)))


def _of_which_parts(table: Table, records: list[Record], first: int) -> list[Record]:
    """The line opening with 其中, and when it is numbered ('其中：（1）…'), the lines numbered
    after it in the same style ('（2）…', '（3）…'); an unnumbered 其中 line stands alone."""
    opener = records[first]
    text = _label_text(table, opener)
    m = match_marker(text[OF_WHICH.match(text).end():])
    parts = [opener]
    if not m:
        return parts
    level, number = m[1], marker_number(m[0])
    for rec in records[first + 1:]:
        nxt = match_marker(rec.marker) if rec.marker else None
        if rec.block != opener.block or rec.total or not nxt or nxt[1] != level or marker_number(nxt[0]) != (number or 0) + 1:
            break
        parts.append(rec)
        number = marker_number(nxt[0])
    return parts
