"""Why a claim is not checked: every reason, named, in Chinese and in English.

The reasons reach editors (`stats.not_checked_reasons`, the HTML report, the JSON), so they are
written once here, in the editor's language, with an English rendering for `--lang en`. Every
place that marks a claim unclear, leaves it unlinked or skips it takes an entry of this
catalogue, never a free string (`RuleContext.skip` refuses one; a test reads the sources). An
entry with a variable part names its fields in both texts ('{kind}'); a field's value may be a
`Term`, said in each language.

A claim's `unclear` field holds its reason's Chinese text, so the JSON keeps a plain string
whatever the language; `unclear_reason` finds the entry again.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Union

from .lang import Lang


@dataclass(frozen=True)
class Term:
    """A word a reason's field carries, in each language."""

    zh: str
    en: str


def _field_names(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True)
class Reason:
    """One reason a claim is not checked: its Chinese text and its English rendering."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        if _field_names(self.zh) != _field_names(self.en):
            raise ValueError(f"the two texts of a reason name different fields: {self.zh!r} / {self.en!r}")

    @property
    def fields(self) -> frozenset[str]:
        return _field_names(self.zh)

    def __call__(self, **values: str | Term) -> "NotChecked":
        """This reason with its variable part filled in."""
        if set(values) != self.fields:
            raise TypeError(f"reason {self.en!r} takes the fields {sorted(self.fields)}, given {sorted(values)}")
        return NotChecked(self, tuple(sorted(values.items())))

    def text(self, lang: Lang = "zh") -> str:
        if self.fields:
            raise TypeError(f"reason {self.en!r} needs its fields {sorted(self.fields)}")
        return getattr(self, lang)


@dataclass(frozen=True)
class NotChecked:
    """A reason with its fields' values."""

    reason: Reason
    values: tuple[tuple[str, str | Term], ...] = field(default=())

    def text(self, lang: Lang = "zh") -> str:
        said = {name: getattr(value, lang) if isinstance(value, Term) else value for name, value in self.values}
        return getattr(self.reason, lang).format(**said)


Why = Union[Reason, NotChecked]


# ---- readings the text leaves open (a claim's `unclear`) ----------------------------------------

RATE_NAMED_BY_WORD_ALONE = Reason(
    "比率只有名称，文中未说明由哪两个数相除",
    "a rate named by a word alone: the text does not say which figures it divides")
PERCENT_TIED_TO_NO_FIGURE = Reason(
    "百分比在文中没有对应的数据",
    "a percentage its words do not tie to any figure")
PERCENT_CONTINUING_SHARE_LIST = Reason(
    "接续列举的占比：总体只说了一次，也可能是各项各自的总体",
    "a percent continuing a list of shares: the whole is named once, and may be each item's own")
PERCENTS_NOT_ONE_PER_FIGURE = Reason(
    "“分别”列举的百分比与数据个数不等，无法一一对应",
    "one of several percentages for several figures (分别 …), not as many of each")
ONE_OF_SEVERAL_PERCENTS = Reason(
    "“分别”列举的多个百分比之一，无法确定对应哪个数据",
    "one of several percentages for several figures (分别 …)")
RATIO_AFTER_LIST = Reason(
    "列举末项之后的比率，可能是末项的，也可能是合计的",
    "a ratio after a list's last part: of that part or of the list's whole")
ONE_OF_SEVERAL_FIGURES = Reason(
    "“分别”列举的多个数据之一，无法确定对应哪个项目",
    "one of several figures for several subjects (分别 …)")
ITEMS_STATE_SEVERAL_QUANTITIES = Reason(
    "所列各项各有多个数据，无法确定哪些构成合计",
    "the listed items each state several quantities")

# ---- amounts not tied to a table cell -----------------------------------------------------------

BASELINE_VALUE_YEAR_UNKNOWN = Reason(
    "是比较基数的数值，且报告年度不明",
    "a baseline's value, and the report's year unknown")
