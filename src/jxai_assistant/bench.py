"""``jxai bench``: cold start, warm latency, throughput, peak memory and index build time of the assistant without an
LLM, side by side with a default llama-index pipeline (VectorStoreIndex over the same embedder, top-k retrieval).

Cold start and index build run in fresh subprocesses (the first against the on-disk index cache, the second into an
empty temporary cache dir); warm latency and throughput are measured in this process over the public eval questions.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .evals import EvalCase, evals_dir, load_cases, percentile

#: The speed budget of issue 8 (printed as pass/fail; a benchmark, not a timed test).
BUDGET = {"p95_ms": 50.0, "cold_start_s": 5.0, "peak_rss_mb": 1536.0, "index_build_s": 30.0}
#: The LLM is configured through this variable; the benchmark measures the deterministic assistant only.
LLM_ENV = "JXAI_LLM_BASE_URL"
#: Free-text question for the cold start: it needs the retriever (index load), the router and the composer.
COLD_QUESTION = "算力券单个企业最多补贴多少？"
TOP_K = 5
CHILD_TIMEOUT_S = 600

# A fresh interpreter up to its first complete answer; it reports its own phases and peak RSS.
_COLD_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from jxai_assistant.assistant import get_assistant
t1 = time.perf_counter()
answer = get_assistant().ask(sys.argv[1]).answer
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_answer_s": t2 - t1, "cpu_s": time.process_time(),
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
"""

# Index build from scratch (empty JXAI_CACHE_DIR): embedder load, tokenizer dictionary, BM25, vectors, save.
_BUILD_CHILD = """
import json, time
from jxai_assistant.retrieval import hybrid
t0 = time.perf_counter()
retriever = hybrid.get_retriever()
t1 = time.perf_counter()
print(json.dumps({"build_s": t1 - t0, "cache_status": retriever.cache_status, "dense": retriever.index.has_dense,
                  "index_only_s": retriever.index.manifest.get("build_seconds")}), flush=True)
"""


class BenchError(RuntimeError):
    """A benchmark phase failed (a child process crashed or printed nothing); the message says which."""


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != LLM_ENV}
    env.update(extra)
    return env


