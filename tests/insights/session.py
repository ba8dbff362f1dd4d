"""A scripted session of 50 questions as enterprises ask them: answered, refused and silent ones, some asked again
in other words, some rated 👎 — run through the web service layer (what the page and the REST API call)."""

from __future__ import annotations

ANSWERED = [
    "算力券单个企业最多补贴多少？",
    "我们智算支出120万元，能拿多少？",
    "我们营收首次过3000万、增长12%，能拿多少？",
    "支持政策第七条讲了什么？",
    "市数据局牵头哪些任务？",
    "研发费用补助的条件是什么？",
    "首台套奖励标准是多少？",
    "省级企业技术中心奖励多少钱",
    "这个文件什么时候开始施行？",
    "算力券怎么补贴",
    "我们用超算花了45万，能补多少",
    "浙江数商有什么奖励",
    "政策有效期到什么时候",
    "三.3",
    "人工智能制造业投资项目补助最高给多少",
    "研发费今年150万 去年120万 规上 能补多少",
    "市经信局牵头哪些任务",
    "数据要素方面有什么任务",
    "首版次软件有奖励吗",
    "算力券是发给谁的",
]
REFUSED = [
    "上海有什么人工智能补贴？",
    "上海的人工智能补贴有哪些",
    "杭州的算力券政策是怎样的",
    "杭州算力券怎么申请",
    "今天天气怎么样",
    "天气如何",
    "帮我写一首诗",
    "北京有什么人工智能补贴政策",
]
SILENT = [
    "算力券申报截止时间是什么时候？",
    "算力券什么时候截止申报",
    "算力券申报截止日期是哪天",
    "研发补助申报需要哪些材料？",
    "研发补助申报要准备什么材料",
    "首台套奖励申请表在哪里下载",
]
#: Personal numbers a user typed: they must never reach the disk unmasked.
PRIVATE = [
    "我的手机13812345678，算力券能补多少",
    "联系邮箱 zhang.san@example.com 研发补助怎么申请",
]
# Repeats make the ranking meaningful: the refused and silent groups are asked more than once.
QUESTIONS = ANSWERED + REFUSED + SILENT + PRIVATE + REFUSED[:4] + SILENT[:3] + ANSWERED[:7]
#: Answers rated 👎, by position in QUESTIONS, with the reason.
DOWNVOTES = {1: "wrong_amount", 20: "no_answer", 28: "no_answer", 31: "wrong_clause"}
UPVOTES = (0, 3)


def run_session(feedback_store) -> list[dict]:
    """Ask every question in its own conversation through ``web.service`` and rate some; returns the responses."""
    from jxai_assistant.web import service

    responses = [service.ask(question, None, channel="rest") for question in QUESTIONS]
    for index, reason in DOWNVOTES.items():
        service.feedback(feedback_store, responses[index]["answer_id"], "down", reason, QUESTIONS[index])
    for index in UPVOTES:
        service.feedback(feedback_store, responses[index]["answer_id"], "up", None, QUESTIONS[index])
    return responses
