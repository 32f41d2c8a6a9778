"""Claims from the narrative: a small state machine over each paragraph's tokens.

The parser reads a paragraph left to right, the way an auditor does: an
amount sets the topic; '较上年…' opens a change of the amount just named (or
of the topic); direction words with figures fill the change in; '占' turns the
figure before it into a share; '其中' opens a list of parts; '主要原因' opens a
reason that lasts through its enumerated components.
"""

from __future__ import annotations

from decimal import Decimal

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .. import lexicons, not_checked
from ..errors import InputError, InputErrorCode
from ..models.claims import (
    AmountClaim,
    Baseline,
    ChangeClaim,
    CompositionClaim,
    CompositionPart,
    CountClaim,
    Figure,
    PerUnitClaim,
    ReasonClaim,
    ReasonComponent,
    ShareClaim,
    SignedAmount,
)
from ..models.document import Document, Paragraph
from ..read.numbering import cn_ordinal
from ..read.text import SENTENCE_END
from .normalize import NormalizedText
from .numbers import make_figure, units
from .subjects import clean_subject, compatible, is_generic, stated_year
from .tokens import Token, baseline_kinds, scan

_HARD_DELIMS = "，；。：:！？!?"
# Words allowed between a direction word and its figure: '减少了', '增幅为', '下降约'.
_DIR_GAP = regex.compile(r"^(?:了|为|达|达到|约|共|共计|分别为|分别|各|幅度为|幅度|比例为)?$")
# What a direction word moved, named between it and its amount ('增加公用经费 6.40 万元', '减少会议费 2 万元');
# not '增加到'/'增至' (the amount is then the new value, not the change).
_DIR_OBJECT = regex.compile(r"^(?![到至为达])(?P<object>\p{Han}[\p{Han}“”（）()]{1,11})\s*$")
# A total named after its parts and saying it is theirs: '两项合计', '以上合计', '上述三项共计', '合计'.
_ITEMS_COUNTED = r"(?P<count>[二两三四五六七八九十\d]{1,2})项"  # '两项', '3项': how many items a list is said to have
_TOTAL_AFTER = regex.compile(rf"^[，,；;]?\s*(?:(?:以上|上述)?(?:{_ITEMS_COUNTED})?)(?:合计|共计|总计)(?:为|达)?\s*$")
# Words naming which period's figure a change is of, when a sentence gives several ('累计同比增长').
_PERIOD_WORD = regex.compile(r"累计|当月|本月|全年|上半年|一季度|前三季度")
_YEAR_NAMED = regex.compile(r"(?:19|20)\d{2}\s*年")
# What a change of a rate is compared with, after the rate's name ('增幅比一季度', '增速较1-5月').
_RATE_COMPARED = regex.compile(r"(?:比|较|与)[^，,；;。]*$")
# A sentence saying the list before it is all of its whole: '以上三项为机关运行经费全部支出', '上述各项即为全部构成'.
_SAID_COMPLETE = regex.compile(rf"^\s*(?:以上|上述)(?:{_ITEMS_COUNTED}|各项)?[^。；;]{{0,30}}?(?:全部|所有)(?:支出|收入|构成|内容|经费)?\s*$")
# A clause giving the value a change came to, right after the change ('，为 2.40 万元', '，减少后为 …').
_COMES_TO = regex.compile(r"^[，,]?\s*(?:(?:增加|减少|调整|下降|增长)后)?(?:为|达到?|是)\s*$")
# Words between a stated base and the value it became, with no direction of their own.
_BECOMES = regex.compile(r"^\s*(?:调整为|调整到|调整至|变为|变更为|改为)\s*$")
_INTRO_WORDS = "主要用于|主要包括|包括|分布如下|具体如下|如下|以下几个方面|以下方面|分别是|分别为"
_INTRO = regex.compile(rf"(?:{_INTRO_WORDS})[^。]*[：:]$")
_INTRO_WORD = regex.compile(_INTRO_WORDS)
_LEADING_NUMBER = regex.compile(r"^[（(][\d一二三四五六七八九十]{1,3}[）)]|^\d{1,2}[.、](?!\d)")
_FULL_STOP = regex.compile(r"[。！？]")
_SEMICOLON = regex.compile(r"[；;]")
_SHARE_TAIL = regex.compile(r"(?:的)?(?:比重|比例|份额)?(?:为|是|达)?$")
_COPULA_TAIL = regex.compile(r"(?:为|是|达)$")
_TO = regex.compile(r"[到至]")
_DIRECTION_NOISE = regex.compile(r"[（()）了]")
# '占' takes as its part the amount just named, a few characters back in real reports
# ('基本支出 1648.02 万元，占 16.6%'); farther back it is not the part, and the bound keeps a
# run of '占 1%，占 1%，…' after one amount from slicing the whole run again for each share.
_SHARE_REACH = 60
# A baseline's own value stands between the baseline and the direction word, after at most a short
# name ('比上年累计支出 285 万元下降', '较 2014 年度部门决算公开“三公”经费合计 16.08 万元增加').
_BASE_NAME_REACH = 30
# Words joining the figures of one list ('8.1%和91.9%', '2666.3亿元、30400.7亿元'): each figure of such
# a list goes with one of several subjects, which a single claim cannot say.
_LIST_JOINERS = ("和", "、", "与", "及", "或")
_OPPOSITE = {"increase": "decrease", "decrease": "increase"}
# A rate named by its word right before its figure: '节支率14.9%', '平均节支率为10.97%'.
_RATE_NAME = regex.compile(r"(?P<name>\p{Han}{1,8}率)(?:为|是|达到?)?$")
_RESPECTIVELY = "分别"
# The words right before a figure, as a hint of what it is of ('税收收入小计 27,631 …' → '税收收入小计').
_LAST_WORDS = regex.compile(r"\p{Han}[\p{Han}（）()]{0,11}(?=[^\p{Han}]*$)")
# A list item continuing a list of shares: a short name, a linking word, the percent ('新疆达82.33%').
_LIST_ITEM = regex.compile(r"\s*(?:而|其次为|其次是|其次)?\s*(?P<name>\p{Han}{2,10}?)\s*(?:为|是|达|达到|约|占|仅|仅为)?\s*$")
# An amount is 'just named' for a change or direction word only this close before it: real
# sentences are under 300 characters, and re-reading an ever longer stretch for each of
# thousands of clauses in one unpunctuated run was quadratic.
_DIRECT_REACH = 300


@dataclass
class _Respective:
    """A 分别 list of shares being read: the amounts before 分别, the whole, the percentages so far."""

    parts: list[AmountClaim]
    whole_subject: str | None
    opened: int
    percents: list[tuple[Figure, Token]]


@dataclass
class ParagraphClaims:
    """What one paragraph yields, and what later stages need to know about it."""

    claims: list = field(default_factory=list)
    intro_subject: str | None = None  # '…主要用于以下几个方面：' — the whole its list items share
    starts_with_marker: bool = False


_LEADING_CONJUNCTION = regex.compile(r"^(?:而|但|其中|另外)")


