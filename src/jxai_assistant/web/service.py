"""What the web app does, without Gradio: answer, search, calculate — validated, with Chinese error messages.

The UI handlers and the named API endpoints (``/ask``, ``/search``, ``/calc``) both call these functions, so an
integration sees exactly what the page shows.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from typing import Any

from ..dialogue.store import StoreError
from ..insights.log import UsageLog
from ..paths import data_dir
from ..references import ReferenceNotFound
from .lookup import MAX_K as MAX_SEARCH_K, search_clauses

log = logging.getLogger(__name__)

#: The assistant refuses longer questions; the search box and the API apply the same limit.
MAX_INPUT_CHARS = 2000
#: Largest JSON profile the calculator endpoint reads.
MAX_PROFILE_CHARS = 20_000
BUSY_MESSAGE = "抱歉，系统暂时无法处理这个请求，请稍后再试；也可以在“条款查询”中直接查看条款原文。"


class ServiceError(ValueError):
    """A request the service cannot serve; ``message`` is a Chinese sentence safe to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The thing asked for does not exist (a clause number outside the document)."""


class StoreUnavailable(ServiceError):
    """The conversation store cannot be reached; the caller should retry later."""


STORE_DOWN_MESSAGE = "会话存储暂时不可用，请稍后再试。"


def use_persistent_conversations() -> Any:
    """Give the process-wide assistant the server's conversation store (SQLite in the data directory, or Redis
    when ``JXAI_REDIS_URL`` is set): conversations then survive restarts and are shared by workers. Idempotent.
    The store keeps the user's words only when question storage is on (``JXAI_STORE_QUESTIONS=1``)."""
    from ..assistant import get_assistant
    from ..dialogue.state import ConversationStore
    from ..dialogue.store import store_from_env
    from ..insights.log import store_questions

    assistant = get_assistant()
    if isinstance(assistant.conversations, ConversationStore):
        # The user's words go to disk only where the operator allows question text (JXAI_STORE_QUESTIONS=1).
        assistant.conversations = store_from_env(data_dir(), keep_words=store_questions())
    return assistant.conversations


def too_long_message(n: int, what: str = "问题") -> str:
    """The friendly message for over-long input."""
    return f"您输入的{what}有 {n} 个字符，超过了 {MAX_INPUT_CHARS} 字的上限，请精简后再试。"


_usage_logs: dict[str, UsageLog] = {}
_usage_lock = threading.Lock()


def usage_log() -> UsageLog:
    """The usage log of the current data directory (``usage.sqlite3``; one object per directory and process)."""
    path = data_dir() / "usage.sqlite3"
    with _usage_lock:
        if str(path) not in _usage_logs:
            _usage_logs[str(path)] = UsageLog(path)
        return _usage_logs[str(path)]


def log_answer(question: Any, response: dict[str, Any], started: float, channel: str) -> None:
    """Log one answer (``started``: ``time.perf_counter()`` before asking); a failing log costs a log line, never
    the answer. The ended-conversation notice is not a question about the document and is not logged."""
    from ..assistant import CONVERSATION_ENDED_NOTE

    if CONVERSATION_ENDED_NOTE in (response.get("notes") or []):
        return
    try:
        usage_log().record(response, latency_ms=(time.perf_counter() - started) * 1000,
                           question=question if isinstance(question, str) else None, channel=channel)
    except (OSError, sqlite3.Error, ValueError) as exc:
        log.warning("usage log write failed: %s", type(exc).__name__)


def ask(question: str, conversation_id: str | None = None, channel: str = "api") -> dict[str, Any]:
    """Answer one turn; returns the DESIGN response contract dict (with ``conversation_id``). The answer is logged
    (``insights.log``) under ``channel`` (page, gradio_api, rest)."""
    from ..assistant import get_assistant

    if not isinstance(question, str):
        raise ServiceError("问题应为文本。")
    if conversation_id is not None and (not isinstance(conversation_id, str) or len(conversation_id) > 100):
        raise ServiceError("会话编号应为不超过 100 个字符的文本。")
    # Over-long and empty questions are answered by the assistant itself with a polite "clarify" response.
    started = time.perf_counter()
    try:
        response = get_assistant().ask(question, conversation_id or None).to_contract()
    except StoreError as exc:
        log.error("conversation store failed: %s", exc)
        raise StoreUnavailable(STORE_DOWN_MESSAGE) from None
    log_answer(question, response, started, channel)
    return response


