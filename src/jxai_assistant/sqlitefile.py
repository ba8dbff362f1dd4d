"""One small SQLite file used from many threads: a short connection per call, the schema set up on first use."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class SQLiteFile:
    """A SQLite file whose ``setup(conn)`` (create tables, migrate) runs once per process, on the first connection."""

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], None]):
        self.path = Path(path)
        self._setup = setup
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection: committed on success, always closed (no handle kept across threads)."""
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                with conn:
                    if not self._ready:
                        self._setup(conn)
                        self._ready = True
                    yield conn
            finally:
                conn.close()
