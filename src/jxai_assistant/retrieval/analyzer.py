"""Chinese text analysis for retrieval: normalisation, jieba tokens with the glossary, stopwords, synonym expansion.

jieba's dictionary takes ~1 s to build from scratch; it is built once per process and its prefix dictionary is
cached in the cache dir (keyed by jieba itself on the dictionary file), so later processes load it in ~0.3 s.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..glossary import load_glossary
from ..paths import cache_dir

# Brackets and quotes are dropped before segmentation: the document writes 首台（套） and “云上企业” while people type
# 首台套 and 云上企业; removing them lets one user-dictionary word match both spellings.
_DROP = str.maketrans("", "", "（）()“”‘’\"'「」『』《》〈〉【】[]")
# Control and format characters (pasted text, zero-width spaces) become spaces so they never glue words together.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]+")
# A token is kept only if it has a letter, digit or CJK character (punctuation and whitespace carry no topic).
_WORDLIKE_RE = re.compile(r"[0-9a-z\u3400-\u9fff]")

#: Weight of a synonym added to a query relative to a word the user typed.
SYNONYM_WEIGHT = 0.5
#: Minimum jieba frequency of a glossary word (jieba's common words are in the thousands; 算力券 is in none).
USER_WORD_MIN_FREQ = 2000
#: Prefix of character-bigram tokens, kept apart from jieba words in the same BM25 vocabulary.
BIGRAM_MARK = "§"
_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]{2,}")


def strip_controls(text: str) -> str:
    """NFKC-fold (全角 → 半角) and replace control/format characters by spaces."""
    return _CONTROL_RE.sub(" ", unicodedata.normalize("NFKC", text))


def normalize(text: str) -> str:
    """``strip_controls``, then lower-case and drop brackets/quotes (the form that is segmented and matched)."""
    return strip_controls(text).lower().translate(_DROP)


@dataclass(frozen=True)
class Vocabulary:
    """The retrieval sections of the glossary: user-dictionary terms, stopwords and synonym groups (normalised)."""

    terms: tuple[str, ...]
    stopwords: frozenset[str]
    synonyms: tuple[tuple[str, ...], ...]
    digest: str = field(default="")

    @classmethod
    def from_glossary(cls) -> "Vocabulary":
        """Read ``terms``, ``stopwords`` and ``synonyms`` from ``corpus/glossary.yaml``."""
        data = load_glossary()
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: dict) -> "Vocabulary":
        """Build a vocabulary from a mapping with the glossary's keys (missing sections are empty).

        The lead's ``units`` section is read too: every spelling of a unit becomes a term and the spellings of one
        unit form a synonym group, so 人社局 segments as one word and reaches 市人力社保局 in the text.
        """
        groups = [list(g) for g in data.get("synonyms") or []]
        terms = list(data.get("terms") or [])
        for unit in data.get("units") or []:
            spellings = [unit.get("name", ""), unit.get("full_name", ""), *(unit.get("aliases") or [])]
            terms.extend(spellings)
            groups.append(spellings)
        norm_terms = tuple(dict.fromkeys(t for t in (normalize(str(t)).strip() for t in terms) if t))
        stop = frozenset(normalize(str(s)).strip() for s in data.get("stopwords") or [])
        norm_groups = tuple(
            g
            for g in (tuple(dict.fromkeys(w for w in (normalize(str(w)).strip() for w in group) if w)) for group in groups)
            if len(g) > 1
        )
        payload = json.dumps([norm_terms, sorted(stop), norm_groups], ensure_ascii=False)
        return cls(
            terms=norm_terms,
            stopwords=stop,
            synonyms=norm_groups,
            digest=hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16],
        )


class ChineseAnalyzer:
    """Segments text with jieba (search mode, no HMM) plus the glossary's terms; expands queries with synonyms."""

    def __init__(self, vocabulary: Vocabulary, jieba_cache: Path | None = None) -> None:
        self.vocabulary = vocabulary
        self._tokenizer = _jieba_tokenizer(jieba_cache or cache_dir() / "jieba")
        # Synonym words must segment as units too, otherwise 给钱 or 计算资源 could never be matched in a question.
        words = set(vocabulary.terms)
        for group in vocabulary.synonyms:
            words.update(group)
        with _JIEBA_LOCK:
            for word in sorted(words):
                # Plain Latin words split on their own; ones with a symbol inside (r&d) must be taught to jieba.
                if len(word) > 1 and (not word.isascii() or not word.isalnum()):
                    # suggest_freq only makes a word survive on its own; the floor lets it win against overlapping
                    # dictionary words too (超算算力 → 超算/算力, not 超/算算/力).
                    freq = max(self._tokenizer.suggest_freq(word, tune=False), USER_WORD_MIN_FREQ)
                    self._tokenizer.add_word(word, freq=freq)
        self._synonyms: dict[str, tuple[str, ...]] = {}
        for group in vocabulary.synonyms:
            for word in group:
                self._synonyms[word] = tuple(dict.fromkeys((*self._synonyms.get(word, ()), *group)))

    def tokens(self, text: str, *, keep_stopwords: bool = False) -> list[str]:
        """Return the index tokens of a text: jieba search-mode words, normalised, without punctuation/stopwords."""
        norm = normalize(text)
        out: list[str] = []
        for tok in self._tokenizer.cut_for_search(norm, HMM=False):
            tok = tok.strip()
            if not tok or not _WORDLIKE_RE.search(tok):
                continue
            if not keep_stopwords and tok in self.vocabulary.stopwords:
                continue
            out.append(tok)
        return out

    def bigrams(self, text: str) -> list[str]:
        """Return the CJK character bigrams of a text, marked with ``BIGRAM_MARK`` (a second, segmentation-free field).

        They rescue words jieba splits differently in question and document (和文/创 vs 文创); bigrams made only of
        stopword characters are left out.
        """
        out = []
        for run in _CJK_RUN_RE.findall(normalize(text)):
            for i in range(len(run) - 1):
                gram = run[i : i + 2]
                if gram not in self.vocabulary.stopwords:
                    out.append(BIGRAM_MARK + gram)
        return out

    def concepts(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Return each distinct word of a question with its synonyms: one concept scores once, by its best spelling."""
        return [(tok, self.synonyms_of(tok)) for tok in dict.fromkeys(self.tokens(text))]

    def synonyms_of(self, word: str) -> tuple[str, ...]:
        """Return the other members of the word's synonym groups (empty if it has none)."""
        return tuple(w for w in self._synonyms.get(word, ()) if w != word)

    def query_terms(self, text: str) -> dict[str, float]:
        """Return the weighted terms of a question: its own tokens (1.0) and their synonyms (``SYNONYM_WEIGHT``)."""
        weights: dict[str, float] = {}
        for tok in self.tokens(text):
            weights[tok] = 1.0
        for tok in list(weights):
            for syn in self._synonyms.get(tok, ()):
                if syn not in weights:
                    weights[syn] = SYNONYM_WEIGHT
        return weights


_JIEBA_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _jieba_tokenizer(tmp_dir: Path):
    """Return a jieba tokenizer initialised once per cache dir, with jieba's own logging silenced."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_dir)
    with _JIEBA_LOCK:
        tok.initialize()
    return tok


@lru_cache(maxsize=1)
def default_analyzer() -> ChineseAnalyzer:
    """Return the analyzer for the glossary in the corpus (cached per process)."""
    return ChineseAnalyzer(Vocabulary.from_glossary())
