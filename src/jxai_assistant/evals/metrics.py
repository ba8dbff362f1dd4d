"""Scoring: one case's final response against its ``expect`` (:func:`score_case`), then the suite's metrics
overall and per case file (:func:`summarize`).

Everything here is pure: responses are contract dicts (``Response.to_contract()``), so metrics can be tested on small
synthetic responses without running the assistant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..dialogue.firewall import step_figures
from ..document import Document
from ..numbers import find_amounts, find_percents
from .cases import EvalCase

#: Ranks counted by the recall metrics (R@1, R@3, R@5); the retriever is asked for the largest.
RECALL_KS = (1, 3, 5)

#: Metric name → short English label, in display order. ``*_ms`` metrics are latencies, all others rates in [0, 1].
METRICS: dict[str, str] = {
    "pass_rate": "cases passed",
    "conversation_pass_rate": "conversations passed (every checked turn)",
    "recall_at_1": "R@1 (citations)",
    "recall_at_3": "R@3 (citations)",
    "recall_at_5": "R@5 (citations)",
    "mrr": "MRR (citations)",
    "retriever_recall_at_1": "R@1 (retriever)",
    "retriever_recall_at_3": "R@3 (retriever)",
    "retriever_recall_at_5": "R@5 (retriever)",
    "retriever_mrr": "MRR (retriever)",
    "citation_precision": "citation precision",
    "amount_exact": "amount exact-match",
    "eligibility_accuracy": "eligibility accuracy",
    "refusal_precision": "refusal precision",
    "refusal_recall": "refusal recall",
    "injection_pass": "injection pass rate",
    "contains_pass": "contains pass rate",
    "not_contains_pass": "not-contains pass rate",
    "first_sentence_pass": "first sentence answers (verdict/figure first)",
    "quote_verbatim": "quote verbatim",
    "figure_grounding": "figure grounding",
    "intent_accuracy": "intent accuracy",
    "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
}

#: The kinds of answer (the response's ``intent``) whose length is measured apart: a calculation and a refusal are
#: not expected to be equally long.
INTENT_KINDS = ("lookup", "calculate", "clarify", "out_of_scope")
for _kind in INTENT_KINDS:
    METRICS[f"answer_p50_chars_{_kind}"] = f"answer length median, {_kind} (chars)"
    METRICS[f"answer_p95_chars_{_kind}"] = f"answer length p95, {_kind} (chars)"


def is_latency(metric: str) -> bool:
    """True for latency metrics (milliseconds)."""
    return metric.endswith("_ms")


def is_length(metric: str) -> bool:
    """True for answer-length metrics (characters of the final answer, by intent kind)."""
    return "_chars_" in metric


def is_ceiling(metric: str) -> bool:
    """True for metrics where lower is better (latencies, answer lengths): their thresholds are maximums. All other
    metrics are rates in [0, 1], where higher is better."""
    return is_latency(metric) or is_length(metric)


@dataclass
class CaseResult:
    """A case, the final turn's response and what the checks found."""

    case: EvalCase
    response: dict[str, Any] | None
    latencies_ms: list[float] = field(default_factory=list)
    error: str | None = None
    #: The retriever's own ranking for the last turn (clause ids), when it was asked.
    retriever_ids: list[str] | None = None
    #: Check name → passed; only the checks that apply to this case.
    checks: dict[str, bool] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    #: 1-based rank of the first expected clause among the cited clauses; 0 = not cited; None = no cite_any.
    citation_rank: int | None = None
    retriever_rank: int | None = None
    #: Cited clause id → whether it is expected or supports the answer (see :func:`supporting_citations`).
    citation_support: dict[str, bool] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when the assistant answered and every applicable check passed."""
        return self.error is None and all(self.checks.values())

    @property
    def is_injection(self) -> bool:
        """Injection cases: ``kind: injection`` or a case file named after injections."""
        return self.case.kind == "injection" or "injection" in self.case.file


def first_rank(ranked_ids: Sequence[str], expected: Iterable[str]) -> int:
    """1-based rank of the first id in ``expected`` among ``ranked_ids`` (duplicates collapsed); 0 if absent."""
    wanted = set(expected)
    seen: list[str] = []
    for cid in ranked_ids:
        if cid in seen:
            continue
        seen.append(cid)
        if cid in wanted:
            return len(seen)
    return 0


def _figures(text: str) -> set[tuple[str, Decimal]]:
    """Money amounts and percents in ``text`` as comparable (kind, value) pairs."""
    return {("yuan", m.value) for m in find_amounts(text)} | {("pct", m.value) for m in find_percents(text)}


def calculation_amounts(calculations: list[dict[str, Any]]) -> set[Decimal]:
    """Every money figure a calculation carries: amount, cap, its steps' typed figures and amounts in its notes."""
    figures: set[Decimal] = set()
    for calc in calculations:
        for key in ("amount_yuan", "cap_yuan"):
            if calc.get(key) is not None:
                figures.add(Decimal(calc[key]))
        figures.update(value for kind, value in step_figures(calc) if kind == "amount")
        for note in calc.get("notes", []):
            figures.update(m.value for m in find_amounts(note))
    return figures


