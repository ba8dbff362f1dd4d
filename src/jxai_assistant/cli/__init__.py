"""Command-line interface ``jxai``. Each concern registers its commands on :data:`app` in a module of its own."""

from __future__ import annotations

import sys

from .app import app

# Command modules register themselves on import; keep heavy imports inside the command functions (start-up speed).
from . import ask, clause  # noqa: F401,E402
from . import calc  # noqa: F401,E402
from . import corpus  # noqa: F401,E402
from . import evals  # noqa: F401,E402
from . import mcp  # noqa: F401,E402
from . import report  # noqa: F401,E402
from . import search  # noqa: F401,E402
from . import serve  # noqa: F401,E402


def main() -> None:
    """Entry point of the ``jxai`` console script.

    A broken declaration in ``corpus/facts.yaml`` surfaces when the calculator's fact model is built (on import of
    whatever command needs it): it stops the start with the file and the key named (exit 2), never a traceback.
    """
    from ..declarations import FactDeclarationError

    try:
        app()
    except FactDeclarationError as exc:
        print(f"无法启动政策助手：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
