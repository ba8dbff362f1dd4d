"""Hybrid retrieval over the real document: the right clause first, odd input never raises, fusion arithmetic."""

from __future__ import annotations

import pytest

from jxai_assistant.retrieval import reciprocal_rank_fusion, score_fusion

# Enterprise questions and the clause that answers them (the brief's examples plus one per kind of wording).
REPRESENTATIVE = [
    ("用超算有补贴吗", "三.7"),
    ("大模型公司有什么支持", "三.7"),
    ("首台套奖励多少", "三.6"),
    ("我们营收首次过3000万、增长12%，能拿多少？", "三.3"),
    ("研发费用比去年增长了20%，有什么补助", "三.4"),
    ("DCMM贯标试点有钱拿吗", "三.9"),
    ("买绿证有什么好处", "三.10"),
    ("同时符合两个奖补政策能叠加拿吗", "五.1"),
    ("人社局在这个方案里有啥任务？", "二.14"),
    ("链长制是怎么回事", "四.1"),
]


@pytest.mark.parametrize(("question", "clause_id"), REPRESENTATIVE)
def test_bm25_puts_the_answering_clause_first(bm25_retriever, question, clause_id):
    assert bm25_retriever.search(question, k=3)[0].clause_id == clause_id


@pytest.mark.slow
@pytest.mark.parametrize(("question", "clause_id"), REPRESENTATIVE)
def test_hybrid_puts_the_answering_clause_first(hybrid_retriever, question, clause_id):
    hits = hybrid_retriever.search(question, k=3)
    assert hits[0].clause_id == clause_id
    assert "dense" in hits[0].sources


def test_referenced_clause_comes_first_even_against_the_keywords(bm25_retriever):
    hits = bm25_retriever.search("支持政策第九条和算力补贴有什么区别", k=3)
    assert hits[0].clause_id == "三.9" and hits[0].sources["reference"] is True
    assert hits[1].clause_id == "三.7"


def test_a_bare_reference_resolves_whole(bm25_retriever):
    assert bm25_retriever.search("任务八", k=1)[0].clause_id == "二.8"


def test_hits_carry_rank_score_and_highlightable_terms(bm25_retriever, doc):
    hits = bm25_retriever.search("首台套奖励多少", k=5)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "首台套" in hits[0].matched_terms and "奖励" in hits[0].matched_terms
    assert "奖励" in doc.get("三.6").text


def test_follow_up_keeps_its_own_topic_and_uses_context(bm25_retriever):
    context = ["我们今年智算支出300万，能补多少？"]
    assert bm25_retriever.search("人才方面有什么政策？", k=1, context=context)[0].clause_id == "二.14"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00\x01\x1b[31m", "？？？！！", "😀😀", "补贴" * 50_000, "a" * 100_000, "三.99", "第九部分第九条"],
    ids=["empty", "blank", "control", "punctuation", "emoji", "100k-chinese", "100k-ascii", "bad-ref", "bad-ref-2"],
)
def test_odd_queries_never_raise(bm25_retriever, query):
    hits = bm25_retriever.search(query, k=5)
    assert len(hits) <= 5
    assert 0.0 <= bm25_retriever.confidence(hits) <= 1.0


def test_empty_query_gives_no_hits_and_zero_confidence(bm25_retriever):
    assert bm25_retriever.search("") == []
    assert bm25_retriever.confidence([]) == 0.0


def test_confidence_separates_a_policy_question_from_an_unrelated_one(bm25_retriever):
    inside = bm25_retriever.confidence(bm25_retriever.search("首台套奖励多少"))
    outside = bm25_retriever.confidence(bm25_retriever.search("嘉兴粽子哪家好吃？"))
    assert inside > 0.5 > outside


def test_rrf_scores_first_everywhere_as_one_and_breaks_ties_by_first_ranking():
    fused = reciprocal_rank_fusion({"a": ["x", "y"], "b": ["x", "z"]}, k=5)
    assert fused[0] == ("x", 1.0)
    # y and z both rank 2 once: y (from the first ranking) keeps its place ahead of z.
    assert [i for i, _ in fused] == ["x", "y", "z"]
    assert fused[1][1] == pytest.approx((1 / 7) / (2 / 6))


def test_score_fusion_keeps_a_large_bm25_margin_against_dense():
    bm25 = [("rare-term", 10.0), ("common", 3.0)]
    dense = [("common", 0.6), ("other", 0.4), ("rare-term", 0.35)]
    assert score_fusion(bm25, dense)[0][0] == "rare-term"
