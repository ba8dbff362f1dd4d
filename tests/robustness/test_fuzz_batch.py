"""Fuzzing the batch door: generated hostile lines mixed with good ones. Every input line gets exactly one output
line, in order; every good line is answered with its id; every hostile line gets an error line with its number;
every output line parses with a strict parser (orjson: no NaN/Infinity, valid UTF-8, no lone surrogates)."""

from __future__ import annotations

import io
import json

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jxai_assistant.assistant import Assistant
from jxai_assistant.cli.batch import BatchLimits, run_batch

from .hostile import BUDGET, DOMAIN, SURROGATES, any_text

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Small turn limits, so that too many and too long turns are generated cheaply; good lines stay well inside them.
# Lines may be long enough for a line nested 100,000 deep to reach the depth check.
LIMITS = BatchLimits(line_bytes=250_000, turns=3, turn_chars=60)

good_id = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1),
    st.none(),
)


@st.composite
def good_lines(draw) -> tuple[bytes, object]:
    """A conversation line the batch must answer, written the ways scripts write JSON."""
    item = {"turns": draw(st.lists(st.sampled_from(DOMAIN), min_size=1, max_size=2))}
    given_id = draw(good_id)
    if given_id is not None or draw(st.booleans()):
        item["id"] = given_id
    if draw(st.booleans()):
        item["extra"] = draw(st.sampled_from([[1, 2], {"note": "评测"}, "x"]))  # unknown keys are ignored
    text = json.dumps(item, ensure_ascii=draw(st.booleans()), indent=None)
    return text.encode(), given_id


bad_id = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "1.5", "true", "[1]", '{"a": 1}', "9007199254740992",
                          "-1" + "0" * 30] + [json.dumps(s) for s in SURROGATES])  # fmt: skip
bad_turns = st.sampled_from(['"q"', "[]", "[1]", '["  "]', "null", '[["q"]]', '["\\ud800"]', '["a", "\\udfff"]',
                             json.dumps(["支持政策第七条"] * 4), json.dumps(["算" * 61])])  # fmt: skip
deep = st.integers(min_value=LIMITS.depth + 1, max_value=100_000).map(lambda n: "[" * n + "]" * n)
raw_garbage = st.binary(max_size=300).map(lambda b: b.replace(b"\n", b" "))


@st.composite
def hostile_lines(draw) -> bytes:
    """A line the batch cannot answer: bad JSON, bad bytes, bad ids, bad turns, too deep, too long, blank."""
    kind = draw(st.integers(min_value=0, max_value=8))
    if kind == 0:
        return draw(raw_garbage) + b"\x00{"  # never a complete JSON object
    if kind == 1:
        return ('{"id": %s, "turns": ["支持政策第七条"]}' % draw(bad_id)).encode()
    if kind == 2:
        return ('{"id": "t", "turns": %s}' % draw(bad_turns)).encode()
    if kind == 3:
        return ('{"id": 1, "turns": %s}' % draw(deep)).encode()
    if kind == 4:
        return b'{"id": "long", "turns": ["q"]}' + b" " * LIMITS.line_bytes
    if kind == 5:
        return draw(st.sampled_from([b"", b"   ", b"\t", b"[]", b"1", b"null", b'"x"', b"{}"]))
    if kind == 6:  # text with lone surrogates can only reach the batch as bytes that are not UTF-8
        text = draw(any_text.filter(lambda t: "\n" not in t))
        return ('{"id": "%s"}\udc80' % text).encode("utf-8", "surrogatepass")
    if kind == 7:
        return b'{"id": 1, "id": 2, "turns": ["q"]}'
    return ('{"id": "x", "turns": ["支持政策第七条"], "k": %s}' % draw(st.sampled_from(["NaN", "-Infinity"]))).encode()


line = st.one_of(good_lines().map(lambda g: ("good", g)), hostile_lines().map(lambda h: ("hostile", h)))


@pytest.fixture(scope="module")
def assistant():
    return Assistant()


@settings(max_examples=BUDGET["batch_door"], **FUZZ)
@given(lines=st.lists(line, min_size=1, max_size=8), bom=st.booleans(), crlf=st.booleans(), fail_fast=st.booleans())
@example(lines=[("good", (b'{"id": "a", "turns": ["q"]}', "a")),
                ("hostile", b'{"id": "\\ud800", "turns": ["q"]}'),
                ("hostile", b'{"id": 1, "turns": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")],
         bom=True, crlf=False, fail_fast=False)
def test_every_good_line_is_answered_and_every_output_line_is_strict_json(assistant, lines, bom, crlf, fail_fast):
    ending = b"\r\n" if crlf else b"\n"
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join((g[0] if kind == "good" else g) + ending for kind, g in lines)
    out = io.BytesIO()
    summary = run_batch(io.BytesIO(data), out, assistant, fail_fast=fail_fast, limits=LIMITS)

    rows = [orjson.loads(row) for row in out.getvalue().splitlines()]
    expected = len(lines)
    if fail_fast and any(kind == "hostile" for kind, _ in lines):
        expected = next(i for i, (kind, _) in enumerate(lines, 1) if kind == "hostile")
    assert [row["line"] for row in rows] == list(range(1, expected + 1))
    for row, (kind, value) in zip(rows, lines):
        if kind == "good":
            assert "response" in row and row["id"] == value[1], row
        else:
            assert set(row) >= {"id", "line", "error"} and row["error"]["message"], row
            assert row["error"]["code"] != "internal_error", row  # an internal error is a bug, not a refusal
    assert summary.answered == sum(kind == "good" for kind, _ in lines[:expected])
    assert summary.ok == all(kind == "good" for kind, _ in lines)
