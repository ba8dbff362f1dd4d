"""Fact declarations: ``corpus/facts.yaml`` loaded and validated, the one place a fact is defined.

The calculator's fact model, the clarification questions, the extractor's signal words, the form's groups and the
dialogue's tables (which facts are quantities, which point to which policy, which carry over a topic change) are all
derived from these declarations. A bad declaration raises :class:`FactDeclarationError` naming the file and the key,
so that start-up stops instead of a user's answer going wrong.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .paths import corpus_dir

FACTS_FILENAME = "facts.yaml"
FactType = Literal["money", "percent", "bool", "choice", "choices", "date"]
Scope = Literal["enterprise", "project", "product", "assessment"]


class FactDeclarationError(ValueError):
    """``corpus/facts.yaml`` does not load: the message names the file and the offending key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"正则表达式无法编译（{exc}）：{pattern!r}") from None
    return pattern


class Signal(_Strict):
    """Words that state a bool or choice fact: a regular expression and the value it states.

    ``value: level`` reads the level from the words (named group ``lvl``) or just around them. ``generic`` signals are
    read after every specific phrase has been masked ("5G全连接工厂" must not make a manufacturer).
    """

    pattern: str
    value: Union[bool, str]
    generic: bool = False

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, pattern: str) -> str:
        return _compiles(pattern)


class FormPlace(_Strict):
    """Where a fact sits on the 补贴测算 form."""

    group: str
    label: Optional[str] = None
    help: Optional[str] = None


class FactDeclaration(_Strict):
    """One fact, as declared in ``corpus/facts.yaml`` (see the file's header for each key)."""

    name: str
    type: FactType
    scope: Scope
    label: str
    question: str
    form: FormPlace
    topic: Optional[str] = None
    values: dict[str, str] = {}
    aliases: dict[str, str] = {}
    measure: Optional[str] = None
    year: Optional[Literal["this", "last", "any"]] = None
    growth: bool = False
    negatable: bool = False
    strict_negation: bool = False
    pending_none: bool = False
    quantity: bool = False
    carry_over: bool = False
    recognition: bool = False
    signals: list[Signal] = []

    @model_validator(mode="after")
    def _consistent(self) -> "FactDeclaration":
        enumerated = self.type in ("choice", "choices")
        if enumerated and not self.values:
            raise ValueError("values: 枚举事实（choice/choices）必须列出取值")
        if not enumerated and (self.values or self.aliases):
            raise ValueError("values: 只有枚举事实（choice/choices）才有取值")
        if bad := [v for v in self.aliases.values() if v not in self.values]:
            raise ValueError(f"aliases: 别名指向未声明的取值 {bad}")
        if self.recognition and (self.type not in ("bool", "choice", "choices") or not self.topic):
            raise ValueError("recognition: 只有带 topic 的是否/枚举事实才是一项认定")
        if self.pending_none and "none" not in self.values:
            raise ValueError("pending_none: 需要取值 none（尚未认定）")
        if self.measure is not None and self.type not in ("money", "percent"):
            raise ValueError("measure: 只有金额和百分比事实才有计量对象")
        if self.type == "money" and self.measure is None:
            raise ValueError("measure: 金额事实必须说明计量对象（measures 中的一项）")
        if self.growth and self.type != "percent":
            raise ValueError("growth: 只有百分比事实才能是增速")
        for signal in self.signals:
            if self.type == "bool" and not isinstance(signal.value, bool):
                raise ValueError(f"signals: 布尔事实的取值应为 true/false，而不是 {signal.value!r}")
            if enumerated and signal.value != "level" and signal.value not in self.values:
                raise ValueError(f"signals: 取值 {signal.value!r} 不在 values 中")
        if self.topic is not None and not re.fullmatch(r"三\.(?:[1-9]|10)", self.topic):
            raise ValueError(f"topic: {self.topic!r} 不是支持政策编号（三.1–三.10）")
        return self


