"""The web app's view of document versions: the header's version in force, the "与征求意见稿相比" comparison (changed
clauses side by side, changes highlighted) and a clause browser over any registered version."""

from __future__ import annotations

from html import escape

from ..diff import ClauseChange, DocumentDiff, diff_documents, highlight
from ..document import Document, load_document
from ..versions import active_version, load_versions
from .style import DRAFT_LINE, HEADER


def header_html() -> str:
    """The page header naming the document and the version in force."""
    version, doc = active_version(), load_document()
    return HEADER.format(title=escape(doc.title), version=escape(version.label()),
                         draft=DRAFT_LINE if version.status == "draft" else "")


def _marked(runs: list[tuple[str, bool]], tag: str) -> str:
    return "".join(f"<{tag}>{escape(text)}</{tag}>" if changed else escape(text) for text, changed in runs)


def _change_table(change: ClauseChange) -> str:
    moved = "" if change.old_id == change.new_id else f"（原〔{escape(change.old_id)}〕）"
    rows = []
    for sentence in change.changes:
        left, right = highlight(sentence.old or "", sentence.new or "")
        figures = "；".join(f.text() for f in sentence.figures)
        note = f'<div class="jx-figures">数字变化：{escape(figures)}</div>' if figures else ""
        rows.append(f"<tr><td>{_marked(left, 'del')}</td><td>{_marked(right, 'ins')}{note}</td></tr>")
    return (f'<table class="jx-compare" data-clause="{escape(change.new_id)}">'
            f"<tr><th>〔{escape(change.old_id)}〕征求意见稿</th>"
            f"<th>〔{escape(change.new_id)}〕{escape(change.title)}{moved} 现行版本</th></tr>{''.join(rows)}</table>")


def comparison_html(diff: DocumentDiff | None = None) -> str:
    """Changed, added, removed and renumbered clauses of the version in force against the 征求意见稿."""
    versions, current = load_versions(), active_version()
    if current == versions.base:
        return '<div class="jx-empty">现行版本就是征求意见稿，暂无正式文本可对比。</div>'
    diff = diff or diff_documents(load_document(versions.base.path), load_document(current.path))
    parts = [f'<div class="jx-panel-title">{escape(current.label())}与征求意见稿相比：修改{len(diff.changed)}条，'
             f"新增{len(diff.added)}条，删除{len(diff.removed)}条，重新编号{len(diff.renumbered)}条</div>"]
    parts.extend(_change_table(c) for c in diff.changed)
    for refs, head in ((diff.added, "新增条款"), (diff.removed, "删除条款")):
        if refs:
            items = "".join(f"<li>〔{escape(r.clause_id)}〕{escape(r.text)}</li>" for r in refs)
            parts.append(f'<div class="jx-panel-title">{head}</div><ul>{items}</ul>')
    if diff.renumbered:
        moves = "，".join(f"{escape(r.old_id)}→{escape(r.new_id)}" for r in diff.renumbered)
        parts.append(f'<div class="jx-panel-title">重新编号</div><p>{moves}</p>')
    return f'<div id="jx-compare">{"".join(parts)}</div>'


def version_choices() -> list[tuple[str, str]]:
    """(label, id) of every registered version, oldest first, for the clause browser."""
    return [(f"{v.title} · {v.label()}", v.id) for v in load_versions().versions]


def version_document(version_id: str) -> Document:
    """The parsed text of a registered version."""
    return load_document(load_versions().get(version_id).path)
