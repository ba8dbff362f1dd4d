"""Rate-limit counters shared by every worker process: a fixed window per key, counted in Redis when
``JXAI_REDIS_URL`` is set (shared by replicas too), else in SQLite in the data directory (shared by the workers of
one machine: ``ratelimits.sqlite3``).

Fixed window: calls are counted per key in windows of ``window`` seconds aligned to the clock (Redis: ``INCR`` then
``EXPIRE`` on ``jxai:rate:<key>:<window number>``); the ``limit + 1``-th call in a window is refused until the window
ends. A client may so place up to twice the limit across a window boundary; that is the price of one counter per
key. When the shared store cannot be reached, the worker counts in its own process (a sliding window, as a single
process always did) until it can again, and says so once in the log: a broken Redis never turns every caller away.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .security import RateLimiter, limit_message

log = logging.getLogger(__name__)

#: Expired windows are deleted from SQLite once per this many counts.
PRUNE_EVERY = 1000


class _SharedWindow:
    """What both shared counters do: the window arithmetic, the message, the in-process fallback."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.time) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._fallback = RateLimiter(limit, window)
        self._failing = False

    def check(self, key: str | None) -> float | None:
        """Count one call for ``key``; None when allowed, else the seconds until its window ends."""
        key = key or "anonymous"
        now = self._clock()
        number = math.floor(now / self.window)
        try:
            count = self._count(key, number)
        except Exception as exc:
            if not self._failing:
                log.warning("shared rate-limit store unavailable (%s): counting in this process", type(exc).__name__)
                self._failing = True
            return self._fallback.check(key)
        if self._failing:
            log.warning("shared rate-limit store reachable again")
            self._failing = False
        if count <= self.limit:
            return None
        return max((number + 1) * self.window - now, 0.0)

    def message(self, wait: float) -> str:
        """The friendly Chinese message for a limited caller."""
        return limit_message(self.limit, self.window, wait)

    def _count(self, key: str, number: int) -> int:
        raise NotImplementedError


class RedisWindow(_SharedWindow):
    """Counts in Redis: one key per client and window, which expires when its window has passed."""

    PREFIX = "jxai:rate:"

    def __init__(self, url: str, limit: int, window: float, clock: Callable[[], float] = time.time) -> None:
        import redis  # only needed when Redis is configured

        super().__init__(limit, window, clock)
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._ttl = max(1, math.ceil(window))

    def _count(self, key: str, number: int) -> int:
        pipe = self._redis.pipeline(transaction=True)
        name = f"{self.PREFIX}{key}:{number}"
        pipe.incr(name)
        pipe.expire(name, self._ttl)
        count, _ = pipe.execute()
        return int(count)


class SQLiteWindow(_SharedWindow):
    """Counts in one SQLite file (WAL): workers on one machine with one data directory share the counts."""

    def __init__(self, path: Path | str, limit: int, window: float, clock: Callable[[], float] = time.time) -> None:
        super().__init__(limit, window, clock)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._counts = 0
        self._connection().execute("CREATE TABLE IF NOT EXISTS rate_windows (key TEXT NOT NULL, window INTEGER NOT "
                                   "NULL, count INTEGER NOT NULL, PRIMARY KEY (key, window)) WITHOUT ROWID")

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:  # one connection per thread
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # counts need no durability across a power cut
            self._local.conn = conn
        return conn

    def _count(self, key: str, number: int) -> int:
        conn = self._connection()
        count = conn.execute("INSERT INTO rate_windows (key, window, count) VALUES (?, ?, 1) ON CONFLICT (key, window) "
                             "DO UPDATE SET count = count + 1 RETURNING count", (key, number)).fetchone()[0]
        self._counts += 1
        if self._counts % PRUNE_EVERY == 0:
            conn.execute("DELETE FROM rate_windows WHERE window < ?", (number,))
        return int(count)
