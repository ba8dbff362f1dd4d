"""Specification of the typed reading of a message (dialogue.understanding) and the decisions taken from it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jxai_assistant.assistant import Assistant
from jxai_assistant.dialogue.state import ConversationState
from jxai_assistant.dialogue.understanding import understand
from jxai_assistant.document import load_document


@pytest.fixture(scope="module")
def doc():
    return load_document()


@pytest.fixture(scope="module")
def assistant():
    return Assistant()


def read(text, doc):
    return understand(text, ConversationState("test"), doc)


def test_a_claimed_figure_next_to_a_rule_word_is_a_premise_never_a_fact(doc):
    u = read("听说算力券补贴比例是70%，对吧？我们智算花了100万", doc)
    assert [(p.kind, p.value) for p in u.premises] == [("percent", Decimal(70))]
    assert u.facts.values == {"compute_spend_yuan": Decimal(1_000_000)}


def test_a_status_named_in_a_question_about_the_document_is_not_the_enterprises(doc):
    u = read("省级企业技术中心奖励多少钱", doc)
    assert u.facts.values == {} and u.mentioned == {"tech_center_level": "provincial"}
    assert read("我们刚被认定为省级企业技术中心，奖励多少钱", doc).facts.values == {"tech_center_level": "provincial"}


def test_the_reading_carries_the_typos_it_corrected(doc):
    u = read("算力卷能补多少 我们智算用了200万", doc)
    assert u.text.startswith("算力券") and [c.written for c in u.corrections] == ["算力卷"]
    assert u.facts.values["compute_spend_yuan"] == Decimal(2_000_000)


NEGATION_SCOPE = [
    # A negation covers the fact it stands before, not the next clause (spaces separate clauses in phone style).
    ("研发费今年150万 去年120万 我们不是规上 符合加计扣除 能补多少", {"above_scale": False, "super_deduction": True}),
    ("我们的项目不涉及人工智能", {"ai_field": False}),
    ("公司还是规下企业，不过是国家高新技术企业", {"above_scale": False, "high_tech": True}),
    ("我们是规上，打错了，是规下", {"above_scale": False}),
]


@pytest.mark.parametrize("text, facts", NEGATION_SCOPE)
def test_negation_stays_with_its_own_fact(doc, text, facts):
    got = read(text, doc).facts.values
    assert {k: got.get(k) for k in facts} == facts


ANSWERS = [
    # (message, intent, award) — wording does not decide whether it computes; a fact misread would change the award.
    ("新建人工智能信息服务业项目总投资1,100万元，含土地款200万元，补助金额？", "calculate", 450_000),
    ("研发费今年150万 去年120万 我们不是规上 符合加计扣除 能补多少", "calculate", 30_000),
    ("我们一个产品入选市级技术创新项目 另有2个产品获评省级工业新产品 一共多少", "calculate", 250_000),
    ("我司今年智算使用50万元、超算使用30万元，算力补贴合计多少？", "calculate", 400_000),
    ("我们公司做行业大模型的 已经在嘉兴卖给几家工厂用了 算力一年花0.12亿", "calculate", 2_000_000),
    ("我司属于信息服务业。2024年营业收入5,600万元，2023年4,800万元。请问做大做强奖励多少？", "calculate", 1_000_000),
    ("We spent 900,000 yuan on supercomputing this year. What subsidy do we get?", "calculate", 450_000),
]


@pytest.mark.parametrize("question, intent, award", ANSWERS, ids=[a[0][:24] for a in ANSWERS])
def test_money_questions_compute_whatever_their_wording(assistant, question, intent, award):
    response = assistant.ask(question)
    assert (response.intent, response.award_yuan) == (intent, award), response.answer[:200]


def test_an_amount_that_cannot_be_read_exactly_is_asked_back_not_computed(assistant):
    response = assistant.ask("我们智算花了1.2e6元，能补多少？")
    assert response.intent == "clarify" and response.award_yuan is None and not response.calculations
    assert "科学计数法" in response.answer and "1.2e6" not in response.answer


def test_questions_the_document_answers_in_one_clause_are_not_refused(assistant):
    for question in ("一个项目同时够得上两条政策，钱怎么算？", "政策兑现资金县（市）要配套吗？"):
        response = assistant.ask(question)
        assert not response.out_of_scope and "五.1" in [c.clause_id for c in response.citations], question


def test_a_procedure_the_document_leaves_open_is_a_near_miss_with_the_lead_unit(assistant):
    response = assistant.ask("算力券申报截止时间是什么时候")
    assert response.out_of_scope and response.answer.startswith("文件没有规定")
    assert "市经信局" in response.answer and [c.clause_id for c in response.citations] == ["三.7"]


def test_an_absurd_amount_in_a_follow_up_is_refused_with_a_reason_not_computed(assistant):
    # Found by the conversation fuzz test: a figure no enterprise can have must never reach Decimal arithmetic.
    assistant.ask("我们智算支出120万元", "absurd")
    response = assistant.ask("1000000000000000000000000万", "absurd")
    assert response.intent == "clarify" and response.award_yuan is None and not response.calculations
    assert "超出了可能的范围" in response.answer
