"""Specification of corpus/facts.yaml: each fact declared once, everything else derived, bad data stops start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jxai_assistant.calculator.facts import FACT_NAMES, EnterpriseFacts, fact_kind, fact_question
from jxai_assistant.declarations import FactDeclarationError, declarations, load_declarations_file
from jxai_assistant.dialogue.routing import FACT_TOPICS, QUANTITY_FACTS
from jxai_assistant.paths import corpus_dir
from jxai_assistant.web.profile import SECTIONS

FACTS_FILE = corpus_dir() / "facts.yaml"


def test_every_fact_of_the_model_is_declared_and_every_declaration_is_a_fact():
    assert set(FACT_NAMES) == set(declarations().facts)
    assert set(EnterpriseFacts.model_fields) == set(FACT_NAMES) | {"quantities", "separate"}
    for name in FACT_NAMES:
        assert fact_question(name).endswith("？"), name


def test_tables_the_dialogue_used_to_keep_by_hand_are_derived_from_the_declarations():
    decl = declarations()
    assert QUANTITY_FACTS == {n for n, f in decl.facts.items() if f.type in ("money", "percent")}
    assert FACT_TOPICS == {n: f.topic for n, f in decl.facts.items() if f.topic}
    assert decl.carried_over() == ("industry", "ai_field", "above_scale", "high_tech")
    assert {fact_kind(n) for n in decl.of_type("money")} == {"yuan"}


def test_the_form_shows_every_declared_fact_once_in_its_declared_group():
    shown = [name for _, names, _ in SECTIONS for name in names]
    assert sorted(shown) == sorted(FACT_NAMES)
    assert [title for title, _, _ in SECTIONS] == [g.title for g in declarations().form_groups]


BROKEN = [
    # (what is wrong, how the file is changed, the key the error must name)
    ("an unknown key in a fact", ("  ai_field:\n    type: bool\n", "  ai_field:\n    type: bool\n    colour: red\n"),
     "facts.ai_field.colour"),
    ("a type that does not exist", ("  ai_field:\n    type: bool\n", "  ai_field:\n    type: boolean\n"),
     "facts.ai_field.type"),
    ("a form group that is not listed", ("form: {group: 研发投入}", "form: {group: 研发}"), "form.group"),
    ("a signal that is not a regular expression", ("'市级科技(?:计划)?项目", "'市级科技(?:计划项目"),
     "signals"),
    ("a money fact without a measure", ("    measure: land\n", ""), "measure"),
    ("a topic that is not a support policy", ("    topic: 三.7\n", "    topic: 三.11\n"), "topic"),
]


@pytest.mark.parametrize("what, change, key", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_declaration_names_the_file_and_the_key(tmp_path, what, change, key):
    text = FACTS_FILE.read_text(encoding="utf-8")
    old, new = change
    assert old in text, f"fixture out of date: {old!r}"
    bad = tmp_path / "facts.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FactDeclarationError) as err:
        load_declarations_file(bad)
    assert "facts.yaml" in str(err.value) and key in str(err.value)


def _corpus_copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), corpus)
    return corpus


def _run(corpus: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JXAI_CORPUS_DIR": str(corpus)}
    return subprocess.run([sys.executable, "-m", "jxai_assistant", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.slow
def test_a_declaration_error_stops_start_up_with_the_file_and_key_named(tmp_path):
    corpus = _corpus_copy(tmp_path)
    facts = corpus / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("  ai_field:\n    type: bool\n",
                                                               "  ai_field:\n    type: boolean\n", 1),
                     encoding="utf-8")
    done = _run(corpus, "ask", "算力券单个企业最多补贴多少？")
    assert done.returncode == 2
    assert "facts.yaml" in done.stderr and "facts.ai_field.type" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_adding_a_fact_is_one_declaration(tmp_path):
    # A new yes/no fact with its signal words: the model, the question, the form and the extractor all know it.
    corpus = _corpus_copy(tmp_path)
    facts = corpus / "facts.yaml"
    data = facts.read_text(encoding="utf-8") + """
  listed_company:
    type: bool
    scope: enterprise
    label: 上市公司
    question: 贵企业是否为上市公司？
    form: {group: 企业基本情况}
    negatable: true
    signals:
      - {pattern: '上市公司', value: true}
"""
    facts.write_text(data, encoding="utf-8")
    yaml.safe_load(data)  # still one YAML document
    probe = (
        "from jxai_assistant.calculator.facts import EnterpriseFacts, fact_question\n"
        "from jxai_assistant.dialogue.extraction import extract_facts\n"
        "from jxai_assistant.web.profile import SECTIONS\n"
        "print(EnterpriseFacts(listed_company=True).listed_company, fact_question('listed_company'))\n"
        "print(extract_facts('我们不是上市公司').values.get('listed_company'))\n"
        "print(any('listed_company' in names for _, names, _ in SECTIONS))\n"
    )
    env = {**os.environ, "JXAI_CORPUS_DIR": str(corpus)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["True 贵企业是否为上市公司？", "False", "True"]
