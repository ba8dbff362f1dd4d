"""One ASGI app on one port: the REST API (``/v1/…``, docs at ``/docs``), the OpenAI-compatible endpoint, the MCP
tools (``/mcp``, streamable HTTP) and the Gradio page mounted at ``/`` — behind one gate (request size, uploads refused, login throttled) and one rate limit.

``create_app()`` is a factory, so ``uvicorn --workers N`` builds one app per worker process; conversations live in
the persistent store (``dialogue.store``), so a follow-up works whichever worker answers it.
"""

from __future__ import annotations

import logging
import os

import gradio as gr
from fastapi import FastAPI

from ..paths import data_dir
from . import chat, limits, operator, page_proxy, rest, service
from .agent_tools import HttpDoor
from .feedback import FeedbackStore
from .gate import Gate
from .security import RequestSizeLimit, load_auth, max_request_bytes, operators
from .style import CSS, theme

log = logging.getLogger(__name__)

#: Browser sessions whose page state is kept in memory per worker; the least recent go first. Gradio copies the
#: whole page's configuration into every session (≈ 0.4 MB here), so this bounds memory: 100 × 0.4 MB per worker.
#: The conversation itself is in the store and its id in the page, so an evicted session still continues; it only
#: loses the citation panel and feedback for its earlier answers (the page says so).
SESSION_CAPACITY = 100


def _bounded_queue(demo: gr.Blocks) -> None:
    # Gradio keeps a per-event analytics table and rebuilds a summary of it (pandas) after every event: the cost
    # grows with traffic. Keep one event and never rebuild the summary.
    queue = demo._queue
    queue.ANALYTICS_MAX_EVENTS = 1
    queue.ANAYLTICS_CACHE_FREQUENCY = 1 << 62


def create_app() -> FastAPI:
    """Build the whole app (reads the environment: login, API keys, proxies, limits, conversation store)."""
    from .app import build_app, warm_up

    auth = load_auth()
    limits.configure()
    service.use_persistent_conversations()
    store = FeedbackStore(data_dir() / "feedback.sqlite3")
    mcp = HttpDoor(host=os.environ.get("GRADIO_SERVER_NAME"))
    api = FastAPI(title="嘉兴市人工智能政策助手 API", version="1", lifespan=mcp.lifespan,
                  description="政策问答、条款查询、补贴测算（金额由确定性计算器给出，均注明依据条款）。"
                              "错误统一为 {\"code\", \"message\"}。MCP 工具（lookup_clause、search_clauses、"
                              "calculate）在 /mcp（streamable HTTP）。")
    rest.install(api, store, extra=(chat.router, operator.router))
    operator.install(api, operators())
    # Before the page's mount at "/", which would otherwise take the path.
    api.router.add_route("/mcp", mcp, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    if upstream := os.environ.get(page_proxy.UPSTREAM_ENV):
        # One of several workers: the page (and the operator's login session) lives in the page process
        # (page_proxy), which guards it; pass its traffic on.
        _guard(api)
        warm_up()
        return page_proxy.Dispatch(api, page_proxy.PageProxy(upstream))
    demo = build_app(feedback_store=store)
    demo.state_session_capacity = SESSION_CAPACITY
    _bounded_queue(demo)
    api = gr.mount_gradio_app(
        api, demo, path="/",
        footer_links=["api"], run_history=False, auth=auth,
        auth_message="请输入管理员分配的用户名和密码。" if auth else None,
        show_error=True, max_file_size="1kb", ssr_mode=False, theme=theme(), css=CSS,
    )
    operator.attach_gradio(api)  # after mounting: the operator's session is a Gradio login session
    _guard(api)
    warm_up()
    return api


def _guard(api: FastAPI) -> None:
    # Outermost first: the gate (uploads, login), then the body size limit, then routing.
    api.add_middleware(RequestSizeLimit, max_bytes=max_request_bytes())
    api.add_middleware(Gate, policy=limits.current().policy)


def run(host: str, port: int, workers: int = 1) -> None:
    """Serve with uvicorn (``workers`` processes share the port); blocks until interrupted. With more than one
    worker the page runs in a process of its own and the workers pass its traffic on (``page_proxy``)."""
    import uvicorn

    page = None
    if workers > 1:
        page, os.environ[page_proxy.UPSTREAM_ENV] = page_proxy.start_page_process()
    try:
        uvicorn.run("jxai_assistant.web.server:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    finally:
        if page is not None:
            page_proxy.stop(page)
