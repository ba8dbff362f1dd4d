"""Deterministic routing: what kind of answer a question needs (lookup, calculate, department, out of scope …).

The router only reads signals — clause references, unit names, topic words, calculation words, extracted facts and the
conversation's previous topic. It never produces text or figures.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..declarations import declarations
from ..numbers import find_amounts
from .lexicon import find_any, first_position, fold, load_lexicon
from .recognizer import topic_clauses
from .state import ConversationState

if TYPE_CHECKING:
    from .understanding import Understanding

RouteKind = Literal["lookup", "calculate", "department", "implementer", "out_of_scope", "choose_policy"]

# Derived from the fact declarations (corpus/facts.yaml): facts with an amount or a percentage make a question about
# this enterprise's numbers; a fact's `topic` is the policy it points to when the question names none.
QUANTITY_FACTS = frozenset(declarations().of_type("money", "percent"))
FACT_TOPICS = declarations().topics()
#: Confidence of the learned act above which it decides (measured on the blind set; README "Understanding").
ACT_CONFIDENCE = 0.5
#: A learned topic stands in for missing topic words above this confidence.
TOPIC_CONFIDENCE = 0.6
#: The recognizer's probability of topic ``none`` above which, with an off-document act, a message is refused.
OFF_TOPIC_CONFIDENCE = 0.5
#: Acts answered by one document-wide clause, whatever the words.
DOCUMENT_WIDE_ACTS = {"ask_combination": "五.1", "ask_validity": "五.1", "ask_funding": "五.1"}
OFF_DOCUMENT_ACTS = frozenset({"out_of_scope", "smalltalk", "ask_procedure"})


@dataclass
class Route:
    """The router's decision and the signals it rests on."""

    kind: RouteKind
    clause_ids: list[str] = field(default_factory=list)
    policy_ids: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    reference_errors: list[str] = field(default_factory=list)
    follow_up: bool = False
    new_topic: bool = False
    injection: list[str] = field(default_factory=list)
    procedure: bool = False
    who: bool = False
    anchored: bool = False
    topic_clauses: list[str] = field(default_factory=list)
    external_concept: str | None = None
    out_of_scope_words: list[str] = field(default_factory=list)
    #: The message adds to what the conversation has established ("同年还…，合计多少？"): policies are joined.
    adds: bool = False
    #: Clauses the learned topic points to: among retrieval's first hits, the first of these is answered.
    preferred: list[str] = field(default_factory=list)


def topic_policies(folded: str, strong_only: bool = False) -> list[str]:
    """Support policies whose topic words occur in the question, in order of first mention (weak words only when no
    strong word matched, and never with ``strong_only``)."""
    lexicon = load_lexicon()
    tables = (lexicon.policy_topics,) if strong_only else (lexicon.policy_topics, lexicon.weak_policy_topics)
    for table in tables:
        found = [(pos, pid) for pid, words in table.items() if (pos := first_position(folded, words)) >= 0]
        if found:
            return [pid for _, pid in sorted(found)]
    return []


