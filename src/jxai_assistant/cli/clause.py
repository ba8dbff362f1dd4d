"""Hotline lookup commands: ``jxai clause``, ``jxai clauses``, ``jxai units``."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import app, echo_json, fail


def _clause_payload(clause, document_title: str) -> dict:
    return {
        "clause_id": clause.clause_id,
        "title": clause.title,
        "path": clause.path,
        "text": clause.text,
        "units": clause.units,
        "units_as_written": clause.units_as_written,
        "lead_unit": clause.lead_unit,
        "citation": clause.citation_line(document_title),
    }


def _units_line(clause) -> str:
    """牵头单位：“市发改委”（市发展改革委）；责任单位：… — as the clause writes them, canonical names beside."""
    units = "、".join(clause.unit_as_written(i) for i in range(len(clause.units)))
    return f"牵头单位：{clause.unit_as_written(0)}；责任单位：{units}"


@app.command("clause")
def clause_command(
    ref: Annotated[str, typer.Argument(help="条款引用，如 三.7、支持政策第七条、第二部分第十条、二（四）、主要目标、"
                                             "支持算力应用（标题）、算力券（常用名称）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """按编号、标题或常用名称查看条款原文（含路径、责任单位、牵头单位和一行工单引用）。"""
    from ..document import load_document
    from ..references import ReferenceNotFound, resolve_reference

    doc = load_document()
    try:
        ids = resolve_reference(ref, doc, names=True)
    except ReferenceNotFound as exc:
        raise fail(exc.message) from None
    clauses = [doc.get(cid) for cid in ids]
    if as_json:
        payloads = [_clause_payload(c, doc.title) for c in clauses]
        echo_json(payloads[0] if len(payloads) == 1 else payloads)
        return
    for i, clause in enumerate(clauses):
        if i:
            typer.echo("")
        typer.echo(f"〔{clause.clause_id}〕{clause.path}")
        typer.echo(clause.text)
        if clause.units:
            typer.echo(_units_line(clause))
        typer.echo(f"工单引用：{clause.citation_line(doc.title)}")


@app.command("clauses")
def clauses_command(as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False) -> None:
    """列出全部条款，每条一行。"""
    from ..document import load_document

    doc = load_document()
    if as_json:
        echo_json([_clause_payload(c, doc.title) for c in doc.clauses])
        return
    for clause in doc.clauses:
        lead = f"  〔牵头：{clause.lead_unit}〕" if clause.lead_unit else ""
        typer.echo(f"{clause.clause_id:<5} {clause.path}{lead}")


@app.command("units")
def units_command(
    name: Annotated[Optional[str], typer.Argument(help="单位名称或简称，如 市数据局、发改委")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出全部责任单位及条款数；给出单位名称时列出它牵头和参与的条款。"""
    from ..document import load_document
    from ..units import department_index, unit_roles

    doc = load_document()
    if name is None:
        index = department_index()
        if as_json:
            echo_json([{"unit": r.name, "full_name": r.full_name, "leads": r.leads, "participates": r.participates}
                       for r in index.values()])
            return
        for roles in index.values():
            typer.echo(f"{roles.name}（{roles.full_name}）：牵头 {len(roles.leads)} 条，参与 {len(roles.participates)} 条")
        typer.echo(f"另：{doc.implementer.quote}（〔二.1〕，适用于全部任务）。" if doc.implementer else "")
        return
    roles = unit_roles(name)
    if roles is None:
        known = "、".join(department_index())
        raise fail(f"文件中没有“{name}”这个责任单位。文件列出的单位有：{known}。")
    if as_json:
        echo_json({"unit": roles.name, "full_name": roles.full_name, "leads": roles.leads,
                   "participates": roles.participates})
        return
    typer.echo(f"{roles.name}（{roles.full_name}）")
    typer.echo(f"牵头（列第一位）{len(roles.leads)} 条：")
    for cid in roles.leads:
        typer.echo(f"  〔{cid}〕{doc.get(cid).path}")
    typer.echo(f"参与 {len(roles.participates)} 条：")
    for cid in roles.participates:
        typer.echo(f"  〔{cid}〕{doc.get(cid).path}")
