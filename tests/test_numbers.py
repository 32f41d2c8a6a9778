"""Property tests: number normalisation, figure parsing and interval arithmetic."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from narrative_check.extract.normalize import NormalizedText, normalize
from narrative_check.extract.numbers import parse_figure
from narrative_check.interval import Interval

PROPERTY = settings(max_examples=200, deadline=None)

MONEY_SCALES = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


# --- strategies --------------------------------------------------------------------------


@st.composite
def amounts(draw, max_decimals: int = 3, signed: bool = False) -> Decimal:
    """A stated amount: up to 13 integer digits and 0-3 decimals, trailing zeros kept."""
    decimals = draw(st.integers(0, max_decimals))
    digits = draw(st.integers(0, 10**13 - 1))
    value = Decimal(digits).scaleb(-decimals)
    if signed and draw(st.booleans()):
        value = -value
    return value


def with_commas(value: Decimal, sep: str = ",") -> str:
    return format(value, ",").replace(",", sep)


spaces = st.sampled_from(["", " ", "  ", "\u3000", "\t", " \u3000", "\u00a0"])


def decimals_between(lo: int, hi: int, places: int = 4):
    """Exact decimals with `places` digits in [lo, hi]."""
    return st.integers(lo * 10**places, hi * 10**places).map(lambda n: Decimal(n).scaleb(-places))


@st.composite
def interval_with_member(draw, lo: int = -10**6, hi: int = 10**6):
    a, b, c = sorted(draw(st.lists(decimals_between(lo, hi), min_size=3, max_size=3)))
    return Interval(a, c), b


# --- normalize --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("2,343.3 万元", "2343.3万元"),
        ("2，343.3万元", "2343.3万元"),
        ("１２，３４５．６７ 万元", "12345.67万元"),
        ("19.1 ％", "19.1%"),
        ("下降 19.1％，", "下降19.1%，"),
        ("1,234,567", "1234567"),
        ("1 234 567", "1234567"),
        ("10.73 %", "10.73%"),
        ("0.123,456", "0.123，456"),  # a comma after decimals is punctuation, not a separator
        ("12,34", "12，34"),  # not a thousands group
        ("1234,567", "1234，567"),  # no proper leading group
        ("收支\n总计", "收支总计"),
        ("PDF 2", "PDF 2"),
    ],
)
def test_normalize_examples(raw, norm):
    assert normalize(raw) == norm


@PROPERTY
@given(amounts(signed=True), st.sampled_from([",", "，"]), st.booleans())
def test_normalize_removes_thousands_separators(value, sep, full_width):
    text = with_commas(value, sep)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert normalize(text) == str(value)


_REPORT_CHARS = st.sampled_from(list("0123456789０１２３,，.．%％ \u3000\t\n万元億萬單位合计（）()一二-－—年度预算数決算ABab"))


@PROPERTY
@given(st.text(_REPORT_CHARS, max_size=40) | st.text(max_size=40))
def test_normalize_shortcut_agrees_with_the_offset_map(text):
    # normalize() skips building the offset map when nothing is cut; it must not change the result.
    assert normalize(text) == NormalizedText(text, [(0, len(text))]).text


# --- parse_figure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit, exponent, kind",
    [
        ("2,343.3 万元", Decimal("2343.3"), "万元", -1, "money"),
        ("9909.15万元", Decimal("9909.15"), "万元", -2, "money"),
        ("5,738.89 万元", Decimal("5738.89"), "万元", -2, "money"),
        ("27800 元", Decimal("27800"), "元", 0, "money"),
        ("6 亿元", Decimal("6"), "亿元", 0, "money"),
        ("19.1 %", Decimal("19.1"), "%", -1, "percent"),
        ("19.1％", Decimal("19.1"), "%", -1, "percent"),
        ("15.80%", Decimal("15.80"), "%", -2, "percent"),
        ("3 个百分点", Decimal("3"), "个百分点", 0, "points"),
        ("0.5个百分点", Decimal("0.5"), "个百分点", -1, "points"),
        ("8881 人次", Decimal("8881"), "人次", 0, "count"),
        ("21 个", Decimal("21"), "个", 0, "count"),
        ("-3.5 万元", Decimal("-3.5"), "万元", -1, "money"),
        ("－3.5 万元", Decimal("-3.5"), "万元", -1, "money"),
    ],
)
def test_parse_figure_examples(text, value, unit, exponent, kind):
    fig = parse_figure(text)
    assert fig is not None
    assert (fig.value, fig.unit, fig.exponent, fig.kind) == (value, unit, exponent, kind)
    assert fig.text == text and fig.start == 0 and fig.end == len(text)


@pytest.mark.parametrize(
    "text",
    ["", "万元", "19.1", "abc", "9909.15 万元 20 万元", "约 20 万元", "1.2.3 万元", "20 万元。", "A1 万元", "1..2 万元"],
)
def test_parse_figure_rejects_non_figures(text):
    assert parse_figure(text) is None


@PROPERTY
@given(
    value=amounts(signed=True),
    unit=st.sampled_from(sorted(MONEY_SCALES)),
    style=st.sampled_from(["plain", "ascii_commas", "fullwidth_commas", "fullwidth_digits", "fullwidth_all"]),
    before=spaces,
    between=spaces,
    after=spaces,
)
def test_parse_figure_reads_any_formatting(value, unit, style, before, between, after):
    number = {
        "plain": str(value),
        "ascii_commas": with_commas(value, ","),
        "fullwidth_commas": with_commas(value, "，"),
        "fullwidth_digits": str(value).translate(FULL_WIDTH),
        "fullwidth_all": with_commas(value, "，").translate(FULL_WIDTH),
    }[style]
    text = f"{before}{number}{between}{unit}{after}"
    fig = parse_figure(text)
    assert fig is not None, text
    assert fig.value == value
    assert fig.exponent == value.as_tuple().exponent
    assert fig.unit == unit
    assert fig.kind == "money"
    assert fig.scale == MONEY_SCALES[unit]
    # The stated figure's interval contains the value it was printed from.
    assert Interval.of(fig).contains(value * MONEY_SCALES[unit])


@PROPERTY
@given(value=amounts(max_decimals=3), sign=st.sampled_from(["%", "％", "﹪"]), between=spaces)
def test_parse_figure_reads_percents(value, sign, between):
    fig = parse_figure(f"{value}{between}{sign}")
    assert fig is not None
    assert fig.kind == "percent"
    assert fig.unit == "%"
    assert fig.value == value
    assert fig.exponent == value.as_tuple().exponent
    assert fig.scale == 1


@pytest.mark.parametrize("unit, scale", [("元", 1), ("万元", 10000), ("亿元", 100000000)])
def test_money_unit_scales(unit, scale):
    fig = parse_figure(f"1.5 {unit}")
    assert fig.scale == Decimal(scale)
    assert Interval.of(fig) == Interval(Decimal("1.45") * scale, Decimal("1.55") * scale)


# --- stated intervals ----------------------------------------------------------------------


@PROPERTY
@given(x=decimals_between(-10**9, 10**9, places=8), d=st.integers(0, 4))
def test_rounded_value_interval_contains_original(x, d):
    quantum = Decimal(1).scaleb(-d)
    stated = x.quantize(quantum, rounding=ROUND_HALF_UP)
    assert Interval.stated(stated, -d).contains(x)
    assert Interval.stated(stated, -d, rounding="either").contains(x)
    # The interval is no wider than one unit of the last digit.
    iv = Interval.stated(stated, -d)
    assert iv.hi - iv.lo == quantum


@PROPERTY
@given(x=decimals_between(-10**9, 10**9, places=8), d=st.integers(0, 4))
def test_truncated_value_interval_contains_original(x, d):
    stated = x.quantize(Decimal(1).scaleb(-d), rounding=ROUND_DOWN)
    assert Interval.stated(stated, -d, rounding="truncate").contains(x)
    assert Interval.stated(stated, -d, rounding="either").contains(x)


@PROPERTY
@given(
    x=decimals_between(-10**6, 10**6, places=6),
    d=st.integers(0, 3),
    scale=st.sampled_from([Decimal(1), Decimal(1000), Decimal(10000), Decimal(100000000)]),
)
def test_scaled_stated_interval_contains_scaled_value(x, d, scale):
    stated = x.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    assert Interval.stated(stated, -d, scale).contains(x * scale)


@PROPERTY
@given(x=decimals_between(-10**6, 10**6, places=6), d=st.integers(0, 3))
def test_values_outside_the_interval_do_not_round_to_it(x, d):
    quantum = Decimal(1).scaleb(-d)
    stated = x.quantize(quantum, rounding=ROUND_HALF_UP)
    other = stated + quantum
    iv = Interval.stated(other, -d)
    # x rounds to `stated`, so it can lie in the neighbour's interval only on the shared edge.
    assert not iv.contains(x) or x == iv.lo


# --- interval arithmetic -----------------------------------------------------------------


@PROPERTY
@given(interval_with_member(), interval_with_member())
def test_addition_contains_sums(a, b):
    (A, x), (B, y) = a, b
    assert (A + B).contains(x + y)
    assert (A + B).lo <= (A + B).hi


@PROPERTY
@given(interval_with_member(), interval_with_member())
def test_subtraction_contains_differences(a, b):
    (A, x), (B, y) = a, b
    assert (A - B).contains(x - y)
    assert (A - B).lo <= (A - B).hi
    assert (A - B) == A + (-B)


@PROPERTY
@given(interval_with_member())
def test_negation_contains_negatives(a):
    A, x = a
    assert (-A).contains(-x)
    assert -(-A) == A


@PROPERTY
@given(interval_with_member(), decimals_between(-1000, 1000, places=3))
def test_scale_contains_scaled_members(a, factor):
    A, x = a
    assert A.scale(factor).contains(x * factor)


@PROPERTY
@given(interval_with_member(), interval_with_member())
def test_division_contains_quotients(a, b):
    (A, x), (B, y) = a, b
    quotient = A / B
    if B.lo <= 0 <= B.hi:
        assert quotient is None
        return
    assert quotient is not None
    assert y != 0
    with localcontext() as ctx:
        ctx.prec = 34  # the precision the interval's corners are computed with
        q = x / y
    assert quotient.contains(q), (A, B, x, y, q, quotient)


@PROPERTY
@given(
    interval_with_member(lo=1, hi=10**6),
    interval_with_member(lo=1, hi=10**6),
)
def test_share_of_positive_figures(a, b):
    """The share check's shape: part / whole * 100 over positive stated amounts."""
    (A, x), (B, y) = a, b
    share = (A / B).scale(Decimal(100))
    with localcontext() as ctx:
        ctx.prec = 34
        q = x / y
    assert share.contains(q * 100)


