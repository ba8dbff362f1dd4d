"""Hybrid Chinese retrieval over the document's clauses (BM25 over jieba tokens + dense vectors, fused by RRF).

Use ``get_retriever().search(question, k)``; see DESIGN.md and ``evaluate`` for the measured quality.

The names below are imported on first use: the index (bm25s, faiss, the dense encoder) costs about a second to
import, and an answer that needs no search — a lookup by clause number, a calculation — must not pay for it
(``jxai ask`` from a fresh process).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "OUT_OF_SCOPE_BELOW",
    "Hit",
    "HybridRetriever",
    "get_retriever",
    "reciprocal_rank_fusion",
    "score_fusion",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import hybrid

        return getattr(hybrid, name)
    raise AttributeError(name)
