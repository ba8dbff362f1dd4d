"""A typed reading of one message, built before any decision: what is asked, about what, and the facts stated.

:func:`understand` normalises the message (``textnorm``), finds clause references, units, the facts with the words
they came from (``extraction``, then ``slots`` for short replies in context), the act and topic the recognizer
learned from examples (``recognizer``), claimed figures next to rule words (premises to check, never facts), amounts
that cannot be read exactly (asked back, never guessed) and injection attempts. Decisions — route, ask, compute,
refuse — are made from this object only (``routing``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ..calculator.facts import FACT_NAMES
from ..declarations import declarations
from ..document import Document
from ..numbers import find_amounts, find_unclear_amounts
from ..references import scan_references
from ..textnorm import Correction, normalize_message
from ..units import find_units
from .extraction import ExtractedFacts, claimed_figures, count_value, extract_facts, figure_role
from .lexicon import find_any, fold, load_lexicon
from .recognizer import Prediction, predict_act, predict_topic
from .slots import evidence_for, fill_pending, replace_changed_figure
from .state import ConversationState

log = logging.getLogger(__name__)

#: Acts that ask about this enterprise's money or eligibility (the calculator answers them).
MONEY_ACTS = frozenset({"ask_amount", "ask_eligibility", "ask_total", "what_if", "correction"})
#: Acts that ask what the document says (a quote answers them).
DOCUMENT_ACTS = frozenset({"ask_policy_terms", "ask_clause_text", "ask_lead_unit", "ask_unit_duties",
                           "ask_combination", "ask_validity", "ask_funding", "ask_implementer", "ask_plan_content",
                           "check_claim"})


#: The learned money reading needs at least this probability (and more than the document acts together).
MONEY_CONFIDENCE = 0.35


@dataclass(frozen=True)
class Premise:
    """A figure the message claims about the document ("比例是70%", "上限500万吧"): checked, never a fact."""

    kind: Literal["percent", "amount"]
    value: Decimal
    quote: str


@dataclass
class Understanding:
    """Everything read from one message (and its place in the conversation); no decision is taken here."""

    original: str
    text: str
    corrections: tuple[Correction, ...]
    act: Prediction
    topic: Prediction
    references: list[str]
    reference_errors: list[str]
    units: list[str]
    facts: ExtractedFacts
    premises: list[Premise] = field(default_factory=list)
    unclear_amounts: list[str] = field(default_factory=list)
    #: Why each unclear amount cannot be read (科学计数法, 约数, 范围), in the same order.
    unclear_reasons: list[str] = field(default_factory=list)
    injection: list[str] = field(default_factory=list)
    #: Statuses the message names without asserting them ("省级企业技术中心奖励多少钱"): topic signals, not facts.
    mentioned: dict[str, Any] = field(default_factory=dict)
    #: The message speaks of the enterprise itself: a first-person or assertion word (``corpus/dialogue.yaml``).
    asserts: bool = False
    #: Recognitions the conversation held that this correction or what-if replaces (their earlier values).
    replaced: dict[str, Any] = field(default_factory=dict)

    def act_probability(self, acts: frozenset[str] | set[str]) -> float:
        """Total probability that the message asks one of ``acts``."""
        return sum(p for label, p in self.act.ranked if label in acts)

    @property
    def asks_money(self) -> bool:
        """The learned reading: a question about this enterprise's money or eligibility (more likely than one about
        what the document says, and likely enough on its own)."""
        money = self.act_probability(MONEY_ACTS)
        return money >= MONEY_CONFIDENCE and money > self.act_probability(DOCUMENT_ACTS)

    @property
    def asks_document(self) -> bool:
        """The learned reading: a question about what the document says."""
        return self.act_probability(DOCUMENT_ACTS) >= 0.5

    @property
    def off_topic(self) -> float:
        """How likely the message is about nothing in this document (topic ``none``)."""
        return self.topic.probability("none")


def understand(question: str, state: ConversationState, document: Document, today: date | None = None
               ) -> Understanding:
    """Read one (cleaned) message in the context of its conversation; never raises for any text."""
    normalized = normalize_message(question)
    text = normalized.text
    scan = scan_references(text, document)
    # An unreadable figure next to a rule word is part of a claim about the document, not the enterprise's own.
    unclear = [m for m in find_unclear_amounts(text) if figure_role(text, m.start, m.end) != "other"]
    facts = _extract(text, today)
    act = predict_act(text)
    lexicon = load_lexicon()
    asserts = bool(find_any(fold(text), lexicon.first_person + lexicon.assertion_words))
    mentioned = _drop_unasserted(asserts, state, facts, act)
    _fill_from_context(text, state, facts, today or date.today(), act)
    replaced = _replace_recognitions(text, state, facts, act)
    return Understanding(
        original=question,
        text=text,
        corrections=normalized.corrections,
        act=act,
        topic=predict_topic(text),
        references=scan.ids,
        reference_errors=scan.errors,
        units=find_units(text),
        facts=facts,
        premises=[Premise(kind, value, quote) for kind, value, quote in claimed_figures(text)],
        unclear_amounts=[m.raw for m in unclear],
        unclear_reasons=[m.reason for m in unclear],
        injection=find_any(fold(text), lexicon.injection_patterns),
        mentioned=mentioned,
        asserts=asserts,
        replaced=replaced,
    )


def _extract(text: str, today: date | None) -> ExtractedFacts:
    """Facts the user states about the enterprise; an extraction failure costs the facts, never the answer."""
    try:
        return extract_facts(text, today=today or date.today())
    except Exception:  # noqa: BLE001 - a bug here must cost facts, not the answer
        log.exception("事实抽取失败")
        return ExtractedFacts()


_STATUS_TYPES = ("bool", "choice", "choices")


def _drop_unasserted(asserts: bool, state: ConversationState, extracted: ExtractedFacts, act: Prediction
                     ) -> dict[str, Any]:
    """Move statuses named only in a question about the document out of the facts (see ``assertion_words``).

    A message asserts when it has an assertion or first-person word or an enterprise figure; one that has none and
    that the recognizer reads as a question about the document (its terms, a clause, a claim) or an injection only
    names the statuses ("省级企业技术中心奖励多少钱"). Inside a calculation the conversation is about the
    enterprise, so a bare "领军型的" there is an answer.
    """
    if state.pending_missing or (state.topic_policies and state.last_intent in {"calculate", "clarify"}):
        return {}
    decl = declarations()
    has_figure = any(decl.facts[name].type in ("money", "percent") for name in extracted.values)
    if has_figure or asserts:
        return {}
    if sum(p for label, p in act.ranked if label in DOCUMENT_ACTS | {"injection", "out_of_scope"}) < 0.5:
        return {}
    dropped: dict[str, Any] = {}
    for name in list(extracted.values):
        if decl.facts[name].type in _STATUS_TYPES:
            dropped[name] = extracted.values.pop(name)
            extracted.evidence.pop(name, None)
    return dropped


def _fill_from_context(text: str, state: ConversationState, extracted: ExtractedFacts, today: date,
                      act: Prediction) -> None:
    """Place figures and short replies that only make sense after the previous turn (see ``dialogue.slots``)."""
    lexicon = load_lexicon()
    folded = fold(text)
    # "国家级的呢？" changes the level the conversation holds, as "那如果…" does: the learned act says so.
    changes = bool(find_any(folded[:4], lexicon.change_words)) or act.label in _CHANGE_ACTS
    if not state.topic_policies or (state.last_intent not in {"calculate", "clarify"} and not changes):
        return
    # "哦，去年是4700万": in a calculation, a figure without a role word of its own changes the one it names by year.
    # A date read from "明年" is not a figure: "明年做到5300万呢" changes the revenue, too.
    figures = [n for n in extracted.values if declarations().facts[n].type in ("money", "percent")]
    changes = changes or (not figures and not state.pending_missing and bool(find_amounts(text)))
    # Figures next to rule words (上限, 总额, 文件规定, 系统通知 …) are about the document or an attempt to change
    # it, never the enterprise's own numbers.
    if find_any(folded, lexicon.rule_words + lexicon.cap_words + lexicon.injection_patterns):
        return
    known = {name: value for name, value in state.facts.items() if name in FACT_NAMES}
    values: dict[str, Any] = dict(extracted.values)
    if state.pending_missing:
        filled = fill_pending(text, state.pending_missing, values, state.named)
    elif changes:
        filled = replace_changed_figure(text, known, values, next_year=bool(_NEXT_YEAR.search(folded)))
    else:
        filled = {}
    if filled:
        extracted.values.update(filled)
        extracted.evidence.update(evidence_for(text, filled))
    _shift_year(folded, state, known, extracted, today)
    _change_count(folded, state, extracted, changes)


def _shift_year(folded: str, state: ConversationState, known: dict[str, Any], extracted: ExtractedFacts,
                today: date) -> None:
    """"那明年研发做到160万呢": next year, this year's figure becomes last year's (and its growth is recomputed from
    the two), so the what-if is measured against this year, not last year.

    The shift is made once: a conversation already in next year (its measuring day is in a later year) keeps the
    real present as "last year", so a second "那明年做到180万呢" is measured against this year's figure again, not
    against the first what-if."""
    if not _NEXT_YEAR.search(folded):
        return
    as_of = known.get("as_of")
    shifted = isinstance(as_of, date) and as_of.year > today.year
    decl = declarations()
    for measure in decl.measures:
        years = decl.by_measure(measure)
        this, last, growth = years.get("this"), years.get("last"), years.get("growth")
        if not (this and last) or this not in extracted.values or last in extracted.values:
            continue
        present = last if shifted else this
        if present in known:
            extracted.values[last] = known[present]
            if present in state.evidence:
                extracted.evidence[last] = state.evidence[present]
            if growth and growth in known and growth not in extracted.values:
                extracted.values[growth] = None  # the old growth rate no longer holds (None: forgotten)


def _change_count(folded: str, state: ConversationState, extracted: ExtractedFacts, changes: bool) -> None:
    """"那如果有3款呢": a follow-up that changes how many products hold the one counted award of the conversation."""
    if not changes or extracted.quantities or not (m := _COUNT.search(folded)):
        return
    keys = [f"{name}.{value}" for name, value in state.facts.items() if name in FACT_NAMES
            and declarations().facts[name].quantity and not isinstance(value, bool)
            for value in (value if isinstance(value, list) else [value]) if value not in (None, "none")]
    if len(keys) == 1:
        extracted.quantities[keys[0]] = count_value(m.group(1))


#: Acts that change what the conversation established rather than add to it.
_CHANGE_ACTS = frozenset({"correction", "what_if"})
# "不对，两个都有": the recognitions a correction just replaced are held after all.
_BOTH = re.compile(r"(?:两个|两项|两者|都)(?:都)?(?:有|是|入选|认定|评上|拿到)|都有")
# A negation that names no recognition of its own: "其实还没认定下来", "要是还没通过验收呢", "不是牵头".
_NEGATION = re.compile(r"不是|没有|还没|尚未|并未|未能|并非|只是参与|没通过|没认定|没评上")


def _held(value: Any) -> bool:
    return value not in (None, False, "none", [])


def _replace_recognitions(text: str, state: ConversationState, extracted: ExtractedFacts, act: Prediction
                          ) -> dict[str, Any]:
    """A correction or what-if about recognitions changes them instead of adding to them.

    "说错了，是省级云上企业" / "如果是领军型浙江数商呢": a recognition it names replaces the other recognitions of the same
    policy the conversation held (additions say so: "另外…合计", "也入选了"). "其实还没认定下来" / "不是牵头": a negation
    that names none of its own withdraws the one recognition of the topic the conversation holds. "不对，两个都有"
    restores what the previous correction replaced. Removed facts are set to None (forgotten) in ``extracted``;
    the return value holds their earlier values.
    """
    decl = declarations()
    folded = fold(text)
    lexicon = load_lexicon()
    changing = act.label in _CHANGE_ACTS or bool(find_any(folded[:4], lexicon.change_words))
    if not state.topic_policies or not changing or find_any(folded, lexicon.total_words):
        return {}
    held = {n: v for n, v in state.facts.items() if n in decl.recognitions() and _held(v)}
    if state.replaced and _BOTH.search(folded) and not extracted.values:
        extracted.values.update(state.replaced)
        return {}
    named = [n for n in extracted.values if n in decl.recognitions() and _held(extracted.values[n])]
    if named:
        policies = {decl.facts[n].topic for n in named}
        gone = {n: v for n, v in held.items() if n not in extracted.values and decl.facts[n].topic in policies}
    elif _NEGATION.search(folded) and not any(n in decl.recognitions() for n in extracted.values):
        topical = [n for n in held if decl.facts[n].topic in state.topic_policies]
        gone = {n: held[n] for n in topical} if len(topical) == 1 else {}
    else:
        gone = {}
    for name in gone:
        # Replaced: forgotten (its item is no longer asked about); negated: known not to be held.
        extracted.values[name] = None if named else _withdrawn(name)
        extracted.evidence.pop(name, None)
    return gone


def _withdrawn(name: str) -> Any:
    """A recognition no longer held: false for a yes/no fact, "none" (尚未认定) where declared, else forgotten."""
    fact = declarations().facts[name]
    if fact.type == "bool":
        return False
    return "none" if "none" in fact.values else None


_NEXT_YEAR = re.compile(r"明年|下一年|下年度?|(?i:next year)")
_COUNT = re.compile(r"([0-9]{1,2}|[两二三四五六七八九十])\s*(?:个|款|项|台|件|种)")


__all__ = ["DOCUMENT_ACTS", "MONEY_ACTS", "Premise", "Understanding", "understand"]
