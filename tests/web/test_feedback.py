"""Feedback storage: ratings, reasons and clause ids by default; question text only when the operator allows it."""

from __future__ import annotations

import pytest

from jxai_assistant.web.feedback import REASONS, FeedbackStore


def record(store: FeedbackStore, **overrides):
    values = dict(conversation_id="web-1", turn=0, rating="down", reason="wrong_amount", intent="calculate",
                  clause_ids=["三.7", "五.1"], award_yuan=600000, question="我们智算支出120万元，能拿多少？")
    values.update(overrides)
    return store.record(**values)


def test_by_default_no_question_text_is_stored(tmp_path, monkeypatch):
    monkeypatch.delenv("JXAI_STORE_QUESTIONS", raising=False)
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    record(store)
    (row,) = store.all()
    assert row.question is None
    assert (row.rating, row.reason, row.clause_ids, row.award_yuan) == ("down", "wrong_amount", ["三.7", "五.1"], 600000)


def test_question_text_is_stored_when_the_operator_sets_jxai_store_questions(tmp_path, monkeypatch):
    monkeypatch.setenv("JXAI_STORE_QUESTIONS", "1")
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    record(store)
    assert store.all()[0].question == "我们智算支出120万元，能拿多少？"


def test_a_thumbs_up_carries_no_reason(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    record(store, rating="up", reason="wrong_clause")
    assert store.all()[0].reason is None


@pytest.mark.parametrize("field, value", [("rating", "meh"), ("reason", "too_slow")])
def test_unknown_ratings_and_reasons_are_refused(tmp_path, field, value):
    with pytest.raises(ValueError):
        record(FeedbackStore(tmp_path / "feedback.sqlite3"), **{field: value})


def test_the_three_reasons_the_ui_offers():
    assert set(REASONS) == {"wrong_clause", "wrong_amount", "no_answer"}


def test_the_store_is_created_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JXAI_DATA_DIR", str(tmp_path / "data"))
    store = FeedbackStore()
    record(store)
    assert (tmp_path / "data" / "feedback.sqlite3").exists()
