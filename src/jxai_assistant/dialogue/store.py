"""Persistent conversation stores for servers: SQLite in the data directory (default) or Redis (``JXAI_REDIS_URL``).

A conversation survives restarts and is shared by every worker. Only ids this store issued can be continued: an
unknown or expired id opens nothing (``open`` returns None) and the assistant says the conversation has ended,
rather than silently starting afresh. Both stores are bounded: a time to live (``JXAI_CONVERSATION_TTL`` seconds,
default 24 h) and, for SQLite, a row limit (``JXAI_MAX_CONVERSATIONS``, default 100,000; Redis bounds itself with
its own ``maxmemory`` policy).

Private by default: a stored state holds facts and what they name, not the user's words (``keep_words=False``; the
server keeps words only when the operator allows question text, ``JXAI_STORE_QUESTIONS=1``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .state import ConversationState, StateFormatError, new_conversation_id

log = logging.getLogger(__name__)

REDIS_URL_ENV = "JXAI_REDIS_URL"
TTL_ENV = "JXAI_CONVERSATION_TTL"
MAX_ENV = "JXAI_MAX_CONVERSATIONS"
DEFAULT_TTL = 24 * 3600
DEFAULT_MAX_CONVERSATIONS = 100_000
#: Expired and surplus rows are pruned once per this many saves (pruning scans the table).
PRUNE_EVERY = 500
#: Longest conversation id accepted; anything longer is not one we issued.
MAX_ID_CHARS = 64


class StoreError(RuntimeError):
    """The store cannot be read or written (database locked or broken, Redis unreachable)."""


class _PersistentStore:
    """What both stores share: ids are issued here, unknown ids open nothing, damaged rows count as ended."""

    creates_unknown = False
    #: Whether stored states keep the user's own words (the quote behind each fact); off unless the operator allows.
    keep_words = False

    def open(self, conversation_id: str | None) -> ConversationState | None:
        """A new conversation for ``None``; the stored state for a live id; None for an unknown or expired id."""
        if conversation_id is None:
            return ConversationState(new_conversation_id())
        if not isinstance(conversation_id, str) or not 0 < len(conversation_id) <= MAX_ID_CHARS:
            return None
        try:
            raw = self._load(conversation_id)
        except Exception as exc:
            raise StoreError(type(exc).__name__) from exc
        if raw is None:
            return None
        try:
            return ConversationState.from_json(raw)
        except StateFormatError as exc:
            log.warning("conversation %s cannot be continued: %s", conversation_id, exc)
            return None

    def _load(self, conversation_id: str) -> str | bytes | None:
        raise NotImplementedError


class SQLiteConversationStore(_PersistentStore):
    """Conversations as JSON rows in one SQLite file (WAL: readers do not block the writer across processes)."""

    def __init__(self, path: Path | str, ttl: float = DEFAULT_TTL, capacity: int = DEFAULT_MAX_CONVERSATIONS,
                 keep_words: bool = False):
        self.path, self.ttl, self.capacity, self.keep_words = Path(path), ttl, capacity, keep_words
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._saves = 0
        with self._connection() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS conversations "
                         "(id TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated)")

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must not be shared between threads.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
            self._local.conn = conn
        return conn

    def _load(self, conversation_id: str) -> str | None:
        row = self._connection().execute(
            "SELECT state FROM conversations WHERE id = ? AND updated > ?",
            (conversation_id, time.time() - self.ttl)).fetchone()
        return row[0] if row else None

    def save(self, state: ConversationState) -> None:
        """Write the state (insert or replace); now and then drop expired and surplus conversations."""
        try:
            self._save(state)
        except sqlite3.Error as exc:
            raise StoreError(type(exc).__name__) from exc

    def _save(self, state: ConversationState) -> None:
        conn = self._connection()
        conn.execute("INSERT OR REPLACE INTO conversations (id, state, updated) VALUES (?, ?, ?)",
                     (state.conversation_id, state.to_json(self.keep_words), time.time()))
        self._saves += 1
        if self._saves % PRUNE_EVERY == 0:
            self.prune()

    def prune(self) -> None:
        """Delete expired conversations, then the least recently used beyond the capacity."""
        conn = self._connection()
        conn.execute("DELETE FROM conversations WHERE updated <= ?", (time.time() - self.ttl,))
        conn.execute("DELETE FROM conversations WHERE id IN (SELECT id FROM conversations ORDER BY updated DESC "
                     "LIMIT -1 OFFSET ?)", (self.capacity,))

    def reset(self, conversation_id: str) -> None:
        """Forget one conversation."""
        self._connection().execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def __len__(self) -> int:
        return self._connection().execute("SELECT count(*) FROM conversations").fetchone()[0]


class RedisConversationStore(_PersistentStore):
    """Conversations as JSON strings in Redis, each with the store's time to live (refreshed on every turn)."""

    PREFIX = "jxai:conversation:"

    def __init__(self, url: str, ttl: float = DEFAULT_TTL, keep_words: bool = False):
        import redis  # only needed when Redis is configured

        self.ttl, self.keep_words = int(ttl), keep_words
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._errors = redis.RedisError

    def _load(self, conversation_id: str) -> bytes | None:
        return self._redis.get(self.PREFIX + conversation_id)

    def save(self, state: ConversationState) -> None:
        """Write the state with a fresh time to live."""
        try:
            self._redis.set(self.PREFIX + state.conversation_id, state.to_json(self.keep_words), ex=self.ttl)
        except self._errors as exc:
            raise StoreError(type(exc).__name__) from exc

    def reset(self, conversation_id: str) -> None:
        """Forget one conversation."""
        self._redis.delete(self.PREFIX + conversation_id)

    def ping(self) -> bool:
        """Whether Redis answers (readiness)."""
        return bool(self._redis.ping())


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"环境变量 {name} 应为正整数，而不是“{raw}”。")
    return int(raw)


def store_from_env(data_dir: Path, environ: Mapping[str, str] | None = None, keep_words: bool = False) -> Any:
    """The server's store: Redis when ``JXAI_REDIS_URL`` is set, else SQLite at ``data_dir/conversations.sqlite3``;
    ``keep_words`` as the operator's question-storage setting says.

    Raises ``ValueError`` with a Chinese message for an unusable setting.
    """
    env = os.environ if environ is None else environ
    ttl = _positive(env, TTL_ENV, DEFAULT_TTL)
    if url := (env.get(REDIS_URL_ENV) or "").strip():
        return RedisConversationStore(url, ttl, keep_words)
    return SQLiteConversationStore(data_dir / "conversations.sqlite3", ttl,
                                   _positive(env, MAX_ENV, DEFAULT_MAX_CONVERSATIONS), keep_words)
