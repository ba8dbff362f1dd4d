"""How much of a question the document's vocabulary covers: a question made mostly of words the document never uses
(天气, 粽子, 发明专利) is about something else, whatever clause a retriever ranks first."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..document import load_document
from ..glossary import load_glossary
from ..retrieval.analyzer import default_analyzer, normalize

#: A question is off-document when at least this share of its content words, and at least two of them, are unknown.
UNKNOWN_SHARE = 0.5
UNKNOWN_MIN = 2


@dataclass(frozen=True)
class Coverage:
    """Content words of a question and those the document (or its glossary) never uses."""

    words: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def off_document(self) -> bool:
        """Whether the question is mostly about things the document does not mention."""
        return len(self.unknown) >= UNKNOWN_MIN and len(self.unknown) >= UNKNOWN_SHARE * len(self.words)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], str]:
    doc = load_document()
    analyzer = default_analyzer()
    words = set(analyzer.tokens(doc.text))
    glossary = load_glossary()
    for group in glossary.get("synonyms", []) or []:
        words.update(normalize(str(w)) for w in group)
    for term in glossary.get("terms", []) or []:
        words.add(normalize(str(term)))
    return frozenset(words), normalize(doc.text)


def coverage(question: str) -> Coverage:
    """Measure which content words (two characters or more, not numbers) of a question the document uses."""
    vocabulary, text = _vocabulary()
    # Latin-script words are left to retrieval and its synonyms (R&D, GPU); coverage judges the Chinese wording.
    words = tuple(t for t in default_analyzer().tokens(question) if len(t) > 1 and not t.isascii())
    unknown = tuple(t for t in words if t not in vocabulary and t not in text)
    return Coverage(words, unknown)
