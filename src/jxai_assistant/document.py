"""The policy document as structured clauses.

The parser reads the verbatim text line by line and never edits it: every clause's ``text`` is a verbatim slice of the
document (trailing whitespace of a line aside), so every quote taken from a clause is a quote from the document.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .glossary import canonical_unit
from .versions import active_version

# Part headings "一、总体要求"; section headings "（一）指导思想"; numbered items "1.加大项目招引。" / "10. 加大…".
_PART_RE = re.compile(r"^([一二三四五六七八九十])、(\S+)$")
_SECTION_RE = re.compile(r"^（([一二三四五六七八九十])）(.+)$")
_ITEM_RE = re.compile(r"^(\d{1,2})\.\s*([^。]+)。")
# The trailing responsibility parenthesis: （责任单位：…） or, once, （责任部门：…）; it may contain nested （市、区）.
_UNITS_RE = re.compile(r"（责任(?:单位|部门)：(?P<inner>(?:[^（）]|（[^（）]*）)*)）\s*$")

CHINESE_DIGITS = "一二三四五六七八九十"


class Clause(BaseModel):
    """One clause of the document, addressed by the ids fixed in DESIGN.md (序, 一.1 … 五.1)."""

    model_config = ConfigDict(frozen=True)

    clause_id: str = Field(description="条款编号，如 三.7")
    part: str = Field(description="所属部分的汉字序号，如 三；序言为 序")
    part_title: str = Field(description="所属部分标题，如 三、支持政策")
    section: str | None = Field(default=None, description="所属小节标题，如 （四）算力资源建设支撑行动")
    number: int | None = Field(default=None, description="在本部分内的序号")
    title: str = Field(description="条款标题短语，如 支持算力应用")
    text: str = Field(description="条款原文（逐字）")
    body: str = Field(description="原文去掉末尾责任单位括注后的部分")
    units: list[str] = Field(default_factory=list, description="责任单位（规范名称），第一位为牵头单位")
    units_as_written: list[str] = Field(
        default_factory=list, description="责任单位在本条中的原文写法，与 units 一一对应（如 市发改委 ↔ 市发展改革委）")
    lead_unit: str | None = Field(default=None, description="牵头单位（列第一位的单位）")
    path: str = Field(description="显示路径，如 三、支持政策 › 7. 支持算力应用")

    def citation_line(self, document_title: str) -> str:
        """Return a one-line citation ready for a work order: 《文件》路径：原文〔编号〕牵头单位：“原文写法”（规范名称）.

        The heading (number and title) is in the path, not repeated; the content is verbatim; the lead unit is quoted
        as the clause writes it, with the canonical name beside it where the two differ (“市发改委”（市发展改革委）).
        """
        line = f"《{document_title}》{self.path.replace(' › ', ' ')}：{self.content}〔{self.clause_id}〕"
        if self.lead_unit:
            line += f"牵头单位：{self.unit_as_written(0)}"
        return line

    def unit_as_written(self, index: int) -> str:
        """The ``index``-th responsible unit as the document writes it, in quotation marks, with its canonical name
        beside it where the two differ: “市发改委”（市发展改革委）; “市经信局”."""
        canon = self.units[index]
        written = self.units_as_written[index] if index < len(self.units_as_written) else canon
        return f"“{written}”" + (f"（{canon}）" if written != canon else "")

    @property
    def content(self) -> str:
        """The body without its leading heading ("7.支持算力应用。" / "（一）加强组织领导。")."""
        for prefix in (f"{self.number}.{self.title}。", f"{self.number}. {self.title}。"):
            if self.number is not None and self.body.startswith(prefix):
                return self.body[len(prefix):]
        if self.part == "四" and "。" in self.body:
            return self.body.split("。", 1)[1]
        return self.body


class DocumentRule(BaseModel):
    """A document-wide fact stated inside a clause's parenthesis (e.g. 列第一位的为牵头单位)."""

    model_config = ConfigDict(frozen=True)

    clause_id: str
    quote: str


