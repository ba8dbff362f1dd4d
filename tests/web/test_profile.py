"""The 补贴测算 form: 万元 in, Decimal yuan out; unanswered stays unknown; bad input gets a friendly message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jxai_assistant.calculator.facts import FACT_NAMES
from jxai_assistant.web.profile import (SECTIONS, FormError, count_specs, facts_from_form, field_spec,
                                       match_result)

CONVERSIONS = [
    # (typed in 万元, yuan)
    ("120", Decimal(1_200_000)),
    ("12.5", Decimal(125_000)),
    ("0.01", Decimal(100)),
    ("１２０", Decimal(1_200_000)),  # full-width digits
    ("1,200", Decimal(12_000_000)),
    ("120万元", Decimal(1_200_000)),
    ("0", Decimal(0)),
]


@pytest.mark.parametrize("typed, yuan", CONVERSIONS)
def test_amounts_typed_in_wan_become_exact_decimal_yuan(typed, yuan):
    facts = facts_from_form({"compute_spend_yuan": typed})
    assert facts.compute_spend_yuan == yuan
    assert isinstance(facts.compute_spend_yuan, Decimal)


BAD_INPUT = [
    # (field, typed, part of the message)
    ("compute_spend_yuan", "-5", "不能为负数"),
    ("compute_spend_yuan", "50000000", "请确认单位是“万元”"),
    ("revenue_yuan", "三千", "请填写数字"),
    ("revenue_growth_pct", "-150", "-100%"),
    ("as_of", "2026/13/01", "2026-05-01"),
    ("investment_yuan", "NaN", "有限的数字"),
]


@pytest.mark.parametrize("field, typed, message", BAD_INPUT)
def test_bad_input_gets_a_friendly_message_naming_the_field(field, typed, message):
    with pytest.raises(FormError) as info:
        facts_from_form({field: typed})
    assert message in info.value.message
    assert field_spec(field).label in info.value.message


def test_unanswered_fields_stay_unknown_rather_than_no_or_zero():
    facts = facts_from_form({"ai_field": "未填", "industry": "", "compute_spend_yuan": "", "product_honors": []})
    assert facts.ai_field is None and facts.industry is None
    assert facts.compute_spend_yuan is None and facts.product_honors is None


def test_yes_no_choices_and_dates_become_fact_values():
    facts = facts_from_form({"ai_field": "否", "jiaxing_model": "是", "industry": "manufacturing",
                             "product_honors": ["zhejiang_made_boutique"], "as_of": "2026-05-01"})
    assert facts.ai_field is False and facts.jiaxing_model is True
    assert facts.industry == "manufacturing"
    assert facts.product_honors == ["zhejiang_made_boutique"]
    assert facts.as_of == date(2026, 5, 1)


def test_the_form_asks_every_enterprise_fact_exactly_once():
    asked = [name for _, names, _ in SECTIONS for name in names]
    assert sorted(asked) == sorted(FACT_NAMES)


def test_amount_fields_are_labelled_in_wan_and_choices_in_chinese():
    assert field_spec("compute_spend_yuan").unit == "万元"
    assert field_spec("revenue_growth_pct").unit == "%"
    assert ("制造业", "manufacturing") in field_spec("industry").choices


def test_a_compute_spend_of_120_wan_matches_the_voucher_at_60_wan():
    result = match_result(facts_from_form({"compute_spend_yuan": "120", "jiaxing_model": "否"}))
    voucher = next(m for m in result["matches"] if m["policy_id"] == "三.7")
    assert (voucher["eligible"], voucher["amount_yuan"]) == (True, 600_000)
    assert result["award_yuan"] == 600_000


def test_every_product_award_of_3_6_has_a_count_and_an_other_product_box():
    assert [c.name for c in count_specs()] == [
        "first_set_level", "product_honors.provincial_key_innovation", "product_honors.zhejiang_made_boutique",
        "product_honors.municipal_innovation", "product_honors.provincial_new_product"]


def test_counts_and_other_product_boxes_become_quantities_and_separate_awards():
    facts = facts_from_form({
        "first_set_level": "domestic", "count:first_set_level": 1, "other:first_set_level": False,
        "product_honors": ["provincial_new_product", "zhejiang_made_boutique"],
        "count:product_honors.provincial_new_product": 2, "other:product_honors.provincial_new_product": True,
        "count:product_honors.zhejiang_made_boutique": 1.0, "other:product_honors.zhejiang_made_boutique": False})
    assert facts.quantities == {"product_honors.provincial_new_product": 2}
    assert facts.separate == ["product_honors.provincial_new_product"]
    # 150万 (国内首台（套）, the highest award of the main product) + 2 other products × 5万 (省级工业新产品)
    assert match_result(facts)["award_yuan"] == 1600000


def test_the_count_of_a_first_set_recognition_counts_the_chosen_level():
    facts = facts_from_form({"first_set_level": "provincial", "count:first_set_level": "3"})
    assert facts.quantities == {"first_set_level.provincial": 3}


BAD_COUNTS = [
    # (form values, part of the message)
    ({"product_honors": ["provincial_new_product"], "count:product_honors.provincial_new_product": 0}, "1 到 1000"),
    ({"product_honors": ["provincial_new_product"], "count:product_honors.provincial_new_product": 1.5}, "整数"),
    ({"product_honors": ["provincial_new_product"], "count:product_honors.provincial_new_product": "两"}, "整数"),
    ({"product_honors": [], "count:product_honors.provincial_new_product": 2}, "请先在“产品获得的认定”中选中"),
    ({"first_set_level": "", "other:first_set_level": True}, "请先在“首台（套）/首批次/首版次认定级别”中选中"),
    ({"first_set_level": "none", "count:first_set_level": 2}, "请先在"),
]


@pytest.mark.parametrize("values, message", BAD_COUNTS, ids=[m for _, m in BAD_COUNTS])
def test_a_count_that_cannot_be_used_gets_a_message_naming_the_award(values, message):
    with pytest.raises(FormError) as info:
        facts_from_form(values)
    assert message in info.value.message
