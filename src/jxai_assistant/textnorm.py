"""Normalisation before reading: one canonical spelling of a message, same length as the original.

People write 補貼 for 补贴, ７５０万 for 750万 and 算力卷 for 算力券. Every later step (references, units, fact
extraction, recognition, retrieval) reads the normalised text, so each of them sees one spelling. The result has
exactly the length of the input, character for character, so every span found in it quotes the user's own words.

- full-width → half-width (``numbers.normalize``);
- traditional → simplified Chinese (OpenCC ``t2s``, per character so that the length is kept);
- one-character typos of the document's vocabulary: a window that sounds like a known term (same toneless pinyin)
  and differs from it in one character (two for terms of six or more) is replaced by the term. The vocabulary is the
  glossary's ``correctable`` list plus its terms (``corpus/glossary.yaml``); two-character terms are corrected only
  when listed in ``correctable``, since short windows sound alike too often.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from .glossary import load_glossary
from .numbers import normalize as halfwidth

#: Messages are read up to this length (the assistant refuses longer ones before this point).
MAX_CHARS = 20_000


@dataclass(frozen=True)
class Correction:
    """One typo corrected: ``original[start:end]`` was read as ``term``."""

    start: int
    end: int
    written: str
    term: str


@dataclass(frozen=True)
class Normalized:
    """A message in canonical spelling (same length as ``original``) and the typos corrected in it."""

    original: str
    text: str
    corrections: tuple[Correction, ...] = ()


@cache
def _converter():
    import opencc  # native, ~20 ms to load; only when a message has a character outside ASCII

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional → simplified, character by character (phrase conversions could change the length)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_simplified_char(ch) for ch in text)


# Southern speakers merge these sounds, and typing by pinyin inherits the merge: 提升改照 for 提升改造.
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(syllable: str) -> str:
    for a, b in _FUZZY:
        syllable = syllable.replace(a, b)
    return "l" + syllable[1:] if syllable.startswith("n") and len(syllable) > 1 else syllable


@cache
def _sounds() -> dict[str, str]:
    """Character → fuzzy toneless syllable, for the characters that may stand in a correctable term.

    Built once with pypinyin (whose import takes ~2 s) and cached as JSON in the cache directory, keyed by the
    glossary: at run time a lookup table of a few thousand characters loads in milliseconds. Visually similar
    characters listed in the glossary's ``confusable`` pairs (卷/券) share the sound of the term's character.
    """
    import hashlib
    import json

    from .paths import cache_dir

    glossary = load_glossary()
    words = [str(t) for t in glossary.get("correctable", []) + glossary.get("terms", [])]
    pairs = [str(p) for p in glossary.get("confusable", [])]
    key = hashlib.sha256(json.dumps([words, pairs, _FUZZY, 1], ensure_ascii=False).encode()).hexdigest()[:16]
    path = cache_dir() / f"sounds-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from pypinyin import lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    needed = {_fuzzy(lazy_pinyin(ch)[0]) for word in words for ch in word if "\u4e00" <= ch <= "\u9fff"}
    table = {}
    for code in pinyin_dict:
        ch = chr(code)
        if "\u4e00" <= ch <= "\u9fff" and (sound := _fuzzy(lazy_pinyin(ch)[0])) in needed:
            table[ch] = sound
    for typo, right in (p for p in pairs if len(p) == 2):
        if right in table:
            table[typo] = table[right]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a read-only cache costs the 2 s again next start, never an answer
    return table


@cache
def _vocabulary() -> dict[tuple[str, ...], list[str]]:
    """Sound of each correctable term → the terms that sound like it."""
    glossary = load_glossary()
    listed = [str(t) for t in glossary.get("correctable", [])]
    terms = [str(t) for t in glossary.get("terms", []) if len(str(t)) >= 3]
    sounds = _sounds()
    table: dict[tuple[str, ...], list[str]] = {}
    for term in dict.fromkeys(listed + terms):
        if len(term) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in term):
            continue
        key = tuple(sounds.get(ch, ch) for ch in term)
        if term not in table.setdefault(key, []):
            table[key].append(term)
    return table


def _allowed_differences(term: str) -> int:
    return 2 if len(term) >= 6 else 1


def correct_typos(text: str) -> tuple[str, tuple[Correction, ...]]:
    """Replace windows that sound like a known term and differ from it in few characters (see the module doc)."""
    vocabulary = _vocabulary()
    if not vocabulary or text.isascii():
        return text, ()
    table = _sounds()
    sounds = [table.get(ch, ch) for ch in text[:MAX_CHARS]]
    lengths = sorted({len(key) for key in vocabulary}, reverse=True)
    chars = list(text)
    corrections: list[Correction] = []
    i = 0
    while i < len(sounds):
        step = 1
        for length in lengths:
            window = "".join(chars[i:i + length])
            if len(window) < length:
                continue
            for term in vocabulary.get(tuple(sounds[i:i + length]), ()):
                differ = sum(a != b for a, b in zip(window, term))
                if differ == 0:
                    step = length  # already the term: skip it whole
                    break
                if differ <= _allowed_differences(term):
                    corrections.append(Correction(i, i + length, window, term))
                    chars[i:i + length] = term
                    step = length
                    break
            if step > 1:
                break
        i += step
    return "".join(chars), tuple(corrections)


def normalize_message(text: str) -> Normalized:
    """The canonical spelling of a message: half-width, simplified, typos of the document's terms corrected."""
    canonical = to_simplified(halfwidth(text))
    corrected, corrections = correct_typos(canonical)
    return Normalized(text, corrected, corrections)


__all__ = ["Correction", "Normalized", "correct_typos", "normalize_message", "to_simplified"]
