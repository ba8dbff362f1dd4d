"""``jxai calc`` / ``jxai match`` / ``jxai facts`` through the real Typer app (the issue's acceptance cases)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jxai_assistant.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


def test_calc_compute_voucher_120_wan_gives_600000_citing_3_7():
    result = _run("calc", "三.7", "--fact", "compute_spend_yuan=120万", "--as-of", "2026-06-30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["amount_yuan"] == 600000 and data["eligible"] is True
    assert "三.7" in {s["clause_id"] for s in data["steps"]}
    assert any("120万元 × 50% = 60万元" in s["text"] for s in data["steps"])


def test_calc_compute_voucher_300_wan_is_capped_at_1000000():
    result = _run("calc", "3.7", "--fact", "compute_spend_yuan=300万", "--as-of", "2026-06-30", "--json")
    data = json.loads(result.stdout)
    assert (data["amount_yuan"], data["cap_yuan"]) == (1000000, 1000000)


def test_calc_compute_voucher_with_a_jiaxing_model_has_cap_2000000():
    result = _run("calc", "支持政策第七条", "-f", "compute_spend_yuan=300万", "-f", "jiaxing_model=true",
                  "--as-of", "2026-06-30", "--json")
    data = json.loads(result.stdout)
    assert (data["amount_yuan"], data["cap_yuan"]) == (1500000, 2000000)


def test_calc_human_output_is_chinese_with_steps_and_citations():
    result = _run("calc", "三.7", "--fact", "compute_spend_yuan=120万", "--as-of", "2026-06-30")
    assert result.exit_code == 0
    assert "结论：符合条件，测算金额60万元（上限100万元）" in result.stdout
    assert "〔三.7〕" in result.stdout and "〔五.1〕" in result.stdout


def test_calc_multi_item_policy_prints_a_combined_total():
    result = _run("calc", "三.8", "-f", "data_merchant=领军型", "-f", "g5_factory=是", "--as-of", "2026-06-30")
    assert result.exit_code == 0
    assert "合计（按“就高不重复”合并后）：100万元" in result.stdout


def test_calc_json_with_several_items_is_a_list():
    result = _run("calc", "三.8", "-f", "data_merchant=leading", "-f", "g5_factory=true", "--as-of", "2026-06-30",
                  "--json")
    assert [c["amount_yuan"] for c in json.loads(result.stdout)] == [500000, 500000]


def test_calc_missing_facts_are_asked_in_chinese():
    result = _run("calc", "三.3", "--fact", "revenue_yuan=3000万", "--as-of", "2026-06-30")
    assert result.exit_code == 0
    assert "待确认：贵企业是否属于信息服务业企业？" in result.stdout


def test_bad_input_exits_2_with_a_chinese_message_on_stderr():
    for args, message in [
        (["calc", "三.7", "--fact", "compute_spend_yuan=-5万"], "负数"),
        (["calc", "三.7", "--fact", "employees=5"], "未知的事实名"),
        (["calc", "三.7", "--fact", "compute_spend_yuan=很多"], "无法"),
        (["calc", "三.7", "--fact", "compute_spend_yuan"], "名称=取值"),
        (["calc", "三.11"], "没有第11条"),
        (["calc", "二.3"], "不是一条可测算的支持政策"),
        (["calc", "三.7", "--as-of", "明天"], "日期"),
    ]:
        result = _run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output


def test_match_reads_a_json_profile(tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"industry": "information_service", "ai_field": True, "project_kind": "new",
                                   "investment_yuan": "1500万", "compute_spend_yuan": 800000.0,
                                   "as_of": "2026-06-30"}), encoding="utf-8")
    result = _run("match", str(profile), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(m["policy_id"], m["amount_yuan"]) for m in data[:2]] == [("三.2", 750000), ("三.7", 400000)]
    human = _run("match", str(profile))
    assert "1. 〔三.2〕鼓励信息服务业投资：可获75万元" in human.stdout


def test_match_rejects_a_bad_profile(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _run("match", str(bad)).exit_code == 2
    bad.write_text(json.dumps({"revenue_yuan": "-1"}), encoding="utf-8")
    result = _run("match", str(bad))
    assert result.exit_code == 2 and "负数" in result.stderr
    assert _run("match", str(tmp_path / "none.json")).exit_code == 2


def test_facts_lists_names_types_and_chinese_descriptions():
    result = _run("facts", "三.7")
    assert result.exit_code == 0
    assert "compute_spend_yuan" in result.stdout and "智算、超算实际使用金额" in result.stdout
    assert "revenue_yuan" not in result.stdout
    everything = json.loads(_run("facts", "--json").stdout)
    tech = next(f for f in everything if f["name"] == "tech_center_level")
    assert tech["type"] == "choice" and tech["choices"]["national"] == "国家级"