def _made_up(comp: CompositionClaim) -> bool:
    """Do the parts listed so far add up, as printed, to the list's whole?"""
    return sum((p.value.yuan for p in comp.parts), Decimal(0)) == comp.whole.yuan


# An amount said to be in addition to what came before: not a part of the list before it.
_ANOTHER = regex.compile(r"^[，,；;]?\s*(?:另外?|此外|另行)")


def _count(text: str) -> int | None:
    """'两' → 2, '三' → 3, '12' → 12: how many items a list is said to have."""
    return int(text) if text.isdigit() else (2 if text == "两" else cn_ordinal(text))


def _named_baseline(subject: str) -> Baseline | None:
    """The baseline a subject is made of alone ('上年', '上年预算', '去年同期', '年初预算数'), if it is."""
    phrase = _LEADING_CONJUNCTION.sub("", subject)
    kind = baseline_kinds().get(phrase)
    return Baseline(kind=kind, text=phrase) if kind else None


@lru_cache(maxsize=1)
def _rate_verbs() -> frozenset[str]:
    """Verbs naming a rate whose whole is an amount named before its part ('支付率')."""
    return frozenset(w for w, role in lexicons.rows("ratio_words.tsv") if role == "rate_verb")


@lru_cache(maxsize=1)
def _ratio_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words opening a ratio clause, words naming a budget as the whole)."""
    rows = lexicons.rows("ratio_words.tsv")
    return tuple(w for w, role in rows if role == "opener"), tuple(w for w, role in rows if role == "budget")


@dataclass
class _Aside:
    """What a bracket after an amount interrupts ('2066 万元（其中：…）'): restored when it closes."""

    amount: AmountClaim
    comp: CompositionClaim | None
    comp_start: int
    comp_end: int
    comp_whole: AmountClaim | None
    topic: AmountClaim | None
    sentence_amounts: list


@lru_cache(maxsize=1)
def _qualifiers() -> tuple[dict[str, str], dict[str, str]]:
    before, after = {}, {}
    for word, position, meaning in lexicons.rows("qualifiers.tsv"):
        (before if position == "before" else after)[word] = meaning
    return before, after


class IdMaker:
    _PREFIX = {"amount": "A", "change": "C", "share": "S", "composition": "M", "per_unit": "U", "count": "N", "reason": "R"}

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{self._PREFIX[kind]}{self.counts[kind]}"


class _Parser:
    def __init__(self, doc: Document, para: Paragraph, ids: IdMaker, report_year: int | None = None,
                 max_tokens: int | None = None) -> None:
        self.doc = doc
        self.report_year = report_year
        self.para = para
        self.ids = ids
        self.nt = NormalizedText(doc.text, para.segments)
        self.text = self.nt.text
        self.tokens = scan(self.text, max_tokens)
        self.out = ParagraphClaims()
        # paragraph state
        self.topic: AmountClaim | None = None
        self.label: str | None = None
        self.last_change: ChangeClaim | None = None
        # sentence state
        self.sentence_start = 0
        self.sentence_amounts: list[AmountClaim] = []
        self.comp: CompositionClaim | None = None
        # clause state
        self.mark = 0  # where the pending subject text begins
        self.change: ChangeClaim | None = None
        self.change_inherited = False
        self.pending_dir: Token | None = None
        self.pending_share: Token | None = None
        self.pending_perunit: Token | None = None
        self.last_amount: AmountClaim | None = None
        self.last_amount_end = -1
        self.norm_starts: dict[str, int] = {}  # where each amount claim's text starts and ends, in self.text
        self.norm_ends: dict[str, int] = {}
        self.change_start = 0
        self.change_end = 0  # where the open change's last figure ends
        self.comp_start = 0
        self.comp_end = 0
        self.comp_whole: AmountClaim | None = None
        self.reason_start = 0
        self.prev: Token | None = None
        # reason state
        self.reason: ReasonClaim | None = None
        self.component_start = 0
        self.component_marker = ""
        self.component_mark = 0
        self.component_items: list[SignedAmount] = []
        self.component_directions: list[str] = []
        self.reason_dir: Token | None = None
        self.last_enum = 0
        # ratio state: '占年初预算数 109466 万元的 56.3%' — the whole named before '的'
        self.ratio_whole: tuple[Figure, str] | None = None
        self.closed_change_end = -1  # where the last closed change ended
        self.asides: list[_Aside | None] = []  # open brackets, innermost last; None for a bracket not after an amount
        self.share_list: tuple[ShareClaim, int] | None = None  # the sentence's last share, and where its percent ends
        self.stated_base: tuple[AmountClaim, int] | None = None  # '上年为 X': a baseline's value, and where it ends
        self.respective: _Respective | None = None  # a 分别 list of shares being read
        self.closed_comp: tuple[CompositionClaim, int] | None = None  # the last list closed, and where it ended

    # -- spans ------------------------------------------------------------------------------

    def span(self, start: int, end: int) -> dict:
        a, b = self.nt.to_original(start, end)
        line, column = self.doc.line_index.position(a)
        return {"start": a, "end": b, "line": line, "column": column, "quote": self.doc.text[a:b], "paragraph": self.para.index}

    def figure(self, tok: Token) -> Figure | None:
        a, b = self.nt.to_original(tok.start, tok.end)
        fig = make_figure(tok.number or "", tok.unit or "", a, b, self.doc.text[a:b])
        if fig is None:
            return None
        before, after = _qualifiers()
        head = self.text[max(0, tok.start - 3) : tok.start]
        tail = self.text[tok.end : tok.end + 5]
        for word, meaning in after.items():
            if tail.startswith(word):
                fig.qualifier = meaning
        for word, meaning in before.items():
            if head.endswith(word):
                fig.qualifier = fig.qualifier or meaning
        return fig

    def pending(self, upto: int, since: int | None = None) -> str:
        return self.text[self.mark if since is None else since : upto]

    # -- driver -----------------------------------------------------------------------------

    def run(self) -> ParagraphClaims:
        self.out.starts_with_marker = bool(self.tokens and self.tokens[0].kind == "ENUM" and self.tokens[0].start == 0) or bool(
            _LEADING_NUMBER.match(self.text)
        )
        for i, tok in enumerate(self.tokens):
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if self.reason is not None and self._in_reason(tok, nxt):
                self.prev = tok
                continue
            if self.respective is not None and not self._continues_respective(tok):
                self._close_respective()
            getattr(self, f"_on_{tok.kind.lower()}")(tok, nxt)
            self.prev = tok
        self._close_reason(len(self.text))
        self._end_sentence()
        if _INTRO.search(self.text.rstrip()):
            last = _FULL_STOP.split(self.text.rstrip("：:"))[-1]
            head = _INTRO_WORD.split(last)[0]
            subject = clean_subject(head)
            if subject:
                self.out.intro_subject = subject
        return self.out

    # -- tokens outside reasons -------------------------------------------------------------

    def _on_delim(self, tok: Token, nxt: Token | None) -> None:
        ch = tok.text
        if ch in "：:":
            if self.prev is not None and self.prev.kind == "FIG" and self.last_amount is not None and self.last_amount_end == self.prev.end:
                self._open_composition(self.last_amount, tok.start)
            elif not self.sentence_amounts and self.label is None:
                label = clean_subject(self.pending(tok.start))
                if label and not is_generic(label):
                    self.label = label
        if ch in SENTENCE_END:
            self._end_sentence()
            self._said_complete(self.text[self.sentence_start : tok.start])
            self.sentence_start = tok.end
        elif ch in "；;":
            self._close_change()
        if ch != "、":
            self.mark = tok.end
        if ch in "；;。！？!?":
            self.pending_share = None
            self.pending_dir = None
        if ch != "、":
            self.ratio_whole = None

    def _on_fig(self, tok: Token, nxt: Token | None) -> None:
        fig = self.figure(tok)
        if fig is None:
            return
        if fig.kind == "count":
            clause_start = max(self.text.rfind(d, 0, tok.start) for d in "，；。：") + 1
            clause = self.text[clause_start : tok.start]
            lead = len(clause) - len(clause.lstrip())
            self.out.claims.append(CountClaim(
                id=self.ids("count"), **self.span(clause_start + lead, tok.end), subject=clause.strip(), value=fig,
                year=stated_year(clause, self.report_year),
            ))
            self.mark = tok.end
            return
        if self.pending_dir is not None and (_DIR_GAP.match(gap := self.text[self.pending_dir.end : tok.start]) or _TO.fullmatch(gap.strip())):
            self._change_figure(self.pending_dir, fig, tok, nxt)
            self.pending_dir = None
            self.mark = tok.end
            return
        if fig.kind == "money":
            if self._is_stated_base(tok, nxt):
                self.change.base = fig  # type: ignore[union-attr]
                self.mark = tok.end
                return
            if self._becomes(tok):
                self.change.current = fig  # type: ignore[union-attr]
                self._extend_change(tok.end)
                self.mark = tok.end
                return
            whole_name = self._ratio_whole_name(tok, nxt)
            if whole_name is not None:
                self.ratio_whole = (fig, whole_name)
                self.mark = tok.end
                return
            if self.pending_perunit is not None:
                self._per_unit(fig, tok)
                return
            self._amount(fig, tok)
            return
        if fig.kind == "percent":
            if self.respective is not None and self.prev is not None and self.prev.kind == "FIG" \
                    and self.text[self.prev.end : tok.start].strip() in _LIST_JOINERS:
                self.respective.percents.append((fig, tok))
                self.mark = tok.end
                return
            opener = self._ratio_opener(tok)
            if self.pending_share is not None or self.ratio_whole is not None or opener is not None:
                self._share(fig, tok, nxt, opener)
            elif self._bracketed_rate(tok):
                self.change.percent = fig  # type: ignore[union-attr]
                self._extend_change(tok.end)
            elif not self._continued_share(fig, tok):
                self._named_rate(fig, tok)
        self.mark = tok.end

    def _named_rate(self, fig: Figure, tok: Token) -> None:
        """'节支率 14.9%', '支付 21966.95 万元，支付率 68.7%': a rate named by a word alone. The text does
        not say which figures it divides. When the amount just named is named with the rate's own
        verb (支付 … 支付率), that amount is its part, and the amounts named before it in the sentence
        are the wholes it may be of: the rate must fit one of them. Otherwise it is recorded,
        unchecked, for the reader to see."""
        m = _RATE_NAME.search(self.text, self._clause_start(tok.start), tok.start)
        if m is None:
            self._unplaced_rate(fig, tok)
            return
        start, _ = m.span("name")
        name = m.group("name")
        part = self.last_amount if self.last_amount is not None and self.last_amount_end >= self.sentence_start else None
        verb = name[:-1][-2:]
        if part is None or verb not in _rate_verbs() or verb not in part.subject or part.value.kind != "money":
            part = None
        wholes = [a for a in self.sentence_amounts
                  if part is not None and a is not part and a.part_of is None and a.end <= part.start and a.value.kind == "money"]
        self.out.claims.append(ShareClaim(
            id=self.ids("share"), **self.span(start, tok.end), part_subject=part.subject if wholes else name, percent=fig,
            part=part.value if wholes else None, part_claim=part.id if wholes else None,
            whole_candidates=[a.id for a in wholes],
            unclear=None if wholes else not_checked.RATE_NAMED_BY_WORD_ALONE.zh,
        ))

    def _unplaced_rate(self, fig: Figure, tok: Token) -> None:
        """A percentage no word ties to a figure ('… 51,385 51,385 100.00% 4.50% 税收收入小计 …', a table
        flattened into a line): recorded as seen and not checked, never guessed at."""
        words = _LAST_WORDS.search(self.text, self._clause_start(tok.start), tok.start)
        self.out.claims.append(ShareClaim(
            id=self.ids("share"), **self.span(tok.start, tok.end), part_subject=words.group() if words else "", percent=fig,
            unclear=not_checked.PERCENT_TIED_TO_NO_FIGURE.zh,
        ))

    def _continued_share(self, fig: Figure, tok: Token) -> bool:
        """'占比最高的为辽宁，达84.07%；新疆达82.33%；北京达76.58%': a percent with only a name before it,
        in the clause after a share, goes on that share's list. The whole is named once for all and
        may be each item's own (each province's total): recorded, not checked."""
        if self.share_list is None or self.change is not None:
            return False
        last, last_end = self.share_list
        clause_start = self._clause_start(tok.start)
        if clause_start <= last_end:
            return False
        m = _LIST_ITEM.match(self.text, clause_start, tok.start)
        if m is None:
            return False
        claim = ShareClaim(
            id=self.ids("share"), **self.span(m.start("name"), tok.end), ratio=last.ratio,
            part_subject=m.group("name"), percent=fig,
            unclear=not_checked.PERCENT_CONTINUING_SHARE_LIST.zh,
        )
        self.out.claims.append(claim)
        self.share_list = (claim, tok.end)
        return True

    def _is_stated_base(self, tok: Token, nxt: Token | None) -> bool:
        """Is the money figure `tok` the value of the baseline just named: '较上年 1174 万元减少 40 万元',
        '比上年累计支出 285 万元下降 34 万元', '较 2020 年的 3178 万元减少'?"""
        change = self.change
        if change is None or change.base is not None or change.delta is not None or change.direction is not None:
            return False
        if self.prev is None or self.prev.kind != "BASE":
            return False
        gap = self.text[self.prev.end : tok.start]
        if gap in ("", "的", "为"):
            return True
        return (
            len(gap) <= _BASE_NAME_REACH and nxt is not None and nxt.kind in ("DIR", "TEMPLATE") and nxt.start == tok.end
        )

    def _becomes(self, tok: Token) -> bool:
        """Is the money figure `tok` the value a stated base became ('由 2450 万元调整为 2786.30 万元')?"""
        change = self.change
        if change is None or change.base is None or change.current is not None or change.delta is not None:
            return False
        return self.prev is not None and self.prev.kind == "FIG" and bool(_BECOMES.match(self.text[self.prev.end : tok.start]))

    def _clause_start(self, pos: int) -> int:
        return max(self.text.rfind(d, 0, pos) for d in _HARD_DELIMS) + 1

    def _ratio_whole_name(self, tok: Token, nxt: Token | None) -> str | None:
        """'占年初预算数 109466 万元的 56.3%', '完成年度预算 552.8 亿元的 76.8%': the money figure before '的'
        and a percentage is the ratio's whole, not an amount of its own; its name, or None."""
        if nxt is None or nxt.kind != "FIG" or self.text[tok.end : nxt.start] != "的" or units()[nxt.unit or ""].kind != "percent":
            return None
        if self.pending_share is not None:
            return clean_subject(self.text[self.pending_share.end : tok.start])
        clause = self.text[self._clause_start(tok.start) : tok.start]
        openers, _ = _ratio_words()
        opener = next((w for w in openers if clause.startswith(w)), None)
        return clean_subject(clause[len(opener):]) if opener else None

    def _ratio_opener(self, tok: Token) -> tuple[int, str] | None:
        """Where a completion rate with no figure for its budget opens, and the budget's name
        ('为年初预算的 78.56%', '完成全年预算的 76.8%'), or None."""
        if self.text[tok.start - 1 : tok.start] != "的":
            return None
        start = self._clause_start(tok.start)
        clause = self.text[start : tok.start - 1]
        openers, budget = _ratio_words()
        opener = next((w for w in openers if clause.startswith(w)), None)
        if opener is None or not any(w in clause for w in budget) or regex.search(r"\d", clause):
            return None
        return start, clean_subject(clause[len(opener) :])

    def _after_list(self, part: AmountClaim | None, opened: int) -> str | None:
        """'其中：A 300 万元，B 480 万元，为年初预算数 1000 万元的 86%': a ratio right after the last of a
        list's parts may be of that part or of the whole the list breaks down."""
        comp = self.comp
        if part is None or comp is None or part.part_of != comp.id or len(comp.parts) < 2 or comp.parts[-1].claim != part.id:
            return None
        if self.text[self.last_amount_end : opened].strip("，, "):
            return None
        return not_checked.RATIO_AFTER_LIST.zh

    def _bracketed_rate(self, tok: Token) -> bool:
        """'减少 18.50 万元（65.37%）': a percentage in brackets right after a change's amount is its rate."""
        change = self.change
        return (
            change is not None and change.percent is None and change.delta is not None
            and self.text[self.change_end : tok.start] in ("（", "(")
        )

    def _in_list(self, tok: Token, nxt: Token | None) -> bool:
        """Is the figure `tok` one of a list of figures of its kind ('8.1%和91.9%', '分别为 X 和 Y')?"""
        def joined(a: Token | None, b: Token | None) -> bool:
            return (
                a is not None and b is not None and a.kind == b.kind == "FIG" and a.unit == b.unit
                and self.text[a.end : b.start].strip() in _LIST_JOINERS
            )
        return joined(self.prev, tok) or joined(tok, nxt) or _RESPECTIVELY in self.text[self._clause_start(tok.start) : tok.start]

    def _on_base(self, tok: Token, nxt: Token | None) -> None:
        if self._restates_baseline(tok, nxt):
            self.mark = tok.end  # '较上年决算数增加 X 万元，同比增长 Y%': one change, its baseline said twice
            return
        self._close_change()
        self.pending_dir = None
        subject = clean_subject(self.pending(tok.start))
        direct = self._direct_amount(tok.start) is not None
        current_claim: AmountClaim | None = None
        inherited = False
        if not is_generic(subject):
            if direct and self.last_amount is not None and compatible(subject, self.last_amount.subject):
                current_claim = self.last_amount
        elif direct:
            current_claim = self.last_amount
        else:
            current_claim = self.topic
            if current_claim is None and self.label:
                subject = self.label
            inherited = True
        named = self._period_named(self.pending(tok.start)) if is_generic(subject) else None
        if named is not None:  # '累计完成 25.64 亿元，其中 8 月完成 2.87 亿元，累计同比增收 …': the 累计 figure
            current_claim, subject, inherited = named, named.subject, False
        previous = self._continued_change(tok, subject)
        if previous is not None:  # '较上年 X 减少 …，较预算数 Y 减少 …': the same figure against a second baseline
            subject, inherited = previous.subject, False
            current_claim = self._sentence_amount(previous.current_claim)
        if current_claim is not None and is_generic(subject):
            subject = current_claim.subject
        start = tok.start if not subject or current_claim is not None else self.mark
        self.change = ChangeClaim(
            id="",
            **self.span(start, tok.end),
            subject=subject,
            current=current_claim.value if current_claim else None,
            current_claim=current_claim.id if current_claim else None,
            baseline=tok.baseline,
        )
        self.change_start = start
        self.change_inherited = inherited
        self._take_stated_base()
        self.mark = tok.end

    def _take_stated_base(self) -> None:
        """The open change's base, when the sentence stated its baseline's value before it ('上年为 X')
        for the change's own quantity, against the same baseline ('上年预算为' is not '比上年决算')."""
        change = self.change
        if change is None or self.stated_base is None or change.base is not None:
            return
        amount, _ = self.stated_base
        stated = amount.of_baseline
        assert stated is not None
        if change.current_claim is None or self._sentence_amount(change.current_claim) is None:
            return
        if change.baseline is None:
            change.baseline = stated
        elif not stated.may_name_the_figure_of(change.baseline):
            return
        if compatible(amount.subject, change.subject) or is_generic(change.subject):
            change.base = amount.value

    def _period_named(self, raw: str) -> AmountClaim | None:
        """The amount of this sentence a period word before a change names again ('累计', '当月', '全年'),
        when it is not the amount just named."""
        m = _PERIOD_WORD.search(raw)
        if m is None:
            return None
        named = next((a for a in reversed(self.sentence_amounts) if m.group() in a.subject and a.of_baseline is None), None)
        return named if named is not None and named is not self.last_amount else None

    def _continued_change(self, tok: Token, subject: str) -> ChangeClaim | None:
        """The change just closed in this sentence, when the baseline `tok` follows it after a comma
        with nothing named between: the same figure compared with another baseline."""
        last = self.last_change
        if last is None or self.closed_change_end < self.sentence_start or not is_generic(subject):
            return None
        if self.text[self.closed_change_end : tok.start].strip("，,、 ") or not last.subject:
            return None
        return last

    def _sentence_amount(self, claim_id: str | None) -> AmountClaim | None:
        """The amount of this sentence with the id `claim_id`, if any."""
        return next((c for c in reversed(self.sentence_amounts) if c.id == claim_id), None) if claim_id else None

    def _restates_baseline(self, tok: Token, nxt: Token | None) -> bool:
        """Is `tok` (同比, 较上年 …) the open change's own prior-year baseline named again for its
        rate, right after its amount and a comma ('增加 X 万元，同比增长 Y%')? ('…，与上年持平' is a
        statement of its own, which ARI004 holds against the change.)"""
        change = self.change
        return (
            change is not None and change.delta is not None and change.percent is None and change.points is None
            and change.baseline is not None and change.baseline.family == "prior"
            and tok.baseline is not None and tok.baseline.kind == "prior_year"
            and self.text[self.change_end : tok.start] == "，"
            and nxt is not None and nxt.kind == "DIR" and nxt.direction in ("increase", "decrease") and nxt.start == tok.end
        )

    def _direct_amount(self, pos: int) -> AmountClaim | None:
        """The amount just named in this sentence, if only delimiters and framing words lie between
        (or a baseline's value: '收入 6.48 亿元，上年为 2.70 亿元，增收 3.78 亿元')."""
        if self.last_amount is None or self.last_amount_end < self.sentence_start:
            return None
        if pos - self.last_amount_end > _DIRECT_REACH:
            return None
        after = self.last_amount_end
        if self.stated_base is not None and self.stated_base[1] > after:
            after = self.stated_base[1]
        between = self.text[after : pos]
        if _SEMICOLON.search(between) or not is_generic(clean_subject(between)):
            return None
        return self.last_amount

    def _on_dir(self, tok: Token, nxt: Token | None) -> None:
        if tok.direction == "flat":
            if self.change is not None:
                self._set_direction(tok)
                self._extend_change(tok.end)
            self.mark = tok.end
            return
        gap = self.text[tok.end : nxt.start] if nxt is not None else ""
        # '增加 X 万元' names the change; '增加到 X 万元' the value it came to (`_change_figure`)
        follows_figure = nxt is not None and nxt.kind == "FIG" and (_DIR_GAP.match(gap) or _TO.fullmatch(gap.strip()))
        if self.change is not None and self.change.direction is not None and not self.change_inherited and tok.bare and follows_figure:
            named = clean_subject(self.pending(tok.start))
            if not is_generic(named) and not compatible(named, self.change.subject):
                # '因公出国（境）费与上年持平，公务接待费减少 1.20 万元': another item's change, not a second
                # direction of the first
                self._close_change()
        if self.change is None:
            if not (tok.bare and follows_figure):
                return
            subject = clean_subject(self.pending(tok.start))
            direct = self._direct_amount(tok.start)
            if is_generic(subject):
                if direct is None:
                    return  # '增加 5 万元' with nothing named: not a claim we can place
                subject = direct.subject
            current = direct if direct is not None and compatible(subject, direct.subject) else None
            self.change = ChangeClaim(
                id="", **self.span(self.mark, tok.end), subject=subject,
                current=current.value if current else None, current_claim=current.id if current else None,
            )
            self.change_start = self.mark
            self.change_inherited = False
            self._take_stated_base()
        elif self.change_inherited:
            subject = clean_subject(self.pending(tok.start))
            if not is_generic(subject):
                if not compatible(subject, self.change.subject):
                    self.change.current = None
                    self.change.current_claim = None
                self.change.subject = subject
                self.change_inherited = False
        if follows_figure:
            self.pending_dir = tok
        else:
            self._set_direction(tok)
        self._extend_change(tok.end)

    def _on_template(self, tok: Token, nxt: Token | None) -> None:
        if self.change is not None:
            self.change.template = True
            self._extend_change(tok.end)
            if nxt is not None and nxt.kind == "FIG" and _DIR_GAP.match(self.text[tok.end : nxt.start]):
                self.pending_dir = tok

    def _on_share(self, tok: Token, nxt: Token | None) -> None:
        self.pending_share = tok

    def _on_comp(self, tok: Token, nxt: Token | None) -> None:
        self._close_change()
        direct = self._direct_amount(tok.start)
        if direct is not None and self.comp is not None and direct.part_of == self.comp.id and len(self.comp.parts) > 1:
            # '限额 1105.3 亿元，其中一般债务 725.3 亿元、专项债务 380 亿元，余额为 1071.65 亿元，其中…':
            # '其中' names the amount just before it as a whole, so that amount ended the list before
            self.comp.parts = [p for p in self.comp.parts if p.claim != direct.id]
            direct.part_of = None
        heads = [a for a in self.sentence_amounts if a.part_of is None]
        whole = heads[-1] if heads else self.topic
        if whole is not None:
            self._open_composition(whole, tok.start)
        self.mark = tok.end

    def _on_reason(self, tok: Token, nxt: Token | None) -> None:
        self._close_change()
        target = self.last_change
        named_since = self.last_amount is not None and self.last_amount_end > self.closed_change_end
        if target is not None and named_since and not compatible(self.last_amount.subject, target.subject):  # type: ignore[union-attr]
            # '其中：公务用车购置安排 692 万元，主要是执法车辆增加': the reason of the amount just named, not
            # of the change before it
            target = None
        self.reason = ReasonClaim(id="", **self.span(tok.start, tok.end), change=target.id if target else None, marker=tok.text, components=[])
        self.reason_start = tok.start
        self.component_start = tok.end
        self.component_mark = tok.end
        self.component_marker = ""
        self.component_items = []
        self.component_directions = []
        self.reason_dir = None
        self.last_enum = 0

    def _on_usage(self, tok: Token, nxt: Token | None) -> None:
        self._close_change()
        self.mark = tok.end

    def _on_perunit(self, tok: Token, nxt: Token | None) -> None:
        self.pending_perunit = tok

    def _on_enum(self, tok: Token, nxt: Token | None) -> None:
        self.mark = tok.end

    def _on_bracket(self, tok: Token, nxt: Token | None) -> None:
        """A bracket right after an amount holds an aside on it ('2066 万元（其中：运行维护费 1920 万元，
        购置费 146 万元）'): its figures are that amount's parts or changes, never parts of the list the
        amount is in, and after it the amount is again the one just named."""
        if tok.text in "（(":
            amount = self.last_amount
            if amount is None or self.prev is None or self.prev.kind != "FIG" or self.last_amount_end != tok.start:
                self.asides.append(None)
                return
            self._close_change()
            self.asides.append(_Aside(amount, self.comp, self.comp_start, self.comp_end, self.comp_whole, self.topic,
                                      self.sentence_amounts))
            self.comp, self.comp_whole, self.topic, self.sentence_amounts = None, None, amount, []
            return
        aside = self.asides.pop() if self.asides else None
        if aside is None:
            return
        self._close_change()
        self._close_composition()
        self.comp, self.comp_start, self.comp_end, self.comp_whole = aside.comp, aside.comp_start, aside.comp_end, aside.comp_whole
        self.topic, self.sentence_amounts = aside.topic, aside.sentence_amounts
        self.last_amount, self.last_amount_end = aside.amount, tok.end
        self.mark = tok.end

    # -- reasons ----------------------------------------------------------------------------

    def _in_reason(self, tok: Token, nxt: Token | None) -> bool:
        """Handle a token inside an open reason; False when the reason has just closed."""
        if tok.kind == "ENUM":
            self._next_component(tok)
            return True
        if tok.kind in ("USAGE", "REASON"):
            self._close_reason(tok.start)
            return False
        if tok.kind == "DELIM":
            if tok.text in "；;" + SENTENCE_END:
                continues = nxt is not None and nxt.kind == "ENUM" and nxt.start == tok.end
                if not continues:
                    self._close_reason(tok.start)
                    return False
            self.component_mark = tok.end
            return True
        if tok.kind == "BASE":
            if not self.component_marker and is_generic(clean_subject(self.text[self.component_mark : tok.start])):
                self._close_reason(tok.start)
                return False
            return True
        if tok.kind in ("DIR", "TEMPLATE"):
            self.reason_dir = tok
            if tok.kind == "DIR" and tok.direction:
                self.component_directions.append(tok.direction)
            return True
        if tok.kind == "FIG":
            fig = self.figure(tok)
            d = self.reason_dir
            between = self.text[d.end : tok.start] if d is not None else ""
            if fig is not None and fig.kind == "money" and d is not None and d.direction:
                if _DIR_GAP.match(between):
                    subject = clean_subject(self.text[self.component_mark : d.start])
                elif (obj := _DIR_OBJECT.match(between)) is not None:
                    subject = obj.group("object")  # '增加公用经费 6.40 万元': what grew, after the word
                else:
                    subject = None
                if subject is not None:
                    self.component_items.append(SignedAmount(subject=subject, direction=d.direction, amount=fig))  # type: ignore[arg-type]
                    self.component_mark = tok.end
            self.reason_dir = None
            return True
        return True

    def _next_component(self, tok: Token) -> None:
        self._flush_component(tok.start)
        self.component_start = tok.start
        self.component_mark = tok.end
        self.component_marker = tok.text
        self.last_enum = tok.position

    def _flush_component(self, end: int) -> None:
        if self.reason is None:
            return
        text = self.text[self.component_start : end].strip("，；。：、 ")
        if text or self.component_items:
            span = self.span(self.component_start, max(end, self.component_start + 1))
            self.reason.components.append(
                ReasonComponent(
                    marker=self.component_marker, start=span["start"], end=span["end"],
                    text=span["quote"].strip("，；。：、 \n"), items=self.component_items, directions=self.component_directions,
                )
            )
        self.component_items = []
        self.component_directions = []

    def _close_reason(self, end: int) -> None:
        if self.reason is None:
            return
        self._flush_component(end)
        reason = self.reason
        self.reason = None
        if not reason.components and self.text[self.reason_start:].rstrip().endswith(("：", ":")):
            return  # '主要原因如下：' — the reasons follow in the next paragraphs
        reason.id = self.ids("reason")
        self._respan(reason, self.reason_start, end)
        if reason.change:
            for claim in self.out.claims:
                if claim.id == reason.change and isinstance(claim, ChangeClaim):
                    claim.reason = reason.id
        self.out.claims.append(reason)
        self.mark = end

    # -- building claims --------------------------------------------------------------------

    def _amount(self, fig: Figure, tok: Token) -> None:
        change = self.change
        self._close_change()
        if fig.qualifier in ("bound", "rate"):
            self.mark = tok.end
            return
        raw = self.pending(tok.start)
        subject = clean_subject(raw)
        if change is not None and change.current is None and change.subject and _COMES_TO.match(raw):
            # '公务接待费比上年减少 0.60 万元，为 2.40 万元': the value the change came to
            subject = change.subject
        baseline = self._prior_year_named(raw, subject) or _named_baseline(subject)
        topic = self.topic
        if (baseline is not None and topic is not None
                and (baseline.kind == "year" or (_named_baseline(topic.subject) is None and not _YEAR_NAMED.search(raw)))
                and (self._aside_on(topic) or (topic in self.sentence_amounts
                                               and not _SEMICOLON.search(self.text[self.norm_ends[topic.id] : tok.start])))):
            self._baseline_amount(fig, tok, baseline)
            return
        if self.comp is not None and self.comp.parts and ((_made_up(self.comp) and fig.value != 0) or _ANOTHER.match(raw)):
            # '安排 3600 万元，其中省级 2400 万元、市级 1200 万元，已拨付 3312 万元': a list whose parts already
            # make its whole ends before another non-zero amount (a zero part changes no sum), as it does
            # before an amount said to be another ('另')
            self._close_composition()
        listed = self._totalled_list(raw)
        if is_generic(subject) and self.label:
            subject = self.label
        start = self.mark if subject else tok.start
        while start < tok.start and self.text[start] in "，；：、 ":
            start += 1
        claim = AmountClaim(id=self.ids("amount"), **self.span(start, tok.end), subject=subject, value=fig,
                            year=stated_year(raw, self.report_year, self.sentence_amounts[-1].year if self.sentence_amounts else None))
        self.norm_starts[claim.id] = start
        self.norm_ends[claim.id] = tok.end
        if self.comp is not None and not listed:
            claim.part_of = self.comp.id
            opens_clause = bool(self.comp.parts) and bool(_SEMICOLON.search(self.text[self.comp_end : tok.start]))
            self.comp.parts.append(CompositionPart(subject=subject, value=fig, claim=claim.id, opens_clause=opens_clause))
            self.comp_end = tok.end  # the span is set once, on closing: re-slicing it per part is quadratic
        else:
            self.topic = claim
        self.sentence_amounts.append(claim)
        self.out.claims.append(claim)
        self.last_amount = claim
        self.last_amount_end = tok.end
        self.mark = tok.end
        if change is not None and change.current is None and subject == change.subject and _COMES_TO.match(raw):
            change.current, change.current_claim = fig, claim.id
        if listed:
            self._total_after(claim, listed)
            if self.comp is not None:
                self.comp_end = tok.end  # the subtotal closes its list

    def _open_respective(self, fig: Figure, tok: Token) -> bool:
        """'人员经费 528.40 万元、公用经费 91.60 万元，分别占基本支出的 85.2%和 14.8%': the amounts listed
        right before 分别 and the percentages listed after it go in pairs, in order. Collected here,
        paired when the list of percentages ends (`_close_respective`)."""
        share_tok = self.pending_share
        assert share_tok is not None
        clause = self.text[self._clause_start(share_tok.start) : share_tok.start]
        if not clause.rstrip().endswith(_RESPECTIVELY):
            return False
        parts = self._listed_amounts(self._clause_start(share_tok.start))
        whole_text = self.text[share_tok.end : tok.start]
        self.pending_share = None
        self.respective = _Respective(parts, clean_subject(_SHARE_TAIL.sub("", whole_text)) or None, share_tok.start, [(fig, tok)])
        return True

    def _listed_amounts(self, before: int) -> list[AmountClaim]:
        """The amounts named one after another, with only their subjects and a joiner between, that
        end right before `before` (a clause's start)."""
        out: list[AmountClaim] = []
        end = before
        for amount in reversed(self.sentence_amounts):
            a_end = self.norm_ends[amount.id]
            gap = self.text[a_end:end]
            if gap.strip(" ，,、和及与") or a_end > end:
                break
            out.append(amount)
            end = self.norm_starts[amount.id]
        return list(reversed(out))

    def _continues_respective(self, tok: Token) -> bool:
        if tok.kind == "DELIM":
            return tok.text == "、"
        prev = self.prev
        return (tok.kind == "FIG" and prev is not None and prev.kind == "FIG" and tok.unit == prev.unit
                and self.text[prev.end : tok.start].strip() in _LIST_JOINERS)

    def _close_respective(self) -> None:
        respective, self.respective = self.respective, None
        if respective is None:
            return
        pairs = len(respective.parts) == len(respective.percents) > 1
        for i, (fig, tok) in enumerate(respective.percents):
            part = respective.parts[i] if pairs else None
            start = self.norm_starts[part.id] if part is not None else respective.opened
            claim = ShareClaim(
                id=self.ids("share"), **self.span(start, tok.end),
                part_subject=part.subject if part else "", part=part.value if part else None,
                part_claim=part.id if part else None, percent=fig, whole_subject=respective.whole_subject,
                unclear=None if pairs else not_checked.PERCENTS_NOT_ONE_PER_FIGURE.zh,
            )
            self.out.claims.append(claim)

    def _totalled_list(self, raw: str) -> list[AmountClaim]:
        """The amounts a total named after them adds up ('税收收入 48.60 亿元，非税收入 12.30 亿元，两项合计
        60.90 亿元'): as many as it counts ('两项'), else every one since the sentence began; none when
        they are not all plain amounts of this sentence outside another list."""
        m = _TOTAL_AFTER.match(raw)
        if m is None:
            return []
        if self.comp is not None:  # a subtotal of the 其中 list it closes: of its parts, not one of them
            amounts = [self._sentence_amount(p.claim) for p in self.comp.parts]
            amounts = [a for a in amounts if a is not None]
        else:
            amounts = [a for a in self.sentence_amounts if a.part_of is None and a.of_baseline is None]
        count = _count(m.group("count")) if m.group("count") else None
        if count is not None:
            if len(amounts) < count:
                return []
            amounts = amounts[-count:]
        return amounts if len(amounts) > 1 and len({a.value.unit for a in amounts}) >= 1 else []

    def _total_after(self, whole: AmountClaim, parts: list[AmountClaim]) -> None:
        comp = CompositionClaim(
            id=self.ids("composition"), **self.span(self.norm_starts[parts[0].id], self.norm_ends[whole.id]),
            whole_subject=whole.subject, whole=whole.value, whole_claim=whole.id,
            parts=[CompositionPart(subject=p.subject, value=p.value, claim=p.id) for p in parts], said_complete=True,
        )
        for p in parts:
            p.part_of = p.part_of or comp.id
        self.out.claims.append(comp)

    def _prior_year_named(self, raw: str, subject: str) -> Baseline | None:
        """'2024年预算数 128 万元，2023年预算数 120 万元，增加 8 万元': the same quantity named by the year
        before the one just named is that year's value, a baseline of the sentence's quantity."""
        topic = self.topic
        year = stated_year(raw, self.report_year)
        if topic is None or year is None or topic.year is None or year != topic.year - 1:
            return None
        if subject != topic.subject and not (is_generic(subject) or compatible(subject, topic.subject)):
            return None
        return Baseline(kind="year", text=raw.strip("，,；; "), year=year)

    def _aside_on(self, amount: AmountClaim) -> bool:
        """Is the innermost open bracket an aside on `amount` ('3.46 万元（上年为 4.10 万元）')?"""
        return bool(self.asides) and self.asides[-1] is not None and self.asides[-1].amount is amount

    def _baseline_amount(self, fig: Figure, tok: Token, baseline: Baseline) -> None:
        """'收入 3218.60 万元，上年为 2986.40 万元，比上年增加 232.20 万元': an amount named by a baseline
        alone is that baseline's value of the sentence's quantity. It is no current value for a change
        to take, and it is the stated base of a change against the same baseline."""
        topic = self.topic
        assert topic is not None
        start = self.mark
        while start < tok.start and self.text[start] in "，；：、 而但":
            start += 1
        year = (topic.year or self.report_year) if baseline.earlier_year else topic.year
        claim = AmountClaim(
            id=self.ids("amount"), **self.span(start, tok.end), subject=topic.subject, value=fig,
            year=year - 1 if baseline.earlier_year and year else year, of_baseline=baseline,
        )
        self.out.claims.append(claim)
        self.stated_base = (claim, tok.end)
        self.norm_starts[claim.id], self.norm_ends[claim.id] = start, tok.end
        if not baseline.earlier_year:
            # '年初预算 80 万元，全年执行数 78 万元，执行率 97.5%': this year's budget is a whole a rate may be of
            self.sentence_amounts.append(claim)
        self.mark = tok.end

    def _share(self, fig: Figure, tok: Token, nxt: Token | None, opener: tuple[int, str] | None) -> None:
        """A percentage of a whole: '占 16.6%', '占年初预算数 109466 万元的 56.3%', '为年初预算的 78.56%'."""
        if self.pending_share is not None and self._open_respective(fig, tok):
            return
        share_tok = self.pending_share
        self.pending_share = None
        stated_whole, self.ratio_whole = self.ratio_whole, None
        if share_tok is not None:
            opened, whole_text = share_tok.start, self.text[share_tok.end : tok.start]
        elif opener is not None:
            opened, whole_text = opener[0], ""
        else:  # the whole was stated: the clause opened where its name began
            opened, whole_text = self._clause_start(tok.start), ""
        part = self.last_amount if self.last_amount is not None and self.last_amount_end >= self.sentence_start else None
        if part is not None and opened - self.last_amount_end > _SHARE_REACH:
            part = None
        between = self.text[self.last_amount_end : opened] if part else ""
        if part is not None and _SEMICOLON.search(between):
            part = None
        if stated_whole is not None:
            whole_subject: str | None = stated_whole[1] or None
        elif opener is not None:
            whole_subject = opener[1] or None
        else:
            whole_subject = clean_subject(_SHARE_TAIL.sub("", whole_text)) or None
        completion = bool(whole_subject) and any(w in whole_subject for w in _ratio_words()[1])  # type: ignore[operator]
        whole_claim: AmountClaim | None = None
        if (whole_subject is None and stated_whole is None and part is not None and part.part_of is not None
                and self.comp is not None and self.comp.id == part.part_of):
            whole_claim = self.comp_whole
        # A ratio whose whole the clause states is quoted from where it opens ('为年初预算数 4688 万元的
        # 80.51%'); a bare '占 16.6%' from its part, the figure it is a share of.
        stated = stated_whole is not None or opener is not None
        span = self.span(self.norm_starts[part.id] if part and not stated else opened, tok.end)
        claim = ShareClaim(
            id=self.ids("share"),
            **span,
            ratio="completion" if completion else "share",
            part_subject=part.subject if part else clean_subject(self.pending(opened)),
            part=part.value if part else None,
            part_claim=part.id if part else None,
            percent=fig,
            whole_subject=whole_claim.subject if whole_claim else whole_subject,
            whole=whole_claim.value if whole_claim else (stated_whole[0] if stated_whole else None),
            whole_claim=whole_claim.id if whole_claim else None,
            unclear=not_checked.ONE_OF_SEVERAL_PERCENTS.zh if self._in_list(tok, nxt)
            else self._after_list(part, opened) if stated else None,
        )
        if part is not None and self.comp is not None and not completion and stated_whole is None and not claim.unclear:
            for p in reversed(self.comp.parts):  # the part is almost always the last one named
                if p.claim == part.id:
                    p.percent = fig
                    break
        self.out.claims.append(claim)
        self.share_list = (claim, tok.end)

    def _respan(self, claim, start: int, end: int) -> None:
        # Fields every claim was built with, recomputed as it grows: straight into the field
        # storage, as `Document.locate` does, without pydantic's assignment path six times over.
        claim.__dict__.update(self.span(start, end))

    def _per_unit(self, fig: Figure, tok: Token) -> None:
        pu = self.pending_perunit
        self.pending_perunit = None
        assert pu is not None
        stem = _COPULA_TAIL.sub("", self.text[pu.end : tok.start])
        claim = PerUnitClaim(id=self.ids("per_unit"), **self.span(pu.start, tok.end), subject=pu.text + stem, per=pu.text, value=fig, total_subject=stem or None)
        self.out.claims.append(claim)
        self.mark = tok.end

    def _open_composition(self, whole: AmountClaim, at: int) -> None:
        self._close_composition()
        self.comp = CompositionClaim(
            id=self.ids("composition"), **self.span(self.norm_starts[whole.id], at + 1), whole_subject=whole.subject, whole=whole.value, whole_claim=whole.id, parts=[]
        )
        self.comp_start = self.norm_starts[whole.id]
        self.comp_whole = whole

    def _close_composition(self) -> None:
        if self.comp is not None and self.comp.parts:
            self._respan(self.comp, self.comp_start, self.comp_end)
            _keep_parallel_parts(self.comp)
            self.out.claims.append(self.comp)
            self.closed_comp = (self.comp, self.comp_end)
        self.comp = None

    def _said_complete(self, sentence: str) -> None:
        """'…其中：A x 万元，B y 万元，C z 万元。以上三项为机关运行经费全部支出。': the sentence right after a
        list says the list is all of its whole."""
        closed = self.closed_comp
        if closed is None or not _SAID_COMPLETE.match(sentence):
            return
        comp, end = closed
        if self.text[end : self.sentence_start].strip("。；;，, ") == "":
            m = _SAID_COMPLETE.match(sentence)
            count = m.group("count")
            if count is None or _count(count) == len(comp.parts):
                comp.said_complete = True

    def _change_figure(self, dir_tok: Token, fig: Figure, tok: Token, nxt: Token | None) -> None:
        change = self.change
        if change is None:
            return
        if fig.kind == "points" and change.percent is not None and change.direction is not None:
            change = self._rate_change(dir_tok)
        direction = None if dir_tok.kind == "TEMPLATE" else dir_tok.direction
        if self._in_list(tok, nxt):
            change.unclear = not_checked.ONE_OF_SEVERAL_FIGURES.zh
        if fig.value < 0 and direction in _OPPOSITE:
            # '增长 -7.5%' is a fall of 7.5%: the sign turns the word round
            sign = len(fig.text) - len(fig.text.lstrip("-－− "))
            fig = fig.model_copy(update={"value": -fig.value, "text": fig.text[sign:], "start": fig.start + sign})
            direction = _OPPOSITE[direction]
        if fig.kind == "money":
            if _TO.search(self.text[dir_tok.end : tok.start + 1]) or self.text[dir_tok.end : dir_tok.end + 1] in ("到", "至"):
                change.current = fig
            elif change.delta is None:
                change.delta = fig
            else:
                return
        elif fig.kind == "percent":
            if change.percent is not None:
                return
            change.percent = fig
        elif fig.kind == "points":
            change.points = fig
        if direction:
            self._set_direction(dir_tok, direction)
        self._extend_change(tok.end)

    def _rate_change(self, dir_tok: Token) -> ChangeClaim:
        """'增长 6.2%，增幅比一季度回落 2.5 个百分点': points after a change's rate are a change of that
        rate, against another point in time — a claim of its own, not a second direction of the first."""
        self._close_change()
        start = self._clause_start(dir_tok.start)
        while start < dir_tok.start and self.text[start].isspace():
            start += 1
        words = _RATE_COMPARED.sub("", self.text[start : dir_tok.start])
        self.change = ChangeClaim(id="", **self.span(start, dir_tok.end), subject=clean_subject(words) or "增幅")
        self.change_start = start
        self.change_inherited = False
        return self.change

    def _set_direction(self, tok: Token, direction: str | None = None) -> None:
        """Give the open change the direction of the word `tok`, or `direction` where a sign turned
        it round."""
        change = self.change
        direction = direction or tok.direction
        if change is None or direction is None:
            return
        if change.direction is None:
            change.direction = direction  # type: ignore[assignment]
            change.direction_text = _DIRECTION_NOISE.sub("", tok.text)
        elif change.direction != direction:
            change.conflicting_directions.append(_DIRECTION_NOISE.sub("", tok.text))

    def _extend_change(self, end: int) -> None:
        if self.change is not None:
            self._respan(self.change, self.change_start, end)
            self.change_end = end

    def _close_change(self) -> None:
        change = self.change
        self.change = None
        self.pending_dir = None
        if change is None:
            return
        if change.delta is None and change.percent is None and change.points is None and change.direction is None and not change.template:
            return  # a comparison word with nothing compared
        change.id = self.ids("change")
        self.out.claims.append(change)
        self.last_change = change
        self.closed_change_end = self.change_end

    def _end_sentence(self) -> None:
        self._close_respective()
        self._close_change()
        self._close_composition()
        self.sentence_amounts = []
        self.pending_share = None
        self.pending_perunit = None
        self.share_list = None
        self.stated_base = None
        self.asides.clear()


