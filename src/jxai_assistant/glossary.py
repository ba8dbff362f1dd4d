"""The glossary in ``corpus/glossary.yaml``: responsible units and their aliases (other sections serve retrieval)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .paths import corpus_dir


class UnitEntry(BaseModel):
    """A responsible unit: the canonical name the document uses, its full name, and the other names people use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    full_name: str
    aliases: list[str] = Field(default_factory=list)


@lru_cache(maxsize=1)
def load_glossary() -> dict[str, Any]:
    """Return the parsed glossary file (cached)."""
    path = corpus_dir() / "glossary.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 顶层应为映射（mapping）")
    return data


@lru_cache(maxsize=1)
def unit_entries() -> tuple[UnitEntry, ...]:
    """Return the unit entries of the glossary."""
    return tuple(UnitEntry(**entry) for entry in load_glossary().get("units", []))


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in unit_entries():
        for name in (entry.name, entry.full_name, *entry.aliases):
            table[_norm(name)] = entry.name
    return table


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "")


def canonical_unit(name: str) -> str | None:
    """Return the canonical unit name for a name or alias (市发改委 → 市发展改革委), or None if unknown."""
    key = _norm(name)
    table = _alias_table()
    if key in table:
        return table[key]
    if key.startswith("嘉兴") and key[2:] in table:
        return table[key[2:]]
    return None


def unit_aliases() -> dict[str, str]:
    """Return every known spelling (normalised) → canonical unit name."""
    return dict(_alias_table())
