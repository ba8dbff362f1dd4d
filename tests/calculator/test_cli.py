"""``jxai calc`` / ``jxai match`` / ``jxai facts`` through the real Typer app (the issue's acceptance cases)."""

from __future__ import annotations

import json

import pytest
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
    assert [(m["policy_id"], m["amount_yuan"]) for m in data["matches"][:2]] == [("三.2", 750000), ("三.7", 400000)]
    assert data["award_yuan"] == 1150000  # different matters add up: 75万 + 40万
    human = _run("match", str(profile))
    assert "1. 〔三.2〕鼓励信息服务业投资：可获75万元" in human.stdout
    assert "合计（按“就高不重复”合并后）：115万元" in human.stdout
    assert "算式：不同事项的奖补分别计算后相加：75万元 + 40万元 = 115万元" in human.stdout


def test_match_reads_quantities_and_other_products_and_never_shows_a_manufacturer_3_3(tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({
        "industry": "manufacturing", "revenue_yuan": "2900万", "revenue_growth_pct": "15",
        "first_set_level": "domestic", "product_honors": ["provincial_new_product"],
        "quantities": {"product_honors.provincial_new_product": 2},
        "separate": ["product_honors.provincial_new_product"], "as_of": "2026-06-30"}), encoding="utf-8")
    result = _run("match", str(profile))
    assert result.exit_code == 0, result.output
    assert "三.3" not in result.stdout  # 信息服务业 only, whatever the revenue
    assert "合计（按“就高不重复”合并后）：160万元" in result.stdout  # 150万 + 2 other products × 5万


def test_match_rejects_a_bad_profile(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _run("match", str(bad)).exit_code == 2
    bad.write_text(json.dumps({"revenue_yuan": "-1"}), encoding="utf-8")
    result = _run("match", str(bad))
    assert result.exit_code == 2 and "负数" in result.stderr
    assert _run("match", str(tmp_path / "none.json")).exit_code == 2


HOSTILE_PROFILES = {
    "not UTF-8": (b'{"revenue_yuan": "\xff"}', "UTF-8"),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "嵌套超过"),
    "NaN": (b'{"revenue_yuan": NaN}', "NaN"),
    "a duplicate key": (b'{"revenue_yuan": 1, "revenue_yuan": 2}', "不止一次"),
    "a lone surrogate": (b'{"industry": "\\ud800"}', "industry"),
    "1e400 yuan": (b'{"compute_spend_yuan": 1e400}', "1000万亿元"),
    "40 digits of yuan": (json.dumps({"revenue_yuan": "9" * 40}).encode(), "1000万亿元"),
    "a thousandth of a yuan": (b'{"compute_spend_yuan": 0.001}', "分以下"),
    "growth of 1e30 points": (b'{"revenue_growth_pct": 1e30}', "百分点"),
    "over 1,000,000 bytes": (b" " * 1_000_001 + b"{}", "超过 1000000 字节"),
}


@pytest.mark.parametrize("content, message", HOSTILE_PROFILES.values(), ids=HOSTILE_PROFILES.keys())
def test_match_names_the_file_and_the_problem_of_a_hostile_profile(tmp_path, content, message):
    profile = tmp_path / "profile.json"
    profile.write_bytes(content)
    result = _run("match", str(profile))
    assert result.exit_code == 2, result.output
    assert str(profile) in result.stderr and message in result.stderr
    assert "Traceback" not in result.output


def test_match_accepts_a_profile_saved_with_a_bom_and_refuses_a_directory(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_bytes(b"\xef\xbb\xbf" + json.dumps({"compute_spend_yuan": 1200000, "as_of": "2026-06-30"}).encode())
    result = _run("match", str(profile), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matches"][0]["amount_yuan"] == 600000
    result = _run("match", str(tmp_path))
    assert result.exit_code == 2 and "无法读取" in result.stderr


def test_calc_refuses_impossible_figures_instead_of_crashing():
    # 40 digits of revenue made the growth percentage overflow Decimal's precision (a traceback before).
    for fact, message in [("revenue_yuan=" + "9" * 40, "1000万亿元"), ("compute_spend_yuan=" + "9" * 5000, "数字过长"),
                          ("rd_growth_pct=" + "9" * 30, "百分点"), ("x" * 100_000 + "=1", "未知的事实名")]:
        result = _run("calc", "三.3", "--fact", fact, "--fact", "last_revenue_yuan=1", "--fact", "industry=制造业")
        assert result.exit_code == 2 and message in result.stderr, (fact[:40], result.output[:300])
        assert len(result.stderr) < 2000  # a long value is quoted shortened, not in full


def test_facts_lists_names_types_and_chinese_descriptions():
    result = _run("facts", "三.7")
    assert result.exit_code == 0
    assert "compute_spend_yuan" in result.stdout and "智算、超算实际使用金额" in result.stdout
    assert "revenue_yuan" not in result.stdout
    everything = json.loads(_run("facts", "--json").stdout)
    tech = next(f for f in everything if f["name"] == "tech_center_level")
    assert tech["type"] == "choice" and tech["choices"]["national"] == "国家级"