class Measure(_Strict):
    """What an amount measures, and the words that give a figure that role."""

    words: list[str]
    label: Optional[str] = None
    #: Figures of this measure under different words add up ("智算50万、超算30万" is 80万 of 智算/超算 spending).
    additive: bool = False

    @field_validator("words")
    @classmethod
    def _patterns(cls, words: list[str]) -> list[str]:
        return [_compiles(w) for w in words]


class FormGroup(_Strict):
    title: str
    open: bool


class Declarations(_Strict):
    """Every declared fact (in file order), the measures and the form groups."""

    version: Literal[1]
    #: The largest count a message may give for one award ("3个产品…"); beyond it, a typo rather than an enterprise.
    max_quantity: int
    form_groups: list[FormGroup]
    measures: dict[str, Measure]
    facts: dict[str, FactDeclaration]

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        # The name is the mapping key; it is copied in so that a declaration is complete on its own.
        if isinstance(data, dict) and isinstance(data.get("facts"), dict):
            data = {**data, "facts": {k: ({**v, "name": k} if isinstance(v, dict) else v)
                                      for k, v in data["facts"].items()}}
        return data

    @model_validator(mode="after")
    def _references(self) -> "Declarations":
        groups = {g.title for g in self.form_groups}
        for name, fact in self.facts.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"facts.{name}: 事实名只能用小写字母、数字和下划线")
            if fact.form.group not in groups:
                raise ValueError(f"facts.{name}.form.group: “{fact.form.group}”不在 form_groups 中")
            if fact.measure is not None and fact.measure not in self.measures:
                raise ValueError(f"facts.{name}.measure: “{fact.measure}”不在 measures 中")
        return self

    # -- derived views ------------------------------------------------------------------------------------------
    def of_type(self, *types: str) -> tuple[str, ...]:
        """Names of the facts of the given types, in declaration order."""
        return tuple(n for n, f in self.facts.items() if f.type in types)

    def topics(self) -> dict[str, str]:
        """Fact → the support policy it points to when a question names none."""
        return {n: f.topic for n, f in self.facts.items() if f.topic}

    def recognitions(self) -> tuple[str, ...]:
        """Facts that name a recognition, honour or pilot held (一个认定): in a correction or a what-if, another one of
        the same policy replaces it ("说错了，是省级云上企业")."""
        return tuple(n for n, f in self.facts.items() if f.recognition)

    def carried_over(self) -> tuple[str, ...]:
        """Facts that survive a change of topic (the enterprise's standing, not one project's figures)."""
        return tuple(n for n, f in self.facts.items() if f.carry_over)

    def by_measure(self, measure: str) -> dict[str, str]:
        """For one measure: {"this": fact, "last": fact, "any": fact, "growth": fact} as declared."""
        out: dict[str, str] = {}
        for name, fact in self.facts.items():
            if fact.measure == measure:
                out["growth" if fact.growth else (fact.year or "this")] = name
        return out


def _format(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"] if p not in ("function-after",)) or "（顶层）"
        parts.append(f"{key}: {err['msg'].removeprefix('Value error, ')}")
    return f"{path.name}: " + "；".join(parts)


def load_declarations_file(path: Path) -> Declarations:
    """Load and validate one declarations file; raise :class:`FactDeclarationError` naming the file and key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FactDeclarationError(f"{path.name}: 无法读取事实声明文件（{type(exc).__name__}: {exc}）") from None
    except yaml.YAMLError as exc:
        raise FactDeclarationError(f"{path.name}: YAML 语法错误：{exc}") from None
    if not isinstance(data, dict):
        raise FactDeclarationError(f"{path.name}: 顶层应为映射（version, form_groups, measures, facts）")
    try:
        return Declarations.model_validate(data)
    except ValidationError as exc:
        raise FactDeclarationError(_format(path, exc)) from None


@cache
def _load(path: Path) -> Declarations:
    return load_declarations_file(path)


def declarations() -> Declarations:
    """The fact declarations of the corpus in use (loaded once per path)."""
    return _load(corpus_dir() / FACTS_FILENAME)


__all__ = ["Declarations", "FactDeclaration", "FactDeclarationError", "FACTS_FILENAME", "Measure", "Signal",
           "declarations", "load_declarations_file"]
