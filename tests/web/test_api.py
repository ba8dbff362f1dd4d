"""The named API endpoints, called through gradio_client against the app served in this test session."""

from __future__ import annotations

import pytest
from gradio_client.exceptions import AppError

pytestmark = pytest.mark.slow

CONTRACT_KEYS = {"answer", "intent", "citations", "calculations", "award_yuan", "eligible", "out_of_scope"}


def cited(response: dict) -> list[str]:
    return [c["clause_id"] for c in response["citations"]]


def test_the_api_exposes_exactly_ask_search_and_calc(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/search", "/calc"}
    assert [p["parameter_name"] for p in endpoints["/ask"]["parameters"]] == ["question", "conversation_id"]
    assert [p["parameter_name"] for p in endpoints["/search"]["parameters"]] == ["query", "k"]
    assert [p["parameter_name"] for p in endpoints["/calc"]["parameters"]] == ["profile"]


def test_ask_about_the_compute_voucher_cites_clause_three_seven(client):
    response = client.predict("算力券单个企业最多补贴多少？", api_name="/ask")
    assert CONTRACT_KEYS <= set(response)
    assert "三.7" in cited(response)
    assert "〔三.7〕" in response["answer"]
    assert "100万元" in response["answer"]
    assert response["out_of_scope"] is False


def test_a_follow_up_with_the_returned_conversation_id_continues_the_conversation(client):
    first = client.predict("我们智算支出120万元，能拿多少？", None, api_name="/ask")
    conversation = first["conversation_id"]
    assert conversation
    follow = client.predict(question="我们没有开发大模型", conversation_id=conversation, api_name="/ask")
    assert follow["conversation_id"] == conversation
    assert follow["award_yuan"] == 600000  # 120万元 × 50% = 60万元, under the 100万元 cap
    assert isinstance(follow["award_yuan"], int)
    assert "三.7" in [c["policy_id"] for c in follow["calculations"]]


def test_an_over_long_question_gets_a_polite_answer_not_an_error(client):
    response = client.predict("算力" * 1001, api_name="/ask")
    assert response["intent"] == "clarify"
    assert "2000" in response["answer"]
    assert response["citations"] == []


SEARCHES = [
    # (query, first clause id, how it matched)
    ("三.7", "三.7", "reference"),
    ("支持政策第七条", "三.7", "reference"),
    ("市数据局", "二.8", "unit_lead"),
    ("算力券", "三.7", "name"),
    ("用超算有补贴吗", "三.7", "keyword"),
]


@pytest.mark.parametrize("query, first, match", SEARCHES)
def test_search_finds_clauses_by_number_name_department_and_keyword(client, query, first, match):
    hits = client.predict(query, 5, api_name="/search")
    assert hits[0]["clause_id"] == first
    assert hits[0]["match"] == match
    assert hits[0]["citation"].startswith("《嘉兴市推动人工智能高质量发展实施方案（征求意见稿）》")
    assert hits[0]["clause_path"]


def test_search_for_a_clause_that_does_not_exist_explains_the_valid_range(client):
    with pytest.raises(AppError, match="三.1–三.10"):
        client.predict("三.11", 5, api_name="/search")


def test_calc_matches_a_profile_and_reports_amounts_in_integer_yuan(client):
    result = client.predict({"compute_spend_yuan": "120万", "jiaxing_model": False}, api_name="/calc")
    voucher = next(m for m in result["matches"] if m["policy_id"] == "三.7")
    assert voucher["eligible"] is True
    assert voucher["amount_yuan"] == 600000
    assert result["award_yuan"] == 600000
    steps = [s["text"] for c in voucher["calculations"] for s in c["steps"]]
    assert any("120万元 × 50% = 60万元" in s for s in steps)


BAD_PROFILES = [
    ({"compute_spend_yuan": -5}, "负数"),
    ({"compute_spend_yuan": 1.5}, "浮点"),
    ({"no_such_fact": "1"}, "未知的事实名"),
]


@pytest.mark.parametrize("profile, message", BAD_PROFILES)
def test_calc_rejects_bad_profiles_with_a_chinese_message_and_no_traceback(client, profile, message):
    with pytest.raises(AppError) as info:
        client.predict(profile, api_name="/calc")
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)
