"""Short answers in context: "国内的", "增长了12%", "是的", "那如果支出是300万呢？".

Extraction reads one message on its own; a reply to a clarifying question, or a follow-up that changes one number,
only makes sense with the question that was asked. These rules fill exactly the facts the conversation is waiting for
(or the one figure the user is changing), and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from ..calculator.facts import fact_kind, fact_label, fact_value_labels
from ..numbers import find_amounts, find_percents
from .extraction import Evidence

_YES = re.compile(r"^(?:是|是的|对|对的|有|有的|符合|属于|已经是|没错|嗯|yes)[。！!.]?$", re.IGNORECASE)
_NO = re.compile(r"^(?:不是|否|没有|无|不符合|不属于|还没有|还不是|不|no)[。！!.]?$", re.IGNORECASE)
# Short spellings of enumerated values: 国内的 / 省级 / 领军型 …
_EXTRA_SPELLINGS = {"国家": "national", "国际": "international"}


def _choice_spellings(name: str) -> dict[str, str]:
    spellings: dict[str, str] = {}
    for value, label in fact_value_labels(name).items():
        clean = label.strip("“”")
        for n in (len(clean), 3, 2):
            if n <= len(clean) and n >= 2:
                spellings.setdefault(clean[:n], value)
    return spellings


def _evidence(text: str) -> Evidence:
    return Evidence(quote=text[:40], spans=((0, min(len(text), 40)),))


def mentioned(name: str, text: str) -> bool:
    """Whether the conversation names what a fact is about (its label shares a four-character phrase with it)."""
    label = re.sub(r"[（(].*?[）)]|经认定的|是否|贵企业", "", fact_label(name))
    return any(label[i:i + 4] in text for i in range(0, max(len(label) - 3, 0)))


def fill_pending(text: str, pending: list[str], found: dict[str, Any], context: str = "") -> dict[str, Any]:
    """Values for facts the assistant asked for, read from a reply that extraction alone could not place.

    Facts the conversation has named come first ("企业技术中心刚被认定" … "省级的" → the technology centre's level).
    """
    filled: dict[str, Any] = {}
    waiting = sorted((name for name in pending if name not in found), key=lambda n: not mentioned(n, context))
    amounts = [m for m in find_amounts(text)]
    percents = [m for m in find_percents(text)]
    short = text.strip()
    for name in waiting:
        kind = fact_kind(name)
        if kind == "yuan" and len(amounts) == 1 and not any(fact_kind(n) == "yuan" for n in found):
            filled[name] = amounts.pop().value
        elif kind == "percent" and len(percents) == 1 and not any(fact_kind(n) == "percent" for n in found):
            filled[name] = percents.pop().value
        elif kind == "choice" and not any(fact_kind(n) == "choice" for n in filled):
            for spelling, value in sorted(_choice_spellings(name).items(), key=lambda kv: -len(kv[0])):
                if spelling in short and len(short) <= len(spelling) + 8:
                    filled[name] = value
                    break
            else:
                for spelling, value in _EXTRA_SPELLINGS.items():
                    if spelling in short and value in fact_value_labels(name) and len(short) <= 8:
                        filled[name] = value
                        break
    bools = [name for name in waiting if fact_kind(name) == "bool"]
    if len(bools) == 1 and not filled:
        if _YES.match(short):
            filled[bools[0]] = True
        elif _NO.match(short):
            filled[bools[0]] = False
    return filled


def replace_changed_figure(text: str, previous: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """"那如果支出是300万呢？": one new figure replaces the one figure of that kind the conversation has."""
    changed: dict[str, Any] = {}
    for kind, mentions in (("yuan", find_amounts(text)), ("percent", find_percents(text))):
        if len(mentions) != 1 or any(fact_kind(n) == kind for n in found):
            continue
        same_kind = [n for n in previous if fact_kind(n) == kind]
        if len(same_kind) == 1:
            changed[same_kind[0]] = mentions[0].value
    return changed


def evidence_for(text: str, names: dict[str, Any]) -> dict[str, Evidence]:
    """Evidence records (the user's reply) for facts filled from context."""
    return {name: _evidence(text) for name in names}
