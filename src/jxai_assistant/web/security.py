"""Hardening for the web app: optional login, rate limiting, a request size limit, safe answer Markdown.

Kept free of Gradio imports (like ``settings``): the pieces are plain Python and an ASGI middleware, tested without a
server. ``app.py`` wires them in.

Configuration (environment):
- ``JXAI_AUTH="user:password"`` or ``JXAI_AUTH_FILE=/path`` (one ``user:password`` a line, ``#`` comments) → login.
  A line ending in ``:operator`` gives that login the operator role (the ``/operator`` page and its API).
  Passwords are compared in constant time and are never logged or written anywhere by this app.
- ``JXAI_RATE_LIMIT="30/60"``: at most 30 answered requests per 60 seconds per browser session or API client
  (``off`` disables it).
- ``JXAI_MAX_REQUEST_BYTES``: the largest HTTP request body accepted (default 1 MB); larger ones get 413.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AUTH_ENV = "JXAI_AUTH"
AUTH_FILE_ENV = "JXAI_AUTH_FILE"
RATE_LIMIT_ENV = "JXAI_RATE_LIMIT"
MAX_REQUEST_BYTES_ENV = "JXAI_MAX_REQUEST_BYTES"

#: A person types a question every few seconds at most; 30 a minute leaves room for the page's own follow-up calls.
DEFAULT_RATE_LIMIT = (30, 60.0)
#: A question is ≤ 2000 characters and a profile ≤ 20,000; the chat history the page sends back with each turn is
#: the largest part (≈ 6 kB per answer), so 1 MB holds a conversation of well over 100 turns.
DEFAULT_MAX_REQUEST_BYTES = 1_000_000
#: Sessions tracked at once by the rate limiter; the least recently seen are forgotten first (bounded memory).
MAX_TRACKED_SESSIONS = 10_000


class SecurityConfigError(ValueError):
    """A security setting that cannot be used; ``message`` is Chinese and never contains a password."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- login -----------------------------------------------------------------------------------------------------------


OPERATOR = "operator"
#: Roles a login line may end with; a line without one is an ordinary (enterprise, hotline) login.
ROLES = (OPERATOR,)


@dataclass(frozen=True)
class Account:
    """One login: the user, the password (never logged) and the role (``operator`` or None)."""

    user: str
    password: str = field(repr=False)
    role: str | None = None


def _credential(line: str, where: str) -> Account:
    user, sep, password = line.partition(":")
    user = user.strip()
    role = None
    head, colon, tail = password.rpartition(":")
    if colon and tail.strip() in ROLES:  # "user:password:operator"
        password, role = head, tail.strip()
    if not sep or not user or not password:
        raise SecurityConfigError(f"{where} 的格式应为“用户名:密码”或“用户名:密码:operator”（用户名与密码均不能为空）。")
    return Account(user, password, role)


def load_accounts(environ: Mapping[str, str] | None = None) -> list[Account]:
    """Every login from ``JXAI_AUTH`` and/or ``JXAI_AUTH_FILE`` (empty = no login).

    A line is ``user:password`` or ``user:password:operator`` (the operator page's role; a password that itself ends
    in ``:operator`` cannot be written). Raises :class:`SecurityConfigError` naming the variable, file and line
    (never the password) when they cannot be used: a malformed entry, an unreadable or empty file, a repeated user.
    """
    env = os.environ if environ is None else environ
    accounts: list[Account] = []
    if raw := (env.get(AUTH_ENV) or "").strip():
        accounts.append(_credential(raw, f"环境变量 {AUTH_ENV}"))
    if name := (env.get(AUTH_FILE_ENV) or "").strip():
        path = Path(name).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecurityConfigError(f"无法读取登录文件 {path}（{AUTH_FILE_ENV}）：{type(exc).__name__}。") from None
        lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.splitlines(), start=1)
                 if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            raise SecurityConfigError(f"登录文件 {path}（{AUTH_FILE_ENV}）中没有“用户名:密码”行。")
        accounts += [_credential(line, f"登录文件 {path} 第 {n} 行") for n, line in lines]
    users = [account.user for account in accounts]
    if len(set(users)) != len(users):
        raise SecurityConfigError("登录配置中有重复的用户名。")
    return accounts


def load_auth(environ: Mapping[str, str] | None = None) -> list[tuple[str, str]] | None:
    """Login credentials as Gradio's ``auth`` list (every role logs in the same way); None = no login.

    Raises :class:`SecurityConfigError` as :func:`load_accounts`.
    """
    return [(a.user, a.password) for a in load_accounts(environ)] or None


def operators(environ: Mapping[str, str] | None = None) -> set[str]:
    """The users with the operator role (empty when none is configured)."""
    return {a.user for a in load_accounts(environ) if a.role == OPERATOR}


# --- rate limiting ---------------------------------------------------------------------------------------------------


