"""Answers that answer: the figure or the verdict first, conditional figures, the caveats once, short."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jxai_assistant.assistant import Assistant
from jxai_assistant.calculator import EnterpriseFacts, alternatives, calculate, conditional
from jxai_assistant.evals.metrics import first_sentence, ungrounded_amounts
from jxai_assistant.document import load_document


@pytest.fixture(scope="module")
def assistant():
    return Assistant()


# --- the calculator's conditional figures ------------------------------------------------------------------------


def _only(policy_id: str, **facts) -> tuple:
    known = EnterpriseFacts(**facts)
    (calc,) = calculate(policy_id, known)
    return calc, known


def test_an_unknown_yes_no_condition_gives_the_figure_if_it_holds_but_no_award():
    calc, facts = _only("三.2", investment_yuan=Decimal(64000000), project_kind="new", industry="information_service")
    assumed = conditional(calc, facts)
    # 6400万元 × 5% = 320万元, over the new-build cap of 300万元.
    assert assumed.amount_yuan == 3000000 and assumed.eligible is None
    assert [m.fact for m in assumed.missing] == ["ai_field"]


def test_a_choice_of_which_exactly_one_value_qualifies_is_assumed():
    # 800万元 is below the new-build threshold (1000万元) but above the upgrade one (500万元): 800万 × 5% = 40万.
    calc, facts = _only("三.2", investment_yuan=Decimal(8000000), industry="information_service", ai_field=True)
    assert conditional(calc, facts).amount_yuan == 400000


def test_no_conditional_figure_when_the_unknown_choice_changes_the_amount():
    # 4000万元: new-build pays 200万元, upgrade 150万元 — the answer must ask, not pick one.
    calc, facts = _only("三.2", investment_yuan=Decimal(40000000), industry="information_service", ai_field=True)
    assert calc.eligible is None and conditional(calc, facts) is None


def test_no_conditional_figure_when_a_figure_is_missing():
    calc, facts = _only("三.2", project_kind="new", industry="information_service", ai_field=True)
    assert conditional(calc, facts) is None


def test_a_paying_item_names_the_higher_figure_an_unknown_condition_would_give():
    calc, facts = _only("三.7", compute_spend_yuan=Decimal(2500000))
    assert calc.amount_yuan == 1000000
    (condition, other), = alternatives(calc, facts)
    assert condition.fact == "jiaxing_model" and other.amount_yuan == 1250000  # 250万 × 50%, under the 200万 cap
    calc, facts = _only("三.7", compute_spend_yuan=Decimal(1200000))
    assert alternatives(calc, facts) == []  # 60万 under either cap: nothing to add


# --- answers ------------------------------------------------------------------------------------------------------

FIRST_SENTENCES = [
    # (question, what the first sentence must hold)
    ("我们智算支出120万元，能拿多少？", "可获算力券补贴 60万元〔三.7〕。"),
    ("新建人工智能信息服务项目投资800万，能补多少", "不符合"),
    ("研发费今年150万 去年120万 我们不是规上 符合加计扣除 能补多少", "3万元"),
    ("我们获得省级制造业创新中心认定，同年还获得国家级企业技术中心认定，合计多少？", "合计可获 300万元"),
]


@pytest.mark.parametrize("question,first", FIRST_SENTENCES, ids=[q for q, _ in FIRST_SENTENCES])
def test_the_first_sentence_gives_the_figure_or_the_verdict(assistant, question, first):
    assert first in first_sentence(assistant.ask(question).answer)


def test_a_conditional_figure_is_stated_as_if_and_asked_for_without_an_award(assistant):
    response = assistant.ask("我们是信息服务业企业，新建项目投资6400万，能补多少")
    assert response.intent == "clarify" and response.award_yuan is None and response.eligible is None
    assert [(c.eligible, c.amount_yuan) for c in response.calculations] == [(None, 3000000)]
    assert first_sentence(response.answer).startswith("若该项目（企业）属于人工智能领域，可获")
    assert "300万元" in first_sentence(response.answer) and "是否属于人工智能领域" in response.answer
    confirmed = assistant.ask("是的，属于人工智能", response.conversation_id)
    assert confirmed.award_yuan == 3000000 and confirmed.eligible is True


def test_the_higher_cap_figure_is_given_beside_the_paid_one(assistant):
    response = assistant.ask("我们智算支出250万元，能拿多少？")
    assert response.award_yuan == 1000000
    assert "100万元" in first_sentence(response.answer) and "可获 **125万元**" in response.answer
    assert ungrounded_amounts(response.to_contract(), load_document())[0] == []


def test_the_caveats_that_never_change_are_shown_once_per_conversation(assistant):
    first = assistant.ask("我们智算支出120万元，能拿多少？")
    again = assistant.ask("那如果支出是300万呢", first.conversation_id)
    assert "征求意见稿" in first.answer and "有效期至2027年12月31日" in first.answer
    assert again.award_yuan == 1000000 and "征求意见稿" not in again.answer

