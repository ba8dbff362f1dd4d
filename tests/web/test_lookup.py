"""条款查询: numbers first, then departments, then keywords."""

from __future__ import annotations

import pytest

from jxai_assistant.references import ReferenceNotFound
from jxai_assistant.web.lookup import search_clauses


@pytest.mark.parametrize("query, ids", [
    ("三.7", ["三.7"]),
    ("3.7", ["三.7"]),
    ("支持政策第七条", ["三.7"]),
    ("二（四）", ["二.10", "二.11", "二.12"]),
])
def test_a_clause_number_returns_exactly_the_clauses_it_names(query, ids):
    results = search_clauses(query)
    assert [r.clause_id for r in results] == ids
    assert {r.match for r in results} == {"reference"}


def test_a_well_known_name_puts_its_clause_first_then_the_other_clauses_that_mention_it():
    results = search_clauses("算力券")
    assert (results[0].clause_id, results[0].match) == ("三.7", "name")
    assert "算力券" in results[0].matched_terms
    rest = [r.clause_id for r in results[1:]]
    assert "二.3" in rest and "三.7" not in rest  # 二.3 mentions 算力券 too; 三.7 is not listed twice
    assert {r.match for r in results[1:]} == {"keyword"}


def test_a_department_with_qian_tou_lists_only_the_clauses_it_leads():
    results = search_clauses("市经信局牵头哪些")
    assert results and all(r.lead_unit == "市经信局" and r.match == "unit_lead" for r in results)


def test_a_department_alone_lists_led_clauses_then_the_others():
    results = search_clauses("市数据局")
    kinds = [r.match for r in results]
    assert kinds == sorted(kinds, key=["unit_lead", "unit_participant"].index)
    assert "unit_participant" in kinds
    assert all("市数据局" in r.units for r in results)


def test_a_citation_line_is_ready_for_a_work_order(doc):
    (result,) = search_clauses("三.7")
    assert result.citation == doc.get("三.7").citation_line(doc.title)
    assert result.citation.startswith("《嘉兴市推动人工智能高质量发展实施方案（征求意见稿）》三、支持政策 7. 支持算力应用：")


def test_a_reference_to_a_clause_that_does_not_exist_says_which_exist():
    with pytest.raises(ReferenceNotFound, match="三.1–三.10"):
        search_clauses("三.11")


@pytest.mark.slow
def test_keywords_go_to_the_retriever_and_carry_the_matched_terms():
    results = search_clauses("用超算有补贴吗", k=3)
    assert results[0].clause_id == "三.7"
    assert results[0].match == "keyword"
    assert "超算" in results[0].matched_terms
    assert len(results) <= 3
    named = search_clauses("算力券", k=3)  # a name keeps the limit too
    assert len(named) <= 3 and named[0].match == "name"


def test_an_empty_query_finds_nothing():
    assert search_clauses("   ") == []
