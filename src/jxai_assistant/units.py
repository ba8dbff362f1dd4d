"""Department index: which clauses each responsible unit leads and takes part in."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .document import Document, load_document
from .glossary import canonical_unit, unit_aliases, unit_entries

__all__ = ["UnitRoles", "canonical_unit", "department_index", "find_units", "unit_roles"]


@dataclass(frozen=True)
class UnitRoles:
    """A unit's clauses: those it leads (listed first) and those it takes part in (listed later)."""

    name: str
    full_name: str
    leads: list[str] = field(default_factory=list)
    participates: list[str] = field(default_factory=list)


def _build_index(doc: Document) -> dict[str, UnitRoles]:
    full_names = {e.name: e.full_name for e in unit_entries()}
    index: dict[str, UnitRoles] = {}
    for clause in doc.clauses:
        for position, unit in enumerate(clause.units):
            roles = index.setdefault(unit, UnitRoles(unit, full_names.get(unit, unit)))
            (roles.leads if position == 0 else roles.participates).append(clause.clause_id)
    return index


@lru_cache(maxsize=1)
def _default_index() -> dict[str, UnitRoles]:
    return _build_index(load_document())


def department_index(doc: Document | None = None) -> dict[str, UnitRoles]:
    """Return canonical unit → :class:`UnitRoles`, in order of first appearance in the document."""
    return _build_index(doc) if doc is not None else _default_index()


def unit_roles(name: str) -> UnitRoles | None:
    """Return the roles of a unit given any of its names, or None if the name is not a unit of the document."""
    canon = canonical_unit(name)
    return department_index().get(canon) if canon else None


def find_units(text: str) -> list[str]:
    """Return the canonical units mentioned in free text, longest spelling first, each once, in order of mention."""
    norm = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for spelling, canon in sorted(unit_aliases().items(), key=lambda kv: -len(kv[0])):
        start = norm.find(spelling)
        while start != -1:
            end = start + len(spelling)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, canon))
            start = norm.find(spelling, end)
    ordered: list[str] = []
    for _, canon in sorted(found):
        if canon not in ordered:
            ordered.append(canon)
    return ordered
