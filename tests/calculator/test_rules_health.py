"""Health of the rule data: every file loads, every citation resolves verbatim, bad files are rejected loudly."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from jxai_assistant.calculator import POLICY_IDS, RuleFileError, load_rules
from jxai_assistant.calculator.rules import Cited, iter_cited, load_rule_file, rules_dir
from jxai_assistant.document import load_document

ENGINE_FILES = sorted((Path(__file__).parents[2] / "src" / "jxai_assistant" / "calculator").glob("*.py"))


def test_every_rule_file_loads_and_covers_the_ten_policies_and_the_general_rule():
    book = load_rules()
    assert list(book.policies) == list(POLICY_IDS)
    assert book.general.policy_id == "五.1"
    assert sorted(p.stem for p in rules_dir().glob("*.yaml")) == sorted([*POLICY_IDS, "五.1"])


def test_every_policy_title_is_the_clause_title():
    doc = load_document()
    for pid, rule in load_rules().policies.items():
        assert rule.title == doc.get(pid).title


def _all_cited() -> list[tuple[str, str, Cited]]:
    book = load_rules()
    rules = [*book.policies.values(), book.general]
    return [(rule.policy_id, key, cited) for rule in rules for key, cited in iter_cited(rule)]


def test_every_phrase_occurs_verbatim_in_its_clause():
    doc = load_document()
    cited = _all_cited()
    assert len(cited) > 50
    for pid, key, c in cited:
        assert c.clause in doc.ids(), f"{pid} {key}: clause {c.clause} does not resolve"
        assert c.phrase in doc.get(c.clause).text, f"{pid} {key}: “{c.phrase}” not in 〔{c.clause}〕"


def test_every_number_is_written_in_its_phrase_as_the_document_writes_it():
    for pid, key, c in _all_cited():
        rendered = c.rendered()
        if rendered is not None:
            assert rendered in c.phrase, f"{pid} {key}: {rendered} not in “{c.phrase}”"


def test_award_table_row_labels_occur_in_their_phrases():
    for rule in load_rules().policies.values():
        for item in rule.items:
            for row in getattr(item, "rows", []):
                figure = row.amount or row.cap
                assert row.label in figure.phrase, f"{rule.policy_id} {item.label}: {row.label}"


def test_every_number_stated_in_a_policy_clause_is_covered_by_the_rule_data():
    """Each 万元/亿元/% figure of 三.1–三.9 and 五.1 appears in some phrase of that clause's rule data."""
    doc = load_document()
    phrases: dict[str, str] = {}
    for _, _, c in _all_cited():
        phrases[c.clause] = phrases.get(c.clause, "") + "|" + c.phrase
    for pid in [*POLICY_IDS[:-1], "五.1"]:
        for figure in re.findall(r"\d+(?:\.\d+)?(?:万元|亿元|%)", doc.get(pid).text):
            assert figure in phrases[pid], f"{pid}: {figure} is in the text but in no rule phrase"


def test_the_engine_contains_no_policy_numbers():
    """Numbers such as 1000000, 0.05 or 50 belong in corpus/rules, not in the calculator's code.

    Allowed: 0 and 1 (counting, slicing) and the one definition of the percent unit ``PER_CENT = Decimal(100)``.
    """
    for path in ENGINE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        unit = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "PER_CENT" for t in node.targets) for n in ast.walk(node.value)}
        numbers = [(node.lineno, node.value) for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and type(node.value) in (int, float) and id(node) not in unit
                   and node.value not in (0, 1)]
        assert not numbers, f"{path.name}: number literals {numbers}"


def test_no_float_in_money_code():
    for path in ENGINE_FILES:
        assert not re.search(r"\bfloat\(", path.read_text(encoding="utf-8")), path.name


@pytest.fixture()
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_yaml_float_is_rejected_naming_file_and_key(rules_copy):
    path = rules_copy / "三.7.yaml"
    _edit(path, 'rate: {value: "50"', "rate: {value: 0.5")
    with pytest.raises(RuleFileError, match=r"三\.7\.yaml: items\.0\.compute_voucher\.rate\.value: .*浮点数"):
        load_rule_file(path)


def test_an_unknown_key_is_rejected_naming_file_and_key(rules_copy):
    path = rules_copy / "三.7.yaml"
    _edit(path, "    matter: 算力补贴", "    matter: 算力补贴\n    bonus: {value: \"1\", unit: yuan}")
    with pytest.raises(RuleFileError, match=r"三\.7\.yaml: items\.0\.compute_voucher\.bonus: Extra inputs"):
        load_rule_file(path)


def test_a_misplaced_key_is_rejected(rules_copy):
    """A cap written as a percent, or a 三.2 key inside the 三.7 item, does not load."""
    path = rules_copy / "三.7.yaml"
    _edit(path, 'cap: {value: "1000000", unit: yuan', 'cap: {value: "1000000", unit: percent')
    with pytest.raises(RuleFileError, match=r"cap\.unit"):
        load_rule_file(path)
    shutil.copy(rules_dir() / "三.7.yaml", path)
    _edit(path, "    matter: 算力补贴", "    matter: 算力补贴\n    excludes_land: {clause: \"三.2\", phrase: \"不含土地款\"}")
    with pytest.raises(RuleFileError, match=r"excludes_land"):
        load_rule_file(path)


def test_a_phrase_not_in_the_clause_is_rejected(rules_copy):
    path = rules_copy / "三.7.yaml"
    _edit(path, "单个企业年度算力补贴金额不超过100万元", "单个企业年度算力补贴金额不超过120万元")
    with pytest.raises(RuleFileError, match=r"cap\.phrase"):
        load_rule_file(path)


def test_a_value_that_disagrees_with_its_phrase_is_rejected(rules_copy):
    path = rules_copy / "三.7.yaml"
    _edit(path, 'cap: {value: "1000000"', 'cap: {value: "1200000"')
    with pytest.raises(RuleFileError, match=r"cap\.value: 数值写作“120万元”"):
        load_rule_file(path)


def test_an_unknown_clause_is_rejected(rules_copy):
    path = rules_copy / "三.7.yaml"
    _edit(path, 'scope: {clause: "三.7"', 'scope: {clause: "三.11"')
    with pytest.raises(RuleFileError, match=r"scope\.clause: 条款 '三\.11' 不存在"):
        load_rule_file(path)


def test_a_table_row_for_an_impossible_fact_value_is_rejected(rules_copy):
    path = rules_copy / "三.5.yaml"
    _edit(path, "{when: provincial, label: 省级, amount: {value: \"1500000\"", "{when: county, label: 省级, amount: {value: \"1500000\"")
    with pytest.raises(RuleFileError, match=r"county"):
        load_rule_file(path)


def test_a_missing_policy_file_is_reported(rules_copy):
    (rules_copy / "三.9.yaml").unlink()
    with pytest.raises(RuleFileError, match=r"三\.9"):
        load_rules(rules_copy)
