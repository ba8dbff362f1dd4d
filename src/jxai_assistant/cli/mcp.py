"""``jxai mcp``: the clause lookup, search and calculator as MCP tools over stdio, for an agent that starts this
process itself (the same tools are served over HTTP at ``/mcp`` by ``jxai serve``)."""

from __future__ import annotations

from .app import app


@app.command("mcp")
def mcp_command() -> None:
    """以 MCP（stdio）提供 lookup_clause、search_clauses、calculate 三个工具，供企业自己的智能体调用计算器，而不是猜金额。"""
    from ..web.agent_tools import run_stdio

    run_stdio()
