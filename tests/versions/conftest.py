"""Fixtures: a private corpus copy per test, with or without the synthetic final version registered."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from jxai_assistant.cli import app
from jxai_assistant.versions import set_as_of

from .synthetic import ISSUED, copy_corpus, final_text


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A copy of the real corpus in a tmp directory (JXAI_CORPUS_DIR); the process answers as of today again after."""
    path = copy_corpus(tmp_path / "corpus")
    monkeypatch.setenv("JXAI_CORPUS_DIR", str(path))
    yield path
    set_as_of(None)


@pytest.fixture
def final_corpus(corpus, tmp_path):
    """The corpus copy with the synthetic final version registered (issued 2025-06-01, in force from 2025-07-01)."""
    source = tmp_path / "final.txt"
    source.write_text(final_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", "add", str(source), "--status", "final", "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    return corpus


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("versions-cache")


@pytest.fixture
def jxai_in(cache_dir):
    """Run ``jxai`` in a fresh process on a given corpus directory (a process answers from one version)."""

    def run(corpus, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "JXAI_CORPUS_DIR": str(corpus), "JXAI_CACHE_DIR": str(cache_dir)}
        return subprocess.run([sys.executable, "-m", "jxai_assistant", *args], capture_output=True, text=True,
                              env=env, timeout=180)

    return run
