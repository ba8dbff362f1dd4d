"""What the web app does, without Gradio: answer, search, calculate — validated, with Chinese error messages.

The UI handlers and the named API endpoints (``/ask``, ``/search``, ``/calc``) both call these functions, so an
integration sees exactly what the page shows.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

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


def new_conversation_id() -> str:
    """A random conversation id for one browser session (no user data in it)."""
    return f"web-{uuid.uuid4().hex[:16]}"


def too_long_message(n: int, what: str = "问题") -> str:
    """The friendly message for over-long input."""
    return f"您输入的{what}有 {n} 个字符，超过了 {MAX_INPUT_CHARS} 字的上限，请精简后再试。"


def ask(question: str, conversation_id: str | None = None) -> dict[str, Any]:
    """Answer one turn; returns the DESIGN response contract dict (with ``conversation_id``)."""
    from ..assistant import get_assistant

    if not isinstance(question, str):
        raise ServiceError("问题应为文本。")
    if conversation_id is not None and (not isinstance(conversation_id, str) or len(conversation_id) > 100):
        raise ServiceError("会话编号应为不超过 100 个字符的文本。")
    # Over-long and empty questions are answered by the assistant itself with a polite "clarify" response.
    return get_assistant().ask(question, conversation_id or None).to_contract()


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


def _reject_float(text: str) -> Any:
    # Money never passes through binary floating point: "1.5" in JSON would be a float.
    raise ServiceError(f"数值请写成整数或字符串（如 \"12.5\"、\"12.5万\"），不要写 JSON 小数 {text}。")
