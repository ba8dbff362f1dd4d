"""An enterprise's own agent calls the assistant's tools over MCP — with the real client of the ``mcp`` package, over
streamable HTTP at ``/mcp`` on the served app and over stdio (``jxai mcp``) — and gets the calculator's figures
with their steps and clauses instead of guessing them. Refusals are ``{"code", "message"}`` in Chinese."""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

TOOLS = {"lookup_clause", "search_clauses", "calculate"}


async def use_every_tool(client: Client) -> dict[str, Any]:
    """Call each tool as an agent would, plus two calls it gets wrong; return what came back."""
    listed = await client.list_tools()
    seen: dict[str, Any] = {"tools": {tool.name for tool in listed.tools}}
    for name, arguments in {
        "clause": ("lookup_clause", {"reference": "支持政策第七条"}),
        "search": ("search_clauses", {"query": "算力券", "k": 3}),
        "one_policy": ("calculate", {"policy": "三.7", "facts": {"compute_spend_yuan": "120万"}}),
        "all_policies": ("calculate", {"policy": "all", "facts": {"compute_spend_yuan": "300万", "jiaxing_model": True}}),
        "no_such_policy": ("calculate", {"policy": "三.99", "facts": {}}),
        "float_money": ("calculate", {"policy": "三.7", "facts": {"compute_spend_yuan": 1200000.5}}),
        "wrong_type": ("search_clauses", {"query": "算力券", "k": "many"}),
    }.items():
        result = await client.call_tool(*arguments)
        seen[name] = (result.is_error, result.structured_content)
    return seen


def assert_an_agent_gets_figures_not_guesses(seen: dict[str, Any]) -> None:
    assert seen["tools"] == TOOLS
    ok, clause = seen["clause"]
    assert not ok and clause["clause_id"] == "三.7" and clause["lead_unit"] == "市经信局"
    assert "按照智算、超算实际使用金额的50%给予算力补贴" in clause["text"] and clause["title"] == "支持算力应用"
    ok, search = seen["search"]
    assert not ok and search["results"][0]["clause_id"] == "三.7" and len(search["results"]) <= 3
    ok, one = seen["one_policy"]
    assert not ok and one["policy"] == "三.7" and one["award_yuan"] == 600000  # 120万元 × 50%, under the 100万 cap
    steps = one["calculations"][0]["steps"]
    assert [s["name"] for s in steps if s["name"] in ("rate", "cap")] == ["rate", "cap"]
    assert all(s["clause_id"] for s in steps)
    ok, everything = seen["all_policies"]
    # 300万元 × 50% = 150万元, under the 200万 cap for a model built and used in Jiaxing; after 就高不重复
    assert not ok and everything["policy"] == "all" and everything["award_yuan"] == 1500000
    error, refusal = seen["no_such_policy"]
    assert error and refusal["code"] == "not_found" and "三.1–三.10" in refusal["message"]
    error, refusal = seen["float_money"]
    assert error and refusal["code"] == "bad_request" and "不要写 JSON 小数" in refusal["message"]
    error, refusal = seen["wrong_type"]
    assert error and refusal == {"code": "invalid_request", "message": "工具参数不符合说明（k），请按工具的 inputSchema 传参。"}


def test_an_agent_calls_each_tool_over_http_on_the_served_app(running_app):
    async def session() -> dict[str, Any]:
        async with Client(running_app.url + "mcp") as client:
            return await use_every_tool(client)

    assert_an_agent_gets_figures_not_guesses(anyio.run(session))


@pytest.mark.slow
def test_an_agent_starts_jxai_mcp_and_calls_each_tool_over_stdio(tmp_path):
    env = {name: os.environ[name] for name in ("PYTHONPATH", "JXAI_CACHE_DIR", "HOME") if name in os.environ}
    env["JXAI_DATA_DIR"] = str(tmp_path)
    server = StdioServerParameters(command=sys.executable, args=["-m", "jxai_assistant", "mcp"], env=env)

    async def session() -> dict[str, Any]:
        async with Client(server, read_timeout_seconds=120) as client:
            return await use_every_tool(client)

    assert_an_agent_gets_figures_not_guesses(anyio.run(session))
