"""Department index: hotline staff ask which clauses a unit leads and takes part in."""

import pytest

from jxai_assistant.units import canonical_unit, department_index, find_units, unit_roles

ALIASES = [
    ("市发改委", "市发展改革委"),
    ("发改委", "市发展改革委"),
    ("嘉兴市发展和改革委员会", "市发展改革委"),
    ("经信局", "市经信局"),
    ("市经济和信息化局", "市经信局"),
    ("数据局", "市数据局"),
    ("运营商", "各电信运营商"),
    ("人社局", "市人力社保局"),
    ("嘉兴市科技局", "市科技局"),
    ("ＭＡＲＳ局", None),
    ("市气象局", None),
]


@pytest.mark.parametrize("name,canon", ALIASES)
def test_unit_aliases_normalise_to_the_documents_canonical_name(name, canon):
    assert canonical_unit(name) == canon


def test_city_data_bureau_leads_tasks_8_and_13_and_takes_part_in_three_more():
    roles = unit_roles("市数据局")
    assert roles.leads == ["二.8", "二.13"]
    assert roles.participates == ["二.7", "二.9", "二.11"]


def test_economy_bureau_leads_most_support_policies():
    roles = unit_roles("经信局")
    assert {"三.1", "三.3", "三.5", "三.6", "三.7", "三.8", "三.9"} <= set(roles.leads)
    assert "三.2" not in roles.leads


def test_finance_bureau_leads_nothing_but_funds_nine_policies():
    roles = unit_roles("市财政局")
    assert roles.leads == []
    assert [c for c in roles.participates if c.startswith("三.")] == [f"三.{i}" for i in range(1, 10)]


def test_every_unit_in_the_document_is_in_the_glossary(doc):
    index = department_index()
    for clause in doc.clauses:
        for unit in clause.units:
            assert unit in index and canonical_unit(unit) == unit


def test_units_mentioned_in_a_question_are_found_by_any_alias():
    assert find_units("市发改委和经信局牵头哪些任务") == ["市发展改革委", "市经信局"]
    assert find_units("算力券找哪个部门") == []
