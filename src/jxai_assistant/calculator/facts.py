"""Enterprise facts: the vocabulary shared by the calculator, fact extraction, the CLI and clarification questions.

Every fact is optional: ``None`` means *unknown*, which the calculator keeps apart from ``False`` / ``0`` (known).
Each field carries a Chinese description (``label``) and the question to ask when it is missing.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator, model_validator

from ..numbers import parse_amount, parse_percent
from ..strictjson import StrictJSONError, loads as strict_loads, shorten
from ..declarations import FactDeclaration, declarations


class FactsError(ValueError):
    """Facts that cannot be used (unknown name, unparsable or negative value); ``message`` is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


#: The largest amount a user may state (1000万亿元): above any enterprise's figure, and small enough that every step of
#: a calculation stays exact in Decimal's 28 significant digits (10^40 yuan made the calculator crash).
MAX_YUAN = Decimal("1E15")
_FEN = Decimal("0.01")
#: The largest growth a user may state, in percentage points (a ten-thousandfold rise).
MAX_POINTS = Decimal("1E6")
_NOT_YET = "尚未认定"  # the label of `none`: a recognition applied for but not (yet) granted (a known "no")

# Python types of the declared fact types; money is Decimal ≥ 0 (never float).
_PY_TYPES: dict[str, Any] = {"money": Decimal, "percent": Decimal, "bool": bool, "date": date}
_KINDS = {"money": "yuan", "percent": "percent", "bool": "bool", "choice": "choice", "choices": "choices",
          "date": "date"}


class _FactsBase(BaseModel):
    """Validators shared by every fact model; the fields themselves come from ``corpus/facts.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        # Binary floats would smuggle rounding errors into money; amounts come as int, Decimal or text.
        if isinstance(value, float):
            raise ValueError("不接受浮点数，请用整数、Decimal 或文本（如 \"120万\"）")
        return value

    #: How many products (or recognitions) hold an award, where more than one: "fact.value" or "fact" → count.
    quantities: dict[str, int] = Field(default_factory=dict, description="数量：不止一个产品获得同一认定时的个数")
    #: Awards held by products other than the one the other awards are for ("另有2个产品…", "另一款产品…").
    separate: list[str] = Field(default_factory=list, description="属于另外产品的认定（与其他认定不是同一产品）")

    @model_validator(mode="after")
    def _counted_facts_are_declared(self) -> "_FactsBase":
        for key in [*self.quantities, *self.separate]:
            name = key.split(".", 1)[0]
            decl = declarations().facts.get(name)
            if decl is None or not decl.quantity:
                raise ValueError(f"数量只能用于可计数的事实（corpus/facts.yaml 中 quantity: true），而不是“{key}”")
        limit = declarations().max_quantity
        if any(not 1 <= n <= limit for n in self.quantities.values()):
            raise ValueError(f"数量应在 1 到 {limit} 之间")
        return self

    @model_validator(mode="after")
    def _within_range(self) -> "_FactsBase":
        # The bounds every door applies (facts_from_mapping's _check_range), also for facts read from a
        # conversation: an absurd figure is refused here, before any Decimal arithmetic meets it.
        decl = declarations()
        for name, fact in decl.facts.items():
            value = getattr(self, name, None)
            if value is None or fact.type not in ("money", "percent"):
                continue
            limit = MAX_YUAN if fact.type == "money" else MAX_POINTS
            if not Decimal(value).is_finite() or abs(Decimal(value)) > limit:
                raise ValueError(f"{fact.label}的数值 {shorten(str(value))} 超出了可能的范围，请核对数值和单位")
        return self

    @model_validator(mode="after")
    def _land_within_investment(self) -> "_FactsBase":
        land, investment = getattr(self, "land_cost_yuan", None), getattr(self, "investment_yuan", None)
        if land is not None and investment is not None and land > investment:
            raise ValueError("土地款不能大于项目投资额")
        return self


def _field(decl: FactDeclaration) -> tuple[Any, Any]:
    if decl.type in ("choice", "choices"):
        inner: Any = Literal[tuple(decl.values)]  # type: ignore[valid-type]
        annotation: Any = list[inner] if decl.type == "choices" else inner
    else:
        annotation = _PY_TYPES[decl.type]
    extra: dict[str, Any] = {"question": decl.question}
    if decl.values:
        extra["labels"] = dict(decl.values)
    bounds = {"ge": 0} if decl.type == "money" else {}
    return Optional[annotation], Field(default=None, description=decl.label, json_schema_extra=extra, **bounds)


def _build_model() -> type[BaseModel]:
    fields = {name: _field(decl) for name, decl in declarations().facts.items()}
    if clash := set(fields) & set(_FactsBase.model_fields):
        raise ValueError(f"corpus/facts.yaml: facts: 事实名 {sorted(clash)} 与保留字段重名")
    model = create_model("EnterpriseFacts", __base__=_FactsBase, **fields)  # type: ignore[call-overload]
    model.__doc__ = "What is known about one enterprise (and its one project / product). ``None`` = unknown."
    return model


#: The calculator's fact model, built from the declarations in ``corpus/facts.yaml``.
EnterpriseFacts = _build_model()
#: The declared facts, in declaration order (the model also has ``quantities`` and ``separate``, which are counts).
FACT_NAMES: tuple[str, ...] = tuple(declarations().facts)
_COUNTS = ("quantities", "separate")
_POINTS = re.compile(r"-?\d+(?:\.\d+)?")
_TRUE = {"true", "yes", "y", "1", "是", "对", "有", "属于", "t"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "没有", "无", "不属于", "f"}


def fact_label(name: str) -> str:
    """Return the Chinese description of a fact."""
    return EnterpriseFacts.model_fields[name].description or name


def fact_question(name: str) -> str:
    """Return the Chinese clarification question for a fact."""
    return _extra(name)["question"]


def fact_value_labels(name: str) -> dict[str, str]:
    """Return Chinese labels of an enumerated fact's values ({} for other facts)."""
    return dict(_extra(name).get("labels", {}))


