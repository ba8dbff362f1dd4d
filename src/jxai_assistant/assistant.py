"""The assistant: one conversation turn in, one DESIGN-contract :class:`Response` out.

It joins the clause model, the reference resolver, the department index, fact extraction, the calculator and the
retriever. Figures come only from clauses and the calculator; an optional LLM may rephrase the composed answer behind
a number firewall (``dialogue.llm``), and the deterministic answer is served whenever it objects or fails.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

from .document import Document, load_document
from .numbers import format_yuan
from .references import ReferenceNotFound, resolve_reference
from .response import CalculationOut, MissingFact, Response
from .units import unit_roles
from .dialogue.composer import (
    Composed,
    compose_calculation,
    compose_choose_policy,
    compose_department,
    compose_implementer,
    compose_lookup,
    compose_not_specified,
    compose_out_of_scope,
)
from .dialogue.coverage import coverage
from .dialogue.lexicon import find_any, fold, load_lexicon
from .dialogue.extraction import ExtractedFacts
from .dialogue.slots import named_facts
from .dialogue.routing import Route, route
from .dialogue.understanding import understand
from .dialogue.state import ConversationState, ConversationStore

log = logging.getLogger(__name__)

#: Longer questions are refused politely: no real question needs more, and it bounds the work per request.
MAX_QUESTION_CHARS = 2000
#: Retrieval confidence (``HybridRetriever.confidence``, 0–1) under which a free-text question is treated as not
#: covered by the document; measured on the public and dev cases (README, "Retrieval").
#: Measured: a higher floor refuses in-scope questions without catching more out-of-scope ones (vocabulary coverage
#: and the out-of-scope word list do that), so it only catches retrieval finding nothing at all.
OUT_OF_SCOPE_CONFIDENCE = 0.1
#: Clauses offered as "nearby" on a refusal must reach this share of the top score.
NEARBY_SHARE = 0.85
#: A money question whose best clause is a task (not a support policy) at this confidence is about something the
#: document mentions but does not fund with figures.
MENTION_CONFIDENCE = 0.4
#: How deep in retrieval's ranking a clause the topic points to is preferred over the first hit.
PREFERRED_WITHIN = 3
#: ... and only in a near tie: a clear retrieval winner stands ("2027年前要新增多少家企业技术中心" is task 二.4 even
#: though the learned topic says 三.5's word).
PREFERRED_SHARE = 0.75
#: A second clause is quoted and cited beside the first only in a near tie.
TIE_SHARE = 0.95
# Control and format characters are dropped (newlines and tabs become spaces): they carry no meaning in a question.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

CONVERSATION_ENDED = ("这次对话已结束（会话已过期或不存在），之前提供的信息已不再保留。请重新提问，"
                      "我会开始一次新的对话。")
#: The ``notes`` entry that marks the ended-conversation answer for programs.
CONVERSATION_ENDED_NOTE = "conversation_ended"

# Examples carry no figures: every amount in an answer must come from a cited clause or a calculation.
EXAMPLES = "例如：“算力券单个企业最多补贴多少？”“我们用了智算服务，能拿多少算力券？”“支持政策第七条”“市数据局牵头哪些任务？”"


def clean_question(question: Any) -> str:
    """Normalise user input: text only, no control/format characters or lone surrogates, trimmed."""
    text = question if isinstance(question, str) else ("" if question is None else str(question))
    text = _SURROGATE_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return " ".join(_CONTROL_RE.sub(" ", text).split())


class StartupError(RuntimeError):
    """The assistant cannot start: its data (rules, routing words, document) is unreadable or invalid."""


class Assistant:
    """Answers questions about the document, one conversation turn at a time (thread-safe per conversation)."""

    def __init__(self, document: Document | None = None, retriever: Any = None, rephraser: Any = None,
                 conversations: Any = None) -> None:
        """Load and check the data every answer depends on; bad data fails here (naming the file and key), at
        start-up, rather than in a user's answer. ``conversations`` is the store (default: in-process; servers pass
        a persistent one from ``dialogue.store``)."""
        from .calculator import load_rules
        from .dialogue.lexicon import load_lexicon

        load_rules()
        load_lexicon()
        self.doc = document or load_document()
        self._retriever = retriever
        self._rephraser = rephraser
        self._lock = threading.Lock()
        self.conversations = conversations if conversations is not None else ConversationStore()

    # -- components, loaded once ------------------------------------------------------------------------------
    @property
    def retriever(self):
        """The hybrid retriever (built or loaded from the cache on first use)."""
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    from .retrieval import get_retriever

                    self._retriever = get_retriever()
        return self._retriever

    @property
    def retriever_loaded(self) -> bool:
        """Whether the retrieval index is in memory (readiness: answers need no loading any more)."""
        return self._retriever is not None

    @property
    def rephraser(self):
        """The optional LLM rephraser (None unless ``JXAI_LLM_BASE_URL`` is set)."""
        if self._rephraser is None:
            if not os.environ.get("JXAI_LLM_BASE_URL"):
                self._rephraser = False  # no LLM configured: nothing to import, no network
                return None
            from .dialogue.llm import LLMSettings, Rephraser

            settings = LLMSettings.from_env()
            self._rephraser = Rephraser(settings) if settings.enabled else False
        return self._rephraser or None

    def reset(self, conversation_id: str) -> None:
        """Forget one conversation's topic and facts."""
        self.conversations.reset(conversation_id)

    # -- one turn ---------------------------------------------------------------------------------------------
    def ask(self, question: Any, conversation_id: str | None = None) -> Response:
        """Answer one turn of a conversation; never raises for any input."""
        state = self.conversations.open(conversation_id)
        if state is None:
            # An unknown or expired id: say so, never continue silently in a fresh conversation.
            return Response(answer=CONVERSATION_ENDED, intent="clarify", notes=[CONVERSATION_ENDED_NOTE])
        text = clean_question(question)
        with state.lock:
            if not text:
                response = self._message(state, "请输入您的问题。" + EXAMPLES)
            elif len(text) > MAX_QUESTION_CHARS:
                response = self._message(
                    state, f"您的问题有 {len(text)} 个字符，超过了 {MAX_QUESTION_CHARS} 字的上限，请精简后再问。" + EXAMPLES
                )
            else:
                try:
                    response = self._answer(text, state)
                except Exception:  # a bug must cost one answer, not the conversation or the server
                    log.exception("回答问题时出错")
                    response = Response(
                        answer="抱歉，处理这个问题时出现了内部错误，请换一种说法再试，或直接输入条款编号（如 三.7）查询原文。",
                        intent="clarify",
                        conversation_id=state.conversation_id,
                    )
                state.last_intent = response.intent
            answer_id = state.record_answer(response.intent, [c.clause_id for c in response.citations],
                                            response.award_yuan)
            self.conversations.save(state)
        if text and len(text) <= MAX_QUESTION_CHARS:
            response = self._rephrase(text, response)
        return response.model_copy(update={"answer_id": answer_id})

    def _message(self, state: ConversationState, text: str) -> Response:
        return Response(answer=text, intent="clarify", conversation_id=state.conversation_id)

    def _answer(self, text: str, state: ConversationState) -> Response:
        # A hotline caller often types nothing but a reference ("保障措施", "二（四）"): the whole input resolves.
        try:
            whole = resolve_reference(text, self.doc)
        except ReferenceNotFound as exc:
            whole = []
            if _names_a_missing_clause(exc.message):
                # "支持政策第十一条": the whole input is a reference to a clause that does not exist; say the range.
                answer = exc.message + "\n可以输入正确的编号查看原文，例如：三.7、支持政策第七条、重点任务第十条。"
                return self._respond(state, Composed(answer), "lookup")
        if whole:
            composed = compose_lookup(self.doc, whole, [], verbatim_first=True)
            state.last_clause_ids = whole
            return self._respond(state, composed, "lookup")
        if (rest := _starts_over(text)) is not None:
            # "新对话。…": the topic and every fact are forgotten (the id stays, so the conversation goes on); what
            # follows the words, if anything, is answered in the fresh conversation.
            state.start_topic([], keep=())
            state.pending_missing, state.last_clause_ids, state.last_intent, state.named = [], [], None, []
            if not rest:
                return self._respond(state, Composed("好的，已开始新的对话，之前提供的企业情况都已清除。" + EXAMPLES),
                                     "clarify")
            text = rest
        elif _switches_topic(text):
            # "换个话题，…": the earlier topic's figures go; the enterprise's standing (行业, 规上, 高新) stays.
            state.start_topic([], keep=_enterprise_facts())
            state.pending_missing, state.last_intent = [], None
        u = understand(text, state, self.doc)
        text, extracted = u.text, u.facts
        state.replaced = u.replaced  # "不对，两个都有" may restore them next turn
        decision = route(u, state)
        if decision.kind == "calculate" and u.unclear_amounts:
            return self._respond(state, Composed(_unclear_message(u.unclear_reasons)), "clarify")
        if decision.kind != "calculate":
            state.remember(extracted.values, extracted.evidence, _enterprise_facts())

        if decision.kind == "calculate":
            return self._calculate(text, state, decision, extracted, u.premises)
        if decision.kind == "choose_policy":
            return self._choose_policy(text, state, decision)
        if decision.kind == "implementer":
            return self._respond(state, compose_implementer(self.doc), "lookup", prefix=decision)
        if decision.kind == "department":
            roles = [r for u in decision.units if (r := unit_roles(u)) is not None]
            return self._respond(state, compose_department(self.doc, roles), "lookup", prefix=decision)
        if decision.kind == "lookup" and decision.clause_ids:
            composed = compose_lookup(self.doc, decision.clause_ids, self._terms(text), verbatim_first=True,
                                      who=decision.who, procedure=decision.procedure)
            state.last_clause_ids = decision.clause_ids
            return self._respond(state, composed, "lookup", prefix=decision)
        if decision.kind == "lookup" and decision.reference_errors and not self._meaningful_rest(text):
            answer = "\n".join(decision.reference_errors) + "\n可以输入正确的编号查看原文，例如：三.7、支持政策第七条、重点任务第十条。"
            return self._respond(state, Composed(answer), "lookup")
        return self._retrieve(text, state, decision)

    def _choose_policy(self, text: str, state: ConversationState, decision: Route) -> Response:
        """A money question naming no support policy: ask which one — unless it is about something the document
        only mentions in a task (星耀南湖人才计划的安家补贴), which has no amounts to give."""
        hits = self.retriever.search(text, k=3) if not extracted_quantities(text) else []
        if hits and not hits[0].clause_id.startswith("三.") and self.retriever.confidence(hits) >= MENTION_CONFIDENCE:
            clause = self.doc.get(hits[0].clause_id)
            reason = f"文件只在〔{clause.clause_id}〕{clause.title}中提到相关内容，没有规定补贴或奖励的金额、标准"
            composed = compose_out_of_scope(self.doc, [clause.clause_id], reason)
            return self._respond(state, composed, "out_of_scope", out_of_scope=True, prefix=decision)
        return self._respond(state, compose_choose_policy(self.doc), "clarify", prefix=decision)

    # -- lookup through the retriever -------------------------------------------------------------------------
    def _retrieve(self, text: str, state: ConversationState, decision: Route) -> Response:
        hits = self.retriever.search(text, k=5)
        # The learned reading refuses off-document messages in routing; the vocabulary-share heuristic it replaced is
        # kept only for the comparison mode (JXAI_ROUTING=words).
        off_document = os.environ.get("JXAI_ROUTING") == "words" and not decision.policy_ids \
            and not decision.anchored and coverage(text).off_document
        weak = (not hits or self.retriever.confidence(hits) < OUT_OF_SCOPE_CONFIDENCE) and not decision.topic_clauses
        if decision.kind == "out_of_scope" or off_document or weak:
            nearby = [h.clause_id for h in hits[:2] if h.score >= NEARBY_SHARE * hits[0].score] if hits else []
            if decision.external_concept:
                reason = f"文件只把“{decision.external_concept}”作为适用条件，没有规定它本身的认定条件、标准或比例"
                nearby = [h.clause_id for h in hits[:2]] if hits else []
            else:
                reason = "它涉及其他地区或其他领域" if decision.out_of_scope_words else None
            composed = compose_out_of_scope(self.doc, nearby, reason)
            return self._respond(state, composed, "out_of_scope", out_of_scope=True, prefix=decision)
        if decision.procedure and not decision.who:
            # Deadlines, forms, materials, contacts: the document leaves them to later notices. Say so first, then
            # the nearest clause and its lead unit as the place to ask (out of scope: nothing here answers it).
            nearest = (decision.topic_clauses or decision.policy_ids or [hits[0].clause_id])[0]
            composed = compose_not_specified(self.doc, nearest, "申报流程、时间、材料、联系方式等办理细节",
                                             self._terms(text), text)
            return self._respond(state, composed, "out_of_scope", out_of_scope=True, prefix=decision)
        # Among retrieval's first hits, the clause the learned topic points to is answered first ("租GPU智算的费用能
        # 报销一部分吗" is about 三.7, though its words overlap more with 三.4's).
        preferred = next((h.clause_id for h in hits[:PREFERRED_WITHIN] if h.clause_id in decision.preferred
                          and h.score >= PREFERRED_SHARE * hits[0].score), None)
        top = decision.topic_clauses[:1] or [preferred or hits[0].clause_id]
        # A near tie is shown and cited too: two clauses that answer about equally well.
        tie = [h.clause_id for h in hits[:2] if h.clause_id not in top and h.score >= TIE_SHARE * hits[0].score]
        if not decision.topic_clauses and not preferred and tie:
            top.append(tie[0])
        related = [h.clause_id for h in hits[:4] if h.clause_id not in top and h.score >= 0.5 * hits[0].score][:2]
        hints = [target for word, target in load_lexicon().quote_hints.items() if word in fold(text)]
        composed = compose_lookup(self.doc, top, self._terms(text) + hints, verbatim_first=False, who=decision.who,
                                  procedure=decision.procedure, related=related, question=text)
        state.last_clause_ids = top
        return self._respond(state, composed, "lookup", prefix=decision)

    # -- calculation ------------------------------------------------------------------------------------------
    def _calculate(self, text: str, state: ConversationState, decision: Route, extracted, premises=()) -> Response:
        from .calculator import (EnterpriseFacts, FactsError, alternatives, calculate, combine, conditional,
                                 stale_notices)

        if decision.adds:
            state.topic_policies = list(decision.policy_ids)  # joined: the earlier facts stand
        elif decision.new_topic or not decision.follow_up and set(decision.policy_ids) != set(state.topic_policies):
            state.start_topic(decision.policy_ids, keep=_enterprise_facts())
        state.facts.update(extracted.values)
        state.evidence.update(extracted.evidence)
        for name in [n for n, v in state.facts.items() if v is None]:  # forgotten by a year shift
            state.facts.pop(name)
            state.evidence.pop(name, None)
        # Counts and other products are part of the facts the calculator reads (三.6: different products add up).
        if extracted.quantities:
            state.facts["quantities"] = {**state.facts.get("quantities", {}), **extracted.quantities}
        if extracted.separate:
            state.facts["separate"] = sorted({*state.facts.get("separate", []), *extracted.separate})
        try:
            facts = EnterpriseFacts(**state.facts)
        except (FactsError, ValueError) as exc:
            # Bad values (negative amounts …) are the user's to fix; drop them so the conversation can go on.
            for name in list(extracted.values):
                state.facts.pop(name, None)
                state.evidence.pop(name, None)
            message = getattr(exc, "message", None) or _validation_reason(exc) or "提供的数值无法使用（例如金额为负数）。"
            return self._respond(state, Composed(f"{message}\n请提供有效的数值后再测算。"), "clarify")

        if stale := stale_notices(state.topic_policies):
            # The version in force changed these policies and their rule data is not updated yet: quote, don't compute.
            composed = compose_lookup(self.doc, list(stale), self._terms(text), verbatim_first=True)
            answer = "\n".join(stale.values()) + "\n\n" + composed.answer
            return self._respond(state, Composed(answer, composed.citations), "lookup", prefix=decision)
        calculations = []
        for policy_id in state.topic_policies:
            result = calculate(policy_id, facts)
            calculations.extend(result if isinstance(result, list) else [result])
        named = named_facts(text)
        calculations = _relevant(calculations, set(state.facts), named | set(state.named))
        state.name_facts(named)
        combined = combine(calculations)
        missing = _unique_missing(c for c in combined.calculations if c.eligible is None)
        state.pending_missing = [m.fact for m in missing]
        known = "；".join(_known_lines(state, words=bool(missing)))
        # Undecided items whose only unknowns are yes/no conditions get the figure they would give (never an award).
        conditionals = {i: c for i, calc in enumerate(combined.calculations)
                        if (c := conditional(calc, facts)) is not None} if missing else {}
        # A paying item whose figure would differ if an unknown yes/no fact held (三.7's higher cap) says so, too.
        others = [pair for calc in combined.calculations for pair in alternatives(calc, facts)]
        composed = compose_calculation(
            self.doc, combined.calculations, combined.award_yuan, combined.eligible, combined.notes, missing, known,
            self._terms(text), bool(decision.injection), list(premises), conditionals=list(conditionals.values()),
            alternatives=others, footnote=not state.footnoted,
        )
        state.footnoted = True
        out = [_calculation_out(conditionals.get(i, c), known, [(m, o) for m, o in others if o.item == c.item])
               for i, c in enumerate(combined.calculations)]
        if missing:
            return self._respond(state, composed, "clarify", calculations=out, missing=missing, prefix=decision)
        return self._respond(state, composed, "calculate", calculations=out, award=combined.award_yuan,
                             eligible=combined.eligible, prefix=decision)

    # -- helpers ----------------------------------------------------------------------------------------------
    def _respond(
        self,
        state: ConversationState,
        composed: Composed,
        intent: str,
        *,
        calculations: list | None = None,
        award: int | None = None,
        eligible: bool | None = None,
        out_of_scope: bool = False,
        missing: list | None = None,
        prefix: Route | None = None,
    ) -> Response:
        answer = composed.answer
        notes: list[str] = []
        if prefix is not None and prefix.reference_errors:
            notes.extend(prefix.reference_errors)
            answer = "提示：" + "".join(prefix.reference_errors) + "\n\n" + answer
        return Response(
            answer=answer,
            intent=intent,
            citations=composed.citations,
            calculations=calculations or [],
            award_yuan=award,
            eligible=eligible,
            out_of_scope=out_of_scope,
            conversation_id=state.conversation_id,
            missing=[MissingFact(fact=m.fact, label=m.label, question=m.question) for m in (missing or [])],
            notes=notes,
        )

    def _terms(self, text: str) -> list[str]:
        return list(_question_terms(text))

    def _meaningful_rest(self, text: str) -> bool:
        """Whether a question says more than a (broken) clause number."""
        rest = re.sub(r"[一二三四五六七八九十\d]+\s*[.．、]\s*[一二三四五六七八九十\d]+", "", text)
        return len(re.sub(r"[\s?？。!！条的是什么内容查看原文]", "", rest)) > 4

    def _rephrase(self, question: str, response: Response) -> Response:
        rephraser = self.rephraser
        if not rephraser or response.intent == "clarify" and not response.calculations:
            return response
        try:
            result = rephraser.rephrase(
                response.answer, question, [c.model_dump() for c in response.citations],
                [c.model_dump(mode="json") for c in response.calculations],
            )
        except Exception:  # the rephraser is optional; the deterministic answer always stands
            log.exception("LLM 改写失败，使用确定性回答")
            return response
        if getattr(result, "used_llm", False) and result.text:
            return response.model_copy(update={"answer": result.text})
        return response


