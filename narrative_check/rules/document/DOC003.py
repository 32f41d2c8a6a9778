from __future__ import annotations

from functools import lru_cache

import regex

from ... import lexicons
from ...extract.normalize import normalize
from ..base import Rule, register
from ._common import TableSpans

# A word of two to six characters printed twice running ("预算预算", "公务接待费公务接待费"): report
# language reduplicates one-character words (常常, 年年) and, colloquially, verbs (研究研究) that reports
# do not use, so a repeated stretch of two or more characters is a slip. Numerals are not words:
# "二〇二〇年" prints 二〇 twice.
# A run of one word printed many times over is one slip, reported once.
_DOUBLED_WORD = regex.compile(r"(?![〇零一二三四五六七八九十百千]{2})(\p{Han}{2,6})\1+")


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    return tuple(normalize(r[0]) for r in lexicons.rows("doubled_slips.tsv") if r[1] == "name")


@lru_cache(maxsize=1)
def _slips() -> tuple[regex.Pattern, regex.Pattern]:
    rows = lexicons.rows("doubled_slips.tsv")
    marks = "".join(regex.escape(r[0]) for r in rows if r[1] == "punctuation")
    words = "|".join(regex.escape(r[0]) for r in rows if r[1] == "word")
    # Two clause marks running ("。。", "，。"): the second ends a clause the first already ended.
    # "的的确确" is the reduplication of 的确, not 的 doubled: AABB words are the language's.
    return regex.compile(rf"[{marks}]{{2,}}"), regex.compile(rf"({words})\1+(?!(\p{{Han}})\2)")


@register
class DoubledMarkOrWord(Rule):
    """What it checks:
    In the narrative (not in tables): two clause marks running ("。。", "，，", "、、", "，。"; the
    ellipsis …… and the dash —— are single marks), a word of two or more characters printed twice
    ("预算预算", "支出支出"), and a function word doubled ("的的", "和和"; the words are listed in
    ``lexicons/doubled_slips.tsv``). Reduplicated words of the language (常常, 人人, 年年) are not slips.
    A numbering that repeats or skips is LEX004's.

    Why it matters:
    These are the marks of a text edited in a hurry and never proof-read; in a document the
    public is meant to rely on they cast doubt on the figures around them.

    Example:
    2021年部门预算预算收入合计1,234.56万元。。

    Instead:
    2021年部门预算收入合计1,234.56万元。

    检查内容：
    正文（不含表格）中：两个标点连用（“。。”“，，”“、、”“，。”；
    省略号“……”和破折号“——”各算一个标点）；两个字及以上的词连续重复（“预算预算”“支出支出”）；
    虚词重复（“的的”“和和”，见 lexicons/doubled_slips.tsv）。汉语本身的叠词（常常、人人、
    年年）不算。序号重复或跳号由 LEX004 检查。

    为何重要：
    这些是匆忙修改、没有校对的痕迹；在供公众使用的文件中，会让人怀疑周围的数字。

    示例：
    2021年部门预算预算收入合计1,234.56万元。。

    改为：
    2021年部门预算收入合计1,234.56万元。
    """

    code = "DOC003"
    name = "doubled-mark-or-word"
    severity = "warning"
    summary = "标点或词语重复"

    def check(self, ctx):
        doc = ctx.doc
        tables = TableSpans(doc)
        marks, words = _slips()
        for p in doc.paragraphs:
            if tables.holds(p.start):
                continue
            text = doc.text[p.start : p.end]
            for m in marks.finditer(text):
                yield self._found(ctx, p.start + m.start(), m.group(), "标点重复", m.group()[0])
            for pattern in (_DOUBLED_WORD, words):
                for m in pattern.finditer(text):
                    if normalize(text[: m.start() + len(m.group(1))]).endswith(_names()):
                        continue  # "一般公共预算预算支出": a name, then a word beginning with its last
                    yield self._found(ctx, p.start + m.start(), m.group(), "词语重复", m.group(1))

    def _found(self, ctx, start: int, stated: str, problem: str, once: str):
        return ctx.finding(self, ctx.doc.span(start, start + len(stated)), f"{problem}：“{stated}”", stated=stated, expected=once)
