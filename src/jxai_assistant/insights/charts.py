"""The report's charts as PNG bytes (matplotlib, no display): demand by clause and policy over time, and what was
not answered. Embedded as base64 in the HTML, so a report is one self-contained file.
"""

from __future__ import annotations

import io
from collections import Counter

from .report import CONFIDENCE_LABELS, Figures

#: Clauses drawn as their own line; the rest are summed as 其他 (a chart of 32 lines reads as noise).
TOP_CLAUSES = 6
#: Chinese-capable fonts tried in order (Debian's fonts-noto-cjk first); DejaVu draws the digits if none is present.
FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC", "DejaVu Sans"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = FONTS
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    _pyplot().close(fig)
    return buffer.getvalue()


def demand_chart(figures: Figures) -> bytes | None:
    """Answers per day resting on each of the most asked-about clauses and policies (lines); None without data."""
    if not figures.daily_demand:
        return None
    plt = _pyplot()
    days = list(figures.daily_demand)
    totals = Counter()
    for counts in figures.daily_demand.values():
        totals.update(counts)
    top = [clause for clause, _ in totals.most_common(TOP_CLAUSES)]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for clause in top:
        ax.plot(days, [figures.daily_demand[d][clause] for d in days], marker="o", label=clause)
    rest = [sum(n for c, n in figures.daily_demand[d].items() if c not in top) for d in days]
    if any(rest):
        ax.plot(days, rest, marker=".", linestyle="--", color="grey", label="其他")
    ax.set_title("按条款与政策的需求（每日回答次数）")
    ax.set_ylabel("次数")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _png(fig)


def unanswered_chart(figures: Figures) -> bytes | None:
    """Answers by confidence class (horizontal bars); None without data."""
    if not figures.total:
        return None
    plt = _pyplot()
    classes = list(CONFIDENCE_LABELS)
    fig, ax = plt.subplots(figsize=(8, 2.2))
    ax.barh([CONFIDENCE_LABELS[c] for c in classes], [figures.by_confidence[c] for c in classes],
            color=["#c0392b", "#e67e22", "#f1c40f", "#27ae60"])
    ax.invert_yaxis()
    ax.set_title("回答情况")
    ax.set_xlabel("次数")
    return _png(fig)


def charts(figures: Figures) -> dict[str, bytes]:
    """Every chart that has data, by name (``demand``, ``answers``)."""
    made = {"demand": demand_chart(figures), "answers": unanswered_chart(figures)}
    return {name: png for name, png in made.items() if png}
