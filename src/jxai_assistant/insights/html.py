"""The figures as one self-contained HTML document (charts embedded as base64 PNG, no external resource).

``jxai report --html`` writes it; the operator page serves the same document with its controls (period, CSV export,
"write draft examples" per question group). Every text that came from a user or the log is escaped.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from .log import UNANSWERED
from .report import CONFIDENCE_LABELS, INTENT_LABELS, REASONS, Figures


@dataclass(frozen=True)
class Controls:
    """What the operator page adds: the period asked for and the act/topic labels a draft may go to."""

    since: str
    labels: dict[str, dict[str, str]]  # kind (intents / topics) → label → description


STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 1100px;
  padding: 16px 24px; color: #1f2d3d; background: #f3f6fa; }
h1 { color: #133a6b; font-size: 22px; } h2 { color: #133a6b; font-size: 17px; border-left: 4px solid #1d4f91;
  padding-left: 8px; margin-top: 28px; }
section { background: #fff; border: 1px solid #d7e0ec; border-radius: 4px; padding: 8px 16px 14px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; } th, td { border-bottom: 1px solid #e6ecf4;
  padding: 5px 8px; text-align: left; vertical-align: top; } th { background: #f7f9fc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kpi { display: inline-block; margin: 0 24px 8px 0; } .kpi b { display: block; font-size: 22px; color: #1d4f91; }
.muted { color: #5b6b80; font-size: 13px; } ul.q { margin: 4px 0; padding-left: 18px; color: #4a5a70; }
img { max-width: 100%; } form.jx-draft { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.jx-status { font-size: 13px; color: #1d6b2f; }
"""

# The page's only script: posts a draft request as JSON (a cross-site form cannot send JSON without CORS) and shows
# the server's message as text. No user text is placed in the script.
SCRIPT = """
document.querySelectorAll('form.jx-draft').forEach((form) => {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const status = form.querySelector('.jx-status');
    const [kind, label] = form.querySelector('select').value.split('|');
    status.textContent = '正在写入…';
    try {
      const r = await fetch('/v1/operator/drafts', {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({group: form.dataset.group, kind, label, since: form.dataset.since})});
      const body = await r.json();
      status.textContent = body.message || '失败';
    } catch (e) { status.textContent = '写入失败，请稍后再试。'; }
  });
});
"""


def _img(name: str, png: bytes | None, alt: str) -> str:
    if not png:
        return '<p class="muted">这段时间没有数据。</p>'
    data = base64.b64encode(png).decode("ascii")
    return f'<img id="chart-{escape(name)}" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} ms"


#: The label a group's draft starts on, by the group's main confidence class (the operator can pick any other).
SUGGESTED = {"refused": "intents|out_of_scope", "silent": "intents|ask_procedure"}


def _draft_form(group_key: str, controls: Controls, suggested: str | None) -> str:
    options = []
    for kind, choices in controls.labels.items():
        name = "act" if kind == "intents" else "topic"
        options += [f'<option value="{escape(kind)}|{escape(label)}"'
                    f'{" selected" if f"{kind}|{label}" == suggested else ""}>{name} · {escape(label)} — '
                    f'{escape(description[:30])}</option>' for label, description in choices.items()]
    return (f'<form class="jx-draft" data-group="{escape(group_key)}" data-since="{escape(controls.since)}">'
            f'<select aria-label="示例标签">{"".join(options)}</select>'
            '<button type="submit">写入待审示例</button><span class="jx-status" role="status"></span></form>')


