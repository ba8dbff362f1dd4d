"""The 补贴测算 form: which enterprise facts it asks, in which groups, and how form input becomes facts.

Amounts are typed in 万元 and converted to yuan with ``Decimal`` (never float); percentages are percentage points.
Unanswered fields stay unknown (``None``), which the calculator keeps apart from "否" / 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..calculator import EnterpriseFacts, FactsError, combine, calculate_all, facts_from_mapping, match_profile
from ..calculator.facts import fact_kind, fact_label, fact_value_labels

WAN = Decimal(10_000)
#: Above 1000亿元 a figure is almost surely typed in 元 instead of 万元.
MAX_WAN = Decimal(10_000_000)
#: A growth rate below -100% is impossible; above 10000% it is a typo.
MIN_PCT, MAX_PCT = Decimal(-100), Decimal(10_000)
UNKNOWN = "未填"
YES, NO = "是", "否"

# Form groups: (title, facts, open by default). Every EnterpriseFacts field appears exactly once (a test checks it).
SECTIONS: list[tuple[str, list[str], bool]] = [
    ("企业基本情况", ["industry", "ai_field", "above_scale", "high_tech", "strategic_emerging", "as_of"], True),
    ("算力使用（算力券）", ["compute_spend_yuan", "other_cloud_spend_yuan", "jiaxing_model"], True),
    ("营业收入", ["revenue_yuan", "last_revenue_yuan", "revenue_growth_pct", "prior_peak_revenue_yuan"], True),
    ("项目投资", ["project_kind", "investment_yuan", "land_cost_yuan"], False),
    ("研发投入", ["super_deduction", "rd_expense_yuan", "last_rd_expense_yuan", "rd_growth_pct", "city_tech_project",
                  "national_key_rd_lead"], False),
    ("创新平台与首台（套）", ["innovation_center_level", "tech_center_level", "first_set_level", "product_honors"], False),
    ("数字化认定与数据管理", ["data_merchant", "g5_factory", "cloud_enterprise", "cpms_pilot_lead", "cdo_pilot",
                             "dcmm_pilot", "dcmm_region_pilot"], False),
]

# Form wording where the fact's own description is written for the data model rather than for a form.
FORM_LABELS: dict[str, str] = {
    "as_of": "测算基准日期",
    "industry": "所属行业",
    "ai_field": "项目（企业）属于人工智能领域",
    "above_scale": "规模以上企业",
    "strategic_emerging": "项目属于战略性新兴产业",
    "project_kind": "项目类型",
    "investment_yuan": "项目投资额",
    "land_cost_yuan": "其中土地款（不含土地填 0）",
    "revenue_growth_pct": "营业收入增速",
    "prior_peak_revenue_yuan": "以前年度最高营业收入",
    "compute_spend_yuan": "智算、超算算力实际使用金额",
    "other_cloud_spend_yuan": "普通云等其他算力支出",
    "jiaxing_model": "已开发通用大模型或行业垂直模型并在嘉兴实现市场化应用",
    "rd_growth_pct": "研发费用增幅",
    "product_honors": "产品获得的认定",
    "first_set_level": "首台（套）/首批次/首版次认定级别",
    "tech_center_level": "企业技术中心级别",
    "innovation_center_level": "制造业创新中心级别",
    "data_merchant": "浙江数商认定",
}

# Hints under a field where the unit or the meaning needs saying.
FORM_INFO: dict[str, str] = {
    "as_of": "留空按今天测算；格式如 2026-05-01",
    "revenue_growth_pct": "单位：%；不填时由本年度、上年度营业收入推算",
    "rd_growth_pct": "单位：%；不填时由本年度、上年度研发费用推算",
    "prior_peak_revenue_yuan": "用于判断是否“首次”达到某一档；不填时按上年度营业收入",
    "other_cloud_spend_yuan": "普通云服务不在算力券补贴范围内，填写后会在结果中说明",
    "dcmm_region_pilot": "该项奖励给区域，不直接奖励企业",
}


class FormError(ValueError):
    """Form input that cannot be used; ``message`` is a friendly Chinese sentence naming the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """One form field: the fact it fills, its Chinese label, widget kind and choices."""

    name: str
    label: str
    kind: str  # yuan | percent | bool | choice | choices | date
    info: str | None
    choices: list[tuple[str, str]]  # (Chinese label, value) for choice/choices

    @property
    def unit(self) -> str | None:
        """The unit the user types in."""
        return {"yuan": "万元", "percent": "%"}.get(self.kind)


