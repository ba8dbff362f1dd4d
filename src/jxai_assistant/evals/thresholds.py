"""Quality gates: ``evals/thresholds.yaml`` holds a minimum for rates and a maximum for latencies and answer lengths.

```yaml
min: {amount_exact: 1.0, quote_verbatim: 1.0}
max: {latency_p95_ms: 200}
```

Thresholds apply to the overall metrics. A metric with no support in the run (e.g. no injection case among the chosen
files) is reported as skipped, not as passed or missed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from .metrics import METRICS, is_ceiling


class ThresholdError(ValueError):
    """The thresholds file is missing or malformed; the message is Chinese."""


@dataclass(frozen=True)
class Gate:
    """One threshold and how the run compared with it."""

    metric: str
    op: str  # ">=" for minimums, "<=" for maximums
    threshold: float
    value: float | None

    @property
    def status(self) -> str:
        """"pass", "miss", or "skip" (metric not measured in this run)."""
        if self.value is None:
            return "skip"
        ok = self.value >= self.threshold if self.op == ">=" else self.value <= self.threshold
        return "pass" if ok else "miss"

    def to_dict(self) -> dict:
        """JSON-ready form including the status."""
        return {**asdict(self), "status": self.status}


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    """Read and validate the thresholds file: ``{"min": {...}, "max": {...}}`` with known metric names."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ThresholdError(f"无法读取阈值文件 {path}：{exc}") from exc
    except yaml.YAMLError as exc:
        raise ThresholdError(f"阈值文件不是合法的 YAML：{path}（{exc}）") from exc
    if not isinstance(data, dict) or set(data) - {"min", "max"}:
        raise ThresholdError(f"阈值文件只能包含 min 和 max 两节：{path}")
    out: dict[str, dict[str, float]] = {"min": {}, "max": {}}
    for section in ("min", "max"):
        for metric, value in (data.get(section) or {}).items():
            if metric not in METRICS:
                raise ThresholdError(f"阈值文件 {path} 中的指标名未知：{metric}")
            if is_ceiling(metric) != (section == "max"):
                raise ThresholdError(f"指标 {metric} 应写在 {'max' if is_ceiling(metric) else 'min'} 节")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ThresholdError(f"阈值必须是数字：{metric}: {value!r}")
            out[section][metric] = value
    return out


def check_thresholds(metrics: dict[str, float | None], thresholds: dict[str, dict[str, float]]) -> list[Gate]:
    """Compare overall metrics with the thresholds, in the order of :data:`METRICS`."""
    gates = [Gate(m, ">=", t, metrics.get(m)) for m, t in thresholds.get("min", {}).items()]
    gates += [Gate(m, "<=", t, metrics.get(m)) for m, t in thresholds.get("max", {}).items()]
    order = list(METRICS)
    return sorted(gates, key=lambda g: order.index(g.metric))
