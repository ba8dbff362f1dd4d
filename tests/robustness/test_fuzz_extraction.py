"""Fuzzing fact extraction: any message gives typed ``EnterpriseFacts`` values (Decimal money, never float) whose
evidence is verbatim text of the message, and the calculator accepts them or refuses them with a Chinese message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxai_assistant.calculator import EnterpriseFacts, FactsError
from jxai_assistant.dialogue.extraction import extract_facts

from .hostile import BUDGET, DOMAIN, hostile_text, numbers

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Enterprise descriptions with hostile pieces in between: the extractor's real work, under attack.
described = st.lists(st.one_of(st.sampled_from(DOMAIN), numbers, hostile_text), min_size=1, max_size=8).map("，".join)


def _no_float(value) -> bool:
    if isinstance(value, list):
        return all(_no_float(v) for v in value)
    return not isinstance(value, float)


@settings(max_examples=BUDGET["extract_facts"], **FUZZ)
@given(st.one_of(described, hostile_text))
def test_extracted_facts_are_typed_verbatim_and_accepted_or_refused_in_chinese(text):
    result = extract_facts(text, today=date(2026, 6, 1))
    assert set(result.values) <= set(EnterpriseFacts.model_fields)
    assert set(result.evidence) == set(result.values)
    for name, value in result.values.items():
        assert _no_float(value), f"{name} = {value!r} is a float"
        if name.endswith("_yuan"):
            assert isinstance(value, Decimal) and value.is_finite() and value >= 0, (name, value)
        evidence = result.evidence[name]
        for start, end in evidence.spans:
            assert evidence.quote.find(text[start:end]) != -1, (name, evidence)
    try:
        result.to_facts()
    except FactsError as exc:
        assert exc.message
    except ValueError as exc:  # pydantic's ValidationError: the assistant reports it as 提供的数值无法使用
        assert str(exc)
    lines = result.known_lines()
    assert len(lines) == len(result.values)
