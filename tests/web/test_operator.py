"""The operator page: only a login with the operator role reaches it or its API; after a scripted session of 50
questions over the REST API it shows the unanswered questions grouped with counts, the 👎 with reasons, the chart,
latency and CSV export; one action writes a group's questions as draft examples to a review file, never to corpus/.

The app runs in a child process (``jxai serve``) with two logins — an operator and an enterprise — and question
storage on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml

from scripts.loadtest import ServerProcess
from tests.insights.session import DOWNVOTES, QUESTIONS, UPVOTES
from tests.web.test_browser import CHROMIUM_ARGS, TIMEOUT_MS, chromium_path, shot

pytestmark = pytest.mark.slow
OPERATOR, ENTERPRISE = ("ops", "ops-secret-1"), ("firm", "firm-secret-1")
HOSTILE = '<img src=x onerror="alert(1)">上海有什么补贴'
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app with an operator and an enterprise login, after the scripted session (answers and ratings sent over
    the REST API, as a client would)."""
    root = tmp_path_factory.mktemp("operator")
    auth = root / "logins"
    auth.write_text(f"# logins\n{OPERATOR[0]}:{OPERATOR[1]}:operator\n{ENTERPRISE[0]}:{ENTERPRISE[1]}\n",
                    encoding="utf-8")
    data = root / "data"
    env = {"JXAI_AUTH_FILE": str(auth), "JXAI_DATA_DIR": str(data), "JXAI_STORE_QUESTIONS": "1",
           "JXAI_RATE_LIMIT": "off"}
    with ServerProcess(env=env) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        answers = [http.post("/v1/ask", json={"question": q}).json() for q in [*QUESTIONS, HOSTILE]]
        for index, reason in DOWNVOTES.items():
            http.post("/v1/feedback", json={"answer_id": answers[index]["answer_id"], "rating": "down",
                                            "reason": reason}).raise_for_status()
        for index in UPVOTES:
            http.post("/v1/feedback", json={"answer_id": answers[index]["answer_id"], "rating": "up"})
        server.data = data
        yield server


@contextmanager
def login(server, user: tuple[str, str]) -> Iterator[httpx.Client]:
    """An HTTP client logged in on the page's ordinary login (it keeps the session cookie)."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        client.post("/login", data={"username": user[0], "password": user[1]}).raise_for_status()
        yield client


API = [("GET", "/v1/operator/summary"), ("GET", "/v1/operator/export.csv"), ("POST", "/v1/operator/drafts")]
DRAFT = {"group": "x", "kind": "intents", "label": "out_of_scope"}


@contextmanager
def anonymous(server) -> Iterator[httpx.Client]:
    """An HTTP client with no login."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


# The page allows 5 logins a minute from one address: these tests log in twice, the browser once.
@pytest.mark.parametrize("visitor, page_status, status, code, says", [
    (anonymous, 401, 401, "login_required", "请先以运营人员身份登录"),
    (lambda server: login(server, ENTERPRISE), 200, 403, "forbidden", "仅限运营人员"),
], ids=["anonymous", "enterprise login"])
def test_only_an_operator_reaches_the_page_or_its_api(served, visitor, page_status, status, code, says):
    with visitor(served) as client:
        assert client.get("/config").status_code == page_status  # the ordinary page: only with a login
        page = client.get("/operator")
        assert page.status_code == status
        assert says in page.text and "上海" not in page.text and "用户提问统计" not in page.text
        for method, path in API:
            response = client.request(method, path, json=DRAFT if method == "POST" else None)
            assert (response.status_code, response.json()["code"]) == (status, code), path


@pytest.fixture(scope="module")
def ops(served) -> Iterator[httpx.Client]:
    """An HTTP client logged in as the operator."""
    with login(served, OPERATOR) as client:
        yield client


def test_the_operator_sees_the_session_grouped_with_counts(ops):
    summary = ops.get("/v1/operator/summary", params={"since": "1d"}).json()
    assert summary["total"] == len(QUESTIONS) + 1
    assert summary["ratings"] == {"down": len(DOWNVOTES), "up": len(UPVOTES)}
    assert summary["down_reasons"] == {"wrong_amount": 1, "no_answer": 2, "wrong_clause": 1}
    counts = [g["count"] for g in summary["groups"]]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == summary["unanswered"] >= 20
    shanghai = next(g for g in summary["groups"] if "上海有什么人工智能补贴？" in g["examples"])
    assert shanghai["count"] >= 4 and "上海的人工智能补贴有哪些" in shanghai["examples"]
    assert summary["latency_ms"]["p50"] <= summary["latency_ms"]["p95"]
    assert summary["clause_demand"]["三.7"] >= 5
    assert not any("13812345678" in q for g in summary["groups"] for q in g["examples"])


def test_the_operator_exports_the_log_as_csv(ops):
    response = ops.get("/v1/operator/export.csv", params={"since": "1d"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("created_at,channel,intent,confidence")
    assert len(lines) == 1 + len(QUESTIONS) + 1


@pytest.mark.browser
def test_the_operator_page_in_the_browser(served):
    """Log in on the ordinary login page, open /operator: groups with counts, the chart, the 👎, markup shown as
    text; write a group as draft examples and find them in the review file, with corpus/ untouched."""
    from playwright.sync_api import sync_playwright

    corpus_before = (REPO / "corpus" / "nlu" / "intents.yaml").read_bytes()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(TIMEOUT_MS)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.goto(served.url + "/operator")
            assert "请先以运营人员身份登录" in page.locator("#denied").inner_text()
            page.goto(served.url + "/")
            page.locator("input[type=password]").wait_for()
            page.locator("input:not([type=password])").first.fill(OPERATOR[0])
            page.locator("input[type=password]").fill(OPERATOR[1])
            page.keyboard.press("Enter")
            page.wait_for_selector("#jx-question textarea")

            page.goto(served.url + "/operator?since=1d")
            assert page.locator("#kpi-total").inner_text() == str(len(QUESTIONS) + 1)
            rows = page.locator("#groups tr.jx-group")
            counts = [int(rows.nth(i).locator("td").first.inner_text()) for i in range(rows.count())]
            assert counts == sorted(counts, reverse=True) and counts[0] >= 4
            chart = page.locator("#chart-demand")
            assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
            assert page.locator("#downvotes tr").count() == 1 + len(DOWNVOTES)
            # The hostile question is listed as text: no image element, no script run.
            assert page.get_by_text(HOSTILE).count() >= 1
            assert page.locator('img[src="x"]').count() == 0 and dialogs == []
            shot(page, "operator")

            group = rows.filter(has_text="上海有什么人工智能补贴？").first
            # A refused group starts on the act out_of_scope; the operator may pick any act or topic.
            assert group.locator("select").input_value() == "intents|out_of_scope"
            group.locator("button").click()
            status = group.locator(".jx-status")
            status.filter(has_text="已写入").wait_for()
            assert "intents.yaml" in status.inner_text()
        finally:
            browser.close()
    draft = yaml.safe_load((served.data / "review" / "nlu" / "intents.yaml").read_text(encoding="utf-8"))
    assert draft["version"] == 1
    examples = draft["intents"]["out_of_scope"]["examples"]
    assert "上海的人工智能补贴有哪些" in examples and draft["intents"]["out_of_scope"]["description"]
    assert (REPO / "corpus" / "nlu" / "intents.yaml").read_bytes() == corpus_before
    assert re.search(r"待审示例", (served.data / "review" / "nlu" / "intents.yaml").read_text(encoding="utf-8"))
