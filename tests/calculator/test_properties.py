"""Properties over many generated profiles: amounts are whole, non-negative, capped, monotone in their base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jxai_assistant.calculator import POLICY_IDS, EnterpriseFacts, calculate, calculate_all, combine

AS_OF = date(2026, 6, 30)
yuan = st.integers(min_value=0, max_value=2_000_000_000).map(Decimal)
points = st.decimals(min_value=-50, max_value=300, places=2, allow_nan=False, allow_infinity=False)
maybe = lambda s: st.none() | s  # noqa: E731
SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def profiles(draw):
    investment = draw(maybe(yuan))
    land = draw(maybe(st.integers(0, int(investment)).map(Decimal))) if investment is not None else None
    return EnterpriseFacts(
        industry=draw(maybe(st.sampled_from(["information_service", "manufacturing", "other"]))),
        ai_field=draw(maybe(st.booleans())), above_scale=draw(maybe(st.booleans())),
        high_tech=draw(maybe(st.booleans())), strategic_emerging=draw(maybe(st.booleans())),
        project_kind=draw(maybe(st.sampled_from(["new", "upgrade"]))), investment_yuan=investment, land_cost_yuan=land,
        revenue_yuan=draw(maybe(yuan)), last_revenue_yuan=draw(maybe(yuan)), revenue_growth_pct=draw(maybe(points)),
        prior_peak_revenue_yuan=draw(maybe(yuan)), super_deduction=draw(maybe(st.booleans())),
        rd_expense_yuan=draw(maybe(yuan)), last_rd_expense_yuan=draw(maybe(yuan)), rd_growth_pct=draw(maybe(points)),
        city_tech_project=draw(maybe(st.booleans())), national_key_rd_lead=draw(maybe(st.booleans())),
        innovation_center_level=draw(maybe(st.sampled_from(["national", "provincial"]))),
        first_set_level=draw(maybe(st.sampled_from(["international", "domestic", "provincial", "municipal"]))),
        product_honors=draw(maybe(st.lists(st.sampled_from(
            ["provincial_key_innovation", "zhejiang_made_boutique", "municipal_innovation", "provincial_new_product"]),
            max_size=3))),
        compute_spend_yuan=draw(maybe(yuan)), jiaxing_model=draw(maybe(st.booleans())),
        data_merchant=draw(maybe(st.sampled_from(["leading", "growth"]))), g5_factory=draw(maybe(st.booleans())),
        dcmm_pilot=draw(maybe(st.booleans())), dcmm_region_pilot=draw(maybe(st.booleans())),
    )


@SETTINGS
@given(profiles())
def test_amounts_are_whole_non_negative_and_never_above_their_cap(facts):
    calcs = calculate_all(facts, as_of=AS_OF)
    for calc in calcs:
        if calc.amount_yuan is not None:
            assert isinstance(calc.amount_yuan, int) and calc.amount_yuan >= 0
            assert calc.eligible is True
            if calc.cap_yuan is not None:
                assert calc.amount_yuan <= calc.cap_yuan
        if calc.eligible is None:
            assert calc.amount_yuan is None
        if calc.eligible is not False and calc.policy_id != "三.10" and calc.eligible is None:
            assert calc.missing, f"{calc.policy_id}: undecided without a question"
        assert [s.name for s in calc.steps][0] == "validity"
    award = combine(calcs).award_yuan
    paying = [c.amount_yuan for c in calcs if c.amount_yuan is not None]
    assert (award is None) == (not paying)
    if paying:
        assert max(paying) <= award <= sum(paying)


def _steps_in_text_order(calc):
    order = ["validity", "conditions", "base", "rate", "cap", "combination"]
    names = [s.name for s in calc.steps]
    return [order.index(n) for n in names] == sorted(order.index(n) for n in names)


@SETTINGS
@given(profiles())
def test_steps_follow_the_order_of_the_text(facts):
    for calc in combine(calculate_all(facts, as_of=AS_OF)).calculations:
        assert _steps_in_text_order(calc), [s.name for s in calc.steps]


def _amount(policy, as_of=AS_OF, **facts):
    return calculate(policy, EnterpriseFacts(**facts), as_of=as_of)[0].amount_yuan or 0


@SETTINGS
@given(yuan, yuan, st.booleans())
def test_compute_subsidy_is_monotone_in_spending(a, b, model):
    low, high = sorted((a, b))
    assert _amount("三.7", compute_spend_yuan=low, jiaxing_model=model) <= \
        _amount("三.7", compute_spend_yuan=high, jiaxing_model=model)


@SETTINGS
@given(yuan, yuan, st.sampled_from(["new", "upgrade"]))
def test_investment_subsidy_is_monotone_in_investment(a, b, kind):
    low, high = sorted((a, b))
    base = dict(industry="information_service", ai_field=True, project_kind=kind, land_cost_yuan=Decimal(0))
    assert _amount("三.2", investment_yuan=low, **base) <= _amount("三.2", investment_yuan=high, **base)


@SETTINGS
@given(yuan, yuan, yuan)
def test_rd_subsidy_is_monotone_in_this_years_rd_expense(a, b, last):
    low, high = sorted((a, b))
    base = dict(super_deduction=True, last_rd_expense_yuan=last)
    assert _amount("三.4", rd_expense_yuan=low, **base) <= _amount("三.4", rd_expense_yuan=high, **base)


@SETTINGS
@given(yuan, yuan, yuan)
def test_revenue_award_is_monotone_in_revenue_for_a_fixed_prior_peak(a, b, peak):
    low, high = sorted((a, b))
    base = dict(industry="information_service", revenue_growth_pct=Decimal(20), prior_peak_revenue_yuan=peak)
    assert _amount("三.3", revenue_yuan=low, **base) <= _amount("三.3", revenue_yuan=high, **base)


@SETTINGS
@given(profiles())
def test_nothing_is_eligible_after_the_validity_ends(facts):
    for pid in POLICY_IDS:
        assert all(c.eligible is not True for c in calculate(pid, facts, as_of=date(2028, 1, 1)))
