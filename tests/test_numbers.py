"""Specification of jxai_assistant.numbers: amounts, percents and the one yuan formatter."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jxai_assistant.numbers import (
    AmountError,
    Mention,
    find_amounts,
    find_percentage_points,
    find_percents,
    format_yuan,
    normalize,
    parse_amount,
    parse_percent,
)

WAN = 10_000
YI = 100_000_000

AMOUNTS = [
    ("2000万元", 2000 * WAN),
    ("三千万", 3000 * WAN),
    ("1.2亿", 120_000_000),
    ("五千万元", 5000 * WAN),
    ("５００万", 500 * WAN),  # full-width digits
    ("一千五百万", 1500 * WAN),
    ("两千万", 2000 * WAN),
    ("1,500万", 1500 * WAN),
    ("1500000元", 1_500_000),
    ("300万元", 300 * WAN),
    ("0.5亿", 50_000_000),
    ("十亿", 10 * YI),
    ("1亿2千万", 120_000_000),
    ("一亿二千万元", 120_000_000),
    ("120万", 1_200_000),
    ("12.5万元", 125_000),
    ("十二点五万", 125_000),
    ("一千零五元", 1005),
    ("一万零一十元", 10010),
    ("一万五", 15_000),  # colloquial: 一万五千
    ("三千五百元", 3500),
    ("3千万", 3000 * WAN),
    ("壹仟万元", 1000 * WAN),  # 大写
    ("一万亿", 10**12),
    ("零元", 0),
    ("1500000", 1_500_000),  # a bare number given as an amount is yuan
    (" 约300万元 ", 300 * WAN),
    ("人民币50万元", 50 * WAN),
    ("¥1,500", 1500),
    ("２０００万元", 2000 * WAN),
    ("0.25元", Decimal("0.25")),
]


@pytest.mark.parametrize(("text", "yuan"), AMOUNTS)
def test_parse_amount_reads_yuan(text, yuan):
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert value == yuan


def test_parse_amount_returns_plain_integers_for_whole_yuan():
    # 1.2亿 must not come back as Decimal('120000000.0') or '1.2E+8'.
    assert str(parse_amount("1.2亿")) == "120000000"
    assert str(parse_amount("12.50万")) == "125000"


BAD_AMOUNTS = [
    ("", "为空"),
    ("   ", "为空"),
    ("abc", "无法识别"),
    ("万元", "无法识别"),
    ("2027年", "无法识别"),
    ("-5万", "负数"),
    ("负五万元", "负数"),
    ("−300元", "负数"),  # U+2212 minus sign
    ("一二三万", "连写"),
    ("1万5", "歧义"),  # 1.5万 or 10005?
    ("千百", "无法识别"),
    ("1" * 50 + "元", "过长"),
]


@pytest.mark.parametrize(("text", "why"), BAD_AMOUNTS)
def test_parse_amount_rejects_junk_with_a_chinese_message(text, why):
    with pytest.raises(AmountError, match=why):
        parse_amount(text)


def test_amount_error_is_a_value_error():
    assert issubclass(AmountError, ValueError)


def test_absurd_values_parse_and_callers_decide():
    assert parse_amount("99999亿元") == 99999 * YI
    assert parse_amount("0.0001元") == Decimal("0.0001")


PERCENTS = [
    ("12%", 12),
    ("12％", 12),
    ("12.5%", Decimal("12.5")),
    ("12.5％", Decimal("12.5")),
    ("百分之十二", 12),
    ("百分之十二点五", Decimal("12.5")),
    ("百分之12", 12),
    ("百分之一百五十", 150),
    ("-5%", -5),
    ("负百分之五", -5),
    ("0%", 0),
]


@pytest.mark.parametrize(("text", "points"), PERCENTS)
def test_parse_percent_reads_percentage_points(text, points):
    assert parse_percent(text) == points


@pytest.mark.parametrize("text", ["", "百分之", "12", "%", "十二个百分点", "12个百分点", "abc%"])
def test_parse_percent_rejects_junk_and_percentage_points(text):
    with pytest.raises(AmountError):
        parse_percent(text)


def test_percentage_points_are_explained_as_not_a_percent():
    with pytest.raises(AmountError, match="百分点差值"):
        parse_percent("12个百分点")


def values(mentions: list[Mention]) -> list[Decimal]:
    return [m.value for m in mentions]


FIND_AMOUNTS = [
    ("营收从600万增加到900万", [600 * WAN, 900 * WAN]),
    ("投资6000万元（不含土地），其中土地款1000万", [6000 * WAN, 1000 * WAN]),
    ("营收首次过3000万、增长12%", [3000 * WAN]),
    ("2000万、3000万、5000万元", [2000 * WAN, 3000 * WAN, 5000 * WAN]),
    ("3000万两个项目", [3000 * WAN]),  # 两 starts the next word
    ("每年500万一次性投入", [500 * WAN]),
    ("唯一100万元", [100 * WAN]),  # 一 from 唯一 is not part of the amount
    ("全市每年发放总额不超过1亿元的“算力券”", [YI]),
    ("算力规模达到50E Flops以上", []),
    ("到2027年培育10家链主型企业", []),
    ("支持政策第7条，见3.7", []),
    ("10万人参加，一万年太久，5万台设备", []),  # counts, not money
    ("万亩千亿新产业平台、十链百场万企、千万不要", []),
    ("一元化管理、多元化发展", []),
    ("亏损-5万，负五万元", []),  # negatives are never reported as amounts
    ("１，５００万元", [1500 * WAN]),
]


@pytest.mark.parametrize(("text", "expected"), FIND_AMOUNTS)
def test_find_amounts(text, expected):
    assert values(find_amounts(text)) == expected


def test_mention_spans_index_the_original_text():
    text = "研发费用５００万元，去年３００万"
    mentions = find_amounts(text)
    assert [m.raw for m in mentions] == ["５００万元", "３００万"]
    for m in mentions:
        assert text[m.start : m.end] == m.raw


WORDS_WITH_DIGIT_CHARACTERS = [
    "统一", "一次性", "两化融合", "一跳直达", "一批", "一体化", "一流", "万一", "零星", "零售",
    "两级", "一站式", "唯一", "统一管理", "一带一路", "三位一体", "一定", "进一步", "十四五",
    "首台（套）", "一揽子", "两手抓", "零距离", "一元化", "一千零一夜",
]  # fmt: skip


@pytest.mark.parametrize("word", WORDS_WITH_DIGIT_CHARACTERS)
def test_words_with_digit_characters_yield_nothing(word):
    sentence = f"推进{word}建设，按规定给予支持"
    assert find_amounts(sentence) == []
    assert find_percents(sentence) == []


def test_find_percents_and_percentage_points_are_kept_apart():
    text = "营收增长12%，研发增速百分之十五，毛利率提高3个百分点，一次性给予5％的补助"
    assert values(find_percents(text)) == [12, 15, 5]
    assert values(find_percentage_points(text)) == [3]


def test_find_percents_signs_and_ranges():
    assert values(find_percents("营收增长-5%")) == [-5]
    assert values(find_percents("增速在10%-15%之间")) == [10, 15]  # a range, not a negative 15
    assert values(find_percents("负百分之五")) == [-5]
    assert find_percents("统一12%")[0].raw == "12%"


def test_document_figures_are_found_and_counts_are_not():
    from jxai_assistant.paths import document_path

    text = document_path().read_text(encoding="utf-8")
    amounts = values(find_amounts(text))
    assert 1500 * WAN in amounts and 2000 * YI in amounts and YI in amounts
    assert all(a >= 5 * WAN for a in amounts)  # no year, count or clause number slipped in
    assert set(values(find_percents(text))) == {5, 10, 15, 50, 3, 4}


FORMAT = [
    (0, "0元"),
    (600_000, "60万元"),
    (125_000, "12.5万元"),
    (15_000_000, "1500万元"),
    (120_000_000, "12000万元"),
    (YI, "1亿元"),
    (10 * YI, "10亿元"),
    (123_457, "123457元"),
    (Decimal("123456.7"), "123457元"),  # rounded half up to whole yuan
    (5000, "5000元"),
    (Decimal("600000.00"), "60万元"),
    (-600_000, "-60万元"),
]


@pytest.mark.parametrize(("amount", "text"), FORMAT)
def test_format_yuan(amount, text):
    assert format_yuan(amount) == text


@pytest.mark.parametrize("bad", [1.5, True, "60万", None])
def test_format_yuan_refuses_floats_and_non_numbers(bad):
    with pytest.raises(TypeError):
        format_yuan(bad)


def test_normalize_keeps_length_and_makes_full_width_half_width():
    text = "营收５００万，增长１２％㈠"
    assert normalize(text) == "营收500万,增长12%㈠"
    assert len(normalize(text)) == len(text)


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_format_then_parse_round_trips_integer_yuan(n):
    assert parse_amount(format_yuan(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**10))
def test_two_decimal_wan_fractions_parse_exactly(hundredths):
    wan = Decimal(hundredths) / 100  # e.g. 12.35万
    assert parse_amount(f"{wan}万元") == hundredths * 100
    assert values(find_amounts(f"营收{wan}万元")) == [hundredths * 100]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_chinese_numerals_round_trip(n):
    chinese = cn2an.an2cn(n)  # an independent renderer: 一亿二千万, 一万零一十
    assert parse_amount(chinese + "元") == n
    assert values(find_amounts(f"投资{chinese}元用于建设")) == [n]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=9999))
def test_mixed_yi_wan_forms_round_trip(yi, wan):
    text = f"{yi}亿{wan}万" if wan else f"{yi}亿"
    assert parse_amount(text) == yi * YI + wan * WAN


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(WORDS_WITH_DIGIT_CHARACTERS),
    st.sampled_from(WORDS_WITH_DIGIT_CHARACTERS),
    st.sampled_from(["", "企业", "，", "的"]),
)
def test_sentences_of_words_with_digit_characters_yield_no_numbers(a, b, glue):
    text = f"{a}{glue}{b}"
    assert find_amounts(text) == []
    assert find_percents(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_find_functions_never_raise_and_spans_are_verbatim(text):
    for m in find_amounts(text) + find_percents(text) + find_percentage_points(text):
        assert text[m.start : m.end] == m.raw
        assert isinstance(m.value, Decimal)


PATHOLOGICAL = {
    "full-width digits without a unit": "９" * 100_000,
    "digits before a unit that is not money": "9" * 99_999 + "人",
    "one repeated Chinese digit": "一" * 100_000,
    "digits and percent": "1" * 99_999 + "%",
    "百分之 and a long numeral": "百分之" + "一" * 99_997,
    "digit-point chains": "1." * 50_000,
    "words with digits, repeated": "统一12%唯一100万元" * 8_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_finding_numbers_stays_linear_on_long_numeral_runs(name):
    # A regex that backtracks over every split of a long digit run would take minutes here; the bound is a hang
    # guard with room for a loaded CI machine, not a speed figure (that is `jxai bench`'s job).
    import time

    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    for find in (find_amounts, find_percents, find_percentage_points):
        find(text)
    assert time.perf_counter() - started < 10


OTHER_FORMS = [
    # (text, the amounts found, in yuan)
    ("今年营收1个亿", [100_000_000]),
    ("两个亿的投资", [200_000_000]),
    ("1.5个亿", [150_000_000]),
    ("智算花了120w", [1_200_000]),
    ("¥1,200,000", [1_200_000]),
    ("RMB 3 million", [3_000_000]),
    ("we spent 900,000 yuan on GPUs", [900_000]),
    ("revenue went from 28 million yuan to 32 million yuan", [28_000_000, 32_000_000]),
    ("研发12万5千", [125_000]),
    ("0.12亿", [12_000_000]),
    ("1.2千万", [12_000_000]),
    ("12,000,000元", [12_000_000]),
    ("一千二百万", [12_000_000]),
]


@pytest.mark.parametrize("text, values", OTHER_FORMS, ids=[t for t, _ in OTHER_FORMS])
def test_amounts_in_the_other_forms_people_type_are_read_exactly(text, values):
    assert [m.value for m in find_amounts(text)] == [Decimal(v) for v in values]


UNCLEAR = [
    # (text, the words that cannot be read exactly, why) — asked back, never read as another number.
    ("智算花了1.2e6元", "1.2e6元", "科学计数法"),
    ("增长1e30%", "1e30%", "科学计数法"),
    ("算力一年花了八十来万", "八十来万", "约数"),
    ("营收100多万", "100多万", "约数"),
    ("投资了几百万", "几百万", "约数"),
    ("营收一个多亿", "一个多亿", "约数"),
    ("研发投入两三百万", "两三百万", "范围"),
]


@pytest.mark.parametrize("text, raw, reason", UNCLEAR, ids=[t for t, _, _ in UNCLEAR])
def test_amounts_that_cannot_be_read_exactly_are_reported_and_never_read_as_another_number(text, raw, reason):
    from jxai_assistant.numbers import find_unclear_amounts

    (unclear,) = find_unclear_amounts(text)
    assert (unclear.raw, unclear.reason) == (raw, reason)
    assert not any(m.start < unclear.end and unclear.start < m.end for m in find_amounts(text) + find_percents(text))
