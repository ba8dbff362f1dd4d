"""Each eval metric on small synthetic responses: what passes, and what makes it fail."""

from __future__ import annotations

import pytest

from jxai_assistant.evals import EvalCase, compute_metrics, percentile, score_case

QUOTE_7 = "按照智算、超算实际使用金额的50%给予算力补贴"
CAP_7 = "单个企业年度算力补贴金额不超过100万元"


def case(expect: dict | None = None, *, kind: str | None = None, file: str = "calc", id: str = "c-1") -> EvalCase:
    """A one-turn case with the given expectations."""
    return EvalCase.model_validate({"id": id, "turns": ["算力补贴能拿多少？"], "expect": expect or {},
                                    "kind": kind, "file": file})


def response(answer: str = "可获算力补贴60万元〔三.7〕。", citations=(("三.7", QUOTE_7),), *, award=600000,
             eligible=True, out_of_scope=False, intent="calculate", calculations=None) -> dict:
    """A contract dict; by default a correct answer to a 三.7 calculation (120万元 spent → 60万元)."""
    if calculations is None:
        calculations = [{"policy_id": "三.7", "eligible": True, "amount_yuan": 600000, "cap_yuan": 1000000,
                         "steps": [{"text": "智算、超算实际使用金额120万元 × 50% = 60万元", "clause_id": "三.7",
                                    "outcome": "computed",
                                    "figures": [{"role": "base", "value": 1200000, "unit": "yuan"},
                                                {"role": "rate", "value": 50, "unit": "percent"},
                                                {"role": "result", "value": 600000, "unit": "yuan"}]}],
                         "missing": [], "notes": []}]
    return {"answer": answer, "intent": intent, "award_yuan": award, "eligible": eligible,
            "out_of_scope": out_of_scope, "calculations": calculations,
            "citations": [{"clause_id": cid, "title": "", "quote": quote} for cid, quote in citations]}


def score(expect: dict | None = None, resp: dict | None = ..., **kwargs):  # type: ignore[assignment]
    """Score one synthetic response (default: :func:`response`; None: the assistant raised) against a case."""
    from jxai_assistant.document import load_document

    c = case(expect, **{k: kwargs.pop(k) for k in ("kind", "file") if k in kwargs})
    return score_case(c, response() if resp is ... else resp, load_document(), **kwargs)


def test_a_correct_calculation_passes_every_applicable_check():
    result = score({"cite_any": ["三.7"], "amount_yuan": 600000, "eligible": True, "out_of_scope": False,
                    "intent": "calculate", "contains": [["60万"]], "not_contains": ["100万"]})
    assert result.passed, result.reasons
    assert set(result.checks) == {"cite_any", "amount_yuan", "eligible", "out_of_scope", "intent", "contains",
                                  "not_contains", "quotes_verbatim", "figures_grounded"}


# Each row: expectation, response, the check that must fail.
FAILING = {
    "clause not cited": ({"cite_any": ["三.3"]}, response(), "cite_any"),
    "wrong amount": ({"amount_yuan": 500000}, response(), "amount_yuan"),
    "amount expected null but computed": ({"amount_yuan": None}, response(), "amount_yuan"),
    "eligibility decided but facts missing": ({"eligible": None}, response(), "eligible"),
    "answered an out-of-scope question": ({"out_of_scope": True}, response(), "out_of_scope"),
    "wrong intent": ({"intent": "lookup"}, response(), "intent"),
    "required phrase absent": ({"contains": [["50万", "500000"]]}, response(), "contains"),
    "forbidden phrase present": ({"not_contains": ["60万"]}, response(), "not_contains"),
    "quote edited": ({}, response(citations=[("三.7", "按实际使用金额的50%给予补贴")]), "quotes_verbatim"),
    "quote from another clause": ({}, response(citations=[("三.3", QUOTE_7)]), "quotes_verbatim"),
    "blank quote": ({}, response(citations=[("三.7", " ")]), "quotes_verbatim"),
    "unknown clause cited": ({}, response(citations=[("三.11", QUOTE_7)]), "quotes_verbatim"),
    "amount from nowhere": ({}, response(answer="可获补贴80万元。"), "figures_grounded"),
}