def field_spec(name: str) -> FieldSpec:
    """Return the form field for one fact."""
    kind = fact_kind(name)
    label = FORM_LABELS.get(name) or re.sub(r"（[^（）]*）$", "", fact_label(name))
    choices = [(text.strip("“”"), value) for value, text in fact_value_labels(name).items()]
    return FieldSpec(name, label, kind, FORM_INFO.get(name), choices)


def form_fields() -> list[FieldSpec]:
    """All form fields in display order."""
    return [field_spec(name) for _, names, _ in SECTIONS for name in names]


def _number(spec: FieldSpec, raw: str) -> Decimal:
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    text = text.removesuffix("万元").removesuffix("万").removesuffix("%")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FormError(f"“{spec.label}”请填写数字（单位：{spec.unit}），而不是“{raw.strip()[:20]}”。") from None
    if not value.is_finite():
        raise FormError(f"“{spec.label}”请填写有限的数字。")
    return value


def wan_to_yuan(spec: FieldSpec, raw: str) -> Decimal:
    """Convert an amount typed in 万元 to yuan (Decimal), rejecting negative and absurd figures."""
    value = _number(spec, raw)
    if value < 0:
        raise FormError(f"“{spec.label}”不能为负数。")
    if value > MAX_WAN:
        raise FormError(f"“{spec.label}”填写了 {raw.strip()} 万元（超过 1000 亿元），请确认单位是“万元”。")
    return value * WAN


def _percent(spec: FieldSpec, raw: str) -> Decimal:
    value = _number(spec, raw)
    if not MIN_PCT <= value <= MAX_PCT:
        raise FormError(f"“{spec.label}”应在 -100% 到 10000% 之间，请检查（单位：%，如 12 表示 12%）。")
    return value


def _convert(spec: FieldSpec, raw: Any) -> Any:
    """One form value → fact value; ``None`` for unanswered."""
    if raw is None or raw == "" or raw == UNKNOWN or raw == []:
        return None
    if spec.kind == "yuan":
        return wan_to_yuan(spec, str(raw))
    if spec.kind == "percent":
        return _percent(spec, str(raw))
    if spec.kind == "bool":
        return {YES: True, NO: False}[raw]
    if spec.kind == "date":
        try:
            return date.fromisoformat(unicodedata.normalize("NFKC", str(raw)).strip())
        except ValueError:
            raise FormError(f"“{spec.label}”请按 2026-05-01 的格式填写日期。") from None
    if spec.kind == "choices":
        return list(raw)
    return raw


def facts_from_form(values: dict[str, Any]) -> EnterpriseFacts:
    """Build :class:`EnterpriseFacts` from raw form values keyed by fact name (amounts in 万元)."""
    specs = {s.name: s for s in form_fields()}
    converted = {}
    for name, raw in values.items():
        value = _convert(specs[name], raw)
        if value is not None:
            converted[name] = value
    try:
        return facts_from_mapping(converted)
    except FactsError as exc:
        raise FormError(exc.message) from None


def match_result(facts: EnterpriseFacts) -> dict[str, Any]:
    """Match a profile against every policy: the ``/calc`` result (JSON-ready; amounts are integer yuan).

    ``matches`` lists the policies the profile may qualify for (best first), ``award_yuan`` the total over all of
    them after 就高不重复 (``None`` when nothing can be computed yet).
    """
    matches = match_profile(facts)
    combined = combine(calculate_all(facts))
    return {
        "matches": [m.model_dump(mode="json") for m in matches],
        "award_yuan": combined.award_yuan,
        "eligible": combined.eligible,
        "notes": list(combined.notes),
        "facts": facts.model_dump(mode="json", exclude_none=True),
    }
