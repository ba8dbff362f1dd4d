"""Rendering: user text stays literal, clause text is escaped, quotes and matches are marked."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt

from jxai_assistant.web.format import (
    citation_panel_html,
    escape_markdown,
    highlight,
    match_cards_html,
    search_results_html,
    snippet,
)

# What users type that Markdown or HTML would otherwise interpret.
HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    "**加粗** _斜体_ `代码`",
    "# 标题",
    "1. 列表项",
    "- 列表项",
    "> 引用",
    "$x^2$ 公式",
    "&lt; 实体",
    "| a | b |",
    "a\\b",
]


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_user_text_rendered_as_markdown_reads_exactly_as_typed(text):
    # CommonMark (what the chat's renderer follows) must produce one paragraph holding the literal text.
    rendered = MarkdownIt("commonmark").render(escape_markdown(text))
    assert rendered == f"<p>{html.escape(text)}</p>\n"


def test_escaping_keeps_chinese_text_and_amounts_readable():
    assert escape_markdown("算力券单个企业最多补贴多少？") == "算力券单个企业最多补贴多少？"
    assert escape_markdown("3.7 和 a<b") == "3\\.7 和 a&lt;b"


def test_highlight_escapes_the_clause_text_and_marks_each_term():
    html = highlight("A<B 算力券 与 算力", ["算力券", "算力"])
    assert html == "A&lt;B <mark>算力券</mark> 与 <mark>算力</mark>"


def test_a_longer_term_wins_over_a_term_inside_it():
    assert highlight("通用大模型", ["大模型", "通用大模型"]) == "<mark>通用大模型</mark>"


def test_a_snippet_is_cut_around_the_first_match():
    text = "甲" * 200 + "算力券" + "乙" * 200
    html = snippet(text, ["算力券"], width=10)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>算力券</mark>" in html
    assert len(html) < 60


def test_the_citation_panel_shows_the_clause_verbatim_with_the_quote_marked(doc):
    clause = doc.get("三.7")
    quote = "单个企业年度算力补贴金额不超过100万元"
    html = citation_panel_html({"citations": [{"clause_id": "三.7", "title": clause.title, "quote": quote}]}, doc)
    assert f"<mark>{quote}</mark>" in html
    assert 'data-clause="三.7" open' in html
    assert "牵头：市经信局" in html


def test_two_quotes_from_one_clause_make_one_panel_entry_with_both_marked(doc):
    quotes = ["有效期至2027年12月31日", "按照“就高不重复”原则实施"]
    citations = [{"clause_id": "五.1", "title": "其他", "quote": q} for q in quotes]
    html = citation_panel_html({"citations": citations}, doc)
    assert html.count('data-clause="五.1"') == 1
    for q in quotes:
        assert q in doc.get("五.1").text
        assert f"<mark>{q}</mark>" in html


def test_a_quote_that_is_not_in_the_clause_is_not_marked(doc):
    html = citation_panel_html({"citations": [{"clause_id": "三.7", "title": "", "quote": "不存在的句子"}]}, doc)
    assert "<mark>" not in html


def test_search_results_carry_the_clause_id_for_the_click_and_escape_their_text():
    results = [{"clause_id": "三.7", "clause_path": "三、支持政策 › 7. 支持算力应用", "lead_unit": "市经信局",
                "match": "keyword", "text": "<b>算力券</b>", "matched_terms": ["算力券"]}]
    html = search_results_html(results, selected="三.7")
    assert 'data-clause="三.7"' in html and "jx-active" in html
    assert "&lt;b&gt;<mark>算力券</mark>&lt;/b&gt;" in html


def test_calculator_cards_list_eligible_policies_first_with_amounts_and_missing_facts(doc):
    result = {
        "award_yuan": 600000,
        "matches": [
            {"policy_id": "三.2", "title": "鼓励信息服务业投资", "eligible": None, "amount_yuan": None,
             "missing": [{"fact": "investment_yuan", "label": "", "question": "该项目的投资额是多少？"}],
             "calculations": []},
            {"policy_id": "三.7", "title": "支持算力应用", "eligible": True, "amount_yuan": 600000,
             "cap_yuan": 1000000, "calculations": []},
        ],
    }
    html = match_cards_html(result, doc)
    assert html.index('data-policy="三.7"') < html.index('data-policy="三.2"')
    assert "60万元" in html and "上限 100万元" in html
    assert "该项目的投资额是多少？" in html
    assert "符合条件 <b>1</b> 项" in html


def test_match_cards_show_the_total_after_jiu_gao_bu_chong_fu_with_its_arithmetic_escaped(doc):
    result = {"award_yuan": 2100000, "total_text": "不同事项的奖补分别计算后相加：60万元 + 150万元 = 210万元<b>",
              "matches": []}
    html = match_cards_html(result, doc)
    assert '可测算奖补合计（就高不重复）<b class="jx-amount">210万元</b>' in html
    assert "60万元 + 150万元 = 210万元&lt;b&gt;" in html