def _run_child(code: str, args: list[str], env: dict[str, str]) -> tuple[dict[str, Any], float]:
    """Run ``code`` in a fresh interpreter; return its JSON report and the wall time until that report arrived."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    line = proc.stdout.readline() if proc.stdout else ""
    wall = time.perf_counter() - start
    try:
        _, stderr = proc.communicate(timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise BenchError("基准子进程超时") from None
    if proc.returncode != 0 or not line.strip():
        raise BenchError(f"基准子进程失败（退出码 {proc.returncode}）：{stderr.strip()[-500:]}")
    return json.loads(line), wall


def measure_cold_start(runs: int) -> dict[str, Any]:
    """Fresh process → first complete answer, ``runs`` times (index cache already on disk); median and peak RSS."""
    reports, walls = [], []
    for _ in range(runs):
        report, wall = _run_child(_COLD_CHILD, [COLD_QUESTION], _child_env())
        reports.append(report)
        walls.append(wall)
    return {
        "cold_start_s": statistics.median(walls),
        "runs_s": walls,
        "import_s": statistics.median(r["import_s"] for r in reports),
        "first_answer_s": statistics.median(r["first_answer_s"] for r in reports),
        # CPU seconds up to the answer: on a loaded machine wall time grows, this does not.
        "cpu_s": statistics.median(r["cpu_s"] for r in reports),
        "rss_mb": max(r["rss_kb"] for r in reports) / 1024,
    }


def measure_index_build() -> dict[str, Any]:
    """Build the retrieval index from scratch in a fresh process with an empty temporary cache dir."""
    with tempfile.TemporaryDirectory(prefix="jxai-bench-cache-") as tmp:
        report, _ = _run_child(_BUILD_CHILD, [], _child_env(JXAI_CACHE_DIR=tmp))
    if report["cache_status"] == "hit":
        raise BenchError("索引构建测量无效：临时缓存目录中已有索引")
    return report


def _questions(cases_dir: Path) -> list[EvalCase]:
    return load_cases([cases_dir])


def measure_warm(cases: list[EvalCase], runs: int) -> dict[str, Any]:
    """Every conversation of the eval cases, ``runs`` passes, in this process: per-answer latency and throughput.

    Also keeps, per single-turn case, the clause ids the answer cited (for the side-by-side R@1).
    """
    from .assistant import get_assistant

    assistant = get_assistant()
    # Warm-up: lazy components (retriever, tokenizer, embedder) load here, not in the timing. COLD_QUESTION is free
    # text, so the dense path (embedder) is loaded too.
    for question in [COLD_QUESTION, *(turn for case in cases[:5] for turn in case.turns)]:
        assistant.ask(question)
    latencies: list[float] = []
    cited: dict[str, list[str]] = {}
    single_ms: dict[str, list[float]] = {}
    start = time.perf_counter()
    for run in range(runs):
        for case in cases:
            conversation_id = f"bench-{run}-{case.id}"
            for turn in case.turns:
                t0 = time.perf_counter()
                response = assistant.ask(turn, conversation_id=conversation_id)
                latencies.append((time.perf_counter() - t0) * 1000)
            assistant.reset(conversation_id)
            if len(case.turns) == 1:
                cited[case.id] = [c.clause_id for c in response.citations]
                single_ms.setdefault(case.id, []).append(latencies[-1])
    total = time.perf_counter() - start
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "answers": len(latencies),
        "throughput_qps": len(latencies) / total,
        "cited": cited,
        "single_ms": single_ms,
    }


def _r_at_1(rankings: dict[str, list[str]], cases: list[EvalCase]) -> tuple[float | None, int]:
    scored = [c for c in cases if c.expect.cite_any and c.id in rankings]
    hits = sum(bool(rankings[c.id]) and rankings[c.id][0] in c.expect.cite_any for c in scored)
    return (hits / len(scored) if scored else None), len(scored)


def measure_baseline(cases: list[EvalCase], warm: dict[str, Any]) -> dict[str, Any]:
    """The single-turn questions through llama-index's VectorStoreIndex (same embedder, top-k), next to ours."""
    from .retrieval import get_retriever
    from .retrieval.embedders import load_embedder
    from .retrieval.llama import default_pipeline
    from .retrieval.nodes import document_nodes

    retriever = get_retriever()
    if not retriever.index.has_dense:
        return {"skipped": "向量检索已关闭（JXAI_EMBED_MODEL），llama-index 向量基线无从比较"}
    single = [c for c in cases if len(c.turns) == 1]
    embedder = load_embedder(retriever.model_name)
    t0 = time.perf_counter()
    vector = default_pipeline(document_nodes(retriever.document), embedder, top_k=TOP_K)["li-vector"]
    build_s = time.perf_counter() - t0
    vector.retrieve(single[0].turns[0])  # warm-up
    rankings: dict[str, list[str]] = {}
    latencies = []
    for case in single:
        t0 = time.perf_counter()
        nodes = vector.retrieve(case.turns[0])
        latencies.append((time.perf_counter() - t0) * 1000)
        rankings[case.id] = [n.node.node_id for n in nodes]
    ours_ms = [statistics.median(ms) for ms in warm["single_ms"].values()]
    r1, n = _r_at_1(rankings, single)
    ours_r1, _ = _r_at_1(warm["cited"], single)
    p50, p95, ours_p50, ours_p95 = (percentile(latencies, 50), percentile(latencies, 95), percentile(ours_ms, 50),
                                    percentile(ours_ms, 95))
    return {
        "pipeline": f"llama-index VectorStoreIndex, top-{TOP_K}, embedder {retriever.model_name}",
        "questions": len(single),
        "scored_r_at_1": n,
        "build_s": build_s,
        "p50_ms": p50,
        "p95_ms": p95,
        "r_at_1": r1,
        "ours_p50_ms": ours_p50,
        "ours_p95_ms": ours_p95,
        "ours_r_at_1": ours_r1,
        # > 1 means ours is faster / more accurate.
        "p50_speedup": p50 / ours_p50 if ours_p50 else None,
        "r_at_1_ratio": ours_r1 / r1 if r1 and ours_r1 is not None else None,
    }


