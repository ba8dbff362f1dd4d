"""Conversation commands: ``jxai ask`` (one question, or ``--jsonl`` batches) and ``jxai chat`` (interactive)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .app import app, echo_json, fail, parse_day, use_version_of


@app.command("ask")
def ask_command(
    question: Annotated[Optional[str], typer.Argument(help="问题，如 “算力券单个企业最多补贴多少？”")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 DESIGN 约定的 JSON 响应")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="批量：从标准输入读 {id, turns} 每行一个会话")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按该日（YYYY-MM-DD）施行的文件版本回答（默认今天）")] = None,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going/--fail-fast", help="批量时遇到无法回答的行：继续（默认）或立即停止")] = True,
) -> None:
    """回答一个问题（带条款引用）；--jsonl 时批量回答多轮会话，每行输入对应一行输出。"""
    if as_of is not None:
        use_version_of(parse_day(as_of, "--as-of"))
    if jsonl:
        if question is not None:
            raise fail("--jsonl 从标准输入读取会话，请不要同时给出问题。")
        _ask_jsonl(fail_fast=not keep_going)
        return
    if question is None:
        raise fail("请提供问题，例如：jxai ask \"算力券单个企业最多补贴多少？\"；或使用 --jsonl 从标准输入批量提问。")
    response = _assistant().ask(question)
    if as_json:
        echo_json(response.to_contract())
    else:
        typer.echo(response.answer)


def _assistant():
    """The process-wide assistant, or exit 2 with the start-up problem (bad rule file …) named, no traceback."""
    from ..assistant import StartupError, get_assistant

    try:
        return get_assistant()
    except StartupError as exc:
        raise fail(str(exc)) from None


def _ask_jsonl(fail_fast: bool) -> None:
    """Run the batch door over stdin/stdout; exit 1 with the summary on stderr unless every line was answered."""
    import os

    from .batch import run_batch

    assistant = _assistant()
    try:
        summary = run_batch(sys.stdin.buffer, sys.stdout.buffer, assistant, fail_fast=fail_fast)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, it wants no more lines
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python exits
        raise typer.Exit(1) from None
    typer.echo(summary.text(), err=True)
    if not summary.ok:
        raise typer.Exit(1)


@app.command("chat")
def chat_command() -> None:
    """交互式多轮问答（输入 /new 开始新会话，/quit 或 Ctrl-D 退出）。"""
    import uuid

    assistant = _assistant()
    conversation = uuid.uuid4().hex
    typer.echo("嘉兴市人工智能政策助手。直接输入问题；/new 开始新会话，/quit 退出。")
    while True:
        try:
            line = input("\n您：")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        command = line.strip()
        if command in {"/quit", "/exit", "/q"}:
            return
        if command == "/new":
            assistant.reset(conversation)
            conversation = uuid.uuid4().hex
            typer.echo("已开始新会话。")
            continue
        if not command:
            continue
        response = assistant.ask(line, conversation)
        typer.echo(f"\n助手：\n{response.answer}")
