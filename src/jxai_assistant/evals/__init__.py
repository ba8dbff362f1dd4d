"""The eval suite behind ``jxai eval``: gold cases → the real assistant → metrics, thresholds, report.

Layers: :mod:`.cases` (load and validate), :mod:`.runner` (ask), :mod:`.metrics` (score and aggregate),
:mod:`.thresholds` (gates), :mod:`.report` (table, Markdown, PNG).
"""

from __future__ import annotations

from pathlib import Path

from .cases import CaseFileError, EvalCase, Expect, load_cases
from .metrics import METRICS, CaseResult, compute_metrics, percentile, score_case, summarize
from .runner import run_case, run_cases
from .thresholds import Gate, ThresholdError, check_thresholds, load_thresholds

__all__ = [
    "METRICS",
    "CaseFileError",
    "CaseResult",
    "EvalCase",
    "Expect",
    "Gate",
    "ThresholdError",
    "check_thresholds",
    "compute_metrics",
    "evals_dir",
    "load_cases",
    "load_thresholds",
    "percentile",
    "run_case",
    "run_cases",
    "score_case",
    "summarize",
]


def evals_dir() -> Path:
    """The checkout's ``evals/`` directory (cases and thresholds); the package is installed editable (README)."""
    return Path(__file__).resolve().parents[3] / "evals"
