"""The assistant's tools for other agents, over the Model Context Protocol (the ``mcp`` package's ``MCPServer``,
formerly FastMCP): an enterprise's own agent looks clauses up and calls the calculator instead of guessing figures.

Three tools, each the same ``service`` function the REST API and the page use:

- ``lookup_clause(reference)``: a clause by id or by how people say it (三.7, 支持政策第七条) → verbatim text, title,
  lead unit, citation line;
- ``search_clauses(query, k)``: ranked clauses for keywords, a clause number or a unit;
- ``calculate(policy, facts)``: one policy or ``"all"`` computed from facts named as in ``jxai facts`` → every
  calculation with its steps and clauses, and ``award_yuan`` after 就高不重复.

A tool answers JSON (also as ``structuredContent``); a refused call is an error result whose text is
``{"code", "message"}`` with a Chinese message, never a traceback.

Served two ways: ``jxai mcp`` over stdio (the agent starts the process), and streamable HTTP at ``/mcp`` on the
``jxai serve`` port (:class:`HttpDoor`): stateless and answered as JSON, so any worker or replica can take any call,
behind the same API keys and rate limit as the REST API.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from . import limits, service

log = logging.getLogger(__name__)

NAME = "jxai-assistant"
INSTRUCTIONS = (
    "嘉兴市推动人工智能高质量发展实施方案（征求意见稿）的条款查询与补贴测算。金额只以 calculate 的结果为准（含计算步骤与"
    "依据条款，award_yuan 为就高不重复后的合计，单位元），不要自行估算；引用条款时请用 lookup_clause 取原文。")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _result(call: Callable[[], Any]) -> CallToolResult:
    """The tool's answer: JSON text plus the same object as structured content; a refusal as an error result."""
    try:
        payload = call()
        is_error = False
    except service.ServiceError as exc:
        code = "not_found" if isinstance(exc, service.NotFound) else (
            "store_unavailable" if isinstance(exc, service.StoreUnavailable) else "bad_request")
        payload, is_error = {"code": code, "message": exc.message}, True
    except Exception:  # never a traceback to the caller; the log keeps it
        log.exception("MCP tool failed")
        payload, is_error = {"code": "internal_error", "message": service.BUSY_MESSAGE}, True
    text = json.dumps(payload, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload,
                          is_error=is_error)


async def _chinese_refusals(ctx: Any, call_next: Callable) -> Any:
    """Server middleware: arguments that do not fit a tool's schema (the SDK answers those in English, with the
    validator's text) and unknown tools get the ``{"code", "message"}`` error result in Chinese instead."""
    result = await call_next(ctx)
    if getattr(ctx, "method", None) != "tools/call" or not isinstance(result, (dict, CallToolResult)):
        return result
    answer = result if isinstance(result, CallToolResult) else CallToolResult.model_validate(result)
    if answer.is_error and answer.structured_content is None:
        text = "".join(getattr(block, "text", "") for block in answer.content)
        if text.startswith("Unknown tool"):
            payload = {"code": "not_found", "message": "没有这个工具；可用的工具：lookup_clause、search_clauses、calculate。"}
        else:
            fields = [line.strip() for line in text.splitlines()[1:] if line and not line[0].isspace()]
            where = f"（{'、'.join(fields[:5])}）" if fields else ""
            payload = {"code": "invalid_request", "message": f"工具参数不符合说明{where}，请按工具的 inputSchema 传参。"}
        return CallToolResult(content=[TextContent(type="text", text=json.dumps(payload, ensure_ascii=False))],
                              structured_content=payload, is_error=True)
    return result


def build_server() -> Any:
    """The MCP server with the three tools (transport-free: run it over stdio or mount it with :class:`HttpDoor`)."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(NAME, title="嘉兴市人工智能政策助手", instructions=INSTRUCTIONS, log_level="WARNING",
                       middleware=[_chinese_refusals])
    read_only = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

    @server.tool(annotations=read_only)
    def lookup_clause(
        reference: Annotated[str, Field(description="条款编号或说法，如 三.7、支持政策第七条、第二部分第十条")],
    ) -> CallToolResult:
        """按编号取条款原文（逐字）、标题、牵头单位、责任单位和工单引用行。一个部分（如 三）给出其下各条，在 clauses 中。"""
        return _result(lambda: service.clause(reference))

    @server.tool(annotations=read_only)
    def search_clauses(
        query: Annotated[str, Field(description="关键词、条款编号（三.7）或单位（市经信局）")],
        k: Annotated[int, Field(description=f"返回条数（1–{service.MAX_SEARCH_K}）")] = 8,
    ) -> CallToolResult:
        """检索条款，按相关度排序；每条含编号、标题、原文片段与工单引用行。"""
        return _result(lambda: {"results": service.search(query, k)})

    @server.tool(annotations=read_only)
    def calculate(
        policy: Annotated[str, Field(description="一条支持政策（三.1–三.10，如 三.7 或 支持政策第七条），或 all 表示全部")] = "all",
        facts: Annotated[dict[str, Any], Field(
            description="企业情况：事实名 → 取值（事实名见 jxai facts，如 compute_spend_yuan、revenue_yuan、"
                        "jiaxing_model；金额单位为元，可写整数或 \"120万\"；小数请写成字符串，如 \"12.5\"）")] = {},
    ) -> CallToolResult:
        """用确定性计算器测算补贴：逐条列出条件、算式、上限和依据条款（steps），尚缺的信息（missing），
        以及按“就高不重复”合并后的合计 award_yuan（元；无法确定时为 null）。"""
        return _result(lambda: service.calculate(policy, facts))

    return server


def run_stdio() -> None:
    """Serve the tools over stdin/stdout until the client closes them (``jxai mcp``)."""
    build_server().run("stdio")


class HttpDoor:
    """The tools over streamable HTTP, as an ASGI app for ``/mcp``: stateless JSON answers (no session to lose
    between workers), refused without a valid API key when keys are configured, and counted against the same rate
    limit as every other door. ``lifespan`` must wrap the app's lifespan (it runs the transport's task group)."""

    def __init__(self, host: str | None = None) -> None:
        from mcp.server.transport_security import TransportSecuritySettings

        self.server = build_server()
        local = (host or "127.0.0.1") in LOOPBACK
        # On loopback, refuse other Host headers (DNS rebinding); on a public address the keys and limits guard it.
        security = None if local else TransportSecuritySettings(enable_dns_rebinding_protection=False)
        self.server.streamable_http_app(stateless_http=True, json_response=True, transport_security=security,
                                        host=host or "127.0.0.1", max_request_body_size=service.MAX_PROFILE_CHARS * 4)
        self.manager = self.server.session_manager

    @asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        async with self.manager.run():
            yield

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        import anyio

        from .security import send_error

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        peer = (scope.get("client") or (None,))[0]
        # The shared counter may be Redis or SQLite: count off the event loop.
        refused = await anyio.to_thread.run_sync(limits.current().refusal, peer, headers)
        if refused is not None:
            await send_error(send, refused.status, refused.code, refused.message,
                             [(k.lower().encode(), v.encode()) for k, v in refused.headers.items()])
            return
        await self.manager.handle_request(scope, receive, send)
