"""The glossary in ``corpus/glossary.yaml``: responsible units and their aliases, the well-known names of clauses
(other sections serve retrieval)."""

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


@lru_cache(maxsize=1)
def clause_names() -> dict[str, str]:
    """Return every well-known clause name (normalised) → its clause id (算力券 → 三.7, 就高不重复 → 五.1).

    Raises ``ValueError`` naming the glossary section when a name is given to two clauses or an entry is not a list
    of names: one name stands for one clause.
    """
    section = load_glossary().get("clause_names") or {}
    if not isinstance(section, dict):
        raise ValueError("corpus/glossary.yaml: clause_names 应为 条款编号 → 名称列表 的映射")
    table: dict[str, str] = {}
    for clause_id, names in section.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ValueError(f"corpus/glossary.yaml: clause_names: {clause_id} 应为非空名称的列表")
        for name in names:
            key = _norm(name)
            if table.get(key, str(clause_id)) != str(clause_id):
                raise ValueError(f"corpus/glossary.yaml: clause_names: “{name}”同时列在 {table[key]} 和 {clause_id} 下")
            table[key] = str(clause_id)
    return table
