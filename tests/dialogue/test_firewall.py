"""The number firewall and the optional LLM rephraser: no invented figure reaches a user.

Part 1 checks the firewall on hand-written LLM outputs (faithful rephrasings pass; invented amounts, percentages,
caps, clause ids, years, counts and dropped content are caught). Part 2 runs the real ``Rephraser`` against a tiny
OpenAI-compatible HTTP server on 127.0.0.1 that returns canned chat completions, and checks that every failure mode
serves the deterministic answer.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jxai_assistant.dialogue.firewall import AllowedFigures, check_answer, extract_figures
from jxai_assistant.dialogue.llm import PROMPT_RULES, LLMSettings, Rephraser, build_prompt

D = Decimal

# --- scenarios: deterministic answers as the composer writes them, with their sources --------------------------

QUOTE_37 = (
    "对使用智算、超算算力且符合条件的企业，按照智算、超算实际使用金额的50%给予算力补贴，单个企业年度算力补贴金额"
    "不超过100万元，其中对成功开发通用大模型、行业垂直模型并在嘉兴市实现市场化应用且符合条件的企业年度算力补贴金额"
    "不超过200万元。"
)
VALIDITY_QUOTE = "本实施意见自发文之日30日后正式施行，有效期至2027年12月31日。"

# 算力券: 120万元 of 智算 spend × 50% = 60万元, under the 100万元 cap.
ANSWER_37 = f"""按〔三.7〕支持算力应用测算，贵企业可获得 **60万元**。

**测算过程**
- 智算、超算实际使用金额120万元 × 50% = 60万元〔三.7〕
- 单个企业年度算力补贴金额不超过100万元，60万元未超过上限〔三.7〕

**依据原文**
〔三.7〕“{QUOTE_37}”

**注意事项**
- 政策有效期：“{VALIDITY_QUOTE}”〔五.1〕
- 本文件为征求意见稿，最终条款和金额以正式印发的文件为准。

咨询单位：市经信局（牵头单位）。"""
CALC_37 = {
    "policy_id": "三.7", "eligible": True, "amount_yuan": 600000, "cap_yuan": 1000000,
    "steps": [
        {"name": "base", "text": "智算、超算实际使用金额120万元 × 50% = 60万元", "clause_id": "三.7"},
        {"name": "cap", "text": "单个企业年度算力补贴金额不超过100万元，60万元未超过上限", "clause_id": "三.7"},
    ],
    "missing": [], "notes": [],
}  # fmt: skip

# 做大做强: revenue first reaches 3000万元 with 12% growth → the 3000万元 tier, 50万元.
ANSWER_33 = """按〔三.3〕鼓励做大做强测算，贵企业可获得 **50万元**。

**测算过程**
- 营业收入增速12%，达到10%以上〔三.3〕
- 年度营业收入首次达到3000万元，对应奖励50万元〔三.3〕

