"""No module reads meaning out of a calculation step's Chinese text: consumers read the typed fields.

A step's ``text`` is for people (shown in answers, the web page and the CLI). Whether a condition failed, which figures
a step used and which phrase it quotes are ``outcome``, ``fact``, ``figures`` and ``quote``; rewording a step must never
change what the assistant decides. Two checks over the source, each shown to catch the pattern it forbids.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jxai_assistant"
# The calculator writes step texts; everything above it may only display them.
PRODUCER = PACKAGE / "calculator"
# Words of the calculator's verdicts (满足/不满足/待确认, validity, cap and combination outcomes).
VERDICT_WORDS = ("满足", "待确认", "不再适用", "已失效", "有效期内", "超过上限", "不另行计发", "只取最高")
STRING_TESTS = {"endswith", "startswith", "removesuffix", "removeprefix", "find", "rfind", "index", "rindex",
                "count", "split", "rsplit", "partition", "rpartition", "replace"}
# Names the code base gives a calculation step.
STEP_NAMES = {"step", "st", "s"}


def _has_verdict(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and any(w in n.value for w in VERDICT_WORDS)
               for n in ast.walk(node))


def verdict_matches(source: str) -> list[str]:
    """Comparisons and string tests against a literal holding a verdict word (``x.endswith("不满足")``,
    ``"不再适用" in x``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq))
                                                 for op in node.ops):
            if _has_verdict(node):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STRING_TESTS:
            if any(_has_verdict(arg) for arg in node.args):
                found.append(ast.unparse(node))
    return found


def _step_text(node: ast.AST) -> bool:
    """``step.text``, ``step.get("text")`` or ``step["text"]`` on a step-named variable."""
    if isinstance(node, ast.Attribute) and node.attr == "text":
        return isinstance(node.value, ast.Name) and node.value.id in STEP_NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return (isinstance(node.func.value, ast.Name) and node.func.value.id in STEP_NAMES and bool(node.args)
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == "text")
    if isinstance(node, ast.Subscript):
        return (isinstance(node.value, ast.Name) and node.value.id in STEP_NAMES
                and isinstance(node.slice, ast.Constant) and node.slice.value == "text")
    return False


def step_text_reads(source: str) -> list[str]:
    """Reads of a step's text anywhere but inside an f-string (where it is displayed)."""
    tree = ast.parse(source)
    shown: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue):
            shown |= {id(n) for n in ast.walk(node)}
    return [ast.unparse(n) for n in ast.walk(tree) if _step_text(n) and id(n) not in shown]


def _modules(skip_producer: bool) -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if not (skip_producer and PRODUCER in p.parents)]


@pytest.mark.parametrize("path", _modules(skip_producer=False), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_matches_a_verdict_word_in_a_string(path):
    assert verdict_matches(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _modules(skip_producer=True), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_step_text_is_only_displayed_above_the_calculator(path):
    assert step_text_reads(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("check, code", [
    (verdict_matches, 'failed = next(st.text for st in steps if st.text.endswith("不满足"))'),
    (verdict_matches, 'expired = [st for st in steps if "不再适用" in st.text]'),
    (verdict_matches, 'reason = failed.removesuffix(" → 不满足")'),
    (step_text_reads, 'figures = re.findall(r"\\d+%", step.text)'),
    (step_text_reads, 'phrases = {p for step in steps for p in QUOTE_RE.findall(step.text)}'),
    (step_text_reads, 'texts = [step.get("text") or "" for step in calc["steps"]]'),
], ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_each_check_catches_the_pattern_it_forbids(check, code):
    assert check(code)


def test_displaying_step_text_is_allowed():
    assert step_text_reads('line = f"- {step.text}〔{step.clause_id}〕"') == []
    assert step_text_reads('html = f"<li>{esc(s.get(\'text\', \'\'))}</li>"') == []
    assert verdict_matches('reason = f"：{failed.tested}，不满足"') == []
