"""After a scripted session of 50 questions (some refused, some rated 👎), ``jxai report`` shows them grouped with
counts, the 👎 and their reasons, demand by clause, latency, and writes a self-contained HTML report with the charts;
with question storage off, no question text is written by the log or the feedback."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.insights.session import DOWNVOTES, PRIVATE, QUESTIONS, REFUSED, run_session


def _run_session(data: Path, store_questions: bool) -> list[dict]:
    from jxai_assistant.assistant import get_assistant
    from jxai_assistant.dialogue.store import store_from_env
    from jxai_assistant.web.feedback import FeedbackStore

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JXAI_DATA_DIR", str(data))
        mp.setenv("JXAI_STORE_QUESTIONS", "1" if store_questions else "0")
        # Conversations in the data directory too, as the server keeps them.
        mp.setattr(get_assistant(), "conversations", store_from_env(data, {}, keep_words=store_questions))
        return run_session(FeedbackStore(data / "feedback.sqlite3"))


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("questions-stored")
    _run_session(data, store_questions=True)
    return data


def jxai_report(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JXAI_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "jxai_assistant", "report", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_report_groups_unanswered_questions_and_ranks_them_by_count(stored):
    result = jxai_report(stored, "--since", "1d")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "回答 50 次" in out
    assert "👍 2 · 👎 4" in out
    groups = re.findall(r"^\s+(\d+)  (\S.*?)  \[", out, flags=re.MULTILINE)
    counts = [int(n) for n, _ in groups]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 4
    # The other places asked about (上海 twice over, in two wordings) are one group, counted with their repeats.
    shanghai = next(int(n) for n, label in groups if "上海" in label)
    assert shanghai >= 4
    assert "联系邮箱 〔邮箱〕 研发补助怎么申请" in out  # stored masked
    assert "zhang.san" not in out


def test_the_report_lists_each_thumbs_down_with_its_reason(stored):
    out = jxai_report(stored, "--since", "1d").stdout
    assert "👎 的原因：" in out
    for index, reason in DOWNVOTES.items():
        label = {"wrong_amount": "金额算得不对", "no_answer": "没有回答我的问题", "wrong_clause": "引用的条款不对"}[reason]
        assert re.search(rf"{label} .*{re.escape(QUESTIONS[index])}", out), QUESTIONS[index]


def test_the_report_shows_demand_by_clause_and_latency(stored):
    out = jxai_report(stored, "--since", "7d").stdout
    assert re.search(r"按条款的需求（被引用次数）：三\.7 \d+", out)
    assert re.search(r"按政策的需求（被测算次数）：三\.7 \d+", out)
    assert re.search(r"耗时中位数 [\d.]+ ms，p95 [\d.]+ ms", out)


def test_the_html_report_is_one_file_with_the_charts_embedded(stored, tmp_path):
    target = tmp_path / "report.html"
    result = jxai_report(stored, "--since", "1d", "--html", str(target), "--csv", str(tmp_path / "log.csv"))
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    images = re.findall(r'<img id="chart-(\w+)" alt="[^"]*" src="data:image/png;base64,([^"]+)"', page)
    assert {name for name, _ in images} == {"demand", "answers"}
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for _, data in images)
    assert not re.search(r"(src|href)=['\"]https?:", page)  # nothing fetched from elsewhere
    assert "<script" not in page  # the file report has no controls
    assert page.count("class='jx-group'") >= 5
    csv_lines = (tmp_path / "log.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + len(QUESTIONS)


def test_a_bad_period_is_one_chinese_line_and_exit_2(stored):
    result = jxai_report(stored, "--since", "last week")
    assert result.returncode == 2
    assert "时间范围应写成 7d、24h、2w 或日期 YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def _fragments(question: str, size: int = 5) -> set[str]:
    """Every run of ``size`` characters of a question: a quote of a few words is question text too."""
    return {question[i:i + size] for i in range(len(question) - size + 1)}


def test_with_question_storage_off_no_question_text_is_written(tmp_path):
    responses = _run_session(tmp_path, store_questions=False)
    assert sum(r["out_of_scope"] for r in responses) >= len(REFUSED)
    fragments = set().union(*map(_fragments, QUESTIONS)) | {"13812345678", "zhang.san"}
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.name.startswith("conversations.sqlite3") for path in files)  # conversations were stored
    holding = {path.name: sorted(f for f in fragments if f.encode() in path.read_bytes()) for path in files}
    # Neither the usage log, the feedback nor the stored conversations (they keep facts, not words).
    assert not {name: found for name, found in holding.items() if found}
    report = jxai_report(tmp_path, "--since", "1d").stdout
    assert "（未保存问题原文）拒答（文件未涉及）" in report
    assert not any(q in report for q in PRIVATE + REFUSED)
