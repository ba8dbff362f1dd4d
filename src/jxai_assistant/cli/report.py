"""``jxai report``: what users asked — the operator page's figures in the terminal, as a self-contained HTML file
with the charts, or as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app, fail


@app.command("report")
def report_command(
    since: Annotated[str, typer.Option("--since", help="时间范围：7d、24h、2w 或日期 YYYY-MM-DD（默认 7d）")] = "7d",
    html: Annotated[Optional[Path], typer.Option("--html", help="另存为独立的 HTML 报告（含图表）")] = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="另存为 CSV（每条回答一行）")] = None,
) -> None:
    """用户提问统计：未答好的问题（按相似度分组）、👎 及原因、按条款与政策的需求、耗时中位数与 p95。"""
    from ..insights.log import UsageLog, to_csv
    from ..insights.report import compute, parse_since, render_text

    try:
        start = parse_since(since)
        entries = UsageLog().entries(start)
    except ValueError as exc:
        raise fail(str(exc)) from None
    figures = compute(entries, start)
    typer.echo(render_text(figures), nl=False)
    try:
        if html is not None:
            from ..insights.charts import charts
            from ..insights.html import render_html

            html.write_text(render_html(figures, charts(figures)), encoding="utf-8")
            typer.echo(f"HTML 报告：{html}")
        if csv is not None:
            csv.write_text("\ufeff" + to_csv(entries), encoding="utf-8")
            typer.echo(f"CSV：{csv}")
    except OSError as exc:
        raise fail(f"无法写入文件：{exc.strerror or type(exc).__name__}。", 1) from None
