"""Quality and speed commands: ``jxai eval`` (gold cases through the real assistant) and ``jxai bench``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app, echo_json, fail


@app.command("eval")
def eval_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="用例文件或目录（默认 evals/cases/*.jsonl）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出指标 JSON")] = False,
    report: Annotated[Optional[Path], typer.Option("--report", help="写出 Markdown 报告（图表 PNG 同名放在旁边）")] = None,
    retrieval: Annotated[bool, typer.Option("--retrieval", help="另行比较 BM25 / 向量 / 混合 / llama-index 默认检索")] = False,
    thresholds: Annotated[Optional[Path], typer.Option("--thresholds", help="阈值文件（默认 evals/thresholds.yaml）")] = None,
) -> None:
    """运行评测用例并对照阈值；任一阈值未达标时退出码为 1。"""
    from ..evals import (CaseFileError, ThresholdError, check_thresholds, evals_dir, load_cases, load_thresholds,
                         run_cases, summarize)
    from ..evals.cases import case_files
    from ..evals.report import format_table, write_report

    try:
        files = case_files(paths or [evals_dir() / "cases"])
        cases = load_cases(files)
        limits = load_thresholds(thresholds or evals_dir() / "thresholds.yaml")
    except (CaseFileError, ThresholdError) as exc:
        raise fail(str(exc)) from None

    from ..assistant import get_assistant
    from ..retrieval import get_retriever

    results = run_cases(cases, get_assistant(), retriever=get_retriever())
    summary = summarize(results)
    gates = check_thresholds(summary["overall"]["metrics"], limits)
    summary["thresholds"] = [g.to_dict() for g in gates]
    comparison = None
    if retrieval:
        from ..retrieval import evaluate as retrieval_eval

        comparison = retrieval_eval.evaluate(retrieval_eval.load_cases(files))
        summary["retrieval_systems"] = comparison

    if as_json:
        echo_json(summary)
    else:
        typer.echo(format_table(summary, gates))
        if comparison is not None:
            typer.echo("\nRetrievers side by side (retrieval.evaluate):\n" + retrieval_eval.format_report(comparison))
    if report is not None:
        chart = write_report(summary, gates, report)
        typer.echo(f"报告已写入 {report}（图表 {chart}）", err=True)
    missed = [g for g in gates if g.status == "miss"]
    if missed:
        lines = "\n".join(f"  {g.metric} = {g.value:.3f}，要求 {g.op} {g.threshold:g}" for g in missed)
        typer.echo(f"评测未达阈值（{len(missed)} 项）：\n{lines}", err=True)
        raise typer.Exit(1)


@app.command("bench")
def bench_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    runs: Annotated[int, typer.Option("--runs", min=1, help="冷启动次数与热测轮数")] = 3,
) -> None:
    """测量冷启动、热延迟、吞吐、峰值内存、索引构建时间，并与 llama-index 默认流水线对比。"""
    from ..bench import format_bench, run_bench

    result = run_bench(runs=runs)
    if as_json:
        echo_json(result)
    else:
        typer.echo(format_bench(result))
