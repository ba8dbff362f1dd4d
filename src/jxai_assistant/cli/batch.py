"""The batch door, ``jxai ask --jsonl``: one conversation per input line, exactly one output line per input line.

Scripts and evaluations feed it whatever they have, so nothing a line contains may end the batch or cost another
line: the input is read as a stream (one line in memory, bounded in bytes), every line is checked against the limits
below before it is parsed or answered, and a line that cannot be answered gives an error line in its place:

    {"id": <the id as given, or null>, "line": N, "error": {"code": "…", "message": "中文说明"}}

Output is strict JSON (no NaN/Infinity, valid UTF-8). An id must be a string or an integer within ±(2^53−1), the
range every JSON parser reads exactly; an id holding a lone surrogate (``"\\ud800"``) cannot be written as UTF-8 and
is refused for its line rather than altered.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from .. import strictjson
from ..assistant import MAX_QUESTION_CHARS
from ..strictjson import StrictJSONError

#: Integers beyond this lose digits in JavaScript and other double-based JSON readers (RFC 7493, I-JSON).
_MAX_SAFE_INT = 2**53 - 1


@dataclass(frozen=True)
class BatchLimits:
    """What one line may hold. Each limit keeps one line from taking the time or memory of the whole batch."""

    #: Bytes per line, as the web API's default request limit (a 50-turn conversation fits easily).
    line_bytes: int = 1_000_000
    #: Turns per conversation (20,000 turns took 95 s before this limit).
    turns: int = 50
    #: Characters per turn: the assistant would only say that a longer question is too long.
    turn_chars: int = MAX_QUESTION_CHARS
    #: Nesting depth of a line; a conversation needs 2.
    depth: int = strictjson.MAX_DEPTH
    #: Arrays, objects and strings in a line (each becomes a Python object before the turns can be counted).
    items: int = strictjson.MAX_ITEMS
    #: Distinct ids remembered to flag duplicates (about 100 bytes each); later ids are not checked.
    remembered_ids: int = 1_000_000


@dataclass
class Summary:
    """What a batch did: lines read, answered, failed by error code, duplicate ids, where ``--fail-fast`` stopped."""

    lines: int = 0
    answered: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    stopped_at: int | None = None

    @property
    def ok(self) -> bool:
        """True when every line read was answered (the exit code is 0 only then)."""
        return not self.failures

    def text(self) -> str:
        """The one-line Chinese summary printed on stderr."""
        parts = [f"批量问答：共 {self.lines} 行，已回答 {self.answered} 行，失败 {sum(self.failures.values())} 行"]
        if self.failures:
            parts[0] += "（" + "、".join(f"{code} {n}" for code, n in sorted(self.failures.items())) + "）"
        if self.duplicates:
            parts.append(f"重复编号 {self.duplicates} 行（已回答并标注 duplicate_id）")
        if self.stopped_at is not None:
            parts.append(f"--fail-fast：在第 {self.stopped_at} 行停止，其后各行未读取")
        return "；".join(parts) + "。"


class _LineError(Exception):
    """A line that cannot be answered; carries the error code, the Chinese message and the id when it was read."""

    def __init__(self, code: str, message: str, given_id: Any = None):
        super().__init__(message)
        self.code, self.message, self.given_id = code, message, given_id


def run_batch(source: BinaryIO, sink: BinaryIO, assistant: Any, *, fail_fast: bool = False,
              limits: BatchLimits = BatchLimits()) -> Summary:
    """Answer every conversation line of ``source``, writing one strict JSON line to ``sink`` for each, in order.

    Turns of one conversation share state; conversations do not. Neither the input nor the outputs are held in
    memory. With ``fail_fast`` the batch stops after the first line that cannot be answered.
    """
    summary = Summary()
    first_seen: dict[int, int] = {}
    for line in strictjson.read_lines(source, limits.line_bytes):
        summary.lines += 1
        try:
            payload = _answer_line(line, assistant, limits)
        except _LineError as exc:
            payload = _error(exc.given_id, line.number, exc.code, exc.message)
        except Exception as exc:  # a bug must cost one line, not the batch
            payload = _error(None, line.number, "internal_error", f"处理这一行时出现内部错误（{type(exc).__name__}）。")
        _flag_duplicate(payload, first_seen, limits.remembered_ids, summary)
        try:
            out = strictjson.dumps_line(payload)
        except StrictJSONError as exc:
            payload = _error(payload["id"], line.number, "internal_error", exc.message)
            out = strictjson.dumps_line(payload)
        sink.write(out)
        sink.flush()  # a consumer reading the pipe sees each answer as soon as it is made
        if "error" in payload:
            summary.failures[payload["error"]["code"]] += 1
            if fail_fast:
                summary.stopped_at = line.number
                break
        else:
            summary.answered += 1
    return summary


def _answer_line(line: strictjson.Line, assistant: Any, limits: BatchLimits) -> dict[str, Any]:
    if line.error is not None:
        raise _LineError(line.error.code, line.error.message)
    if not (line.text or "").strip():
        raise _LineError("empty_line", "这一行是空行；每行应为一个会话，如 {\"id\": \"a1\", \"turns\": [\"问题\"]}。")
    try:
        item = strictjson.loads(line.text, max_depth=limits.depth, max_items=limits.items, allow_lone_surrogates=True)
    except StrictJSONError as exc:
        raise _LineError(exc.code, exc.message) from None
    if not isinstance(item, dict):
        raise _LineError("not_an_object", "每行应为一个 JSON 对象，如 {\"id\": \"a1\", \"turns\": [\"问题\"]}。")
    given_id = _valid_id(item.get("id"))
    turns = _valid_turns(item.get("turns"), given_id, limits)
    conversation = f"jsonl-{line.number}"
    try:
        for turn in turns:
            response = assistant.ask(turn, conversation)
    except Exception as exc:  # Assistant.ask never raises by contract; if it does, only this line is lost
        raise _LineError("internal_error", f"回答时出现内部错误（{type(exc).__name__}）。", given_id) from None
    finally:
        assistant.reset(conversation)
    return {"id": given_id, "line": line.number, "response": response.to_contract()}


def _valid_id(value: Any) -> str | int | None:
    """The id as given when it can be echoed exactly in strict JSON, else a per-line ``invalid_id``."""
    if value is None or isinstance(value, str) and strictjson.lone_surrogate_path(value) is None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _MAX_SAFE_INT:
        return value
    if isinstance(value, str):
        why = "含有单独的代理字符（如 \\ud800），无法写成 UTF-8"
    elif isinstance(value, bool):
        why = "是布尔值"
    elif isinstance(value, int):
        why = f"超出 ±{_MAX_SAFE_INT}（严格的 JSON 解析器无法准确读取）"
    elif isinstance(value, Decimal):
        why = f"是小数 {strictjson.shorten(str(value))}"
    else:
        why = "是数组或对象"
    raise _LineError("invalid_id", f"id {why}；id 应为字符串或整数。")


def _valid_turns(value: Any, given_id: Any, limits: BatchLimits) -> list[str]:
    """The turns when they are a non-empty list of answerable questions within the limits."""
    def refuse(code: str, message: str) -> _LineError:
        return _LineError(code, message, given_id)

    if value is None:
        raise refuse("invalid_turns", "缺少 turns（问题列表），如 \"turns\": [\"算力券最多补贴多少？\"]。")
    if not isinstance(value, list) or not value:
        raise refuse("invalid_turns", "turns 应为非空的字符串列表，如 [\"算力券最多补贴多少？\"]。")
    if len(value) > limits.turns:
        raise refuse("too_many_turns", f"turns 有 {len(value)} 轮，超过每个会话 {limits.turns} 轮的上限。")
    for i, turn in enumerate(value):
        if not isinstance(turn, str):
            raise refuse("invalid_turns", f"turns[{i}] 应为字符串（问题文本）。")
        if len(turn) > limits.turn_chars:
            raise refuse("turn_too_long", f"turns[{i}] 有 {len(turn)} 个字符，超过每轮 {limits.turn_chars} 字的上限。")
        if not turn.strip():
            raise refuse("invalid_turns", f"turns[{i}] 是空白的，没有问题可答。")
        if strictjson.lone_surrogate_path(turn) is not None:
            raise refuse("invalid_turns", f"turns[{i}] 含有单独的代理字符（如 \\ud800），不是有效的文本。")
    return value


def _error(given_id: Any, number: int, code: str, message: str) -> dict[str, Any]:
    return {"id": given_id, "line": number, "error": {"code": code, "message": message}}


def _flag_duplicate(payload: dict[str, Any], first_seen: dict[int, int], capacity: int, summary: Summary) -> None:
    """Mark a line whose id an earlier line already used; ids are remembered as 8-byte digests (bounded memory)."""
    if payload["id"] is None:
        return
    key = int.from_bytes(hashlib.blake2b(json.dumps(payload["id"]).encode(), digest_size=8).digest(), "big")
    first = first_seen.get(key)
    if first is None:
        if len(first_seen) < capacity:
            first_seen[key] = payload["line"]
        return
    summary.duplicates += 1
    payload["warnings"] = [{"code": "duplicate_id", "message": f"id 与第 {first} 行相同；两行都已处理。"}]
