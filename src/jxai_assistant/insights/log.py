"""The usage log: one row per answer, private by default, in ``usage.sqlite3`` in the data directory.

A row holds the time, the intent, the cited clause ids, the policies computed, the confidence (below), whether the
question was out of scope, the latency, and the 👍/👎 with its reason once given. The question text is stored only
when ``JXAI_STORE_QUESTIONS=1``, and then masked (``masking.mask``). The answer id is stored hashed: it links a
rating to its row without pointing into the conversation store. Rows older than ``JXAI_LOG_RETENTION_DAYS``
(default 90) are deleted.

Confidence, from what the response contract carries (retrieval scores are not in it):
- ``refused``: the answer says the question is out of scope (``out_of_scope``);
- ``silent``: the document covers the subject but not what was asked (the first sentence is "文件没有规定…");
- ``low``: the answer neither cites a clause nor computes a policy — the assistant could point nowhere;
- ``ok``: everything else (a cited answer, a calculation, or a clarifying question about a named policy).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..paths import data_dir
from ..sqlitefile import SQLiteFile
from .masking import mask

STORE_QUESTIONS_ENV = "JXAI_STORE_QUESTIONS"
#: Reasons a user can give for 👎, with the Chinese label shown in the UI and the reports.
REASONS: dict[str, str] = {
    "wrong_clause": "引用的条款不对",
    "wrong_amount": "金额算得不对",
    "no_answer": "没有回答我的问题",
}
RETENTION_ENV = "JXAI_LOG_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
CONFIDENCES = ("refused", "silent", "low", "ok")
#: Confidences the operator reviews as "not answered".
UNANSWERED = ("refused", "silent", "low")
SILENT_PREFIX = "文件没有规定"
#: How often (seconds) a writer deletes expired rows; deleting on every answer would cost a scan per answer.
PURGE_EVERY = 3600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    answer_key TEXT,
    channel TEXT NOT NULL,
    intent TEXT NOT NULL,
    clause_ids TEXT NOT NULL,
    policy_ids TEXT NOT NULL,
    award_yuan INTEGER,
    confidence TEXT NOT NULL,
    out_of_scope INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    rating TEXT,
    reason TEXT,
    question TEXT
);
CREATE INDEX IF NOT EXISTS answers_created ON answers (created_at);
CREATE INDEX IF NOT EXISTS answers_key ON answers (answer_key);
"""


def store_questions(environ: Mapping[str, str] | None = None) -> bool:
    """True when the operator allowed storing (masked) question text: ``JXAI_STORE_QUESTIONS=1``."""
    env = os.environ if environ is None else environ
    return (env.get(STORE_QUESTIONS_ENV) or "").strip() == "1"


def retention_days(environ: Mapping[str, str] | None = None) -> int:
    """Days a row is kept (``JXAI_LOG_RETENTION_DAYS``, default 90); a value that is not a positive integer is an
    operator mistake and raises ``ValueError`` with a Chinese message."""
    env = os.environ if environ is None else environ
    raw = (env.get(RETENTION_ENV) or "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{RETENTION_ENV} 应为正整数（天数），而不是“{raw}”。")
    return int(raw)


def confidence(response: Mapping[str, Any]) -> str:
    """The confidence class of one contract response (see the module docstring)."""
    if response.get("out_of_scope"):
        return "refused"
    if str(response.get("answer") or "").startswith(SILENT_PREFIX):
        return "silent"
    if not response.get("citations") and not response.get("calculations"):
        return "low"
    return "ok"


