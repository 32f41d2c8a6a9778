from __future__ import annotations

from decimal import Decimal

from ...extract.normalize import normalize
from ...extract.numbers import units
from ...interval import Interval
from ..base import Rule, register, table_name

# The money units a slip swaps: a 万 left out or typed in, a 亿 for a 万.
_MONEY = ("元", "万元", "亿元")
# Words a per-unit subject and its total's subject carry that do not say what they are of.
_PER_WORDS = ("人均", "车均", "户均", "辆均", "平均")
_PER_COUNT_UNIT = {"人均": ("人", "人次", "名"), "车均": ("辆",), "辆均": ("辆",), "户均": ("户",)}
_TRAILING = ("支出", "费用", "合计", "总额", "共计")
_MIN_STEM = 3  # '接待费' and longer: two characters name too many things


def _stem(subject: str) -> str:
    s = normalize(subject)
    for w in _PER_WORDS:
        s = s.removeprefix(w)
    for w in _TRAILING:
        if s.endswith(w) and len(s) - len(w) >= _MIN_STEM:
            s = s[: -len(w)]
    return s


def _same_subject(a: str, b: str) -> bool | None:
    """True when two subjects are one; None when one ends with the other (a qualifier before it:
    '决算公开公务接待费' and '公务接待费'); False otherwise."""
    x, y = _stem(a), _stem(b)
    if min(len(x), len(y)) < _MIN_STEM:
        return False
    if x == y:
        return True
    return None if x.endswith(y) or y.endswith(x) else False


