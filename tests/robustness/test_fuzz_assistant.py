"""Fuzzing ``Assistant.ask``: any input, one turn or a conversation, gives a Response that keeps the DESIGN contract
(verbatim quotes, grounded figures, integer money, consistent flags) and echoes no markup — never an exception."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jxai_assistant.assistant import Assistant
from jxai_assistant.document import load_document

from .hostile import BUDGET, DOMAIN, contract_problems, hostile_text, numbers

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Questions built from the assistant's own vocabulary with hostile pieces mixed in, so that lookups, calculations,
# clarifications and refusals are all reached, not only the "empty input" path.
question = st.one_of(
    hostile_text,
    st.lists(st.one_of(st.sampled_from(DOMAIN), st.sampled_from(DOMAIN), numbers, hostile_text), min_size=1,
             max_size=6).map("".join),
)
_ids = itertools.count()


@pytest.fixture(scope="module")
def assistant():
    return Assistant()


@settings(max_examples=BUDGET["assistant_one_turn"], **FUZZ)
@given(question)
@example("")
@example("\ud800\udfff算力券\u202e")
@example("我们研发费用<img src=x onerror=alert(1)>300万，能补多少？")
@example("我们营收![x](http://evil.example/x.png)3000万，增长12%，能拿多少？")
@example("我们智算支出" + "9" * 45 + "亿元，能拿多少？")
@example("算" * 100_000)
def test_any_question_gets_a_response_that_keeps_the_contract(assistant, text):
    doc = load_document()
    response = assistant.ask(text)
    assert contract_problems(response, doc) == []


@settings(max_examples=BUDGET["assistant_conversation"], **FUZZ)
@given(st.lists(question, min_size=2, max_size=3))
def test_any_conversation_keeps_the_contract_on_every_turn(assistant, turns):
    doc = load_document()
    conversation = f"fuzz-{next(_ids)}"
    try:
        for text in turns:
            response = assistant.ask(text, conversation)
            assert response.conversation_id == conversation
            assert contract_problems(response, doc) == []
    finally:
        assistant.reset(conversation)


def test_the_fuzz_budget_is_at_least_ten_thousand_generated_inputs():
    assert sum(BUDGET.values()) >= 10_000
