"""Rule data against a later version of the text: which values no longer stand, and the refusal to compute them.

A rule value is stale when the clause it cites no longer contains its verbatim phrase (the figure changed, the
sentence was reworded, or the clause was renumbered or removed). A policy with a stale value is not computed: the
answer quotes the new sentence instead, until the rule file is updated and passes the rule checks again.
"""

from __future__ import annotations

from typing import Iterable, Optional

from ..diff import nearest_sentence
from ..document import Document
from ..versions import active_version
from .model import Calculation, Step
from .rules import GeneralRule, PolicyRule, RuleBook, StaleRule, iter_cited, load_rules

GENERAL = "五.1"


def stale_rules(rules: Iterable[PolicyRule | GeneralRule], new: Document,
                clause_map: Optional[dict[str, Optional[str]]] = None) -> list[StaleRule]:
    """Every value of ``rules`` whose phrase is not in the clause of ``new`` it cites, once per policy and phrase.

    ``clause_map`` (old id → new id, from :func:`..diff.diff_documents`) locates the clause in ``new`` for the nearest
    sentence when the clause was renumbered or removed.
    """
    found: dict[tuple[str, str], StaleRule] = {}
    for rule in rules:
        for key, cited in iter_cited(rule):
            try:
                if cited.phrase in new.get(cited.clause).text:
                    continue
            except KeyError:
                pass
            new_id = clause_map.get(cited.clause, cited.clause) if clause_map is not None else cited.clause
            if new_id is not None and new_id not in new.ids():
                new_id = None
            found.setdefault((rule.policy_id, cited.phrase), StaleRule(
                policy_id=rule.policy_id, key=key, clause_id=cited.clause, new_clause_id=new_id, phrase=cited.phrase,
                nearest=nearest_sentence(new, cited.phrase, new_id) if new_id else None))
    return list(found.values())


def stale_message(policy_id: str, stale: list[StaleRule], version_label: str) -> str:
    """A Chinese explanation that quotes the changed sentences and says why no amount is computed.

    Only the new text is quoted: every figure an answer states must be in a clause it cites (DESIGN.md).
    """
    quotes = []
    for item in stale:
        if item.nearest:
            quotes.append(f"现为“{item.nearest.rstrip('。；')}”〔{item.new_clause_id}〕")
        else:
            quotes.append("该条已不在现行文本中")
    return (f"〔{policy_id}〕的{version_label}与测算规则不一致：" + "；".join(quotes) + "。"
            "测算规则尚未按现行文本更新，为避免给出过时的金额，暂不测算本条补贴，请以原文为准；"
            "规则文件更新并通过校验后即恢复测算。")


def stale_items(policy_id: str, book: RuleBook) -> list[StaleRule]:
    """The stale values that stop ``policy_id`` from being computed (its own, or those of 五.1 that every policy uses)."""
    return book.stale.get(policy_id, []) + book.stale.get(GENERAL, [])


def stale_refusal(rule: PolicyRule, book: RuleBook) -> Optional[Calculation]:
    """The calculation that refuses a policy whose rule data is stale against the version in force, else ``None``."""
    stale = stale_items(rule.policy_id, book)
    if not stale:
        return None
    message = stale_message(rule.policy_id, stale, active_version().label())
    return Calculation(
        policy_id=rule.policy_id, item=None, eligible=None, amount_yuan=None,
        steps=[Step(name="validity", text=message, clause_id=stale[0].new_clause_id or rule.policy_id)],
        notes=[message],
    )


def stale_notices(policy_ids: Iterable[str], book: Optional[RuleBook] = None) -> dict[str, str]:
    """Policy id → refusal message, for the given policies whose rule data is stale (default: the rules in force)."""
    book = book or load_rules()
    label = active_version().label()
    return {pid: stale_message(pid, items, label) for pid in policy_ids if (items := stale_items(pid, book))}
