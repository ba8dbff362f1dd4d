"""Who is calling: the client address (``X-Forwarded-For`` only from trusted proxies) and the API key, as the key
every rate limit counts against. A session id the client chooses is never the key: changing it, or sending none,
does not escape a limit.

Configuration (environment):
- ``JXAI_TRUSTED_PROXIES="10.0.0.2,10.1.0.0/16"``: reverse proxies whose ``X-Forwarded-For`` is believed.
- ``JXAI_API_KEYS=/path``: one API key a line (``#`` comments). When set, the REST API requires
  ``Authorization: Bearer <key>`` (or ``X-API-Key``) and limits count per key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .security import SecurityConfigError

TRUSTED_PROXIES_ENV = "JXAI_TRUSTED_PROXIES"
API_KEYS_ENV = "JXAI_API_KEYS"
#: Longest header value read for an address or key; anything longer is not one.
MAX_HEADER_CHARS = 512

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def parse_proxies(raw: str | None) -> tuple[Network, ...]:
    """Read ``JXAI_TRUSTED_PROXIES`` (addresses or networks, comma-separated); SecurityConfigError when unreadable."""
    networks = []
    for part in (raw or "").split(","):
        if part := part.strip():
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise SecurityConfigError(f"{TRUSTED_PROXIES_ENV} 中的“{part}”不是 IP 地址或网段。") from None
    return tuple(networks)


def load_api_keys(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The API keys from the file named by ``JXAI_API_KEYS`` (empty: keys not required)."""
    env = os.environ if environ is None else environ
    name = (env.get(API_KEYS_ENV) or "").strip()
    if not name:
        return frozenset()
    path = Path(name).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecurityConfigError(f"无法读取 API 密钥文件 {path}（{API_KEYS_ENV}）：{type(exc).__name__}。") from None
    keys = frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    if not keys:
        raise SecurityConfigError(f"API 密钥文件 {path}（{API_KEYS_ENV}）中没有密钥。")
    return keys


@dataclass(frozen=True)
class ClientPolicy:
    """How callers are identified: trusted proxies and API keys (read once at start-up)."""

    proxies: tuple[Network, ...] = ()
    api_keys: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ClientPolicy":
        """The policy configured by ``JXAI_TRUSTED_PROXIES`` and ``JXAI_API_KEYS``."""
        env = os.environ if environ is None else environ
        return cls(parse_proxies(env.get(TRUSTED_PROXIES_ENV)), load_api_keys(env))

    def _trusted(self, address: str) -> bool:
        ip = _parse_ip(address)
        return ip is not None and any(ip in net for net in self.proxies)

    def address(self, peer: str | None, forwarded_for: Iterable[str] = ()) -> str:
        """The client's address: the peer, or — when the peer is a trusted proxy — the last ``X-Forwarded-For``
        hop that is not itself a trusted proxy (the leftmost entries are the client's to forge)."""
        peer = peer or "unknown"
        if not self._trusted(peer):
            return peer
        hops = [h.strip() for value in forwarded_for for h in value[:MAX_HEADER_CHARS].split(",") if h.strip()]
        for hop in reversed(hops):
            if _parse_ip(hop) is None:
                break  # garbage: stop believing the chain here
            if not self._trusted(hop):
                return hop
        return peer

    def key_valid(self, key: str | None) -> bool:
        """Whether ``key`` is one of the configured API keys (constant-time comparison)."""
        if not key:
            return False
        given = key.encode()[:MAX_HEADER_CHARS]
        return any(hmac.compare_digest(given, k.encode()) for k in self.api_keys)

    def limit_key(self, address: str, api_key: str | None) -> str:
        """What a rate limit counts against: the API key when a valid one is given, else the client address."""
        if self.key_valid(api_key):
            # Hashed: the limiter's memory never holds a usable key.
            return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:24]
        return "ip:" + address


def api_key_from(headers: Mapping[str, str]) -> str | None:
    """The API key a request carries: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``."""
    auth = headers.get("authorization") or ""
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return (headers.get("x-api-key") or "").strip() or None
