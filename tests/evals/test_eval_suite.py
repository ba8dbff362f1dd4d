"""The gold eval suite gates CI: ``jxai eval`` over every case passes its thresholds, and breaking the product fails it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jxai_assistant.evals import evals_dir

CASES = evals_dir() / "cases"
THRESHOLDS = evals_dir() / "thresholds.yaml"


def run_jxai(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real entry point in a fresh process (``python -m jxai_assistant``), with extra environment variables."""
    return subprocess.run([sys.executable, "-m", "jxai_assistant", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=900)


def gate(payload: dict, metric: str) -> dict:
    """The threshold result for one metric in ``jxai eval --json`` output."""
    return next(g for g in payload["thresholds"] if g["metric"] == metric)


def subset(tmp_path: Path, name: str, keep) -> Path:
    """Write the gold cases for which ``keep(case)`` holds into one file (cases are copied, never edited)."""
    rows = [line for path in sorted(CASES.glob("*.jsonl")) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and keep(json.loads(line))]
    assert rows, f"no gold case selected for {name}"
    out = tmp_path / f"{name}.jsonl"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


@pytest.mark.slow
def test_the_whole_suite_passes_its_thresholds_through_the_real_entry_point(tmp_path):
    report = tmp_path / "report.md"
    result = run_jxai("eval", "--report", str(report))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "cases passed" in result.stdout
    assert report.with_suffix(".png").is_file()


def _compute_voucher_case(case: dict) -> bool:
    # Single-turn 三.7 calculations with an expected amount: spend × 50% below the 100万 cap, or capped.
    expect = case["expect"]
    return case["id"].startswith("ca-") and "三.7" in (expect.get("cite_any") or []) and bool(expect.get("amount_yuan"))


@pytest.mark.slow
def test_swapping_the_two_compute_voucher_caps_in_the_rule_data_fails_the_money_gate(tmp_path):
    cases = subset(tmp_path, "compute_voucher", _compute_voucher_case)
    corpus = shutil.copytree(Path(__file__).resolve().parents[2] / "corpus", tmp_path / "corpus")
    rule_path = corpus / "rules" / "三.7.yaml"
    rule = yaml.safe_load(rule_path.read_text(encoding="utf-8"))
    (item,) = rule["items"]
    # A plausible data-entry slip that the rule loader's own checks accept: both values still stand in their
    # verbatim phrases, but every enterprise now gets the large-model cap (200万) and vice versa.
    item["cap"], item["cap_model"] = item["cap_model"], item["cap"]
    rule_path.write_text(yaml.safe_dump(rule, allow_unicode=True, sort_keys=False), encoding="utf-8")

    intact = run_jxai("eval", str(cases), "--json", "--thresholds", str(THRESHOLDS))
    broken = run_jxai("eval", str(cases), "--json", "--thresholds", str(THRESHOLDS),
                      env={"JXAI_CORPUS_DIR": str(corpus)})

    assert gate(json.loads(intact.stdout), "amount_exact")["status"] == "pass", intact.stderr
    assert broken.returncode == 1, broken.stderr
    payload = json.loads(broken.stdout)
    assert gate(payload, "amount_exact")["status"] == "miss"
    assert "amount_exact" in broken.stderr
    assert any(r.startswith("amount_yuan: expected 1000000, got 1500000") for f in payload["failures"]
               for r in f["reasons"])


@pytest.mark.slow
def test_an_off_by_one_reference_resolver_fails_the_retrieval_gate(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import jxai_assistant.references as references
    from jxai_assistant.cli import app

    cases = subset(tmp_path, "hotline", lambda case: case["id"].startswith("hl-"))
    real_to_int = references._to_int
    # "三.7" now resolves to 三.8, "第二部分第十条" to 二.11 …
    monkeypatch.setattr(references, "_to_int", lambda token: (n + 1) if (n := real_to_int(token)) else n)

    result = CliRunner().invoke(app, ["eval", str(cases), "--json", "--thresholds", str(THRESHOLDS)])

    assert result.exit_code == 1, result.output[-2000:]
    payload = json.loads(result.stdout)
    assert gate(payload, "recall_at_1")["status"] == "miss"
    assert payload["overall"]["metrics"]["recall_at_1"] < 0.5
