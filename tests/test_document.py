"""The clause model: 32 clauses with DESIGN's ids, verbatim text, titles, paths, units and lead units."""

import re

import pytest

EXPECTED_IDS = (
    ["序", "一.1", "一.2"]
    + [f"二.{i}" for i in range(1, 16)]
    + [f"三.{i}" for i in range(1, 11)]
    + ["四.1", "四.2", "四.3", "五.1"]
)

# Lead unit (列第一位的为牵头单位) of every task and policy, as printed in the document (aliases normalised).
LEAD_UNITS = {
    "二.1": "市商务局", "二.2": "市经信局", "二.3": "市经信局", "二.4": "市科技局", "二.5": "市科技局",
    "二.6": "市科技局", "二.7": "市经信局", "二.8": "市数据局", "二.9": "市商务局", "二.10": "市发展改革委",
    "二.11": "市经信局", "二.12": "市经信局", "二.13": "市数据局", "二.14": "市委人才办", "二.15": "市政府办公室",
    "三.1": "市经信局", "三.2": "市发展改革委", "三.3": "市经信局", "三.4": "市科技局", "三.5": "市经信局",
    "三.6": "市经信局", "三.7": "市经信局", "三.8": "市经信局", "三.9": "市经信局", "三.10": "市发展改革委",
}

TITLES = {
    "序": "序言", "一.1": "指导思想", "一.2": "主要目标", "二.1": "加大项目招引", "二.7": "推进“人工智能+制造”",
    "二.10": "丰富算力供给", "三.7": "支持算力应用", "三.10": "加大能耗要素支持", "四.1": "加强组织领导",
    "四.3": "营造良好氛围", "五.1": "其他",
}

PATHS = {
    "序": "序言",
    "一.2": "一、总体要求 › （二）主要目标",
    "二.10": "二、重点任务 › 10. 丰富算力供给",
    "三.7": "三、支持政策 › 7. 支持算力应用",
    "三.10": "三、支持政策 › 10. 加大能耗要素支持",
    "四.2": "四、保障措施 › （二）加强规范引导",
    "五.1": "五、其他",
}


def test_the_document_has_exactly_the_32_clause_ids_of_the_design_in_order(doc):
    assert doc.ids() == EXPECTED_IDS


def test_the_title_includes_the_draft_marker(doc):
    assert doc.title == "嘉兴市推动人工智能高质量发展实施方案（征求意见稿）"


@pytest.mark.parametrize("clause_id,lead", sorted(LEAD_UNITS.items()))
def test_every_task_and_policy_has_its_first_listed_unit_as_lead(doc, clause_id, lead):
    clause = doc.get(clause_id)
    assert clause.lead_unit == lead
    assert clause.units[0] == lead


@pytest.mark.parametrize("clause_id,title", sorted(TITLES.items()))
def test_titles_are_the_heading_phrases(doc, clause_id, title):
    assert doc.get(clause_id).title == title


@pytest.mark.parametrize("clause_id,path", sorted(PATHS.items()))
def test_paths_for_display(doc, clause_id, path):
    assert doc.get(clause_id).path == path


def test_tasks_carry_their_section_titles(doc):
    assert doc.get("二.11").section == "（四）算力资源建设支撑行动"
    assert doc.get("二.1").section == "（一）人工智能产业集聚行动"
    assert doc.get("三.7").section is None


def test_every_clause_text_is_a_verbatim_slice_of_the_document(doc):
    for clause in doc.clauses:
        assert clause.text in doc.text, clause.clause_id
        assert clause.text.startswith(clause.body)


def test_clauses_plus_headings_cover_the_whole_document(doc):
    """Nothing of the text is lost: remove every clause text and heading and only whitespace remains."""
    rest = doc.text
    for piece in [c.text for c in doc.clauses] + doc.headings:
        assert piece in rest, piece[:20]
        rest = rest.replace(piece, "", 1)
    assert rest.strip() == ""


def test_policy_ten_is_parsed_despite_the_space_after_its_number(doc):
    clause = doc.get("三.10")
    assert clause.number == 10 and clause.title == "加大能耗要素支持"
    assert clause.text.startswith("10. 加大")


def test_the_one_clause_that_says_responsible_department_still_yields_units(doc):
    clause = doc.get("二.6")
    assert "（责任部门：" in clause.text
    assert clause.units == ["市科技局", "市经信局"]


