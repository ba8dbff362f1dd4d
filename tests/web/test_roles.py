"""Logins may carry a role: ``user:password:operator`` opens the operator page; every other line is an ordinary
login, and both log in the same way."""

from __future__ import annotations

import pytest

from jxai_assistant.web.security import Account, SecurityConfigError, load_accounts, load_auth, operators


def test_a_line_ending_in_operator_gives_the_operator_role(tmp_path):
    logins = tmp_path / "logins"
    logins.write_text("# staff\nops:s3cret:operator\nfirm:pa:ss:word\n", encoding="utf-8")
    env = {"JXAI_AUTH_FILE": str(logins), "JXAI_AUTH": "hotline:abc"}
    assert load_accounts(env) == [Account("hotline", "abc"), Account("ops", "s3cret", "operator"),
                                  Account("firm", "pa:ss:word")]
    assert operators(env) == {"ops"}
    # Gradio's login sees users and passwords only: the role is not part of the password.
    assert load_auth(env) == [("hotline", "abc"), ("ops", "s3cret"), ("firm", "pa:ss:word")]


def test_no_login_means_no_operator():
    assert operators({}) == set()


@pytest.mark.parametrize("line", ["ops::operator", ":pw:operator"])
def test_an_operator_line_without_a_password_or_user_is_refused(line):
    with pytest.raises(SecurityConfigError, match="用户名:密码:operator") as info:
        load_accounts({"JXAI_AUTH": line})
    assert "pw" not in info.value.message
