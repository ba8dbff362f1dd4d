"""Calculator commands: ``jxai calc``, ``jxai match``, ``jxai facts``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .app import app, echo_json, fail, use_version_of

_STEP_NAMES = {"validity": "有效期", "conditions": "条件", "base": "基数", "rate": "比例", "cap": "上限",
               "combination": "就高不重复"}
_VERDICT = {True: "符合条件", False: "不符合条件", None: "尚需确认"}
#: A profile names at most a few dozen facts; a larger file is a wrong file, not a profile to read into memory.
MAX_PROFILE_BYTES = 1_000_000


def _facts_from_options(pairs: list[str], as_of: Optional[str]) -> Any:
    from ..calculator import FactsError, facts_from_mapping

    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise fail(f"--fact 的格式应为 名称=取值（如 compute_spend_yuan=120万），而不是“{pair}”。")
        values[name.strip()] = value
    if as_of is not None:
        values["as_of"] = as_of
    try:
        return facts_from_mapping(values)
    except FactsError as exc:
        raise fail(exc.message) from None


def _policy_id(ref: str) -> str:
    from ..calculator import POLICY_IDS
    from ..references import ReferenceNotFound, resolve_reference

    try:
        ids = resolve_reference(ref, names=True)
    except ReferenceNotFound as exc:
        raise fail(exc.message) from None
    if len(ids) != 1 or ids[0] not in POLICY_IDS:
        raise fail(f"“{ref}”不是一条可测算的支持政策；可测算的是 {POLICY_IDS[0]}–{POLICY_IDS[-1]}（如 三.7、支持政策第七条）。")
    return ids[0]


def _echo_calculation(calc: Any, title: str) -> None:
    from ..numbers import format_yuan

    head = f"〔{calc.policy_id}〕{title}" + (f" — {calc.item}" if calc.item else "")
    typer.echo(head)
    verdict = _VERDICT[calc.eligible]
    if calc.amount_yuan is not None:
        verdict += f"，测算金额{format_yuan(calc.amount_yuan)}"
    if calc.cap_yuan is not None:
        verdict += f"（上限{format_yuan(calc.cap_yuan)}）"
    typer.echo(f"结论：{verdict}")
    for i, step in enumerate(calc.steps, 1):
        typer.echo(f"  {i}. 【{_STEP_NAMES[step.name]}】{step.text}〔{step.clause_id}〕")
    for m in calc.missing:
        typer.echo(f"  待确认：{m.question}（--fact {m.fact}=…）")
    for note in calc.notes:
        typer.echo(f"  说明：{note}")


@app.command("calc")
def calc_command(
    policy: Annotated[str, typer.Argument(help="支持政策，如 三.7、3.7、支持政策第七条")],
    fact: Annotated[list[str], typer.Option("--fact", "-f", help="事实 名称=取值，可重复；如 compute_spend_yuan=120万")] = [],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="测算基准日期，如 2027-12-31（默认今天）；也按该日施行的文件版本测算")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（计算结果，DESIGN 约定的格式）")] = False,
) -> None:
    """按一条支持政策测算补贴金额（列出条件、算式、上限和条款依据）。"""
    from ..calculator import calculate, combine, load_rules, stale_notices
    from ..numbers import format_yuan

    facts = _facts_from_options(fact, as_of)
    use_version_of(facts.as_of)
    policy_id = _policy_id(policy)
    combined = combine(calculate(policy_id, facts))
    if not as_json and (stale := stale_notices([policy_id])):
        # Rule data not updated for the version in force: the clause itself instead of a figure.
        from ..document import load_document

        doc = load_document()
        typer.echo(f"{stale[policy_id]}\n\n{doc.get(policy_id).citation_line(doc.title)}")
        return
    if as_json:
        payloads = [c.model_dump(mode="json") for c in combined.calculations]
        echo_json(payloads[0] if len(payloads) == 1 else payloads)
        return
    title = load_rules().policy(policy_id).title
    for i, calc in enumerate(combined.calculations):
        if i:
            typer.echo("")
        _echo_calculation(calc, title)
    if len(combined.calculations) > 1:
        award = format_yuan(combined.award_yuan) if combined.award_yuan is not None else "暂无法确定"
        typer.echo(f"\n合计（按“就高不重复”合并后）：{award}")
        for note in combined.notes:
            typer.echo(f"  说明：{note}")


@app.command("match")
def match_command(
    profile: Annotated[Path, typer.Argument(help="企业情况 JSON 文件，键为事实名（jxai facts 查看），如 {\"revenue_yuan\": \"3000万\"}")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """政策匹配：列出企业可能符合的全部支持政策（按金额从高到低）、按“就高不重复”合并后的合计、待确认事项和下一步建议。"""
    from ..calculator import FactsError, facts_from_json, match_summary
    from ..calculator.model import Match
    from ..numbers import format_yuan
    from ..strictjson import StrictJSONError, read_text

    try:
        facts = facts_from_json(read_text(profile, MAX_PROFILE_BYTES))
    except StrictJSONError as exc:
        raise fail(f"无法读取企业情况文件 {profile}：{exc.message}") from None
    except FactsError as exc:
        raise fail(f"{profile}：{exc.message}") from None
    summary = match_summary(facts)
    if as_json:
        echo_json(summary)
        return
    matches = [Match.model_validate(m) for m in summary["matches"]]
    if not matches:
        typer.echo("按现有信息，没有可能符合的支持政策。")
        return
    for i, m in enumerate(matches, 1):
        if m.amount_yuan is not None:
            status = f"可获{format_yuan(m.amount_yuan)}"
        else:
            status = _VERDICT[m.eligible] + ("，金额文件未给出" if m.eligible else "")
        typer.echo(f"{i}. 〔{m.policy_id}〕{m.title}：{status}")
        for missing in m.missing:
            typer.echo(f"   待确认：{missing.question}")
        if m.next_step:
            typer.echo(f"   下一步：{m.next_step}")
    award = summary["award_yuan"]
    typer.echo(f"\n合计（按“就高不重复”合并后）：{format_yuan(award) if award is not None else '暂无法确定'}")
    if summary["total_text"]:
        typer.echo(f"  算式：{summary['total_text']}")
    for note in summary["notes"]:
        typer.echo(f"  说明：{note}")


@app.command("facts")
def facts_command(
    policy: Annotated[Optional[str], typer.Argument(help="只列某条政策用到的事实，如 三.4")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出测算用的事实名、类型和中文说明（用于 --fact 名称=取值 和 jxai match 的 JSON 文件）。"""
    from ..calculator import policy_facts
    from ..calculator.facts import FACT_NAMES, fact_choices, fact_kind, fact_label, fact_value_labels

    names = policy_facts(_policy_id(policy)) if policy else list(FACT_NAMES)
    rows = [{"name": n, "type": fact_kind(n), "description": fact_label(n),
             "choices": {c: fact_value_labels(n).get(c, c) for c in fact_choices(n)}} for n in names]
    if as_json:
        echo_json(rows)
        return
    kinds = {"yuan": "金额", "percent": "百分点", "bool": "是/否", "choice": "单选", "choices": "多选（逗号分隔）",
             "date": "日期"}
    for row in rows:
        choices = "；可选：" + "、".join(f"{k}={v}" for k, v in row["choices"].items()) if row["choices"] else ""
        typer.echo(f"{row['name']:<26} [{kinds[row['type']]}] {row['description']}{choices}")
