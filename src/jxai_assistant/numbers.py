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
    "find_unclear_amounts",
    "find_percentage_points",
    "find_percents",
    "format_percent",
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
    if unicodedata.is_normalized("NFKC", text) and not any(c in text for c in _EXTRA):
        return text
    # Map each distinct character once: linear in the text, however many different characters it holds.
    table = {ord(c): n for c in set(text) if (n := _norm_char(c)) != c}
    return text.translate(table)


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
# Atomic: a long digit run that is not followed by a unit must fail in linear time, not by trying every split.
_NUM = rf"(?>(?:{_ARABIC}|[{_DIG}十拾])(?:{_ARABIC}|点[{_DIG}]+|[{_DIG}{_UNITS}])*)"
_MAX_DIGITS = 40
# A numeral run longer than this is never one number ("一一一…"): skip it whole instead of retrying inside it.
_MAX_RUN = 64


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
    point_after_big = False  # "一亿点五": no unit may follow such a fraction
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
            # 点 only after a number: "一点五", "十二点五", "十点五", "零点五" and, as cn2an writes 10000.05, "一万点零五".
            alone_zero = prev_kind == "zero" and total == 0 and section == 0 and num == 0
            if prev_kind not in ("digit", "small", "big") and not alone_zero or after_point:
                raise AmountError(f"小数点位置不对：“{s}”")
            point_after_big = prev_kind == "big"
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
        if point_after_big:
            raise AmountError(f"数位顺序不对：“{s}”")
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


_PLAIN_ARABIC = re.compile(_ARABIC)


@lru_cache(maxsize=8192)
def _parse_numeral_exact(s: str) -> Decimal:
    """``_parse_numeral`` with enough precision to be exact, normalised: "1.2亿" → 120000000, 12.50 → 12.5."""
    with localcontext() as ctx:
        ctx.prec = 120  # exact for every accepted input (≤ 40 digits × 10^12)
        if _PLAIN_ARABIC.fullmatch(s):  # fast path for the common "1500000" / "1,500"
            if len(s) > _MAX_DIGITS:
                raise AmountError(f"数字过长：“{s}”")
            value = Decimal(s.replace(",", ""))
        else:
            value = _parse_numeral(s)
        integral = value.to_integral_value()
        return integral.quantize(Decimal(1)) if value == integral else value.normalize()


# --- finding numbers in text ---------------------------------------------------------------------

# A numeral run: digits, Chinese digits and units, and a point or comma only between two digits. Runs are found in
# one linear pass; a number inside a run is then tried from each possible start ("唯一100万" → "100万"), so no
# regular expression ever backtracks over a long run.
_RUN_RE = re.compile(rf"(?:[0-9点{_DIG}{_UNITS}]|(?<=[0-9])[.,](?=[0-9]))+")
_START_CHARS = set("0123456789" + _DIG + "十拾")
_NUM_RE = re.compile(_NUM)


def _runs(norm: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _RUN_RE.finditer(norm) if m.end() - m.start() <= _MAX_RUN]


def _starts(norm: str, start: int, end: int) -> list[int]:
    """Positions in a run where a number may begin: not in the middle of "1.2.3" or "12,345"."""
    out = []
    for i in range(start, end):
        if norm[i] not in _START_CHARS:
            continue
        prev = norm[i - 1] if i else ""
        if prev.isascii() and prev.isdigit():
            continue
        if prev in ".," and i > 1 and norm[i - 2].isascii() and norm[i - 2].isdigit():
            continue
        out.append(i)
    return out


def _read(norm: str, start: int, end: int) -> Decimal | None:
    """The value of ``norm[start:end]`` if it is exactly one numeral, else None."""
    if _NUM_RE.fullmatch(norm, start, end) is None:
        return None
    try:
        return _parse_numeral_exact(norm[start:end])
    except AmountError:
        return None


# --- amounts -------------------------------------------------------------------------------------

_YUAN_RE = re.compile(r"(?:元|块钱)(?![化论素宇]|次方)")
# Words after a bare 万/亿 that make it a count, not money: "10万人", "一万年", "5万台".
_COUNT_AFTER = re.compile(r"[年月日天周个家人名位台套件项次条座辆步亩平米吨度瓦张户所份卡部篇字行批倍股册只头间多余]")
_SIGN_CHARS = "-负"
_NUMBERISH = set("0123456789%" + _DIG + _UNITS + "元")


def _is_negative(norm: str, start: int) -> bool:
    """True when the number starting at ``start`` carries a minus sign (not a range hyphen "600-900")."""
    if start == 0 or norm[start - 1] not in _SIGN_CHARS:
        return False
    if norm[start - 1] == "负":
        return True
    return start < 2 or norm[start - 2] not in _NUMBERISH


