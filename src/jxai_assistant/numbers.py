"""Chinese number, amount and percent parsing, and the one yuan formatter.

Everything is ``Decimal``: money never passes through ``float``. Chinese numerals are parsed by a small
deterministic parser in this module instead of ``cn2an``: cn2an returns floats for fractional values
("一点五" → 1.5) and, in its "smart" modes, turns 一/两 inside ordinary words (统一, 一次性, 两化融合) into
digits. The tests use ``cn2an.an2cn`` as an independent renderer to check this parser.

Conventions
- An *amount* needs a money unit: 元 (or 块钱), or a trailing 万/亿 (万元/亿元 included). "2027年",
  "10家", "第7条", "3.7", "50E Flops" are not amounts.
- ``parse_amount`` rejects negative values with ``AmountError``. ``find_amounts`` does not report negative
  mentions at all ("-5万", "负五万"): an amount mention is always a non-negative sum of money. A hyphen
  between two numbers ("600-900万") is a range separator, not a minus sign.
- Percents are signed (growth can be negative): "-5%" → -5, "负百分之五" → -5. "12个百分点" is a difference
  in percentage points, not a percent: ``find_percents`` ignores it, ``find_percentage_points`` reports it
  and ``parse_percent`` rejects it.
- Absurdly large values parse fine (callers decide what is plausible); more than 40 digits is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

__all__ = [
    "AmountError",
    "Mention",
    "find_amounts",
    "find_percentage_points",
    "find_percents",
    "format_yuan",
    "normalize",
    "parse_amount",
    "parse_percent",
]


class AmountError(ValueError):
    """An amount or percent that cannot be read; the message is Chinese and names the input."""


@dataclass(frozen=True)
class Mention:
    """A number found in a text: its value and the span ``text[start:end] == raw`` in the original text."""

    value: Decimal
    start: int
    end: int
    raw: str


# --- normalisation -------------------------------------------------------------------------------

# Characters NFKC leaves alone but that people use as a minus sign.
_EXTRA = {"\u2212": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"}


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    mapped = _EXTRA.get(ch)
    if mapped is not None:
        return mapped
    n = unicodedata.normalize("NFKC", ch)
    # Keep a 1:1 character mapping so that spans found in the normalised text index the original.
    return n if len(n) == 1 else ch


def normalize(text: str) -> str:
    """Return ``text`` with full-width digits/letters/punctuation made half-width (NFKC, per character).

    The result has exactly the same length as the input, so offsets found in it are offsets in ``text``.
    Characters whose NFKC form is longer than one character (e.g. "㈠", "½") are kept unchanged.
    """
    if text.isascii():
        return text
    return "".join(map(_norm_char, text))


# --- Chinese numeral tokens ----------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    # 大写 (financial) forms and traditional characters.
    "壹": 1, "贰": 2, "貳": 2, "兩": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5,
    "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

_DIG = "".join(_CN_DIGITS)
_UNITS = "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
_BIG = "".join(_BIG_UNITS)
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_TOKEN_RE = re.compile(rf"(?P<ar>{_ARABIC})|点(?P<frac>[{_DIG}]+)|(?P<ch>[{_DIG}{_UNITS}])")
# A numeral starts with a digit or 十 (十万, 十亿); 百/千/万/亿 alone start words (千万不要, 万亩千亿, 百万富翁).
_NUM = rf"(?:{_ARABIC}|[{_DIG}十拾])(?:{_ARABIC}|点[{_DIG}]+|[{_DIG}{_UNITS}])*"
# Not the continuation of a longer number such as "1.2.3万" or "12,3万".
_NOT_MID_NUMBER = r"(?<![0-9])(?<![0-9][.,])"
_MAX_DIGITS = 40


def _parse_numeral(s: str) -> Decimal:
    """Parse a numeral made of Arabic digits and Chinese digits/units ("1亿2千万", "一千五百", "十二点五")."""
    pos = 0
    total = Decimal(0)  # completed 万/亿 blocks
    section = Decimal(0)  # value below 万 accumulated in the current block
    num: Decimal | None = None  # the pending digit(s) not yet multiplied by a unit
    num_is_cn = False
    last_small = 10**9  # small units inside one block must decrease: 千 > 百 > 十
    last_unit = 0  # the last unit seen, for colloquial "一万五" / "三千五"
    after_zero = False
    after_point = False
    wan_in_block = False
    prev_kind = ""
    digits = 0

    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if m is None:
            raise AmountError(f"无法识别的数字：“{s}”")
        pos = m.end()
        if m.group("ar") is not None:
            if prev_kind in ("digit", "ar"):
                raise AmountError(f"数字连写无法识别：“{s}”")
            raw = m.group("ar").replace(",", "")
            digits += len(raw)
            num, num_is_cn, prev_kind = Decimal(raw), False, "ar"
            continue
        if m.group("frac") is not None:
            # 点 only after a number: "一点五", "十二点五", "十点五".
            if prev_kind not in ("digit", "small") or after_point:
                raise AmountError(f"小数点位置不对：“{s}”")
            frac = "".join(str(_CN_DIGITS[c]) for c in m.group("frac"))
            digits += len(frac)
            section += (num or 0) + Decimal("0." + frac)
            num, after_point, prev_kind = None, True, "frac"
            continue
        ch = m.group("ch")
        if ch in _CN_DIGITS:
            d = _CN_DIGITS[ch]
            if d == 0:
                # 零 is a placeholder ("一千零五"); on its own it is the number 0.
                if prev_kind == "zero":
                    raise AmountError(f"数字连写无法识别：“{s}”")
                after_zero = True
                if num is None:
                    num, num_is_cn = Decimal(0), True
                prev_kind = "zero"
                continue
            if prev_kind in ("digit", "ar") or after_point:
                raise AmountError(f"数字连写无法识别：“{s}”")
            digits += 1
            num, num_is_cn, prev_kind = Decimal(d), True, "digit"
            continue
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if after_point or unit >= last_small:
                raise AmountError(f"数位顺序不对：“{s}”")
            if num is None or prev_kind == "zero":
                if unit != 10 or section != 0 or prev_kind == "zero" and num:
                    raise AmountError(f"数位前缺少数字：“{s}”")
                num = Decimal(1)  # leading 十: 十二, 十万
                digits += 1
            section += num * unit
            num, last_small, last_unit, prev_kind = None, unit, unit, "small"
            after_zero = False
            continue
        # big unit 万 / 亿
        unit = _BIG_UNITS[ch]
        if num is not None and prev_kind not in ("zero",):
            section += num
        block = section
        if prev_kind in ("big", "") and unit == 10**4:
            raise AmountError(f"数位前缺少数字：“{s}”")
        if unit == 10**4:
            if wan_in_block or block == 0 and num is None:
                raise AmountError(f"数位重复：“{s}”")
            total += block * unit
            wan_in_block = True
        else:
            if prev_kind == "big" and last_unit == 10**8:
                raise AmountError(f"数位重复：“{s}”")
            if total == 0 and block == 0 and num is None:
                raise AmountError(f"数位前缺少数字：“{s}”")
            total = (total + block) * unit  # "一万亿" = 10^12
            wan_in_block = False
        section, num, last_small, last_unit, prev_kind = Decimal(0), None, 10**9, unit, "big"
        after_zero = after_point = False

    if digits == 0 and prev_kind != "zero":
        raise AmountError(f"没有数字：“{s}”")
    if digits > _MAX_DIGITS:
        raise AmountError(f"数字过长：“{s}”")
    if num is not None:
        if prev_kind == "digit" and num_is_cn and last_unit and not after_zero and not _is_plain_tail(s):
            # Colloquial abbreviation: "一万五" = 15000, "三千五" = 3500.
            num *= Decimal(last_unit) / 10
        elif prev_kind == "ar" and last_unit:
            raise AmountError(f"数字写法有歧义：“{s}”")
        section += num
    return total + section


def _is_plain_tail(s: str) -> bool:
    """True when the trailing digit follows 十 ("十二", "三十五"): then it is a plain units digit."""
    return len(s) >= 2 and s[-2] in "十拾"


def _parse_numeral_exact(s: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 120  # exact for every accepted input (≤ 40 digits × 10^12)
        value = _parse_numeral(s)
        # "1.2亿" → 120000000, not 120000000.0; fractions keep their digits without trailing zeros.
        integral = value.to_integral_value()
        return integral.quantize(Decimal(1)) if value == integral else value.normalize()


# --- amounts -------------------------------------------------------------------------------------

_YUAN = r"(?:元|块钱)(?![化论素宇]|次方)"
# Words after a bare 万/亿 that make it a count, not money: "10万人", "一万年", "5万台".
_COUNT_AFTER = re.compile(
    r"[年月日天周个家人名位台套件项次条座辆步亩平米吨度瓦张户所份卡部篇字行批倍股册只头间多余千]"
)
_AMOUNT_RE = re.compile(rf"{_NOT_MID_NUMBER}(?P<num>{_NUM})(?P<yuan>{_YUAN})?")
_SIGN_CHARS = "-负"
_NUMBERISH = set("0123456789%" + _DIG + _UNITS + "元")


def _is_negative(norm: str, start: int) -> bool:
    """True when the number starting at ``start`` carries a minus sign (not a range hyphen "600-900")."""
    if start == 0 or norm[start - 1] not in _SIGN_CHARS:
        return False
    if norm[start - 1] == "负":
        return True
    return start < 2 or norm[start - 2] not in _NUMBERISH


def _amount_candidates(norm: str, m: re.Match[str]) -> list[tuple[int, int]]:
    """The span (start, end) to read as money for one numeral run, or none: it must end in a money unit."""
    start, num_end = m.start("num"), m.end("num")
    if m.group("yuan"):
        return [(start, m.end())]
    run = m.group("num")
    if run[-1] in _BIG:
        return [] if _COUNT_AFTER.match(norm, num_end) else [(start, num_end)]
    # "3000万两个", "500万一年": a word starting with a digit follows the amount; cut after the last 万/亿.
    # An all-Chinese run ending in one digit ("一万五") is an abbreviation: cutting it would misread it.
    cut = max(run.rfind(c) for c in _BIG) + 1
    if cut == 0 or (len(run) - cut == 1 and not any(c.isdigit() for c in run)):
        return []
    if _COUNT_AFTER.match(norm, start + cut):
        return []
    return [(start, start + cut)]
    return out


def find_amounts(text: str) -> list[Mention]:
    """Find sums of money in ``text``: "2000万元", "三千万", "1.2亿", "1,500万", "1500000元".

    Only mentions with a money unit count (元/块钱, or a trailing 万/亿 not followed by a counting word such as
    人/台/年). Negative mentions are not reported. Spans index the original ``text``.
    """
    norm = normalize(text)
    out: list[Mention] = []
    pos = 0
    while True:
        m = _AMOUNT_RE.search(norm, pos)
        if m is None:
            return out
        found = None
        for start, end in _amount_candidates(norm, m):
            try:
                value = _parse_numeral_exact(norm[start:end].removesuffix("块钱").removesuffix("元"))
            except AmountError:
                continue
            found = (start, end, value)
            break
        if found is None:
            pos = m.start() + 1  # e.g. "唯一100万": retry from "100万"
            continue
        start, end, value = found
        if not _is_negative(norm, start):
            out.append(Mention(value, start, end, text[start:end]))
        pos = end


_PARSE_AMOUNT_RE = re.compile(rf"(?P<sign>[-负]?)(?P<num>{_NUM})(?:元|块钱)?")


def parse_amount(text: str) -> Decimal:
    """Parse one amount of money to yuan: "120万" → 1200000, "1.2亿" → 120000000, "五千万元" → 50000000.

    The whole string must be one amount (surrounding blanks, "人民币", "约" and a leading ¥ are allowed).
    A bare number is read as yuan ("1500000" → 1500000). Raises ``AmountError`` (Chinese message) on empty
    or unreadable input and on negative values.
    """
    if not isinstance(text, str):
        raise AmountError(f"金额必须是文字，收到 {type(text).__name__}")
    s = normalize(text).strip().replace(" ", "")
    if not s:
        raise AmountError("金额为空")
    for prefix in ("人民币", "约", "¥"):
        s = s.removeprefix(prefix)
    m = _PARSE_AMOUNT_RE.fullmatch(s)
    if m is None:
        raise AmountError(f"无法识别的金额：“{text.strip()}”")
    value = _parse_numeral_exact(m.group("num"))
    if m.group("sign") and value != 0:
        raise AmountError(f"金额不能为负数：“{text.strip()}”")
    return value


# --- percents ------------------------------------------------------------------------------------

_PERCENT_RE = re.compile(
    rf"{_NOT_MID_NUMBER}(?:(?P<ar>{_NUM})\s?%|百分之(?P<cn>{_NUM}))"
)
_POINTS_RE = re.compile(rf"{_NOT_MID_NUMBER}(?P<num>{_NUM})个?百分点")


def _percent_value(norm: str, m: re.Match[str]) -> tuple[Decimal, int] | None:
    """Value and end of a percent match; for 百分之 the longest readable prefix of the numeral counts."""
    if m.group("ar") is not None:
        try:
            return _parse_numeral_exact(m.group("ar")), m.end()
        except AmountError:
            return None
    num, start = m.group("cn"), m.start("cn")
    for end in range(len(num), 0, -1):
        try:
            return _parse_numeral_exact(num[:end]), start + end
        except AmountError:
            continue
    return None


def find_percents(text: str) -> list[Mention]:
    """Find percents in ``text``: "12%", "12.5％", "百分之十二". Values are percentage points (12 means 12%).

    Signed: "-5%" → -5, "负百分之五" → -5 (a hyphen between numbers, as in "10%-15%", is a range).
    "12个百分点" is not a percent (see ``find_percentage_points``). Spans index the original ``text``.
    """
    norm = normalize(text)
    out = []
    pos = 0
    while (m := _PERCENT_RE.search(norm, pos)) is not None:
        got = _percent_value(norm, m)
        if got is None:
            pos = m.start() + 1  # e.g. "统一12%": retry from "12%"
            continue
        value, end = got
        start = m.start()
        if _is_negative(norm, start):
            start, value = start - 1, -value
        out.append(Mention(value, start, end, text[start:end]))
        pos = end
    return out


def find_percentage_points(text: str) -> list[Mention]:
    """Find differences in percentage points: "提高12个百分点" → 12. These are not growth rates."""
    norm = normalize(text)
    out = []
    for m in _POINTS_RE.finditer(norm):
        try:
            value = _parse_numeral_exact(m.group("num"))
        except AmountError:
            continue
        out.append(Mention(value, m.start(), m.end(), text[m.start() : m.end()]))
    return out


def parse_percent(text: str) -> Decimal:
    """Parse one percent to percentage points: "12%" → 12, "百分之十二" → 12, "12.5％" → 12.5, "-5%" → -5.

    Raises ``AmountError`` (Chinese message) on empty or unreadable input and on "12个百分点", which is a
    difference in percentage points rather than a percent.
    """
    if not isinstance(text, str):
        raise AmountError(f"百分比必须是文字，收到 {type(text).__name__}")
    s = normalize(text).strip().replace(" ", "")
    if not s:
        raise AmountError("百分比为空")
    if _POINTS_RE.fullmatch(s):
        raise AmountError(f"“{text.strip()}”是百分点差值，不是百分比（增长12个百分点≠增长12%）")
    sign = -1 if s[0] in _SIGN_CHARS else 1
    body = s[1:] if sign < 0 else s
    m = re.fullmatch(rf"(?:(?P<ar>{_NUM})%|百分之(?P<cn>{_NUM}))", body)
    if m is None:
        raise AmountError(f"无法识别的百分比：“{text.strip()}”")
    return sign * _parse_numeral_exact(m.group("ar") or m.group("cn"))


# --- formatting ----------------------------------------------------------------------------------

_YI = Decimal(10**8)
_WAN = Decimal(10**4)


def _plain(d: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 60, 12.5."""
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def format_yuan(amount: int | Decimal) -> str:
    """Format money for users: multiples of 1亿 → "1亿元"; multiples of 100 from 1万 up → "60万元", "12.5万元",
    "12000万元"; otherwise whole yuan "123457元", "5000元" (fractions of a yuan are rounded half up); 0 → "0元".
    Negative amounts (e.g. a decrease shown in a calculation step) get a leading "-".

    Floats are refused (``TypeError``): money never passes through float.
    """
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"format_yuan 需要 int 或 Decimal，收到 {type(amount).__name__}")
    d = Decimal(amount)
    if not d.is_finite():
        raise ValueError(f"金额不是有限数：{amount}")
    with localcontext() as ctx:
        ctx.prec = 120
        d = d.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        sign, d = ("-", -d) if d < 0 else ("", d)
        if d == 0:
            return "0元"
        if d % _YI == 0:
            return f"{sign}{_plain(d / _YI)}亿元"
        if d % 100 == 0 and d >= _WAN:
            return f"{sign}{_plain(d / _WAN)}万元"
        return f"{sign}{_plain(d)}元"
