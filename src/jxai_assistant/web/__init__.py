"""The Gradio web app (政策问答 · 补贴测算 · 条款查询) and its named API endpoints ``/ask``, ``/search``, ``/calc``.

``build_app`` (the page) and ``create_app`` (the whole server: page + REST API) are imported lazily: importing Gradio takes seconds, and ``web.settings`` must stay
importable without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_app", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "build_app":
        from .app import build_app

        return build_app
    if name == "create_app":
        from .server import create_app

        return create_app
    raise AttributeError(name)