def _money_end(norm: str, start: int, end: int) -> int | None:
    """Where the numeral of an amount starting at ``start`` in the run ending at ``end`` stops, or None.

    The numeral must end in 万/亿 or be followed by 元. "3000万两个", "500万一年": a word starting with a digit
    follows the amount, so the run is cut after its last 万/亿 — except an all-Chinese run ending in one digit
    ("一万五"), which is an abbreviation that cutting would misread.
    """
    if _YUAN_RE.match(norm, end):
        return end
    run = norm[start:end]
    if run[-1] in _BIG:
        return None if _COUNT_AFTER.match(norm, end) else end
    cut = max(run.rfind(c) for c in _BIG) + 1
    if cut == 0 or (len(run) - cut == 1 and not any(c.isascii() and c.isdigit() for c in run)):
        return None
    return None if _COUNT_AFTER.match(norm, start + cut) else start + cut


def find_amounts(text: str) -> list[Mention]:
    """Find sums of money in ``text``: "2000万元", "三千万", "1.2亿", "1,500万", "1500000元", "1个亿", "120w",
    "¥1,200,000", "3 million yuan", "12万5千".

    Only mentions with a money unit count (元/块钱, or a trailing 万/亿 not followed by a counting word such as
    人/台/年). Negative mentions are not reported, nor any number inside an amount that cannot be read exactly
    (``find_unclear_amounts``: "1.2e6元", "两三百万", "100多万"). Spans index the original ``text``; linear time.
    """
    norm = normalize(text)
    out: list[Mention] = []
    for run_start, run_end in _runs(norm):
        for start in _starts(norm, run_start, run_end):
            num_end = _money_end(norm, start, run_end)
            value = None if num_end is None else _read(norm, start, num_end)
            if value is None:
                continue
            yuan = _YUAN_RE.match(norm, num_end) if num_end == run_end else None
            end = yuan.end() if yuan else num_end
            if not _is_negative(norm, start):
                out.append(Mention(value, start, end, text[start:end]))
            break
    extra = _other_forms(norm, text)
    unclear = [(u.start, u.end) for u in find_unclear_amounts(text)]
    taken = [(m.start, m.end) for m in extra] + unclear
    out = [m for m in out if not _overlaps(m, taken)]
    return sorted(out + [m for m in extra if not _overlaps(m, unclear)], key=lambda m: m.start)


# Forms people type that the numeral grammar does not cover. Each is exact: a number and a unit that fixes it.
_GE_YI_RE = re.compile(rf"(?<![0-9.{_DIG}十拾])(?P<num>[0-9]++(?:\.[0-9]++)?|[{_DIG}十拾]++)个亿")  # 1个亿, 两个亿, 1.5个亿
_WAN_W_RE = re.compile(r"(?<![A-Za-z0-9.])(?P<num>[0-9]++(?:\.[0-9]++)?)\s?[wW](?![A-Za-z])")  # 120w
_CURRENCY_RE = re.compile(r"(?:[¥￥]|(?<![A-Za-z])(?:RMB|CNY)\s?)(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
                          r"(?!\s?(?:万|亿|[0-9]|million|billion|[mM]n|[bB]n))")
_ENGLISH_RE = re.compile(r"(?<![A-Za-z0-9.,])(?P<num>[0-9]{1,3}(?:,[0-9]{3})++(?:\.[0-9]++)?|[0-9]++(?:\.[0-9]++)?)\s?"
                         r"(?:(?P<scale>million|billion|mn|bn|m)\b\s?(?:yuan|rmb|cny)?|(?:yuan|rmb|cny)\b)", re.I)
