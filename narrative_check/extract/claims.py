"""Claims from the narrative: a small state machine over each paragraph's tokens.

The parser reads a paragraph left to right, the way an auditor does: an
amount sets the topic; '较上年…' opens a change of the amount just named (or
of the topic); direction words with figures fill the change in; '占' turns the
figure before it into a share; '其中' opens a list of parts; '主要原因' opens a
reason that lasts through its enumerated components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .. import lexicons
from ..errors import InputError, InputErrorCode
from ..models.claims import (
    AmountClaim,
    ChangeClaim,
    CompositionClaim,
    CompositionPart,
    Figure,
    PerUnitClaim,
    ReasonClaim,
    ReasonComponent,
    ShareClaim,
    SignedAmount,
)
from ..models.document import Document, Paragraph
from ..read.text import SENTENCE_END
from .normalize import NormalizedText
from .numbers import make_figure
from .subjects import clean_subject, compatible, is_generic, stated_year
from .tokens import Token, scan

_HARD_DELIMS = "，；。：:！？!?"
# Words allowed between a direction word and its figure: '减少了', '增幅为', '下降约'.
_DIR_GAP = regex.compile(r"^(?:了|为|达|达到|约|共|共计|分别为|分别|各|幅度为|幅度|比例为)?$")
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
# An amount is 'just named' for a change or direction word only this close before it: real
# sentences are under 300 characters, and re-reading an ever longer stretch for each of
# thousands of clauses in one unpunctuated run was quadratic.
_DIRECT_REACH = 300


@dataclass
class ParagraphClaims:
    """What one paragraph yields, and what later stages need to know about it."""

    claims: list = field(default_factory=list)
    counts: list[tuple[Figure, str]] = field(default_factory=list)
    intro_subject: str | None = None  # '…主要用于以下几个方面：' — the whole its list items share
    starts_with_marker: bool = False


@lru_cache(maxsize=1)
def _qualifiers() -> tuple[dict[str, str], dict[str, str]]:
    before, after = {}, {}
    for word, position, meaning in lexicons.rows("qualifiers.tsv"):
        (before if position == "before" else after)[word] = meaning
    return before, after


class IdMaker:
    _PREFIX = {"amount": "A", "change": "C", "share": "S", "composition": "M", "per_unit": "U", "reason": "R"}

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
        self.norm_starts: dict[str, int] = {}
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
            self.sentence_start = tok.end
        elif ch in "；;":
            self._close_change()
        if ch != "、":
            self.mark = tok.end
        if ch in "；;。！？!?":
            self.pending_share = None
            self.pending_dir = None

    def _on_fig(self, tok: Token, nxt: Token | None) -> None:
        fig = self.figure(tok)
        if fig is None:
            return
        if fig.kind == "count":
            clause_start = max(self.text.rfind(d, 0, tok.start) for d in "，；。：")
            self.out.counts.append((fig, self.text[clause_start + 1 : tok.end]))
            self.mark = tok.end
            return
        if self.pending_dir is not None and _DIR_GAP.match(self.text[self.pending_dir.end : tok.start]):
            self._change_figure(self.pending_dir, fig, tok)
            self.pending_dir = None
            self.mark = tok.end
            return
        if fig.kind == "money":
            if (
                self.change is not None
                and self.prev is not None
                and self.prev.kind == "BASE"
                and self.change.base is None
                and self.text[self.prev.end : tok.start] in ("", "的", "为")
            ):
                self.change.base = fig
                self.mark = tok.end
                return
            if self.pending_perunit is not None:
                self._per_unit(fig, tok)
                return
            self._amount(fig, tok)
            return
        if fig.kind == "percent" and self.pending_share is not None:
            self._share(fig, tok)
        self.mark = tok.end

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
        self.mark = tok.end

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
        """The amount just named in this sentence, if only delimiters and framing words lie between."""
        if self.last_amount is None or self.last_amount_end < self.sentence_start:
            return None
        if pos - self.last_amount_end > _DIRECT_REACH:
            return None
        between = self.text[self.last_amount_end : pos]
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
        follows_figure = nxt is not None and nxt.kind == "FIG" and _DIR_GAP.match(self.text[tok.end : nxt.start])
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
        heads = [a for a in self.sentence_amounts if a.part_of is None]
        whole = heads[-1] if heads else self.topic
        if whole is not None:
            self._open_composition(whole, tok.start)
        self.mark = tok.end

    def _on_reason(self, tok: Token, nxt: Token | None) -> None:
        self._close_change()
        target = self.last_change
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
            if fig is not None and fig.kind == "money" and d is not None and d.direction and _DIR_GAP.match(self.text[d.end : tok.start]):
                subject = clean_subject(self.text[self.component_mark : d.start])
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
        self._close_change()
        if fig.qualifier in ("bound", "rate"):
            self.mark = tok.end
            return
        raw = self.pending(tok.start)
        subject = clean_subject(raw)
        if is_generic(subject) and self.label:
            subject = self.label
        start = self.mark if subject else tok.start
        while start < tok.start and self.text[start] in "，；：、 ":
            start += 1
        claim = AmountClaim(id=self.ids("amount"), **self.span(start, tok.end), subject=subject, value=fig,
                            year=stated_year(raw, self.report_year, self.sentence_amounts[-1].year if self.sentence_amounts else None))
        self.norm_starts[claim.id] = start
        if self.comp is not None:
            claim.part_of = self.comp.id
            self.comp.parts.append(CompositionPart(subject=subject, value=fig, claim=claim.id))
            self.comp_end = tok.end  # the span is set once, on closing: re-slicing it per part is quadratic
        else:
            self.topic = claim
        self.sentence_amounts.append(claim)
        self.out.claims.append(claim)
        self.last_amount = claim
        self.last_amount_end = tok.end
        self.mark = tok.end

    def _share(self, fig: Figure, tok: Token) -> None:
        share_tok = self.pending_share
        self.pending_share = None
        assert share_tok is not None
        part = self.last_amount if self.last_amount is not None and self.last_amount_end >= self.sentence_start else None
        if part is not None and share_tok.start - self.last_amount_end > _SHARE_REACH:
            part = None
        between = self.text[self.last_amount_end : share_tok.start] if part else ""
        if part is not None and _SEMICOLON.search(between):
            part = None
        whole_text = self.text[share_tok.end : tok.start]
        whole_subject = clean_subject(_SHARE_TAIL.sub("", whole_text)) or None
        whole_claim: AmountClaim | None = None
        if whole_subject is None and part is not None and part.part_of is not None and self.comp is not None and self.comp.id == part.part_of:
            whole_claim = self.comp_whole
        span = self.span(self.norm_starts[part.id] if part else share_tok.start, tok.end)
        claim = ShareClaim(
            id=self.ids("share"),
            **span,
            part_subject=part.subject if part else clean_subject(self.pending(share_tok.start)),
            part=part.value if part else None,
            part_claim=part.id if part else None,
            percent=fig,
            whole_subject=whole_claim.subject if whole_claim else whole_subject,
            whole=whole_claim.value if whole_claim else None,
            whole_claim=whole_claim.id if whole_claim else None,
        )
        if part is not None and self.comp is not None:
            for p in reversed(self.comp.parts):  # the part is almost always the last one named
                if p.claim == part.id:
                    p.percent = fig
                    break
        self.out.claims.append(claim)

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
            self.out.claims.append(self.comp)
        self.comp = None

    def _change_figure(self, dir_tok: Token, fig: Figure, tok: Token) -> None:
        change = self.change
        if change is None:
            return
        if dir_tok.kind == "TEMPLATE":
            direction = None
        else:
            direction = dir_tok.direction
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
            self._set_direction(dir_tok)
        self._extend_change(tok.end)

    def _set_direction(self, tok: Token) -> None:
        change = self.change
        if change is None or tok.direction is None:
            return
        if change.direction is None:
            change.direction = tok.direction  # type: ignore[assignment]
            change.direction_text = _DIRECTION_NOISE.sub("", tok.text)
        elif change.direction != tok.direction:
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

    def _end_sentence(self) -> None:
        self._close_change()
        self._close_composition()
        self.sentence_amounts = []
        self.pending_share = None
        self.pending_perunit = None


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
