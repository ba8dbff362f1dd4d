"""``jxai corpus diff``: clauses matched by content, sentence and figure changes, and the rule data they make stale."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jxai_assistant.cli import app
from jxai_assistant.diff import diff_documents, figures, highlight
from jxai_assistant.document import parse_document

from .synthetic import ADDED_POLICY, draft_text, final_text, rate_40

runner = CliRunner()


def _diff_json(tmp_path, old: str, new: str) -> dict:
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    result = runner.invoke(app, ["corpus", "diff", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_editing_the_rate_of_3_7_lists_3_7_as_changed_with_the_figure_and_as_stale_and_nothing_else(tmp_path):
    report = _diff_json(tmp_path, draft_text(), rate_40(draft_text()))
    assert [(c["old_id"], c["new_id"]) for c in report["changed"]] == [("三.7", "三.7")]
    [change] = report["changed"][0]["changes"]
    assert change["kind"] == "changed" and "50%" in change["old"] and "40%" in change["new"]
    assert change["figures"] == [{"old": "50%", "new": "40%"}]
    assert report["added"] == report["removed"] == report["renumbered"] == []
    [stale] = report["stale_rules"]
    assert (stale["policy_id"], stale["phrase"]) == ("三.7", "按照智算、超算实际使用金额的50%给予算力补贴")
    assert "实际使用金额的40%给予算力补贴" in stale["nearest"]


def test_identical_texts_have_no_changes_and_no_stale_rules(tmp_path):
    report = _diff_json(tmp_path, draft_text(), draft_text())
    assert all(report[k] == [] for k in ("changed", "added", "removed", "renumbered", "stale_rules"))


def test_a_removed_task_is_one_removal_and_the_later_tasks_are_renumbered_not_changed(tmp_path):
    report = _diff_json(tmp_path, draft_text(), final_text())
    assert [c["clause_id"] for c in report["removed"]] == ["二.5"]
    assert [(r["old_id"], r["new_id"]) for r in report["renumbered"]] == [(f"二.{n}", f"二.{n - 1}")
                                                                         for n in range(6, 16)]
    assert {c["new_id"] for c in report["changed"]} == {"三.2", "三.7"}


def test_the_synthetic_final_version_shows_the_changed_cap_the_added_policy_and_both_stale_rules(tmp_path):
    report = _diff_json(tmp_path, draft_text(), final_text())
    figures_by_clause = {c["new_id"]: c["figures"] for c in report["changed"]}
    assert figures_by_clause == {"三.2": [{"old": "300万元", "new": "400万元"}], "三.7": [{"old": "50%", "new": "40%"}]}
    assert [(c["clause_id"], c["text"]) for c in report["added"]] == [("三.11", ADDED_POLICY)]
    assert {(s["policy_id"], s["phrase"]) for s in report["stale_rules"]} == {
        ("三.2", "新建项目最高不超过300万元"), ("三.7", "按照智算、超算实际使用金额的50%给予算力补贴")}
    assert report["old"]["title"].endswith("（征求意见稿）") and report["new"]["title"] == "嘉兴市推动人工智能高质量发展实施方案"


def test_the_readable_output_names_the_clause_the_sentences_and_the_figure_change(tmp_path):
    (tmp_path / "new.txt").write_text(rate_40(draft_text()), encoding="utf-8")
    result = runner.invoke(app, ["corpus", "diff", "draft", str(tmp_path / "new.txt")])
    assert result.exit_code == 0, result.output
    assert "修改 1 条，新增 0 条，删除 0 条，重新编号 0 条" in result.stdout
    assert "〔三.7〕支持算力应用" in result.stdout and "数字变化：50% → 40%" in result.stdout
    assert "【规则数据须更新】" in result.stdout


def test_a_missing_file_or_a_text_that_is_not_the_document_is_a_chinese_message_not_a_traceback(tmp_path):
    (tmp_path / "other.txt").write_text("一份无关的文本。\n第二行。\n第三行。", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    for args in (["draft", str(tmp_path / "nope.txt")], ["draft", str(tmp_path / "other.txt")],
                 ["draft", str(tmp_path / "binary.txt")]):
        result = runner.invoke(app, ["corpus", "diff", *args])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
        assert "不是" in result.output or "无法读取" in result.output


def test_a_figure_added_to_a_sentence_is_paired_with_nothing():
    old = parse_document(draft_text())
    new = parse_document(draft_text().replace("给予每家100万元奖励", "给予每家100万元奖励，另给予20万元配套"))
    [change] = diff_documents(old, new).changed
    assert change.new_id == "三.4" and [(f.old, f.new) for f in change.figures] == [(None, "20万元")]


def test_figures_are_read_as_the_document_writes_them():
    assert figures("营业收入首次达到2000万元、1亿元的，增速在10%以上，给予20万元奖励") == ["2000万元", "1亿元", "10%", "20万元"]


def test_highlight_marks_only_the_changed_figure_whole():
    left, right = highlight("金额的50%给予", "金额的40%给予")
    assert [t for t, changed in left if changed] == ["50%"] and [t for t, changed in right if changed] == ["40%"]
    assert "".join(t for t, _ in left) == "金额的50%给予"
