"""Fuzzing the number parser: hostile text never raises anything but ``AmountError``, and Chinese numerals with
two-decimal fractions over 0–10¹² read back exactly (extends tests/test_numbers.py, which covers integers and
Arabic fractions)."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jxai_assistant.numbers import (
    AmountError,
    find_amounts,
    find_percentage_points,
    find_percents,
    parse_amount,
    parse_percent,
)

from .hostile import BUDGET, hostile_text

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=BUDGET["parse_amount"], **FUZZ)
@given(hostile_text)
@example("")
@example("\ud800120万")
@example("9" * 100_000 + "万元")
def test_parse_amount_returns_a_non_negative_decimal_or_a_chinese_amount_error(text):
    try:
        value = parse_amount(text)
    except AmountError as exc:
        assert str(exc) and any("\u4e00" <= c <= "\u9fff" for c in str(exc))
        return
    assert isinstance(value, Decimal) and value.is_finite() and value >= 0


@settings(max_examples=BUDGET["parse_percent"], **FUZZ)
@given(hostile_text)
def test_parse_percent_returns_a_decimal_or_a_chinese_amount_error(text):
    try:
        value = parse_percent(text)
    except AmountError:
        return
    assert isinstance(value, Decimal) and value.is_finite()


@settings(max_examples=BUDGET["find_numbers"], **FUZZ)
@given(hostile_text)
def test_finding_numbers_in_hostile_text_never_raises_and_spans_are_verbatim(text):
    amounts = find_amounts(text)
    for m in amounts + find_percents(text) + find_percentage_points(text):
        assert text[m.start : m.end] == m.raw
        assert isinstance(m.value, Decimal) and m.value.is_finite()
    assert all(m.value >= 0 for m in amounts), "an amount mention is never negative"


# --- Chinese numerals with fractions ------------------------------------------------------------------------------

FRACTION_CASES = [
    # (numeral as cn2an writes it, yuan)
    ("零点五", Decimal("0.5")),
    ("零点零五", Decimal("0.05")),
    ("一万点零五", Decimal("10000.05")),
    ("一亿点一", Decimal("100000000.1")),
    ("一万亿点九九", Decimal("1000000000000.99")),
    ("十二点三五", Decimal("12.35")),
    ("一百一十点零一", Decimal("110.01")),
]


@pytest.mark.parametrize(("numeral", "yuan"), FRACTION_CASES)
def test_chinese_numerals_with_a_fraction_read_exactly(numeral, yuan):
    assert parse_amount(numeral + "元") == yuan
    assert [m.value for m in find_amounts(f"投资{numeral}元用于建设")] == [yuan]


@pytest.mark.parametrize("numeral", ["一亿点五万", "一万点五万", "一千零点五", "零零点五", "点五"])
def test_a_point_in_the_wrong_place_is_rejected(numeral):
    # "一亿点五万" is no number: a fraction after 亿 cannot be followed by another unit.
    with pytest.raises(AmountError):
        parse_amount(numeral + "元")


@settings(max_examples=BUDGET["numeral_fraction_round_trip"], **FUZZ)
@given(st.integers(min_value=0, max_value=10**14))
def test_chinese_numerals_with_two_decimal_fractions_round_trip_over_zero_to_a_trillion(hundredths):
    value = Decimal(hundredths) / 100  # 0.00 … 1,000,000,000,000.00
    chinese = cn2an.an2cn(f"{value:.2f}")  # an independent renderer: 一万亿点九九, 十二点三五, 零点零五
    parsed = parse_amount(chinese + "元")
    assert parsed == value and isinstance(parsed, Decimal)
    assert [m.value for m in find_amounts(f"营收{chinese}元")] == [value]


# --- 一/两/零 inside words -----------------------------------------------------------------------------------------

# Words (not numbers) that contain digit characters; tests/test_numbers.py checks them alone and in pairs. Here they
# sit inside real sentences, next to figures that must still be read.
WORDS = ["统一", "一次性", "两化融合", "一体化", "零售", "零距离", "一站式", "两手抓", "进一步", "唯一", "一流",
         "万一", "一揽子", "一带一路", "两级", "零星", "一元化"]  # fmt: skip


@settings(max_examples=BUDGET["numeral_words_in_sentences"], **FUZZ)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.sampled_from(["推进", "我们", "企业", "坚持", ""]),
    st.sampled_from(["建设", "管理", "，按规定给予支持", "服务", "。", ""]),
    st.one_of(st.none(), st.integers(min_value=1, max_value=99_999)),
)
def test_words_with_digit_characters_inside_sentences_yield_no_amounts(words, before, after, wan):
    sentence = before + "、".join(words) + after
    assert find_amounts(sentence) == []
    assert find_percents(sentence) == []
    if wan is not None:
        # A real figure after the words is still found, and only it.
        text = f"{sentence}投资{wan}万元"
        assert [m.value for m in find_amounts(text)] == [wan * 10_000]
