"""The batch door ``jxai ask --jsonl``: one output line per input line, in order; no line can end the batch or cost
another line; the exit code says whether every line was answered."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import orjson
import pytest

from jxai_assistant.assistant import Assistant
from jxai_assistant.cli.batch import BatchLimits, run_batch

JXAI = [sys.executable, "-m", "jxai_assistant"]
GOOD = {"id": "good", "turns": ["算力券单个企业最多补贴多少？"]}


def _line(item: object) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def assistant():
    return Assistant()


def _run(assistant, data: bytes, **kw):
    out = io.BytesIO()
    summary = run_batch(io.BytesIO(data), out, assistant, **kw)
    return [orjson.loads(line) for line in out.getvalue().splitlines()], summary


def test_the_issue_batch_prints_five_lines_three_answers_two_errors_and_exits_1():
    lines = [_line({"id": "a", "turns": ["算力券单个企业最多补贴多少？"]}),
             '{"id": "\\ud800", "turns": ["支持政策第七条"]}'.encode(),
             _line({"id": 3, "turns": ["我们智算支出120万元，能拿多少？"]}),
             b'{"id": "deep", "turns": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
             _line({"id": "e", "turns": ["市数据局牵头哪些任务"]})]
    result = subprocess.run(JXAI + ["ask", "--jsonl"], input=b"\n".join(lines) + b"\n",
                            capture_output=True, timeout=300)
    assert result.returncode == 1
    rows = [orjson.loads(line) for line in result.stdout.splitlines()]  # orjson: a strict parser
    assert [(r["id"], r["line"], "response" in r) for r in rows] == [
        ("a", 1, True), (None, 2, False), (3, 3, True), (None, 4, False), ("e", 5, True)]
    assert rows[1]["error"]["code"] == "invalid_id" and rows[3]["error"]["code"] == "too_deep"
    assert rows[2]["response"]["award_yuan"] == 600000
    stderr = result.stderr.decode()
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "已回答 3 行，失败 2 行（invalid_id 1、too_deep 1）" in stderr


def test_a_batch_where_every_line_is_answered_exits_0_and_says_so_on_stderr(jxai):
    result = jxai("ask", "--jsonl", input="\n".join(json.dumps({"id": i, "turns": ["支持政策第七条"]}) for i in range(3)))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [0, 1, 2]
    assert "共 3 行，已回答 3 行，失败 0 行" in result.stderr


def test_fail_fast_stops_at_the_first_bad_line_with_its_error_printed(jxai):
    batch = "\n".join([json.dumps(GOOD), "not json", json.dumps(GOOD)]) + "\n"
    result = jxai("ask", "--jsonl", "--fail-fast", input=batch)
    assert result.returncode == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert ["response" in r for r in rows] == [True, False]
    assert "在第 2 行停止" in result.stderr


def test_a_reader_that_goes_away_ends_the_batch_quietly():
    proc = subprocess.Popen(JXAI + ["ask", "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write((json.dumps(GOOD) + "\n").encode() * 200)
    proc.stdin.close()
    assert json.loads(proc.stdout.readline())["id"] == "good"
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=300) == 1
    assert b"Traceback" not in proc.stderr.read()


def test_a_question_together_with_jsonl_is_a_usage_error(jxai):
    result = jxai("ask", "问题", "--jsonl", input="")
    assert result.returncode == 2 and "不要同时给出问题" in result.stderr


# Each hostile line sits between two good lines: it gets its own error line, and both neighbours are answered.
HOSTILE = {
    "not JSON": (b"not json", "invalid_json", None),
    "NaN id": (b'{"id": NaN, "turns": ["q"]}', "invalid_json", None),
    "duplicate key": (b'{"id": 1, "id": 2, "turns": ["q"]}', "invalid_json", None),
    "nested 100,000 deep": (b'{"id": 1, "turns": ' + b"[" * 100_000 + b"}", "too_deep", None),
    "333,000 objects in a megabyte": (b'{"id": 1, "turns": [' + b"{}," * 333_000 + b"{}]}", "too_many_items", None),
    "blank line": (b"   ", "empty_line", None),
    "array": (b"[1, 2]", "not_an_object", None),
    "not UTF-8": (b'{"id": "\xff\xfe", "turns": ["q"]}', "invalid_utf8", None),
    "over 1,000,000 bytes": (_line({"id": "big", "turns": ["算" * 400_000]}), "line_too_long", None),
    "lone surrogate id": (b'{"id": "\\ud800", "turns": ["q"]}', "invalid_id", None),
    "id 1e400": (b'{"id": 1e400, "turns": ["q"]}', "invalid_id", None),
    "id Infinity": (b'{"id": Infinity, "turns": ["q"]}', "invalid_json", None),
    "id 1.5": (b'{"id": 1.5, "turns": ["q"]}', "invalid_id", None),
    "id true": (b'{"id": true, "turns": ["q"]}', "invalid_id", None),
    "id 2**53": (_line({"id": 2**53, "turns": ["q"]}), "invalid_id", None),
    "id object": (b'{"id": {"a": 1}, "turns": ["q"]}', "invalid_id", None),
    "no turns": (b'{"id": "k1"}', "invalid_turns", "k1"),
    "turns a string": (b'{"id": "k2", "turns": "q"}', "invalid_turns", "k2"),
    "empty turns": (b'{"id": "k3", "turns": []}', "invalid_turns", "k3"),
    "a number as a turn": (b'{"id": "k4", "turns": ["q", 5]}', "invalid_turns", "k4"),
    "a blank turn": (b'{"id": "k5", "turns": ["  "]}', "invalid_turns", "k5"),
    "a lone surrogate turn": (b'{"id": "k6", "turns": ["\\udfff"]}', "invalid_turns", "k6"),
    "20,000 turns": (_line({"id": "k7", "turns": ["支持政策第七条"] * 20_000}), "too_many_turns", "k7"),
    "a 2,001-character turn": (_line({"id": -8, "turns": ["算" * 2001]}), "turn_too_long", -8),
}


@pytest.mark.parametrize("line, code, given_id", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_line_gets_one_error_line_and_costs_no_other_line(assistant, line, code, given_id):
    rows, summary = _run(assistant, b"\n".join([_line(GOOD), line, _line(GOOD)]) + b"\n")
    assert ["response" in r for r in rows] == [True, False, True]
    assert rows[1] == {"id": given_id, "line": 2, "error": {"code": code, "message": rows[1]["error"]["message"]}}
    assert any("\u4e00" <= c <= "\u9fff" for c in rows[1]["error"]["message"])
    assert (summary.answered, dict(summary.failures), summary.ok) == (2, {code: 1}, False)


def test_ids_come_back_as_given_with_the_line_number_and_a_missing_id_is_null(assistant):
    batch = [{"id": "甲-1", "turns": ["支持政策第七条"]}, {"id": 2**53 - 1, "turns": ["支持政策第七条"]},
             {"turns": ["支持政策第七条"]}, {"id": None, "turns": ["支持政策第七条"]}]
    rows, summary = _run(assistant, b"\n".join(map(_line, batch)))
    assert [(r["id"], r["line"]) for r in rows] == [("甲-1", 1), (2**53 - 1, 2), (None, 3), (None, 4)]
    assert summary.ok and summary.duplicates == 0  # null ids are not duplicates of each other


def test_a_bom_and_crlf_line_endings_cost_nothing(assistant):
    rows, summary = _run(assistant, b"\xef\xbb\xbf" + _line(GOOD) + b"\r\n" + _line(GOOD) + b"\r\n")
    assert summary.ok and [r["line"] for r in rows] == [1, 2]


def test_duplicate_ids_are_answered_and_the_repeat_is_flagged_with_the_first_line(assistant):
    rows, summary = _run(assistant, b"\n".join([_line(GOOD), _line({"id": "other", "turns": ["q?"]}), _line(GOOD)]))
    assert all("response" in r for r in rows) and summary.ok
    assert "warnings" not in rows[0]
    assert rows[2]["warnings"][0]["code"] == "duplicate_id" and "第 1 行" in rows[2]["warnings"][0]["message"]
    assert summary.duplicates == 1 and "重复编号 1 行" in summary.text()
    # the integer 1 and the string "1" are different ids
    rows, summary = _run(assistant, _line({"id": 1, "turns": ["q?"]}) + b"\n" + _line({"id": "1", "turns": ["q?"]}))
    assert summary.duplicates == 0


def test_turns_of_one_line_share_a_conversation_and_lines_do_not(assistant):
    batch = [{"id": "a", "turns": ["我们智算支出120万元，能拿多少？", "那如果支出是300万呢？"]},
             {"id": "b", "turns": ["那如果支出是300万呢？"]}]
    rows, _ = _run(assistant, b"\n".join(map(_line, batch)))
    assert rows[0]["response"]["award_yuan"] == 1000000
    assert rows[1]["response"]["award_yuan"] is None


def test_each_answer_is_written_before_the_next_line_is_read(assistant):
    out = io.BytesIO()

    answers_out_at_read: list[int] = []

    class Source(io.BytesIO):
        def readline(self, size=-1):
            answers_out_at_read.append(out.getvalue().count(b"\n"))
            return super().readline(size)

    run_batch(Source(_line(GOOD) + b"\n" + _line(GOOD) + b"\n"), out, assistant)
    assert answers_out_at_read[:2] == [0, 1]  # line 1's answer was out before line 2 was read


def test_a_failing_assistant_costs_only_that_line(assistant):
    class Flaky:
        def ask(self, question, conversation_id=None):
            if question == "boom":
                raise RuntimeError("a bug")
            return assistant.ask(question, conversation_id)

        def reset(self, conversation_id):
            assistant.reset(conversation_id)

    rows, summary = _run(Flaky(), b"\n".join([_line(GOOD), _line({"id": "x", "turns": ["boom"]}), _line(GOOD)]))
    assert ["response" in r for r in rows] == [True, False, True]
    assert rows[1]["id"] == "x" and rows[1]["error"]["code"] == "internal_error"
    assert not summary.ok


def test_fail_fast_reads_no_further_than_the_first_bad_line(assistant):
    rows, summary = _run(assistant, b"\n".join([_line(GOOD), b"{", _line(GOOD), b"]"]), fail_fast=True)
    assert len(rows) == 2 and summary.stopped_at == 2 and summary.lines == 2
    assert "--fail-fast：在第 2 行停止" in summary.text()


def test_the_limits_are_settable_and_the_defaults_follow_the_assistant(assistant):
    from jxai_assistant.assistant import MAX_QUESTION_CHARS

    assert BatchLimits().turn_chars == MAX_QUESTION_CHARS
    limits = BatchLimits(turns=2, turn_chars=5, line_bytes=100, depth=2, items=8)
    batch = [_line({"id": 1, "turns": ["a", "b", "c"]}), _line({"id": 2, "turns": ["六个字的问题"]}), b"x" * 101,
             _line({"id": 3, "turns": [["q"]]}), _line({"id": 4, "turns": ["a"], "x": ["b", "c", "d", "e"]})]
    rows, _ = _run(assistant, b"\n".join(batch), limits=limits)
    assert [r["error"]["code"] for r in rows] == ["too_many_turns", "turn_too_long", "line_too_long", "too_deep",
                                                  "too_many_items"]
