"""Fuzzing the reference resolver: any input resolves to existing clause ids or raises ``ReferenceNotFound`` with a
Chinese message; references inside questions never name a clause that does not exist."""

from __future__ import annotations

import cn2an
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxai_assistant.document import load_document
from jxai_assistant.references import ReferenceNotFound, resolve_reference, scan_references

from .hostile import BUDGET, fragments, hostile_text

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PARTS = list("一二三四五六七八九十") + [str(n) for n in range(0, 12)] + ["第三部分", "支持政策", "重点任务", "任务", "保障措施",
                                                                   "其他", "第十部分", "政策"]
number_words = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.integers(min_value=0, max_value=10**6).map(cn2an.an2cn),
    st.sampled_from(["两", "零", "〇", "十〇", "百", "千万", "1.5", "-3", "１２", "七七"]),
)
# Reference-shaped input: "三.7", "支持政策第七条", "二（四）", "第99条支持政策" — valid and invalid numbers alike.
reference_like = st.builds(
    lambda pre, part, sep, num, suffix, post: f"{pre}{part}{sep}{num}{suffix}{post}",
    st.sampled_from(["", " ", "查看", "第", "请问"]),
    st.sampled_from(PARTS),
    st.sampled_from([".", "．", "、", ",", "，", " ", "第", "的第", "（", "(", ""]),
    number_words,
    st.sampled_from(["", "条", "项", "款", "点", "）", ")", "条是什么", "的内容？", "万元", "%"]),
    st.one_of(st.just(""), fragments),
)
reference_input = st.one_of(reference_like, reference_like, hostile_text)


@settings(max_examples=BUDGET["resolve_reference"], **FUZZ)
@given(reference_input)
def test_resolve_reference_gives_existing_clauses_or_a_chinese_explanation(text):
    doc = load_document()
    try:
        ids = resolve_reference(text, doc)
    except ReferenceNotFound as exc:
        assert exc.message and any("\u4e00" <= c <= "\u9fff" for c in exc.message)
        return
    assert ids and set(ids) <= set(doc.ids())


@settings(max_examples=BUDGET["scan_references"], **FUZZ)
@given(st.lists(reference_input, max_size=4).map("".join))
def test_scanning_a_question_finds_only_existing_clauses(text):
    doc = load_document()
    scan = scan_references(text, doc)
    assert set(scan.ids) <= set(doc.ids())
    assert len(scan.ids) == len(set(scan.ids))
    assert all(isinstance(e, str) and e for e in scan.errors)
