"""Short answers in context: "国内的", "增长了12%", "是的", "那如果支出是300万呢？".

Extraction reads one message on its own; a reply to a clarifying question, or a follow-up that changes one number,
only makes sense with the question that was asked. These rules fill exactly the facts the conversation is waiting for
(or the one figure the user is changing), and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..calculator.facts import FACT_NAMES, fact_kind, fact_label, fact_value_labels
from ..declarations import declarations
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


#: A growth rate may be answered with last year's figure instead ("去年是4000万").
_ALTERNATIVES = {"revenue_growth_pct": "last_revenue_yuan", "rd_growth_pct": "last_rd_expense_yuan"}


def named_facts(text: str) -> set[str]:
    """The declared facts whose subject the words name (see :func:`mentioned`)."""
    return {name for name in FACT_NAMES if mentioned(name, text)}


def fill_pending(text: str, pending: list[str], found: dict[str, Any], named: Collection[str] = ()) -> dict[str, Any]:
    """Values for facts the assistant asked for, read from a reply that extraction alone could not place.

    Facts the conversation has named come first ("企业技术中心刚被认定" … "省级的" → the technology centre's level).
    At most one fact of each kind is filled, and none of a kind extraction already found in the reply.
    """
    filled: dict[str, Any] = {}
    waiting = sorted((name for name in pending if name not in found), key=lambda n: n not in named)
    amounts = find_amounts(text)
    percents = find_percents(text)
    short = text.strip()

    def taken(kind: str) -> bool:
        return any(fact_kind(n) == kind for n in (*found, *filled))

    for name in waiting:
        kind = fact_kind(name)
        if kind == "yuan" and len(amounts) == 1 and not taken("yuan"):
            filled[name] = amounts[0].value
        elif kind == "percent" and len(percents) == 1 and not taken("percent"):
            filled[name] = percents[0].value
        elif kind == "percent" and not percents and len(amounts) == 1 and not taken("yuan") \
                and _ALTERNATIVES.get(name) and _ALTERNATIVES[name] not in found:
            filled[_ALTERNATIVES[name]] = amounts[0].value
        elif kind == "choice" and not taken("choice"):
            value = _choice_in(name, short)
            if value is not None:
                filled[name] = value
    bools = [name for name in waiting if fact_kind(name) == "bool"]
    if not filled and (restated := _restated(short, bools)) is not None:
        filled[restated] = not _DENIED.search(short)
    elif len(bools) == 1 and not filled:
        if _YES.match(short):
            filled[bools[0]] = True
        elif _NO.match(short):
            filled[bools[0]] = False
    elif not bools and not filled and "industry" in waiting:
        # The industry question of 三.2/三.3 is asked as "是否属于信息服务业企业？": yes/no answers it (a "no" is some
        # other industry, which neither policy covers).
        if _YES.match(short):
            filled["industry"] = "information_service"
        elif _NO.match(short):
            filled["industry"] = "other"
    return filled


#: A reply restating a yes/no fact shares at least this many of its label's own character pairs.
_RESTATED_PAIRS = 3
_DENIED = re.compile(r"不是|没有|还没|尚未|并未|未能|并非|没通过|不符合|不属于")


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _restated(reply: str, bools: list[str]) -> str | None:
    """Of several yes/no facts asked for, the one a reply restates in its own words ("我们是牵头企业，已经通过验收了"
    answers "是否为…通过验收的牵头企业？"): the reply holds enough of that label's character pairs that no other asked
    label has. None when no fact, or more than one, is restated."""
    if len(bools) < 2:
        return None
    labels = {name: _pairs(fact_label(name)) for name in bools}
    hits = []
    for name, own in labels.items():
        distinctive = own - set().union(*(p for other, p in labels.items() if other != name))
        if len(distinctive & _pairs(reply)) >= _RESTATED_PAIRS:
            hits.append(name)
    return hits[0] if len(hits) == 1 else None


def _choice_in(name: str, short: str) -> Any:
    """The value of an enumerated fact a short reply names ("国内的" → domestic), or None."""
    for spelling, value in sorted(_choice_spellings(name).items(), key=lambda kv: -len(kv[0])):
        if spelling in short and len(short) <= len(spelling) + 8:
            return value
    for spelling, value in _EXTRA_SPELLINGS.items():
        if spelling in short and value in fact_value_labels(name) and len(short) <= 8:
            return value
    return None


def replace_changed_figure(text: str, previous: dict[str, Any], found: dict[str, Any], next_year: bool = False
                           ) -> dict[str, Any]:
    """"那如果支出是300万呢？": one new figure replaces the one figure of that kind the conversation has;
    "那领军型呢？": a named value replaces the enumerated fact the conversation holds. The caller decides that the
    message is such a follow-up. ``next_year``: the message moves to next year ("明年做到180万，今年还是150万"), so
    its "今年" figures are the year before the one assessed."""
    changed: dict[str, Any] = {}
    for kind, mentions in (("yuan", find_amounts(text)), ("percent", find_percents(text))):
        if not mentions or any(fact_kind(n) == kind for n in found):
            continue
        candidates = [n for n in previous if fact_kind(n) == kind]
        # Each figure is read with the words of its own clause ("今年是150万，去年是130万").
        starts = [0] + [m.end() for m in _CLAUSE.finditer(text)]
        for mention in mentions:
            start = max(s for s in starts if s <= mention.start)
            same_kind = _narrowed(text[start:mention.end] if len(mentions) > 1 else text, candidates, next_year)
            if len(same_kind) == 1 and same_kind[0] not in changed:
                changed[same_kind[0]] = mention.value
    for name in previous:
        if fact_kind(name) == "choice" and name not in found and (value := _choice_in(name, text.strip())) is not None:
            changed[name] = value
    return changed


_CLAUSE = re.compile(r"[，,。;；、]")
_LAST_YEAR = re.compile(r"去年|上年|上一年|前一年|(?i:last year)")
_THIS_YEAR = re.compile(r"今年|本年|当年|(?i:this year)")


def _narrowed(text: str, names: list[str], next_year: bool = False) -> list[str]:
    """Of several figures the conversation holds, the ones a correction names: by what it measures ("研发", "营收")
    and by its year ("去年是4800万" is last year's; in a message about next year, "今年还是150万" is too)."""
    if len(names) <= 1:
        return names
    decl = declarations()
    named = [n for n in names if (m := decl.facts[n].measure) and any(re.search(w, text) for w in decl.measures[m].words)]
    names = named or names
    if _LAST_YEAR.search(text) or next_year and _THIS_YEAR.search(text):
        names = [n for n in names if decl.facts[n].year == "last"] or names
    else:
        # "那如果只做到2,800万呢": a figure without a year is this year's (what-ifs are about the year assessed).
        names = [n for n in names if decl.facts[n].year != "last"] or names
    return names


def evidence_for(text: str, names: dict[str, Any]) -> dict[str, Evidence]:
    """Evidence records (the user's reply) for facts filled from context."""
    return {name: _evidence(text) for name in names}
