"""The Chinese analyzer: normalisation, glossary terms, stopwords and synonym expansion."""

from __future__ import annotations

import pytest

from jxai_assistant.retrieval.analyzer import BIGRAM_MARK, SYNONYM_WEIGHT, default_analyzer, normalize


@pytest.fixture(scope="module")
def analyzer():
    return default_analyzer()


def test_normalize_folds_full_width_drops_brackets_and_control_characters():
    assert normalize("首台（套）ＤＣＭＭ\x00５G") == "首台套dcmm 5g"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("使用智算、超算算力且符合条件的企业", "超算"),  # jieba alone cuts 超/算算/力
        ("成功开发通用大模型", "大模型"),
        ("首台（套）装备", "首台套"),  # the document's spelling and the user's meet in one word
        ("省级5G全连接工厂", "5g全连接工厂"),
        ("人社局有什么任务", "人社局"),  # unit aliases from the lead's units: section are words too
    ],
)
def test_glossary_terms_segment_as_one_word(analyzer, text, word):
    assert word in analyzer.tokens(text)


def test_question_words_are_stopwords(analyzer):
    assert analyzer.tokens("我们可以拿什么吗") == ["拿"]


def test_synonyms_expand_a_question_at_lower_weight(analyzer):
    terms = analyzer.query_terms("给钱吗")
    assert terms["给钱"] == 1.0
    assert terms["补助"] == SYNONYM_WEIGHT and terms["奖励"] == SYNONYM_WEIGHT


def test_unit_spellings_form_one_synonym_group(analyzer):
    assert "市人力社保局" in analyzer.synonyms_of("人社局")


def test_bigrams_are_marked_and_skip_stopword_pairs(analyzer):
    grams = analyzer.bigrams("什么文创")
    assert f"{BIGRAM_MARK}文创" in grams and f"{BIGRAM_MARK}什么" not in grams
