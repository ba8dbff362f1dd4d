"""Retrieval quality on eval cases: R@1/R@3/R@5/MRR and latency for BM25, dense, hybrid and llama-index defaults.

Usage: ``python -m jxai_assistant.retrieval.evaluate evals/cases/*.jsonl [--json]``. Cases use the DESIGN format
(``id``, ``turns``, ``expect.cite_any``); a case without ``cite_any`` is scored only for the out-of-scope signal.
A multi-turn case searches its last turn with the earlier turns as context (as the dialogue layer does).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .hybrid import HybridRetriever, get_retriever

KS = (1, 3, 5)


@dataclass(frozen=True)
class EvalCase:
    """One question with the clause ids that count as a correct retrieval (empty for out-of-scope questions)."""

    id: str
    question: str
    context: tuple[str, ...]
    cite_any: tuple[str, ...]
    out_of_scope: bool


def load_cases(paths: Iterable[str | Path]) -> list[EvalCase]:
    """Read eval cases from jsonl files (blank lines skipped)."""
    cases = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                expect = raw.get("expect") or {}
                cases.append(
                    EvalCase(
                        id=str(raw["id"]),
                        question=raw["turns"][-1],
                        context=tuple(raw["turns"][:-1]),
                        cite_any=tuple(expect.get("cite_any") or ()),
                        out_of_scope=bool(expect.get("out_of_scope", False)),
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path}:{n}: 无效的评测用例（{exc}）") from exc
    return cases


def score_rankings(cases: list[EvalCase], rank: Callable[[EvalCase], list[str]]) -> dict:
    """Return R@1/3/5, MRR, per-query latency (ms) and the ids of cases missed at rank 1 for one ranking function."""
    scored = [c for c in cases if c.cite_any]
    hits = {k: 0 for k in KS}
    rr, times, misses = 0.0, [], []
    for case in scored:
        start = time.perf_counter()
        ranking = rank(case)
        times.append((time.perf_counter() - start) * 1000)
        pos = next((i for i, cid in enumerate(ranking, start=1) if cid in case.cite_any), None)
        for k in KS:
            hits[k] += pos is not None and pos <= k
        rr += 1 / pos if pos else 0.0
        if pos != 1:
            misses.append(case.id)
    n = len(scored) or 1
    times.sort()
    return {
        "n": len(scored),
        **{f"R@{k}": round(hits[k] / n, 3) for k in KS},
        "MRR": round(rr / n, 3),
        "ms_mean": round(statistics.fmean(times), 2) if times else 0.0,
        "ms_p95": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2) if times else 0.0,
        "misses": misses,
    }


def _llama_rankers(retriever: HybridRetriever) -> dict[str, Callable[[EvalCase], list[str]]]:
    from .embedders import load_embedder
    from .llama import default_pipeline
    from .nodes import document_nodes

    embedder = load_embedder(retriever.model_name) if retriever.index.has_dense else None
    pipeline = default_pipeline(document_nodes(retriever.document), embedder, top_k=5)

    def ranker(r) -> Callable[[EvalCase], list[str]]:
        def rank(case: EvalCase) -> list[str]:
            try:
                return [n.node.node_id for n in r.retrieve("。".join((*case.context, case.question)))]
            except ValueError:  # llama-index's BM25 refuses a query with no \w\w+ token
                return []

        return rank

    return {name: ranker(r) for name, r in pipeline.items()}


def evaluate(cases: list[EvalCase], retriever: HybridRetriever | None = None, llama: bool = True) -> dict:
    """Score every system on the cases; also return the confidence of in-scope vs out-of-scope questions."""
    retriever = retriever or get_retriever()
    systems: dict[str, Callable[[EvalCase], list[str]]] = {
        "bm25": lambda c: [cid for cid, _ in retriever.bm25_ranking(c.question, list(c.context))],
        "dense": lambda c: [cid for cid, _ in retriever.dense_ranking(c.question)],
        "hybrid": lambda c: [h.clause_id for h in retriever.search(c.question, k=5, context=list(c.context))],
    }
    if llama:
        systems.update(_llama_rankers(retriever))
    for case in cases[:3]:  # warm caches (jieba, embedder) so latency is the warm figure
        retriever.search(case.question, context=list(case.context))
    results = {name: score_rankings(cases, rank) for name, rank in systems.items()}
    conf = {"in_scope": [], "out_of_scope": []}
    for case in cases:
        value = retriever.confidence(retriever.search(case.question, k=5, context=list(case.context)))
        conf["out_of_scope" if case.out_of_scope else "in_scope"].append(round(value, 3))
    return {"systems": results, "confidence": conf}


def _quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    v = sorted(values)
    pick = lambda p: v[min(len(v) - 1, int(p * len(v)))]  # noqa: E731 - tiny local helper
    return f"min {v[0]:.3f}  p10 {pick(0.1):.3f}  median {pick(0.5):.3f}  p90 {pick(0.9):.3f}  max {v[-1]:.3f}"


def format_report(report: dict) -> str:
    """Return the side-by-side table and the confidence distributions as text."""
    lines = [f"{'system':<10} {'n':>4} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'ms/q':>7} {'p95':>7}"]
    for name, r in report["systems"].items():
        lines.append(
            f"{name:<10} {r['n']:>4} {r['R@1']:>6.3f} {r['R@3']:>6.3f} {r['R@5']:>6.3f} {r['MRR']:>6.3f}"
            f" {r['ms_mean']:>7.2f} {r['ms_p95']:>7.2f}"
        )
    lines.append("")
    for name, r in report["systems"].items():
        if r["misses"]:
            lines.append(f"{name} misses@1: {' '.join(r['misses'])}")
    lines.append("")
    for group, values in report["confidence"].items():
        lines.append(f"confidence {group:<12} (n={len(values)}): {_quantiles(values)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: evaluate the given jsonl files and print the table (``--json`` for machine output)."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    paths = [a for a in args if a != "--json"]
    if not paths:
        print("用法：python -m jxai_assistant.retrieval.evaluate 用例.jsonl… [--json]", file=sys.stderr)
        return 2
    try:
        cases = load_cases(paths)
    except (OSError, ValueError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    report = evaluate(cases)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
