"""Strict JSON reading for the batch and file doors: bounded lines, bounded depth, no NaN, no lone surrogates."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from jxai_assistant.strictjson import (StrictJSONError, dumps_line, lone_surrogate_path, loads, read_lines, read_text,
                                       shape)


def _lines(data: bytes, max_bytes: int = 100) -> list[tuple[int, str | None, str | None]]:
    lines = read_lines(io.BytesIO(data), max_bytes)
    return [(line.number, line.text, line.error and line.error.code) for line in lines]


def test_lines_are_numbered_from_1_without_their_newlines_and_a_bom_is_dropped():
    assert _lines(b'\xef\xbb\xbf{"a": 1}\r\nsecond\n\nlast') == [
        (1, '{"a": 1}', None), (2, "second", None), (3, "", None), (4, "last", None)]


def test_a_line_over_the_byte_limit_is_an_error_and_the_next_line_is_read_whole():
    lines = list(read_lines(io.BytesIO(b"x" * 250 + b"\nnext\n" + b"y" * 10), 100))
    assert [(line.number, line.text) for line in lines] == [(1, None), (2, "next"), (3, "y" * 10)]
    assert lines[0].error.code == "line_too_long" and "250 字节" in lines[0].error.message


def test_a_line_of_exactly_the_limit_is_read_with_either_line_ending():
    assert _lines(b"a" * 100 + b"\r\n" + b"b" * 100 + b"\n" + b"c" * 101, 100) == [
        (1, "a" * 100, None), (2, "b" * 100, None), (3, None, "line_too_long")]


def test_bytes_that_are_not_utf8_cost_only_their_own_line():
    assert _lines(b'ok\n{"id": "\xff"}\nok again\n') == [(1, "ok", None), (2, None, "invalid_utf8"),
                                                          (3, "ok again", None)]


def test_the_shape_scan_counts_depth_and_items_outside_strings_only():
    assert shape('{"turns": ["[[[[{{", "a\\"]]"]}') == (2, 5)  # an object, a list, a key and two strings
    assert shape("[" * 100_000, depth_limit=20)[0] == 21  # the depth scan stops once past the limit
    assert shape('"unterminated [[[') == (0, 1)


def test_an_unterminated_string_full_of_escaped_quotes_is_scanned_in_linear_time():
    import time

    start = time.perf_counter()
    shape('["' + '\\"' * 200_000)
    assert time.perf_counter() - start < 2  # a backtracking scan takes minutes on this line


@pytest.mark.parametrize("text, code", [
    ("[" * 100_000 + "]" * 100_000, "too_deep"),
    ("[" + "{}," * 50_000 + "{}]", "too_many_items"),
    ("[NaN]", "invalid_json"),
    ('{"x": -Infinity}', "invalid_json"),
    ('{"id": 1, "id": 2}', "invalid_json"),
    ("[" + "9" * 5000 + "]", "invalid_json"),
    ("{'id': 1}", "invalid_json"),
    ('{"turns": ["ok", "\\ud800"]}', "invalid_unicode"),
])
def test_what_strict_parsers_refuse_is_refused_with_a_code_and_a_chinese_message(text, code):
    with pytest.raises(StrictJSONError) as err:
        loads(text)
    assert err.value.code == code
    assert any("\u4e00" <= c <= "\u9fff" for c in err.value.message)


def test_numbers_with_a_point_or_exponent_are_decimal_never_float():
    assert loads('[1.5, 1e400, 7, "\\ud83e\\udd16"]') == [Decimal("1.5"), Decimal("1e400"), 7, "🤖"]


def test_a_lone_surrogate_is_reported_where_it_is_or_left_to_the_caller():
    with pytest.raises(StrictJSONError, match=r"turns\[1\]"):
        loads('{"turns": ["ok", "\\udc00"]}')
    value = loads('{"id": "\\ud800"}', allow_lone_surrogates=True)
    assert lone_surrogate_path(value) == "id"
    assert lone_surrogate_path({"expect": {"contains": [["a", "\ud800"]]}}) == "expect.contains[0][1]"
    assert lone_surrogate_path({"ok": ["🤖", 1, None]}) is None


def test_output_lines_are_strict_json_in_utf8_or_an_error():
    assert dumps_line({"id": "甲", "n": 1}) == '{"id": "甲", "n": 1}\n'.encode()
    for value in [{"x": float("nan")}, {"x": "\ud800"}, {"x": Decimal(1)}]:
        with pytest.raises(StrictJSONError) as err:
            dumps_line(value)
        assert err.value.code == "unencodable"


def test_a_small_file_is_read_with_its_bom_and_bounded_in_size(tmp_path):
    path = tmp_path / "profile.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_text(path, 100) == '{"a": 1}'
    path.write_bytes(b"x" * 101)
    with pytest.raises(StrictJSONError, match="101|100") as err:
        read_text(path, 100)
    assert err.value.code == "too_large"
    path.write_bytes(b'{\n"a": "\xff"}')
    with pytest.raises(StrictJSONError, match="第 2 行"):
        read_text(path, 100)
    for missing in (tmp_path / "nope.json", tmp_path):
        with pytest.raises(StrictJSONError) as err:
            read_text(missing, 100)
        assert err.value.code == "unreadable"