def supporting_citations(response: dict[str, Any], cite_any: Iterable[str]) -> dict[str, bool]:
    """Cited clause id → True when it is expected (``cite_any``), is the source of a calculation (its policy or a
    step's clause), or one of its quotes holds a figure (amount or percent) that the answer states."""
    expected = set(cite_any)
    sources: set[str] = set()
    for calc in response.get("calculations", []):
        sources.add(calc.get("policy_id", ""))
        sources.update(step.get("clause_id", "") for step in calc.get("steps", []))
    answer_figures = _figures(response.get("answer", ""))
    support: dict[str, bool] = {}
    for citation in response.get("citations", []):
        cid = citation.get("clause_id", "")
        backed = cid in expected or cid in sources or bool(_figures(citation.get("quote", "")) & answer_figures)
        support[cid] = support.get(cid, False) or backed
    return support


def quote_problems(citations: list[dict[str, Any]], document: Document) -> list[str]:
    """Why citations fail the verbatim rule: unknown clause, blank quote, or a quote not inside the clause text."""
    problems: list[str] = []
    for citation in citations:
        cid, quote = citation.get("clause_id", ""), citation.get("quote", "")
        try:
            text = document.get(cid).text
        except KeyError:
            problems.append(f"citation of unknown clause {cid!r}")
            continue
        if not quote.strip():
            problems.append(f"blank quote for {cid}")
        elif quote not in text:
            problems.append(f"quote for {cid} is not verbatim: {quote[:40]!r}")
    return problems


def ungrounded_amounts(response: dict[str, Any], document: Document) -> tuple[list[str], bool]:
    """Money figures in the answer found neither in a cited clause nor in the calculations.

    Returns (ungrounded raw mentions, whether the answer states any money figure at all).
    """
    mentions = find_amounts(response.get("answer", ""))
    grounded = calculation_amounts(response.get("calculations", []))
    for citation in response.get("citations", []):
        try:
            grounded.update(m.value for m in find_amounts(document.get(citation.get("clause_id", "")).text))
        except KeyError:
            pass  # an unknown clause grounds nothing; the quote check reports it
    return [m.raw for m in mentions if m.value not in grounded], bool(mentions)


def score_case(
    case: EvalCase,
    response: dict[str, Any] | None,
    document: Document,
    *,
    latencies_ms: Sequence[float] = (),
    error: str | None = None,
    retriever_ids: list[str] | None = None,
) -> CaseResult:
    """Check the final turn's ``response`` (contract dict, ``None`` when the assistant raised) against ``case``."""
    result = CaseResult(case, response, list(latencies_ms), error, retriever_ids)
    expect = case.expect

    def check(name: str, ok: bool, reason: str) -> None:
        result.checks[name] = ok
        if not ok:
            result.reasons.append(f"{name}: {reason}")

    if error is not None:
        result.reasons.append(f"error: {error}")
    r = response or {}
    answer = r.get("answer", "")
    citations = r.get("citations", [])
    cited = [c.get("clause_id", "") for c in citations]

    if expect.cite_any:
        result.citation_rank = first_rank(cited, expect.cite_any) if response is not None else 0
        check("cite_any", result.citation_rank > 0, f"expected one of {expect.cite_any}, cited {cited}")
        if retriever_ids is not None:
            result.retriever_rank = first_rank(retriever_ids, expect.cite_any)
    for key, got_key in (("amount_yuan", "award_yuan"), ("eligible", "eligible"), ("out_of_scope", "out_of_scope"),
                         ("intent", "intent")):
        if expect.sets(key) and (key != "intent" or expect.intent is not None):
            wanted, got = getattr(expect, key), r.get(got_key) if response is not None else "<no response>"
            check(key, response is not None and got == wanted, f"expected {wanted!r}, got {got!r}")
    if expect.contains:
        missing = [group for group in expect.contains if not any(alt in answer for alt in group)]
        check("contains", response is not None and not missing, f"answer lacks any of {missing}")
    if expect.first_contains:
        first = first_sentence(answer)
        missing = [group for group in expect.first_contains if not any(alt in first for alt in group)]
        check("first_contains", response is not None and not missing, f"first sentence {first!r} lacks any of {missing}")
    if expect.not_contains:
        present = [s for s in expect.not_contains if s in answer]
        check("not_contains", response is not None and not present, f"answer contains {present}")
    if citations:
        problems = quote_problems(citations, document)
        check("quotes_verbatim", not problems, "; ".join(problems))
        result.citation_support = supporting_citations(r, expect.cite_any or [])
    ungrounded, has_figures = ungrounded_amounts(r, document)
    if has_figures:
        check("figures_grounded", not ungrounded, f"amounts in answer not in cited clauses or calculations: {ungrounded}")
    return result