@lru_cache(maxsize=256)
def _question_terms(text: str) -> tuple[str, ...]:
    """The question's words (jieba + glossary), computed once per question for quote selection."""
    from .retrieval.analyzer import default_analyzer

    return tuple(default_analyzer().tokens(text))


def extracted_quantities(text: str) -> bool:
    """Whether the question states figures of its own (then it is about this enterprise, not a mention)."""
    from .numbers import find_amounts, find_percents

    return bool(find_amounts(text) or find_percents(text))


def _validation_reason(exc: Exception) -> str | None:
    """The Chinese reason of a fact-model validation error ("…的数值 … 超出了可能的范围"), if it has one."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return None
    reasons = [str(e.get("msg", "")).removeprefix("Value error, ") for e in errors()]
    chinese = [r for r in reasons if any("\u4e00" <= ch <= "\u9fff" for ch in r)]
    return ("；".join(chinese) + "。") if chinese else None


def _starts_over(text: str) -> str | None:
    """The rest of a message that opens by asking to start over ("新对话。我们能拿多少？" → "我们能拿多少？"), or None."""
    for word in sorted(load_lexicon().reset_words, key=len, reverse=True):
        if fold(text[:len(word) + 2]).startswith(word):
            return text[text.find(word[-1]) + 1:].lstrip(" ，,。.：:;；!！") if word[-1] in text else ""
    return None


def _switches_topic(text: str) -> bool:
    """A message that opens by changing the subject ("换个话题，…", "另外问一下…")."""
    return bool(find_any(fold(text)[:8], load_lexicon().switch_words))


def _unclear_message(reasons: list[str]) -> str:
    """Amounts that cannot be read exactly are asked back, never guessed. The user's figure is not repeated (it may
    be an injected one), and the message itself states no figure."""
    kinds = "、".join(dict.fromkeys(reasons))
    return (f"您提供的金额用了{kinds}的写法，无法确切读出。为免算错，请写出确切金额（阿拉伯数字加“万元”或“元”），"
            "再为您测算。")


def _names_a_missing_clause(message: str) -> bool:
    """Whether the resolver's message says the input names a clause outside the document's range (not merely
    that the input is not a reference at all)."""
    return "没有第" in message or "个小节" in message


def _enterprise_facts() -> tuple[str, ...]:
    from .declarations import declarations

    return declarations().carried_over()


def _known_lines(state: ConversationState, words: bool = True) -> list[str]:
    """What the conversation has established ("已知信息"), with the user's words when ``words`` (a question back
    shows how the message was read; an answer lists the facts it used, compactly)."""
    evidence = {name: state.evidence[name] for name in state.facts if name in state.evidence}
    values = {name: state.facts[name] for name in evidence}
    return ExtractedFacts(values=values, evidence=evidence if words else {}).known_lines()


def _relevant(calculations: list, known: set[str], named: set[str]) -> list:
    """Keep the items the question is about: decided ones, and undecided ones whose facts the user touched.

    A policy often has several items (三.4: R&D increment, municipal project, national programme). Asking about R&D
    spending should not trigger questions about the others; they are kept only if nothing else is decided.
    """
    kept = [c for c in calculations if c.eligible is not None or _touches(c, known)]
    if not kept:
        # Nothing decided yet: ask only about the items the user's words name (企业技术中心, not 创新中心), if any.
        asked = [c for c in calculations if any(m.fact in named for m in c.missing)]
        return asked or calculations
    return kept


def _touches(calc, known: set[str]) -> bool:
    """An undecided item the user has engaged with: it got past validity on known facts, or it waits for one of them."""
    got_further = bool(known) and any(s.name != "validity" for s in calc.steps)
    return got_further or bool({m.fact for m in calc.missing} & known)


def _unique_missing(calcs) -> list:
    seen: dict[str, Any] = {}
    for calc in calcs:
        for item in calc.missing:
            seen.setdefault(item.fact, item)
    return list(seen.values())


def _calculation_out(calc, known: str, alternatives: list = ()) -> CalculationOut:
    data = calc.model_dump(mode="json")
    notes = list(data.get("notes", []))
    if known:
        # The user's own figures appear in the answer ("已知信息"); they are recorded here so that every figure in the
        # answer is traceable to the calculation that used it.
        notes.append(f"已提供：{known}")
    for condition, other in alternatives:  # the "若…，可获…" figure of the answer, with its arithmetic
        arithmetic = "；".join(st.brief for st in other.steps if st.name in ("base", "rate", "cap"))
        notes.append(f"若{condition.label}：{arithmetic}，可获{format_yuan(other.amount_yuan)}。")
    data["notes"] = notes
    return CalculationOut(**data)


@lru_cache(maxsize=1)
def get_assistant() -> Assistant:
    """The process-wide assistant (index loaded once, conversations shared by id).

    Raises :class:`StartupError` with a Chinese message naming the file when the data cannot be loaded.
    """
    from .calculator import RuleFileError

    try:
        return Assistant()
    except (RuleFileError, OSError, ValueError, RuntimeError) as exc:
        raise StartupError(f"无法启动政策助手：{exc}") from exc


__all__ = ["Assistant", "StartupError", "MAX_QUESTION_CHARS", "clean_question", "format_yuan", "get_assistant"]
