"""Where the app listens: loopback by default; GRADIO_SERVER_NAME / GRADIO_SERVER_PORT; flags win."""

from __future__ import annotations

import pytest

from jxai_assistant.web.settings import server_settings


def test_the_default_is_loopback_port_7860(monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    assert server_settings() == ("127.0.0.1", 7860)


def test_the_gradio_environment_variables_are_honoured(monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "8080")
    assert server_settings() == ("0.0.0.0", 8080)


def test_explicit_host_and_port_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "8080")
    assert server_settings("127.0.0.1", 9000) == ("127.0.0.1", 9000)


@pytest.mark.parametrize("env, port, message", [("abc", None, "GRADIO_SERVER_PORT"), (None, 70000, "1–65535")])
def test_a_bad_port_is_a_chinese_message(monkeypatch, env, port, message):
    if env:
        monkeypatch.setenv("GRADIO_SERVER_PORT", env)
    with pytest.raises(ValueError, match=message):
        server_settings(None, port)


def test_jxai_serve_reports_a_bad_port_in_chinese_with_exit_code_2(jxai):
    result = jxai("serve", "--port", "70000")
    assert result.returncode == 2
    assert "端口号应在 1–65535 之间" in result.stderr
    assert "Traceback" not in result.stderr
