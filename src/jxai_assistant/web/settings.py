"""Where the web app listens. Kept free of Gradio imports: Gradio itself fails to import on a malformed
``GRADIO_SERVER_PORT``, and ``jxai serve`` must report that in Chinese instead."""

from __future__ import annotations

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def server_settings(host: str | None = None, port: int | None = None) -> tuple[str, int]:
    """Resolve the bind address: explicit arguments, then ``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT``, then
    127.0.0.1:7860 (loopback only unless asked). Raises ``ValueError`` with a Chinese message on a bad port."""
    host = host or os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    if port is None:
        raw = os.environ.get("GRADIO_SERVER_PORT", "").strip()
        try:
            port = int(raw) if raw else DEFAULT_PORT
        except ValueError:
            raise ValueError(f"环境变量 GRADIO_SERVER_PORT 应为端口号，而不是“{raw}”。") from None
    if not 0 < port < 65536:
        raise ValueError(f"端口号应在 1–65535 之间，而不是 {port}。")
    return host, port


def serve(host: str | None = None, port: int | None = None) -> None:
    """Resolve the address, then build and serve the app until interrupted (``python app.py``, ``jxai serve``).

    Raises ``ValueError`` with a Chinese message for a bad address or a port already in use.
    """
    import sys

    host, port = server_settings(host, port)
    # Gradio reads these at import time (and fails on a malformed port): hand it the resolved values.
    os.environ["GRADIO_SERVER_NAME"], os.environ["GRADIO_SERVER_PORT"] = host, str(port)
    from .app import launch

    try:
        demo, url = launch(host, port, block=False, quiet=True)
    except OSError:  # Gradio's message is English and suggests a Python parameter; say what to do here
        raise ValueError(f"无法在 {host}:{port} 启动服务：端口可能已被占用或地址不可用，请用 --port / --host 另选。") from None
    print(f"嘉兴市人工智能政策助手已启动：{url}  （Ctrl+C 退出）", file=sys.stderr, flush=True)
    demo.block_thread()
