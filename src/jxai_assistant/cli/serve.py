"""``jxai serve``: the web page (政策问答 · 补贴测算 · 条款查询), the REST API (``/v1``) and the Gradio ``/ask``,
``/search``, ``/calc`` endpoints, on one port, in ``--workers`` processes."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import app, fail


@app.command("serve")
def serve_command(
    host: Annotated[Optional[str], typer.Option(
        "--host", help="监听地址（默认 127.0.0.1，仅本机可访问；环境变量 GRADIO_SERVER_NAME）")] = None,
    port: Annotated[Optional[int], typer.Option(
        "--port", help="端口（默认 7860；环境变量 GRADIO_SERVER_PORT）")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", help="工作进程数（共享端口与会话存储；默认 1）")] = 1,
) -> None:
    """启动网页版政策助手（政策问答、补贴测算、条款查询）、REST 接口 /v1/…（文档 /docs）及 /ask、/search、/calc 接口。"""
    from ..web.settings import serve

    try:
        serve(host, port, workers)
    except ValueError as exc:
        raise fail(str(exc)) from None
