"""👍/👎 feedback on answers, stored locally in SQLite under ``paths.data_dir()``.

Privacy by default: a row holds the conversation id (random), the turn, the rating, the reason, the intent and the
cited clause ids. The question text is stored only when the operator sets ``JXAI_STORE_QUESTIONS=1``, and then with
phone, ID and bank-card numbers and e-mail addresses masked.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..insights.log import REASONS, retention_days, store_questions
from ..insights.masking import mask
from ..paths import data_dir
from ..sqlitefile import SQLiteFile

__all__ = ["REASONS", "RATINGS", "FeedbackRecord", "FeedbackStore", "store_questions"]

RATINGS = ("up", "down")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    intent TEXT,
    clause_ids TEXT NOT NULL,
    award_yuan INTEGER,
    question TEXT,
    answer_id TEXT
)
"""


def _setup(conn: sqlite3.Connection) -> None:
    conn.execute(_SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
    if "answer_id" not in columns:  # a file written before answers had ids
        conn.execute("ALTER TABLE feedback ADD COLUMN answer_id TEXT")


@dataclass(frozen=True)
class FeedbackRecord:
    """One stored feedback row."""

    created_at: str
    conversation_id: str
    turn: int
    rating: str
    reason: str | None
    intent: str | None
    clause_ids: list[str]
    award_yuan: int | None
    question: str | None
    answer_id: str | None = None


class FeedbackStore:
    """Append-only feedback table in one SQLite file (safe across the server's worker threads)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else data_dir() / "feedback.sqlite3"
        self._db = SQLiteFile(self.path, _setup)

    def record(
        self,
        *,
        conversation_id: str,
        turn: int,
        rating: str,
        reason: str | None = None,
        intent: str | None = None,
        clause_ids: list[str] | None = None,
        award_yuan: int | None = None,
        question: str | None = None,
        answer_id: str | None = None,
    ) -> FeedbackRecord:
        """Store one rating; ``question`` is dropped unless storing questions is enabled. Raises ``ValueError`` on an
        unknown rating or reason."""
        if rating not in RATINGS:
            raise ValueError(f"未知的评价：{rating!r}")
        if reason is not None and reason not in REASONS:
            raise ValueError(f"未知的原因：{reason!r}")
        row = FeedbackRecord(
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            conversation_id=conversation_id,
            turn=int(turn),
            rating=rating,
            reason=reason if rating == "down" else None,
            intent=intent,
            clause_ids=list(clause_ids or []),
            award_yuan=None if award_yuan is None else int(award_yuan),
            question=mask(question) if question and store_questions() else None,
            answer_id=answer_id,
        )
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO feedback (created_at, conversation_id, turn, rating, reason, intent, clause_ids, "
                "award_yuan, question, answer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.created_at, row.conversation_id, row.turn, row.rating, row.reason, row.intent,
                 json.dumps(row.clause_ids, ensure_ascii=False), row.award_yuan, row.question, row.answer_id),
            )
            # Ratings are few: expired rows (JXAI_LOG_RETENTION_DAYS, as the usage log) go on every write.
            cutoff = datetime.now(timezone.utc) - timedelta(days=retention_days())
            conn.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff.isoformat(timespec="seconds"),))
        return row

    def all(self) -> list[FeedbackRecord]:
        """Return every stored row, oldest first."""
        if not self.path.exists():
            return []
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT created_at, conversation_id, turn, rating, reason, intent, clause_ids, award_yuan, question, "
                "answer_id FROM feedback ORDER BY id"
            ).fetchall()
        return [FeedbackRecord(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9]) for r in rows]
