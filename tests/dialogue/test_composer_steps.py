"""The composer finds a calculation's reasons through the steps' typed outcomes, whatever their wording."""

from __future__ import annotations

from jxai_assistant.calculator import Calculation, Step
from jxai_assistant.dialogue.composer import compose_calculation
from jxai_assistant.document import load_document


def _first_line(*steps: Step) -> str:
    calc = Calculation(policy_id="三.7", eligible=False, amount_yuan=None, steps=list(steps))
    composed = compose_calculation(load_document(), [calc], None, False, [], [], "", [], False)
    return composed.answer.splitlines()[0]


def test_the_first_sentence_gives_the_condition_whose_outcome_is_not_met():
    # The verdict word is deliberately not the calculator's: only the outcome says the condition failed.
    line = _first_line(
        Step(name="conditions", text="使用金额已提供 → 是", clause_id="三.7", outcome="met"),
        Step(name="conditions", text="智算、超算实际使用金额0元 → 否", clause_id="三.7", outcome="not_met",
             fact="compute_spend_yuan"),
    )
    assert line.startswith("**不符合**") and "的条件：智算、超算实际使用金额0元，不满足〔三.7〕。" in line


def test_an_expired_validity_is_the_reason_when_no_condition_failed():
    line = _first_line(Step(name="validity", text="基准日在2028年", clause_id="五.1", outcome="expired"))
    assert line.startswith("**不符合**") and "的条件：基准日在2028年〔五.1〕。" in line
