"""Hardening of the web app: login (throttled), rate limits per client address or API key, refused uploads, request size limits, safe Markdown, dependency
advisories, and nothing secret or conversational written to disk unless configured."""

from __future__ import annotations

import importlib.util
import json
import secrets
import subprocess
import sys
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from jxai_assistant.web.clients import ClientPolicy, parse_proxies
from jxai_assistant.web.gate import LOCKOUT_AFTER, LOCKOUT_SECONDS, LOGIN_ATTEMPTS, LOGIN_WINDOW, LoginGuard
from jxai_assistant.web.limits import Limits
from jxai_assistant.web.security import (
    DEFAULT_MAX_REQUEST_BYTES,
    DEFAULT_RATE_LIMIT,
    RateLimiter,
    RequestSizeLimit,
    SecurityConfigError,
    load_auth,
    max_request_bytes,
    parse_rate_limit,
    safe_markdown,
)

REPO = Path(__file__).resolve().parents[2]


def load_script(name: str):
    """Import ``scripts/<name>.py`` (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --- login -----------------------------------------------------------------------------------------------------------

AUTH = [
    # (name, JXAI_AUTH, file contents or None, credentials)
    ("nothing configured: no login", None, None, None),
    ("one pair in the environment", "admin:s3cret", None, [("admin", "s3cret")]),
    ("a password may contain colons", "admin:a:b:c", None, [("admin", "a:b:c")]),
    ("a file with comments and blank lines", None, "# 热线坐席\nzhang:pw1\n\nli:pw2\n", [("zhang", "pw1"), ("li", "pw2")]),
    ("environment and file together", "admin:x", "zhang:pw1\n", [("admin", "x"), ("zhang", "pw1")]),
]


@pytest.mark.parametrize("env_value, file_text, expected", [a[1:] for a in AUTH], ids=[a[0] for a in AUTH])
def test_login_credentials_come_from_the_environment_or_a_file(tmp_path, env_value, file_text, expected):
    env = {}
    if env_value is not None:
        env["JXAI_AUTH"] = env_value
    if file_text is not None:
        (tmp_path / "users").write_text(file_text, encoding="utf-8")
        env["JXAI_AUTH_FILE"] = str(tmp_path / "users")
    assert load_auth(env) == expected


BAD_AUTH = [
    ("no colon", {"JXAI_AUTH": "adminsecretpw"}, "JXAI_AUTH"),
    ("empty password", {"JXAI_AUTH": "admin:"}, "JXAI_AUTH"),
    ("a bad line names the file and line", {"JXAI_AUTH_FILE": "{dir}/users"}, "第 2 行"),
    ("a missing file is named", {"JXAI_AUTH_FILE": "{dir}/nobody"}, "nobody"),
    ("an empty file", {"JXAI_AUTH_FILE": "{dir}/empty"}, "没有"),
    ("duplicate users", {"JXAI_AUTH": "zhang:x", "JXAI_AUTH_FILE": "{dir}/users_ok"}, "重复"),
]


@pytest.mark.parametrize("env, message", [b[1:] for b in BAD_AUTH], ids=[b[0] for b in BAD_AUTH])
def test_unusable_login_settings_are_refused_without_showing_the_password(tmp_path, env, message):
    (tmp_path / "users").write_text("zhang:hunter2\nli-without-password\n", encoding="utf-8")
    (tmp_path / "users_ok").write_text("zhang:hunter2\n", encoding="utf-8")
    (tmp_path / "empty").write_text("# nobody yet\n", encoding="utf-8")
    env = {k: v.format(dir=tmp_path) for k, v in env.items()}
    with pytest.raises(SecurityConfigError, match=message) as info:
        load_auth(env)
    assert "hunter2" not in info.value.message and "secretpw" not in info.value.message
    assert isinstance(info.value, ValueError)  # jxai serve turns ValueErrors into a message and exit code 2


# --- rate limiting ---------------------------------------------------------------------------------------------------

RATE_SETTINGS = [("", DEFAULT_RATE_LIMIT), ("30/60", (30, 60.0)), ("5 / 1.5s", (5, 1.5)), ("off", None), ("0", None)]


@pytest.mark.parametrize("raw, expected", RATE_SETTINGS)
def test_rate_limit_settings(raw, expected):
    assert parse_rate_limit(raw) == expected


@pytest.mark.parametrize("raw", ["fast", "0/60", "10/0", "-1/60", "10/-5"])
def test_unreadable_rate_limit_settings_are_refused_in_chinese(raw):
    with pytest.raises(SecurityConfigError, match="次数/秒数"):
        parse_rate_limit(raw)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_session_over_its_limit_waits_for_the_window_and_others_are_not_affected():
    clock = Clock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.check("a") for _ in range(3)] == [None, None, None]
    clock.now += 20
    assert limiter.check("a") == pytest.approx(40)  # the first call leaves the window 60 s after it was made
    assert limiter.check("b") is None
    clock.now += 40
    assert limiter.check("a") is None


def test_the_limited_message_is_friendly_chinese_with_the_wait():
    message = RateLimiter(30, 60).message(4.2)
    assert "请 5 秒后再试" in message and "每 60 秒最多处理 30 次" in message


def test_the_limiter_forgets_the_least_recent_sessions_first():
    limiter = RateLimiter(1, 60, max_keys=2, clock=Clock())
    for key in ("a", "b", "c"):
        assert limiter.check(key) is None
    assert limiter.check("a") is None  # "a" was dropped to keep memory bounded, so it starts afresh
    assert limiter.check("c") is not None


# --- request size ----------------------------------------------------------------------------------------------------


async def _echo(request):
    return JSONResponse({"received": len(await request.body())})


@pytest.fixture(scope="module")
def limited_app():
    app = Starlette(routes=[Route("/echo", _echo, methods=["POST"])],
                    middleware=[Middleware(RequestSizeLimit, max_bytes=2000)])
    with TestClient(app) as client:
        yield client


def test_a_body_within_the_limit_passes(limited_app):
    response = limited_app.post("/echo", content=b"x" * 2000)
    assert response.status_code == 200 and response.json() == {"received": 2000}


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(limited_app):
    response = limited_app.post("/echo", content=b"x" * 2001)
    assert response.status_code == 413
    assert "请求内容过大" in response.json()["message"]


def test_a_streamed_body_without_a_length_is_counted_and_refused(limited_app):
    chunks = (b"x" * 500 for _ in range(10))  # chunked transfer: no Content-Length header
    response = limited_app.post("/echo", content=chunks)
    assert response.status_code == 413


def test_a_malformed_content_length_is_refused(limited_app):
    response = limited_app.post("/echo", content=b"{}", headers={"Content-Length": "lots"})
    assert response.status_code == 400


def test_the_request_limit_setting(monkeypatch):
    assert max_request_bytes({}) == DEFAULT_MAX_REQUEST_BYTES
    assert max_request_bytes({"JXAI_MAX_REQUEST_BYTES": "50000"}) == 50000
    with pytest.raises(SecurityConfigError):
        max_request_bytes({"JXAI_MAX_REQUEST_BYTES": "12"})


# --- Markdown --------------------------------------------------------------------------------------------------------

MARKDOWN = [
    ("a tag", "见<img src=x onerror=alert(1)>", "见&lt;img src=x onerror=alert(1)>"),
    ("a closing tag and a comment", "</script><!-- x -->", "&lt;/script>&lt;!-- x -->"),
    ("an autolink", "<http://evil.example>", "&lt;http://evil.example>"),
    ("an image", "![x](http://evil.example/p.png)", "!\\[x\\](http://evil.example/p.png)"),
    ("a link", "[点我](javascript:alert(1))", "[点我\\](javascript:alert(1))"),
    ("comparisons and blockquotes stay", "> 原文\n营收 < 3000万 且 增速 > 10%", "> 原文\n营收 < 3000万 且 增速 > 10%"),
    ("the composer's Markdown stays", "**60万元**〔三.7〕\n- 步骤（“原文”）", "**60万元**〔三.7〕\n- 步骤（“原文”）"),
]


@pytest.mark.parametrize("text, expected", [m[1:] for m in MARKDOWN], ids=[m[0] for m in MARKDOWN])
def test_answers_shown_in_the_chat_carry_no_html_images_or_links(text, expected):
    assert safe_markdown(text) == expected
    assert safe_markdown(expected) == expected  # idempotent


def test_real_answers_are_unchanged_by_the_sanitiser():
    from jxai_assistant.assistant import get_assistant

    for question in ["我们智算支出120万元，能拿多少？", "支持政策第七条", "研发费用能补多少？", "杭州的政策"]:
        answer = get_assistant().ask(question).answer
        assert safe_markdown(answer) == answer


# --- dependencies ----------------------------------------------------------------------------------------------------


def test_gradio_is_pinned_at_or_above_the_release_without_known_path_traversal_or_ssrf_advisories():
    floor = Version("6.16")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    gradio = next(Requirement(d) for d in project["dependencies"] if Requirement(d).name == "gradio")
    lower = [Version(s.version) for s in gradio.specifier if s.operator in (">=", "==", "~=")]
    assert lower and min(lower) >= floor, gradio
    assert Version(metadata.version("gradio")) >= floor


@pytest.mark.slow
def test_pip_audit_finds_no_known_vulnerability_in_the_installed_environment(tmp_path):
    """pip-audit asks PyPI's JSON API (pypi.org/pypi/<name>/<version>/json) for advisories of every installed
    distribution. Where that API cannot be reached, pip-audit still exits 0 ("No known vulnerabilities found") while
    it has audited nothing: that case is reported as a skip with the reason, never as a pass."""
    out = tmp_path / "audit.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--skip-editable", "-f", "json", "-o",
         str(out)], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )
    if not out.exists():
        pytest.fail(f"pip-audit did not run (exit {result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    vulnerable = {d["name"]: [v["id"] for v in d.get("vulns", [])] for d in report["dependencies"] if d.get("vulns")}
    assert not vulnerable, f"known vulnerabilities: {vulnerable}"
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    skipped = [d for d in report["dependencies"] if "skip_reason" in d]
    if not audited:
        pytest.skip(
            f"pip-audit could not reach vulnerability data: all {len(skipped)} installed distributions were skipped "
            f"(e.g. {skipped[0]['skip_reason'] if skipped else 'none installed'}). Nothing was audited — this is not "
            "a clean result; run `pip-audit` where PyPI's versioned JSON API is reachable."
        )
    assert result.returncode == 0, result.stderr[-2000:]


# --- who is calling ------------------------------------------------------------------------------------------------


def test_forwarded_for_is_believed_only_from_a_configured_proxy():
    policy = ClientPolicy(proxies=parse_proxies("10.0.0.2, 10.9.0.0/16"))
    assert policy.address("203.0.113.7", ["198.51.100.1"]) == "203.0.113.7"  # not a proxy: the header is ignored
    assert policy.address("10.0.0.2", ["198.51.100.1"]) == "198.51.100.1"
    # The client may write anything on the left; the hop the trusted proxies saw is the rightmost untrusted one.
    assert policy.address("10.0.0.2", ["1.2.3.4, 198.51.100.1, 10.9.3.3"]) == "198.51.100.1"
    assert policy.address("10.0.0.2", ["not-an-ip"]) == "10.0.0.2"


def test_an_unreadable_proxy_setting_is_refused_in_chinese():
    with pytest.raises(SecurityConfigError, match="不是 IP 地址或网段"):
        parse_proxies("10.0.0.1, proxy.local")


def test_limits_count_a_valid_api_key_else_the_address_never_a_session(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("# city hotline\nk-123\n", encoding="utf-8")
    limits = Limits(ClientPolicy.from_env({"JXAI_API_KEYS": str(keys)}), RateLimiter(2, 60, clock=Clock()))
    assert limits.check("198.51.100.1", {"x-api-key": "k-123"}) is None
    assert limits.check("203.0.113.9", {"authorization": "Bearer k-123"}) is None  # same key, another address
    assert limits.check("198.51.100.1", {"x-api-key": "k-123"}) is not None
    # An invalid key does not buy a fresh allowance: the address counts.
    assert limits.check("192.0.2.5", {"x-api-key": "made-up-1"}) is None
    assert limits.check("192.0.2.5", {"x-api-key": "made-up-2"}) is None
    assert limits.check("192.0.2.5", {}) is not None


def test_logins_are_throttled_and_repeated_failures_lock_the_address_out():
    clock = Clock()
    guard = LoginGuard(clock=clock)
    assert all(guard.wait("a") is None for _ in range(LOGIN_ATTEMPTS))
    assert guard.wait("a") is not None  # too many tries this minute
    assert guard.wait("b") is None  # another address is not affected
    for _ in range(LOCKOUT_AFTER):
        clock.now += LOGIN_WINDOW
        guard.wait("c")
        guard.result("c", ok=False)
    clock.now += LOGIN_WINDOW
    assert guard.wait("c") == pytest.approx(LOCKOUT_SECONDS - LOGIN_WINDOW)
    clock.now += LOCKOUT_SECONDS
    assert guard.wait("c") is None


# --- the served app --------------------------------------------------------------------------------------------------

MARKER = "机密标记问题QX7729：算力券单个企业最多补贴多少？"


@pytest.fixture(scope="module")
def hardened_app(tmp_path_factory):
    """The real app in a child process with login, a tight rate limit and a small request limit; its home, temp and
    data directories are throwaway ones, scanned afterwards."""
    loadtest = load_script("loadtest")
    root = tmp_path_factory.mktemp("hardened")
    password = secrets.token_urlsafe(16)
    dirs = {name: root / name for name in ("home", "gradio", "data")}
    for d in dirs.values():
        d.mkdir()
    env = {"JXAI_AUTH": f"inspector:{password}", "JXAI_RATE_LIMIT": "4/60", "JXAI_MAX_REQUEST_BYTES": "20000",
           "HOME": str(dirs["home"]), "GRADIO_TEMP_DIR": str(dirs["gradio"]), "JXAI_DATA_DIR": str(dirs["data"])}
    server = loadtest.ServerProcess(env=env)
    with server:
        yield server, password, dirs


@pytest.mark.slow
def test_the_app_requires_the_configured_login(hardened_app):
    from gradio_client import Client

    server, password, _ = hardened_app
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{server.url}/config", timeout=30)
    assert info.value.code == 401
    client = Client(server.url, auth=("inspector", password), verbose=False)
    response = client.predict(MARKER, api_name="/ask")
    assert [c["clause_id"] for c in response["citations"]][:1] == ["三.7"]


@pytest.mark.slow
def test_a_client_over_its_rate_limit_stays_limited_with_a_new_session_or_none(hardened_app):
    """The limit counts the client's address, not the session id it chooses: a new session, a REST call without
    any session, and a different session hash are all still limited."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    server, password, _ = hardened_app
    client = Client(server.url, auth=("inspector", password), verbose=False)
    with pytest.raises(AppError, match="您提问得太频繁了") as info:
        for _ in range(5):  # the limit is 4 a minute from this address (earlier tests may have used some)
            assert client.predict("支持政策第七条", api_name="/ask")["citations"]
    assert "Traceback" not in str(info.value)
    other = Client(server.url, auth=("inspector", password), verbose=False)  # a new session
    with pytest.raises(AppError, match="您提问得太频繁了"):
        other.predict("三.7", 3, api_name="/search")
    request = urllib.request.Request(f"{server.url}/v1/ask", data=json.dumps({"question": "三.7"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as rest:
        urllib.request.urlopen(request, timeout=30)
    assert rest.value.code == 429 and json.loads(rest.value.read())["code"] == "rate_limited"


@pytest.mark.slow
def test_an_oversized_request_is_refused_with_413_before_login(hardened_app):
    server, _, _ = hardened_app
    body = json.dumps({"data": ["算" * 20000], "fn_index": 0, "session_hash": "x"}).encode()
    request = urllib.request.Request(f"{server.url}/gradio_api/queue/join", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 413
    assert "请求内容过大" in json.loads(info.value.read())["message"]


@pytest.mark.slow
def test_uploads_are_refused(hardened_app):
    server, _, _ = hardened_app
    request = urllib.request.Request(f"{server.url}/gradio_api/upload", data=b"--x--\r\n", method="POST",
                                     headers={"Content-Type": "multipart/form-data; boundary=x"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 403 and json.loads(info.value.read())["code"] == "uploads_disabled"


@pytest.mark.slow
def test_repeated_wrong_passwords_are_throttled_then_locked_out(hardened_app):
    """Run after the tests that log in: guessing is slowed to a few tries a minute, then the address is locked out
    (even the right password is refused for a while)."""
    server, password, _ = hardened_app

    def login(secret: str) -> int:
        body = urllib.parse.urlencode({"username": "inspector", "password": secret}).encode()
        request = urllib.request.Request(f"{server.url}/login", data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    statuses = [login(f"guess-{n}") for n in range(LOGIN_ATTEMPTS + 1)]
    assert 429 in statuses and 200 not in statuses
    assert login(password) == 429


@pytest.mark.slow
def test_nothing_secret_or_conversational_is_written_to_disk_or_the_log(hardened_app):
    """Run last in this module: after the questions above, no file the app could write, and no line of its log,
    holds the password or a question (feedback keeps questions only with JXAI_STORE_QUESTIONS=1)."""
    server, password, dirs = hardened_app
    log = server.log()
    assert password not in log and "QX7729" not in log
    for directory in dirs.values():
        for path in directory.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert password.encode() not in data, path
                assert "QX7729".encode() not in data and "QX7729".encode("utf-16-le") not in data, path
