"""The web load test, smaller (10 sessions × 3 turns, then a burst of twice the queue size) against the real app
started by the script on a free loopback port: 0 errors, latency reported, only clean "queue full" refusals."""

from __future__ import annotations

import json

import pytest

from .test_security import load_script

pytestmark = pytest.mark.slow


def test_ten_sessions_and_a_burst_over_the_queue_size_pass_without_errors(tmp_path, capsys):
    loadtest = load_script("loadtest")
    from jxai_assistant.web.app import QUEUE_MAX

    report_path = tmp_path / "report.json"
    code = loadtest.main(["--sessions", "10", "--turns", "3", "--max-seconds", "300", "--json", str(report_path)])
    printed = capsys.readouterr().out
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert code == 0, printed
    sessions, burst = report["phases"]
    assert (sessions["requests"], sessions["ok"], sessions["errors"]) == (30, 30, 0)
    assert sessions["p50_ms"] is not None and sessions["p95_ms"] >= sessions["p50_ms"]
    assert burst["requests"] == 2 * QUEUE_MAX and burst["errors"] == 0
    assert burst["busy"] > 0 and burst["ok"] + burst["busy"] == burst["requests"]
    assert report["server_problems"] == []
    assert "p95" in printed


def test_the_script_refuses_a_target_that_is_not_this_machine():
    loadtest = load_script("loadtest")
    with pytest.raises(SystemExit) as info:
        loadtest.parse_args(["--url", "http://192.0.2.10:7860"])
    assert info.value.code == 2
    assert loadtest.is_loopback_url("http://127.0.0.1:7860") and loadtest.is_loopback_url("http://[::1]:7860")
