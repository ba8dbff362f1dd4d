"""Conversation commands: ``jxai ask`` (one question, or ``--jsonl`` batches) and ``jxai chat`` (interactive)."""

from __future__ import annotations

import json
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
) -> None:
    """回答一个问题（带条款引用）；--jsonl 时批量回答多轮会话。"""
    if as_of is not None:
        use_version_of(parse_day(as_of, "--as-of"))
    if jsonl:
        _ask_jsonl()
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


def _ask_jsonl() -> None:
    """One conversation per input line; turns share state, conversations do not; one output line each."""
    assistant = _assistant()
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            turns = item["turns"]
            if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns) or not turns:
                raise ValueError("turns 必须是非空的字符串列表")
        except (ValueError, KeyError, TypeError) as exc:
            typer.echo(json.dumps({"id": None, "line": number, "error": f"第{number}行格式错误：{exc}"},
                                  ensure_ascii=False))
            continue
        conversation_id = f"jsonl-{number}-{item.get('id')}"
        response = None
        for turn in turns:
            response = assistant.ask(turn, conversation_id)
        assistant.reset(conversation_id)
        typer.echo(json.dumps({"id": item.get("id"), "response": response.to_contract()}, ensure_ascii=False))


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
