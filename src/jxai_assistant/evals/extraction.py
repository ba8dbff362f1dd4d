"""The extraction corpus (``evals/extraction/corpus.yaml``): annotated messages, scored fact by fact.

Each entry gives a message and the complete set of facts it states (``expect``), optional ``quantities`` and
``classes`` (negation, two_years, typo …). A message is read as the assistant reads a first message
(``understanding``: normalisation, extraction, statuses only where asserted); per fact, precision counts the facts found that the annotation has with the same value, recall the
annotated facts found with the right value; per class, the share of messages read exactly right.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..calculator.facts import fact_kind
from ..dialogue.state import ConversationState
from ..dialogue.understanding import understand
from ..document import load_document
from ..numbers import parse_amount

#: Relative dates in the corpus are read against this day (the corpus names no assessment dates).
TODAY = date(2026, 5, 1)


@dataclass
class ExtractionScore:
    """Per-fact counts, per-class exact reads, and the messages read wrongly."""

    true_positive: Counter = field(default_factory=Counter)
    false_positive: Counter = field(default_factory=Counter)
    false_negative: Counter = field(default_factory=Counter)
    class_total: Counter = field(default_factory=Counter)
    class_exact: Counter = field(default_factory=Counter)
    messages: int = 0
    exact: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def precision(self, fact: str) -> float | None:
        """Share of found values of ``fact`` that are right (None when nothing was found)."""
        found = self.true_positive[fact] + self.false_positive[fact]
        return self.true_positive[fact] / found if found else None

    def recall(self, fact: str) -> float | None:
        """Share of annotated values of ``fact`` that were found right (None when none is annotated)."""
        wanted = self.true_positive[fact] + self.false_negative[fact]
        return self.true_positive[fact] / wanted if wanted else None

    def micro(self) -> tuple[float, float]:
        """Precision and recall over all facts."""
        tp, fp, fn = (sum(c.values()) for c in (self.true_positive, self.false_positive, self.false_negative))
        return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        facts = sorted(set(self.true_positive) | set(self.false_positive) | set(self.false_negative))
        precision, recall = self.micro()
        return {
            "messages": self.messages, "exact": self.exact / self.messages if self.messages else None,
            "precision": precision, "recall": recall,
            "per_fact": {f: {"precision": self.precision(f), "recall": self.recall(f),
                             "support": self.true_positive[f] + self.false_negative[f]} for f in facts},
            "per_class": {c: self.class_exact[c] / n for c, n in sorted(self.class_total.items())},
        }


def expected_value(name: str, raw: Any) -> Any:
    """An annotated value as the extractor returns it: money via parse_amount, percents as Decimal."""
    kind = fact_kind(name)
    if kind == "yuan":
        return parse_amount(str(raw))
    if kind == "percent":
        return Decimal(str(raw))
    return raw


def load_corpus(path: Path) -> list[dict[str, Any]]:
    """The annotated entries of one corpus file."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: 应为条目列表")
    return entries


def read(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Facts and quantities as the assistant reads the first message of a conversation (``understand``)."""
    u = understand(text, ConversationState("extraction-eval"), _document(), today=TODAY)
    return u.facts.values, dict(u.facts.quantities)


@cache
def _document():
    return load_document()


def score_corpus(entries: list[dict[str, Any]]) -> ExtractionScore:
    """Read every message and compare with its annotation."""
    score = ExtractionScore()
    for entry in entries:
        expect = {name: expected_value(name, raw) for name, raw in (entry.get("expect") or {}).items()}
        quantities = {str(k): int(v) for k, v in (entry.get("quantities") or {}).items()}
        got, got_quantities = read(entry["text"])
        for name in set(expect) | set(got):
            if name in expect and name in got and _same(got[name], expect[name]):
                score.true_positive[name] += 1
            else:
                if name in got:
                    score.false_positive[name] += 1
                if name in expect:
                    score.false_negative[name] += 1
        right = all(name in got and _same(got[name], v) for name, v in expect.items()) and set(got) <= set(expect) \
            and got_quantities == quantities
        score.messages += 1
        score.exact += right
        for cls in entry.get("classes") or []:
            score.class_total[cls] += 1
            score.class_exact[cls] += right
        if not right:
            score.misses.append({"name": entry.get("name"), "text": entry["text"],
                                 "expected": {k: str(v) for k, v in expect.items()}, "quantities": quantities,
                                 "got": {k: str(v) for k, v in got.items()}, "got_quantities": got_quantities})
    return score


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list) and isinstance(got, list):
        return sorted(map(str, got)) == sorted(map(str, want))
    return got == want


__all__ = ["ExtractionScore", "expected_value", "load_corpus", "read", "score_corpus"]
