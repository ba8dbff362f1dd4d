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

from ..calculator import EnterpriseFacts, FactsError, facts_from_mapping, match_summary
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


#: Form names of the per-award inputs: ``count:<key>`` (how many products hold it) and ``other:<key>`` (另一产品).
COUNT, OTHER = "count:", "other:"


@dataclass(frozen=True)
class CountSpec:
    """The inputs beside one product award (三.6): how many products hold it, and whether they are other products
    than the one the other awards are for. ``value`` is the award's value of ``fact``; ``None`` for a single-choice
    fact (首台（套）), whose chosen level it then counts."""

    fact: str
    value: str | None
    label: str

    @property
    def name(self) -> str:
        """The key in ``quantities`` / ``separate`` for a choices fact; the fact name for a single choice."""
        return self.fact if self.value is None else f"{self.fact}.{self.value}"

    def key(self, chosen: Any) -> str | None:
        """The ``quantities`` / ``separate`` key for the form's answer to ``fact``; None when the award is not held."""
        if self.value is None:
            return f"{self.fact}.{chosen}" if chosen not in (None, "", "none") else None
        return self.name if isinstance(chosen, list) and self.value in chosen else None


def count_specs() -> list[CountSpec]:
    """The per-award count inputs: one per award of each product-scope fact declared ``quantity: true``."""
    out: list[CountSpec] = []
    for name, decl in declarations().facts.items():
        if not decl.quantity or decl.scope != "product":
            continue
        if fact_kind(name) == "choices":
            out += [CountSpec(name, value, label.strip("“”")) for value, label in fact_value_labels(name).items()]
        else:
            out.append(CountSpec(name, None, field_spec(name).label.removesuffix("认定级别")))
    return out


def _count(spec: CountSpec, raw: Any) -> int:
    limit = declarations().max_quantity
    text = unicodedata.normalize("NFKC", str(raw)).strip().removesuffix("个")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= limit:
        raise FormError(f"“{spec.label}”的产品个数应为 1 到 {limit} 的整数，而不是“{str(raw).strip()[:20]}”。")
    return int(number)


def _counts(values: dict[str, Any], converted: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    """``quantities`` and ``separate`` from the count inputs, checked against the awards ticked in the form."""
    quantities: dict[str, int] = {}
    separate: list[str] = []
    for spec in count_specs():
        raw_count, other = values.get(COUNT + spec.name), values.get(OTHER + spec.name) is True
        count = 1 if raw_count in (None, "") else _count(spec, raw_count)
        if count == 1 and not other:
            continue
        key = spec.key(converted.get(spec.fact))
        if key is None:
            raise FormError(f"“{spec.label}”填写了产品个数或勾选了“另一产品”，请先在“{field_spec(spec.fact).label}”中"
                            "选中这项认定。")
        if count > 1:
            quantities[key] = count
        if other:
            separate.append(key)
    return quantities, separate


def facts_from_form(values: dict[str, Any]) -> EnterpriseFacts:
    """Build :class:`EnterpriseFacts` from raw form values keyed by fact name (amounts in 万元), plus the count
    inputs of :func:`count_specs` (``count:<key>`` a number of products, ``other:<key>`` the 另一产品 box)."""
    specs = {s.name: s for s in form_fields()}
    converted = {}
    for name, raw in values.items():
        if name.startswith((COUNT, OTHER)):
            continue
        value = _convert(specs[name], raw)
        if value is not None:
            converted[name] = value
    quantities, separate = _counts(values, converted)
    if quantities:
        converted["quantities"] = quantities
    if separate:
        converted["separate"] = separate
    try:
        return facts_from_mapping(converted)
    except FactsError as exc:
        raise FormError(exc.message) from None


def match_result(facts: EnterpriseFacts) -> dict[str, Any]:
    """Match a profile against every policy: the ``/calc`` result (JSON-ready; amounts are integer yuan).

    ``matches`` lists the policies the profile may qualify for (best first), ``award_yuan`` the total over all of
    them after 就高不重复 (``None`` when nothing can be computed yet).
    """
    return match_summary(facts)
