"""The routing vocabulary in ``corpus/dialogue.yaml`` (validated; a bad file names itself and the key)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..paths import corpus_dir


class Lexicon(BaseModel):
    """Word lists the router matches as substrings of the normalised question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy_topics: dict[str, list[str]]
    clause_topics: dict[str, list[str]]
    quote_hints: dict[str, str]
    weak_policy_topics: dict[str, list[str]]
    calculate_words: list[str]
    eligibility_words: list[str]
    eligibility_patterns: list[str]
    cap_words: list[str]
    ability_words: list[str]
    statement_words: list[str]
    how_words: list[str]
    first_person: list[str]
    assertion_words: list[str]
    follow_up_words: list[str]
    department_words: list[str]
    who_words: list[str]
    implementer_words: list[str]
    rule_words: list[str]
    change_words: list[str]
    total_words: list[str]
    reset_words: list[str]
    switch_words: list[str]
    procedure_words: list[str]
    out_of_scope_words: list[str]
    in_scope_anchors: list[str]
    external_concepts: list[str]
    external_definition_words: list[str]
    injection_patterns: list[str]


def fold(text: str) -> str:
    """The form all matching uses: NFKC (全角 → 半角), lower-case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load and validate ``corpus/dialogue.yaml``; every word is stored folded."""
    path = corpus_dir() / "dialogue.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lexicon = Lexicon(**raw)
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise RuntimeError(f"无法读取路由词表 {path}：{exc}") from exc
    data = lexicon.model_dump()
    for pattern in lexicon.eligibility_patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuntimeError(f"{path}: eligibility_patterns 中的正则表达式无效：{pattern}（{exc}）") from exc
    patterns = data.pop("eligibility_patterns")
    def fold_value(value):
        if isinstance(value, dict):
            return {fold(k) if isinstance(v, str) else k: fold_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fold(w) for w in value]
        return value  # quote hints' targets are document words, matched against the document as written

    folded = {key: fold_value(value) for key, value in data.items()}
    return Lexicon(**folded, eligibility_patterns=patterns)


def find_any(text: str, words: list[str]) -> list[str]:
    """Return the words that occur in the (already folded) text, in list order."""
    return [w for w in words if w and w in text]


def first_position(text: str, words: list[str]) -> int:
    """Position of the earliest occurrence of any word, or -1."""
    positions = [p for w in words if w and (p := text.find(w)) != -1]
    return min(positions) if positions else -1
