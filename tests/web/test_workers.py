"""``jxai serve --workers 2``: a conversation started before a restart continues after it, whichever worker answers,
with the default SQLite store and with Redis (a real redis-server, started by conftest)."""

from __future__ import annotations

import importlib.util
import json
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def load_loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", REPO / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("loadtest", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_conversation_continues_across_a_restart_of_two_workers(backend, tmp_path, request):
    loadtest = load_loadtest()
    env = {"JXAI_DATA_DIR": str(tmp_path), "JXAI_RATE_LIMIT": "off"}
    if backend == "redis":
        env["JXAI_REDIS_URL"] = request.getfixturevalue("redis_url")
    with loadtest.ServerProcess(env=env, workers=2) as server:
        first = post(f"{server.url}/v1/ask", {"question": "我们智算支出120万元，能拿多少？"})
        conversation = first["conversation_id"]
        # Several follow-ups: with two workers, both answer some of them.
        for _ in range(4):
            assert post(f"{server.url}/v1/ask", {"question": "我们没有开发大模型",
                                                 "conversation_id": conversation})["award_yuan"] == 600000
        port = server.port
    with loadtest.ServerProcess(env=env, workers=2, port=port) as restarted:
        after = post(f"{restarted.url}/v1/ask", {"question": "那如果支出是300万呢？", "conversation_id": conversation})
        assert after["conversation_id"] == conversation
        assert after["award_yuan"] == 1000000  # 300万元 × 50% = 150万元, capped at 100万元: the facts carried over
        assert after["answer_id"] == f"{conversation}.6"
        ended = post(f"{restarted.url}/v1/ask", {"question": "那如果支出是300万呢？", "conversation_id": "f" * 32})
        assert "对话已结束" in ended["answer"]
        assert loadtest.server_problems(restarted.log()) == []


def test_the_page_and_gradio_client_work_behind_two_workers(tmp_path):
    """The page's queue lives in one page process and both workers pass page traffic on to it: every gradio_client
    call is answered (before, uvicorn spread a call's queue/join and queue/data over the workers and some were
    cancelled), while the REST API is answered by the workers themselves."""
    from gradio_client import Client

    loadtest = load_loadtest()
    with loadtest.ServerProcess(env={"JXAI_DATA_DIR": str(tmp_path), "JXAI_RATE_LIMIT": "off"}, workers=2) as server:
        for _ in range(6):  # a new client (new connections, new session) each time
            client = Client(server.url, verbose=False)
            first = client.predict("我们智算支出120万元，能拿多少？", None, api_name="/ask")
            assert first["award_yuan"] == 600000
            follow_up = client.predict("那如果支出是300万呢？", first["conversation_id"], api_name="/ask")
            assert follow_up["award_yuan"] == 1000000
            assert client.predict("三.7", 3, api_name="/search")[0]["clause_id"] == "三.7"
        assert post(f"{server.url}/v1/ask", {"question": "支持政策第七条"})["citations"][0]["clause_id"] == "三.7"
        assert loadtest.server_problems(server.log()) == []
