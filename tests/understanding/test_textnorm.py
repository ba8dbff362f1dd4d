"""Specification of textnorm: one canonical spelling, same length as the message, typos of the document's terms."""

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from jxai_assistant.textnorm import normalize_message, to_simplified

CORRECTED = [
    # (as written, as read) — homophones, southern fuzzy sounds, look-alike characters, full-width, traditional.
    ("算力卷怎么申请", "算力券怎么申请"),
    ("加计扣出符合的", "加计扣除符合的"),
    ("提升改照项目", "提升改造项目"),
    ("国际首抬套 已经认定了", "国际首台套 已经认定了"),
    ("我们是规尚企业", "我们是规上企业"),
    ("高薪技术企业", "高新技术企业"),
    ("就搞不重复原则", "就高不重复原则"),
    ("研發費用今年３００萬", "研发费用今年300万"),
    ("我們是高新技術企業，營收2,300萬", "我们是高新技术企业,营收2,300万"),
]
UNCHANGED = ["算力中心建设", "奖励多少钱", "补助标准是什么", "我们能领多少", "市场化应用了", "营收5000万 研发费用300万",
             "智能工厂", "算例", "新质生产力"]


@pytest.mark.parametrize("written, read", CORRECTED)
def test_typos_traditional_and_full_width_are_read_as_the_document_writes_them(written, read):
    assert normalize_message(written).text == read


@pytest.mark.parametrize("text", UNCHANGED)
def test_words_that_merely_sound_alike_elsewhere_are_left_alone(text):
    assert normalize_message(text).text == text
    assert normalize_message(text).corrections == ()


def test_a_correction_says_what_was_written_and_what_it_was_read_as():
    (correction,) = normalize_message("算力卷能补多少").corrections
    assert (correction.written, correction.term, correction.start, correction.end) == ("算力卷", "算力券", 0, 3)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_the_canonical_spelling_has_the_length_of_the_message(text):
    # Spans found in the canonical text quote the user's own words.
    assert len(normalize_message(text).text) == len(text)
    assert len(to_simplified(text)) == len(text)
