"""Personal numbers and addresses masked out of question text before it is ever written.

What is masked (full-width digits, letters and ＠ count as their ASCII forms):
- e-mail addresses → 〔邮箱〕;
- any run of 11 or more digits, also written in groups separated by single spaces, hyphens or dashes, and an 18th
  character X of an ID number → 〔手机号〕 (11 digits starting 1), 〔身份证号〕 (15 or 18), 〔银行卡号〕 (16–19), else
  〔号码〕. A long run is masked whatever it is: a phone number typed next to other digits ("5 138…") stays private;
- 7–8 digit numbers right after a phone word (电话, 座机, 手机, tel, phone …) → 〔电话〕.
Amounts as people write them (3000万, 1,200,000元, 12%) are kept: they are what the operator needs to read.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Digit groups joined by one separator; the run may end in the X of an ID number.
_LONG_NUMBER = re.compile(r"\+?\d(?:[ \-–—]?\d){10,}(?:[Xx](?![A-Za-z]))?")
_PHONE_WORD = re.compile(r"((?:电话|座机|手机|热线|联系方式|tel|phone)\D{0,4}?)(\d{3,4}[ \-]?\d{4})(?!\d)", re.IGNORECASE)


# Full-width digits, letters, ＠＋－． and the ideographic space are folded before matching; Chinese punctuation
# (，：。) is kept as typed.
_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＠＋－．"} | {0x3000: 0x20} | {
    code: code - 0xFEE0 for start, end in ((0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for code in range(start, end + 1)}


def _kind(run: str) -> str:
    digits = re.sub(r"\D", "", run)
    if run[-1] in "Xx" or (len(digits) in (15, 18) and digits[0] not in "01"):
        return "〔身份证号〕"
    if len(digits) == 13 and digits.startswith("861"):  # +86 and a mobile number
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return "〔手机号〕"
    if digits.startswith("0") and len(digits) <= 12:  # area code and a landline
        return "〔电话〕"
    if 16 <= len(digits) <= 19:
        return "〔银行卡号〕"
    return "〔号码〕"


def mask(text: str) -> str:
    """Return ``text`` with phone, ID, bank-card numbers and e-mail addresses replaced by a bracketed label."""
    text = text.translate(_FULL_WIDTH)
    text = _EMAIL.sub("〔邮箱〕", text)
    text = _LONG_NUMBER.sub(lambda m: _kind(m.group(0)), text)
    return _PHONE_WORD.sub(lambda m: m.group(1) + "〔电话〕", text)