SUBJECT_NOT_IN_TABLES = Reason(
    "所述项目不是表格列示的数据",
    "subject is not a quantity the tables show")
NO_CELL_HOLDS_QUANTITY = Reason(
    "表格中没有这项数据",
    "no table cell holds this quantity")
NO_TABLE = Reason(
    "报告中没有可比对的表格",
    "no table in the report to compare with")

# ---- figures a rule needs and does not have -----------------------------------------------------

TEMPLATE_DIRECTION = Reason(
    "增减方向是模板用语“增加（减少）”",
    "template direction (增加（减少）)")
NO_DIRECTION = Reason(
    "未说明增减方向",
    "no direction of change")
FIGURES_NOT_AMOUNTS = Reason(
    "数据不是金额",
    "figures are not amounts")
APPROXIMATE_FIGURE = Reason(
    "含约数（约、近、超过等）",
    "approximate figure")
CURRENT_NOT_STATED = Reason(
    "未列本年数，或未能与表格对应",
    "current value not stated or not linked")
CHANGE_AMOUNT_NOT_STATED = Reason(
    "未列变动额",
    "amount of change not stated")
NOT_EXACT_AMOUNTS = Reason(
    "数据不是确数金额",
    "figures are not exact amounts")
TOTAL_OR_COUNT_NOT_FOUND = Reason(
    "未找到合计数或个数",
    "total or count not found")
COUNT_IS_ZERO = Reason(
    "个数为零",
    "count is zero")
NO_AMOUNT_FOR_RATE = Reason(
    "没有可作为比率基数的确数金额",
    "no exact amount the rate may be of")
PART_NOT_STATED = Reason(
    "未列部分数",
    "part not stated")
WHOLE_NOT_STATED = Reason(
    "未列总体数，或未能与表格对应",
    "whole not stated or not linked")
NO_CHANGE_TO_COMPARE = Reason(
    "没有可比较的变动额",
    "no amount of change to compare with")
COMPONENT_WITHOUT_AMOUNT = Reason(
    "并非每个分项都列出金额",
    "not every component states an amount")

# ---- claims no rule had a relation for ----------------------------------------------------------

AMOUNT_WITHOUT_RELATION = Reason(
    "金额在文中没有可核算的关系",
    "amount with no arithmetic relation in the text")
CHANGE_WITHOUT_PERCENT = Reason(
    "变动未列变动率，无可复算",
    "change without a percentage to recompute")
CHANGE_NOT_RECOMPUTABLE = Reason(
    "变动无法复算",
    "change not recomputable")
REASON_WITHOUT_AMOUNTS = Reason(
    "原因未列金额",
    "reason without amounts")
COUNT_WITHOUT_FIGURE = Reason(
    "数量在文中没有须与之相符的数据",
    "count with no figure in the text it must agree with")
KIND_NOT_CHECKABLE = Reason(
    "{kind}类表述无法核验",
    "{kind} not checkable")

CLAIM_KINDS = {
    "amount": Term("金额", "amount"), "change": Term("变动", "change"), "share": Term("占比", "share"),
    "composition": Term("构成", "composition"), "per_unit": Term("平均数", "per_unit"), "count": Term("数量", "count"),
    "reason": Term("原因", "reason"),
}


def claim_kind(kind: str) -> Term:
    """A claim kind as a reason says it."""
    return CLAIM_KINDS.get(kind) or Term(kind, kind)


CATALOGUE: dict[str, Reason] = {name: value for name, value in globals().items() if isinstance(value, Reason)}
_BY_CHINESE = {reason.zh: reason for reason in CATALOGUE.values() if not reason.fields}


def unclear_reason(text: str) -> Reason:
    """The entry whose Chinese text a claim's `unclear` holds."""
    try:
        return _BY_CHINESE[text]
    except KeyError:
        raise ValueError(f"a claim's unclear reason is not in the catalogue (narrative_check.not_checked): {text!r}") from None
