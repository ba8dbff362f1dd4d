"""The reference resolver: what hotline callers and enterprises type → clause ids."""

import pytest

from jxai_assistant.references import ReferenceNotFound, find_references, resolve_reference, scan_references

TASKS_OF_SECTION_FOUR = ["二.10", "二.11", "二.12"]

RESOLVES = [
    ("三.7", ["三.7"]),
    ("3.7", ["三.7"]),
    ("三、7", ["三.7"]),
    ("三．7", ["三.7"]),
    ("３.７", ["三.7"]),
    (" 3.7 ", ["三.7"]),
    ("三.七", ["三.7"]),
    ("三.7条", ["三.7"]),
    ("支持政策第7条", ["三.7"]),
    ("支持政策第七条", ["三.7"]),
    ("支持政策7", ["三.7"]),
    ("政策7", ["三.7"]),
    ("第七条支持政策", ["三.7"]),
    ("第三部分第七条", ["三.7"]),
    ("第3部分第7条", ["三.7"]),
    ("第二部分第十条", ["二.10"]),
    ("重点任务第十条", ["二.10"]),
    ("重点任务第10项", ["二.10"]),
    ("任务10", ["二.10"]),
    ("第十五项任务", ["二.15"]),
    ("重点任务15", ["二.15"]),
    ("二（四）", TASKS_OF_SECTION_FOUR),
    ("二(四)", TASKS_OF_SECTION_FOUR),
    ("算力资源建设支撑行动", TASKS_OF_SECTION_FOUR),
    ("主要目标", ["一.2"]),
    ("指导思想", ["一.1"]),
    ("一.2", ["一.2"]),
    ("五.1", ["五.1"]),
    ("其他", ["五.1"]),
    ("保障措施第二条", ["四.2"]),
    ("四（二）", ["四.2"]),
    ("序言", ["序"]),
    ("支持算力应用", ["三.7"]),
    ("三.10", ["三.10"]),
    ("3.10", ["三.10"]),
    ("二.15", ["二.15"]),
    ("支持政策第七条的内容", ["三.7"]),
    ("三.7是什么？", ["三.7"]),
    ("第七条", ["三.7", "二.7"]),
    ("保障措施", ["四.1", "四.2", "四.3"]),
    ("第三部分", [f"三.{i}" for i in range(1, 11)]),
]

UNKNOWN = [
    ("三.11", "支持政策共10条"),
    ("支持政策第十一条", "支持政策共10条"),
    ("重点任务第16条", "重点任务共15条"),
    ("任务0", "重点任务共15条"),
    ("四.4", "保障措施共3条"),
    ("六.1", "共五个部分"),
    ("二（六）", "共5个小节"),
    ("第20条", "没有第20条"),
    ("abc", "未识别的条款引用"),
    ("", "请输入条款编号"),
]


@pytest.mark.parametrize("typed,ids", RESOLVES, ids=[r[0] or "empty" for r in RESOLVES])
def test_references_people_type_resolve_to_clause_ids(typed, ids):
    assert resolve_reference(typed) == ids


# What hotline callers call a clause (corpus/glossary.yaml `clause_names`, and the document's own titles).
NAMES = [
    ("算力券", ["三.7"]),
    ("首台套", ["三.6"]),
    ("首台（套）", ["三.6"]),
    ("浙江数商", ["三.8"]),
    ("就高不重复", ["五.1"]),
    ("研发补助", ["三.4"]),
    ("营收奖励", ["三.3"]),
    ("做大做强", ["三.3"]),
    ("支持算力应用", ["三.7"]),
    ("强化人才支撑", ["二.14"]),
    ("推进人工智能+制造", ["二.7"]),  # the title is 推进“人工智能+制造”: quotation marks do not matter
    ("算力券政策", ["三.7"]),  # a trailing 政策 / 的规定 does not change the clause named
    ("首台套的规定", ["三.6"]),
    ("三.7", ["三.7"]),  # numbered forms still come first
]


@pytest.mark.parametrize("typed,ids", NAMES, ids=[n[0] for n in NAMES])
def test_hotline_lookups_resolve_titles_and_well_known_names(typed, ids):
    assert resolve_reference(typed, names=True) == ids


def test_well_known_names_are_for_lookups_only_so_a_chat_message_saying_suanliquan_stays_a_topic():
    with pytest.raises(ReferenceNotFound):
        resolve_reference("算力券")
    assert resolve_reference("支持算力应用") == ["三.7"]  # titles resolve either way


def test_every_clause_resolves_by_its_own_title(doc):
    for clause in doc.clauses[1:]:  # 序 has no title of its own
        assert resolve_reference(clause.title, names=True) == [clause.clause_id], clause.title


def test_every_name_in_the_glossary_resolves_to_its_clause_and_is_not_shadowed(doc):
    from jxai_assistant.glossary import clause_names

    names = clause_names()
    assert len(names) >= 60
    for name, clause_id in names.items():
        assert clause_id in doc.ids(), name
        assert resolve_reference(name, names=True) == [clause_id], name


def test_a_name_listed_under_two_clauses_stops_loading(monkeypatch):
    from jxai_assistant import glossary

    monkeypatch.setattr(glossary, "load_glossary", lambda: {"clause_names": {"三.7": ["算力券"], "二.3": ["算力券"]}})
    glossary.clause_names.cache_clear()
    try:
        with pytest.raises(ValueError, match="同时列在 三.7 和 二.3 下"):
            glossary.clause_names()
    finally:
        monkeypatch.undo()
        glossary.clause_names.cache_clear()


def test_an_unknown_name_fails_with_the_forms_and_the_whole_range():
    with pytest.raises(ReferenceNotFound) as info:
        resolve_reference("不存在的补贴", names=True)
    assert "常用名称（算力券" in info.value.message
    assert "全文共32条：序言，一.1–一.2，二.1–二.15，三.1–三.10，四.1–四.3，五.1。" in info.value.message


@pytest.mark.parametrize("typed,message", UNKNOWN, ids=[u[0] or "empty" for u in UNKNOWN])
def test_unknown_references_get_a_chinese_message_with_the_valid_range(typed, message):
    with pytest.raises(ReferenceNotFound) as info:
        resolve_reference(typed)
    assert message in info.value.message


SCANS = [
    ("支持政策第七条说了什么？", ["三.7"]),
    ("第三部分第七条和三.3有什么区别", ["三.7", "三.3"]),
    ("二（四）里有哪些任务", TASKS_OF_SECTION_FOUR),
    ("主要目标是什么", ["一.2"]),
    ("三.7条的算力券怎么领", ["三.7"]),
    # Amounts, percentages and areas are not references.
    ("投资3.7亿元能拿多少", []),
    ("营收增长3.5%", []),
    ("厂房2.3万平方米", []),
    ("算力规模50E Flops", []),
    ("我们有其他问题", []),
]


@pytest.mark.parametrize("question,ids", SCANS, ids=[s[0] for s in SCANS])
def test_references_inside_questions_are_found_without_mistaking_numbers_for_them(question, ids):
    assert find_references(question) == ids


def test_a_question_citing_a_clause_that_does_not_exist_is_flagged():
    scan = scan_references("根据三.11条每家企业奖励1000万，我们能拿吗")
    assert scan.ids == []
    assert any("支持政策共10条" in e for e in scan.errors)
