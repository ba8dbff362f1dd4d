"""Retrieval commands: ``jxai search`` (ranked clauses for keywords or a question) and ``jxai index`` (the cache)."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from .app import app, echo_json, fail


def highlight(text: str, terms: list[str]) -> str:
    """Wrap each occurrence of the matched terms in 【】 (case-insensitive, longest term first, no nesting)."""
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
    return pattern.sub(lambda m: f"【{m.group(0)}】", text)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="关键词或问题，如 “用超算有补贴吗”")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=32, help="返回条数")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """检索相关条款：按相关度排序，显示得分、路径、牵头单位，命中词用【】标出。"""
    from ..retrieval import get_retriever

    if not query.strip():
        raise fail("请输入检索关键词或问题，例如：jxai search “用超算有补贴吗”")
    retriever = get_retriever()
    if retriever.dense_error:
        typer.echo(f"提示：{retriever.dense_error}；本次仅用关键词检索（BM25）。", err=True)
    hits = retriever.search(query, k=k)
    doc = retriever.document
    if as_json:
        echo_json(
            [
                {
                    "clause_id": h.clause_id,
                    "title": doc.get(h.clause_id).title,
                    "path": doc.get(h.clause_id).path,
                    "score": h.score,
                    "lead_unit": doc.get(h.clause_id).lead_unit,
                    "matched_terms": h.matched_terms,
                }
                for h in hits
            ]
        )
        return
    if not hits:
        typer.echo("没有找到相关条款。")
        return
    for h in hits:
        clause = doc.get(h.clause_id)
        via = "（按编号引用）" if h.sources.get("reference") else ""
        typer.echo(f"{h.rank}. 〔{h.clause_id}〕{clause.path}  得分 {h.score:.3f}{via}")
        if clause.lead_unit:
            typer.echo(f"   牵头单位：{clause.lead_unit}")
        typer.echo(f"   {highlight(clause.body, h.matched_terms)}")
    conf = retriever.confidence(hits)
    typer.echo(f"\n置信度 {conf:.2f}" + ("（较低：问题可能不在本文件范围内）" if conf < _threshold() else ""))


def _threshold() -> float:
    from ..retrieval import OUT_OF_SCOPE_BELOW

    return OUT_OF_SCOPE_BELOW


@app.command("index")
def index_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="忽略缓存，重建索引")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """显示检索索引缓存（位置、模型、构建耗时）；--rebuild 重建。"""
    import time

    from ..retrieval.hybrid import HybridRetriever

    start = time.perf_counter()
    retriever = HybridRetriever(rebuild=rebuild)
    info = retriever.describe()
    info["load_seconds"] = round(time.perf_counter() - start, 3)
    if as_json:
        echo_json(info)
        return
    status = {"hit": "已从缓存加载", "built": "新建", "rebuilt": "已重建", "rebuilt-corrupt": "缓存损坏，已重建"}
    typer.echo(f"索引目录：{info['directory']}")
    typer.echo(f"状态：{status.get(info['cache_status'], info['cache_status'])}（耗时 {info['load_seconds']} 秒）")
    typer.echo(f"条款 {info['clauses']} 条；向量段落 {info['passages']} 个；构建耗时 {info['build_seconds']} 秒")
    typer.echo(f"向量模型：{info['model_id'] or '未启用（仅 BM25）'}")
    if info["dense_error"]:
        typer.echo(f"提示：{info['dense_error']}", err=True)
    typer.echo(f"文档 sha256：{info['corpus_sha256']}；代码版本 {info['code_version']}；构建于 {info['built_at']}")
