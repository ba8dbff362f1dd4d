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
    extraction: Annotated[bool, typer.Option("--extraction", help="改为评测事实抽取语料（evals/extraction）：逐项精确率/召回率")] = False,
    nlu: Annotated[bool, typer.Option("--nlu", help="改为交叉验证意图与主题分类器（corpus/nlu 示例）")] = False,
) -> None:
    """运行评测用例并对照阈值；任一阈值未达标时退出码为 1。"""
    if extraction:
        _extraction_report(paths, as_json)
        return
    if nlu:
        _nlu_report(as_json)
        return
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


def _extraction_report(paths: Optional[list[Path]], as_json: bool) -> None:
    """Per-fact precision and recall, and per-class exact reads, of the extraction corpus."""
    from ..evals import evals_dir
    from ..evals.extraction import load_corpus, score_corpus

    entries = [e for p in (paths or [evals_dir() / "extraction" / "corpus.yaml"]) for e in load_corpus(p)]
    summary = score_corpus(entries).to_dict()
    if as_json:
        echo_json(summary)
        return
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"
    lines = [f"messages {summary['messages']}  exact {pct(summary['exact'])}  "
             f"precision {pct(summary['precision'])}  recall {pct(summary['recall'])}", "", "| fact | P | R | n |",
             "|---|---:|---:|---:|"]
    lines += [f"| {f} | {pct(v['precision'])} | {pct(v['recall'])} | {v['support']} |"
              for f, v in summary["per_fact"].items()]
    lines += ["", "| class | exact |", "|---|---:|"] + [f"| {c} | {pct(v)} |" for c, v in summary["per_class"].items()]
    typer.echo("\n".join(lines))


def _nlu_report(as_json: bool) -> None:
    """Cross-validated accuracy of the act and topic classifiers on their own examples."""
    from ..dialogue.recognizer import cross_validate

    result = {kind: cross_validate(kind) for kind in ("intents", "topics")}
    if as_json:
        echo_json(result)
        return
    for kind, r in result.items():
        typer.echo(f"{kind}: 5-fold accuracy {r['accuracy']:.3f} over {r['examples']} examples")
        typer.echo("  " + "  ".join(f"{label} {acc:.2f}" for label, acc in r["per_label"].items()))


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
