"""llama-index adapters: our embedder as a ``BaseEmbedding``, and llama-index's default pipeline for comparison."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .embedders import Embedder


class EmbedderAdapter(BaseEmbedding):
    """Expose an ``Embedder`` (USE, sentence-transformers) to llama-index (VectorStoreIndex, retrievers)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_id, embed_batch_size=64, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        """Name used by llama-index serialisation."""
        return "JxaiEmbedderAdapter"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.encode([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.encode(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def default_pipeline(nodes: list, embedder: Embedder | None, top_k: int = 5) -> dict:
    """Return llama-index's out-of-the-box retrievers over the same nodes, by name: vector, bm25 and their fusion.

    The BM25 retriever keeps its defaults (English stemmer and ``\\w\\w+`` tokens): the baseline a team gets
    without a Chinese tokenizer.
    """
    from llama_index.core import VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.retrievers.bm25 import BM25Retriever

    bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=top_k)
    retrievers = {"li-bm25": bm25}
    if embedder is not None:
        vector = VectorStoreIndex(nodes, embed_model=EmbedderAdapter(embedder)).as_retriever(similarity_top_k=top_k)
        retrievers["li-vector"] = vector
        retrievers["li-fusion"] = QueryFusionRetriever(
            [vector, bm25], llm=MockLLM(), mode="reciprocal_rerank", num_queries=1, similarity_top_k=top_k
        )
    return retrievers
