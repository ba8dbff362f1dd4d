"""The one rate limit every door shares — the page, the REST API, the OpenAI-compatible endpoint, feedback — keyed
on who is calling (``clients.ClientPolicy``): the API key when a valid one is sent, else the client address.

In-process (per worker): with N workers a client may get up to N times the limit; the reverse proxy in front of a
multi-replica deployment should apply its own per-address limit too (README, "Deployment").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .clients import ClientPolicy, api_key_from
from .security import RateLimiter


@dataclass
class Limits:
    """Client identification plus the shared limiter (None = limits off)."""

    policy: ClientPolicy
    limiter: RateLimiter | None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """Read ``JXAI_TRUSTED_PROXIES``, ``JXAI_API_KEYS`` and ``JXAI_RATE_LIMIT``."""
        return cls(ClientPolicy.from_env(environ), RateLimiter.from_env(environ))

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


_limits: Limits | None = None


def configure(environ: Mapping[str, str] | None = None) -> Limits:
    """(Re)read the limit settings for this process and return them."""
    global _limits
    _limits = Limits.from_env(environ)
    return _limits


def current() -> Limits:
    """This process's limits (configured from the environment on first use)."""
    return _limits or configure()