_FIRST_SENTENCE_RE = re.compile(r"[^。！？!?\n]*[。！？!?]?")


def first_sentence(answer: str) -> str:
    """The answer's first sentence (to the first 。！？ or line end), Markdown emphasis removed."""
    text = answer.replace("**", "").lstrip()
    return _FIRST_SENTENCE_RE.match(text).group(0)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) with linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def compute_metrics(results: Sequence[CaseResult]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Metrics over ``results`` and their support (how many cases/citations/answers each is computed on).

    A metric with no support is ``None`` (e.g. refusal precision when nothing was refused).
    """
    values: dict[str, float | None] = {}
    support: dict[str, int] = {}

    def put(name: str, hits: int | float, total: int) -> None:
        values[name], support[name] = _rate(hits, total), total

    put("pass_rate", sum(r.passed for r in results), len(results))
    conversations: dict[str, bool] = {}
    for r in results:
        key = r.case.conversation or r.case.id
        conversations[key] = conversations.get(key, True) and r.passed
    put("conversation_pass_rate", sum(conversations.values()), len(conversations))
    for prefix, attr in (("", "citation_rank"), ("retriever_", "retriever_rank")):
        ranks = [getattr(r, attr) for r in results if getattr(r, attr) is not None]
        for k in RECALL_KS:
            put(f"{prefix}recall_at_{k}", sum(0 < rank <= k for rank in ranks), len(ranks))
        put(f"{prefix}mrr", sum(1 / rank for rank in ranks if rank), len(ranks))
    cited = [ok for r in results for ok in r.citation_support.values()]
    put("citation_precision", sum(cited), len(cited))
    for metric, key in (("amount_exact", "amount_yuan"), ("eligibility_accuracy", "eligible"),
                        ("intent_accuracy", "intent"), ("contains_pass", "contains"),
                        ("not_contains_pass", "not_contains"), ("first_sentence_pass", "first_contains"), ("quote_verbatim", "quotes_verbatim"),
                        ("figure_grounding", "figures_grounded")):
        outcomes = [r.checks[key] for r in results if key in r.checks]
        put(metric, sum(outcomes), len(outcomes))
    gold = [r for r in results if r.case.expect.out_of_scope is not None]
    refused = [r for r in gold if r.response is not None and r.response.get("out_of_scope") is True]
    true_refusals = sum(r.case.expect.out_of_scope is True for r in refused)
    put("refusal_precision", true_refusals, len(refused))
    put("refusal_recall", true_refusals, sum(r.case.expect.out_of_scope is True for r in gold))
    injections = [r for r in results if r.is_injection]
    put("injection_pass", sum(r.passed for r in injections), len(injections))
    latencies = [ms for r in results for ms in r.latencies_ms]
    for q in (50, 95):
        values[f"latency_p{q}_ms"], support[f"latency_p{q}_ms"] = percentile(latencies, q), len(latencies)
    for kind in INTENT_KINDS:
        # Characters of the answered turn's Markdown, as the user reads it (one case, one answer).
        lengths = [len(r.response.get("answer") or "") for r in results
                   if r.response is not None and r.response.get("intent") == kind]
        for q in (50, 95):
            name = f"answer_p{q}_chars_{kind}"
            values[name], support[name] = percentile(lengths, q), len(lengths)
    return {name: values[name] for name in METRICS}, {name: support[name] for name in METRICS}


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    """The metrics object of ``jxai eval --json``: overall, per case file, and every failing case with reasons."""

    def block(group: Sequence[CaseResult]) -> dict[str, Any]:
        metrics, support = compute_metrics(group)
        return {"cases": len(group), "passed": sum(r.passed for r in group), "metrics": metrics, "support": support}

    files = sorted({r.case.file for r in results})
    return {
        "overall": block(results),
        "per_file": {name: block([r for r in results if r.case.file == name]) for name in files},
        "failures": [
            {
                "id": r.case.id,
                "file": r.case.file,
                "turns": r.case.turns,
                "reasons": r.reasons,
                "answer": (r.response or {}).get("answer"),
            }
            for r in results
            if not r.passed
        ],
        "unsupported_citations": {
            r.case.id: [cid for cid, ok in r.citation_support.items() if not ok]
            for r in results
            if not all(r.citation_support.values())
        },
    }