_WAN_QIAN_RE = re.compile(r"(?<![0-9.])(?P<wan>[0-9]++)万(?P<qian>[1-9])千(?![0-9万亿])")  # 12万5千
_SCALES = {"million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}


def _other_forms(norm: str, text: str) -> list[Mention]:
    out: list[Mention] = []
    for pattern, scale in ((_GE_YI_RE, 10**8), (_WAN_W_RE, 10**4), (_CURRENCY_RE, 1), (_ENGLISH_RE, None)):
        for m in pattern.finditer(norm):
            try:
                number = _parse_numeral_exact(m.group("num").replace(",", ""))
            except AmountError:
                continue
            factor = scale if scale is not None else _SCALES.get((m.group("scale") or "").lower(), 1)
            value = number * factor
            value = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
            out.append(Mention(value, m.start(), m.end(), text[m.start():m.end()]))
    for m in _WAN_QIAN_RE.finditer(norm):
        value = Decimal(m.group("wan")) * 10**4 + Decimal(m.group("qian")) * 10**3
        out.append(Mention(value, m.start(), m.end(), text[m.start():m.end()]))
    return out


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(start < m.end and m.start < end for start, end in spans)


@dataclass(frozen=True)
class Unclear:
    """An amount or percent that cannot be read exactly: ``reason`` is Chinese ("科学计数法", "约数", "范围")."""

    start: int
    end: int
    raw: str
    reason: str


# Scientific notation is never read: "1.2e6元" is not 6元, "1e30%" is not 30%.
_SCIENTIFIC_RE = re.compile(r"(?<![A-Za-z0-9.])[0-9]++(?:\.[0-9]++)?[eE][+-]?[0-9]++(?:\s?(?:元|万|亿|%))?")
# Approximations: 100多万, 八十来万, 几百万, 上千万, 近百万, 数百万, 1个多亿.
_APPROX_RE = re.compile(rf"(?<![0-9{_DIG}十百千])(?:[0-9]++|[{_DIG}十百千]++)(?:多|来|余)(?:个)?(?:[十百千]?[万亿])"
                        rf"|(?:几|上|近|数|好几)(?:十|百|千)(?:多)?[万亿]|几[万亿]|(?<![0-9{_DIG}])(?:[0-9]++|[{_DIG}]++)个多亿")
# Ranges written as two adjacent digits: 两三百万, 三四千万, 七八十万.
_RANGE_RE = re.compile(rf"(?<![{_DIG}0-9])([{_DIG}])(?!\1)([{_DIG}])(?:十|百|千)?[万亿]")


def find_unclear_amounts(text: str) -> list[Unclear]:
    """Amounts and percents that cannot be read exactly (to be asked back, never guessed); spans index ``text``."""
    norm = normalize(text)
    out = []
    for pattern, reason in ((_SCIENTIFIC_RE, "科学计数法"), (_APPROX_RE, "约数"), (_RANGE_RE, "范围")):
        for m in pattern.finditer(norm):
            if reason == "范围" and m.group(1) in "零〇":
                continue
            out.append(Unclear(m.start(), m.end(), text[m.start():m.end()], reason))
    return sorted(out, key=lambda u: u.start)


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

_PERCENT_AFTER = re.compile(r"\s?%")
_POINTS_AFTER = re.compile(r"个?百分点")
_POINTS_RE = re.compile(rf"(?P<num>{_NUM})个?百分点")


def find_percents(text: str) -> list[Mention]:
    """Find percents in ``text``: "12%", "12.5％", "百分之十二". Values are percentage points (12 means 12%).

    Signed: "-5%" → -5, "负百分之五" → -5 (a hyphen between numbers, as in "10%-15%", is a range).
    "12个百分点" is not a percent (see ``find_percentage_points``). Spans index the original ``text``.
    """
    norm = normalize(text)
    out = []
    for run_start, run_end in _runs(norm):
        found = None
        if (pct := _PERCENT_AFTER.match(norm, run_end)) is not None:
            for start in _starts(norm, run_start, run_end):
                if (value := _read(norm, start, run_end)) is not None:
                    found = (start, pct.end(), value)
                    break
        elif norm.startswith("百分之", run_start - 3) and run_start >= 3:
            # The longest readable prefix: "百分之十二两个" → 十二.
            for end in range(run_end, run_start, -1):
                if (value := _read(norm, run_start, end)) is not None:
                    found = (run_start - 3, end, value)
                    break
        if found is None:
            continue
        start, end, value = found
        if _is_negative(norm, start):
            start, value = start - 1, -value
        out.append(Mention(value, start, end, text[start:end]))
    if out and (unclear := find_unclear_amounts(text)):
        out = [m for m in out if not any(u.start < m.end and m.start < u.end for u in unclear)]
    return out


def find_percentage_points(text: str) -> list[Mention]:
    """Find differences in percentage points: "提高12个百分点" → 12. These are not growth rates."""
    norm = normalize(text)
    out = []
    for run_start, run_end in _runs(norm):
        after = _POINTS_AFTER.match(norm, run_end)
        if after is None:
            continue
        for start in _starts(norm, run_start, run_end):
            if (value := _read(norm, start, run_end)) is not None:
                out.append(Mention(value, start, after.end(), text[start : after.end()]))
                break
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


def format_percent(points: Decimal) -> str:
    """Format percentage points for users: at most two decimals (half up), no trailing zeros: "50%", "12.35%"."""
    return f"{points.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}%"


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