def parse_rate_limit(raw: str | None) -> tuple[int, float] | None:
    """Read "30/60" (requests per seconds) → (30, 60.0); "off"/"0" → None (no limit); empty → the default.

    Raises :class:`SecurityConfigError` with a Chinese message on anything else.
    """
    text = (raw or "").strip().lower()
    if not text:
        return DEFAULT_RATE_LIMIT
    if text in {"off", "0", "none", "false"}:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?", text)
    if match is None or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise SecurityConfigError(f"{RATE_LIMIT_ENV} 应写成“次数/秒数”，如 30/60，或 off；而不是“{raw}”。")
    return int(match.group(1)), float(match.group(2))


class RateLimiter:
    """A sliding-window limit per key (a browser session or API client): at most ``limit`` calls per ``window`` s.

    Thread-safe; memory is bounded by ``max_keys`` (the least recently active keys are dropped first).
    """

    def __init__(self, limit: int, window: float, *, max_keys: int = MAX_TRACKED_SESSIONS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_keys, self._clock = limit, window, max_keys, clock
        self._calls: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "RateLimiter | None":
        """The limiter configured by ``JXAI_RATE_LIMIT`` (None when switched off)."""
        env = os.environ if environ is None else environ
        setting = parse_rate_limit(env.get(RATE_LIMIT_ENV))
        return None if setting is None else cls(*setting)

    def check(self, key: str | None) -> float | None:
        """Count one call for ``key``; return None when allowed, else the seconds until the next call is allowed."""
        key = key or "anonymous"
        now = self._clock()
        with self._lock:
            calls = self._calls.get(key)
            if calls is None:
                calls = self._calls[key] = deque()
                while len(self._calls) > self.max_keys:
                    self._calls.popitem(last=False)
            else:
                self._calls.move_to_end(key)
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return max(calls[0] + self.window - now, 0.0)
            calls.append(now)
            return None

    def message(self, wait: float) -> str:
        """The friendly Chinese message for a limited caller."""
        return limit_message(self.limit, self.window, wait)


def limit_message(limit: int, window: float, wait: float) -> str:
    """The friendly Chinese message for a caller over ``limit`` calls per ``window`` seconds, to wait ``wait`` s."""
    seconds = max(1, math.ceil(wait))
    return (f"您提问得太频繁了，请 {seconds} 秒后再试。为保证大家都能使用，每位用户（按网络地址或 API 密钥计）"
            f"每 {window:g} 秒最多处理 {limit} 次请求。")


# --- request size ----------------------------------------------------------------------------------------------------


def max_request_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The request body limit from ``JXAI_MAX_REQUEST_BYTES`` (default 1 MB); SecurityConfigError when unreadable."""
    env = os.environ if environ is None else environ
    raw = (env.get(MAX_REQUEST_BYTES_ENV) or "").strip()
    if not raw:
        return DEFAULT_MAX_REQUEST_BYTES
    if not raw.isdigit() or int(raw) < 1024:
        raise SecurityConfigError(f"{MAX_REQUEST_BYTES_ENV} 应为不小于 1024 的字节数，而不是“{raw}”。")
    return int(raw)


async def send_error(send: Callable, status: int, code: str, message: str, headers: list | None = None) -> None:
    """Send a complete JSON error response ``{"code", "message"}`` (the server's one error shape)."""
    body = json.dumps({"code": code, "message": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class RequestSizeLimit:
    """ASGI middleware: refuse HTTP request bodies larger than ``max_bytes`` with 413 and a Chinese JSON message.

    The declared Content-Length is checked before anything is read; a chunked body is counted as it streams in, so
    memory stays bounded even when the client lies about or omits the length.
    """

    def __init__(self, app: Any, max_bytes: int = DEFAULT_MAX_REQUEST_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_error(send, 400, "bad_request", "请求头 Content-Length 无效。")
                return
            if int(declared) > self.max_bytes:
                await send_error(send, 413, "too_large", self._too_large())
                return
        received = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body") or b"")
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message.get("type") == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await send_error(send, 413, "too_large", self._too_large())

    def _too_large(self) -> str:
        return f"请求内容过大（上限 {self.max_bytes // 1000} KB），请精简问题或企业信息后再试。"


# --- answer Markdown -------------------------------------------------------------------------------------------------

# The composer writes plain Markdown (bold, lists, blockquotes) and never HTML, links or images. Anything of that kind
# in an answer came from somewhere else (user words echoed back, an LLM rephrasing): it is shown as text.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_IMAGE_START = re.compile(r"!\[")
_LINK_TARGET = re.compile(r"(?<!\\)\]\(")


def safe_markdown(answer: str) -> str:
    """Return ``answer`` with raw HTML tags, comments, autolinks, images and inline links made literal text.

    Idempotent, and a no-op on the composer's own Markdown (so figures and quotes are unchanged).
    """
    text = _TAG_START.sub("&lt;", answer)
    text = _IMAGE_START.sub(r"!\\[", text)
    return _LINK_TARGET.sub(r"\\](", text)
