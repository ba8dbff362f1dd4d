"""The operator's figures from the usage log: what was not answered (grouped), 👎 with reasons, demand by clause and
policy over time, latency — and the same figures as terminal text. The page and ``jxai report`` share them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from .grouping import group_questions
from .log import REASONS, UNANSWERED, Entry

CONFIDENCE_LABELS = {"refused": "拒答（文件未涉及）", "silent": "文件没有规定", "low": "低置信度（无引用、无测算）",
                     "ok": "已回答"}
INTENT_LABELS = {"lookup": "查询", "calculate": "测算", "clarify": "追问", "out_of_scope": "超出范围"}
_SPAN = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``7d``, ``24h``, ``2w`` (back from now) or a date ``YYYY-MM-DD`` (its start, UTC) → an aware datetime.

    Raises ``ValueError`` with a Chinese message for anything else.
    """
    now = now or datetime.now(timezone.utc)
    if match := _SPAN.match(text or ""):
        n, unit = int(match.group(1)), match.group(2).lower()
        return now - {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"时间范围应写成 7d、24h、2w 或日期 YYYY-MM-DD，而不是“{text}”。") from None
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


@dataclass
class QuestionGroup:
    """Unanswered questions taken as one: a label (the leading question, or the answer's kind when question text is
    not stored), the count, the confidence classes seen, and the distinct questions."""

    key: str
    label: str
    count: int
    confidences: Counter
    examples: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """Everything the operator page and ``jxai report`` show, for one period."""

    since: datetime | None
    until: datetime
    total: int
    by_confidence: Counter
    ratings: Counter
    down_reasons: Counter
    latency_p50: float | None
    latency_p95: float | None
    groups: list[QuestionGroup]
    downvotes: list[Entry]
    clause_demand: Counter
    policy_demand: Counter
    daily_demand: dict[date, Counter]
    questions_stored: bool

    @property
    def unanswered(self) -> int:
        """Refused, silent and low-confidence answers."""
        return sum(self.by_confidence[c] for c in UNANSWERED)


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _groups(unanswered: list[Entry]) -> list[QuestionGroup]:
    with_text = [e for e in unanswered if e.question]
    result: list[QuestionGroup] = []
    if with_text:
        confidences: dict[str, Counter] = defaultdict(Counter)
        for entry in with_text:
            confidences[entry.question.strip()][entry.confidence] += 1
        for group in group_questions([e.question for e in with_text]):
            seen = Counter()
            for question in group.members:
                seen.update(confidences[question])
            result.append(QuestionGroup(group.key, group.leader, group.count, seen, group.examples()))
    # Without question text the operator still sees what kind of answer went wrong, and where.
    kinds: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in unanswered:
        if not entry.question:
            kinds[(entry.confidence, entry.intent, tuple(entry.clause_ids))].append(entry)
    for (conf, intent, clauses), entries in kinds.items():
        label = f"（未保存问题原文）{CONFIDENCE_LABELS[conf]} · {INTENT_LABELS.get(intent, intent)}" + (
            f" · 引用 {' '.join(clauses)}" if clauses else "")
        result.append(QuestionGroup(f"kind-{conf}-{intent}-{'_'.join(clauses)}", label, len(entries),
                                    Counter({conf: len(entries)})))
    return sorted(result, key=lambda g: (-g.count, g.label))


def compute(entries: list[Entry], since: datetime | None = None, now: datetime | None = None) -> Figures:
    """The figures of ``entries`` (already limited to the period starting at ``since``)."""
    now = now or datetime.now(timezone.utc)
    unanswered = [e for e in entries if e.unanswered]
    clause_demand: Counter = Counter()
    policy_demand: Counter = Counter()
    daily: dict[date, Counter] = defaultdict(Counter)
    for entry in entries:
        clause_demand.update(entry.clause_ids)
        policy_demand.update(entry.policy_ids)
        # One answer counts once per clause it rests on, whether cited or computed.
        daily[entry.created_at.astimezone(timezone.utc).date()].update(set(entry.clause_ids) | set(entry.policy_ids))
    latencies = [e.latency_ms for e in entries]
    downvotes = [e for e in entries if e.rating == "down"]
    return Figures(
        since=since, until=now, total=len(entries),
        by_confidence=Counter(e.confidence for e in entries),
        ratings=Counter(e.rating for e in entries if e.rating),
        down_reasons=Counter(e.reason or "none" for e in downvotes),
        latency_p50=percentile(latencies, 50), latency_p95=percentile(latencies, 95),
        groups=_groups(unanswered), downvotes=list(reversed(downvotes)),
        clause_demand=clause_demand, policy_demand=policy_demand, daily_demand=dict(sorted(daily.items())),
        questions_stored=any(e.question for e in entries),
    )


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} ms"


def render_text(fig: Figures, top: int = 15) -> str:
    """The figures as plain text for the terminal."""
    period = f"{fig.since:%Y-%m-%d %H:%M} 至 {fig.until:%Y-%m-%d %H:%M}（UTC）" if fig.since else f"截至 {fig.until:%Y-%m-%d %H:%M}（UTC）"
    lines = [f"用户提问统计  {period}",
             f"回答 {fig.total} 次；未答好 {fig.unanswered} 次（" + "，".join(
                 f"{CONFIDENCE_LABELS[c]} {fig.by_confidence[c]}" for c in UNANSWERED) + "）",
             f"评价 👍 {fig.ratings['up']} · 👎 {fig.ratings['down']}；耗时中位数 {_ms(fig.latency_p50)}，"
             f"p95 {_ms(fig.latency_p95)}", ""]
    lines.append("未答好的问题（按相似度分组，按次数排序）：")
    if not fig.groups:
        lines.append("  （无）")
    for group in fig.groups[:top]:
        kinds = "、".join(f"{CONFIDENCE_LABELS[c]}×{n}" for c, n in group.confidences.most_common())
        lines.append(f"  {group.count:>4}  {group.label}  [{kinds}]")
        lines += [f"          · {q}" for q in group.examples[1:4]]
    if not fig.questions_stored:
        lines.append("  注：未开启 JXAI_STORE_QUESTIONS=1，问题原文没有保存，只能按回答类型分组。")
    lines += ["", "👎 的原因：" + ("，".join(f"{REASONS.get(r, '未说明')} {n}" for r, n in
                                          fig.down_reasons.most_common()) or "（无）")]
    for entry in fig.downvotes[:top]:
        cited = " ".join(entry.clause_ids) or "无引用"
        lines.append(f"  {entry.created_at:%m-%d %H:%M}  {REASONS.get(entry.reason or '', '未说明原因')}  "
                     f"{INTENT_LABELS.get(entry.intent, entry.intent)} · {cited}" + (f"  {entry.question}" if entry.question else ""))
    lines += ["", "按条款的需求（被引用次数）：" + ("  ".join(f"{c} {n}" for c, n in fig.clause_demand.most_common(top))
                                        or "（无）"),
              "按政策的需求（被测算次数）：" + ("  ".join(f"{c} {n}" for c, n in fig.policy_demand.most_common(top))
                                      or "（无）")]
    if fig.daily_demand:
        lines.append("按日：")
        lines += [f"  {day}  " + "  ".join(f"{c} {n}" for c, n in counts.most_common(6))
                  for day, counts in fig.daily_demand.items()]
    return "\n".join(lines) + "\n"
