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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..numbers import parse_amount, parse_percent
from ..strictjson import StrictJSONError, loads as strict_loads, shorten


class FactsError(ValueError):
    """Facts that cannot be used (unknown name, unparsable or negative value); ``message`` is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _fact(description: str, question: str, labels: dict[str, str] | None = None, **kw: Any) -> Any:
    extra: dict[str, Any] = {"question": question}
    if labels:
        extra["labels"] = labels
    return Field(default=None, description=description, json_schema_extra=extra, **kw)


_LEVEL3 = {"national": "国家级", "provincial": "省级", "municipal": "市级"}
_HONORS = {
    "provincial_key_innovation": "省级重点技术创新项目（产品）",
    "zhejiang_made_boutique": "“浙江制造精品”",
    "municipal_innovation": "市级技术创新项目",
    "provincial_new_product": "省级工业新产品（新技术）",
}
_YUAN = {"ge": 0}
#: The largest amount a user may state (1000万亿元): above any enterprise's figure, and small enough that every step of
#: a calculation stays exact in Decimal's 28 significant digits (10^40 yuan made the calculator crash).
MAX_YUAN = Decimal("1E15")
_FEN = Decimal("0.01")
#: The largest growth a user may state, in percentage points (a ten-thousandfold rise).
MAX_POINTS = Decimal("1E6")
# A recognition applied for but not (yet) granted: the awards go only to what has been 经认定, so this is a known "no".
_NOT_YET = "尚未认定"

Honor = Literal["provincial_key_innovation", "zhejiang_made_boutique", "municipal_innovation", "provincial_new_product"]


class EnterpriseFacts(BaseModel):
    """What is known about one enterprise (and its one project / product). ``None`` = unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: Optional[date] = _fact("测算基准日期（默认今天）", "按哪一天测算？")
    industry: Optional[Literal["information_service", "manufacturing", "other"]] = _fact(
        "行业（信息服务业/软件、制造业、其他）", "贵企业属于信息服务业（含软件）、制造业，还是其他行业？",
        {"information_service": "信息服务业", "manufacturing": "制造业", "other": "其他行业"})
    ai_field: Optional[bool] = _fact("属于人工智能领域（项目/企业）", "该项目（企业）是否属于人工智能领域？")
    above_scale: Optional[bool] = _fact("规上企业", "贵企业是否为规模以上企业？")
    high_tech: Optional[bool] = _fact("高新技术企业", "贵企业是否为高新技术企业？")
    strategic_emerging: Optional[bool] = _fact("战略性新兴产业", "该项目是否属于战略性新兴产业？")
    project_kind: Optional[Literal["new", "upgrade"]] = _fact(
        "新建 / 提升改造", "该项目是新建项目还是提升改造项目？", {"new": "新建项目", "upgrade": "提升改造项目"})
    investment_yuan: Optional[Decimal] = _fact("项目投资额（如所述）", "该项目的投资额是多少？", **_YUAN)
    land_cost_yuan: Optional[Decimal] = _fact(
        "其中土地款（说“不含土地”时为0）", "项目投资额中土地款是多少（不含土地款请答0）？", **_YUAN)
    revenue_yuan: Optional[Decimal] = _fact("本年度营业收入", "贵企业本年度营业收入是多少？", **_YUAN)
    last_revenue_yuan: Optional[Decimal] = _fact("上年度营业收入", "贵企业上年度营业收入是多少？", **_YUAN)
    revenue_growth_pct: Optional[Decimal] = _fact(
        "营业收入增速（百分点，12 表示 12%）", "贵企业本年度营业收入增速是多少（或上年度营业收入是多少）？")
    prior_peak_revenue_yuan: Optional[Decimal] = _fact(
        "以前年度最高营业收入（判断“首次达到”）", "以前年度营业收入最高是多少？", **_YUAN)
    super_deduction: Optional[bool] = _fact("符合研发费用加计扣除政策", "贵企业是否符合研发费用加计扣除政策？")
    rd_expense_yuan: Optional[Decimal] = _fact("本年度研发费用", "贵企业本年度研发费用是多少？", **_YUAN)
    last_rd_expense_yuan: Optional[Decimal] = _fact("上年度研发费用", "贵企业上年度研发费用是多少？", **_YUAN)
    rd_growth_pct: Optional[Decimal] = _fact(
        "研发费用增幅（百分点）", "贵企业研发费用较上年增长多少（或上年度研发费用是多少）？")
    city_tech_project: Optional[bool] = _fact("实施市级科技项目", "贵企业是否实施市级科技项目？")
    national_key_rd_lead: Optional[bool] = _fact("牵头承担国家重点研发计划", "贵单位是否牵头承担国家重点研发计划？")
    innovation_center_level: Optional[Literal["national", "provincial", "none"]] = _fact(
        "经认定的制造业创新中心级别", "贵企业是否有经认定的制造业创新中心？是国家级还是省级？",
        {"national": "国家级", "provincial": "省级", "none": _NOT_YET})
    tech_center_level: Optional[Literal["national", "provincial", "municipal", "none"]] = _fact(
        "经认定的企业技术中心级别（制造业/软件与信息服务业）",
        "贵企业是否有经认定的企业技术中心？是国家级、省级还是市级？", {**_LEVEL3, "none": _NOT_YET})
    first_set_level: Optional[Literal["international", "domestic", "provincial", "municipal", "none"]] = _fact(
        "首台（套）装备/首批次新材料/首版次软件认定级别",
        "贵企业的产品是否经认定为首台（套）装备（首批次新材料、首版次软件）？是国际、国内、省内还是市内？",
        {"international": "国际", "domestic": "国内", "provincial": "省内", "municipal": "市内", "none": _NOT_YET})
    product_honors: Optional[list[Honor]] = _fact(
        "省级重点技术创新项目（产品）/“浙江制造精品”/市级技术创新项目/省级工业新产品（新技术）",
        "该产品获得了哪些认定：省级重点技术创新项目（产品）、“浙江制造精品”、市级技术创新项目、省级工业新产品（新技术）？",
        _HONORS)
    compute_spend_yuan: Optional[Decimal] = _fact(
        "智算、超算实际使用金额", "贵企业本年度智算、超算算力的实际使用金额是多少？", **_YUAN)
    other_cloud_spend_yuan: Optional[Decimal] = _fact(
        "普通云/其他算力支出（不在补贴范围）", "普通云服务等其他算力支出是多少？", **_YUAN)
    jiaxing_model: Optional[bool] = _fact(
        "成功开发通用大模型或行业垂直模型并在嘉兴市实现市场化应用",
        "贵企业是否成功开发通用大模型或行业垂直模型，并在嘉兴市实现市场化应用？")
    data_merchant: Optional[Literal["leading", "growth", "none"]] = _fact(
        "经认定的“领军型/成长型浙江数商”", "贵企业是否经认定为“领军型浙江数商”或“成长型浙江数商”？",
        {"leading": "领军型浙江数商", "growth": "成长型浙江数商", "none": _NOT_YET})
    g5_factory: Optional[bool] = _fact("经认定的省级5G全连接工厂", "贵企业是否经认定为省级5G全连接工厂？")
    cloud_enterprise: Optional[bool] = _fact("经认定的省级制造业“云上企业”", "贵企业是否经认定为省级制造业“云上企业”？")
    cpms_pilot_lead: Optional[bool] = _fact(
        "列入浙江省CPMS试点且通过验收的牵头企业", "贵企业是否为列入浙江省产品主数据标准（CPMS）试点且通过验收的牵头企业？")
    cdo_pilot: Optional[bool] = _fact("列入浙江省CDO建设试点的企业", "贵企业是否列入浙江省首席数据官制度（CDO）建设试点？")
    dcmm_pilot: Optional[bool] = _fact("列入省级DCMM贯标试点企业", "贵企业是否列入省级数据管理能力成熟度评估（DCMM）贯标试点？")
    dcmm_region_pilot: Optional[bool] = _fact(
        "列入省级企业数据管理国家标准贯标工作试点区域（奖励给区域而非企业）",
        "所在区域是否列入省级企业数据管理国家标准贯标工作试点区域？")

    @field_validator("*", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        # Binary floats would smuggle rounding errors into money; amounts come as int, Decimal or text.
        if isinstance(value, float):
            raise ValueError("不接受浮点数，请用整数、Decimal 或文本（如 \"120万\"）")
        return value

    @model_validator(mode="after")
    def _land_within_investment(self) -> "EnterpriseFacts":
        if self.land_cost_yuan is not None and self.investment_yuan is not None \
                and self.land_cost_yuan > self.investment_yuan:
            raise ValueError("土地款不能大于项目投资额")
        return self


FACT_NAMES: tuple[str, ...] = tuple(EnterpriseFacts.model_fields)
# Other ways people write a value (the labels themselves are accepted too).
_ALIASES = {
    "industry": {"软件": "information_service", "软件和信息服务业": "information_service",
                 "软件与信息服务业": "information_service", "信息服务": "information_service", "其他": "other"},
    "first_set_level": {"国际首台套": "international", "国内首台套": "domestic", "省级": "provincial", "市级": "municipal"},
    "data_merchant": {"领军型": "leading", "成长型": "growth"},
    "project_kind": {"新建": "new", "提升改造": "upgrade", "改造": "upgrade"},
}
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
    """Return the fact's kind: ``yuan``, ``percent``, ``bool``, ``choice``, ``choices`` or ``date``."""
    if name.endswith("_yuan"):
        return "yuan"
    if name.endswith("_pct"):
        return "percent"
    annotation = EnterpriseFacts.model_fields[name].annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if args else annotation
    if inner is bool:
        return "bool"
    if inner is date:
        return "date"
    if typing.get_origin(inner) is list:
        return "choices"
    return "choice"


def fact_choices(name: str) -> list[str]:
    """Return the allowed values of an enumerated fact (``choice`` or ``choices``), else []."""
    annotation = EnterpriseFacts.model_fields[name].annotation
    inner = [a for a in typing.get_args(annotation) if a is not type(None)][0]
    if typing.get_origin(inner) is list:
        inner = typing.get_args(inner)[0]
    return list(typing.get_args(inner)) if typing.get_origin(inner) is Literal else []


def _unknown(name: str) -> FactsError:
    return FactsError(f"未知的事实名“{shorten(name)}”。可用的事实名：{'、'.join(n for n in FACT_NAMES)}（用 jxai facts 查看说明）。")


def _choice(name: str, text: str) -> str:
    choices = fact_choices(name)
    if text in choices:
        return text
    for value, label in fact_value_labels(name).items():
        if text in {label, label.strip("“”"), label.removesuffix("项目")}:
            return value
    if text in _ALIASES.get(name, {}):
        return _ALIASES[name][text]
    shown = "、".join(f"{v}（{fact_value_labels(name).get(v, v)}）" for v in choices)
    raise FactsError(f"{name}（{fact_label(name)}）的取值“{shorten(text)}”无法识别，可选：{shown}。")


def parse_fact_value(name: str, text: str) -> Any:
    """Parse one fact from text as typed on the CLI or written in a profile ("120万", "是", "national", "国家级")."""
    if name not in EnterpriseFacts.model_fields:
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
        if name not in EnterpriseFacts.model_fields:
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
