"""Command-line interface ``jxai``. Each concern registers its commands on :data:`app` in a module of its own."""

from __future__ import annotations

from .app import app

# Command modules register themselves on import; keep heavy imports inside the command functions (start-up speed).
from . import ask, clause  # noqa: F401,E402
from . import calc  # noqa: F401,E402
from . import corpus  # noqa: F401,E402
from . import evals  # noqa: F401,E402
from . import search  # noqa: F401,E402
from . import serve  # noqa: F401,E402


def main() -> None:
    """Entry point of the ``jxai`` console script."""
    app()
