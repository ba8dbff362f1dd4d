"""The web app with the synthetic final version in force, in a real browser: the header names the version, the
"与征求意见稿相比" tab shows 三.7 side by side with the changed figure highlighted, the clause browser shows any version,
and a question about the stale 三.7 gets the new clause instead of a figure.

The app runs in its own process on a private corpus copy (a process answers from one version).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.versions.synthetic import ISSUED, copy_corpus, final_text
from tests.web.conftest import free_port
from tests.web.test_browser import ANSWERS, ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, ask, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def final_app(tmp_path_factory):
    """``jxai serve`` on a corpus copy where the synthetic final version is registered and in force."""
    root = tmp_path_factory.mktemp("final-web")
    corpus = copy_corpus(root / "corpus")
    (root / "final.txt").write_text(final_text(), encoding="utf-8")
    env = {**os.environ, "JXAI_CORPUS_DIR": str(corpus), "JXAI_CACHE_DIR": str(root / "cache"),
           "JXAI_DATA_DIR": str(root / "data"), "JXAI_RATE_LIMIT": "off"}
    jxai = [sys.executable, "-m", "jxai_assistant"]
    added = subprocess.run([*jxai, "corpus", "add", str(root / "final.txt"), "--issued", ISSUED], env=env,
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    port = free_port()
    server = subprocess.Popen([*jxai, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jxai serve did not answer within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def page(final_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1360, "height": 960}, locale="zh-CN")
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(final_app)
        pg.wait_for_selector("#jx-question textarea")
        yield pg
        browser.close()


def test_the_header_names_the_final_version_in_force_and_drops_the_draft_caution(page):
    assert "正式文本（2025年6月1日印发，2025年7月1日起施行）" in page.locator("#jx-version").inner_text()
    assert page.locator("#jx-header .jx-draft").count() == 0


def test_a_question_on_a_stale_policy_quotes_the_new_clause_instead_of_a_figure(page):
    ask(page, "我们智算支出120万元，能拿多少？")
    answer = page.locator(ANSWERS).last.inner_text()
    assert "暂不测算" in answer and "实际使用金额的40%给予算力补贴" in answer and "60万元" not in answer


def test_the_comparison_tab_shows_3_7_side_by_side_with_the_changed_figure_highlighted(page):
    page.locator("button[role=tab]", has_text="与征求意见稿相比").click()
    table = page.locator('#jx-compare table[data-clause="三.7"]')
    table.wait_for()
    assert table.locator("del").all_inner_texts() == ["50%"] and table.locator("ins").all_inner_texts() == ["40%"]
    assert "数字变化：50% → 40%" in table.inner_text()
    compare = page.locator("#jx-compare").inner_text()
    assert "修改2条，新增1条，删除1条，重新编号10条" in compare and "〔三.11〕" in compare
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "versions.png"))


def test_the_clause_browser_shows_a_clause_of_any_version(page):
    page.locator("#jx-version-pick input").click()
    page.get_by_role("option", name="征求意见稿", exact=False).first.click()
    page.locator("#jx-version-clause input").click()
    page.get_by_role("option", name="二.15", exact=True).click()
    detail = page.locator("#jx-version-detail")
    detail.get_by_text("强化金融支持", exact=False).first.wait_for()
    assert "〔二.15〕" in detail.inner_text()