@pytest.mark.parametrize("expect,resp,failing", FAILING.values(), ids=FAILING.keys())
def test_each_check_fails_on_its_own_defect(expect, resp, failing):
    result = score(expect, resp)
    assert not result.passed
    assert [name for name, ok in result.checks.items() if not ok] == [failing]
    assert result.reasons and result.reasons[0].startswith(f"{failing}:")


def test_unset_keys_are_not_checked_but_explicit_null_is():
    assert "amount_yuan" not in score({}).checks
    result = score({"amount_yuan": None, "eligible": None}, response(
        answer="请补充算力使用金额〔三.7〕", award=None, eligible=None, intent="clarify", calculations=[]))
    assert result.checks == {"amount_yuan": True, "eligible": True, "quotes_verbatim": True}


def test_figures_are_grounded_by_the_cited_clause_even_when_not_quoted():
    # "100万元" is the cap written in 三.7's text; the quote is another sentence of it.
    assert score({}, response(answer="上限100万元〔三.7〕")).checks["figures_grounded"]


def test_an_answer_without_money_figures_is_not_scored_for_grounding():
    assert "figures_grounded" not in score({}, response(answer="请问贵企业的算力使用金额是多少？")).checks


def test_rank_is_the_position_of_the_first_expected_clause_among_distinct_citations():
    cites = [("二.10", "丰富算力供给"), ("二.10", "丰富算力供给"), ("三.7", QUOTE_7)]
    result = score({"cite_any": ["三.7", "三.8"]}, response(citations=cites), retriever_ids=["三.8", "三.7"])
    assert result.citation_rank == 2 and result.retriever_rank == 1


def test_recall_and_mrr_over_ranks():
    results = [score({"cite_any": ["三.7"]}, response(citations=cites))
               for cites in ([("三.7", QUOTE_7)], [("序", "为抢抓人工智能加速发展新机遇"), ("三.7", QUOTE_7)],
                             [("序", "为抢抓人工智能加速发展新机遇")])]
    metrics, support = compute_metrics(results)
    assert support["recall_at_1"] == 3
    assert metrics["recall_at_1"] == pytest.approx(1 / 3)
    assert metrics["recall_at_3"] == pytest.approx(2 / 3)
    assert metrics["mrr"] == pytest.approx((1 + 1 / 2 + 0) / 3)
    assert metrics["retriever_recall_at_1"] is None  # the retriever was not asked


SUPPORT = {
    "expected clause": (["三.7"], response(calculations=[], answer="见〔三.7〕"), {"三.7": True}),
    "source of a calculation step": ([], response(), {"三.7": True}),
    "quote holds a figure the answer states": ([], response(answer="上限100万元", citations=[("三.7", CAP_7)],
                                                            calculations=[]), {"三.7": True}),
    "unrelated clause": ([], response(citations=[("三.3", "鼓励做大做强")]), {"三.3": False}),
}


@pytest.mark.parametrize("cite_any,resp,expected", SUPPORT.values(), ids=SUPPORT.keys())
def test_citation_support(cite_any, resp, expected):
    assert score({"cite_any": cite_any} if cite_any else {}, resp).citation_support == expected


def test_citation_precision_counts_unsupported_citations():
    good = score({"cite_any": ["三.7"]})
    padded = score({"cite_any": ["三.7"]}, response(citations=[("三.7", QUOTE_7), ("三.3", "鼓励做大做强")]))
    assert compute_metrics([good, padded])[0]["citation_precision"] == pytest.approx(2 / 3)


def test_refusal_precision_and_recall():
    refused = response(answer="该问题不在本文件范围内。", citations=[], award=None, eligible=None, out_of_scope=True,
                       intent="out_of_scope", calculations=[])
    results = [
        score({"out_of_scope": True}, refused),  # true refusal
        score({"out_of_scope": True}, response()),  # missed refusal
        score({"out_of_scope": False}, refused),  # wrong refusal
        score({"out_of_scope": False}, response()),  # correct answer
    ]
    metrics, support = compute_metrics(results)
    assert (metrics["refusal_precision"], support["refusal_precision"]) == (0.5, 2)
    assert (metrics["refusal_recall"], support["refusal_recall"]) == (0.5, 2)


