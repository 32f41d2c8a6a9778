from __future__ import annotations

from ...read.numbering import marker_number, match_item_marker, match_marker, renumbered
from ..base import Rule, register, table_name
from ..table._common import analysed_tables, cell_of


@register
class StrayNumbering(Rule):
    """What it checks:
    The numbering of headings, numbered paragraphs and the numbered lines of a table: at each level
    (第一部分 / 一、 / （一） / 1. / （1）) the numbers run 1, 2, 3 … without a repeat or a gap, restarting
    under each new heading of a higher level.

    Why it matters:
    "二、" after "二、", or a list that starts at "二、", shows that a part was deleted or pasted;
    readers referring to "第三项" land on the wrong one.

    Example:
    二、一般公共预算财政拨款 / 三、政府性基金预算财政拨款 / 三、国有资本经营预算财政拨款

    Instead:
    一、一般公共预算财政拨款 / 二、政府性基金预算财政拨款 / 三、国有资本经营预算财政拨款

    检查内容：
    标题、编号段落和表格编号行的序号：每一级（第一部分 / 一、 / （一） / 1. / （1））的序号按 1、2、
    3……连续，不重复、不跳号，遇到新的上一级标题重新编号。

    为何重要：
    “二、”后面又是“二、”，或者列举从“二、”开始，说明有内容被删除或粘贴过；读者按“第三项”查找会找错。

    示例：
    二、一般公共预算财政拨款 / 三、政府性基金预算财政拨款 / 三、国有资本经营预算财政拨款

    改为：
    一、一般公共预算财政拨款 / 二、政府性基金预算财政拨款 / 三、国有资本经营预算财政拨款
    """

    code = "LEX004"
    name = "stray-numbering"
    severity = "warning"
    summary = "序号重复、跳号或不从一开始"

    def check(self, ctx):
        doc = ctx.doc
        # A line ending on a cell's border ("一、一般公共服务支出 |") is a table's, copied one cell per line
        # in an order the reader could not put back: its numbering is not the text's.
        items = [(s.start, s.level, s.marker, s) for s in doc.sections
                 if s.marker not in ("", "#") and not _cell_border(doc.text[s.start : s.end])]
        for p in doc.paragraphs:
            m = match_item_marker(doc.text[p.start : p.end])
            if m and not _cell_border(doc.text[p.start : p.end]):
                items.append((p.start, m[1], m[0], p))
        items.sort(key=lambda x: x[0])
        yield from self._sequence(ctx, [(level, marker, at) for _, level, marker, at in items], where="", may_start_late=True)
        for table in analysed_tables(ctx):
            by_block: dict[int, list] = {}
            for rec in table.records:
                if rec.total and not rec.marker:
                    by_block.setdefault(rec.block, []).append((0, "", None))
                elif rec.marker:
                    m = match_marker(rec.marker)
                    if m:
                        by_block.setdefault(rec.block, []).append((m[1], rec.marker, cell_of(table, rec.row, rec.label_col or 0)))
            sequences: list[list] = []
            for block in sorted(by_block):
                seq = by_block[block]
                if sequences and _continues(sequences[-1], seq):
                    sequences[-1] = sequences[-1] + seq  # a two-column layout carrying one list on
                else:
                    sequences.append(seq)
            for seq in sequences:
                yield from self._sequence(ctx, seq, where=table_name(table))

    def _sequence(self, ctx, items, where: str, may_start_late: bool = False):
        """With `may_start_late`, the first run of a level the text has not numbered before may
        start at any number: the text may be an excerpt, or continue a list begun in another document."""
        for run, first_of_its_level in _runs(items):
            yield from self._judge(ctx, run, where, may_start_late and first_of_its_level)

    def _judge(self, ctx, run: list, where: str, may_start_late: bool):
        """One finding per broken run, at the first item that breaks it, naming the numbering the
        run should have: the one that renumbers fewest items, with every renumbering as the fix. A
        list starts at 1, or, where it may start late, at the number its first item is written with;
        never at a number nobody wrote (一、二、四 is a gap after 二, not a list of 二、三、四)."""
        numbers = [number for number, _, _ in run]
        starts = {1, numbers[0]} if may_start_late else {1}
        start = min(starts, key=lambda s: (sum(n != s + i for i, n in enumerate(numbers)), s != numbers[0], s))
        wrong = [(i, marker, at) for i, (number, marker, at) in enumerate(run) if number != start + i]
        if not wrong:
            return
        i, marker, at = wrong[0]
        should = [renumbered(m, start + k) for k, (_, m, _) in enumerate(run)]
        if i == 0:
            problem = f"不从“{should[0]}”开始"
        elif numbers[i] == numbers[i - 1]:
            problem = "重复"
        else:
            problem = "跳号" if numbers[i] > start + i else "顺序有误"
        shown = "".join(f"“{m}”" for m in should[:6]) + ("…" if len(should) > 6 else "")
        others = f"，另有 {len(wrong) - 1} 处随之改号" if len(wrong) > 1 else ""
        edits = [edit for k, m, place in wrong if (edit := ctx.text_edit(place, m, should[k])) is not None]
        yield ctx.finding(
            self, at, f"{where}序号“{marker}”{problem}：这组序号应依次为{shown}，此处应为“{should[i]}”{others}",
            stated=marker, expected=should[i],
            related=[(place, f"应为“{should[k]}”") for k, m, place in wrong[1:]],
            fix=ctx.fix(edits) if len(edits) == len(wrong) else None,
        )


def _runs(items) -> list[tuple[list, bool]]:
    """Each level's unbroken runs of (number, marker, place), in text order, each with whether it
    is the first run of its level: a run ends at an item of a shallower level, or at a table's
    total line, which closes the numbered lines above it."""
    runs: list[tuple[list, bool]] = []
    open_runs: dict[int, tuple[list, bool]] = {}
    seen_levels: set[int] = set()
    for level, marker, at in items:
        if at is None or not marker:
            runs.extend(open_runs.values())
            open_runs.clear()
            continue
        number = marker_number(marker)
        if number is None:
            continue
        for deeper in [k for k in open_runs if k > level]:
            runs.append(open_runs.pop(deeper))
        if level not in open_runs:
            open_runs[level] = ([], level not in seen_levels)
            seen_levels.add(level)
        open_runs[level][0].append((number, marker, at))
    runs.extend(open_runs.values())
    return sorted(runs, key=lambda r: r[0][0][2].start)


def _cell_border(text: str) -> bool:
    return text.rstrip().endswith(("|", "｜"))


def _continues(previous: list, block: list) -> bool:
    """Does a block's numbering carry on from the block to its left ('三、' on the left, '四、' on the right)?"""
    firsts = [(level, marker_number(marker)) for level, marker, at in block if level]
    if not firsts:
        return False
    level, number = firsts[0]
    last = [marker_number(marker) for lv, marker, at in previous if lv == level]
    return bool(last) and number is not None and last[-1] is not None and number == last[-1] + 1