class Document(BaseModel):
    """The whole document: title, raw text, clauses in order, and document-wide rules."""

    model_config = ConfigDict(frozen=True)

    title: str
    text: str
    sha256: str
    clauses: list[Clause]
    headings: list[str] = Field(description="标题行（文件名、部分、小节），不属于任何条款正文")
    implementer: DocumentRule | None = Field(default=None, description="落实所有任务的单位（各县（市、区）人民政府）")
    lead_rule: DocumentRule | None = Field(default=None, description="牵头单位规则（列第一位的为牵头单位）")

    def get(self, clause_id: str) -> Clause:
        """Return the clause with this id; raise ``KeyError`` if there is none."""
        for clause in self.clauses:
            if clause.clause_id == clause_id:
                return clause
        raise KeyError(clause_id)

    def ids(self) -> list[str]:
        """Return all clause ids in document order."""
        return [c.clause_id for c in self.clauses]

    def part_clauses(self, part: str) -> list[Clause]:
        """Return the clauses of one part (一 … 五, or 序)."""
        return [c for c in self.clauses if c.part == part]


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside full-width parentheses (各县（市、区）人民政府 stays whole)."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _parse_units(inner: str, clause_id: str) -> tuple[list[str], list[str], list[DocumentRule]]:
    """Split a responsibility parenthesis into canonical units, the same units as written, and document-wide rule
    sentences."""
    units: list[str] = []
    written: list[str] = []
    rules: list[DocumentRule] = []
    for segment in _split_top_level(inner, "，。"):
        names = _split_top_level(segment, "、")
        canon = [canonical_unit(n) for n in names]
        if all(canon):
            for name, unit in zip(names, canon):
                if unit not in units:
                    units.append(unit)
                    written.append(name)
        else:
            # 各县（市、区）人民政府 and the sentences after it are rules for the whole document, not units of 二.1.
            rules.append(DocumentRule(clause_id=clause_id, quote=segment))
    return units, written, rules


def parse_document(text: str) -> Document:
    """Parse the verbatim document text into a :class:`Document` (32 clauses)."""
    lines = [line.rstrip() for line in text.split("\n")]
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        raise ValueError("文本为空，不是一份政策文件")
    # A draft has a subtitle line "（征求意见稿）"; a final text may have none.
    title_line = nonblank[0].strip()
    subtitle = nonblank[1].strip() if len(nonblank) > 1 and nonblank[1].strip().startswith("（") else None
    title = title_line + (subtitle or "")
    headings = [title_line] + ([subtitle] if subtitle else [])

    clauses: list[Clause] = []
    rules: list[DocumentRule] = []
    part = part_title = None
    section: str | None = None
    # 一、's clauses put their heading on a line of its own; 五、 is a single clause under the part heading.
    pending_heading: tuple[int, str, str | None] | None = None

    def add(clause_id: str, number: int | None, title_text: str, body_line: str, path_tail: str | None) -> None:
        m = _UNITS_RE.search(body_line)
        units: list[str] = []
        written: list[str] = []
        body = body_line
        if m:
            units, written, found = _parse_units(m.group("inner"), clause_id)
            rules.extend(found)
            body = body_line[: m.start()].rstrip()
        clauses.append(
            Clause(
                clause_id=clause_id,
                part=part or "序",
                part_title=part_title or "序言",
                section=section,
                number=number,
                title=title_text,
                text=body_line,
                body=body,
                units=units,
                units_as_written=written,
                lead_unit=units[0] if units else None,
                path=f"{part_title} › {path_tail}" if path_tail else (part_title or "序言"),
            )
        )

    for line in nonblank[len(headings):]:
        stripped = line.strip()
        if m := _PART_RE.match(stripped):
            part, part_title, section, pending_heading = m.group(1), stripped, None, None
            headings.append(stripped)
            if part == "五":
                pending_heading = (1, m.group(2), None)
            continue
        if part is None:
            add("序", None, "序言", stripped, None)
            continue
        if (m := _SECTION_RE.match(stripped)) and part in "一二":
            number = CHINESE_DIGITS.index(m.group(1)) + 1
            if part == "一":
                pending_heading = (number, m.group(2), f"（{m.group(1)}）{m.group(2)}")
            else:
                section = stripped
            headings.append(stripped)
            continue
        if pending_heading:
            number, heading, path_tail = pending_heading
            pending_heading = None
            add(f"{part}.{number}", number, heading, stripped, path_tail)
            continue
        if part == "四" and (m := _SECTION_RE.match(stripped)):
            number = CHINESE_DIGITS.index(m.group(1)) + 1
            heading = m.group(2).split("。", 1)[0]
            add(f"四.{number}", number, heading, stripped, f"（{m.group(1)}）{heading}")
            continue
        if m := _ITEM_RE.match(stripped):
            number, heading = int(m.group(1)), m.group(2).strip()
            add(f"{part}.{number}", number, heading, stripped, f"{number}. {heading}")
            continue
        raise ValueError(f"无法解析的行（文档结构与预期不符）：{stripped[:40]}")

    implementer = next((r for r in rules if "落实" in r.quote), None)
    lead_rule = next((r for r in rules if "牵头单位" in r.quote), None)
    return Document(
        title=title,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        clauses=clauses,
        headings=headings,
        implementer=implementer,
        lead_rule=lead_rule,
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> Document:
    return parse_document(path.read_text(encoding="utf-8"))


def load_document(path: Path | None = None) -> Document:
    """Load and parse the policy document (cached per path); by default the version in force (``versions``)."""
    return _load(Path(path) if path else active_version().path)
