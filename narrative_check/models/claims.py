"""Claims: the numeric statements read from a report's narrative.

Every claim carries the span of the text it was read from (`start`/`end`,
offsets into the decoded input) and `quote`, that text exactly. Figures keep
the digits as written, so a rule can tell how precisely a value was stated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field

FigureKind = Literal["money", "percent", "points", "count"]
Direction = Literal["increase", "decrease", "flat"]


class Figure(BaseModel):
    """A number as stated, with its unit: '2343.3 万元', '19.1%', '2 个百分点', '288 人'."""

    kind: FigureKind
    value: Decimal = Field(description="the value in `unit`, exactly as stated (thousands separators removed)")
    unit: str = Field(description="元, 万元, 亿元 …, %, 个百分点, or a count unit such as 人 or 辆")
    scale: Decimal = Field(description="how many 元 one `unit` is (1 for non-money figures)")
    exponent: int = Field(description="the power of ten of the last digit shown: -2 for '9909.15', 0 for '4500'")
    text: str
    start: int
    end: int
    qualifier: str | None = Field(default=None, description="'approx' for 约/左右/余: not an exact statement")

    @property
    def yuan(self) -> Decimal:
        """The value in the figure's base unit (元 for money)."""
        return self.value * self.scale


class CellLink(BaseModel):
    """A table cell a claim's figure was matched to, by what the figure is of (never by its value)."""

    table: int
    title: str | None
    row: int
    col: int
    label: str = Field(description="the row's code and name, or its label")
    column: str = Field(description="the column's heads, outermost first, joined by '/'")
    value: Decimal | None
    unit: str | None
    start: int
    end: int
    line: int
    key: str = Field(description="scope/flow/item/role[/year] the claim and the cell share")
    role: str = Field(default="value", description="'value' for the figure itself, 'base' for a change's baseline")


class ClaimBase(BaseModel):
    id: str = Field(description="stable within one report: kind initial + running number")
    start: int
    end: int
    line: int
    column: int
    quote: str = Field(description="the exact text the claim was read from")
    paragraph: int = Field(description="index of the paragraph in Document.paragraphs")
    unclear: str | None = Field(
        default=None,
        description="why the text allows more than one reading of this claim (which figure is which, what it "
        "is of); such a claim is counted as not checked, with this reason, and never reported",
    )


BUDGET_BASELINES = frozenset({"initial_budget", "adjusted_budget", "budget"})


class Baseline(BaseModel):
    """What a change is measured against: 上年, 上年决算数, 年初预算数, 2023年 …"""

    kind: str = Field(description="prior_year, prior_final, prior_budget, initial_budget, adjusted_budget, budget "
                      "(this year's budget, initial or adjusted unsaid: '较预算数'), comparable (上年同口径), year, stated "
                      "('由 2450 万元调整为 …': named by its value alone)")
    text: str
    year: int | None = None

    @property
    def basis(self) -> str | None:
        """'budget' or 'final' when the baseline says which figure of its year it is, else None."""
        if self.kind in BUDGET_BASELINES or self.kind == "prior_budget":
            return "budget"
        return "final" if self.kind == "prior_final" else None

    @property
    def earlier_year(self) -> bool:
        """Is the baseline a figure of an earlier year (上年, 上年决算数, 去年同期)?"""
        return self.kind in ("prior_year", "prior_budget", "prior_final")

    def may_name_the_figure_of(self, other: "Baseline") -> bool:
        """Can the two phrases name one figure? 上年 and 上年决算数 can; 上年预算数 and 上年决算数, or
        上年 and 年初预算, cannot."""
        if self.family != other.family or (self.year and other.year and self.year != other.year):
            return False
        general = {"prior_year", "budget"}  # 上年, 预算数: either figure of their family
        return self.kind == other.kind or self.kind in general or other.kind in general

    @property
    def family(self) -> str:
        """'budget' for this year's budget (年初预算数, 调整预算数), 'prior' for an earlier year,
        'comparable' for an earlier year on this year's basis (上年同口径)."""
        if self.kind in ("comparable", "stated"):
            # 上年同口径: last year restated, not last year's printed figure; '由 X': a figure of its own
            return self.kind
        return "budget" if self.kind in BUDGET_BASELINES else "prior"


class AmountClaim(ClaimBase):
    """'一般公共预算财政拨款收入 9754.15 万元'."""

    kind: Literal["amount"] = "amount"
    subject: str
    value: Figure
    part_of: str | None = Field(default=None, description="the composition claim listing it as a part")
    year: int | None = Field(default=None, description="the year the subject names, when it names one ('2020年收入总计')")
    key: str | None = Field(default=None, description="the quantity the subject names: scope/flow/item/role[/year]")
    basis: str | None = Field(default=None, description="'final' or 'budget' when the subject says ('2020年决算总收入')")
    of_baseline: Baseline | None = Field(
        default=None, description="when the amount is a baseline's value, named by the baseline alone ('上年为 X', "
                                  "'年初预算 X', '去年同期 X'): the quantity is its sentence's, and the amount not a current value")
    links: list[CellLink] = Field(default_factory=list, description="table cells holding the same quantity")


