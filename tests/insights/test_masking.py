"""Personal numbers and addresses never reach the log: property tests over generated phone, ID, e-mail and bank-card
strings, typed in any surrounding text."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from jxai_assistant.insights.masking import mask

digits = st.text("0123456789", min_size=1, max_size=1)
# Text around the secret: Chinese words, punctuation, spaces, other digits and letters — anything a user types.
context = st.text(st.sampled_from(list("算力券补贴能拿多少我的电话是，。：:（）() -abcXYZ0123456789")), max_size=12)


@st.composite
def mobile(draw) -> str:
    number = "1" + draw(st.sampled_from("3456789")) + "".join(draw(digits) for _ in range(9))
    style = draw(st.sampled_from(["plain", "dash", "space", "+86"]))
    if style == "dash":
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == "space":
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return ("+86 " if style == "+86" else "") + number


@st.composite
def id_number(draw) -> str:
    body = draw(st.sampled_from("123456789")) + "".join(draw(digits) for _ in range(16))
    return body + draw(st.sampled_from(list("0123456789Xx")))


@st.composite
def bank_card(draw) -> str:
    n = draw(st.integers(16, 19))
    number = "6" + "".join(draw(digits) for _ in range(n - 1))
    if draw(st.booleans()):
        return " ".join(number[i:i + 4] for i in range(0, n, 4))
    return number


@st.composite
def email(draw) -> str:
    name = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12))
    host = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10))
    tld = draw(st.sampled_from(["com", "cn", "com.cn", "org", "net"]))
    return f"{name}@{host}.{tld}"


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def assert_hidden(secret: str, masked: str) -> None:
    # No run of the secret's digits survives: not the whole number, and not its last eight digits.
    assert digits_of(secret)[-8:] not in digits_of(masked)
    assert secret not in masked


@settings(max_examples=300)
@given(before=context, secret=st.one_of(mobile(), id_number(), bank_card()), after=context, wide=st.booleans())
def test_phone_id_and_bank_numbers_are_masked_whatever_surrounds_them(before, secret, after, wide):
    typed = full_width(secret) if wide else secret
    assert_hidden(secret, mask(before + typed + after))


@settings(max_examples=200)
@given(before=context, secret=email(), after=context)
def test_email_addresses_are_masked(before, secret, after):
    masked = mask(f"{before} {secret} {after}")
    assert "@" not in masked
    assert secret not in masked
    assert "〔邮箱〕" in masked


@given(secret=mobile())
def test_a_phone_number_is_labelled_as_one(secret):
    assert mask(f"我的电话{secret}，算力券怎么申请") == "我的电话〔手机号〕，算力券怎么申请"


def test_each_kind_of_number_gets_its_label():
    assert mask("身份证33040219900101123X") == "身份证〔身份证号〕"
    assert mask("卡号6222 0212 3456 7890 123") == "卡号〔银行卡号〕"
    assert mask("座机0573-82345678") == "座机〔电话〕"
    assert mask("电话：82345678") == "电话：〔电话〕"


@given(amount=st.integers(0, 10**10 - 1), pct=st.integers(0, 100))
def test_amounts_and_percentages_are_kept(amount, pct):
    # Up to ten digits is an amount, not a personal number: the operator needs to read it.
    question = f"营收{amount}元，增长{pct}%，投资3,000万元，能拿多少？"
    assert mask(question) == question
