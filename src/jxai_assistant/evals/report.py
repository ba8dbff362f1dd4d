"""Human-readable output of an eval run: the terminal table, the Markdown report and its PNG chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .metrics import INTENT_KINDS, METRICS, is_ceiling, is_latency, is_length
from .thresholds import Gate


def format_value(metric: str, value: float | None) -> str:
    """Rates with three decimals, latencies in ms with one, answer lengths in whole characters; ``n/a`` when the
    metric had no support."""
    if value is None:
        return "n/a"
    if is_length(metric):
        return f"{value:.0f}"
    return f"{value:.1f}" if is_latency(metric) else f"{value:.3f}"


def _rows(summary: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    files = list(summary["per_file"])
    header = ["metric", "overall", "n", *files]
    rows = []
    for metric, label in METRICS.items():
        if is_length(metric):
            continue  # answer lengths have a table of their own (by intent kind)
        overall = summary["overall"]
        row = [label, format_value(metric, overall["metrics"][metric]), str(overall["support"][metric])]
        row += [format_value(metric, summary["per_file"][f]["metrics"][metric]) for f in files]
        rows.append(row)
    counts = ["cases", str(summary["overall"]["cases"]), ""] + [str(summary["per_file"][f]["cases"]) for f in files]
    return header, [counts, *rows]


def length_rows(summary: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Answer length in characters by intent kind (overall): how many answers, median, p95."""
    overall = summary["overall"]
    header = ["intent", "answers", "median (chars)", "p95 (chars)"]
    rows = [[kind, str(overall["support"][f"answer_p50_chars_{kind}"]),
             format_value(f"answer_p50_chars_{kind}", overall["metrics"][f"answer_p50_chars_{kind}"]),
             format_value(f"answer_p95_chars_{kind}", overall["metrics"][f"answer_p95_chars_{kind}"])]
            for kind in INTENT_KINDS]
    return header, rows


def _aligned(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _markdown(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
            *("| " + " | ".join(r) + " |" for r in rows)]


def _gate_line(gate: Gate) -> str:
    return (f"{gate.status.upper():<4} {METRICS[gate.metric]} = {format_value(gate.metric, gate.value)}"
            f" (threshold {gate.op} {gate.threshold:g})")


def format_table(summary: dict[str, Any], gates: list[Gate]) -> str:
    """The terminal report: metric table (overall, support, per file), failing cases with reasons, gates."""
    out = _aligned(*_rows(summary))
    out += ["", "Answer length by intent:", *_aligned(*length_rows(summary))]
    failures = summary["failures"]
    out += ["", f"Failing cases: {len(failures)}"]
    for failure in failures:
        out.append(f"  ✗ {failure['id']} [{failure['file']}] {' ⏎ '.join(failure['turns'])[:80]}")
        out += [f"      {reason}" for reason in failure["reasons"]]
    if gates:
        out += ["", "Thresholds:"] + [f"  {_gate_line(g)}" for g in gates]
    return "\n".join(out)


def write_chart(summary: dict[str, Any], path: Path) -> None:
    """A heatmap PNG of every rate metric per case file (and overall); grey cells are metrics without support."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = {"overall": summary["overall"], **summary["per_file"]}
    metrics = [m for m in METRICS if not is_ceiling(m)]
    data = np.array([[np.nan if g["metrics"][m] is None else g["metrics"][m] for m in metrics]
                     for g in groups.values()], dtype=float)
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * len(metrics), 1.2 + 0.42 * len(groups)), dpi=110)
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0.5, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(metrics)), [METRICS[m] for m in metrics], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(groups)), list(groups), fontsize=8)
    for (i, j), value in np.ndenumerate(data):
        ax.text(j, i, "n/a" if np.isnan(value) else f"{value:.2f}", ha="center", va="center", fontsize=6)
    ax.set_title("jxai eval: metrics per case file", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(summary: dict[str, Any], gates: list[Gate], path: Path) -> Path:
    """Write the Markdown report to ``path`` and its chart next to it (same stem, ``.png``); return the chart path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = path.with_suffix(".png")
    write_chart(summary, chart)
    md = ["# jxai eval report", "",
          f"{summary['overall']['passed']} of {summary['overall']['cases']} cases passed.", "", *_markdown(*_rows(summary))]
    md += ["", f"![metrics per case file]({chart.name})", ""]
    md += ["## Answer length by intent", "", "Characters of each case's answered turn, by the response's intent.", "",
           *_markdown(*length_rows(summary)), ""]
    if gates:
        md += ["## Thresholds", ""] + [f"- {_gate_line(g)}" for g in gates] + [""]
    md += [f"## Failing cases ({len(summary['failures'])})", ""]
    for failure in summary["failures"]:
        md.append(f"- **{failure['id']}** ({failure['file']}): {' ⏎ '.join(failure['turns'])}")
        md += [f"  - {reason}" for reason in failure["reasons"]]
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return chart