def _extra(name: str) -> dict[str, Any]:
    extra = EnterpriseFacts.model_fields[name].json_schema_extra
    return extra if isinstance(extra, dict) else {}


def fact_kind(name: str) -> str:
    """Return the fact's kind: ``yuan``, ``percent``, ``bool``, ``choice``, ``choices`` or ``date`` (as declared)."""
    return _KINDS[declarations().facts[name].type]


def fact_choices(name: str) -> list[str]:
    """Return the allowed values of an enumerated fact (``choice`` or ``choices``), else []."""
    return list(declarations().facts[name].values)


def _unknown(name: str) -> FactsError:
    return FactsError(f"未知的事实名“{shorten(name)}”。可用的事实名：{'、'.join(n for n in FACT_NAMES)}（用 jxai facts 查看说明）。")


def _choice(name: str, text: str) -> str:
    choices = fact_choices(name)
    if text in choices:
        return text
    for value, label in fact_value_labels(name).items():
        if text in {label, label.strip("“”"), label.removesuffix("项目")}:
            return value
    aliases = declarations().facts[name].aliases
    if text in aliases:
        return aliases[text]
    shown = "、".join(f"{v}（{fact_value_labels(name).get(v, v)}）" for v in choices)
    raise FactsError(f"{name}（{fact_label(name)}）的取值“{shorten(text)}”无法识别，可选：{shown}。")


def parse_fact_value(name: str, text: str) -> Any:
    """Parse one fact from text as typed on the CLI or written in a profile ("120万", "是", "national", "国家级")."""
    if name not in FACT_NAMES:
        raise _unknown(name)
    text = text.strip()
    kind = fact_kind(name)
    try:
        if kind == "yuan":
            return parse_amount(text)
        if kind == "percent":
            # A bare number is already in percentage points ("12" = 12%), as the field is defined.
            return Decimal(text) if _POINTS.fullmatch(text) else parse_percent(text)
    except ValueError as exc:
        raise FactsError(f"{name}（{fact_label(name)}）的取值“{shorten(text)}”无法解析：{shorten(str(exc))}") from None
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise FactsError(f"{name}（{fact_label(name)}）应为 是/否（true/false），而不是“{shorten(text)}”。")
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise FactsError(f"{name}（{fact_label(name)}）应为日期，如 2026-05-01，而不是“{shorten(text)}”。") from None
    if kind == "choices":
        return [_choice(name, part) for part in re.split(r"[,，、;；]\s*", text) if part]
    return _choice(name, text)


def facts_from_mapping(data: dict[str, Any]) -> EnterpriseFacts:
    """Build facts from a mapping of names to values; text values go through :func:`parse_fact_value`.

    Raises :class:`FactsError` (Chinese message) on unknown names, floats, negative or out-of-range amounts, or
    unparsable values.
    """
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in _COUNTS:
            values[name] = value  # validated by the model
            continue
        if name not in FACT_NAMES:
            raise _unknown(name)
        if isinstance(value, str):
            value = parse_fact_value(name, value)
        elif isinstance(value, list) and fact_kind(name) == "choices":
            value = [_choice(name, str(v)) for v in value]
        _check_range(name, value)
        values[name] = value
    try:
        return EnterpriseFacts(**values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            reason = "金额不能为负数" if err["type"] == "greater_than_equal" else err["msg"].removeprefix("Value error, ")
            if not err["loc"]:  # a check across facts (土地款 ≤ 投资额)
                problems.append(reason)
                continue
            name = str(err["loc"][0])
            label = fact_label(name) if name in EnterpriseFacts.model_fields else name
            problems.append(f"{name}（{label}）：{reason}（收到 {shorten(repr(err.get('input')))}）")
        raise FactsError("事实取值无效：" + "；".join(problems)) from None


def _check_range(name: str, value: Any) -> None:
    """Refuse numbers no enterprise can have, before the calculator meets them."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return
    number, kind = Decimal(value), fact_kind(name)
    where, shown = f"{name}（{fact_label(name)}）", shorten(str(value))
    if not number.is_finite():
        raise FactsError(f"{where}的取值 {shown} 不是有限的数。")
    if kind == "percent" and abs(number) > MAX_POINTS:
        raise FactsError(f"{where}的 {shown} 个百分点超出了可能的范围，请核对（12 表示 12%）。")
    if kind != "yuan" or number < 0:  # a negative amount: the model's own check says 金额不能为负数
        return
    if number > MAX_YUAN:
        raise FactsError(f"{where}的金额 {shown} 元超过了 1000万亿元，请核对数值和单位。")
    if number != number.quantize(_FEN):
        raise FactsError(f"{where}的金额 {shown} 元精确到了分以下，请写到元或分（如 1200000、12.5万）。")


def facts_from_json(text: str) -> EnterpriseFacts:
    """Build facts from a JSON object (a profile file or request body), read strictly (strictjson.loads): numbers
    are read as Decimal, never float; NaN, lone surrogates, duplicate keys and deep nesting are refused.

    Raises :class:`FactsError` (Chinese message) on invalid JSON, a non-object, or bad facts.
    """
    try:
        data = strict_loads(text or "{}")
    except StrictJSONError as exc:
        raise FactsError(f"企业情况 JSON 有误：{exc.message}") from None
    if not isinstance(data, dict):
        raise FactsError("企业情况应为 JSON 对象，如 {\"industry\": \"information_service\", \"revenue_yuan\": \"3000万\"}。")
    return facts_from_mapping(data)