def _keep_parallel_parts(comp: CompositionClaim) -> None:
    """A list whose items each state several quantities ('房屋市政类项目 7 个，交易金额 1.171 亿元，节约建设资金
    620 万元；交通类项目…', '预算数 0 万元，决算数 0 万元') names each quantity again per item: its parts are
    those named as the whole is, or, when the whole's name is not among them, it has no single reading."""
    subjects = [p.subject for p in comp.parts]
    if len(set(subjects)) == len(subjects):
        return
    same = [p for p in comp.parts if p.subject == comp.whole_subject]
    if len(same) >= 2:
        comp.parts = same
    else:
        comp.unclear = not_checked.ITEMS_STATE_SEVERAL_QUANTITIES.zh


def extract_claims(doc: Document, max_tokens: int | None = None) -> list[ParagraphClaims]:
    """The claims of every paragraph. A narrative of more than `max_tokens` tokens (figures, report
    words, punctuation) is refused as it is scanned, before its claims are built: the work goes by them."""
    from ..link.facts import report_year

    ids = IdMaker()
    year = report_year(doc)
    out = []
    tokens = 0
    for para in doc.paragraphs:
        parser = _Parser(doc, para, ids, year, None if max_tokens is None else max_tokens - tokens)
        tokens += len(parser.tokens)
        if max_tokens is not None and tokens > max_tokens:
            raise InputError(
                InputErrorCode.TOO_LARGE, f"more than {max_tokens:,} tokens (figures, report words, punctuation) in the narrative",
                path=doc.path,
            )
        out.append(parser.run())
    return out
