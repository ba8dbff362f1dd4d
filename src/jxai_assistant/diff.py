"""A clause-level diff of two versions of the document.

Clauses are matched by content, not by number: a removed task that renumbers the tasks after it is one removal plus
renumbered clauses, not a change to every later task. Matched clauses whose text differs are compared sentence by
sentence, and the figures of each changed sentence are paired (50% → 40%, 100万元 → 150万元).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .document import Clause, Document

#: Two clauses of one part are the same clause in two versions when their texts are at least this similar.
MATCH_FLOOR = 0.5
#: Two sentences of matched clauses are one sentence edited (not one removed and one added) at this similarity.
SENTENCE_FLOOR = 0.4
# The clause's own number ("7." / "（二）") is not content: renumbering alone is not a change.
_NUMBER_RE = re.compile(r"^(?:\d{1,2}\.\s*|（[一二三四五六七八九十]）)")
_SENTENCE_RE = re.compile(r"[^。；]*[。；]|[^。；]+$")
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?%?|.", re.S)
_FIGURE_RE = re.compile(r"\d+(?:\.\d+)?(?:%|万元|亿元|元|万|亿|家|个|项|年|月|日|E ?Flops)?")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FigureChange(_Frozen):
    """One figure as written in the old and the new sentence (``None``: not there)."""

    old: Optional[str]
    new: Optional[str]

    def text(self) -> str:
        """``50% → 40%``."""
        return f"{self.old or '（无）'} → {self.new or '（无）'}"


class SentenceChange(_Frozen):
    """One sentence edited, added or removed inside a matched clause."""

    kind: Literal["changed", "added", "removed"]
    old: Optional[str] = None
    new: Optional[str] = None
    figures: list[FigureChange] = Field(default_factory=list)


class ClauseChange(_Frozen):
    """A clause present in both versions whose text changed."""

    old_id: str
    new_id: str
    title: str
    changes: list[SentenceChange]

    @property
    def figures(self) -> list[FigureChange]:
        """Every figure that changed in the clause."""
        return [f for c in self.changes for f in c.figures]


class ClauseRef(_Frozen):
    """A clause only one version has."""

    clause_id: str
    title: str
    text: str


class Renumbered(_Frozen):
    """A clause whose number changed (its text may also have changed)."""

    old_id: str
    new_id: str
    title: str


class DocumentDiff(_Frozen):
    """What changed between two versions, clause by clause."""

    changed: list[ClauseChange] = Field(default_factory=list)
    added: list[ClauseRef] = Field(default_factory=list)
    removed: list[ClauseRef] = Field(default_factory=list)
    renumbered: list[Renumbered] = Field(default_factory=list)
    clause_map: dict[str, Optional[str]] = Field(default_factory=dict, description="旧条款编号 → 新编号（删除为 None）")

    @property
    def unchanged(self) -> bool:
        """Whether the two versions have the same clauses with the same texts (numbers aside)."""
        return not (self.changed or self.added or self.removed or self.renumbered)


def content(clause: Clause) -> str:
    """The clause text without its own number, for matching across renumbering."""
    return _NUMBER_RE.sub("", clause.text, count=1)


def split_sentences(text: str) -> list[str]:
    """Split a clause into its sentences (ending at 。 or ；), verbatim."""
    return [s for s in _SENTENCE_RE.findall(text) if s.strip()]


def figures(text: str) -> list[str]:
    """The figures of a sentence as written (``50%``, ``100万元``, ``2027年``)."""
    return [m.group(0) for m in _FIGURE_RE.finditer(text)]


def similarity(a: str, b: str) -> float:
    """How alike two texts are (0–1), character by character."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _match(old: Document, new: Document) -> dict[str, str]:
    """Old clause id → new clause id for clauses that are the same clause in both versions."""
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    # Identical text first (whatever the number), then the most similar remaining pairs within one part.
    for o in old.clauses:
        same = next((n for n in new.clauses if n.clause_id not in taken and n.part == o.part
                     and content(n) == content(o)), None)
        if same is not None:
            pairs[o.clause_id] = same.clause_id
            taken.add(same.clause_id)
    scored = sorted(
        ((similarity(content(o), content(n)), o.clause_id == n.clause_id, o.clause_id, n.clause_id)
         for o in old.clauses if o.clause_id not in pairs
         for n in new.clauses if n.clause_id not in taken and n.part == o.part),
        reverse=True,
    )
    for score, _same_id, old_id, new_id in scored:
        if score >= MATCH_FLOOR and old_id not in pairs and new_id not in taken:
            pairs[old_id] = new_id
            taken.add(new_id)
    return pairs


