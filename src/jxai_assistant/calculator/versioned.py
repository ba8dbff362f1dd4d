"""The rule book of the version in force.

The base rule files (``corpus/rules``) are written against the 征求意见稿. A later version inherits them, overridden
file by file by its own updated files (``corpus/versions/<id>/rules``). Its own files must pass every rule check
against its text, or the start stops; an inherited file whose phrases the new text no longer has marks its policy
stale, which the calculator refuses to compute (:mod:`.staleness`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..diff import diff_documents
from ..document import load_document
from ..versions import Version, as_of, load_versions
from .rules import RuleBook, _load, assemble, load_rule_file, rules_dir
from .staleness import stale_rules


def _files(chain: list[Version]) -> dict[str, tuple[Path, Version]]:
    """Rule file name → (path, version that wrote it), the latest version's file winning."""
    files: dict[str, tuple[Path, Version]] = {}
    for i, version in enumerate(chain):
        directory = rules_dir() if i == 0 else version.own_rules_dir
        for path in sorted(directory.glob("*.yaml")):
            files[path.name] = (path, version)
    return files


@cache  # one entry per version and state of its rule files
def _book(version_id: str, _stamp: tuple) -> RuleBook:
    versions = load_versions()
    version = versions.get(version_id)
    doc = load_document(version.path)
    rules, stale = [], {}
    for path, written_for in _files(versions.chain(version)).values():
        if written_for == version:
            rules.append(load_rule_file(path, doc))
            continue
        rule = load_rule_file(path, verify=False)
        rules.append(rule)
        clause_map = diff_documents(load_document(written_for.path), doc).clause_map
        if found := stale_rules([rule], doc, clause_map):
            stale[rule.policy_id] = found
    return assemble(rules, version.own_rules_dir, stale)


def rules_for(version: Version) -> RuleBook:
    """The rule book of ``version`` (reloaded when a rule file of its chain changes)."""
    versions = load_versions()
    if version == versions.base:
        return _load(rules_dir(), version.path)
    files = _files(versions.chain(version))
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p, _ in files.values())
    return _book(version.id, stamp)


def rules_in_force() -> RuleBook:
    """The rule book of the version in force on :func:`..versions.as_of`."""
    versions = load_versions()
    return rules_for(versions.in_force(as_of()))