def test_alias_spellings_in_the_document_are_one_unit(doc):
    # 二.4 writes 市发改委, 二.1 writes 市发展改革委: both are the same canonical unit.
    assert "市发改委" in doc.get("二.4").text and "市发展改革委" in doc.get("二.4").units
    assert "市发展改革委" in doc.get("二.1").units
    assert all("市发改委" not in c.units for c in doc.clauses)


def test_telecom_operators_are_a_unit(doc):
    assert doc.get("二.10").units == ["市发展改革委", "市经信局", "各电信运营商"]
    assert "各电信运营商" in doc.get("二.12").units


def test_document_wide_rules_in_task_one_are_facts_of_the_document_not_units(doc):
    units = doc.get("二.1").units
    assert units == ["市商务局", "市发展改革委", "市经信局"]
    assert not any("各县" in u for u in units)
    assert doc.lead_rule.quote == "列第一位的为牵头单位" and doc.lead_rule.quote in doc.get("二.1").text
    assert "各县（市、区）人民政府" in doc.implementer.quote


def test_typos_stay_verbatim(doc):
    assert "对符合条件的的人工智能领域制造业投资项目" in doc.get("三.1").text


def test_parts_without_units_have_no_lead(doc):
    for clause_id in ["序", "一.1", "一.2", "四.1", "四.2", "四.3", "五.1"]:
        assert doc.get(clause_id).units == [] and doc.get(clause_id).lead_unit is None


def test_body_is_the_text_without_the_responsibility_parenthesis(doc):
    clause = doc.get("三.7")
    assert clause.body.endswith("年度算力补贴金额不超过200万元。")
    assert not re.search(r"责任单位", clause.body)


def test_unknown_clause_id_raises_key_error(doc):
    with pytest.raises(KeyError):
        doc.get("三.11")


def test_a_document_that_breaks_the_expected_structure_is_reported_not_silently_dropped():
    from jxai_assistant.document import parse_document

    with pytest.raises(ValueError, match="无法解析"):
        parse_document("标题\n（征求意见稿）\n序言。\n一、总体要求\n（一）指导思想\n正文\n二、重点任务\n这一行不是条款\n")


def test_the_work_order_citation_line_names_the_path_once_and_quotes_the_content(doc):
    line = doc.get("三.7").citation_line(doc.title)
    assert line.startswith("《嘉兴市推动人工智能高质量发展实施方案（征求意见稿）》三、支持政策 7. 支持算力应用：全市每年发放")
    assert "7.支持算力应用。" not in line
    assert doc.get("四.1").content.startswith("实施人工智能产业链")
    assert doc.get("三.10").content.startswith("鼓励支持市场主体购买绿证")
    assert doc.get("一.2").content == doc.get("一.2").body


TICKET_ENDINGS = [
    # (clause, how its one-line citation ends: the id, then the lead unit as written — canonical name beside it)
    ("三.2", "〔三.2〕牵头单位：“市发改委”（市发展改革委）"),  # the document writes 市发改委 here
    ("二.10", "〔二.10〕牵头单位：“市发展改革委”"),  # and 市发展改革委 here: nothing to add
    ("三.7", "〔三.7〕牵头单位：“市经信局”"),
    ("五.1", "各县（市）参照执行。〔五.1〕"),  # no responsible unit: no lead
]


@pytest.mark.parametrize("clause_id, ending", TICKET_ENDINGS, ids=[t[0] for t in TICKET_ENDINGS])
def test_the_ticket_citation_ends_with_the_clause_id_and_the_lead_unit_as_the_document_writes_it(doc, clause_id,
                                                                                                  ending):
    clause = doc.get(clause_id)
    line = clause.citation_line(doc.title)
    assert line.endswith(ending)
    assert f"：{clause.content}〔{clause_id}〕" in line  # the content verbatim, then the id


def test_every_ticket_citation_is_one_line_naming_document_title_and_verbatim_content(doc):
    for clause in doc.clauses:
        line = clause.citation_line(doc.title)
        assert "\n" not in line and line.startswith(f"《{doc.title}》")
        assert clause.content in clause.text and clause.content in line
        if clause.clause_id != "序":
            assert clause.title in line


def test_units_as_written_pair_with_the_canonical_units(doc):
    from jxai_assistant.glossary import canonical_unit

    for clause in doc.clauses:
        assert len(clause.units_as_written) == len(clause.units), clause.clause_id
        for written, canon in zip(clause.units_as_written, clause.units):
            assert written in clause.text and canonical_unit(written) == canon
    assert doc.get("三.2").units_as_written == ["市发改委", "市财政局"]
    assert doc.get("三.2").units == ["市发展改革委", "市财政局"]
