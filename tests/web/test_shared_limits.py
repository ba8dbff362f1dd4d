"""``jxai serve --workers 2``: the rate limit is one count per client across the workers — in SQLite in the data
directory by default, in Redis when ``JXAI_REDIS_URL`` is set (a real redis-server, conftest) — and the MCP door at
``/mcp`` is behind the same API keys and the same count as the REST API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.web.test_workers import load_loadtest

pytestmark = pytest.mark.slow

#: A day-long window: the fixed window cannot roll over during the test (short of a run across midnight UTC).
LIMIT = 6
SETTING = f"{LIMIT}/86400"


def call(url: str, body: dict, key: str | None) -> tuple[int, dict, Any]:
    """POST on a new connection (so that both workers take some); (status, JSON body, headers)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), exc.headers


LIST_TOOLS = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_two_workers_count_one_limit_per_client_for_rest_and_mcp_alike(backend, tmp_path, request):
    loadtest = load_loadtest()
    keys = tmp_path / "api-keys"
    keys.write_text("k-rest\nk-agent\n", encoding="utf-8")
    env = {"JXAI_DATA_DIR": str(tmp_path / "data"), "JXAI_RATE_LIMIT": SETTING, "JXAI_API_KEYS": str(keys)}
    if backend == "redis":
        env["JXAI_REDIS_URL"] = request.getfixturevalue("redis_url")
    with loadtest.ServerProcess(env=env, workers=2) as server:
        search = f"{server.url}/v1/search"
        # No key: refused at both doors, in the API's error shape.
        for url, body in ((search, {"query": "算力券"}), (f"{server.url}/mcp", LIST_TOOLS)):
            status, answer, headers = call(url, body, key=None)
            assert status == 401 and answer["code"] == "api_key_required" and "API 密钥" in answer["message"]

        # Twice the limit, each on a new connection: exactly the limit is answered, whichever worker took each.
        statuses = [call(search, {"query": "算力券", "k": 1}, "k-rest")[0] for _ in range(2 * LIMIT)]
        assert statuses.count(200) == LIMIT and statuses.count(429) == LIMIT

        # The same key is spent at the MCP door too.
        status, answer, headers = call(f"{server.url}/mcp", LIST_TOOLS, "k-rest")
        assert status == 429 and answer["code"] == "rate_limited" and "太频繁" in answer["message"]
        assert int(headers["Retry-After"]) >= 1

        # Another key has its own count: an agent's MCP session through it gets the calculator's figure.
        async def agent() -> dict:
            http = httpx2.AsyncClient(headers={"Authorization": "Bearer k-agent"}, timeout=120)
            async with http, Client(streamable_http_client(f"{server.url}/mcp", http_client=http)) as client:
                result = await client.call_tool("calculate", {"policy": "三.7",
                                                              "facts": {"compute_spend_yuan": "120万"}})
                return result.structured_content

        assert anyio.run(agent)["award_yuan"] == 600000
        assert loadtest.server_problems(server.log()) == []
