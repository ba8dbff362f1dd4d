"""Reference resolver: what people type ("支持政策第七条", "3.7", "二（四）", "主要目标") → clause ids.

Two entry points: :func:`resolve_reference` reads a whole input as one reference (hotline lookup, ``jxai clause``);
:func:`scan_references` finds references inside a longer question, more cautiously (``3.7亿`` is an amount, not 三.7).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


from .document import Document, load_document
from .glossary import clause_names

PART_DIGITS = "一二三四五"
# How people name the parts; the value is the part's Chinese ordinal.
PART_NAMES = {
    "总体要求": "一",
    "重点任务": "二",
    "任务": "二",
    "支持政策": "三",
    "政策": "三",
    "扶持政策": "三",
    "保障措施": "四",
    "其他": "五",
    "其它": "五",
}
PART_LABELS = {"一": "总体要求", "二": "重点任务", "三": "支持政策", "四": "保障措施", "五": "其他"}

_NUM = r"(?:\d{1,3}|[零一二两三四五六七八九十百]{1,4})"
_PART = rf"(?:[一二三四五六七八九十]|\d)"
_PART_NAME = "|".join(sorted(PART_NAMES, key=len, reverse=True))
_PART_NAME_SHORT = "|".join(sorted((n for n in PART_NAMES if n not in ("其他", "其它")), key=len, reverse=True))
_ITEM_SUFFIX = r"(?:条|项|款|点)"

# Whole-input forms, tried in order.
_ID_RE = re.compile(rf"^(?P<part>{_PART})\s*[.．、,，]\s*(?P<num>{_NUM})\s*{_ITEM_SUFFIX}?$")
_SECTION_RE = re.compile(rf"^(?P<part>[一二三四五])\s*[(（]\s*(?P<sec>[一二三四五六七八九十])\s*[)）]$")
_NAMED_RE = re.compile(
    rf"^(?:第?(?P<part>{_PART})部分(?:的)?|(?P<name>{_PART_NAME}))\s*(?:中的|里的|的)?\s*第?\s*(?P<num>{_NUM})\s*{_ITEM_SUFFIX}?$"
)
_NAMED_REVERSED_RE = re.compile(rf"^第\s*(?P<num>{_NUM})\s*(?:{_ITEM_SUFFIX})?\s*(?P<name>{_PART_NAME})$")
_PART_ONLY_RE = re.compile(rf"^(?:第(?P<part>{_PART})部分|(?P<name>{_PART_NAME}))$")
_BARE_ITEM_RE = re.compile(rf"^第\s*(?P<num>{_NUM})\s*{_ITEM_SUFFIX}$")

# Inside a question: same shapes, but bounded so that amounts, dates and percentages are not taken for references.
_SCAN_ID_RE = re.compile(
    rf"(?<![\d.])(?P<part>[一二三四五]|[1-5])\s*[.．、]\s*(?P<num>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})(?![\d.万亿元%％倍个年月日号家E])"
    # "3.3 million" is an amount (spaces are gone by now): an English magnitude word ends the reference.
    r"(?!(?i:million|billion|thousand|mn|bn|[mk](?![a-z])))"
)
_SCAN_SECTION_RE = re.compile(r"(?P<part>[一二三四五])\s*[(（]\s*(?P<sec>[一二三四五六七八九十])\s*[)）]")
_SCAN_NAMED_RE = re.compile(
    rf"(?:第(?P<part>{_PART})部分(?:的)?|(?P<name>{_PART_NAME}))\s*(?:中的|里的|的|中|里)?\s*第\s*(?P<num>{_NUM})\s*{_ITEM_SUFFIX}"
    # "政策7" counts, "政策2年内" / "任务3个月" / "其他3个区县" do not.
    rf"|(?P<name2>{_PART_NAME_SHORT})\s*(?P<num2>\d{{1,2}})(?![\d.万亿元%％年月日号个家项倍天周次])"
)
_SCAN_REVERSED_RE = re.compile(rf"第\s*(?P<num>{_NUM})\s*{_ITEM_SUFFIX}\s*(?P<name>{_PART_NAME})")
_SCAN_NAMED_SECTION_RE = re.compile(rf"(?P<name>{_PART_NAME})\s*[(（]\s*(?P<num>[一二三四五六七八九十]{{1,2}})\s*[)）]")
_SCAN_NAMED_CHINESE_RE = re.compile(r"(?P<name>重点任务|任务|支持政策)\s*(?P<num>[一二三四五六七八九十]{1,3})(?![一二三四五六七八九十万亿元%])")
_SCAN_PART_RE = re.compile(rf"第(?P<part>[一二三四五六七八九十])部分|(?P<name>总体要求|重点任务|支持政策|保障措施|其他|其它)部分")


class ReferenceNotFound(LookupError):
    """An input that is not, or names no existing, clause; ``message`` is a Chinese explanation for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ReferenceScan:
    """What a question refers to: clause ids in order of mention, and references to clauses that do not exist."""

    ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # NFKC turns full-width parentheses into ASCII ones; the patterns accept both.
    return re.sub(r"\s+", "", text)


