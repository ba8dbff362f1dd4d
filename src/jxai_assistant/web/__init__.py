"""The Gradio web app (政策问答 · 补贴测算 · 条款查询) and its named API endpoints ``/ask``, ``/search``, ``/calc``.

``build_app`` and ``launch`` are imported lazily: importing Gradio takes seconds, and ``web.settings`` must stay
importable without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_app", "launch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