def _figure_changes(old: str, new: str) -> list[FigureChange]:
    a, b = figures(old), figures(new)
    out: list[FigureChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            out.append(FigureChange(old=olds[k] if k < len(olds) else None, new=news[k] if k < len(news) else None))
    return out


def _pair_sentences(olds: list[str], news: list[str]) -> list[SentenceChange]:
    """Pair the sentences of a replaced block by similarity; the unpaired ones were removed or added."""
    scored = sorted(((similarity(o, n), i, j) for i, o in enumerate(olds) for j, n in enumerate(news)), reverse=True)
    paired: dict[int, int] = {}
    for score, i, j in scored:
        if score >= SENTENCE_FLOOR and i not in paired and j not in paired.values():
            paired[i] = j
    out = []
    for i, o in enumerate(olds):
        if i in paired:
            n = news[paired[i]]
            out.append(SentenceChange(kind="changed", old=o, new=n, figures=_figure_changes(o, n)))
        else:
            out.append(SentenceChange(kind="removed", old=o, figures=_figure_changes(o, "")))
    out.extend(SentenceChange(kind="added", new=n, figures=_figure_changes("", n))
               for j, n in enumerate(news) if j not in paired.values())
    return out


def sentence_changes(old: str, new: str) -> list[SentenceChange]:
    """The sentences that differ between two texts of one clause, in order."""
    a, b = split_sentences(old), split_sentences(new)
    out: list[SentenceChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.extend(_pair_sentences(a[i1:i2], b[j1:j2]))
    return out


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """Compare two versions clause by clause (see the module docstring)."""
    pairs = _match(old, new)
    matched_new = set(pairs.values())
    changed, renumbered = [], []
    for o in old.clauses:
        if o.clause_id not in pairs:
            continue
        n = new.get(pairs[o.clause_id])
        if n.clause_id != o.clause_id:
            renumbered.append(Renumbered(old_id=o.clause_id, new_id=n.clause_id, title=n.title))
        if content(o) != content(n):
            changed.append(ClauseChange(old_id=o.clause_id, new_id=n.clause_id, title=n.title,
                                        changes=sentence_changes(content(o), content(n))))
    return DocumentDiff(
        changed=changed,
        added=[ClauseRef(clause_id=c.clause_id, title=c.title, text=c.text)
               for c in new.clauses if c.clause_id not in matched_new],
        removed=[ClauseRef(clause_id=c.clause_id, title=c.title, text=c.text)
                 for c in old.clauses if c.clause_id not in pairs],
        renumbered=renumbered,
        clause_map={c.clause_id: pairs.get(c.clause_id) for c in old.clauses},
    )


def nearest_sentence(document: Document, phrase: str, clause_id: Optional[str] = None) -> Optional[str]:
    """The sentence of ``document`` most like ``phrase`` — within ``clause_id`` when that clause exists."""
    try:
        clauses = [document.get(clause_id)] if clause_id else document.clauses
    except KeyError:
        clauses = document.clauses
    candidates = [s for c in clauses for s in split_sentences(c.text)]
    return max(candidates, key=lambda s: similarity(phrase, s), default=None)


def highlight(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts as runs of (text, changed) for a side-by-side view; a number is marked whole (50%, not 5)."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), tag != "equal"))
    return left, right
