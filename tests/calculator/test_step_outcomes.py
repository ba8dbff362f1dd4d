"""Every step of every named case carries typed meaning that agrees with its calculation.

Consumers (composer, firewall, eval metrics) read ``outcome``, ``fact``, ``figures`` and ``quote`` instead of the
Chinese step text, so these fields must be as trustworthy as the amounts themselves.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jxai_assistant.calculator import calculate, calculate_all, combine, facts_from_mapping
from jxai_assistant.document import load_document

from .casefiles import load_cases

CASES = load_cases()
# The outcomes each kind of step may have (None: a step without a verdict).
OUTCOMES_BY_STEP = {
    "validity": {"in_force", "expired"},
    "conditions": {"met", "not_met", "unknown"},
    "base": {"computed", "not_computable", "non_monetary"},
    "rate": {"computed", None},
    "cap": {"capped", "not_capped", "not_computable"},
    "combination": {"highest_paid", "superseded", "summed"},
}


def _combined(case):
    facts = facts_from_mapping(case["facts"])
    if case["policy"] == "all":
        return combine(calculate_all(facts, as_of=case["as_of"]))
    return combine(calculate(case["policy"], facts, as_of=case["as_of"]))


@pytest.fixture(scope="module", params=CASES, ids=[f"{c['file']}:{c['name']}" for c in CASES])
def combined(request):
    return _combined(request.param)


def _outcomes(calc) -> list:
    return [s.outcome for s in calc.steps]


def test_every_step_has_an_outcome_its_kind_allows(combined):
    for calc in combined.calculations:
        for step in calc.steps:
            assert step.outcome in OUTCOMES_BY_STEP[step.name], f"{step.name}: {step.outcome} ({step.text})"


def test_an_ineligible_calculation_shows_the_condition_that_fails_or_the_expired_validity(combined):
    for calc in combined.calculations:
        if calc.eligible is False:
            assert {"not_met", "expired"} & set(_outcomes(calc)), calc.steps


def test_an_undecided_calculation_shows_the_unknown_condition_or_a_non_monetary_measure(combined):
    for calc in combined.calculations:
        if calc.eligible is None:
            assert {"unknown", "non_monetary"} & set(_outcomes(calc)), calc.steps
            assert not {"not_met", "expired"} & set(_outcomes(calc))


def test_an_eligible_calculation_has_no_failed_unknown_or_expired_step(combined):
    for calc in combined.calculations:
        if calc.eligible is True:
            assert not {"not_met", "unknown", "expired"} & set(_outcomes(calc)), calc.steps


def test_an_unknown_condition_of_an_undecided_calculation_names_a_fact_it_asks_for(combined):
    for calc in combined.calculations:
        if calc.eligible is not None:
            continue  # a failed condition decides; nothing is asked then
        asked = {m.fact for m in calc.missing}
        for step in calc.steps:
            if step.outcome == "unknown" and step.fact is not None:
                assert step.fact in asked, f"{step.fact} not asked ({step.text})"


def test_the_amount_is_the_result_of_the_last_step_that_computes_it(combined):
    for calc in combined.calculations:
        if calc.amount_yuan is None:
            continue
        results = [f.value for s in calc.steps if s.name in ("base", "rate", "cap") for f in s.figures
                   if f.role == "result" and f.unit == "yuan"]
        assert results, calc.steps
        # Money is rounded to whole yuan once, at the end.
        assert Decimal(results[-1]).quantize(Decimal(1), rounding=ROUND_HALF_UP) == calc.amount_yuan


def test_every_cap_figure_is_the_cap_of_its_calculation(combined):
    for calc in combined.calculations:
        caps = [f.value for s in calc.steps for f in s.figures if f.role == "cap"]
        assert all(c == calc.cap_yuan for c in caps), (caps, calc.cap_yuan)
        if calc.amount_yuan is not None and calc.cap_yuan is not None:
            assert caps, "an amount under a cap shows the cap it was checked against"


def test_a_sum_of_matters_is_the_award(combined):
    totals = [f.value for c in combined.calculations for s in c.steps if s.outcome == "summed"
              for f in s.figures if f.role == "total"]
    assert totals in ([], [combined.award_yuan])


def test_every_quote_is_verbatim_in_its_clause(combined):
    doc = load_document()
    for calc in combined.calculations:
        for step in calc.steps:
            if step.quote is not None:
                assert step.quote and step.quote in doc.get(step.clause_id).text, (step.clause_id, step.quote)


def test_figures_are_exact_and_never_floats_in_json(combined):
    for calc in combined.calculations:
        data = json.loads(calc.model_dump_json(), parse_float=lambda s: pytest.fail(f"float {s} in JSON"))
        for step in data["steps"]:
            for figure in step["figures"]:
                value = figure["value"]
                # Whole numbers as int; a fraction (1.5元 before rounding, 12.345%) as an exact decimal string.
                assert isinstance(value, int) or (isinstance(value, str) and Decimal(value) % 1 != 0), value


def test_the_named_cases_exercise_every_verdict():
    """Guards the tests above against passing vacuously: the case files reach each outcome at least once."""
    seen = {s.outcome for case in CASES for c in _combined(case).calculations for s in c.steps}
    assert {"in_force", "expired", "met", "not_met", "unknown", "computed", "capped", "not_capped",
            "not_computable", "non_monetary", "highest_paid", "superseded", "summed"} <= seen
