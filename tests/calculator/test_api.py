"""The calculator's Python API beyond single cases: facts parsing, policy facts, matching, combination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jxai_assistant.calculator import (
    POLICY_IDS,
    EnterpriseFacts,
    FactsError,
    PolicyNotFound,
    calculate,
    calculate_all,
    combine,
    facts_from_mapping,
    match_profile,
    parse_fact_value,
    policy_facts,
)
from jxai_assistant.calculator.facts import FACT_NAMES, fact_question

AS_OF = date(2026, 6, 30)


@pytest.mark.parametrize("name, text, value", [
    ("compute_spend_yuan", "120万", Decimal(1200000)),
    ("revenue_yuan", "1.2亿", Decimal(120000000)),
    ("revenue_growth_pct", "12%", Decimal(12)),
    ("revenue_growth_pct", "12", Decimal(12)),
    ("jiaxing_model", "是", True),
    ("jiaxing_model", "false", False),
    ("tech_center_level", "national", "national"),
    ("tech_center_level", "国家级", "national"),
    ("industry", "软件", "information_service"),
    ("product_honors", "浙江制造精品、市级技术创新项目", ["zhejiang_made_boutique", "municipal_innovation"]),
    ("as_of", "2027-12-31", date(2027, 12, 31)),
])
def test_fact_values_are_read_as_people_write_them(name, text, value):
    assert parse_fact_value(name, text) == value


@pytest.mark.parametrize("data, message", [
    ({"compute_spend_yuan": "-5万"}, "负数"),
    ({"compute_spend_yuan": -5}, "负数"),
    ({"compute_spend_yuan": "很多"}, "无法"),
    ({"compute_spend_yuan": 1.5}, "浮点数"),
    ({"jiaxing_model": "也许"}, "是/否"),
    ({"tech_center_level": "county"}, "可选"),
    ({"employees": "50"}, "未知的事实名"),
    ({"investment_yuan": "100万", "land_cost_yuan": "200万"}, "土地款不能大于项目投资额"),
    ({"compute_spend_yuan": Decimal("1e400")}, "超过了 1000万亿元"),
    ({"compute_spend_yuan": 10**15 + 1}, "超过了 1000万亿元"),
    ({"compute_spend_yuan": "0.001"}, "分以下"),
    ({"revenue_growth_pct": Decimal("-1e7")}, "超出了可能的范围"),
    ({"revenue_yuan": Decimal("NaN")}, "不是有限的数"),
])
def test_bad_facts_raise_a_chinese_message(data, message):
    with pytest.raises(FactsError, match=message):
        facts_from_mapping(data)


def test_the_largest_and_finest_amounts_a_user_may_state_are_accepted():
    facts = facts_from_mapping({"compute_spend_yuan": 10**15, "revenue_yuan": "12.34", "revenue_growth_pct": -99})
    assert (facts.compute_spend_yuan, facts.revenue_yuan) == (10**15, Decimal("12.34"))


def test_enterprise_facts_forbid_unknown_fields_and_describe_every_field_in_chinese():
    with pytest.raises(ValueError):
        EnterpriseFacts(employees=3)
    for name in FACT_NAMES:
        assert EnterpriseFacts.model_fields[name].description
        assert fact_question(name).endswith("？")


def test_policy_facts_name_what_each_policy_reads():
    assert policy_facts("三.7") == ["compute_spend_yuan", "jiaxing_model", "other_cloud_spend_yuan"]
    assert policy_facts("三.3")[:2] == ["industry", "revenue_yuan"]
    assert "dcmm_region_pilot" not in policy_facts("三.9")  # a region's award: not a question for an enterprise
    assert policy_facts("三.10") == []
    for pid in POLICY_IDS:
        assert set(policy_facts(pid)) <= set(FACT_NAMES)


def test_an_unknown_policy_raises_with_a_chinese_message():
    with pytest.raises(PolicyNotFound, match="三.1–三.10"):
        calculate("三.11", EnterpriseFacts())
    with pytest.raises(PolicyNotFound):
        policy_facts("五.1")


def test_as_of_argument_overrides_the_facts_date():
    facts = EnterpriseFacts(compute_spend_yuan=Decimal(1200000), as_of=date(2028, 1, 1))
    assert calculate("三.7", facts)[0].eligible is False
    assert calculate("三.7", facts, as_of=date(2027, 12, 31))[0].amount_yuan == 600000


def test_calculate_all_covers_every_policy_in_document_order():
    ids = [c.policy_id for c in calculate_all(EnterpriseFacts(), as_of=AS_OF)]
    assert list(dict.fromkeys(ids)) == list(POLICY_IDS)


def test_calculation_serialises_to_the_design_contract():
    calc = calculate("三.7", EnterpriseFacts(compute_spend_yuan=Decimal(1200000)), as_of=AS_OF)[0]
    data = calc.model_dump(mode="json")
    assert set(data) == {"policy_id", "item", "eligible", "amount_yuan", "cap_yuan", "steps", "missing", "notes"}
    assert data["amount_yuan"] == 600000 and isinstance(data["amount_yuan"], int)
    # The contract's name/text/clause_id, plus the typed fields (additive).
    assert set(data["steps"][0]) == {"name", "text", "clause_id", "outcome", "fact", "figures", "quote"}
    rate = next(s for s in data["steps"] if s["name"] == "rate")
    assert rate["outcome"] == "computed"
    # Figures are exact and never floats: whole numbers as int, others as a decimal string.
    assert rate["figures"] == [{"role": "base", "value": 1200000, "unit": "yuan"},
                               {"role": "rate", "value": 50, "unit": "percent"},
                               {"role": "result", "value": 600000, "unit": "yuan"}]
    assert any("征求意见稿" in n for n in data["notes"])


def test_combination_explains_both_amounts_on_each_calculation():
    facts = EnterpriseFacts(first_set_level="provincial", product_honors=["zhejiang_made_boutique"])
    combined = combine(calculate("三.6", facts, as_of=AS_OF))
    assert combined.award_yuan == 500000
    for calc in combined.calculations:
        last = calc.steps[-1]
        assert last.name == "combination" and last.clause_id == "五.1"
        assert "50万元" in last.text and "30万元" in last.text and "就高不重复" in last.text
    # each calculation keeps its own entitlement; only the award is combined
    assert sorted(c.amount_yuan for c in combined.calculations) == [300000, 500000]


def test_combine_of_nothing_is_undecided():
    assert combine([]).award_yuan is None and combine([]).eligible is None


def test_match_profile_lists_amounts_first_with_missing_facts_and_next_steps():
    facts = facts_from_mapping({
        "industry": "information_service", "ai_field": True, "revenue_yuan": "2800万", "revenue_growth_pct": "12",
        "compute_spend_yuan": "80万", "project_kind": "new", "investment_yuan": "1500万", "as_of": "2026-06-30"})
    matches = match_profile(facts)
    ids = [m.policy_id for m in matches]
    assert ids[:2] == ["三.2", "三.7"]  # 75万元 (1500万 × 5%), then 40万元 (80万 × 50%)
    assert [m.amount_yuan for m in matches[:2]] == [750000, 400000]
    assert "三.1" not in ids  # a manufacturing-only policy is left out for an information-service firm
    revenue = next(m for m in matches if m.policy_id == "三.3")
    # 2800万 at +12% was already above 2000万 last year: not yet eligible, 200万元 short of the 3000万元 tier
    assert revenue.eligible is False
    assert revenue.next_step.startswith("营业收入再增加200万元（达到3000万元）可首次达到下一档，奖励50万元")
    pending = next(m for m in matches if m.policy_id == "三.8")
    assert pending.eligible is None and [m.fact for m in pending.missing] == ["data_merchant", "g5_factory",
                                                                               "cloud_enterprise"]
    assert ids[-1] == "三.10"


def test_match_profile_suggests_the_next_revenue_tier_for_an_eligible_firm():
    facts = EnterpriseFacts(industry="information_service", revenue_yuan=Decimal(30000000),
                            last_revenue_yuan=Decimal(26000000), as_of=AS_OF)
    revenue = next(m for m in match_profile(facts) if m.policy_id == "三.3")
    assert revenue.amount_yuan == 500000
    assert revenue.next_step.startswith("营业收入再增加2000万元（达到5000万元）可首次达到下一档，奖励100万元")


def test_match_profile_after_the_validity_lists_nothing_monetary():
    facts = EnterpriseFacts(compute_spend_yuan=Decimal(1200000), as_of=date(2028, 1, 1))
    assert all(m.amount_yuan is None and m.eligible is not True for m in match_profile(facts))