def answer_key(answer_id: str) -> str:
    """The stored form of an answer id (a hash: links a rating to its row, not to a conversation)."""
    return hashlib.sha256(answer_id.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """One logged answer."""

    created_at: datetime
    channel: str
    intent: str
    clause_ids: list[str]
    policy_ids: list[str]
    award_yuan: int | None
    confidence: str
    out_of_scope: bool
    latency_ms: float
    rating: str | None = None
    reason: str | None = None
    question: str | None = None
    answer_key: str | None = field(default=None, repr=False)

    @property
    def unanswered(self) -> bool:
        """Refused, silent or low confidence."""
        return self.confidence in UNANSWERED


CSV_FIELDS = ["created_at", "channel", "intent", "confidence", "out_of_scope", "clause_ids", "policy_ids",
              "award_yuan", "latency_ms", "rating", "reason", "question"]


def to_csv(entries: list[Entry]) -> str:
    """The entries as CSV (UTF-8 text with a header; lists joined by spaces); the hashed answer key is left out."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = asdict(entry)
        row.update(created_at=entry.created_at.isoformat(timespec="seconds"), clause_ids=" ".join(entry.clause_ids),
                   policy_ids=" ".join(entry.policy_ids), out_of_scope=int(entry.out_of_scope),
                   latency_ms=f"{entry.latency_ms:.1f}")
        writer.writerow(row)
    return out.getvalue()


class UsageLog:
    """Append-mostly SQLite log of answers (one short connection per call; safe across threads and workers)."""

    def __init__(self, path: Path | None = None, *, retention: int | None = None,
                 keep_questions: bool | None = None):
        self.path = Path(path) if path else data_dir() / "usage.sqlite3"
        self.retention = retention_days() if retention is None else retention
        self.keep_questions = store_questions() if keep_questions is None else keep_questions
        self._db = SQLiteFile(self.path, lambda conn: conn.executescript(_SCHEMA))
        self._purged_at = float("-inf")

    def record(self, response: Mapping[str, Any], *, latency_ms: float, question: str | None = None,
               channel: str = "api", now: datetime | None = None) -> Entry:
        """Log one answered turn (a contract dict). ``question`` is kept, masked, only when storing is enabled."""
        now = now or datetime.now(timezone.utc)
        answer_id = response.get("answer_id")
        entry = Entry(
            created_at=now,
            channel=channel,
            intent=str(response.get("intent") or "clarify"),
            clause_ids=list(dict.fromkeys(str(c.get("clause_id")) for c in response.get("citations") or [])),
            policy_ids=list(dict.fromkeys(str(c.get("policy_id")) for c in response.get("calculations") or [])),
            award_yuan=response.get("award_yuan"),
            confidence=confidence(response),
            out_of_scope=bool(response.get("out_of_scope")),
            latency_ms=round(float(latency_ms), 2),
            question=mask(question) if self.keep_questions and isinstance(question, str) and question.strip()
            else None,
            answer_key=answer_key(answer_id) if answer_id else None,
        )
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO answers (created_at, answer_key, channel, intent, clause_ids, policy_ids, award_yuan, "
                "confidence, out_of_scope, latency_ms, question) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now.isoformat(timespec="seconds"), entry.answer_key, entry.channel, entry.intent,
                 json.dumps(entry.clause_ids, ensure_ascii=False), json.dumps(entry.policy_ids, ensure_ascii=False),
                 entry.award_yuan, entry.confidence, int(entry.out_of_scope), entry.latency_ms, entry.question),
            )
        self._purge_now_and_then(now)
        return entry

    def rate(self, answer_id: str, rating: str, reason: str | None = None) -> bool:
        """Attach 👍/👎 (and the reason of a 👎) to the logged answer; False when that answer is not in the log."""
        with self._db.connect() as conn:
            cursor = conn.execute("UPDATE answers SET rating = ?, reason = ? WHERE answer_key = ?",
                                  (rating, reason if rating == "down" else None, answer_key(answer_id)))
            return cursor.rowcount > 0

    def entries(self, since: datetime | None = None) -> list[Entry]:
        """Logged answers at or after ``since`` (all when None), oldest first."""
        if not self.path.exists():
            return []
        query = ("SELECT created_at, channel, intent, clause_ids, policy_ids, award_yuan, confidence, out_of_scope, "
                 "latency_ms, rating, reason, question, answer_key FROM answers")
        args: tuple = ()
        if since is not None:
            query += " WHERE created_at >= ?"
            args = (since.astimezone(timezone.utc).isoformat(timespec="seconds"),)
        with self._db.connect() as conn:
            rows = conn.execute(query + " ORDER BY id", args).fetchall()
        return [Entry(datetime.fromisoformat(r[0]), r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6],
                      bool(r[7]), r[8], r[9], r[10], r[11], r[12]) for r in rows]

    def purge(self, now: datetime | None = None) -> int:
        """Delete rows older than the retention period; returns how many were deleted."""
        if not self.path.exists():
            return 0
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=self.retention)
        with self._db.connect() as conn:
            deleted = conn.execute("DELETE FROM answers WHERE created_at < ?",
                                   (cutoff.astimezone(timezone.utc).isoformat(timespec="seconds"),)).rowcount
        return deleted

    def _purge_now_and_then(self, now: datetime) -> None:
        stamp = now.timestamp()
        if stamp - self._purged_at >= PURGE_EVERY:
            self._purged_at = stamp
            self.purge(now)
