"""The Typer application every command module registers on."""

from __future__ import annotations

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
