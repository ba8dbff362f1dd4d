"""The named cases in ``cases/*.yaml``, one test each: facts in, eligibility / amount / cap / steps out."""

from __future__ import annotations

import pytest

from jxai_assistant.calculator import calculate, calculate_all, combine, facts_from_mapping, policy_facts

from .casefiles import load_cases

CASES = load_cases()
EXPECT_KEYS = {"item", "eligible", "amount_yuan", "cap_yuan", "missing", "notes_contain", "notes_not_contain",
               "steps_cite", "step_texts_contain", "step_names"}


def _run(case):
    facts = facts_from_mapping(case["facts"])
    if case["policy"] == "all":
        return calculate_all(facts, as_of=case["as_of"])
    return calculate(case["policy"], facts, as_of=case["as_of"])


def _pick(calcs, expect):
    if "item" in expect:
        matching = [c for c in calcs if c.item == expect["item"]]
        assert len(matching) == 1, f"item {expect['item']!r} not among {[c.item for c in calcs]}"
        return matching[0]
    assert len(calcs) == 1, f"expected one calculation, got {[c.item for c in calcs]}"
    return calcs[0]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['name']}" for c in CASES])
def test_case(case):
    assert case["expect"] or case["combined"], "a case must expect something"
    calcs = _run(case)
    if case["expect"]:
        expect = case["expect"]
        assert set(expect) <= EXPECT_KEYS, f"unknown expect keys {set(expect) - EXPECT_KEYS}"
        calc = _pick(calcs, expect)
        for key in ("eligible", "amount_yuan", "cap_yuan"):
            if key in expect:
                assert getattr(calc, key) == expect[key], f"{key}: {getattr(calc, key)!r} (steps: {calc.steps})"
        if "missing" in expect:
            assert [m.fact for m in calc.missing] == expect["missing"]
            assert all(m.question.endswith("？") for m in calc.missing)
        notes = "\n".join(calc.notes)
        for text in expect.get("notes_contain", []):
            assert text in notes, f"{text!r} not in notes:\n{notes}"
        for text in expect.get("notes_not_contain", []):
            assert text not in notes
        steps = "\n".join(s.text for s in calc.steps)
        for text in expect.get("step_texts_contain", []):
            assert text in steps, f"{text!r} not in steps:\n{steps}"
        for clause in expect.get("steps_cite", []):
            assert clause in {s.clause_id for s in calc.steps}
        if "step_names" in expect:
            assert [s.name for s in calc.steps] == expect["step_names"]
        if case["policy"] != "all":
            assert {m.fact for m in calc.missing} <= set(policy_facts(case["policy"]))
    if case["combined"]:
        combined = combine(calcs)
        for key, value in case["combined"].items():
            assert getattr(combined, key) == value, f"{key}: {getattr(combined, key)!r}"


def test_every_policy_has_a_passing_and_a_failing_case():
    from jxai_assistant.calculator import POLICY_IDS

    monetary = [p for p in POLICY_IDS if p != "三.10"]
    for pid in monetary:
        outcomes = {(c["expect"] or {}).get("eligible") for c in CASES if c["policy"] == pid}
        outcomes |= {(c["combined"] or {}).get("eligible") for c in CASES if c["policy"] == pid}
        assert True in outcomes, f"{pid}: no passing case"
        assert False in outcomes or pid in {"三.5"}, f"{pid}: no failing case"
