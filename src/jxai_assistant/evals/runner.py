"""Run eval cases through an assistant: each case is a fresh conversation whose turns share state."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..document import Document, load_document
from .cases import EvalCase
from .metrics import RECALL_KS, CaseResult, score_case


class AssistantLike(Protocol):
    """What the runner needs from ``jxai_assistant.assistant.Assistant``."""

    def ask(self, question: str, conversation_id: str | None = None) -> Any:
        """Answer one turn; returns a ``Response`` (or its contract dict)."""
        ...


class RetrieverLike(Protocol):
    """What the runner needs from the retriever: ``search(q, k)`` → hits with ``clause_id``."""

    def search(self, query: str, k: int = 5) -> list[Any]:
        """Return ranked hits."""
        ...


def _contract(response: Any) -> dict[str, Any]:
    return response if isinstance(response, dict) else response.to_contract()


def run_case(
    case: EvalCase,
    assistant: AssistantLike,
    document: Document,
    retriever: RetrieverLike | None = None,
) -> CaseResult:
    """Ask every turn in a fresh conversation, then score the final response.

    An exception from the assistant is a failed case (with the exception as its reason), never a crashed suite.
    The retriever, when given, ranks the last turn on its own (for cases with ``cite_any``); its time is not counted
    in the answer latency.
    """
    conversation_id = f"eval-{case.id}-{uuid.uuid4().hex[:8]}"
    latencies: list[float] = []
    response, error = None, None
    try:
        for turn in case.questions:
            start = time.perf_counter()
            response = _contract(assistant.ask(turn, conversation_id=conversation_id))
            latencies.append((time.perf_counter() - start) * 1000)
    except Exception as exc:  # noqa: BLE001 - any failure of the product is a case result
        response, error = None, f"{type(exc).__name__}: {exc}"
    finally:
        reset = getattr(assistant, "reset", None)
        if callable(reset):
            reset(conversation_id)
    retriever_ids = None
    if retriever is not None and case.expect.cite_any:
        retriever_ids = [hit.clause_id for hit in retriever.search(case.questions[-1], k=max(RECALL_KS))]
    return score_case(case, response, document, latencies_ms=latencies, error=error, retriever_ids=retriever_ids)


def run_cases(
    cases: Sequence[EvalCase],
    assistant: AssistantLike,
    *,
    retriever: RetrieverLike | None = None,
    document: Document | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseResult]:
    """Run every case in order; ``progress(done, total)`` is called after each one."""
    document = document or load_document()
    results = []
    for i, case in enumerate(cases, start=1):
        results.append(run_case(case, assistant, document, retriever))
        if progress:
            progress(i, len(cases))
    return results
