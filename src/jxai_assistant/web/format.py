"""HTML and Markdown rendering for the web UI.

Every string that reaches the browser goes through here. The rule: text from the document, from the calculator or
from users is escaped first; only this module's own tags (``<mark>``, ``<details>``, …) are HTML. User text is shown
as literal characters in the chat, never interpreted as Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..document import Clause, Document
from ..numbers import format_yuan

# Characters with a meaning in Markdown (CommonMark's backslash-escapable ASCII punctuation), minus < > & which are
# entity-escaped instead: a backslash before an entity would show the entity's letters.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$=:])")


def esc(text: object) -> str:
    """Escape any value for an HTML text node or attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def escape_markdown(text: str) -> str:
    """Return user text that a Markdown renderer shows verbatim: no links, emphasis, headings, HTML or LaTeX."""
    # Leading spaces would turn a line into a code block; they carry no meaning in a question.
    lines = [line.lstrip() for line in text.splitlines()]
    escaped = _MD_SPECIAL.sub(r"\\\1", "\n".join(lines))
    return html.escape(escaped, quote=False)


def _spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the terms in ``text``, longer terms winning."""
    taken: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
            start = text.find(term, end)
    return sorted(taken)


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escape ``text`` and wrap every occurrence of the terms in ``<mark>`` (escaping segment by segment)."""
    out, pos = [], 0
    for start, end in _spans(text, terms):
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def snippet(text: str, terms: Sequence[str], width: int = 48) -> str:
    """Return an escaped excerpt of about ``2 * width`` characters around the first match, highlighted."""
    spans = _spans(text, terms)
    if not spans:
        cut = text[: 2 * width]
        return esc(cut) + ("…" if len(text) > len(cut) else "")
    first = spans[0][0]
    start = max(0, first - width)
    end = min(len(text), first + 2 * width)
    body = highlight(text[start:end], terms)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def yuan(amount: int | None) -> str:
    """Format an optional integer amount of yuan for display (``None`` → —)."""
    return "—" if amount is None else format_yuan(int(amount))


def _units_line(clause: Clause) -> str:
    if not clause.units:
        return ""
    rest = "、".join(esc(u) for u in clause.units[1:])
    lead = f'<span class="jx-lead">牵头：{esc(clause.lead_unit)}</span>'
    return f'<div class="jx-units">{lead}{"<span>配合：" + rest + "</span>" if rest else ""}</div>'


# --- 政策问答: the citation panel ------------------------------------------------------------------------------------


def citation_panel_html(response: Mapping[str, Any], doc: Document) -> str:
    """Render the side panel of one answer: each cited clause verbatim with the quoted sentence in ``<mark>``,
    then the calculation steps, if any."""
    # One entry per clause, all its quoted sentences marked (an answer may quote two sentences of 五.1).
    quotes: dict[str, list[str]] = {}
    for cit in response.get("citations") or []:
        quotes.setdefault(cit.get("clause_id", ""), []).append(cit.get("quote") or "")
    parts: list[str] = []
    if not quotes:
        parts.append('<div class="jx-empty">本条回答没有引用条款。</div>')
    first = True
    for cid, said in quotes.items():
        try:
            clause = doc.get(cid)
        except KeyError:
            continue
        body = highlight(clause.text, [q for q in said if q and q in clause.text])
        # The first (main) clause starts open; the others are one click away.
        parts.append(
            f'<details class="jx-cite" data-clause="{esc(cid)}"{" open" if first else ""}>'
            f'<summary><span class="jx-chip">〔{esc(cid)}〕</span><span class="jx-cite-title">{esc(clause.title)}'
            f'</span></summary><div class="jx-path">{esc(clause.path)}</div>'
            f'<div class="jx-clause-text">{body}</div>{_units_line(clause)}</details>'
        )
        first = False
    calcs = response.get("calculations") or []
    if calcs:
        parts.append('<div class="jx-section-title">测算过程</div>')
        parts.extend(_calculation_block(c) for c in calcs)
    return f'<div class="jx-panel">{"".join(parts)}</div>'


def citation_panel_placeholder() -> str:
    """The side panel before the first answer."""
    return (
        '<div class="jx-panel"><div class="jx-empty">提问后，这里显示回答所引用条款的原文，'
        "引用的句子以黄色标出。点击条款编号展开原文。</div></div>"
    )


# --- 补贴测算 / calculations ------------------------------------------------------------------------------------------

_STATUS = {True: ("jx-ok", "符合条件"), False: ("jx-no", "不符合"), None: ("jx-wait", "待补充信息")}


def _status_badge(eligible: bool | None) -> str:
    cls, label = _STATUS[eligible]
    return f'<span class="jx-badge {cls}">{label}</span>'


def _steps_html(steps: Sequence[Mapping[str, Any]]) -> str:
    if not steps:
        return ""
    items = "".join(
        f'<li>{esc(s.get("text", ""))} <span class="jx-chip jx-chip-sm">〔{esc(s.get("clause_id", ""))}〕</span></li>'
        for s in steps
    )
    return f'<ol class="jx-steps">{items}</ol>'


def _missing_html(missing: Sequence[Mapping[str, Any]]) -> str:
    if not missing:
        return ""
    items = "".join(f"<li>{esc(m.get('question') or m.get('label') or m.get('fact'))}</li>" for m in missing)
    return f'<div class="jx-missing"><b>还需要了解：</b><ul>{items}</ul></div>'