def route(u: "Understanding", state: ConversationState) -> Route:
    """Decide how to answer a message from its typed reading (:class:`Understanding`) and the conversation state.

    Two readings are combined: the learned one (the act and topic the recognizer predicts, with confidence) and the
    exact rules (clause references, figures, other places). ``JXAI_ROUTING=words`` restores the word lists alone,
    for comparison (README, "Understanding").
    """
    lexicon = load_lexicon()
    question, facts, referenced, reference_errors, units = (
        u.text, u.facts.values, u.references, u.reference_errors, u.units)
    learned = os.environ.get("JXAI_ROUTING", "learned") != "words"
    folded = fold(question)
    injection = u.injection
    topics = topic_policies(folded)
    if learned and not topics and u.topic.label.startswith("三.") and u.topic.confidence >= TOPIC_CONFIDENCE:
        topics = [u.topic.label]
    referenced_policies = [cid for cid in referenced if cid.startswith("三.")]
    fact_topics = [FACT_TOPICS[name] for name in facts if name in FACT_TOPICS]
    if "investment_yuan" in facts:
        # An investment is 三.2's (information services) or 三.1's (manufacturing): the industry decides, and
        # until it is known both are asked about.
        fact_topics += ["三.2", "三.1"]
    first_person = bool(find_any(folded, lexicon.first_person))
    asks_amount = bool(find_any(folded, lexicon.calculate_words)) or (
        bool(facts) and bool(find_any(folded, lexicon.how_words))
    ) or ((bool(facts) or first_person) and (
        bool(find_any(folded, lexicon.eligibility_words))
        or any(re.search(p, folded) for p in lexicon.eligibility_patterns)
    ))
    has_quantities = any(name in QUANTITY_FACTS for name in facts)
    # The learned reading decides where word lists are silent or disagree: "补助金额？", figures with no question
    # word, English. It needs facts of the enterprise's own to compute with.
    first_person = first_person or u.asserts
    # Without facts, only a question that speaks of itself about a named policy ("How much compute subsidy can we
    # get?") is the enterprise's own; it gets the policy's questions back.
    learned_money = learned and u.asks_money and (bool(facts) or first_person and bool(topics))
    learned_terms = learned and u.asks_document and not has_quantities
    if learned_money:
        asks_amount = True
    # "算力券单个企业最多补贴多少？" asks what the document caps, not what this enterprise gets.
    if asks_amount and find_any(folded, lexicon.cap_words) and not has_quantities and not learned_money:
        asks_amount = False
    procedure = bool(find_any(folded, lexicon.procedure_words)) or (
        learned and u.act.label == "ask_procedure" and u.act.confidence >= ACT_CONFIDENCE)
    # "牵头承担国家重点研发计划的单位有什么奖励" names a 牵头单位 but asks about an award, not about who leads.
    who = (bool(find_any(folded, lexicon.who_words)) or (learned and u.act.label == "ask_lead_unit"
                                                           and u.act.confidence >= ACT_CONFIDENCE)) \
        and not re.search("奖|补贴|补助", folded)
    oos_words = find_any(folded, lexicon.out_of_scope_words)
    clause_topics = [cid for cid, words in lexicon.clause_topics.items() if find_any(folded, words)]
    if learned and u.act.label in DOCUMENT_WIDE_ACTS and u.act.confidence >= ACT_CONFIDENCE \
            and DOCUMENT_WIDE_ACTS[u.act.label] not in clause_topics:
        # Stacking, validity and funding are answered by one clause whatever words ask about them ("一个项目同时够得上
        # 两条政策，钱怎么算？" is 五.1's 就高不重复).
        clause_topics.append(DOCUMENT_WIDE_ACTS[u.act.label])
    anchored = bool(find_any(folded, lexicon.in_scope_anchors)) or bool(clause_topics)
    if "五.1" in clause_topics:
        procedure = False  # "截止日期是哪天" asks when the policy ends (五.1), not when to apply
    # The learned topic, not topic words: "到2027年要培育多少家浙江数商" names 三.8's word but asks about task 二.13.
    preferred = list(topic_clauses().get(u.topic.label, ())) if learned and u.topic.confidence >= TOPIC_CONFIDENCE \
        else []

    base = dict(units=units, reference_errors=reference_errors, injection=injection, procedure=procedure, who=who,
                out_of_scope_words=oos_words, anchored=anchored)
    explicit_topic = referenced_policies or topics
    # Weak topic words (营收) are also inputs of other policies (三.4's R&D share): they do not leave the topic.
    strong = topic_policies(folded, strong_only=True)
    same_topic = not strong or set(strong) <= set(state.topic_policies)
    # A change-word follow-up ("那如果是400万呢") goes back to the calculation even after a detour (a lookup between).
    changes_figure = bool(find_any(folded[:4], lexicon.change_words)) and bool(facts)
    continuing = bool(state.topic_policies) and not referenced and same_topic and (
        bool(state.pending_missing) or bool(facts) or bool(find_any(folded, lexicon.follow_up_words))
    ) and (state.last_intent in {"calculate", "clarify"} or changes_figure)

    # "首台套国际级奖励多少？" asks what the document pays, not what this enterprise gets: without a subject, figures of
    # its own, a conversation to continue, or an ability word (能拿/可以 …), it is a lookup.
    speaks_of_itself = first_person or bool(find_any(folded, lexicon.statement_words + lexicon.how_words))
    if asks_amount and not speaks_of_itself and not has_quantities and not state.topic_policies \
            and not find_any(folded, lexicon.ability_words) and not learned_money:
        asks_amount = False
    if asks_amount and learned_terms and not speaks_of_itself and not state.topic_policies:
        asks_amount = False
    # After a policy was looked up, stating facts it depends on ("我们是经认定的成长型浙江数商") asks for its result.
    after_lookup = state.last_intent == "lookup" and bool(set(fact_topics) & set(state.last_clause_ids))
    # 1. A question about this enterprise's money or eligibility goes to the calculator.
    wants_calculation = asks_amount or (has_quantities and (first_person or "多少" in folded)) or (
        continuing and bool(facts)
    ) or after_lookup
    # Another place or subject ("杭州有没有类似的…", "个人所得税怎么交") leaves the calculation unless the message brings
    # figures of its own.
    if wants_calculation and not (oos_words and not anchored and (not explicit_topic or not facts)
                                  and (not continuing or not facts)):
        policies = _investment_policy(_unique(referenced_policies + topics + fact_topics), facts)
        if policies:
            new_topic = not state.topic_policies or not set(policies) & set(state.topic_policies) or bool(
                explicit_topic and set(explicit_topic) != set(state.topic_policies)
            )
            strong_explicit = referenced_policies or strong
            # Facts that belong to the policy just looked up start that policy, not the older calculation.
            looked_up_other = after_lookup and not set(fact_topics) & set(state.topic_policies)
            if continuing and not looked_up_other and (
                    not strong_explicit or set(strong_explicit) <= set(state.topic_policies)):
                # New facts about the topic already under discussion ("增速是15%"): same topic, merged facts.
                return Route("calculate", policy_ids=list(state.topic_policies), follow_up=True, **base)
            if new_topic and state.topic_policies and state.last_intent in {"calculate", "clarify"} \
                    and _adds_to_conversation(u, folded):
                # "同年还获得国家级企业技术中心认定，合计多少？": the new award joins the earlier ones; the total covers
                # the whole conversation (就高不重复 within a matter, different matters add up).
                joined = _unique(list(state.topic_policies) + policies)
                return Route("calculate", policy_ids=joined, follow_up=True, adds=True, **base)
            return Route("calculate", policy_ids=policies, new_topic=new_topic, **base)
        if continuing:
            return Route("calculate", policy_ids=list(state.topic_policies), follow_up=True, **base)
        if asks_amount and not referenced and not oos_words and not clause_topics:
            return Route("choose_policy", **base)

    # 2. Explicit clause references: the hotline wants the clause itself.
    if referenced:
        return Route("lookup", clause_ids=referenced, **base)

    # 2a. A claim about the calculation under way ("听说比例是70%，对吧？", "上限是150万吧？"): checked against the rule
    #     figures in a restated calculation, the enterprise's facts unchanged.
    if learned and state.topic_policies and state.last_intent in {"calculate", "clarify"} and u.premises \
            and not topics and not clause_topics and u.act_probability({"check_claim"}) >= 0.3:
        return Route("calculate", policy_ids=list(state.topic_policies), follow_up=True, **base)

    # 2b. Ellipsis: a short follow-up that names nothing of its own ("上限多少", "牵头单位是谁", "给我条款原文") asks
    #     about the clause the conversation is on.
    current = _current_clause(state)
    if learned and current and _elliptical(u, folded, topics, clause_topics, current) and u.asks_document \
            and u.act.label not in OWN_SUBJECT_ACTS:
        if u.act.label == "ask_clause_text":
            return Route("lookup", clause_ids=[current], **base)
        return Route("lookup", topic_clauses=[current], **{**base, "who": who or u.act.label == "ask_lead_unit"})

    # 3. Who carries it out locally (县里要管吗): the document-wide rule of 二.1 and 五.1.
    # ("县里想打造特色化软件园，文件里有支持方向吗" names 县里 but asks about a task: the learned act decides.)
    if find_any(folded, lexicon.implementer_words) and (
            not learned or u.act_probability({"ask_implementer", "ask_funding"}) >= 0.3):
        return Route("implementer", **base)

    # 3b. Department questions: a unit plus "牵头/负责/哪些…".
    if units and (find_any(folded, lexicon.department_words) or _is_only_unit(folded, units)):
        return Route("department", **base)

    # 4. A follow-up on a calculation topic without recognised facts ("那如果支出是300万呢？"): same topic.
    if continuing:
        return Route("calculate", policy_ids=list(state.topic_policies), follow_up=True, **base)

    # 4b. A follow-up with a figure but no conversation to follow ("那如果支出是300万呢？" as a first message): ask which
    #     policy the figure is for, rather than guess or refuse.
    if not state.topic_policies and find_any(folded[:3], ["那", "如果", "要是", "假如"]) and find_amounts(question):
        return Route("choose_policy", **base)

    # 5. Other places and other subjects, unless the question is anchored in this document; and the criteria of
    #    concepts the document only uses as conditions (加计扣除比例, 高新技术企业认定条件).
    if oos_words and not anchored:
        return Route("out_of_scope", **base)
    # The learned reading: a message the recognizer places outside the document (its act and its topic agree), with
    # nothing in it that anchors it here (a policy word, a clause, a unit, an anchor word).
    if learned and not anchored and not explicit_topic and not units and _learned_off_document(u):
        return Route("out_of_scope", **base)
    if (concept := external_definition(folded)) and not anchored:
        return Route("out_of_scope", external_concept=concept, **base)

    # 6. Everything else: retrieval decides (with a confidence threshold for out of scope); document-wide questions
    #    (validity, combination) go to the clause that answers them.
    return Route("lookup", policy_ids=topics, topic_clauses=clause_topics, preferred=preferred, **base)