def run_bench(runs: int = 3, cases_dir: Path | None = None) -> dict[str, Any]:
    """Run every phase once (cold start and warm passes ``runs`` times) and return the figures.

    The top-level keys are the contract of ``jxai bench --json``: cold_start_s, p50_ms, p95_ms, max_ms,
    throughput_qps, peak_rss_mb, index_build_s, baseline; ``details`` holds the breakdown.
    """
    os.environ.pop(LLM_ENV, None)  # no LLM in this process either
    cases = _questions(cases_dir or evals_dir() / "cases")
    from .retrieval import get_retriever

    get_retriever()  # the on-disk index cache exists before the cold-start children look for it
    cold = measure_cold_start(runs)
    warm = measure_warm(cases, runs)
    # Peak RSS of the product: this process after the warm passes (before the baseline and its extra index), and
    # the cold-start children.
    warm_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    build = measure_index_build()
    baseline = measure_baseline(cases, warm)
    return {
        "cold_start_s": cold["cold_start_s"],
        "p50_ms": warm["p50_ms"],
        "p95_ms": warm["p95_ms"],
        "max_ms": warm["max_ms"],
        "throughput_qps": warm["throughput_qps"],
        "peak_rss_mb": max(warm_rss_mb, cold["rss_mb"]),
        "index_build_s": build["build_s"],
        "baseline": baseline,
        "details": {
            "runs": runs,
            "answers": warm["answers"],
            "cold_start": {k: cold[k] for k in ("runs_s", "import_s", "first_answer_s", "cpu_s", "rss_mb")},
        "load_average_1m": os.getloadavg()[0],
            "warm_process_rss_mb": warm_rss_mb,
            "index_build": build,
            "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0],
        },
    }


def budget_status(result: dict[str, Any]) -> dict[str, bool]:
    """Metric → within the issue-8 budget."""
    return {key: result[key] <= limit for key, limit in BUDGET.items()}


def format_bench(result: dict[str, Any]) -> str:
    """The human-readable benchmark: figures with their budget, and the llama-index baseline side by side."""
    status = budget_status(result)
    d = result["details"]

    def mark(key: str) -> str:
        return f"  [{'PASS' if status[key] else 'FAIL'} ≤ {BUDGET[key]:g}]" if key in status else ""

    lines = [
        f"cold start        {result['cold_start_s']:8.2f} s {mark('cold_start_s')}"
        f"  (import {d['cold_start']['import_s']:.2f} s + first answer {d['cold_start']['first_answer_s']:.2f} s,"
        f" median of {d['runs']}; {d['cold_start']['cpu_s']:.2f} CPU s; load average {d['load_average_1m']:.1f}"
        f" on {d['cpu_count']} cores)",
        f"warm p50          {result['p50_ms']:8.2f} ms",
        f"warm p95          {result['p95_ms']:8.2f} ms{mark('p95_ms')}",
        f"warm max          {result['max_ms']:8.2f} ms  ({d['answers']} answers)",
        f"throughput        {result['throughput_qps']:8.1f} answers/s (one process)",
        f"peak RSS          {result['peak_rss_mb']:8.0f} MB{mark('peak_rss_mb')}"
        f"  (warm process {d['warm_process_rss_mb']:.0f} MB, cold child {d['cold_start']['rss_mb']:.0f} MB)",
        f"index build       {result['index_build_s']:8.2f} s {mark('index_build_s')}"
        f"  (from scratch; index itself {d['index_build'].get('index_only_s')} s, dense={d['index_build']['dense']})",
    ]
    b = result["baseline"]
    if "skipped" in b:
        lines += ["", f"baseline skipped: {b['skipped']}"]
        return "\n".join(lines)

    def num(value: float | None, fmt: str) -> str:
        return "n/a" if value is None else format(value, fmt)

    lines += [
        "",
        f"side by side on {b['questions']} single-turn questions (R@1 on {b['scored_r_at_1']}): {b['pipeline']}",
        f"{'':16}{'ours (full answer)':>20}{'llama-index':>14}{'ratio':>9}",
        f"{'latency p50 ms':16}{num(b['ours_p50_ms'], '.2f'):>20}{num(b['p50_ms'], '.2f'):>14}"
        f"{num(b['p50_speedup'], '.1f') + '×':>9}  (llama-index ÷ ours)",
        f"{'latency p95 ms':16}{num(b['ours_p95_ms'], '.2f'):>20}{num(b['p95_ms'], '.2f'):>14}",
        f"{'R@1':16}{num(b['ours_r_at_1'], '.3f'):>20}{num(b['r_at_1'], '.3f'):>14}"
        f"{num(b['r_at_1_ratio'], '.2f') + '×':>9}  (ours ÷ llama-index)",
        f"{'build s':16}{result['index_build_s']:>20.2f}{b['build_s']:>14.2f}"
        "  (ours: fresh process from scratch; llama-index: in process, embedder loaded)",
    ]
    return "\n".join(lines)
