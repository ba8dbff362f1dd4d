"""Document versions: ``jxai corpus diff`` (what changed, clause by clause), ``jxai corpus add``, ``jxai corpus versions``."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .app import app, echo_json, fail, parse_day

corpus_app = typer.Typer(help="文件版本：登记正式文本、逐条对比两个版本。", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


def _versions() -> Any:
    from ..versions import VersionError, load_versions

    try:
        return load_versions()
    except VersionError as exc:
        raise fail(str(exc)) from None


def _source(ref: str) -> tuple[Any, Any, str]:
    """(document, version or None, label) for a version id or a text file."""
    from ..document import parse_document

    versions = _versions()
    version = next((v for v in versions.versions if v.id == ref), None)
    path = version.path if version else Path(ref)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        ids = "、".join(v.id for v in versions.versions)
        raise fail(f"“{ref}”既不是文件，也不是已登记的版本（{ids}）。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"无法读取“{ref}”：{type(exc).__name__}（须为 UTF-8 文本文件）。") from None
    try:
        document = parse_document(text)
    except ValueError as exc:
        raise fail(f"“{ref}”不能按本文件的结构解析：{exc}") from None
    parts = "".join(sorted({c.part for c in document.clauses} - {"序"}, key="一二三四五六七八九十".index))
    if not parts.startswith("一二三四五"):  # the clause ids and the rule data assume these five parts
        raise fail(f"“{ref}”不是本文件的一个版本：应有“一、总体要求”至“五、其他”五个部分，只找到{parts or '序言'}。")
    if version is None:  # a file with the very text of a registered version is that version (its rules apply)
        version = next((v for v in versions.versions if _sha(v.path) == document.sha256), None)
    return document, version, ref if version is None else f"{ref}（{version.id}）"


def _sha(path: Path) -> Optional[str]:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _rule_book(version: Any) -> Any:
    from ..calculator import RuleFileError, load_rules
    from ..calculator.versioned import rules_for

    try:
        return rules_for(version) if version is not None else load_rules()
    except RuleFileError as exc:
        raise fail(str(exc)) from None


def compare(old_ref: str, new_ref: str) -> dict:
    """The JSON object of ``jxai corpus diff`` (DESIGN.md "Document versions")."""
    from ..calculator.staleness import stale_rules
    from ..diff import diff_documents

    old, old_version, old_label = _source(old_ref)
    new, _, new_label = _source(new_ref)
    diff = diff_documents(old, new)
    book = _rule_book(old_version)
    stale = stale_rules([*book.policies.values(), book.general], new, diff.clause_map)
    out = diff.model_dump(mode="json", exclude={"clause_map"})
    for item, change in zip(out["changed"], diff.changed):
        item["figures"] = [f.model_dump() for f in change.figures]
    return {"old": {"source": old_label, "title": old.title}, "new": {"source": new_label, "title": new.title},
            **out, "stale_rules": [s.model_dump(mode="json") for s in stale]}


def _echo_report(report: dict) -> None:
    typer.echo(f"对比：{report['old']['source']} → {report['new']['source']}")
    counts = {k: len(report[k]) for k in ("changed", "added", "removed", "renumbered", "stale_rules")}
    typer.echo(f"修改 {counts['changed']} 条，新增 {counts['added']} 条，删除 {counts['removed']} 条，"
               f"重新编号 {counts['renumbered']} 条；需更新的规则数据 {counts['stale_rules']} 项。")
    if report["changed"]:
        typer.echo("\n【修改】")
    for c in report["changed"]:
        moved = "" if c["old_id"] == c["new_id"] else f"（原〔{c['old_id']}〕）"
        typer.echo(f"〔{c['new_id']}〕{c['title']}{moved}")
        for s in c["changes"]:
            if s["old"]:
                typer.echo(f"  − {s['old']}")
            if s["new"]:
                typer.echo(f"  + {s['new']}")
            if s["figures"]:
                typer.echo("    数字变化：" + "；".join(f"{f['old'] or '（无）'} → {f['new'] or '（无）'}"
                                              for f in s["figures"]))
    for key, head in (("added", "新增"), ("removed", "删除")):
        if report[key]:
            typer.echo(f"\n【{head}】")
        for c in report[key]:
            typer.echo(f"〔{c['clause_id']}〕{c['title']}：{c['text'][:60]}{'…' if len(c['text']) > 60 else ''}")
    if report["renumbered"]:
        typer.echo("\n【重新编号】" + "，".join(f"{r['old_id']}→{r['new_id']}" for r in report["renumbered"]))
    if report["stale_rules"]:
        typer.echo("\n【规则数据须更新】（规则引用的原文短语已不在新文本中；更新前不测算这些政策）")
    for s in report["stale_rules"]:
        typer.echo(f"〔{s['policy_id']}〕{s['key']}：“{s['phrase']}”")
        typer.echo(f"    新文本最接近的句子：{'“' + s['nearest'] + '”' if s['nearest'] else '（条款已删除）'}")


@corpus_app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="旧版本：文本文件或版本编号（如 draft）")],
    new: Annotated[str, typer.Argument(help="新版本：文本文件或版本编号")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（DESIGN.md“Document versions”）")] = False,
) -> None:
    """逐条对比两个版本：修改（句子与数字的变化）、新增、删除、重新编号，以及须更新的规则数据。"""
    report = compare(old, new)
    if as_json:
        echo_json(report)
    else:
        _echo_report(report)


@corpus_app.command("add")
def add_command(
    file: Annotated[Path, typer.Argument(help="新版本的全文（UTF-8 文本，结构与征求意见稿相同）")],
    status: Annotated[str, typer.Option("--status", help="final（正式文本）或 draft")] = "final",
    issued: Annotated[str, typer.Option("--issued", help="印发（发文）日期 YYYY-MM-DD")] = "",
    version_id: Annotated[Optional[str], typer.Option("--id", help="版本编号（默认 final-印发日期）")] = None,
) -> None:
    """登记一个新版本：自施行之日起据此回答、引用，规则数据过时的政策暂停测算。"""
    from ..versions import STATUS_LABELS, VersionError, add_version

    if status not in STATUS_LABELS:
        raise fail(f"--status 应为 {' 或 '.join(STATUS_LABELS)}，而不是“{status}”。")
    if not issued:
        raise fail("请用 --issued YYYY-MM-DD 给出印发日期（施行日期按五.1“自发文之日30日后正式施行”推算）。")
    day = parse_day(issued, "--issued")
    document, known, _ = _source(str(file))
    if known is not None:
        raise fail(f"“{file}”与已登记的版本 {known.id} 内容相同，无需重复登记。")
    previous = _versions().versions[-1]
    try:
        version = add_version(file, status, day, document.title, version_id)
    except (VersionError, ValueError) as exc:
        raise fail(f"无法登记：{exc}") from None
    typer.echo(f"已登记版本 {version.id}：{version.title}，{version.label()}。")
    report = compare(previous.id, version.id)
    _echo_report(report)
    if report["stale_rules"]:
        typer.echo(f"\n请把须更新的规则文件复制到 {version.own_rules_dir} 并按新文本修改；通过校验前，这些政策只给原文、不测算。")


@corpus_app.command("versions")
def versions_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出已登记的版本，并标出今天施行的版本。"""
    from ..versions import as_of

    versions = _versions()
    current = versions.in_force(as_of())
    if as_json:
        echo_json([{**v.model_dump(mode="json"), "effective": v.effective, "in_force": v == current}
                   for v in versions.versions])
        return
    for v in versions.versions:
        typer.echo(f"{'*' if v == current else ' '} {v.id}  {v.title}  {v.label()}  有效期至{v.expiry.rendered()}")