def clause(reference: str) -> dict[str, Any]:
    """One clause by id, title or name, or by how people say it (三.7, 支持政策第七条, 算力券); a section gives its first clause's
    siblings under ``clauses``. Raises :class:`NotFound` with the valid range."""
    from ..document import load_document
    from ..references import resolve_reference

    if not isinstance(reference, str) or not reference.strip() or len(reference) > 100:
        raise ServiceError("请给出条款编号，如 三.7 或 支持政策第七条。")
    doc = load_document()
    try:
        ids = resolve_reference(reference, doc, names=True)
    except ReferenceNotFound as exc:
        raise NotFound(exc.message) from None
    payloads = [_clause_payload(doc, doc.get(cid)) for cid in ids]
    return payloads[0] if len(payloads) == 1 else {"clauses": payloads}


def _clause_payload(doc, item) -> dict[str, Any]:
    return {"clause_id": item.clause_id, "title": item.title, "path": item.path, "text": item.text,
            "units": item.units, "units_as_written": item.units_as_written, "lead_unit": item.lead_unit,
            "citation": item.citation_line(doc.title)}


def reset(conversation_id: str | None) -> None:
    """Forget a conversation (the 新对话 button)."""
    if conversation_id:
        from ..assistant import get_assistant

        get_assistant().reset(conversation_id)


def search(query: str, k: int = 8) -> list[dict[str, Any]]:
    """Search clauses by number, department or keywords; returns result dicts (see ``lookup.ClauseResult``)."""
    if not isinstance(query, str):
        raise ServiceError("查询内容应为文本。")
    if len(query) > MAX_INPUT_CHARS:
        raise ServiceError(too_long_message(len(query), "查询内容"))
    if not query.strip():
        raise ServiceError("请输入关键词、条款编号（如 三.7）或单位名称（如 市经信局）。")
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise ServiceError("返回条数 k 应为整数。") from None
    if not 1 <= k <= MAX_SEARCH_K:
        raise ServiceError(f"返回条数 k 应在 1 到 {MAX_SEARCH_K} 之间。")
    try:
        return [r.to_dict() for r in search_clauses(query, k)]
    except ReferenceNotFound as exc:
        raise ServiceError(exc.message) from None


def calc(profile: dict[str, Any] | str) -> dict[str, Any]:
    """Match an enterprise profile (fact names → values; amounts in yuan, or text like "120万") against every policy."""
    from ..calculator import FactsError, facts_from_mapping
    from .profile import match_result

    if isinstance(profile, str):
        if len(profile) > MAX_PROFILE_CHARS:
            raise ServiceError("企业信息过长。")
        try:
            profile = json.loads(profile or "{}", parse_float=_reject_float)
        except ServiceError:
            raise
        except json.JSONDecodeError as exc:
            raise ServiceError(f"企业信息不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。") from None
    if not isinstance(profile, dict):
        raise ServiceError("企业信息应为 JSON 对象，如 {\"compute_spend_yuan\": 1200000}。")
    try:
        facts = facts_from_mapping(profile)
    except FactsError as exc:
        raise ServiceError(exc.message) from None
    return match_result(facts)