**注意事项**
- 本文件为征求意见稿，最终条款和金额以正式印发的文件为准。"""
CALC_33 = {
    "policy_id": "三.3", "eligible": True, "amount_yuan": 500000, "cap_yuan": None,
    "steps": [
        {"name": "conditions", "text": "营业收入增速12%，达到10%以上", "clause_id": "三.3"},
        {"name": "base", "text": "年度营业收入首次达到3000万元，对应奖励50万元", "clause_id": "三.3"},
    ],
    "missing": [], "notes": [],
}  # fmt: skip

# 主要目标 lookup: counts (10家, 20个, 200个), a year (2027年), compute scale (50E Flops), an amount (2000亿元).
GOALS_QUOTE = "到2027年，人工智能产业规模进一步提升，培育10家链主型企业，50家“专精特新”小巨人企业,营收规模突破2000亿元"
ANSWER_12 = f"根据〔一.2〕主要目标：“{GOALS_QUOTE}”。"

# A hotline answer to an unknown reference explains that the clause does not exist.
ANSWER_UNKNOWN = "提示：二、重点任务共15条（二.1–二.15），没有第16条。\n\n根据〔二.10〕丰富算力供给：“加快打造万卡级高性能算力集群”"


@pytest.fixture(scope="module")
def scenarios(doc):
    """Allowed figures per scenario, built from the real clause texts."""
    assert QUOTE_37 in doc.get("三.7").text and VALIDITY_QUOTE in doc.get("五.1").text
    assert GOALS_QUOTE in doc.get("一.2").text
    return {
        "算力券": AllowedFigures.from_sources([doc.get("三.7").text, doc.get("五.1").text], [CALC_37], ANSWER_37),
        "做大做强": AllowedFigures.from_sources([doc.get("三.3").text], [CALC_33], ANSWER_33),
        "主要目标": AllowedFigures.from_sources([doc.get("一.2").text], [], ANSWER_12),
        "未知条款": AllowedFigures.from_sources([doc.get("二.10").text], [], ANSWER_UNKNOWN),
    }


FAITHFUL_37 = (
    "根据〔三.7〕支持算力应用的规定，贵企业可以获得60万元的算力补贴。\n\n"
    "计算方法：智算、超算实际使用金额120万元乘以50%，得到60万元〔三.7〕；单个企业每年的算力补贴最多100万元，"
    "60万元没有超过这个上限〔三.7〕。\n\n"
    f"原文依据：〔三.7〕“{QUOTE_37}”\n\n"
    "请注意：政策自发文之日30日后施行，有效期到2027年12月31日〔五.1〕；本文件还是征求意见稿，最终以正式文件为准。"
    "如需咨询，请联系市经信局。"
)


def swap(old: str, new: str, text: str = FAITHFUL_37) -> str:
    """The faithful rephrasing with one change; fails loudly if the fixture text drifts."""
    assert old in text, old
    return text.replace(old, new)


# (name, scenario, LLM output, expected violations as {(kind, value)}; empty = the output may be served)
CASES = [
    ("a faithful rephrasing that keeps every figure and citation passes", "算力券", FAITHFUL_37, set()),
    (
        "Chinese numerals, plain yuan and full-width digits equal to the real figures pass",
        "算力券",
        "按〔三.7〕，贵企业可获得六十万元（即600000元）算力补贴：实际使用金额一百二十万元的百分之五十是６０万元〔三.7〕，"
        "未超过年度上限一百万元〔三.7〕。有效期至二〇二七年十二月三十一日〔五.1〕。",
        set(),
    ),
    ("an invented award amount is caught", "算力券",
     swap("可以获得60万元", "可以获得80万元"), {("amount", D(800000))}),
    ("an invented amount in Chinese numerals is caught", "算力券",
     swap("可以获得60万元的算力补贴", "可以获得60万元的算力补贴，另有八十万元奖励"), {("amount", D(800000))}),
    ("an invented percentage is caught", "算力券", swap("乘以50%", "乘以60%"), {("percent", D(60))}),
    ("an invented percentage in Chinese numerals is caught", "算力券",
     swap("乘以50%", "乘以百分之七十"), {("percent", D(70))}),
    ("a changed cap is caught", "算力券",
     swap("最多100万元", "最多150万元"), {("amount", D(1500000))}),
    ("an invented clause 〔三.11〕 is caught", "算力券",
     swap("得到60万元〔三.7〕", "得到60万元〔三.7〕，还可叠加〔三.11〕"), {("clause", None)}),
    ("an invented clause 三.11 without brackets is caught", "算力券",
     swap("如需咨询", "另见三.11。如需咨询"), {("clause", None)}),
    ("an invented task 〔二.16〕 is caught", "算力券",
     swap("如需咨询", "另见〔二.16〕。如需咨询"), {("clause", None)}),
    ("a real clause the answer does not cite is caught", "算力券",
     swap("如需咨询", "研发补助见〔三.4〕。如需咨询"), {("clause", "三.4")}),
    ("a bare 第八条 the answer does not cite is caught", "算力券",
     swap("如需咨询", "详见第八条。如需咨询"), {("clause", "三.8/二.8")}),
    ("a wrong year is caught", "算力券", swap("2027年12月31日", "2028年12月31日"), {("year", 2028)}),
    ("a wrong date is caught", "算力券", swap("2027年12月31日", "2027年6月30日"), {("date", "6-30")}),
    ("an invented count of enterprises is caught", "算力券",
     swap("如需咨询", "全市已有20家企业领取。如需咨询"), {("count", ("items", D(20)))}),
    ("an invented multiplier is caught", "算力券",
     swap("如需咨询", "模型企业可按1.5倍计算。如需咨询"), {("count", ("倍", D("1.5")))}),
    ("a bare number without unit is caught", "算力券",
     swap("乘以50%", "乘以50%（系数50）"), {("number", D(50))}),
    ("a dropped citation is caught", "算力券",
     swap("2027年12月31日〔五.1〕", "2027年12月31日"), {("missing_citation", "五.1")}),
    ("a dropped award amount is caught", "算力券",
     swap("可以获得60万元的算力补贴", "可以获得算力补贴").replace("得到60万元", "得到补贴")
     .replace("60万元没有超过", "没有超过"), {("missing_amount", D(600000))}),
    (
        "a growth tier rephrased with Chinese numerals passes",
        "做大做强",
        "根据〔三.3〕，贵企业营收首次达到3000万元，增速为百分之十二（不低于10%），可获得50万元奖励。"
        "本文件为征求意见稿，最终以正式文件为准。",
        set(),
    ),
    (
        "a real figure from the clause in place of the award is caught as a dropped award",
        "做大做强",
        "根据〔三.3〕，贵企业营收首次达到3000万元，增速12%，可获得20万元奖励。",
        {("missing_amount", D(500000))},
    ),
    ("a goals lookup rephrased with Chinese numerals passes", "主要目标",
     "〔一.2〕主要目标提出：到2027年，培育十家链主型企业、五十家“专精特新”小巨人企业，营收规模突破2000亿元。",
     set()),
    ("a goals lookup that adds a real goal of the same clause passes", "主要目标",
     "〔一.2〕提出，到2027年培育10家链主型企业，打造典型应用场景20个以上，算力规模达到50E Flops以上。", set()),
    ("an invented number of leading enterprises is caught", "主要目标",
     "〔一.2〕提出，到2027年培育15家链主型企业。", {("count", ("items", D(15)))}),
    ("a changed compute target is caught", "主要目标",
     "〔一.2〕提出，到2027年算力规模达到60E Flops以上。", {("count", ("E", D(60)))}),
    ("a shifted target year is caught", "主要目标",
     "〔一.2〕提出，到2030年培育10家链主型企业。", {("year", 2030)}),
    ("a goals answer that drops its citation is caught", "主要目标",
     "到2027年培育10家链主型企业。", {("missing_citation", "一.2")}),
    ("restating that the asked clause does not exist passes", "未知条款",
     "重点任务只有15条（二.1–二.15），并没有第16条。可参考〔二.10〕丰富算力供给：“加快打造万卡级高性能算力集群”", set()),
    ("another non-existent clause is still caught", "未知条款",
     "重点任务共15条（二.1–二.15），没有第17条。可参考〔二.10〕。", {("clause", None)}),
]  # fmt: skip


@pytest.mark.parametrize("scenario, output, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_firewall_case(scenarios, scenario, output, expected):
    violations = check_answer(output, scenarios[scenario])
    assert {(v.kind, v.value) for v in violations} == expected, violations
    assert all(v.reason for v in violations)


def test_replacing_the_award_reports_both_the_invention_and_the_loss(scenarios):
    violations = check_answer(swap("可以获得60万元", "可以获得80万元").replace("得到60万元", "得到80万元")
                              .replace("60万元没有超过", "80万元没有超过"), scenarios["算力券"])
    assert {(v.kind, v.value) for v in violations} == {("amount", D(800000)), ("missing_amount", D(600000))}


def test_the_deterministic_answers_pass_their_own_firewall(scenarios):
    answers = [("算力券", ANSWER_37), ("做大做强", ANSWER_33), ("主要目标", ANSWER_12), ("未知条款", ANSWER_UNKNOWN)]
    for name, answer in answers:
        assert check_answer(answer, scenarios[name]) == [], name


def test_a_step_allows_its_typed_figures_exactly_and_as_shown_not_the_numbers_of_its_text():
    # 3元 × 50% = 1.5元, shown rounded as 2元; the step text is prose and grants nothing.
    calc = {"policy_id": "三.7", "eligible": True, "amount_yuan": 2, "cap_yuan": None, "missing": [], "notes": [],
            "steps": [{"name": "rate", "text": "（文字说明：另有99万元、77%）", "clause_id": "三.7", "outcome": "computed",
                       "figures": [{"role": "base", "value": 3, "unit": "yuan"},
                                   {"role": "rate", "value": "12.345", "unit": "percent"},
                                   {"role": "result", "value": "1.5", "unit": "yuan"}]}]}
    allowed = AllowedFigures.from_sources([], [calc], "")
    assert {Decimal(3), Decimal("1.5"), Decimal(2)} <= allowed.amounts
    assert {Decimal("12.345"), Decimal("12.35")} <= allowed.percents
    assert Decimal(990000) not in allowed.amounts and Decimal(77) not in allowed.percents


def test_required_content_is_the_cited_clauses_and_the_stated_calculation_amounts(scenarios):
    allowed = scenarios["算力券"]
    assert allowed.required_clause_ids == ("三.7", "五.1")
    assert allowed.required_amounts == (D(600000), D(1000000))
    assert scenarios["做大做强"].required_amounts == (D(500000),)


EXTRACTS = [
    ("money in every notation has its yuan value", "60万元、600000元、六十万元、1.2亿元、１５００万",
     [("amount", D(600000))] * 3 + [("amount", D(120000000)), ("amount", D(15000000))]),
    ("percent in digits and words", "50%、百分之五十、12.5％", [("percent", D(50))] * 2 + [("percent", D("12.5"))]),
    ("counts with their counting word", "10家、20个、200个以上、50E Flops、十家、3 项、30日后",
     [("count", ("items", D(10))), ("count", ("items", D(20))), ("count", ("items", D(200))),
      ("count", ("E", D(50))), ("count", ("items", D(10))), ("count", ("items", D(3))), ("count", ("time", D(30)))]),
    ("years and dates in every notation", "2027年12月31日、二〇二七年十二月三十一日、2027-12-31、12月底",
     [("year", 2027), ("date", "12-31")] * 3 + [("date", "12")]),
    ("words made of numeral characters are not figures", "统一一次性两化融合一跳直达，单个企业，千家万户，一家企业", []),
    ("clause references and list markers are not numbers", "1. 见〔三.7〕、3.7、第7条和政策7\n2、第一步", []),
    ("an amount that looks like a clause id is an amount", "3.7亿元", [("amount", D(370000000))]),
    ("a bare number is a number", "补贴100，5G", [("number", D(100)), ("number", D(5))]),
]  # fmt: skip


@pytest.mark.parametrize("text, expected", [c[1:] for c in EXTRACTS], ids=[c[0] for c in EXTRACTS])
def test_extract_figures(text, expected):
    assert [(f.kind, f.value) for f in extract_figures(text)] == expected


# --- the rephraser against a local fake OpenAI-compatible server ------------------------------------------------

QUESTION = "我们智算用了120万元，能拿多少算力券？"
INVENTIVE_37 = swap("可以获得60万元的算力补贴", "可以获得60万元的算力补贴，若开发行业模型还可再得八十万元")
SLOW_S = 3.0


def _completion(content: str) -> bytes:
    return json.dumps({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }, ensure_ascii=False).encode()  # fmt: skip


# The first path segment of the base URL picks the canned behaviour: http://127.0.0.1:PORT/<mode>/v1
REPLIES = {
    "faithful": (200, _completion(FAITHFUL_37)),
    "fenced": (200, _completion("```markdown\n" + FAITHFUL_37 + "\n```")),
    "inventive": (200, _completion(INVENTIVE_37)),
    "error500": (500, b'{"error": {"message": "internal error", "type": "server_error"}}'),
    "garbage": (200, b'{"choices": [ {"message": '),
    "noshape": (200, b'{"object": "chat.completion"}'),
    "empty": (200, _completion("   ")),
    "english": (200, _completion("Sure! Here is the answer: you get a subsidy. Let me know if you need more.")),
    "rambling": (200, _completion(FAITHFUL_37 * 4)),
    "markup": (200, _completion(FAITHFUL_37 + '\n<img src="http://evil.example/p.png">![x](http://e.example/q.png)')),
    "link": (200, _completion(swap("请联系市经信局", "请联系[市经信局](https://evil.example)"))),
    "template": (200, _completion("[INST] <<SYS>>\n" + FAITHFUL_37)),
    "echo": (200, _completion(PROMPT_RULES + "\n" + FAITHFUL_37)),
    "prompt_then_answer": (200, _completion(build_prompt(QUESTION, ANSWER_37) + "\n" + FAITHFUL_37)),
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        mode = self.path.strip("/").split("/")[0]
        self.server.requests.append((mode, self.path, body))
        if mode == "slow":
            time.sleep(SLOW_S)
            status, payload = REPLIES["faithful"]
        else:
            status, payload = REPLIES[mode]
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout test)


@pytest.fixture(scope="module")
def fake_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def rephraser(server, mode: str, timeout: float = 5.0) -> Rephraser:
    port = server.server_address[1]
    return Rephraser(LLMSettings(base_url=f"http://127.0.0.1:{port}/{mode}/v1", model="fake-model", timeout=timeout))


def ask(r: Rephraser):
    return r.rephrase(ANSWER_37, QUESTION, [{"clause_id": "三.7", "title": "支持算力应用",
                      "quote": QUOTE_37}, {"clause_id": "五.1", "title": "其他", "quote": VALIDITY_QUOTE}], [CALC_37])


def test_a_faithful_rephrasing_is_served(fake_server):
    result = ask(rephraser(fake_server, "faithful"))
    assert (result.used_llm, result.text, result.violations, result.error) == (True, FAITHFUL_37, [], None)


def test_the_prompt_carries_the_rules_the_question_and_the_deterministic_answer(fake_server):
    ask(rephraser(fake_server, "faithful"))
    mode, path, body = fake_server.requests[-1]
    assert path == "/faithful/v1/chat/completions" and body["model"] == "fake-model"
    # One user turn: some chat formats (Gemma) drop or refuse a system message.
    assert body["messages"] == [{"role": "user", "content": build_prompt(QUESTION, ANSWER_37)}]
    prompt = body["messages"][0]["content"]
    assert prompt.startswith(PROMPT_RULES) and QUESTION in prompt and ANSWER_37 in prompt
    assert "原样保留" in PROMPT_RULES and "不得添加" in PROMPT_RULES


@pytest.mark.parametrize("mode", ["fenced", "prompt_then_answer"])
def test_a_code_fence_or_an_exact_prompt_echo_around_a_faithful_rephrasing_is_removed(fake_server, mode):
    result = ask(rephraser(fake_server, mode))
    assert result.used_llm and result.text == FAITHFUL_37


def test_an_inventive_rephrasing_falls_back_and_logs_the_violations_not_the_user_text(fake_server, caplog):
    with caplog.at_level(logging.WARNING, logger="jxai_assistant.llm"):
        result = ask(rephraser(fake_server, "inventive"))
    assert (result.used_llm, result.text, result.error) == (False, ANSWER_37, None)
    assert [(v.kind, v.value) for v in result.violations] == [("amount", D(800000))]
    logged = caplog.text
    assert "number firewall" in logged and "八十万元" in logged
    assert "能拿多少" not in logged and "若开发行业模型" not in logged


@pytest.mark.parametrize(
    "mode, error",
    [
        ("error500", "server_error:500"),
        ("garbage", "bad_response"),
        ("noshape", "bad_response"),
        ("empty", "empty"),
        ("english", "garbled"),
        ("rambling", "too_long"),
        ("markup", "markup"),
        ("link", "markup"),
        ("template", "template_leak"),
        ("echo", "prompt_echo"),
    ],
)
def test_server_failures_and_unusable_outputs_fall_back(fake_server, caplog, mode, error):
    with caplog.at_level(logging.WARNING, logger="jxai_assistant.llm"):
        result = ask(rephraser(fake_server, mode))
    assert (result.used_llm, result.text) == (False, ANSWER_37)
    assert result.error is not None and result.error.startswith(error)
    assert caplog.records, "every fallback is logged"


def test_a_slow_server_falls_back_within_the_timeout(fake_server):
    started = time.monotonic()
    result = ask(rephraser(fake_server, "slow", timeout=0.4))
    elapsed = time.monotonic() - started
    assert (result.used_llm, result.text, result.error) == (False, ANSWER_37, "timeout")
    assert elapsed < SLOW_S - 1, f"waited {elapsed:.1f}s"


def test_an_unreachable_server_falls_back():
    with socket_closed_port() as port:
        result = ask(Rephraser(LLMSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout=2)))
    assert (result.used_llm, result.text, result.error) == (False, ANSWER_37, "connection")


def socket_closed_port():
    """A context manager yielding a 127.0.0.1 port with nothing listening on it."""
    import contextlib
    import socket

    @contextlib.contextmanager
    def closed():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        yield port

    return closed()


def test_without_configuration_no_request_is_made(fake_server):
    port = fake_server.server_address[1]
    before = len(fake_server.requests)
    for settings in (LLMSettings(), LLMSettings(base_url=f"http://127.0.0.1:{port}/faithful/v1")):
        result = ask(Rephraser(settings))
        assert (result.used_llm, result.text, result.error) == (False, ANSWER_37, None)
    assert len(fake_server.requests) == before


def test_nothing_escapes_even_on_malformed_input(fake_server):
    result = rephraser(fake_server, "faithful").rephrase(ANSWER_37, "问题", [42], [CALC_37])
    assert (result.used_llm, result.text) == (False, ANSWER_37)
    assert result.error == "internal:TypeError"


SETTINGS_FROM_ENV = [
    ("nothing set: off", {}, (False, None, None, None, 20.0)),
    ("URL and model: on, default timeout 20 s", {"JXAI_LLM_BASE_URL": "http://h/v1", "JXAI_LLM_MODEL": "qwen"},
     (True, "http://h/v1", "qwen", None, 20.0)),
    ("URL without model: off", {"JXAI_LLM_BASE_URL": "http://h/v1"}, (False, "http://h/v1", None, None, 20.0)),
    ("key and timeout are read", {"JXAI_LLM_BASE_URL": "u", "JXAI_LLM_MODEL": "m", "JXAI_LLM_API_KEY": "k",
                                  "JXAI_LLM_TIMEOUT": "7.5"}, (True, "u", "m", "k", 7.5)),
    ("an unreadable timeout keeps the default", {"JXAI_LLM_TIMEOUT": "soon"}, (False, None, None, None, 20.0)),
    ("a negative timeout keeps the default", {"JXAI_LLM_TIMEOUT": "-3"}, (False, None, None, None, 20.0)),
]  # fmt: skip


@pytest.mark.parametrize("env, expected", [c[1:] for c in SETTINGS_FROM_ENV], ids=[c[0] for c in SETTINGS_FROM_ENV])
def test_settings_from_env(env, expected):
    s = LLMSettings.from_env(env)
    assert (s.enabled, s.base_url, s.model, s.api_key, s.timeout) == expected
