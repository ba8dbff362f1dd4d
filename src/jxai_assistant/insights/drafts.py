"""Draft examples for the recognizer, written to a review file in the data directory — never into ``corpus/``.

A group of unanswered questions becomes examples of one act (``corpus/nlu/intents.yaml``) or topic
(``topics.yaml``) in the same format, ``{version: 1, intents: {label: {description, examples: [...]}}}``, under
``<data dir>/review/nlu/<kind>.yaml``. Someone copies what is right into ``corpus/nlu/`` and commits it; the live
assistant changes only with that reviewed commit.
"""

from __future__ import annotations

import threading
from pathlib import Path

import yaml

from ..paths import corpus_dir, data_dir

KINDS = ("intents", "topics")
HEADER = ("# 待审示例（由运营页面生成）：核对后手工合并到 corpus/nlu/{kind}.yaml 并提交；本文件不影响线上助手。\n"
          "# Draft examples written by the operator page: review, merge into corpus/nlu/{kind}.yaml, commit.\n")
_lock = threading.Lock()


class DraftError(ValueError):
    """A draft that cannot be written; ``message`` is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read(path: Path, kind: str) -> dict:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get(kind) or {}


def labels(kind: str) -> dict[str, str]:
    """The acts or topics the recognizer knows (label → description), from ``corpus/nlu/<kind>.yaml``."""
    if kind not in KINDS:
        raise DraftError(f"示例类别应为 {' 或 '.join(KINDS)}。")
    return {label: str((spec or {}).get("description") or "")
            for label, spec in _read(corpus_dir() / "nlu" / f"{kind}.yaml", kind).items()}


def draft_path(kind: str) -> Path:
    """Where drafts of ``kind`` are written: ``<data dir>/review/nlu/<kind>.yaml``."""
    return data_dir() / "review" / "nlu" / f"{kind}.yaml"


def add_examples(kind: str, label: str, examples: list[str]) -> tuple[Path, list[str]]:
    """Add ``examples`` under ``label`` in the review file of ``kind``; returns the file and the examples added
    (those already in the corpus or the draft are skipped). Raises :class:`DraftError` for an unknown kind or label."""
    known = labels(kind)
    if label not in known:
        raise DraftError(f"没有这个标签：{label}。")
    corpus_examples = set((_read(corpus_dir() / "nlu" / f"{kind}.yaml", kind).get(label) or {}).get("examples") or [])
    path = draft_path(kind)
    with _lock:
        drafts = _read(path, kind)
        entry = drafts.setdefault(label, {"description": known[label], "examples": []})
        added = [q for q in dict.fromkeys(e.strip() for e in examples if e and e.strip())
                 if q not in corpus_examples and q not in entry["examples"]]
        entry["examples"] += added
        path.parent.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump({"version": 1, kind: drafts}, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(HEADER.format(kind=kind) + body, encoding="utf-8")
    return path, added
