"""Specification of dialogue.extraction: enterprise facts from Chinese messages (cases in extraction_cases.yaml)."""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jxai_assistant.calculator import EnterpriseFacts
from jxai_assistant.dialogue.extraction import MAX_CHARS, Evidence, ExtractedFacts, extract_facts
from jxai_assistant.numbers import parse_amount

CASES = yaml.safe_load((Path(__file__).with_name("extraction_cases.yaml")).read_text(encoding="utf-8"))
TODAY = date(2026, 5, 1)


def expected_value(name: str, raw):
    """Case-file values as the extractor must return them: money via parse_amount, percents as Decimal."""
    if name.endswith("_yuan"):
        return parse_amount(str(raw))
    if name.endswith("_pct"):
        return Decimal(str(raw))
    return raw


def test_case_file_is_well_formed():
    assert len(CASES) >= 60
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) <= {"name", "text", "expect", "absent", "warns", "exact", "today"}, case["name"]
        for fact in list(case.get("expect") or {}) + list(case.get("absent") or []):
            assert fact in EnterpriseFacts.model_fields, f"{case['name']}: unknown fact {fact}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction_case(case):
    result = extract_facts(case["text"], today=case.get("today", TODAY))
    expect = {name: expected_value(name, raw) for name, raw in (case.get("expect") or {}).items()}
    got = {name: result.values.get(name) for name in expect}
    assert got == expect, f"warnings: {result.warnings}"
    for name, value in expect.items():
        assert type(result.values[name]) is type(value), name  # Decimal stays Decimal, never int/float
    if case.get("exact"):
        assert result.values == expect
    for name in case.get("absent") or []:
        assert name not in result.values, f"{name} should stay unknown, got {result.values.get(name)!r}"
    for words in case.get("warns") or []:
        assert any(words in w for w in result.warnings), f"no warning mentions {words!r}: {result.warnings}"
    # Whatever was found, the calculator's model accepts it and every piece of evidence is the user's own words.
    EnterpriseFacts(**result.values)
    assert_evidence_is_verbatim(case["text"], result)


def assert_evidence_is_verbatim(text: str, result: ExtractedFacts) -> None:
    assert set(result.evidence) == set(result.values)
    for name, evidence in result.evidence.items():
        assert isinstance(evidence, Evidence)
        quotes = [text[s:e] for s, e in evidence.spans]
        assert all(quotes), name
        assert evidence.quote == "；".join(quotes), name


def test_evidence_quotes_the_original_full_width_text():
    text = "营收３０００万元，增长１２％"
    result = extract_facts(text, today=TODAY)
    assert result.evidence["revenue_yuan"].quote == "营收３０００万元"
    assert "１２％" in result.evidence["revenue_growth_pct"].quote


def test_evidence_of_a_negated_fact_includes_the_negation():
    result = extract_facts("我们是规上企业，不是高新", today=TODAY)
    assert result.evidence["high_tech"].quote == "不是高新"


def test_to_facts_builds_the_calculator_model():
    result = extract_facts("我们是软件企业，做AI，新建项目总投资6000万元（不含土地），2027年3月申报", today=TODAY)
    facts = result.to_facts()
    assert isinstance(facts, EnterpriseFacts)
    assert facts.investment_yuan == 60_000_000 and facts.land_cost_yuan == 0
    assert facts.industry == "information_service" and facts.project_kind == "new"
    assert facts.as_of == date(2027, 3, 1)


def test_known_lines_show_label_value_and_the_users_words():
    result = extract_facts("营收首次过3000万、增长12%，不是高新", today=TODAY)
    lines = result.known_lines()
    assert "本年度营业收入：3000万元（“营收首次过3000万”）" in lines
    assert any(line.startswith("营业收入增速") and "12%" in line for line in lines)
    assert any(line.startswith("高新技术企业：否") for line in lines)


def test_a_fact_stated_twice_keeps_the_first_and_warns():
    result = extract_facts("营收3000万，营业收入4000万", today=TODAY)
    assert result.values["revenue_yuan"] == 30_000_000
    assert any("不一致" in w for w in result.warnings)


def test_relative_dates_default_to_the_real_today():
    result = extract_facts("明年还能申请吗")
    assert result.values["as_of"] == date(date.today().year + 1, 1, 1)


# --- robustness ----------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00\x01\x02\x1b[31m营收\x7f3000万\u200b",
    "<html><body onload=alert(1)><p>营收3000万</p></body></html>",
    "万" * 500,
    "一" * 500 + "元",
    "%" * 300,
    "百分之" * 200,
    "1," * 300 + "万",
    "９" * 400 + "亿",
    "\ud800",  # a lone surrogate
    "😀营收😀3000万😀",
    "营收" * 300,
    "不" * 300 + "是高新",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_garbage_never_raises(text):
    result = extract_facts(text, today=TODAY)
    EnterpriseFacts(**result.values)


def test_non_string_input_gives_no_facts():
    assert extract_facts(None).values == {}  # type: ignore[arg-type]


LONG_TEXTS = {
    "realistic sentences": "我们是软件企业，营收从600万增加到900万，增长50%，研发费用200万，不是高新。" * 2500,
    "one clause without punctuation": "营收3000万研发费用200万增长12%不是高新智算120万" * 3500,
    "random noise": "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(100_000)),
    "digits and units": "1亿2千万元" * 17000,
}


@pytest.mark.parametrize("name", LONG_TEXTS)
def test_100k_characters_never_hang(name):
    # A guard against super-linear regexes (minutes, not milliseconds), not a speed figure: speed is `jxai bench`'s job,
    # and a loaded 2-core CI machine must not turn this into a flaky test.
    text = LONG_TEXTS[name][:100_000]
    assert len(text) == 100_000
    started = time.perf_counter()
    result = extract_facts(text, today=TODAY)
    assert time.perf_counter() - started < 10
    EnterpriseFacts(**result.values)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("营收研发费用投资智算去年今年增长不是高新规上从到万亿元%0123456789一两三十百千，。、")),
               max_size=80))
def test_any_mix_of_the_vocabulary_gives_valid_facts_and_verbatim_evidence(text):
    result = extract_facts(text, today=TODAY)
    EnterpriseFacts(**result.values)
    assert_evidence_is_verbatim(text, result)
    for name, value in result.values.items():
        if name.endswith("_yuan") or name.endswith("_pct"):
            assert isinstance(value, Decimal)
        if name.endswith("_yuan"):
            assert value >= 0


def test_only_the_first_max_chars_are_read_with_a_warning():
    text = "营收3000万。" + "一" * MAX_CHARS + "研发费用200万"
    result = extract_facts(text, today=TODAY)
    assert result.values == {"revenue_yuan": Decimal(30_000_000)}
    assert any("消息过长" in w for w in result.warnings)


def test_a_long_message_under_the_limit_is_read_to_the_end():
    text = "营收3000万。" + "说明。" * ((MAX_CHARS - 100) // 3) + "研发费用200万"
    assert len(text) <= MAX_CHARS
    result = extract_facts(text, today=TODAY)
    assert result.values["rd_expense_yuan"] == 2_000_000
    assert not result.warnings