@PROPERTY
@given(interval_with_member(), interval_with_member())
def test_overlaps_and_intersect(a, b):
    (A, x), (B, _) = a, b
    if B.contains(x):
        assert A.overlaps(B) and B.overlaps(A)
        both = A.intersect(B)
        assert both is not None and both.contains(x)
    if not A.overlaps(B):
        assert A.intersect(B) is None
    assert A.overlaps(A) and A.intersect(A) == A


# --- NormalizedText offsets --------------------------------------------------------------

_ALPHABET = list("0123456789０１２３４５６７８９,，.．%％ \u3000\t\n万元亿收入支出合计占较增加減少年度說明（）()-－")
texts = st.text(alphabet=_ALPHABET, max_size=60)


@PROPERTY
@given(texts)
def test_to_original_maps_each_character_back(text):
    nt = NormalizedText(text, [(0, len(text))])
    assert nt.text == normalize(text)
    previous = -1
    for i, ch in enumerate(nt.text):
        a, b = nt.to_original(i, i + 1)
        assert b == a + 1
        assert a > previous  # the map keeps order
        previous = a
        if ch.isdigit():
            assert normalize(text[a]) == ch
        elif ch == " ":
            assert text[a].isspace()
        elif ch == "。" and normalize(text[a]) == ".":
            assert not normalize(text[a - 1]).isdigit()  # a Latin full stop, told by what precedes it
        else:
            assert normalize(text[a]) == ch, (text, i, ch, text[a])


