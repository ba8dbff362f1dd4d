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

    @field_validator("contains", mode="before")
    @classmethod
    def _single_strings_are_one_alternative(cls, value):
        # ["50万"] is read as [["50万"]]: one alternative per group is the common case.
        if isinstance(value, list):
            return [[item] if isinstance(item, str) else item for item in value]
        return value

    def sets(self, key: str) -> bool:
        """True when the case file sets ``key`` (also to null), i.e. the key is checked."""
        return key in self.model_fields_set


class EvalCase(BaseModel):
    """One gold conversation: its turns share state, the last turn's response is checked."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    turns: list[str] = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)
    kind: str | None = None
    note: str | None = None
    #: The case file's stem ("lookup" for evals/cases/lookup.jsonl); set by the loader, not by the file.
    file: str = ""


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
    """Load one JSONL case file; every clause id in ``cite_any`` must exist in the document.

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
                    cases.append(_case(line, path, known))
    except OSError as exc:
        raise CaseFileError(f"无法读取用例文件 {path}：{exc.strerror or exc}") from None
    return cases


def _case(line: strictjson.Line, path: Path, known: set[str]) -> EvalCase:
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
    unknown = [cid for cid in case.expect.cite_any or [] if cid not in known]
    if unknown:
        raise CaseFileError(f"{where}：用例 {case.id} 引用了不存在的条款 {'、'.join(unknown)}")
    return case


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
