"""Data flows one way (DESIGN.md): a lower layer never imports a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jxai_assistant"

# Lowest first. A module may import modules of its own layer or of lower layers only.
LAYERS = [
    {"paths", "numbers", "response", "strictjson", "versions", "sqlitefile"},
    {"glossary", "declarations"},
    {"document", "units", "references", "diff", "textnorm"},
    {"calculator", "retrieval"},
    {"dialogue"},
    {"assistant"},
    {"cli", "web", "evals", "bench", "insights", "__main__"},
]


def _layer(top: str) -> int:
    for rank, names in enumerate(LAYERS):
        if top in names:
            return rank
    raise AssertionError(f"module {top!r} is not placed in a layer; add it to LAYERS")


def _top(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Top-level jxai_assistant modules a file imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1  # how many packages deep the file sits
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("jxai_assistant."):
                found.add(node.module.split(".")[1])
            elif node.level > 0:
                up = node.level - 1
                if up < depth:  # stays inside the file's own subpackage
                    continue
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jxai_assistant."):
                    found.add(alias.name.split(".")[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path):
    own = _layer(_top(path))
    for imported in _imports(path):
        assert _layer(imported) <= own, f"{path.relative_to(PACKAGE)} imports higher layer {imported!r}"
