"""Once the synthetic final version is in force: stale policies are refused with the new sentence quoted, the rest
compute as before, and an updated rule file brings the calculation back with the new figures."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jxai_assistant.calculator import EnterpriseFacts, RuleFileError, calculate, load_rules, stale_notices
from jxai_assistant.versions import set_as_of

from .synthetic import EFFECTIVE, NEW_RATE, REAL_CORPUS, VERSION_ID

BEFORE, AFTER = date(2025, 6, 30), date.fromisoformat(EFFECTIVE)
SPEND_120 = EnterpriseFacts(compute_spend_yuan=1200000)
QUESTION = "我们智算支出120万元，能拿多少？"


def update_rule_3_7(corpus, rate: str = "40") -> None:
    """The maintainer's fix: 三.7's rule file copied into the final version's rules and edited to its text."""
    own = corpus / "versions" / VERSION_ID / "rules"
    own.mkdir(parents=True, exist_ok=True)
    text = (REAL_CORPUS / "rules" / "三.7.yaml").read_text(encoding="utf-8")
    text = text.replace('rate: {value: "50", unit: percent, clause: "三.7", phrase: "按照智算、超算实际使用金额的50%给予算力补贴"}',
                        f'rate: {{value: "{rate}", unit: percent, clause: "三.7", phrase: "{NEW_RATE}"}}')
    (own / "三.7.yaml").write_text(text, encoding="utf-8")


def test_before_the_effective_date_the_draft_figures_apply(final_corpus):
    set_as_of(BEFORE)
    [calc] = calculate("三.7", SPEND_120)
    assert (calc.eligible, calc.amount_yuan) == (True, 600000)
    assert load_rules().stale == {}


def test_from_the_effective_date_a_stale_policy_is_refused_quoting_the_changed_sentence(final_corpus):
    set_as_of(AFTER)
    [calc] = calculate("三.7", SPEND_120)
    assert (calc.eligible, calc.amount_yuan) == (None, None)
    assert NEW_RATE in calc.notes[0] and "暂不测算" in calc.notes[0] and "正式文本（2025年6月1日印发" in calc.notes[0]
    assert set(load_rules().stale) == {"三.2", "三.7"}
    assert set(stale_notices(["三.2", "三.3", "三.7"])) == {"三.2", "三.7"}


def test_a_policy_the_final_version_did_not_change_still_computes_and_cites_the_final_version(final_corpus):
    set_as_of(AFTER)
    [calc] = calculate("三.3", EnterpriseFacts(industry="information_service", revenue_yuan=30000000,
                                                 revenue_growth_pct=12, last_revenue_yuan=25000000))
    assert (calc.eligible, calc.amount_yuan) == (True, 500000)
    assert "自2025年7月1日起施行" in calc.steps[0].text
    assert any(n.startswith("本测算依据正式文本") for n in calc.notes)


def test_once_the_rule_file_is_updated_and_passes_the_checks_the_new_rate_is_used(final_corpus):
    update_rule_3_7(final_corpus)
    set_as_of(AFTER)
    [calc] = calculate("三.7", SPEND_120)
    assert (calc.eligible, calc.amount_yuan) == (True, 480000)  # 120万元 × 40%
    assert set(load_rules().stale) == {"三.2"}
    set_as_of(BEFORE)
    assert calculate("三.7", SPEND_120)[0].amount_yuan == 600000  # the draft's own rule file is untouched


def test_an_updated_rule_file_whose_figure_does_not_match_the_new_text_fails_the_rule_checks(final_corpus):
    update_rule_3_7(final_corpus, rate="50")  # phrase says 40%, value says 50
    set_as_of(AFTER)
    with pytest.raises(RuleFileError, match="三.7.yaml"):
        load_rules()


def _ask(jxai_in, corpus, as_of: str) -> dict:
    result = jxai_in(corpus, "ask", QUESTION, "--as-of", as_of, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_assistant_answers_by_the_version_in_force_on_the_date_asked_about(final_corpus, jxai_in):
    before = _ask(jxai_in, final_corpus, "2025-06-30")
    assert (before["intent"], before["award_yuan"]) == ("calculate", 600000)
    after = _ask(jxai_in, final_corpus, EFFECTIVE)
    assert (after["intent"], after["award_yuan"], after["calculations"]) == ("lookup", None, [])
    assert after["answer"].startswith("〔三.7〕的正式文本") and NEW_RATE in after["answer"]
    assert after["citations"][0]["clause_id"] == "三.7" and "40%" in after["citations"][0]["quote"]
    update_rule_3_7(final_corpus)
    updated = _ask(jxai_in, final_corpus, EFFECTIVE)
    assert (updated["intent"], updated["award_yuan"]) == ("calculate", 480000)
    assert "征求意见稿" not in updated["answer"]


def test_calc_on_the_command_line_gives_the_clause_instead_of_a_stale_figure(final_corpus, jxai_in):
    result = jxai_in(final_corpus, "calc", "三.2", "-f", "project_kind=new", "-f", "investment_yuan=9000万",
                     "--as-of", "2025-08-01")
    assert result.returncode == 0, result.stderr
    assert "暂不测算" in result.stdout and "新建项目最高不超过400万元" in result.stdout
    assert "300万元" not in result.stdout


def test_a_clause_added_by_the_final_version_can_be_looked_up_once_it_is_in_force(final_corpus, jxai_in):
    after = jxai_in(final_corpus, "ask", "支持政策第十一条", "--as-of", EFFECTIVE, "--json")
    assert json.loads(after.stdout)["citations"][0]["clause_id"] == "三.11"
    before = jxai_in(final_corpus, "ask", "支持政策第十一条", "--as-of", "2025-06-30", "--json")
    assert json.loads(before.stdout)["citations"] == []
