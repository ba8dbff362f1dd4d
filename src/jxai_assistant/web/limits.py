"""The one rate limit every door shares — the page, the REST API, the OpenAI-compatible endpoint, the MCP tools,
feedback — keyed on who is calling (``clients.ClientPolicy``): the API key when a valid one is sent, else the client
address.

Where calls are counted (``JXAI_RATE_LIMIT`` limit per window, ``ratecount``): in Redis when ``JXAI_REDIS_URL`` is
set (all workers and replicas share one count), else in ``ratelimits.sqlite3`` in the data directory (all workers of
one machine share it). ``Limits(policy, RateLimiter(...))`` counts in one process (tests, a library user).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clients import ClientPolicy, api_key_from
from .security import parse_rate_limit, RATE_LIMIT_ENV


class Counter(Protocol):
    """A rate limiter: ``check`` counts a call and says how long to wait; ``message`` says it in Chinese."""

    def check(self, key: str | None) -> float | None: ...

    def message(self, wait: float) -> str: ...


@dataclass(frozen=True)
class Refusal:
    """Why a call is refused before it is answered: HTTP status, stable code, Chinese message, headers."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)


API_KEY_REQUIRED = "需要有效的 API 密钥：请在请求头中加入 Authorization: Bearer <密钥>。"


def shared_counter(environ: Mapping[str, str] | None = None, data: Any = None) -> Counter | None:
    """The counter ``JXAI_RATE_LIMIT`` asks for (None = off), shared through Redis (``JXAI_REDIS_URL``) or SQLite in
    the data directory (``data``, default ``paths.data_dir()``)."""
    from ..dialogue.store import REDIS_URL_ENV

    env = os.environ if environ is None else environ
    setting = parse_rate_limit(env.get(RATE_LIMIT_ENV))
    if setting is None:
        return None
    if url := (env.get(REDIS_URL_ENV) or "").strip():
        from .ratecount import RedisWindow

        return RedisWindow(url, *setting)
    from ..paths import data_dir
    from .ratecount import SQLiteWindow

    return SQLiteWindow((data or data_dir()) / "ratelimits.sqlite3", *setting)


@dataclass
class Limits:
    """Client identification plus the shared limiter (None = limits off)."""

    policy: ClientPolicy
    limiter: Counter | None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """Read ``JXAI_TRUSTED_PROXIES``, ``JXAI_API_KEYS``, ``JXAI_RATE_LIMIT`` and ``JXAI_REDIS_URL``."""
        return cls(ClientPolicy.from_env(environ), shared_counter(environ))

    def key(self, peer: str | None, headers: Mapping[str, str]) -> str:
        """The limit key for a request from ``peer`` with these (lower-case) headers."""
        address = self.policy.address(peer, [headers.get("x-forwarded-for") or ""])
        return self.policy.limit_key(address, api_key_from(headers))

    def check(self, peer: str | None, headers: Mapping[str, str]) -> tuple[str, float] | None:
        """Count one request; None when allowed, else (Chinese message, seconds to wait)."""
        if self.limiter is None:
            return None
        wait = self.limiter.check(self.key(peer, headers))
        return None if wait is None else (self.limiter.message(wait), wait)

    def refusal(self, peer: str | None, headers: Mapping[str, str]) -> Refusal | None:
        """An API call (REST, chat completions, MCP): refused without a valid key when keys are configured (401),
        or over the limit (429, with ``Retry-After``); None when it may be answered (and then it was counted)."""
        if self.policy.api_keys and not self.policy.key_valid(api_key_from(headers)):
            return Refusal(401, "api_key_required", API_KEY_REQUIRED, {"WWW-Authenticate": "Bearer"})
        if (limited := self.check(peer, headers)) is not None:
            message, wait = limited
            return Refusal(429, "rate_limited", message, {"Retry-After": str(max(1, math.ceil(wait)))})
        return None


_limits: Limits | None = None


def configure(environ: Mapping[str, str] | None = None) -> Limits:
    """(Re)read the limit settings for this process and return them."""
    global _limits
    _limits = Limits.from_env(environ)
    return _limits


def current() -> Limits:
    """This process's limits (configured from the environment on first use)."""
    return _limits or configure()
