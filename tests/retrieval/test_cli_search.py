"""``jxai search`` and ``jxai index`` through the installed console script (BM25-only for speed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def jxai(tmp_path_factory):
    """Run ``python -m jxai_assistant`` with the dense path off and a private cache (own env: nothing leaks)."""
    env = dict(os.environ, JXAI_EMBED_MODEL="none", JXAI_CACHE_DIR=str(tmp_path_factory.mktemp("cli-cache")))

    def run(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "jxai_assistant", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)

    return run


def test_search_json_lists_ranked_clauses(jxai):
    result = jxai("search", "首台套奖励多少", "-k", "2", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [h["clause_id"] for h in hits][:1] == ["三.6"]
    assert set(hits[0]) == {"clause_id", "title", "path", "score", "lead_unit", "matched_terms"}
    assert hits[0]["lead_unit"] == "市经信局" and "首台套" in hits[0]["matched_terms"]


def test_search_text_highlights_matched_terms(jxai):
    result = jxai("search", "用超算有补贴吗", "-k", "1")
    assert result.returncode == 0, result.stderr
    assert "〔三.7〕" in result.stdout and "【超算】" in result.stdout and "牵头单位：市经信局" in result.stdout


def test_blank_search_is_a_usage_error_in_chinese(jxai):
    result = jxai("search", "   ")
    assert result.returncode == 2
    assert "请输入" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_index_reports_where_and_what_is_cached(jxai):
    first = jxai("index", "--json")
    assert first.returncode == 0, first.stderr
    info = json.loads(first.stdout)
    assert info["clauses"] == 32 and info["directory"] and "build_seconds" in info
    again = json.loads(jxai("index", "--json").stdout)
    assert again["cache_status"] == "hit" and again["directory"] == info["directory"]
    rebuilt = json.loads(jxai("index", "--rebuild", "--json").stdout)
    assert rebuilt["cache_status"] == "rebuilt"
