"""Retrieval fixtures: a BM25-only retriever (fast) and a hybrid one with the default embedder (slow to build)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def bm25_retriever(tmp_path_factory):
    """A retriever with the dense path switched off, its index cached in a temporary directory."""
    from jxai_assistant.retrieval.hybrid import HybridRetriever

    return HybridRetriever(model="none", root=tmp_path_factory.mktemp("bm25-index"))


@pytest.fixture(scope="session")
def hybrid_retriever(tmp_path_factory):
    """A retriever with the default embedder (USE-multilingual-v3), its index cached in a temporary directory."""
    from jxai_assistant.retrieval.hybrid import HybridRetriever

    return HybridRetriever(root=tmp_path_factory.mktemp("hybrid-index"))
