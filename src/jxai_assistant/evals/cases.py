"""Gold eval cases (DESIGN.md "Eval case format"), loaded and validated loudly.

A case file is JSON Lines, one conversation a line. Besides the DESIGN keys a case may carry ``kind`` (what it tests,
e.g. ``injection``), ``note`` (why the expectation is what it is) and ``expect.intent``. Unknown keys, unknown clause
ids and duplicate ids are errors: a typo in a gold file must not silently turn a check off.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import strictjson
from ..document import Document, load_document
from ..response import Intent
from ..strictjson import StrictJSONError

#: Longest line of a case file; a gold case is a few hundred bytes.
MAX_LINE_BYTES = 1_000_000


class CaseFileError(ValueError):
    """A case file is missing, unreadable or holds an invalid case; the message is Chinese and names file and line."""


class Expect(BaseModel):
    """What the final turn's response must show. Every key is optional; a key set to ``null`` is checked as null."""

    model_config = ConfigDict(extra="forbid")

    cite_any: list[str] | None = Field(default=None, description="至少引用其中一个条款")
    eligible: bool | None = Field(default=None, description="与 eligible 相等（显式 null 也检查）")
    amount_yuan: int | None = Field(default=None, description="与 award_yuan 相等（显式 null 也检查）")
    out_of_scope: bool | None = Field(default=None, description="与 out_of_scope 相等")
    intent: Intent | None = Field(default=None, description="与 intent 相等")
    contains: list[list[str]] = Field(default_factory=list, description="每组至少一个出现在回答中")
    not_contains: list[str] = Field(default_factory=list, description="都不得出现在回答中")
    first_contains: list[list[str]] = Field(default_factory=list,
                                            description="每组至少一个出现在回答的第一句中（判断结论或金额是否先说）")

    @field_validator("contains", "first_contains", mode="before")
    @classmethod
    def _single_strings_are_one_alternative(cls, value):
        # ["50万"] is read as [["50万"]]: one alternative per group is the common case.
        if isinstance(value, list):
            return [[item] if isinstance(item, str) else item for item in value]
        return value

    def sets(self, key: str) -> bool:
        """True when the case file sets ``key`` (also to null), i.e. the key is checked."""
        return key in self.model_fields_set


class Turn(BaseModel):
    """One turn of a conversation with its own expectation (``{"q": "…", "expect": {…}}``)."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1)
    expect: Expect | None = None


class EvalCase(BaseModel):
    """One gold conversation: its turns share state.

    A turn is a string, or a :class:`Turn` with its own ``expect``; the case-level ``expect`` applies to the last
    turn (backward compatible). The loader expands a conversation into one checked case per expectation
    (:func:`expand_turns`), so every turn is scored by the same checks.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    turns: list[str | Turn] = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)
    kind: str | None = None
    #: Who writes like this (phone, finance, hotline, county, english …), for reports by voice.
    voice: str | None = None
    note: str | None = None
    #: The case file's stem ("lookup" for evals/cases/lookup.jsonl); set by the loader, not by the file.
    file: str = ""
    #: The conversation a checked turn belongs to (its case id); set by :func:`expand_turns`.
    conversation: str = ""

    @property
    def questions(self) -> list[str]:
        """The turns' texts, in order."""
        return [t if isinstance(t, str) else t.q for t in self.turns]


def expand_turns(case: EvalCase) -> list[EvalCase]:
    """One checked case per expectation: turn *i*'s case asks turns 1…i in a fresh conversation and checks turn *i*.

    A case without per-turn expectations is returned unchanged (one check, on its last turn). Per-turn cases get the
    id ``<id>#<turn number>``; all keep the conversation's id in ``conversation``.
    """
    questions = case.questions
    checks: list[tuple[int, Expect]] = [
        (i, t.expect) for i, t in enumerate(case.turns) if isinstance(t, Turn) and t.expect is not None
    ]
    if case.expect.model_fields_set and all(i != len(questions) - 1 for i, _ in checks):
        checks.append((len(questions) - 1, case.expect))
    if not checks or checks == [(len(questions) - 1, case.expect)]:
        return [case.model_copy(update={"turns": questions, "conversation": case.id})]
    return [
        case.model_copy(update={"id": f"{case.id}#{i + 1}", "turns": questions[: i + 1], "expect": expect,
                                "conversation": case.id})
        for i, expect in sorted(checks, key=lambda pair: pair[0])
    ]


def case_files(paths: list[Path]) -> list[Path]:
    """Expand paths (files or directories of ``*.jsonl``) into a sorted list of case files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                raise CaseFileError(f"目录中没有用例文件（*.jsonl）：{path}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise CaseFileError(f"用例文件不存在：{path}")
    return files


def load_case_file(path: Path, document: Document | None = None) -> list[EvalCase]:
    """Load one JSONL case file (conversations with per-turn expectations expanded, see :func:`expand_turns`);
    every clause id in ``cite_any`` must exist in the document.

    Lines are read strictly (strictjson): a BOM is accepted; NaN, lone surrogates, deep nesting, over-long lines and
    bytes that are not UTF-8 are errors naming the file, the line and, where there is one, the field.
    """
    document = document or load_document()
    known = set(document.ids())
    cases: list[EvalCase] = []
    try:
        with path.open("rb") as stream:
            for line in strictjson.read_lines(stream, MAX_LINE_BYTES):
                if line.text is None or line.text.strip():
                    cases.extend(_cases(line, path, known))
    except OSError as exc:
        raise CaseFileError(f"无法读取用例文件 {path}：{exc.strerror or exc}") from None
    return cases


def _cases(line: strictjson.Line, path: Path, known: set[str]) -> list[EvalCase]:
    where = f"{path}:{line.number}"
    if line.error is not None:
        raise CaseFileError(f"{where}：{line.error.message}")
    try:
        data = strictjson.loads(line.text or "")
    except StrictJSONError as exc:
        raise CaseFileError(f"{where}：{exc.message}") from None
    if not isinstance(data, dict):
        raise CaseFileError(f"{where}：每行应为一个 JSON 对象")
    try:
        case = EvalCase.model_validate({**data, "file": path.stem})
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc'])) or '用例'}: {e['msg']}" for e in exc.errors())
        raise CaseFileError(f"{where}：用例格式错误（{problems}）") from None
    checked = expand_turns(case)
    for one in checked:
        unknown = [cid for cid in one.expect.cite_any or [] if cid not in known]
        if unknown:
            raise CaseFileError(f"{where}：用例 {one.id} 引用了不存在的条款 {'、'.join(unknown)}")
    return checked


def load_cases(paths: list[Path], document: Document | None = None) -> list[EvalCase]:
    """Load every case from files/directories; case ids must be unique across all of them."""
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    for path in case_files(paths):
        for case in load_case_file(path, document):
            if case.id in seen:
                raise CaseFileError(f"用例编号重复：{case.id}（{seen[case.id]} 与 {path}）")
            seen[case.id] = str(path)
            cases.append(case)
    if not cases:
        raise CaseFileError("没有可运行的用例")
    return cases