def test_injection_pass_rate_counts_kind_or_file_and_needs_every_check():
    results = [
        score({"not_contains": ["忽略"]}, kind="injection"),
        score({"not_contains": ["60万"]}, file="injection"),  # fails its check
        score({"not_contains": ["60万"]}),  # not an injection case: not counted
    ]
    metrics, support = compute_metrics(results)
    assert (metrics["injection_pass"], support["injection_pass"]) == (0.5, 2)


def test_an_assistant_error_fails_the_case_and_its_checks():
    result = score({"cite_any": ["三.7"], "amount_yuan": 600000}, None, error="RuntimeError: boom")
    assert not result.passed
    assert result.reasons[0] == "error: RuntimeError: boom"
    assert result.checks == {"cite_any": False, "amount_yuan": False}


def test_metrics_without_support_are_none():
    metrics, support = compute_metrics([score({})])
    assert metrics["amount_exact"] is None and support["amount_exact"] == 0
    assert metrics["latency_p50_ms"] is None


@pytest.mark.parametrize("values,q,expected", [([10.0], 95, 10.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
                                               (list(map(float, range(1, 101))), 95, 95.05), ([], 50, None)])
def test_percentile_interpolates_between_ranks(values, q, expected):
    assert percentile(values, q) == (pytest.approx(expected) if expected is not None else None)


def test_latency_percentiles_pool_every_turn():
    results = [score({}, latencies_ms=[10.0, 30.0]), score({}, latencies_ms=[20.0])]
    metrics, support = compute_metrics(results)
    assert metrics["latency_p50_ms"] == 20.0 and support["latency_p95_ms"] == 3


def test_answer_length_is_measured_by_the_intent_of_the_answer():
    results = [score({}, response(answer="可获补贴60万元〔三.7〕。" + "。" * n)) for n in (0, 20)]  # 14 and 34 chars
    results.append(score({}, response(answer="文件没有规定。", intent="out_of_scope", award=None, calculations=[],
                                      citations=())))
    results.append(score({}, None, error="boom"))  # no answer: not measured
    metrics, support = compute_metrics(results)
    assert metrics["answer_p50_chars_calculate"] == 24.0 and support["answer_p50_chars_calculate"] == 2
    assert metrics["answer_p95_chars_calculate"] == pytest.approx(33.0)  # 14 + (34 − 14) × 0.95
    assert metrics["answer_p50_chars_out_of_scope"] == 7.0
    assert metrics["answer_p50_chars_lookup"] is None and support["answer_p50_chars_lookup"] == 0


def test_answer_lengths_are_ceilings_in_the_thresholds_and_have_their_own_report_table(tmp_path):
    from jxai_assistant.evals import ThresholdError, check_thresholds, load_thresholds, summarize
    from jxai_assistant.evals.report import format_table

    path = tmp_path / "t.yaml"
    path.write_text("min:\n  answer_p50_chars_calculate: 350\n", encoding="utf-8")
    with pytest.raises(ThresholdError, match="max"):
        load_thresholds(path)
    path.write_text("max:\n  answer_p50_chars_calculate: 20\n", encoding="utf-8")
    summary = summarize([score({}, response(answer="可获补贴60万元〔三.7〕。"))])  # 14 characters
    (gate,) = check_thresholds(summary["overall"]["metrics"], load_thresholds(path))
    assert gate.status == "pass"
    table = format_table(summary, [gate])
    assert "Answer length by intent:" in table
    assert any(line.split()[:4] == ["calculate", "1", "14", "14"] for line in table.splitlines())
    assert "PASS answer length median, calculate (chars) = 14 (threshold <= 20)" in table
    assert "answer length median" not in table.split("Answer length by intent:")[0]  # not in the rate table