#: A follow-up this short (characters) that names no topic of its own may be elliptical ...
ELLIPSIS_CHARS = 16
#: ... and asks what the document says, except about the plan's content or a unit's duties, which name a subject of
#: their own ("人才方面有什么政策").
OWN_SUBJECT_ACTS = frozenset({"ask_plan_content", "ask_unit_duties"})


def _current_clause(state: ConversationState) -> str | None:
    """The clause the conversation is on: the last one looked up, or the policy being calculated."""
    recent = state.last_clause_ids if state.last_intent == "lookup" else state.topic_policies
    return next(iter(recent or state.topic_policies or state.last_clause_ids), None)


def _elliptical(u: "Understanding", folded: str, topics: list[str], clause_topics: list[str], current: str) -> bool:
    """The message leans on the conversation: short, and no topic, unit, fact or clause of its own."""
    learned_elsewhere = u.topic.confidence >= TOPIC_CONFIDENCE and current not in topic_clauses().get(u.topic.label, ())
    return len(folded) <= ELLIPSIS_CHARS and not topics and not clause_topics and not u.units and not u.facts.values \
        and not learned_elsewhere


def _adds_to_conversation(u: "Understanding", folded: str) -> bool:
    """A total over the conversation ("同年还获得…，合计多少？") rather than a separate question."""
    return bool(find_any(folded, load_lexicon().total_words)) or (
        u.act.label == "ask_total" and u.act.confidence >= ACT_CONFIDENCE)


