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
from ..declarations import declarations
from ..calculator.facts import fact_kind, fact_label, fact_value_labels

WAN = Decimal(10_000)
#: Above 1000亿元 a figure is almost surely typed in 元 instead of 万元.
MAX_WAN = Decimal(10_000_000)
#: A growth rate below -100% is impossible; above 10000% it is a typo.
MIN_PCT, MAX_PCT = Decimal(-100), Decimal(10_000)
UNKNOWN = "未填"
YES, NO = "是", "否"



def _sections() -> list[tuple[str, list[str], bool]]:
    """Form groups (title, facts, open by default), in the order of ``form_groups`` in corpus/facts.yaml; every
    declared fact appears exactly once, in declaration order within its group."""
    decl = declarations()
    return [(g.title, [n for n, f in decl.facts.items() if f.form.group == g.title], g.open) for g in decl.form_groups]


SECTIONS: list[tuple[str, list[str], bool]] = _sections()


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
    form = declarations().facts[name].form
    # The form's own wording where declared; else the description without its trailing explanation.
    label = form.label or re.sub(r"（[^（）]*）$", "", fact_label(name))
    choices = [(text.strip("“”"), value) for value, text in fact_value_labels(name).items()]
    return FieldSpec(name, label, kind, form.help, choices)


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