class ChangeClaim(ClaimBase):
    """'较上年决算数减少 2343.3 万元、下降 19.1%' with the value it is a change of."""

    kind: Literal["change"] = "change"
    subject: str
    current: Figure | None = Field(default=None, description="the value now, when the text states it")
    current_claim: str | None = Field(default=None, description="the amount claim `current` comes from")
    base: Figure | None = Field(default=None, description="the baseline value, when stated ('较2020年的 X 万元')")
    baseline: Baseline | None = None
    direction: Direction | None = None
    direction_text: str | None = None
    delta: Figure | None = None
    percent: Figure | None = None
    points: Figure | None = Field(default=None, description="a change stated in 个百分点")
    template: bool = Field(default=False, description="an unfilled template direction such as '增加（减少）'")
    conflicting_directions: list[str] = Field(
        default_factory=list, description="direction words in the same change that disagree with `direction`"
    )
    reason: str | None = Field(default=None, description="the reason claim explaining this change")
    links: list[CellLink] = Field(default_factory=list, description="table cells of the baseline value")

    @property
    def sign(self) -> int:
        """+1 for an increase, -1 for a decrease: the change is `sign × delta`."""
        return 1 if self.direction == "increase" else -1

    @property
    def baseline_family(self) -> str | None:
        """The family of its baseline (`Baseline.family`: 'budget', 'prior' — 上年, 上年决算数 and
        '2023年' name the same earlier year — or 'comparable'), None when no baseline is named."""
        return self.baseline.family if self.baseline is not None else None


class ShareClaim(ClaimBase):
    """'基本支出 1648.02 万元，占 16.6%' — a part and its percentage of a whole."""

    kind: Literal["share"] = "share"
    ratio: Literal["share", "completion"] = Field(
        default="share", description="'completion' when the whole is a budget or plan ('为年初预算数的 78.56%'): it may pass 100%"
    )
    part_subject: str
    part: Figure | None = None
    part_claim: str | None = Field(default=None, description="the amount claim of the part")
    percent: Figure
    whole_subject: str | None = None
    whole: Figure | None = None
    whole_claim: str | None = None
    whole_candidates: list[str] = Field(
        default_factory=list,
        description="for a rate named by a word alone ('支付 X 万元，支付率 68.7%'): the amount claims named before its "
                    "part in the sentence, one of which its whole may be",
    )


class CompositionPart(BaseModel):
    subject: str
    value: Figure
    percent: Figure | None = None
    claim: str = Field(description="the amount claim of this part")
    opens_clause: bool = Field(
        default=False, description="the part follows a semicolon: the list may have ended before it and the sentence gone on"
    )


class CompositionClaim(ClaimBase):
    """'支出 5738.89 万元，其中：基本支出 3032.55 万元；项目支出 2706.34 万元'."""

    kind: Literal["composition"] = "composition"
    whole_subject: str
    whole: Figure
    whole_claim: str
    parts: list[CompositionPart]
    said_complete: bool = Field(
        default=False, description="the text says the parts are all of the whole — a total named after them ('…，两项合计 "
                                   "61.90 亿元', '以上合计') or '以上三项为机关运行经费全部支出' — so they must make it exactly",
    )


class PerUnitClaim(ClaimBase):
    """'人均接待费 96.52 元' with the total and the count it derives from."""

    kind: Literal["per_unit"] = "per_unit"
    subject: str
    per: str = Field(description="人均, 车均, 户均 …")
    value: Figure
    total_subject: str | None = None
    total: Figure | None = None
    count: Figure | None = None


class CountClaim(ClaimBase):
    """'购置公务用车 7 辆', '国内公务接待 67 批次': a count and the words of its clause."""

    kind: Literal["count"] = "count"
    subject: str = Field(description="the clause's words before the count ('本年度使用财政拨款购置公务用车')")
    value: Figure
    year: int | None = Field(default=None, description="the year the clause names, when it names one")


class SignedAmount(BaseModel):
    """One amount inside a reason, with the sign its direction word gives it."""

    subject: str
    direction: Direction
    amount: Figure

    @property
    def signed_yuan(self) -> Decimal:
        sign = {"increase": 1, "decrease": -1, "flat": 0}[self.direction]
        return sign * self.amount.yuan


class ReasonComponent(BaseModel):
    marker: str = Field(description="'一是', '（2）', '' when the reason is not enumerated")
    start: int
    end: int
    text: str
    items: list[SignedAmount]
    directions: list[Direction] = Field(
        default_factory=list, description="every direction word in the component, with or without an amount"
    )


class ReasonClaim(ClaimBase):
    """'主要原因一是…；二是…' attached to the change it explains."""

    kind: Literal["reason"] = "reason"
    change: str | None = Field(default=None, description="the change claim it explains")
    marker: str
    components: list[ReasonComponent] = Field(description="empty when nothing follows the marker ('主要原因是。')")


Claim = Annotated[
    Union[AmountClaim, ChangeClaim, ShareClaim, CompositionClaim, PerUnitClaim, CountClaim, ReasonClaim],
    Field(discriminator="kind"),
]

CLAIM_KINDS = ("amount", "change", "share", "composition", "per_unit", "count", "reason")
