"""The usage log: one row per answer, question text only when allowed and then masked, ratings attached to their
answer, rows deleted after the retention period, confidence as documented."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from jxai_assistant.insights.log import UsageLog, confidence, retention_days, to_csv

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
CITED = {"answer": "算力券……〔三.7〕", "intent": "lookup", "citations": [{"clause_id": "三.7"}], "calculations": [],
         "out_of_scope": False, "answer_id": "c1.1"}
COMPUTED = {"answer": "可获60万元", "intent": "calculate", "citations": [{"clause_id": "三.7"}, {"clause_id": "五.1"}],
            "calculations": [{"policy_id": "三.7"}], "award_yuan": 600000, "out_of_scope": False, "answer_id": "c2.1"}
REFUSED = {"answer": "抱歉，……没有涉及", "intent": "out_of_scope", "citations": [], "calculations": [],
           "out_of_scope": True, "answer_id": "c3.1"}
SILENT = {"answer": "文件没有规定申报截止时间。与此最相关的是〔三.7〕", "intent": "lookup",
          "citations": [{"clause_id": "三.7"}], "calculations": [], "out_of_scope": False}
NOWHERE = {"answer": "请输入您的问题。", "intent": "clarify", "citations": [], "calculations": [], "out_of_scope": False}


def test_confidence_classes_follow_the_contract_fields():
    assert [confidence(r) for r in (CITED, COMPUTED, REFUSED, SILENT, NOWHERE)] == ["ok", "ok", "refused", "silent",
                                                                                    "low"]


def test_a_row_holds_what_was_answered_but_no_question_by_default(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3", keep_questions=False)
    log.record(COMPUTED, latency_ms=12.345, question="我们智算支出120万元，能拿多少？", channel="rest", now=NOW)
    [entry] = log.entries()
    assert (entry.intent, entry.clause_ids, entry.policy_ids, entry.award_yuan) == ("calculate", ["三.7", "五.1"],
                                                                                    ["三.7"], 600000)
    assert (entry.confidence, entry.out_of_scope, entry.latency_ms, entry.channel) == ("ok", False, 12.35, "rest")
    assert entry.question is None
    assert "智算支出".encode() not in (tmp_path / "usage.sqlite3").read_bytes()


def test_with_storing_on_the_question_is_kept_masked(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3", keep_questions=True)
    log.record(REFUSED, latency_ms=3, question="我手机13812345678，上海有补贴吗", now=NOW)
    assert log.entries()[0].question == "我手机〔手机号〕，上海有补贴吗"
    assert b"13812345678" not in (tmp_path / "usage.sqlite3").read_bytes()


def test_a_rating_lands_on_its_own_answer_only(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3")
    log.record(CITED, latency_ms=1, now=NOW)
    log.record(REFUSED, latency_ms=1, now=NOW)
    assert log.rate("c3.1", "down", "no_answer")
    assert not log.rate("unknown.9", "down", "no_answer")
    assert [(e.rating, e.reason) for e in log.entries()] == [(None, None), ("down", "no_answer")]
    # The conversation id is not stored: the row links to the rating by a hash only.
    assert b"c3.1" not in (tmp_path / "usage.sqlite3").read_bytes()


def test_rows_older_than_the_retention_period_are_deleted(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3", retention=90)
    log.record(CITED, latency_ms=1, now=NOW - timedelta(days=91))
    log.record(REFUSED, latency_ms=1, now=NOW - timedelta(days=89))
    assert log.purge(NOW) == 1
    assert [e.confidence for e in log.entries()] == ["refused"]


def test_writing_purges_expired_rows_without_being_asked(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3", retention=1)
    log.record(CITED, latency_ms=1, now=NOW - timedelta(days=5))
    fresh = UsageLog(tmp_path / "usage.sqlite3", retention=1)  # a new process: its first write purges
    fresh.record(REFUSED, latency_ms=1, now=NOW)
    assert [e.confidence for e in fresh.entries()] == ["refused"]


def test_entries_since_a_time(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3")
    log.record(CITED, latency_ms=1, now=NOW - timedelta(days=10))
    log.record(REFUSED, latency_ms=1, now=NOW - timedelta(days=1))
    assert [e.confidence for e in log.entries(NOW - timedelta(days=7))] == ["refused"]


@pytest.mark.parametrize("raw, days", [("", 90), ("30", 30), (" 7 ", 7)])
def test_retention_is_configured_in_days(raw, days):
    assert retention_days({"JXAI_LOG_RETENTION_DAYS": raw}) == days


@pytest.mark.parametrize("raw", ["0", "-1", "ninety", "1.5"])
def test_a_retention_that_is_not_a_positive_number_of_days_is_refused_in_chinese(raw):
    with pytest.raises(ValueError, match="JXAI_LOG_RETENTION_DAYS 应为正整数"):
        retention_days({"JXAI_LOG_RETENTION_DAYS": raw})


def test_csv_has_one_line_per_answer_and_no_answer_key(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3", keep_questions=True)
    log.record(COMPUTED, latency_ms=2, question="智算120万，能拿多少", now=NOW)
    lines = to_csv(log.entries()).splitlines()
    assert lines[0].startswith("created_at,channel,intent,confidence")
    assert lines[1] == "2026-03-01T12:00:00+00:00,api,calculate,ok,0,三.7 五.1,三.7,600000,2.0,,,智算120万，能拿多少"
    assert "answer_key" not in lines[0]
