"""The server's front door, as one ASGI middleware: file uploads refused, login attempts throttled and locked out.

Gradio's page has an upload route that would accept anonymous files; this app takes none, so every ``…/upload``
request gets 403. Login (``POST …/login``) is counted per client address: at most ``LOGIN_ATTEMPTS`` tries per
``LOGIN_WINDOW`` seconds, and ``LOCKOUT_AFTER`` failures in a row lock the address out for ``LOCKOUT_SECONDS``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .clients import ClientPolicy
from .security import MAX_TRACKED_SESSIONS, RateLimiter, send_error

LOGIN_ATTEMPTS, LOGIN_WINDOW = 5, 60.0
LOCKOUT_AFTER, LOCKOUT_SECONDS = 10, 900.0
UPLOADS_REFUSED = "本服务不接受文件上传。"


class LoginGuard:
    """Login attempts per client address: a rate limit, and a lockout after repeated failures (bounded memory)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._attempts = RateLimiter(LOGIN_ATTEMPTS, LOGIN_WINDOW, clock=clock)
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # address → (failures, locked until)
        self._lock = threading.Lock()

    def wait(self, address: str) -> float | None:
        """Seconds this address must wait before trying again, or None; counts the attempt when allowed."""
        with self._lock:
            _, until = self._failures.get(address, (0, 0.0))
        now = self._clock()
        if until > now:
            return until - now
        return self._attempts.check(address)

    def result(self, address: str, ok: bool) -> None:
        """Record a login outcome: success clears the address's failures; failure may lock it out."""
        with self._lock:
            if ok:
                self._failures.pop(address, None)
                return
            count = self._failures.pop(address, (0, 0.0))[0] + 1
            until = self._clock() + LOCKOUT_SECONDS if count >= LOCKOUT_AFTER else 0.0
            self._failures[address] = (0 if until else count, until)
            while len(self._failures) > MAX_TRACKED_SESSIONS:
                self._failures.popitem(last=False)


class Gate:
    """ASGI middleware in front of the whole app (REST API and Gradio page)."""

    def __init__(self, app: Any, policy: ClientPolicy | None = None, guard: LoginGuard | None = None) -> None:
        self.app, self.policy, self.guard = app, policy or ClientPolicy(), guard or LoginGuard()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path") or ""
        if path.rstrip("/").endswith("/upload"):
            await send_error(send, 403, "uploads_disabled", UPLOADS_REFUSED)
            return
        if scope.get("method") == "POST" and path.rstrip("/").endswith("/login"):
            await self._login(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _login(self, scope: dict, receive: Callable, send: Callable) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        peer = (scope.get("client") or (None,))[0]
        address = self.policy.address(peer, [headers.get("x-forwarded-for", "")])
        if (wait := self.guard.wait(address)) is not None:
            seconds = max(1, math.ceil(wait))
            await send_error(send, 429, "login_throttled", f"登录尝试过于频繁，请 {seconds} 秒后再试。",
                            [(b"retry-after", str(seconds).encode())])
            return
        status = 0

        async def watched(message: dict) -> None:
            nonlocal status
            if message.get("type") == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        self.guard.result(address, 200 <= status < 400)
