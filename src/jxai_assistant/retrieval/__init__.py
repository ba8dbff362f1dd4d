"""Hybrid Chinese retrieval over the document's clauses (BM25 over jieba tokens + dense vectors, fused by RRF).

Use ``get_retriever().search(question, k)``; see DESIGN.md and ``evaluate`` for the measured quality.
"""

from .hybrid import OUT_OF_SCOPE_BELOW, Hit, HybridRetriever, get_retriever, reciprocal_rank_fusion, score_fusion

__all__ = [
    "OUT_OF_SCOPE_BELOW",
    "Hit",
    "HybridRetriever",
    "get_retriever",
    "reciprocal_rank_fusion",
    "score_fusion",
]
