"""Per-turn expectations in eval cases: every checked turn scored, conversations scored as a whole."""

from __future__ import annotations

import json

from jxai_assistant.evals import load_cases, run_cases, summarize


class Echo:
    """An assistant that answers every turn with the turn itself (its award is the turn's length)."""

    def ask(self, question, conversation_id=None):
        return {"answer": question, "intent": "lookup", "citations": [], "calculations": [],
                "award_yuan": len(question), "eligible": None, "out_of_scope": False}


def write(tmp_path, *cases):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    return path


def test_a_case_level_expect_still_checks_the_last_turn_only(tmp_path):
    (case,) = load_cases([write(tmp_path, {"id": "a", "turns": ["一", "二二"], "expect": {"amount_yuan": 2}})])
    assert case.id == "a" and case.turns == ["一", "二二"] and case.conversation == "a"


def test_each_turn_with_its_own_expect_is_a_checked_case_of_the_conversation(tmp_path):
    cases = load_cases([write(tmp_path, {"id": "c", "turns": [
        {"q": "一", "expect": {"amount_yuan": 1}}, {"q": "二二"}, {"q": "三三三", "expect": {"amount_yuan": 9}}]})])
    assert [(c.id, c.turns) for c in cases] == [("c#1", ["一"]), ("c#3", ["一", "二二", "三三三"])]
    summary = summarize(run_cases(cases, Echo()))
    metrics = summary["overall"]["metrics"]
    assert metrics["pass_rate"] == 0.5          # turn 1 right, turn 3 wrong
    assert metrics["conversation_pass_rate"] == 0.0  # a conversation passes only when every checked turn does
