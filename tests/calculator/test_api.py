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
    match_summary,
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


# Policies a profile never sees in 政策匹配, because their scope excludes it (not a figure short of a threshold).
OUT_OF_SCOPE = [
    ("a manufacturer with revenue just below a tier does not see 三.3, which is for 信息服务业 only",
     {"industry": "manufacturing", "revenue_yuan": "2900万", "revenue_growth_pct": "15"}, ["三.3"]),
    ("a manufacturer's AI project below the threshold does not see 三.2, which is for 信息服务业 projects",
     {"industry": "manufacturing", "ai_field": True, "project_kind": "new", "investment_yuan": "800万"}, ["三.2", "三.3"]),
    ("an information-service firm does not see 三.1, which is for manufacturing projects",
     {"industry": "information_service", "ai_field": True, "project_kind": "new", "investment_yuan": "800万"},
     ["三.1"]),
    ("a firm of another industry sees none of the three industry policies",
     {"industry": "other", "ai_field": True, "revenue_yuan": "2900万", "revenue_growth_pct": "15",
      "project_kind": "new", "investment_yuan": "800万"}, ["三.1", "三.2", "三.3"]),
]


@pytest.mark.parametrize("facts, excluded", [c[1:] for c in OUT_OF_SCOPE], ids=[c[0] for c in OUT_OF_SCOPE])
def test_match_profile_never_suggests_a_policy_whose_scope_excludes_the_enterprise(facts, excluded):
    matches = match_profile(facts_from_mapping({**facts, "as_of": "2026-06-30"}))
    listed = {m.policy_id for m in matches}
    assert not listed & set(excluded), [(m.policy_id, m.next_step) for m in matches if m.policy_id in excluded]


def test_the_same_figures_in_scope_are_a_near_miss_with_a_next_step():
    # The control for the first case above: an information-service firm at 2900万 (+15%) is 100万 short of 3000万.
    facts = facts_from_mapping({"industry": "information_service", "revenue_yuan": "2900万",
                                "revenue_growth_pct": "15", "as_of": "2026-06-30"})
    revenue = next(m for m in match_profile(facts) if m.policy_id == "三.3")
    assert revenue.eligible is False and revenue.next_step.startswith("营业收入再增加100万元（达到3000万元）")


def test_no_rd_next_step_for_an_enterprise_without_super_deduction():
    facts = facts_from_mapping({"super_deduction": False, "rd_expense_yuan": "80万", "as_of": "2026-06-30"})
    rd = [m for m in match_profile(facts) if m.policy_id == "三.4"]
    assert not rd or rd[0].next_step is None


# 三.6 awards (from corpus/rules/三.6.yaml): 国内首台（套） 150万元; 省级工业新产品（新技术） 5万元; “浙江制造精品” 30万元.
# 就高不重复 (五.1) pays one product's awards once, at the highest; different products add up.
PRODUCTS = [
    ("one product with three recognitions gets the highest only: 150万元",
     {}, [], 1500000),
    ("a second product with the 省级工业新产品 adds its 5万元: 150万 + 5万 = 155万",
     {"product_honors.provincial_new_product": 2}, [], 1550000),
    ("two other products with the 省级工业新产品 add 5万元 each: 150万 + 5万 + 5万 = 160万",
     {"product_honors.provincial_new_product": 2}, ["product_honors.provincial_new_product"], 1600000),
    ("the 浙江制造精品 held by another product adds its 30万元: 150万 + 30万 = 180万",
     {}, ["product_honors.zhejiang_made_boutique"], 1800000),
]


@pytest.mark.parametrize("quantities, separate, award", [c[1:] for c in PRODUCTS], ids=[c[0] for c in PRODUCTS])
def test_the_match_total_counts_products_after_jiu_gao_bu_chong_fu(quantities, separate, award):
    facts = facts_from_mapping({"industry": "manufacturing", "first_set_level": "domestic",
                                "product_honors": ["provincial_new_product", "zhejiang_made_boutique"],
                                "quantities": quantities, "separate": separate, "as_of": "2026-06-30"})
    summary = match_summary(facts)
    assert summary["award_yuan"] == award
    products = next(m for m in summary["matches"] if m["policy_id"] == "三.6")
    assert products["amount_yuan"] == award  # 三.6 is the only policy with an amount here


def test_the_match_summary_shows_the_arithmetic_of_a_total_over_several_matters():
    facts = facts_from_mapping({"compute_spend_yuan": "120万", "first_set_level": "domestic",
                                "as_of": "2026-06-30"})
    summary = match_summary(facts)
    assert summary["award_yuan"] == 2100000  # 60万 (三.7) + 150万 (三.6)
    assert "= 210万元" in summary["total_text"]
    assert set(summary) == {"matches", "award_yuan", "total_text", "eligible", "notes", "facts"}