_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def _small_numeral(token: str) -> int | None:
    """一 … 九十九 (every item number in the document) without cn2an, whose import costs most of a cold start."""
    tens, sep, ones = token.partition("十")
    if not sep:
        return _DIGITS.get(token) if len(token) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
        return None
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(ones, 0)


def _to_int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if (small := _small_numeral(token)) is not None:
        return small
    import cn2an  # anything else (两, 百 …): rare, so imported only when needed

    try:
        value = cn2an.cn2an(token, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    # cn2an returns int for integer numerals; anything else is not an item number.
    return value if isinstance(value, int) else None


def _part_of(token: str | None, name: str | None) -> str | None:
    if name:
        return PART_NAMES[name]
    if token is None:
        return None
    if token.isdigit():
        n = int(token)
        return PART_DIGITS[n - 1] if 1 <= n <= len(PART_DIGITS) else token
    return token


@lru_cache(maxsize=1)
def _default_doc() -> Document:
    return load_document()


def _range_message(doc: Document, part: str, number: int | None = None) -> str:
    if part not in PART_DIGITS:
        return f"文件共五个部分（一、总体要求 至 五、其他），没有第{part}部分。"
    clauses = doc.part_clauses(part)
    label = PART_LABELS[part]
    first, last = clauses[0].clause_id, clauses[-1].clause_id
    asked = f"，没有第{number}条" if number is not None else ""
    return f"{part}、{label}共{len(clauses)}条（{first}–{last}）{asked}。"


def _item(doc: Document, part: str | None, number: int | None) -> list[str]:
    if part is None or part not in PART_DIGITS or number is None:
        raise ReferenceNotFound(_range_message(doc, part or "?", number))
    clause_id = f"{part}.{number}"
    if clause_id not in doc.ids():
        raise ReferenceNotFound(_range_message(doc, part, number))
    return [clause_id]


def _section(doc: Document, part: str, sec: str) -> list[str]:
    number = PART_DIGITS.index(sec) + 1 if sec in PART_DIGITS else None
    if part == "二":
        heading = f"（{sec}）"
        ids = [c.clause_id for c in doc.part_clauses("二") if c.section and c.section.startswith(heading)]
        if ids:
            return ids
        sections = sorted({c.section for c in doc.part_clauses("二") if c.section})
        raise ReferenceNotFound(f"二、重点任务共{len(sections)}个小节（（一）至（五）），没有（{sec}）。")
    return _item(doc, part, number)


_TITLE_CACHE: dict[str, dict[str, list[str]]] = {}


def _titles(doc: Document) -> dict[str, list[str]]:
    """Clause titles and section titles → ids (主要目标 → 一.2; 算力资源建设支撑行动 → 二.10–二.12); once per document."""
    cached = _TITLE_CACHE.get(doc.sha256)
    if cached is not None:
        return cached
    table: dict[str, list[str]] = {}
    for clause in doc.clauses:
        if clause.clause_id != "序":
            table.setdefault(_normalise(clause.title), []).append(clause.clause_id)
            # 推进“人工智能+制造” is typed without the quotation marks as often as with them.
            if (bare := _unquoted(clause.title)) != _normalise(clause.title):
                table.setdefault(bare, []).append(clause.clause_id)
        if clause.section:
            table.setdefault(_normalise(clause.section.split("）", 1)[1]), []).append(clause.clause_id)
    _TITLE_CACHE[doc.sha256] = table
    return table


_QUOTES = re.compile("[“”\"‘’'「」『』]")


def _unquoted(text: str) -> str:
    return _QUOTES.sub("", _normalise(text))


#: What a name may carry after it ("算力券政策", "首台套的规定") without changing the clause it names.
_NAME_SUFFIX = re.compile(r"(?:的)?(?:政策|条款|规定|这条|那条|相关条款|奖励政策|补贴政策)$")


def resolve_name(text: str, doc: Document | None = None, *, names: bool = True) -> list[str]:
    """Clause ids that a clause title or a well-known name stands for (支持算力应用 / 算力券 → 三.7; 强化人才支撑 → 二.14;
    算力资源建设支撑行动 → 二.10–二.12); ``[]`` when the input is no such name.

    Titles come from the document; names (unless ``names=False``) from ``clause_names`` in corpus/glossary.yaml.
    Quotation marks and a trailing "政策" / "的规定" do not matter.
    """
    doc = doc or _default_doc()
    titles = _titles(doc)
    known = clause_names() if names else {}
    query = _unquoted(text or "")
    for candidate in dict.fromkeys((query, _NAME_SUFFIX.sub("", query))):
        if candidate in titles:
            return titles[candidate]
        if candidate in known and known[candidate] in doc.ids():
            return [known[candidate]]
    return []


def resolve_reference(text: str, doc: Document | None = None, *, names: bool = False) -> list[str]:
    """Resolve a whole input as a clause reference and return its clause ids.

    Tried in order: the numbered forms (三.7, 支持政策第七条, 二（四）…), part names, clause and section titles, and —
    with ``names=True`` (hotline lookups: ``jxai clause``, 条款查询, ``/v1/clauses``) — the well-known names of
    :func:`resolve_name` (算力券 → 三.7). Names are opt-in because in a chat "算力券" alone is a topic, not a request
    for the clause text.

    Raises :class:`ReferenceNotFound` with a Chinese message (including the valid range) when the input names a clause
    that does not exist or is not a reference at all.
    """
    doc = doc or _default_doc()
    raw = _normalise(text or "")
    query = re.sub(r"(?:的)?(?:内容|原文|全文|是什么|说了什么|讲了什么|写了什么)?[?？。!！]*$", "", raw)
    query = re.sub(r"^(?:查询|查看|查|看|请问|打开)", "", query)
    if not query:
        raise ReferenceNotFound("请输入条款编号，例如：三.7、支持政策第7条、重点任务第十条、二（四）、主要目标。")
    if query in {"序", "序言", "开头", "前言"} or query.startswith("序言"):
        return ["序"]
    if m := _ID_RE.match(query):
        return _item(doc, _part_of(m.group("part"), None), _to_int(m.group("num")))
    if m := _SECTION_RE.match(query):
        return _section(doc, m.group("part"), m.group("sec"))
    if m := _NAMED_RE.match(query):
        return _item(doc, _part_of(m.group("part"), m.group("name")), _to_int(m.group("num")))
    if m := _NAMED_REVERSED_RE.match(query):
        return _item(doc, PART_NAMES[m.group("name")], _to_int(m.group("num")))
    if m := _PART_ONLY_RE.match(query):
        part = _part_of(m.group("part"), m.group("name"))
        if part not in PART_DIGITS:
            raise ReferenceNotFound(_range_message(doc, part or "?"))
        return [c.clause_id for c in doc.part_clauses(part)]
    if m := _BARE_ITEM_RE.match(query):
        # "第七条" alone: both the task and the policy of that number exist; give both, policies first.
        number = _to_int(m.group("num"))
        ids = [cid for cid in (f"三.{number}", f"二.{number}") if cid in doc.ids()]
        if ids:
            return ids
        raise ReferenceNotFound(f"重点任务共15条、支持政策共10条，没有第{number}条。")
    if ids := resolve_name(query, doc, names=names):
        return ids
    named = "，或常用名称（算力券、首台套、就高不重复）" if names else ""
    raise ReferenceNotFound(
        f"未识别的条款引用：“{text.strip()[:40]}”。可用形式例如：三.7、3.7、支持政策第7条、第三部分第七条、重点任务第十条、"
        f"任务10、二（四）、主要目标、其他，条款标题（支持算力应用）{named}。{_whole_range(doc)}"
    )


def _whole_range(doc: Document) -> str:
    """全文共32条：序言，一.1–一.2，… (from the document itself)."""
    spans = []
    for part in ("序", *PART_DIGITS):
        ids = [c.clause_id for c in doc.part_clauses(part)]
        if ids:
            spans.append("序言" if part == "序" else (ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"))
    return f"全文共{len(doc.clauses)}条：{'，'.join(spans)}。"


def scan_references(text: str, doc: Document | None = None) -> ReferenceScan:
    """Find clause references inside a question (ids in order of mention) and references to non-existent clauses."""
    doc = doc or _default_doc()
    norm = _normalise(text or "")
    found: list[tuple[int, list[str]]] = []
    scan = ReferenceScan()

    def record(start: int, resolver) -> None:
        try:
            found.append((start, resolver()))
        except ReferenceNotFound as exc:
            scan.errors.append(exc.message)

    spans: list[tuple[int, int]] = []
    for regex in (_SCAN_NAMED_RE, _SCAN_REVERSED_RE, _SCAN_NAMED_SECTION_RE, _SCAN_NAMED_CHINESE_RE):
        for m in regex.finditer(norm):
            spans.append(m.span())
            groups = m.groupdict()
            name = groups.get("name") or groups.get("name2")
            num = groups.get("num") or groups.get("num2")
            part = _part_of(groups.get("part"), name)
            record(m.start(), lambda part=part, num=num: _item(doc, part, _to_int(num)))
    for m in _SCAN_PART_RE.finditer(norm):
        if not any(s <= m.start() < e for s, e in spans) and not norm.startswith("第", m.end()):
            spans.append(m.span())
            part = _part_of(m.group("part"), m.group("name"))
            if part in PART_DIGITS:
                found.append((m.start(), [c.clause_id for c in doc.part_clauses(part)]))
            else:
                scan.errors.append(_range_message(doc, part))
    for m in _SCAN_SECTION_RE.finditer(norm):
        if not any(s <= m.start() < e for s, e in spans):
            spans.append(m.span())
            record(m.start(), lambda m=m: _section(doc, m.group("part"), m.group("sec")))
    for m in _SCAN_ID_RE.finditer(norm):
        if not any(s <= m.start() < e for s, e in spans):
            part = _part_of(m.group("part"), None)
            record(m.start(), lambda part=part, m=m: _item(doc, part, _to_int(m.group("num"))))
    for title, ids in _titles(doc).items():
        # Short titles (其他) are ordinary words inside questions; only distinctive ones count here.
        if len(title) >= 4 and (pos := norm.find(title)) != -1 and not any(s <= pos < e for s, e in spans):
            found.append((pos, ids))
    if (pos := norm.find("序言")) != -1:
        found.append((pos, ["序"]))
    for _, ids in sorted(found, key=lambda item: item[0]):
        scan.ids.extend(cid for cid in ids if cid not in scan.ids)
    return scan


def find_references(text: str, doc: Document | None = None) -> list[str]:
    """Return the clause ids referenced inside a question, in order of mention."""
    return scan_references(text, doc).ids
