"""The Typer application every command module registers on."""

from __future__ import annotations

from datetime import date

import typer

app = typer.Typer(
    name="jxai",
    help="嘉兴市人工智能政策助手：条款查询、补贴测算、政策问答。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a Chinese error message on stderr and return the Exit to raise (usage errors exit with 2)."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def echo_json(payload: object) -> None:
    """Print JSON with Chinese characters kept readable."""
    import json

    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def parse_day(text: str, option: str) -> date:
    """A ``YYYY-MM-DD`` date from the command line, or exit 2 with a Chinese message."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(f"{option} 的日期格式应为 YYYY-MM-DD（如 2025-03-01），而不是“{text}”。") from None


def use_version_of(day: object) -> None:
    """Answer from the version of the document in force on ``day`` (a date; ``None``: today) — before loading."""
    from ..versions import set_as_of

    set_as_of(day)  # type: ignore[arg-type]
