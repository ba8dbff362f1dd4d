"""Similar questions are grouped deterministically and ranked by how often they were asked."""

from __future__ import annotations

import random

from jxai_assistant.insights.grouping import group_questions

QUESTIONS = ["申报截止时间是什么时候", "申报什么时候截止", "申报截止日期是哪天", "上海有什么补贴", "杭州的算力券政策",
             "上海有哪些人工智能补贴", "今天天气怎么样", "天气如何", "申报需要哪些材料", "申报要准备什么材料",
             "申报什么时候截止"]


def test_paraphrases_share_a_group_and_different_questions_do_not():
    groups = {frozenset(g.members) for g in group_questions(QUESTIONS)}
    assert groups == {
        frozenset({"申报截止时间是什么时候", "申报什么时候截止", "申报截止日期是哪天"}),
        frozenset({"上海有什么补贴", "上海有哪些人工智能补贴"}),
        frozenset({"今天天气怎么样", "天气如何"}),
        frozenset({"申报需要哪些材料", "申报要准备什么材料"}),
        frozenset({"杭州的算力券政策"}),
    }


def test_groups_are_ranked_by_count_and_named_by_their_most_asked_question():
    first = group_questions(QUESTIONS)[0]
    assert (first.count, first.leader) == (4, "申报什么时候截止")
    assert first.examples()[0] == "申报什么时候截止"


def test_the_grouping_does_not_depend_on_the_order_questions_arrive_in():
    shuffled = QUESTIONS[:]
    random.Random(7).shuffle(shuffled)
    as_tuple = lambda gs: [(g.leader, g.count, g.key, g.examples()) for g in gs]  # noqa: E731
    assert as_tuple(group_questions(shuffled)) == as_tuple(group_questions(QUESTIONS))


def test_nothing_to_group():
    assert group_questions([]) == []
    assert group_questions(["  ", ""]) == []
    [only] = group_questions(["天气如何"])
    assert (only.leader, only.count) == ("天气如何", 1)