def _notes_html(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    return '<ul class="jx-notes">' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"


def _calculation_block(calc: Mapping[str, Any]) -> str:
    item = f" · {esc(calc['item'])}" if calc.get("item") else ""
    amount = calc.get("amount_yuan")
    cap = calc.get("cap_yuan")
    figures = f'<span class="jx-amount">{yuan(amount)}</span>' if amount is not None else ""
    cap_html = f'<span class="jx-cap">上限 {yuan(cap)}</span>' if cap is not None else ""
    return (
        f'<div class="jx-calc"><div class="jx-calc-head"><span class="jx-chip">〔{esc(calc.get("policy_id"))}〕</span>'
        f'{item}{_status_badge(calc.get("eligible"))}{figures}{cap_html}</div>'
        f'{_steps_html(calc.get("steps") or [])}{_missing_html(calc.get("missing") or [])}'
        f'{_notes_html(calc.get("notes") or [])}</div>'
    )


def match_cards_html(result: Mapping[str, Any], doc: Document) -> str:
    """Render the calculator form's result: a summary line, then one card per policy (eligible ones first)."""
    matches = list(result.get("matches") or [])
    order = {True: 0, None: 1, False: 2}
    matches.sort(key=lambda m: order[m.get("eligible")])
    eligible = [m for m in matches if m.get("eligible") is True]
    pending = [m for m in matches if m.get("eligible") is None]
    award = result.get("award_yuan")
    summary = [f"符合条件 <b>{len(eligible)}</b> 项", f"待补充信息 <b>{len(pending)}</b> 项"]
    if award is not None:
        summary.append(f'可测算奖补合计（就高不重复）<b class="jx-amount">{yuan(award)}</b>')
    total = f'<div class="jx-total">{esc(result["total_text"])}</div>' if result.get("total_text") else ""
    cards = [f'<div class="jx-summary">{"，".join(summary)}。{total}</div>']
    for m in matches:
        pid = m.get("policy_id", "")
        try:
            path = doc.get(pid).path
        except KeyError:
            path = ""
        amount = m.get("amount_yuan")
        amount_html = f'<span class="jx-amount">{yuan(amount)}</span>' if amount is not None else ""
        cap_html = f'<span class="jx-cap">上限 {yuan(m.get("cap_yuan"))}</span>' if m.get("cap_yuan") else ""
        next_step = f'<div class="jx-next">{esc(m["next_step"])}</div>' if m.get("next_step") else ""
        details = "".join(_calculation_block(c) for c in m.get("calculations") or [])
        missing = "" if details else _missing_html(m.get("missing") or [])
        cls = {True: "jx-card-ok", False: "jx-card-no", None: "jx-card-wait"}[m.get("eligible")]
        cards.append(
            f'<details class="jx-card {cls}" data-policy="{esc(pid)}"{" open" if m.get("eligible") else ""}>'
            f'<summary><span class="jx-chip">〔{esc(pid)}〕</span><span class="jx-card-title">{esc(m.get("title"))}'
            f'</span>{_status_badge(m.get("eligible"))}{amount_html}{cap_html}</summary>'
            f'<div class="jx-path">{esc(path)}</div>{next_step}{missing}{details}</details>'
        )
    notes = result.get("notes") or []
    if notes:
        cards.append(f'<div class="jx-footnotes">{_notes_html(notes)}</div>')
    return f'<div class="jx-results">{"".join(cards)}</div>'


def message_html(text: str, kind: str = "info") -> str:
    """A one-line notice (kind: info / warn / error) with escaped text."""
    return f'<div class="jx-msg jx-msg-{esc(kind)}">{esc(text)}</div>'


# --- 条款查询 ----------------------------------------------------------------------------------------------------------

MATCH_LABELS = {"reference": "编号", "name": "名称", "unit_lead": "牵头单位", "unit_participant": "配合单位", "keyword": "关键词"}


def search_results_html(results: Sequence[Mapping[str, Any]], selected: str | None = None) -> str:
    """Render search results as clickable cards (``data-clause`` carries the id for the click handler)."""
    if not results:
        return '<div class="jx-empty">没有找到相关条款。可以换个说法，或输入条款编号（如 三.7）、单位名称（如 市经信局）。</div>'
    cards = []
    for r in results:
        terms = r.get("matched_terms") or []
        active = " jx-active" if r.get("clause_id") == selected else ""
        lead = f'<span class="jx-lead">牵头：{esc(r["lead_unit"])}</span>' if r.get("lead_unit") else ""
        cards.append(
            f'<div class="jx-hit{active}" data-clause="{esc(r.get("clause_id"))}" role="button" tabindex="0">'
            f'<div class="jx-hit-head"><span class="jx-chip">〔{esc(r.get("clause_id"))}〕</span>'
            f'<span class="jx-hit-path">{esc(r.get("clause_path"))}</span>'
            f'<span class="jx-tag">{esc(MATCH_LABELS.get(r.get("match", ""), ""))}</span></div>'
            f'<div class="jx-hit-snippet">{snippet(r.get("text", ""), terms)}</div>{lead}</div>'
        )
    return f'<div class="jx-hits">{"".join(cards)}</div>'


def clause_detail_html(clause: Clause, terms: Sequence[str] = ()) -> str:
    """Render one clause in full: path, verbatim text with matches highlighted, responsible units."""
    return (
        f'<div class="jx-detail"><div class="jx-detail-head"><span class="jx-chip">〔{esc(clause.clause_id)}〕</span>'
        f'<span class="jx-detail-path">{esc(clause.path)}</span></div>'
        f'<div class="jx-clause-text">{highlight(clause.text, terms)}</div>{_units_line(clause)}</div>'
    )
