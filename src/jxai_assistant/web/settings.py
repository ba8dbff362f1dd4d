"""Where the web app listens. Kept free of Gradio imports: Gradio itself fails to import on a malformed
``GRADIO_SERVER_PORT``, and ``jxai serve`` must report that in Chinese instead."""

from __future__ import annotations

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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


def serve(host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Resolve the address, then serve the app (page + REST API) until interrupted (``python app.py``,
    ``jxai serve``); ``workers`` processes share the port and the conversation store.

    Raises ``ValueError`` with a Chinese message for a bad address, worker count or setting, or a port in use.
    """
    import socket
    import sys

    host, port = server_settings(host, port)
    if not 1 <= workers <= 64:
        raise ValueError(f"工作进程数应在 1–64 之间，而不是 {workers}。")
    # Gradio reads these at import time (and fails on a malformed port): hand it the resolved values.
    os.environ["GRADIO_SERVER_NAME"], os.environ["GRADIO_SERVER_PORT"] = host, str(port)
    from .security import load_auth

    # Settings are checked here, once, so that a mistake is one Chinese line rather than a traceback per worker.
    auth = load_auth()
    from .clients import ClientPolicy
    from .security import RateLimiter

    ClientPolicy.from_env()
    RateLimiter.from_env()
    from ..insights.log import retention_days

    retention_days()  # a bad JXAI_LOG_RETENTION_DAYS stops the start with one Chinese line
    from ..calculator import RuleFileError, load_rules

    try:  # bad rule data stops the start here, naming the file and key, not in every worker's traceback
        load_rules()
    except RuleFileError as exc:
        raise ValueError(str(exc)) from None
    if auth is None and host not in LOOPBACK:
        print(f"注意：在 {host} 上监听且未启用登录，任何能访问该地址的人都可以使用。可设置 JXAI_AUTH 或 JXAI_AUTH_FILE。",
              file=sys.stderr)
    try:  # uvicorn reports a busy port in English and exits; say what to do instead
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError:
        raise ValueError(f"无法在 {host}:{port} 启动服务：端口可能已被占用或地址不可用，请用 --port / --host 另选。") from None
    from .server import run

    print(f"嘉兴市人工智能政策助手已启动：http://{host}:{port}/  接口文档：/docs  （Ctrl+C 退出）",
          file=sys.stderr, flush=True)
    run(host, port, workers)
