"""Number firewall: every figure in an LLM rephrasing must come from the cited clauses or the calculations.

The optional LLM only rephrases the deterministic answer. This module is what makes that safe: it extracts every
amount, percentage, count, year, date, bare number and clause reference from the LLM output and checks each one, by
*value*, against the figures of the sources (60万元 == 600000元 == 六十万元; 50% == 百分之五十). It also checks that
the rephrasing still carries the required content: every clause the deterministic answer cites and every key amount
(award and caps of the calculations) that the deterministic answer states.

The firewall is deliberately strict. A false alarm costs only fluency (the deterministic answer is served); a missed
invention would put a wrong figure in front of an enterprise. Known limit: a figure that occurs in a cited clause is
allowed wherever it appears (e.g. 三.7's 200万元 cap for model developers), since values are checked, not meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from ..numbers import (
    AmountError,
    find_amounts,
    find_percentage_points,
    find_percents,
    format_percent,
    format_yuan,
    normalize,
    parse_amount,
    parse_percent,
)
from ..references import PART_NAMES, ReferenceNotFound, resolve_reference, scan_references

__all__ = ["AllowedFigures", "Figure", "Violation", "check_answer", "cited_clause_ids", "extract_figures",
           "step_figures"]


@dataclass(frozen=True)
class Figure:
    """A figure found in a text. ``value`` by kind: amount → Decimal yuan; percent → Decimal points; count →
    (family, Decimal) with family "items", "time", "倍" or "E"; year → int; date → "12-31" or "12" (month);
    number → Decimal (a bare number with no unit)."""

    kind: str
    raw: str
    value: Any
    start: int
    end: int


@dataclass(frozen=True)
class Violation:
    """Why an LLM output was rejected: the kind of figure, its text in the output, its value and a Chinese reason.

    Kinds: amount, percent, count, year, date, number, clause (invented or not cited), missing_citation,
    missing_amount.
    """

    kind: str
    raw: str
    value: Any
    reason: str


# --- extraction ----------------------------------------------------------------------------------

_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_NUMERAL = rf"(?:\d+(?:\.\d+)?|[{_CN_NUMERAL}]+)"
_SMALL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}

_ISO_DATE_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.])")
_YEAR_RE = re.compile(rf"(?<![\d{_CN_NUMERAL}])(?P<y>(?:19|20)\d\d|[〇零一二三四五六七八九]{{4}})\s?年")
_MONTH_DAY_RE = re.compile(rf"(?<![\d{_CN_NUMERAL}])(?P<m>{_SMALL})\s?月\s?(?P<d>{_SMALL})\s?[日号]")
_MONTH_RE = re.compile(rf"(?<![\d{_CN_NUMERAL}第])(?P<m>{_SMALL})\s?月(?!\s?[\d{_CN_NUMERAL}])")

# Spans whose digits belong to a clause reference (三.7, 3.7, 第7条, 政策7); those are checked as references, not
# as numbers. Bounds mirror references.scan_references: "3.7亿" and "3.7家" are figures, not clause 三.7.
_PART_WORDS = "|".join(sorted((n for n, p in PART_NAMES.items() if p != "五"), key=len, reverse=True))
_REF_MASK_RE = re.compile(
    r"(?<![\d.])[一二三四五1-5]\s*[.．、]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?![\d.万亿元%％倍个年月日号家E])"
    rf"|第\s*{_NUMERAL}\s*[条项款]"
    rf"|(?:{_PART_WORDS})\s*\d{{1,2}}(?![\d.万亿元%％])"
)
_BARE_ITEM_RE = re.compile(rf"第\s*(?:\d{{1,3}}|[零一二两三四五六七八九十百]{{1,4}})\s*[条项款]")
_NAMED_BEFORE_RE = re.compile(rf"(?:{_PART_WORDS}|部分)\s*(?:中的|里的|的)?\s*$")
_BRACKET_RE = re.compile(r"〔([^〔〕]{1,30})〕")
_FRAGMENT_RE = re.compile(r"[^。！？；!?;\n]+")

# Counting words after a number: 10家, 200个, 3项, 50E (Flops), 30日, 2倍.
_COUNT_RE = re.compile(
    rf"(?<![第\d.{_CN_NUMERAL}])(?P<num>{_NUMERAL})\s?(?P<unit>个|家|项|名|位|人|所|座|台|套|件|次|批|类|种|倍|年|月|周|天|日|E)"
)
_COUNT_FAMILY = {"E": "E", "倍": "倍", "年": "time", "月": "time", "周": "time", "天": "time", "日": "time"}
# Markdown list markers ("1. ", "2、") number lines; they are not figures.
_LIST_MARKER_RE = re.compile(r"(?m)^[ \t>]*(?:[-*+][ \t]+)?\d{1,2}[.、)）](?![\d.])")
_ARABIC_RE = re.compile(r"\d+(?:\.\d+)?")


def _small_int(token: str) -> int | None:
    try:
        value = parse_amount(token)
    except AmountError:
        return None
    return int(value) if value == value.to_integral_value() else None


def _year_value(token: str) -> int:
    if token.isdigit():
        return int(token)
    return int("".join(_CN_YEAR_DIGITS[c] for c in token))


def extract_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order: amounts, percents, years, dates, counts and bare Arabic numbers.

    Chinese numerals count only with a unit ("六十万元", "百分之五十", "十家", "二〇二七年"): 统一/一次性/两化融合
    are words. A Chinese 一 with a counting word ("一家企业", "一次性") is an article, not a figure, and is skipped.
    Digits inside clause references (三.7, 第7条) and Markdown list markers are not numbers here.
    """
    norm = normalize(text)
    taken: list[tuple[int, int]] = []
    found: list[Figure] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    def claim(kind: str, start: int, end: int, value: Any) -> None:
        if free(start, end):
            taken.append((start, end))
            found.append(Figure(kind, text[start:end], value, start, end))

    for m in find_amounts(text):
        claim("amount", m.start, m.end, m.value)
    for m in find_percents(text) + find_percentage_points(text):
        claim("percent", m.start, m.end, m.value)
    for m in _ISO_DATE_RE.finditer(norm):
        month, day = int(m.group("m")), int(m.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31 and free(*m.span()):
            claim("year", m.start("y"), m.end("y"), int(m.group("y")))
            claim("date", m.start("m"), m.end(), f"{month}-{day}")
    for m in _YEAR_RE.finditer(norm):
        claim("year", *m.span(), _year_value(m.group("y")))
    for m in _MONTH_DAY_RE.finditer(norm):
        month, day = _small_int(m.group("m")), _small_int(m.group("d"))
        if month and day and 1 <= month <= 12 and 1 <= day <= 31:
            claim("date", *m.span(), f"{month}-{day}")
    for m in _MONTH_RE.finditer(norm):
        month = _small_int(m.group("m"))
        if month and 1 <= month <= 12:
            claim("date", *m.span(), str(month))
    for regex in (_REF_MASK_RE, _LIST_MARKER_RE):
        taken.extend(m.span() for m in regex.finditer(norm))
    for m in _COUNT_RE.finditer(norm):
        token = m.group("num")
        try:
            value = parse_amount(token)
        except AmountError:
            continue  # 千家万户, 万家: words, not numbers
        if value == 1 and not token[0].isdigit():
            continue
        claim("count", *m.span(), (_COUNT_FAMILY.get(m.group("unit"), "items"), value))
    for m in _ARABIC_RE.finditer(norm):
        if m.start() > 0 and norm[m.start() - 1] == "第":
            continue  # 第1步: an ordinal of the text's own structure
        claim("number", *m.span(), Decimal(m.group()))
    return sorted(found, key=lambda f: f.start)


def _fragments(text: str) -> Iterable[str]:
    # References never span a sentence end; scanning sentence by sentence names the offending sentence in a violation.
    return (m.group().strip() for m in _FRAGMENT_RE.finditer(text) if m.group().strip())


@dataclass(frozen=True)
class _ClauseMention:
    raw: str
    ids: tuple[str, ...]  # several for an ambiguous bare 第七条 (三.7 or 二.7)
    error: str | None


def _clause_mentions(text: str) -> list[_ClauseMention]:
    """Clause references in ``text``: ids found by the reference scanner, bare 第N条, and 〔…〕 citations."""
    mentions: list[_ClauseMention] = []
    for fragment in _fragments(text):
        scan = scan_references(fragment)
        mentions.extend(_ClauseMention(fragment[:40], (cid,), None) for cid in scan.ids)
        mentions.extend(_ClauseMention(fragment[:40], (), error) for error in scan.errors)
    norm = normalize(text)
    for m in _BARE_ITEM_RE.finditer(norm):
        if _NAMED_BEFORE_RE.search(norm[max(0, m.start() - 8) : m.start()]):
            continue  # 支持政策第7条: the scanner resolved it
        mentions.append(_resolve(m.group()))
    for m in _BRACKET_RE.finditer(text):
        inner = m.group(1)
        scan = scan_references(inner)
        if not scan.ids and not scan.errors:  # 〔序〕, 〔附件2〕: forms the scanner does not look for
            mentions.append(_resolve(inner, raw=m.group()))
    return mentions


def _resolve(reference: str, raw: str | None = None) -> _ClauseMention:
    try:
        return _ClauseMention(raw or reference, tuple(resolve_reference(reference)), None)
    except ReferenceNotFound as exc:
        return _ClauseMention(raw or reference, (), exc.message)


def cited_clause_ids(text: str) -> list[str]:
    """Clause ids cited unambiguously in ``text`` (三.7, 〔三.7〕, 支持政策第7条, titles …), in order of mention."""
    ids: list[str] = []
    for mention in _clause_mentions(text):
        if mention.error is None and len(mention.ids) == 1 and mention.ids[0] not in ids:
            ids.append(mention.ids[0])
    return ids


# --- allowed figures -----------------------------------------------------------------------------


def _calculation_texts(calc: Mapping[str, Any]) -> list[str]:
    """The calculator's prose beyond its steps (notes, missing facts); steps are read through their typed figures."""
    texts = [note for note in calc.get("notes") or [] if isinstance(note, str)]
    for item in calc.get("missing") or []:
        texts += [item.get("label") or "", item.get("question") or ""]
    return texts


def _yuan(value: Any) -> Decimal | None:
    if value is None or isinstance(value, (bool, float)):
        return None  # money never passes through float
    return Decimal(str(value))


def step_figures(calc: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """(kind, value) of every typed figure of the calculation's steps: exact, and as the step text shows it (yuan
    rounded half up to whole yuan as ``format_yuan`` does, percentage points as ``format_percent`` does), since an
    answer repeats the shown figure."""
    for step in calc.get("steps") or []:
        for figure in step.get("figures") or []:
            value, unit = _yuan(figure.get("value")), figure.get("unit")
            if value is None:
                continue
            if unit == "yuan":
                yield from (("amount", value), ("amount", value.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
            elif unit == "percent":
                yield from (("percent", value), ("percent", parse_percent(format_percent(value))))
            elif unit == "count":
                yield "number", value  # "共2档": the firewall reads a count of tiers as a bare number


@dataclass(frozen=True)
class AllowedFigures:
    """The figures an LLM rephrasing may state, and the content it must keep."""

    amounts: frozenset[Decimal]
    percents: frozenset[Decimal]
    counts: frozenset[tuple[str, Decimal]]
    years: frozenset[int]
    dates: frozenset[str]
    numbers: frozenset[Decimal]
    clause_ids: frozenset[str]
    # References to clauses that do not exist, as the deterministic answer states them ("没有第16条" explains an error).
    clause_errors: frozenset[str]
    required_clause_ids: tuple[str, ...]
    required_amounts: tuple[Decimal, ...]

    @classmethod
    def from_sources(
        cls,
        clause_texts: list[str],
        calculations: list[dict],
        deterministic_answer: str,
        *,
        clause_ids: Iterable[str] = (),
    ) -> "AllowedFigures":
        """Collect the figures of the cited clauses' texts, the calculations (amounts, caps, the steps' typed
        figures, notes) and the deterministic answer. ``clause_ids`` adds cited clauses beyond those the answer and
        calculations name.

        Required content: every clause id the deterministic answer cites, and every calculation amount or cap that
        the deterministic answer states (the award must survive the rephrasing).
        """
        texts = list(clause_texts) + [deterministic_answer]
        calc_amounts: set[Decimal] = set()
        ids = set(clause_ids)
        by_kind: dict[str, set] = {k: set() for k in ("amount", "percent", "count", "year", "date", "number")}
        for calc in calculations:
            texts += _calculation_texts(calc)
            calc_amounts |= {v for v in (_yuan(calc.get("amount_yuan")), _yuan(calc.get("cap_yuan"))) if v is not None}
            steps = calc.get("steps") or []
            ids |= {cid for cid in [calc.get("policy_id")] + [step.get("clause_id") for step in steps] if cid}
            for kind, value in step_figures(calc):
                by_kind[kind].add(value)
        for text in texts:
            for figure in extract_figures(text):
                by_kind[figure.kind].add(figure.value)
        by_kind["amount"] |= calc_amounts
        # A month-day allows its month alone ("12月31日" → "12月底").
        by_kind["date"] |= {d.split("-")[0] for d in by_kind["date"]}
        cited = cited_clause_ids(deterministic_answer)
        answer_amounts = {f.value for f in extract_figures(deterministic_answer) if f.kind == "amount"}
        return cls(
            amounts=frozenset(by_kind["amount"]),
            percents=frozenset(by_kind["percent"]),
            counts=frozenset(by_kind["count"]),
            years=frozenset(by_kind["year"]),
            dates=frozenset(by_kind["date"]),
            numbers=frozenset(by_kind["number"]),
            clause_ids=frozenset(ids | set(cited)),
            clause_errors=frozenset(m.error for m in _clause_mentions(deterministic_answer) if m.error),
            required_clause_ids=tuple(cited),
            required_amounts=tuple(sorted(calc_amounts & answer_amounts)),
        )

    def allows(self, figure: Figure) -> bool:
        """Whether a figure's value occurs in the sources (bare numbers may also repeat a year: "2027")."""
        pools = {
            "amount": self.amounts,
            "percent": self.percents,
            "count": self.counts,
            "year": self.years,
            "date": self.dates,
            "number": self.numbers | {Decimal(y) for y in self.years},
        }
        return figure.value in pools[figure.kind]


_KIND_LABELS = {
    "amount": "金额",
    "percent": "百分比",
    "count": "数量",
    "year": "年份",
    "date": "日期",
    "number": "数字",
}


def check_answer(text: str, allowed: AllowedFigures) -> list[Violation]:
    """Check an LLM rephrasing against the allowed figures; an empty list means it may be shown to the user."""
    violations = [
        Violation(f.kind, f.raw, f.value, f"{_KIND_LABELS[f.kind]}“{f.raw}”不在所引条款和测算结果中")
        for f in extract_figures(text)
        if not allowed.allows(f)
    ]
    cited: set[str] = set()
    for mention in _clause_mentions(text):
        if mention.error is not None:
            if mention.error in allowed.clause_errors:
                continue
            violations.append(Violation("clause", mention.raw, None, mention.error))
        elif not set(mention.ids) & allowed.clause_ids:
            shown = "/".join(mention.ids)
            violations.append(Violation("clause", mention.raw, shown, f"引用了原答案未引用的条款 {shown}"))
        elif len(mention.ids) == 1:
            cited.add(mention.ids[0])
    for cid in allowed.required_clause_ids:
        if cid not in cited:
            violations.append(Violation("missing_citation", f"〔{cid}〕", cid, f"改写丢失了条款引用〔{cid}〕"))
    stated = {f.value for f in extract_figures(text) if f.kind == "amount"}
    for amount in allowed.required_amounts:
        if amount not in stated:
            shown = format_yuan(amount)
            violations.append(Violation("missing_amount", shown, amount, f"改写丢失了测算金额{shown}"))
    return violations
