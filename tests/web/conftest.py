"""The web app launched once per test session on a free loopback port (shared by API and browser tests)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
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
    """Serve the real app (page + REST API; real assistant, calculator and retriever) in this process with uvicorn,
    its data (conversations, feedback) in a throwaway directory; stopped after the session."""
    import os
    import threading
    import time

    import uvicorn

    data = tmp_path_factory.mktemp("web-data")
    # Every test here calls from 127.0.0.1, one address: the limit is tested in tests/robustness (hardened_app).
    settings = {"JXAI_DATA_DIR": str(data), "JXAI_RATE_LIMIT": "off"}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    from jxai_assistant.web.server import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield RunningApp(url=f"http://127.0.0.1:{port}/", feedback_path=data / "feedback.sqlite3")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def client(running_app):
    """A gradio_client connected to the served app."""
    from gradio_client import Client

    return Client(running_app.url, verbose=False)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port, without persistence; stopped after the module."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