def calculate(policy: str, facts: dict[str, Any]) -> dict[str, Any]:
    """One policy (``三.7``, ``支持政策第七条``) or ``"all"`` computed from ``facts`` (names as in ``jxai facts``;
    amounts in yuan as integers or text such as "120万"): every calculation with its steps and clause, and
    ``award_yuan`` after 就高不重复. Raises :class:`ServiceError` (or :class:`NotFound`) with a Chinese message."""
    from ..calculator import POLICY_IDS, FactsError, calculate as calculate_policy, calculate_all, combine
    from ..calculator import facts_from_mapping
    from ..references import resolve_reference

    if not isinstance(policy, str) or not policy.strip() or len(policy) > 100:
        raise ServiceError("请给出一条支持政策（如 三.7、支持政策第七条），或 all 表示全部政策。")
    if not isinstance(facts, dict) or len(json.dumps(facts, ensure_ascii=False, default=str)) > MAX_PROFILE_CHARS:
        raise ServiceError("企业情况应为不太长的 JSON 对象，如 {\"compute_spend_yuan\": \"120万\"}。")
    for name, value in facts.items():
        if isinstance(value, float):
            _reject_float(f"{name}={value}")
    try:
        parsed = facts_from_mapping(facts)
    except FactsError as exc:
        raise ServiceError(exc.message) from None
    if policy.strip().lower() in {"all", "全部"}:
        policy_id, calculations = "all", calculate_all(parsed)
    else:
        try:
            ids = resolve_reference(policy)
        except ReferenceNotFound as exc:
            raise NotFound(exc.message) from None
        if len(ids) != 1 or ids[0] not in POLICY_IDS:
            raise NotFound(f"“{policy}”不是一条可测算的支持政策；可测算的是 {POLICY_IDS[0]}–{POLICY_IDS[-1]}"
                           "（如 三.7、支持政策第七条），或 all 表示全部政策。")
        policy_id, calculations = ids[0], calculate_policy(ids[0], parsed)
    combined = combine(calculations)
    return {"policy": policy_id, **combined.model_dump(mode="json"),
            "facts": parsed.model_dump(mode="json", exclude_none=True)}


def _reject_float(text: str) -> Any:
    # Money never passes through binary floating point: "1.5" in JSON would be a float.
    raise ServiceError(f"数值请写成整数或字符串（如 \"12.5\"、\"12.5万\"），不要写 JSON 小数 {text}。")


FEEDBACK_SAVED = "感谢您的反馈！"
FEEDBACK_FAILED = "抱歉，反馈没有保存成功，请稍后再试。"


def feedback(store: Any, answer_id: str, rating: str, reason: str | None = None,
             question: str | None = None) -> dict[str, Any]:
    """Record 👍/👎 for the answer named ``answer_id`` (as returned with it), and only for that answer.

    Raises :class:`NotFound` when no such answer is known (its conversation ended), :class:`ServiceError` on an
    unknown rating or reason, :class:`StoreUnavailable` when the rating could not be written.
    """
    from ..assistant import get_assistant
    from .feedback import RATINGS, REASONS

    if rating not in RATINGS:
        raise ServiceError("评价应为 up 或 down。")
    if reason is not None and reason not in REASONS:
        raise ServiceError("原因应为以下之一：" + "、".join(REASONS) + "。")
    if not isinstance(answer_id, str) or "." not in answer_id or len(answer_id) > 100:
        raise ServiceError("answer_id 应为回答中返回的编号。")
    conversation_id, _, turn = answer_id.rpartition(".")
    try:
        state = get_assistant().conversations.open(conversation_id)
    except StoreError:
        raise StoreUnavailable(FEEDBACK_FAILED) from None
    answer = state.answers.get(answer_id) if state is not None else None
    if answer is None:
        raise NotFound("找不到这条回答（对话可能已结束），反馈未记录。")
    try:
        row = store.record(conversation_id=conversation_id, turn=int(turn), rating=rating, reason=reason,
                           intent=answer["intent"], clause_ids=answer["clause_ids"], award_yuan=answer["award_yuan"],
                           question=question, answer_id=answer_id)
    except (OSError, sqlite3.Error) as exc:
        log.error("feedback write failed: %s", type(exc).__name__)
        raise StoreUnavailable(FEEDBACK_FAILED) from None
    try:
        usage_log().rate(answer_id, rating, reason)
    except (OSError, sqlite3.Error, ValueError) as exc:  # the rating itself is saved; the log misses it
        log.warning("usage log rating failed: %s", type(exc).__name__)
    return {"answer_id": row.answer_id, "rating": row.rating, "reason": row.reason, "message": FEEDBACK_SAVED}
