"""Case loading, the runner (with a small scripted assistant), thresholds and the report — without the real assistant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jxai_assistant.evals import (CaseFileError, ThresholdError, check_thresholds, load_cases, load_thresholds,
                                  run_cases, summarize)
from jxai_assistant.evals.report import format_table, write_report

QUOTE_7 = "按照智算、超算实际使用金额的50%给予算力补贴"


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    """Write rows (dicts as JSON, strings verbatim) one a line."""
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


class ScriptedAssistant:
    """Answers from a script keyed by question; remembers which conversation asked what (to check state sharing)."""

    def __init__(self, script: dict[str, dict]):
        self.script = script
        self.asked: list[tuple[str, str]] = []
        self.reset_ids: list[str] = []

    def ask(self, question: str, conversation_id: str | None = None) -> dict:
        """Return the scripted contract dict; an unknown question raises like a broken product would."""
        self.asked.append((question, conversation_id))
        return self.script[question]

    def reset(self, conversation_id: str) -> None:
        """Record that the runner forgot the conversation."""
        self.reset_ids.append(conversation_id)


class FixedRetriever:
    """Ranks every query the same way."""

    class Hit:
        def __init__(self, clause_id: str):
            self.clause_id = clause_id

    def __init__(self, ids: list[str]):
        self.ids = ids

    def search(self, query: str, k: int = 5):
        """Return the fixed ranking, cut at k."""
        return [self.Hit(cid) for cid in self.ids[:k]]


ANSWER_7 = {"answer": "可获算力补贴60万元〔三.7〕。", "intent": "calculate", "award_yuan": 600000, "eligible": True,
            "out_of_scope": False,
            "citations": [{"clause_id": "三.7", "title": "支持算力应用", "quote": QUOTE_7}],
            "calculations": [{"policy_id": "三.7", "eligible": True, "amount_yuan": 600000, "cap_yuan": 1000000,
                              "steps": [{"text": "120万元 × 50% = 60万元", "clause_id": "三.7"}]}]}
CLARIFY = {"answer": "请问实际使用金额是多少？", "intent": "clarify", "award_yuan": None, "eligible": None,
           "out_of_scope": False, "citations": [], "calculations": []}
SCRIPT = {"算力补贴怎么算？": CLARIFY, "用了120万": ANSWER_7, "算力券能拿多少？": ANSWER_7}


@pytest.fixture
def case_file(tmp_path):
    return write_jsonl(tmp_path / "calc.jsonl", [
        {"id": "mt-1", "turns": ["算力补贴怎么算？", "用了120万"],
         "expect": {"cite_any": ["三.7"], "amount_yuan": 600000, "intent": "calculate"}},
        {"id": "c-2", "turns": ["算力券能拿多少？"], "expect": {"amount_yuan": 1000000}},
        {"id": "c-3", "turns": ["没有剧本的问题"], "expect": {"out_of_scope": True}},
    ])


def test_turns_share_one_fresh_conversation_and_the_final_turn_is_scored(case_file):
    assistant = ScriptedAssistant(SCRIPT)
    results = run_cases(load_cases([case_file]), assistant, retriever=FixedRetriever(["二.10", "三.7"]))
    (q1, cid1), (q2, cid2), (q3, cid3) = assistant.asked[:3]
    assert (q1, q2) == ("算力补贴怎么算？", "用了120万") and cid1 == cid2
    assert cid3 != cid1 and len(set(assistant.reset_ids)) == 3
    first, second, third = results
    assert first.passed and len(first.latencies_ms) == 2 and first.retriever_rank == 2
    assert second.reasons == ["amount_yuan: expected 1000000, got 600000"]
    assert not third.passed and third.reasons[0].startswith("error: KeyError")


def test_summary_lists_every_failing_case_with_reasons_and_per_file_metrics(case_file):
    summary = summarize(run_cases(load_cases([case_file]), ScriptedAssistant(SCRIPT)))
    assert [f["id"] for f in summary["failures"]] == ["c-2", "c-3"]
    assert summary["overall"]["metrics"]["amount_exact"] == 0.5
    assert summary["per_file"]["calc"]["cases"] == 3
    table = format_table(summary, [])
    assert "✗ c-2 [calc]" in table and "amount_yuan: expected 1000000, got 600000" in table


BAD_FILES = {
    "unknown key (typo)": ({"id": "x", "turns": ["q"], "expect": {"cite_anyy": ["三.7"]}}, "cite_anyy"),
    "unknown clause id": ({"id": "x", "turns": ["q"], "expect": {"cite_any": ["三.11"]}}, "三.11"),
    "no turns": ({"id": "x", "turns": [], "expect": {}}, "turns"),
    "not JSON": ("{'id': 'x'}", "不是合法的 JSON"),
    "not an object": ("[1, 2]", "JSON 对象"),
    "a field of the wrong type": ({"id": "x", "turns": ["q"], "expect": {"amount_yuan": "很多"}}, "expect.amount_yuan"),
    "nested 100,000 deep": ('{"id": "x", "turns": ' + "[" * 100_000 + "]" * 100_000 + "}", "嵌套超过"),
    "NaN": ('{"id": "x", "turns": ["q"], "expect": {"amount_yuan": NaN}}', "NaN"),
    "a duplicate key": ('{"id": "x", "id": "y", "turns": ["q"]}', "不止一次"),
    "a lone surrogate": ('{"id": "x", "turns": ["\\ud800"]}', r"turns\[0\]"),
    "a line over 1,000,000 bytes": ({"id": "x", "turns": ["q" * 1_000_001]}, "超过了每行"),
}


@pytest.mark.parametrize("row,message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_invalid_case_files_are_rejected_with_file_and_line(tmp_path, row, message):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "ok", "turns": ["q"]}, row])
    with pytest.raises(CaseFileError, match=message) as err:
        load_cases([path])
    assert f"{path}:2" in str(err.value)


def test_bytes_that_are_not_utf8_name_their_line_and_a_bom_is_accepted(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "turns": ["q"]}\n\n{"id": "b", "turns": ["\xff"]}\n')
    with pytest.raises(CaseFileError, match=f"{path}:3：.*UTF-8"):
        load_cases([path])
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "turns": ["q"]}\n')
    assert [c.id for c in load_cases([path])] == ["a"]


def test_jxai_eval_names_the_file_and_line_of_a_hostile_case_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from jxai_assistant.cli import app

    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "ok", "turns": ["q"]}, "[" * 100_000])
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2：嵌套超过" in result.stderr and "Traceback" not in result.output


def test_duplicate_ids_across_files_and_missing_paths_are_rejected(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "turns": ["q"]}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "turns": ["q"]}])
    with pytest.raises(CaseFileError, match="重复"):
        load_cases([a, b])
    with pytest.raises(CaseFileError, match="不存在"):
        load_cases([tmp_path / "nope.jsonl"])


def test_a_directory_means_its_jsonl_files_and_single_strings_in_contains_are_one_group(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "turns": ["q"], "expect": {"contains": ["60万", ["a", "b"]]}}])
    (case,) = load_cases([tmp_path])
    assert case.expect.contains == [["60万"], ["a", "b"]] and case.file == "a"


def test_thresholds_pass_miss_and_skip(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("min:\n  amount_exact: 1.0\n  refusal_recall: 0.9\n  injection_pass: 1.0\nmax:\n"
                    "  latency_p95_ms: 50\n", encoding="utf-8")
    metrics = {"amount_exact": 1.0, "refusal_recall": 0.85, "injection_pass": None, "latency_p95_ms": 12.0}
    gates = check_thresholds(metrics, load_thresholds(path))
    assert [(g.metric, g.status) for g in gates] == [("amount_exact", "pass"), ("refusal_recall", "miss"),
                                                     ("injection_pass", "skip"), ("latency_p95_ms", "pass")]


@pytest.mark.parametrize("text,message", [("min:\n  amount_exactt: 1.0\n", "未知"),
                                          ("min:\n  latency_p95_ms: 50\n", "max"),
                                          ("min:\n  amount_exact: high\n", "数字"),
                                          ("floor:\n  amount_exact: 1.0\n", "min 和 max")])
def test_malformed_thresholds_are_rejected(tmp_path, text, message):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThresholdError, match=message):
        load_thresholds(path)


def test_the_repository_thresholds_hold_the_floors_the_issue_fixes():
    from jxai_assistant.evals import evals_dir

    limits = load_thresholds(evals_dir() / "thresholds.yaml")
    floors = limits["min"]
    assert floors["amount_exact"] == floors["quote_verbatim"] == floors["injection_pass"] == 1.0
    # Issue 14: a calculation answer's median length is gated (target ≤ 350 characters; until then, no longer).
    assert "answer_p50_chars_calculate" in limits["max"]


def test_report_writes_markdown_with_the_table_and_a_png_chart_next_to_it(case_file, tmp_path):
    summary = summarize(run_cases(load_cases([case_file]), ScriptedAssistant(SCRIPT)))
    gates = check_thresholds(summary["overall"]["metrics"], {"min": {"amount_exact": 1.0}, "max": {}})
    chart = write_report(summary, gates, tmp_path / "out" / "report.md")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert chart == tmp_path / "out" / "report.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| amount exact-match | 0.500 | 2 | 0.500 |" in markdown
    assert "![metrics per case file](report.png)" in markdown
    assert "MISS amount exact-match = 0.500 (threshold >= 1)" in markdown
    assert "**c-3**" in markdown
    assert "## Answer length by intent" in markdown and "| intent | answers | median (chars) | p95 (chars) |" in markdown
