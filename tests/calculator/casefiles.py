"""Shared helpers for the calculator tests: the case files in ``cases/`` and a fixed measuring date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).parent / "cases"
# Cases never depend on today's date: unless a case says otherwise, it is measured on this day (inside the validity).
DEFAULT_AS_OF = date(2026, 6, 30)


def load_cases() -> list[dict]:
    """Every case of every file, with its policy, facts (base facts merged in) and the file it comes from."""
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown_top = set(data) - {"policy", "base_facts", "cases"}
        assert not unknown_top, f"{path.name}: unknown keys {unknown_top}"
        for case in data["cases"]:
            unknown = set(case) - {"name", "policy", "facts", "as_of", "expect", "combined"}
            assert not unknown, f"{path.name}: {case.get('name')}: unknown keys {unknown}"
            out.append({
                "file": path.name,
                "name": case["name"],
                "policy": case.get("policy", data["policy"]),
                "facts": {**data.get("base_facts", {}), **(case.get("facts") or {})},
                "as_of": case["as_of"] if "as_of" in case else DEFAULT_AS_OF,
                "expect": case.get("expect"),
                "combined": case.get("combined"),
            })
    return out
