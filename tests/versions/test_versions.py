"""Versions of the document in ``corpus/versions.yaml``: validated at start-up, registered with ``jxai corpus add``,
and the one in force chosen by date."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from jxai_assistant.cli import app
from jxai_assistant.document import load_document
from jxai_assistant.versions import VersionError, active_version, load_versions, set_as_of

from .synthetic import VERSION_ID, final_text

runner = CliRunner()


def test_the_draft_is_the_only_version_and_is_in_force_on_any_date():
    versions = load_versions()
    [draft] = versions.versions
    assert (draft.id, draft.status, draft.issued, draft.effective) == ("draft", "draft", None, None)
    assert draft.expiry.date == date(2027, 12, 31) and draft.effective_delay.days == 30
    assert versions.in_force(date(2020, 1, 1)) == versions.in_force(date(2030, 1, 1)) == draft
    assert load_document().title == "嘉兴市推动人工智能高质量发展实施方案（征求意见稿）"


def test_a_registered_final_version_is_in_force_from_30_days_after_its_issue_date(final_corpus):
    versions = load_versions()
    final = versions.get(VERSION_ID)
    assert (final.status, final.issued, final.effective) == ("final", date(2025, 6, 1), date(2025, 7, 1))
    assert versions.in_force(date(2025, 6, 30)).id == "draft"
    assert versions.in_force(date(2025, 7, 1)) == final
    assert final.label() == "正式文本（2025年6月1日印发，2025年7月1日起施行）"
    assert (final_corpus / final.file).read_text(encoding="utf-8") == final_text()


def test_the_document_loaded_is_the_version_in_force_on_the_date_asked_about(final_corpus):
    set_as_of(date(2025, 6, 30))
    assert active_version().id == "draft" and "二.15" in load_document().ids()
    set_as_of(date(2025, 7, 1))
    doc = load_document()
    assert active_version().id == VERSION_ID and "二.15" not in doc.ids() and "三.11" in doc.ids()


def test_registering_the_same_text_twice_or_without_an_issue_date_is_refused_with_a_message(final_corpus, tmp_path):
    source = tmp_path / "final.txt"  # written by the fixture
    again = runner.invoke(app, ["corpus", "add", str(source), "--status", "final", "--issued", "2025-06-01"])
    assert again.exit_code == 2 and "内容相同" in again.output
    undated = runner.invoke(app, ["corpus", "add", str(source), "--status", "final"])
    assert undated.exit_code == 2 and "--issued" in undated.output
    bad_date = runner.invoke(app, ["corpus", "add", str(source), "--issued", "2025-13-01"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    assert [v.id for v in load_versions().versions] == ["draft", VERSION_ID]


@pytest.mark.parametrize("edit, message", [
    (("有效期至2027年12月31日", "有效期至2028年12月31日"), "expiry.phrase"),
    (("status: draft", "status: published"), "status"),
    (("    issued: null\n", "    issued: null\n    approved: yes\n"), "approved"),
])
def test_an_invalid_versions_file_stops_the_start_with_the_key_named(corpus, edit, message):
    path = corpus / "versions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(VersionError, match=message.replace(".", r"\.")):
        load_versions()


def test_corpus_versions_lists_each_version_and_marks_the_one_in_force(final_corpus):
    result = runner.invoke(app, ["corpus", "versions"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  draft") and lines[1].startswith(f"* {VERSION_ID}")
