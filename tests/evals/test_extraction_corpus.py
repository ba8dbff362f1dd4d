"""The extraction corpus (evals/extraction/corpus.yaml) read as the assistant reads it: floors per fact and class."""

from __future__ import annotations

import pytest

from jxai_assistant.calculator.facts import FACT_NAMES
from jxai_assistant.evals import evals_dir
from jxai_assistant.evals.extraction import load_corpus, score_corpus

CORPUS = load_corpus(evals_dir() / "extraction" / "corpus.yaml")


def test_the_corpus_is_large_annotated_and_covers_every_class():
    assert len(CORPUS) >= 600
    classes = {}
    for entry in CORPUS:
        assert set(entry) <= {"name", "classes", "text", "expect", "quantities"}, entry.get("name")
        assert set(entry.get("expect") or {}) <= set(FACT_NAMES), entry["name"]
        for cls in entry["classes"]:
            classes[cls] = classes.get(cls, 0) + 1
    assert all(n >= 40 for n in classes.values()), classes


@pytest.fixture(scope="module")
def score():
    return score_corpus(CORPUS).to_dict()


def test_precision_and_recall_stay_where_the_extractor_stands(score):
    # Measured (jxai eval --extraction): see the README's Understanding section; floors just below.
    assert score["precision"] >= 0.92
    assert score["recall"] >= 0.84
    assert score["exact"] >= 0.70


def test_messages_that_state_no_facts_yield_none(score):
    # A wrong fact is worse than a missing one: questions about the policy must not become the enterprise's facts.
    assert score["per_class"]["none"] >= 0.9
