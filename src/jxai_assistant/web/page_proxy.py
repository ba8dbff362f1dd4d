"""The page behind several workers: one process holds the Gradio page, every worker passes page traffic on to it.

Gradio keeps an event's queue and a session's state in the memory of the process that took ``queue/join``; the
answer stream (``queue/data``) and the session's next events must reach that same process. ``uvicorn --workers N``
hands each *connection* to whichever worker accepts it, so with N > 1 the page and gradio_client calls failed
intermittently. With ``jxai serve --workers N`` (N > 1) the page therefore runs in one process of its own on a
private loopback port (:func:`start_page_process`), and each worker serves the REST API, chat completions and the
MCP tools itself and streams everything else — the page, its assets, ``gradio_api/…`` — to that process
(:class:`PageProxy`), with the caller's address in ``X-Forwarded-For`` (the page process trusts its workers only).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

#: Set in the workers' environment: where the page process listens.
UPSTREAM_ENV = "JXAI_PAGE_UPSTREAM"
#: Hop-by-hop headers a proxy must not pass on (RFC 9110 §7.6.1), plus what the HTTP client sets itself.
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer",
              b"transfer-encoding", b"upgrade", b"content-length"}
UNAVAILABLE = "网页服务暂时不可用，请稍后再试；接口 /v1/… 不受影响。"


class PageProxy:
    """ASGI app: pass an HTTP request on to the page process and stream its answer back (server-sent events too)."""

    def __init__(self, upstream: str) -> None:
        import httpx

        self.upstream = upstream.rstrip("/")
        # No read timeout: the page's event streams stay open as long as an answer is pending.
        self._client = httpx.AsyncClient(base_url=self.upstream, timeout=httpx.Timeout(30.0, read=None),
                                         limits=httpx.Limits(max_connections=1000, max_keepalive_connections=50))

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        import httpx

        from .security import send_error

        if scope["type"] != "http":
            return
        headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() not in HOP_BY_HOP]
        peer = (scope.get("client") or ("unknown",))[0]
        forwarded = [v.decode("latin-1") for k, v in headers if k.lower() == b"x-forwarded-for"]
        headers = [(k, v) for k, v in headers if k.lower() != b"x-forwarded-for"]
        headers.append((b"x-forwarded-for", ", ".join([*forwarded, peer]).encode("latin-1")))
        target = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        if query := scope.get("query_string"):
            target += "?" + query.decode("latin-1")

        async def body():
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                if chunk := message.get("body"):
                    yield chunk
                if not message.get("more_body"):
                    return

        has_body = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        request = self._client.build_request(scope["method"], self.upstream + target, headers=headers,
                                             content=body() if has_body else None)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError:
            await send_error(send, 502, "page_unavailable", UNAVAILABLE)
            return
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP]})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (httpx.HTTPError, OSError):
            pass  # the page process or the caller went away mid-answer; nothing more can be sent
        finally:
            await response.aclose()


#: Paths every worker answers itself; everything else is the page's.
API_PREFIXES = ("/v1/", "/mcp", "/docs", "/redoc", "/openapi.json")


OPERATOR_PREFIX = "/v1/operator"


class Dispatch:
    """ASGI app of a worker behind the page process: the API paths to ``api``, the rest to ``page``."""

    def __init__(self, api: Any, page: PageProxy) -> None:
        self.api, self.page = api, page

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        # The operator's API checks a Gradio login session, which lives in the page process.
        if scope["type"] != "http" or (scope["path"].startswith(API_PREFIXES) or scope["path"] == "/v1") \
                and not scope["path"].startswith(OPERATOR_PREFIX):
            await self.api(scope, receive, send)
        else:
            await self.page(scope, receive, send)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_page_process(timeout: float = 180.0) -> tuple[subprocess.Popen, str]:
    """Start the page's own process (the whole app, one worker) on a free loopback port and wait until it answers;
    returns the process and its URL. It trusts ``X-Forwarded-For`` from loopback only: its callers are the workers."""
    port = _free_port()
    env = dict(os.environ)
    trusted = [p for p in (env.get("JXAI_TRUSTED_PROXIES") or "").split(",") if p.strip()]
    env["JXAI_TRUSTED_PROXIES"] = ",".join([*trusted, "127.0.0.1/32"])
    env.pop(UPSTREAM_ENV, None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from jxai_assistant.web.server import run; import sys; "
                               "run('127.0.0.1', int(sys.argv[1]), 1)", str(port)],
        env=env, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ValueError(f"网页进程启动失败（退出码 {process.returncode}），请查看上方日志。")
        try:
            with urllib.request.urlopen(f"{url}/v1/healthz", timeout=5):
                return process, url
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    process.terminate()
    raise ValueError(f"网页进程在 {timeout:.0f} 秒内没有就绪。")


def stop(process: Any) -> None:
    """Stop the page process (SIGTERM, then SIGKILL after 10 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
