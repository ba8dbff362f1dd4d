"""The web app launched once per test session on a free loopback port (shared by API and browser tests)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest


def pytest_configure(config):
    # Gradio's queue calls pandas APIs that pandas 3 deprecates; not ours to fix, and noise in every run.
    config.addinivalue_line("filterwarnings", "ignore:'future.no_silent_downcasting' is deprecated")
    config.addinivalue_line("filterwarnings", "ignore:The copy keyword is deprecated")


@dataclass
class RunningApp:
    """A served app: its URL and the feedback database it writes."""

    url: str
    feedback_path: Path


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def running_app(tmp_path_factory) -> RunningApp:
    """Serve the real app (real assistant, calculator and retriever) in this process; closed after the session."""
    from jxai_assistant.web.app import build_app, launch

    feedback_path = tmp_path_factory.mktemp("web-data") / "feedback.sqlite3"
    demo = build_app(feedback_path=feedback_path)
    _, url = launch("127.0.0.1", free_port(), block=False, quiet=True, demo=demo)
    try:
        yield RunningApp(url=url, feedback_path=feedback_path)
    finally:
        demo.close()


@pytest.fixture(scope="session")
def client(running_app):
    """A gradio_client connected to the served app."""
    from gradio_client import Client

    return Client(running_app.url, verbose=False)
