"""Strict JSON for the doors that read streams and files: ``jxai ask --jsonl``, profiles, eval case files.

``json.loads`` alone accepts what strict parsers refuse (NaN, Infinity, lone surrogates, duplicate keys), reads
``1.5`` as a binary float, and recurses without limit: a line nested 100,000 deep raises RecursionError. Here a line
is bounded in bytes while it is read, and in nesting depth and number of items before it is parsed; numbers with a
point or an exponent become ``Decimal``; every problem is a :class:`StrictJSONError` with a stable ``code`` and a
Chinese ``message``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Iterator

#: Deepest nesting accepted. Every document this package reads needs at most 4 levels.
MAX_DEPTH = 20
#: Most arrays, objects and strings in one JSON text: a conversation of 20,000 turns still gets its own clear error
#: (too many turns), while the Python objects a text can make stay a few MB.
MAX_ITEMS = 50_000
#: Python refuses to read integers longer than this (sys.int_info.default_max_str_digits); refuse them first.
_MAX_INT_DIGITS = 4300
_BOM = "\ufeff"
# A string or a bracket. The closing quote is optional so that an unterminated string ends the scan instead of making
# the regex retry from every later quote (which would take quadratic time on a hostile line).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class StrictJSONError(ValueError):
    """Input that strict JSON reading refuses; ``code`` is stable (for scripts), ``message`` is Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Line:
    """One line of a stream: its 1-based ``number`` and either its ``text`` (without the newline) or an ``error``."""

    number: int
    text: str | None = None
    error: StrictJSONError | None = None


def read_lines(stream: BinaryIO, max_bytes: int) -> Iterator[Line]:
    """Yield the lines of a binary stream one at a time, decoded as UTF-8; a leading BOM is dropped.

    Memory holds one line of at most ``max_bytes`` bytes: the rest of a longer line is read in chunks and dropped,
    and the line is reported as ``line_too_long``. Bytes that are not UTF-8 give ``invalid_utf8`` for that line only.
    """
    number = 0
    while True:
        raw = stream.readline(max_bytes + 2)  # room for "\r\n" after a line of exactly max_bytes
        if not raw:
            return
        number += 1
        body = raw[:-1] if raw.endswith(b"\n") else raw
        body = body[:-1] if body.endswith(b"\r") else body
        if len(body) > max_bytes:
            size = len(body) if raw.endswith(b"\n") else len(body) + _skip_rest(stream)
            yield Line(number, error=StrictJSONError(
                "line_too_long", f"这一行有 {size} 字节，超过了每行 {max_bytes} 字节的上限。"))
            continue
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Line(number, error=StrictJSONError(
                "invalid_utf8", f"这一行不是 UTF-8 编码的文本（第 {exc.start + 1} 字节无法解码）。"))
            continue
        yield Line(number, text=text.removeprefix(_BOM))


def _skip_rest(stream: BinaryIO) -> int:
    """Read and drop the rest of the current line; return how many bytes it had (the newline not counted)."""
    skipped = 0
    while chunk := stream.readline(1 << 16):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk.rstrip(b"\r\n"))
        skipped += len(chunk)
    return skipped


def shape(text: str, depth_limit: int | None = None, item_limit: int | None = None) -> tuple[int, int]:
    """(nesting depth, number of arrays, objects and strings) of JSON text, by a cheap scan that ignores brackets
    inside strings; it stops counting once past either limit.

    Both are known before ``json.loads`` runs: it recurses once per level (100,000 levels raise RecursionError), and
    each item becomes a Python object (a 1 MB line of ``{},`` makes 333,000 dicts, some 30 MB). The scan visits one
    token at a time, so it allocates nothing that grows with the text (``re.sub`` would build a list of every piece).
    """
    depth = deepest = items = 0
    for token in _TOKEN.finditer(text):
        char = text[token.start()]
        if char in "]}":
            depth -= 1
            continue
        items += 1
        if char != '"':
            depth += 1
            deepest = max(deepest, depth)
        if depth_limit is not None and deepest > depth_limit or item_limit is not None and items > item_limit:
            break
    return deepest, items


def _reject_constant(name: str) -> Any:
    raise StrictJSONError("invalid_json", f"不是标准 JSON：含有 {name}（标准 JSON 没有 NaN/Infinity）。")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
        raise StrictJSONError("invalid_json", f"数字过长（超过 {_MAX_INT_DIGITS} 位）。")
    return int(digits)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # a strict reader cannot tell which of two values was meant
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJSONError("invalid_json", f"键“{shorten(key)}”出现了不止一次。")
            seen.add(key)
    return result


def loads(text: str, *, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS,
          allow_lone_surrogates: bool = False) -> Any:
    """Parse JSON text strictly: depth ≤ ``max_depth``, at most ``max_items`` arrays, objects and strings, no
    NaN/Infinity, unique keys, and numbers with a point or an exponent as ``Decimal``.

    A lone surrogate (``"\\ud800"``, which no UTF-8 output can carry) is refused with the place it occurs, unless
    ``allow_lone_surrogates`` (the caller then checks the fields it uses with :func:`lone_surrogate_path`).
    """
    text = text.removeprefix(_BOM)
    depth, items = shape(text, max_depth, max_items)
    if depth > max_depth:
        raise StrictJSONError("too_deep", f"嵌套超过 {max_depth} 层。")
    if items > max_items:
        raise StrictJSONError("too_many_items", f"数组、对象和字符串共 {items} 个，超过了 {max_items} 个的上限。")
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=_parse_int, parse_constant=_reject_constant,
                           object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise StrictJSONError("invalid_json", f"不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。") \
            from None
    # Valid UTF-8 text holds no surrogates, so only a \uD8xx-style escape can bring one in: skip the walk otherwise.
    if not allow_lone_surrogates and (_SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text)):
        where = lone_surrogate_path(value)
        if where is not None:
            raise StrictJSONError("invalid_unicode", f"{where or '取值'}含有单独的代理字符（如 \\ud800），不是有效的 Unicode 文本。")
    return value


def lone_surrogate_path(value: Any, path: str = "") -> str | None:
    """Where in a parsed value a string or key holds a lone surrogate (``turns[1]``, ``expect.contains``), else None."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = lone_surrogate_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if _SURROGATE.search(key):
                return f"{path} 的键名" if path else "键名"
            found = lone_surrogate_path(item, where)
            if found is not None:
                return found
    return None


def dumps_line(value: Any) -> bytes:
    """One line of strict JSON as UTF-8 bytes, newline included: no NaN/Infinity, no lone surrogates.

    Raises :class:`StrictJSONError` (``unencodable``) when ``value`` cannot be written so.
    """
    try:
        return (json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise StrictJSONError("unencodable", f"结果无法写成标准 JSON（{type(exc).__name__}）。") from None


def read_text(path: Path, max_bytes: int) -> str:
    """A small text file (a profile), read as UTF-8 with an optional BOM; never more than ``max_bytes`` bytes.

    Raises :class:`StrictJSONError`: ``unreadable`` (missing, a directory, no permission), ``too_large``,
    ``invalid_utf8``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise StrictJSONError("unreadable", f"无法读取文件：{exc.strerror or exc}。") from None
    if len(data) > max_bytes:
        raise StrictJSONError("too_large", f"文件超过 {max_bytes} 字节的上限。")
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StrictJSONError("invalid_utf8", f"第 {line} 行不是 UTF-8 编码的文本。") from None


def shorten(text: str, limit: int = 40) -> str:
    """Text to quote in a message: at most ``limit`` characters, lone surrogates shown as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 字）"