def render_html(figures: Figures, charts: dict[str, bytes], controls: Controls | None = None) -> str:
    """A complete HTML document of ``figures``; with ``controls``, the operator page's period, CSV and draft actions."""
    period = (f"{figures.since:%Y-%m-%d %H:%M} 至 {figures.until:%Y-%m-%d %H:%M}（UTC）" if figures.since
              else f"截至 {figures.until:%Y-%m-%d %H:%M}（UTC）")
    parts = [f"<h1>用户提问统计</h1><p class='muted'>{escape(period)}</p>"]
    if controls:
        parts.append(
            "<form method='get' action='/operator' class='muted'>时间范围 "
            f"<input name='since' value='{escape(controls.since)}' size='10' aria-label='时间范围'> "
            "<button type='submit'>刷新</button> "
            f"<a id='csv-export' href='/v1/operator/export.csv?since={escape(quote(controls.since))}'>导出 CSV</a></form>")
    parts.append(
        "<section>"
        f"<span class='kpi'><b id='kpi-total'>{figures.total}</b>回答</span>"
        f"<span class='kpi'><b id='kpi-unanswered'>{figures.unanswered}</b>未答好</span>"
        f"<span class='kpi'><b id='kpi-down'>{figures.ratings['down']}</b>差评（👎）</span>"
        f"<span class='kpi'><b>{figures.ratings['up']}</b>好评（👍）</span>"
        f"<span class='kpi'><b id='kpi-p50'>{_ms(figures.latency_p50)}</b>耗时中位数</span>"
        f"<span class='kpi'><b id='kpi-p95'>{_ms(figures.latency_p95)}</b>耗时 p95</span>"
        f"{_img('answers', charts.get('answers'), '回答情况')}</section>")

    rows = []
    for group in figures.groups:
        kinds = "、".join(f"{CONFIDENCE_LABELS[c]}×{n}" for c, n in group.confidences.most_common())
        more = "".join(f"<li>{escape(q)}</li>" for q in group.examples[1:6])
        main = group.confidences.most_common(1)[0][0] if group.confidences else None
        action = _draft_form(group.key, controls, SUGGESTED.get(main)) if controls and group.examples else ""
        rows.append(f"<tr class='jx-group'><td class='num'>{group.count}</td><td>{escape(group.label)}"
                    f"{f'<ul class=q>{more}</ul>' if more else ''}{action}</td><td>{escape(kinds)}</td></tr>")
    note = "" if figures.questions_stored else (
        "<p class='muted'>问题原文未保存（未开启 JXAI_STORE_QUESTIONS=1），只能按回答类型与所引条款分组。</p>")
    parts.append("<h2>未答好的问题（按相似度分组，按次数排序）</h2><section>" + note +
                 "<p class='muted'>未答好 = " + "、".join(CONFIDENCE_LABELS[c] for c in UNANSWERED) + "。</p>" +
                 (f"<table id='groups'><tr><th>次数</th><th>问题</th><th>类型</th></tr>{''.join(rows)}</table>"
                  if rows else "<p class='muted'>没有未答好的问题。</p>") + "</section>")

    reasons = "，".join(f"{escape(REASONS.get(r, '未说明原因'))} {n}" for r, n in figures.down_reasons.most_common())
    down_rows = "".join(
        f"<tr><td>{e.created_at:%Y-%m-%d %H:%M}</td><td>{escape(REASONS.get(e.reason or '', '未说明原因'))}</td>"
        f"<td>{escape(INTENT_LABELS.get(e.intent, e.intent))}</td><td>{escape(' '.join(e.clause_ids) or '无引用')}</td>"
        f"<td>{escape(e.question or '（未保存）')}</td></tr>" for e in figures.downvotes)
    parts.append("<h2>差评（👎）的回答</h2><section>" + (f"<p>{reasons}</p>" if reasons else "") +
                 (f"<table id='downvotes'><tr><th>时间</th><th>原因</th><th>类型</th><th>所引条款</th><th>问题</th></tr>"
                  f"{down_rows}</table>" if down_rows else "<p class='muted'>没有差评。</p>") + "</section>")

    demand = "".join(f"<tr><td>{escape(c)}</td><td class='num'>{n}</td><td class='num'>{figures.policy_demand[c]}</td></tr>"
                     for c, n in (figures.clause_demand + figures.policy_demand).most_common())
    parts.append("<h2>按条款与政策的需求</h2><section>" + _img("demand", charts.get("demand"), "按条款与政策的需求") +
                 (f"<table id='demand'><tr><th>条款</th><th>引用+测算</th><th>其中测算</th></tr>{demand}</table>"
                  if demand else "") + "</section>")
    script = f"<script>{SCRIPT}</script>" if controls else ""
    return ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>用户提问统计 · 嘉兴市人工智能政策助手</title><style>{STYLE}</style></head><body>"
            + "".join(parts) + script + "</body></html>")
