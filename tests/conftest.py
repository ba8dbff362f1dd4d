"""Shared fixtures: the real document, and a runner for the real ``jxai`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def doc():
    """The real parsed policy document."""
    from jxai_assistant.document import load_document

    return load_document()


def _jxai_executable() -> list[str]:
    found = shutil.which("jxai", path=str(Path(sys.executable).parent)) or shutil.which("jxai")
    return [found] if found else [sys.executable, "-m", "jxai_assistant"]


@pytest.fixture(scope="session")
def jxai(tmp_path_factory):
    """Run the installed ``jxai`` entry point; returns ``CompletedProcess`` (text mode)."""
    env = dict(os.environ)
    env.setdefault("JXAI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    env.setdefault("JXAI_DATA_DIR", str(tmp_path_factory.mktemp("data")))

    def run(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([*_jxai_executable(), *args], capture_output=True, text=True, input=input,
                              env=env, timeout=timeout)

    return run