def _learned_off_document(u: "Understanding") -> bool:
    """The recognizer places the message outside the document: an off-document act (chit-chat, other subjects, how
    to apply for something else) about topic ``none``, or an injection attempt about no policy at all."""
    if u.act_probability(OFF_DOCUMENT_ACTS) >= ACT_CONFIDENCE and u.off_topic >= OFF_TOPIC_CONFIDENCE:
        return True
    policy_topic = u.topic.label.startswith("三.") and u.topic.confidence >= TOPIC_CONFIDENCE
    return u.act.label == "injection" and u.act.confidence >= ACT_CONFIDENCE and not u.facts.values \
        and not policy_topic


def external_definition(folded: str) -> str | None:
    """The concept whose own definition a question asks for ("高新技术企业认定需要…" → 高新技术企业), if any.

    Only a criteria word right after the concept counts: "高新技术企业的研发占比要求" asks about this document's rule.
    """
    lexicon = load_lexicon()
    for concept in sorted(lexicon.external_concepts, key=len, reverse=True):
        start = folded.find(concept)
        while start != -1:
            # A few words may stand between ("专精特新“小巨人”企业需要满足什么条件"), but not this document's
            # award words ("首台套奖励标准" asks for 三.6's table).
            window = folded[start + len(concept):start + len(concept) + _DEFINITION_GAP]
            for word in lexicon.external_definition_words:
                at = window.find(word)
                if at != -1 and not re.search(r"[奖补]|资助|能拿|多少钱", window[:at]):
                    return concept
            start = folded.find(concept, start + 1)
    return None


#: How far after a concept its criteria word may stand (characters).
_DEFINITION_GAP = 14


def _investment_policy(policies: list[str], facts: dict) -> list[str]:
    """Investment questions belong to 三.1 (manufacturing) or 三.2 (information services) by the stated industry."""
    industry = facts.get("industry")
    swap = {"manufacturing": ("三.2", "三.1"), "information_service": ("三.1", "三.2")}.get(industry)
    if swap and swap[0] in policies:
        policies = _unique([swap[1] if p == swap[0] else p for p in policies])
    return policies


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _is_only_unit(folded: str, units: list[str]) -> bool:
    """A question that is little more than a unit's name ("市数据局？") asks for that unit's clauses."""
    from ..glossary import unit_aliases

    rest = folded
    for spelling in sorted(unit_aliases(), key=len, reverse=True):
        rest = rest.replace(spelling, "")
    return len(rest.strip("?？。!！的呢吗")) <= 2