@register
class UnitSlip(Rule):
    """What it checks:
    A money unit that cannot be right: the same figure of the same quantity printed once in 元 and
    once in 万元 ("公务接待费1.58元" … "公务接待费为1.58万元": a 万 left out or typed in); a per-unit
    figure whose total and count are stated but which only fits them in another unit ("车均运行维护费
    5.97元" beside 17.9万元 for 3 辆: 5.97万元); and a table whose figures all differ from the
    narrative's by one factor of ten thousand, so that its unit line (单位：万元) is the wrong one.

    Why it matters:
    A unit slip changes a figure ten thousandfold: the public reads a 公务接待费 of 1.58 元 or a
    table of billions. Nothing else in the text flags it, since the digits agree.

    Example:
    2015年部门决算公开公务接待费1.58元，经核查，2015年度我单位支出公务接待费为1.58万元。

    Instead:
    2015年部门决算公开公务接待费1.58万元，经核查，2015年度我单位支出公务接待费为1.58万元。

    检查内容：
    不可能正确的金额单位：同一数据的同一数字一处写“元”、
    一处写“万元”（“公务接待费1.58元”……“公务接待费为1.58万元”：漏了或多了一个“万”字）；
    平均数的总额和数量都已列出，却只有换一个单位才对得上（17.9万元、3 辆车，
    “车均运行维护费5.97元”应为5.97万元）；表格的数字与正文全部相差一万倍，说明表的单位行（单位：
    万元）写错了。

    为何重要：
    单位一错，数字就差一万倍：公众看到的是 1.58 元的公务接待费，或者以亿计的表格。数字本身一致，
    文中别的地方不会露出破绽。

    示例：
    2015年部门决算公开公务接待费1.58元，经核查，2015年度我单位支出公务接待费为1.58万元。

    改为：
    2015年部门决算公开公务接待费1.58万元，经核查，2015年度我单位支出公务接待费为1.58万元。
    """

    code = "DOC008"
    name = "unit-slip"
    severity = "warning"
    summary = "金额单位错误（元与万元混用）"

    def check(self, ctx):
        yield from self._same_digits(ctx)
        yield from self._per_unit(ctx)
        yield from self._table_units(ctx)

    def _same_digits(self, ctx):
        amounts = [c for c in ctx.current_amounts() if c.value.kind == "money" and c.value.unit in _MONEY
                   and c.value.value != 0 and not c.value.qualifier]
        # Only figures printed with the same digits and another unit can be one slip: grouped so, a
        # report of thousands of amounts compares a handful, and one statement per subject and unit
        # stands for its repeats.
        groups: dict = {}
        for c in amounts:
            groups.setdefault(c.value.value, {}).setdefault((c.value.unit, _stem(c.subject)), c)
        for group in groups.values():
            claims = sorted(group.values(), key=lambda c: c.start)
            if len({c.value.unit for c in claims}) < 2:
                continue
            reported = set()
            for i, a in enumerate(claims):
                for b in claims[i + 1 :]:
                    if a.value.unit == b.value.unit or b.id in reported:
                        continue
                    same = _same_subject(a.subject, b.subject)
                    if same is False:
                        continue
                    reported.add(b.id)
                    # Identical subjects leave one reading, a unit typed wrong; a qualifier before one of
                    # them ('决算公开…') leaves room for two quantities.
                    yield ctx.finding(
                        self, b, f"{b.subject}写作 {b.value.text}，同一数字在前文写作 {a.value.text}（{a.subject}），单位不一致",
                        stated=b.value.text, expected=f"{a.value.text}或{b.value.text}之一", related=[(a, "同一数字的另一单位")],
                        severity="error" if same else "warning",
                    )

    def _per_unit(self, ctx):
        """Per-unit figures ARI009 could not check because it found no total: one found here by its
        subject, whose quotient fits the figure only in another unit."""
        amounts = [c for c in ctx.current_amounts() if c.value.kind == "money" and not c.value.qualifier]
        for claim in ctx.of_kind("per_unit"):
            if claim.total is not None or claim.count is None or claim.count.value == 0 or claim.value.kind != "money":
                continue
            if claim.count.unit not in _PER_COUNT_UNIT.get(claim.per, ()):
                continue
            stem = _stem(claim.subject)
            totals = [a for a in amounts if a.start < claim.start and len(stem) >= _MIN_STEM and _stem(a.subject).endswith(stem)]
            if len(totals) != 1:
                continue
            [total] = totals
            implied = ctx.interval(total.value) / Interval.exact(claim.count.value)
            if implied is None or implied.overlaps(ctx.interval(claim.value)):
                continue
            fits = [u for u in _MONEY if u != claim.value.unit
                    and implied.overlaps(ctx.interval(claim.value).scale(units()[u].scale / claim.value.scale))]
            if len(fits) != 1:
                continue
            yield ctx.finding(
                self, claim,
                f"{claim.subject} {claim.value.text}：按{total.subject} {total.value.text} ÷ {claim.count.text} 应为 "
                f"{claim.value.value}{fits[0]}，单位写错",
                stated=claim.value.text, expected=f"{claim.value.value}{fits[0]}", related=[(total, "总额")],
            )

    def _table_units(self, ctx):
        """A table's unit line against the narrative: when every figure the text gives for the table's
        cells differs from the cell by one power of ten thousand, the unit line is wrong, not each figure."""
        by_table: dict[int, list[tuple]] = {}
        for claim in ctx.current_amounts():
            if claim.value.kind != "money" or claim.value.qualifier or claim.value.value == 0:
                continue
            for link in claim.links:
                if link.value is not None and link.value != 0:
                    by_table.setdefault(link.table, []).append((claim, link))
        for index, pairs in by_table.items():
            table = ctx.doc.tables[index]
            scale = units()[table.unit].scale if table.unit in units() else None
            if scale is None or len(pairs) < 2:
                continue
            factors = set()
            for claim, link in pairs:
                ratio = claim.value.yuan / (link.value * scale)
                factors.add(next((f for f in (Decimal(10000), Decimal("0.0001")) if _close(ratio, f)), None))
            if len(factors) != 1 or None in factors:
                continue
            [factor] = factors
            right = next((u for u in _MONEY if units()[u].scale == scale * factor), None)
            if right is None:
                continue
            claim, link = pairs[0]
            yield ctx.finding(
                self, table, f"{table_name(table)}单位为{table.unit}，但正文 {len(pairs)} 处数字（如{claim.subject} {claim.value.text}，"
                             f"表中 {link.value}）都只在单位为{right}时相符",
                stated=table.unit, expected=right, related=[(claim, "正文数字")],
            )


def _close(ratio: Decimal, factor: Decimal) -> bool:
    """Within rounding: a figure printed to 0.01 万元 against a cell printed in 元."""
    return abs(ratio / factor - 1) <= Decimal("0.001")