@PROPERTY
@given(texts, st.data())
def test_to_original_spans_cover_their_characters(text, data):
    nt = NormalizedText(text, [(0, len(text))])
    assume(nt.text)
    i = data.draw(st.integers(0, len(nt.text) - 1))
    j = data.draw(st.integers(i + 1, len(nt.text)))
    a, b = nt.to_original(i, j)
    assert 0 <= a < b <= len(text)
    # The original span normalises to the normalised span (up to separators that the
    # cut moves from a digit group's context).
    digits = [c for c in nt.text[i:j] if c.isdigit()]
    assert [c for c in normalize(text[a:b]) if c.isdigit()] == digits


@PROPERTY
@given(value=amounts(signed=True), prefix=st.sampled_from(["", "支出合计 ", "较上年增加\u3000"]), sep=st.sampled_from([",", "，"]))
def test_to_original_of_a_figure_is_the_printed_figure(value, prefix, sep):
    printed = with_commas(value, sep).translate(FULL_WIDTH)
    text = f"{prefix}{printed} 万元。"
    nt = NormalizedText(text, [(0, len(text))])
    number = str(value)
    i = nt.text.index(number + "万元")
    a, b = nt.to_original(i, i + len(number))
    assert text[a:b] == printed


@PROPERTY
@given(texts, st.lists(st.integers(0, 60), max_size=4))
def test_segments_map_into_their_pieces(text, cuts):
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    segments = list(zip(bounds, bounds[1:]))
    assume(segments)
    nt = NormalizedText(text, segments)
    for i, ch in enumerate(nt.text):
        a, b = nt.to_original(i, i + 1)
        assert any(s <= a < e for s, e in segments)
        if ch.isdigit():
            assert normalize(text[a]) == ch


@given(a=st.decimals(-1000, 1000, places=2), b=st.decimals(-1000, 1000, places=2),
       c=st.decimals(-1000, 1000, places=2), d=st.decimals(-1000, 1000, places=2))
def test_interval_product_holds_every_product_of_its_members(a, b, c, d):
    from narrative_check.interval import Interval

    x, y = Interval(min(a, b), max(a, b)), Interval(min(c, d), max(c, d))
    product = x * y
    for u in (x.lo, x.hi, (x.lo + x.hi) / 2):
        for v in (y.lo, y.hi, (y.lo + y.hi) / 2):
            assert product.contains(u * v)
