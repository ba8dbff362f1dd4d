"""Enterprise facts from a Chinese message: "营收首次过3000万、增长12%" → revenue_yuan=30000000, revenue_growth_pct=12.

Deterministic: regular expressions over the normalised text (``numbers.normalize``: full-width → half-width, same
length, so every span indexes the original message). Values use the ``EnterpriseFacts`` vocabulary and types
(``Decimal`` money and percents, ``bool``, ``Literal`` strings, ``date``, ``list``), and each fact keeps the verbatim
words it came from, for showing "已知信息" to the user.

How a number gets its role
- An amount takes the role of the nearest role word before it in the same clause (clauses end at ，,;。!?), else the
  nearest after it in the clause, else the last role word earlier in the same sentence ("营收3000万，今年900万").
- Role words include money the calculator does not use (利润, 贷款, 补贴, 标准, 比例, 能拿 …): an amount or percent
  whose nearest word is one of them is not an enterprise fact. So "补贴标准已上调到80%" or "能拿200万吗" set nothing.
- Time words (去年/上年 vs 今年/本年, or two different years) choose between this year's and last year's figure;
  "从600万增加到900万" gives last=600万 and this=900万; "比去年增加了200万" is a change, applied to the other figure.
- A percent is a growth rate only after a growth word (增长/增速/增幅/同比/提高/下降 …) and for 营收 or 研发费用.
  "增长12个百分点" is not a growth of 12%: no fact, a warning explains the difference.
- Yes/no facts are flipped by a negation just before the words in the same clause (不是/没有/非/未/尚未 …) or by
  "还没通过/认定中" after them; a choice (industry, levels) that is negated is left unknown, except a recognition
  applied for but not granted ("正在申报领军型浙江数商", "首台套还没通过认定"), which is the known value "none".
- When an amount or a choice is stated twice with different values the first is kept and a warning names both,
  unless a correction word (不对, 打错, 其实 …) comes before the later one; a yes/no fact stated both ways takes the
  later statement (a correction or the enterprise's own word after a fake notice), with a warning naming both.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..declarations import declarations
from ..numbers import Mention, find_amounts, find_percentage_points, find_percents, format_yuan, normalize

__all__ = ["MAX_CHARS", "Evidence", "ExtractedFacts", "claimed_figures", "count_value", "extract_facts", "figure_role"]

#: Characters of one message that are read; the rest is ignored with a warning.
MAX_CHARS = 20_000


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: verbatim ``quote`` (spans joined by "；" for list facts) and its ``spans``."""

    quote: str
    spans: tuple[tuple[int, int], ...]


@dataclass
class ExtractedFacts:
    """Facts found in one message.

    ``values`` maps ``EnterpriseFacts`` field names to values; ``evidence`` maps the same names to the words they
    came from; ``warnings`` are Chinese sentences about numbers that were deliberately not used.
    """

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: How many, where the message says more than one: ``fact`` (yes/no facts) or ``fact.value`` → count
    #: ("另有2个产品获评省级工业新产品" → {"product_honors.provincial_new_product": 2}).
    quantities: dict[str, int] = field(default_factory=dict)
    #: ``fact.value`` keys of awards held by products other than the one the other awards are for
    #: ("另有2个产品获评…", "另一款B产品入选…"): different products add up.
    separate: list[str] = field(default_factory=list)

    def to_facts(self) -> Any:
        """Return ``calculator.EnterpriseFacts(**values)`` (validated by the calculator's model)."""
        from ..calculator import EnterpriseFacts

        return EnterpriseFacts(**self.values)

    def known_lines(self) -> list[str]:
        """One Chinese line per fact for "已知信息": label, value in words, and the user's own words."""
        from ..calculator.facts import FACT_NAMES, fact_label, fact_value_labels

        lines = []
        # The model's field order, not the order of mention: the list reads the same way every turn.
        for name in sorted(self.values, key=lambda n: FACT_NAMES.index(n) if n in FACT_NAMES else len(FACT_NAMES)):
            value = self.values[name]
            labels = fact_value_labels(name)
            if isinstance(value, bool):
                shown = "是" if value else "否"
            elif isinstance(value, list):
                shown = "、".join(labels.get(v, v) for v in value)
            elif isinstance(value, date):
                shown = value.isoformat()
            elif name.endswith("_yuan"):
                shown = format_yuan(value)
            elif name.endswith("_pct"):
                shown = f"{value}%"
            else:
                shown = labels.get(value, str(value))
            # A label's trailing explanation ("（百分点，12 表示 12%）") is for forms, not for a sentence.
            label = re.sub(r"（[^（）]*）$", "", fact_label(name))
            # A stored conversation may keep no words (question storage off): then the value alone.
            quote = self.evidence[name].quote if name in self.evidence else ""
            lines.append(f"{label}：{shown}" + (f"（“{quote.translate(_INERT)}”）" if quote else ""))
        return lines


# The user's words are quoted inside a Markdown answer: markup in them must stay literal text (no HTML tag, link or
# image reaches a renderer). Entities and backslash escapes render as the characters the user typed.
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


# --- text layout ---------------------------------------------------------------------------------

# An ASCII full stop ends a sentence only before a space or the end ("1.5亿" stays one number).
_SENTENCE_END = re.compile(r"[。!?\n;]|\.(?=\s|$)")
# A comma between two digits groups thousands ("1,500万"); any other comma ends a clause.
# Phone-style messages separate clauses with spaces ("我们不是规上 符合加计扣除"): a space between two Chinese
# characters ends a clause too, so a negation never reaches across it.
_CLAUSE_END = re.compile(r"[。!?\n;:]|\.(?=\s|$)|,(?![0-9])|(?<![0-9]),|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


class _Layout:
    """Clause and sentence boundaries of the normalised text, for O(log n) lookups."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(norm)]
        self.sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(norm)]

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.clause_starts, pos) - 1
        start = self.clause_starts[i]
        end = self.clause_starts[i + 1] - 1 if i + 1 < len(self.clause_starts) else len(self.norm)
        return start, end

    def sentence_start(self, pos: int) -> int:
        return self.sentence_starts[bisect_right(self.sentence_starts, pos) - 1]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str
    year: int | None = None


def _hits(pattern: re.Pattern[str], text: str) -> list[_Hit]:
    return [_Hit(m.start(), m.end(), m.lastgroup or "") for m in pattern.finditer(text)]


def _nearest_left(hits: list[_Hit], starts: list[int], pos: int, lower: int) -> _Hit | None:
    """The last hit ending at or before ``pos`` and starting at or after ``lower``."""
    i = bisect_right(starts, pos) - 1
    while i >= 0 and hits[i].start >= lower:
        if hits[i].end <= pos:
            return hits[i]
        i -= 1
    return None


def _nearest_right(hits: list[_Hit], starts: list[int], pos: int, upper: int) -> _Hit | None:
    i = bisect_right(starts, pos - 1)
    if i < len(hits) and hits[i].start >= pos and hits[i].end <= upper:
        return hits[i]
    return None


# --- money and percent roles ---------------------------------------------------------------------

# The roles of figures, from the measures declared in corpus/facts.yaml. Order matters: at one position the first
# declared measure wins ("算力券" is `other` before "算力" is `compute`). `other` is money that is not an enterprise
# fact (awards, limits, ratios, profit …): nearest wins, so "补贴标准已上调到80%" or "能拿200万吗" set nothing.
_DECLARED = declarations()
_ROLE_RE = re.compile(
    "|".join(f"(?P<{name}>{'|'.join(m.words)})" for name, m in _DECLARED.measures.items())
)
# measure → (this year's fact, last year's fact); `any` facts have no year of their own.
_AMOUNT_FACTS = {
    name: (years.get("this") or years.get("any"), years.get("last"))
    for name in _DECLARED.measures if (years := _DECLARED.by_measure(name)) and (years.get("this") or years.get("any"))
}
_GROWTH_FACTS = {name: years["growth"] for name in _DECLARED.measures if "growth" in (years := _DECLARED.by_measure(name))}
_ROLE_WORDS = {name: m.label for name, m in _DECLARED.measures.items() if m.label}

# "比去年增长" compares with last year; it does not say the next figure is last year's.
_TIME_RE = re.compile(
    r"(?<!比)(?<!较)(?:(?P<last>去年|上年度?|上一年度?|前一年|上个年度|(?i:last year|previous year|prior year))|(?P<this>今年度?|本年度?|当年|本期|(?i:this year|current year))|(?P<earlier>大前年|(?<!以)前年))(?!比|相比)"
    r"|(?<![0-9])(?P<year>20[0-9]{2})年度?(?![0-9]{1,2}月)"
)
_TIME_AFTER = re.compile(r"(?i)\s*(?:yuan|rmb|cny)?\s*(?:(?P<last>last year|the previous year|the year before)|(?P<this>this year))")
# Context windows are bounded so that a 100k-character message without punctuation stays linear.
_WINDOW = 12
_CHANGE_BEFORE = re.compile(r"(?:(?P<up>增加|增长|提高|提升|上升|多出|多了|多|增|涨)|(?P<down>减少|下降|降低|下滑|少了|少|减|降))了?"
                            r"(?:约|近|超过)?\s*$")
_BOUND_BEFORE = re.compile(r"(?:突破|超过|超|过|逾|破)了?\s*$")
_TO_BEFORE = re.compile(r"(?:到|至|为|成|→|->)\s*(?:约|近)?\s*$")
_FROM_BEFORE = re.compile(r"(?:从|由|(?i:\bfrom))\s*$")
_BETWEEN_PAIR = re.compile(r"^\s*(?:元)?\s*(?:[增涨升提降减下变][\u4e00-\u9fff]{0,3}?)?(?:到|至|为|成|→|->)\s*(?:约|近)?\s*$"
                           r"|(?i:^\s*(?:yuan|rmb)?\s*(?:last year|this year)?\s*to\s*$)")
_NO_LAND = re.compile(r"(?:不含|不包括|不包含|未含|未包括|除去|扣除|剔除|除)土地(?:款|费用?|出让金|成本)?|不含地|不算地"
                      r"|(?:没有|没|无|不涉及|不用)(?:土地款|拿地|土地费用?)|地是自己(?:原来)?的|土地是自己的|land不算"
                      r"|(?i:excluding land|no land|land not included|without land)")

_GROWTH_RE = re.compile(
    r"(?P<up>增长率|增长|增速|增幅|增加|同比|环比|提高|提升|上升|上涨|涨幅|涨|增(?!量|值|资|加值)"
    r"|(?i:\bup\b|grew|growth|increased?|rose))"
    r"|(?P<down>下降|减少|降低|下滑|降幅|(?i:fell|down|decreased?|declined))"
)


# --- yes/no and choice facts ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    fact: str
    pattern: re.Pattern[str]
    value: Any  # the value when stated positively; "level"/"first_set": read the level from the words
    negatable: bool = True
    # Only "不是/不属于/非" negate: "没有开发大模型" does not say the enterprise is outside the AI field.
    strict: bool = False


_LEVELS = {"国家级": "national", "国家": "national", "省级": "provincial", "省": "provincial",
           "市级": "municipal", "市": "municipal",
           "national": "national", "provincial": "provincial", "municipal": "municipal"}  # fmt: skip
_FIRST_SET_LEVELS = {"国际": "international", "国内": "domestic", "全国": "domestic", "国家级": "domestic",
                     "省内": "provincial", "省级": "provincial", "市内": "municipal", "市级": "municipal",
                     "international": "international", "domestic": "domestic", "national": "domestic",
                     "provincial": "provincial", "municipal": "municipal"}  # fmt: skip

# Specific phrases first: they are masked before the generic words (制造业, 软件, 工厂, 人工智能) are read, so that
# "5G全连接工厂" does not make a manufacturer and "首版次软件" does not make a software company.
def _rules(generic: bool) -> list[_Rule]:
    """The declared signals of bool and choice facts (corpus/facts.yaml), specific or generic, in file order."""
    return [
        _Rule(name, re.compile(signal.pattern), "first_set" if signal.value == "level" and name == "first_set_level"
              else signal.value, negatable=fact.negatable, strict=fact.strict_negation)
        for name, fact in _DECLARED.facts.items() for signal in fact.signals if signal.generic == generic
    ]


_SPECIFIC_RULES = _rules(generic=False)
# The policy's own name mentions 人工智能: it says nothing about the enterprise.
_POLICY_NAME = re.compile(r"(?:嘉兴市?)?(?:推动)?人工智能(?:高质量发展|产业)?(?:实施方案|政策|方案|补贴政策|扶持政策|相关政策)")
_GENERIC_RULES = _rules(generic=True)
# Industry: strong words decide over weak ones; two different strong words → the first, with a warning.
_INDUSTRY_RE = re.compile(
    r"(?P<info_strong>软件和信息服务业?|软件与信息服务业?|信息服务业|信息服务企业|信息技术服务|软件企业|软件公司|"
    r"互联网服务|互联网企业|互联网公司|数据服务)"
    r"|(?P<mfg_strong>制造业|制造企业|制造型企业|生产企业|生产型企业|(?<!未来)(?<!智能)(?<!教学)工厂|制造商)"
    r"|(?P<info_weak>软件|信息服务|SaaS)"
    r"|(?P<mfg_weak>制造|生产线|加工厂)"
    r"|(?P<other_weak>其他行业|餐饮|批发零售|房地产|建筑业|物流业|农业|贸易公司|金融业|做物流|物流公司)"
    r"|(?P<info_strong2>(?i:software company|information services? (?:company|firm|enterprise)))"
    r"|(?P<mfg_strong2>(?i:\bmanufacturer\b|manufacturing (?:company|enterprise|firm)))",
    re.I,
)
_INDUSTRY_VALUE = {"info": "information_service", "mfg": "manufacturing", "other": "other"}

_NEGATION = re.compile(r"(?i:\bnot\b|n't\b|\bno\b|\bnon-|nothing to do with)|不涉及|不涉足|不是|不属于|不算|不符合|不享受|不能享受|并非|并不是|没有|没能|没|未能|未|尚未|还未|还没|无|非|不")
# Words that contain a negation character but do not negate.
_NOT_NEGATION = re.compile(r"不仅|不只|不但|不断|非常|无论|不少|不管|不错|不同|无需|不久|未来|不过|不对|没问题|毛病")
_CONJUNCTION = re.compile(r"也|又|和|与|(?<![涉波])及|、|但|而|还是|并且|同时|以及")
_STRICT_NEGATION = re.compile(r"不是|不属于|不算|并非|非|不涉及|不涉足|无关|(?i:\bnot\b|n't\b|nothing to do with)")
_PENDING_BEFORE = re.compile(r"正在申请|正在申报|准备申报|准备申请|计划申报|打算申报|申请了?但|在申请|(?i:applied for|applying for)")
_NEGATION_AFTER = re.compile(r"^[^,。!?;]{0,8}?(?:还没|没有|没|未|尚未|还未)(?:被|能)?(?:认定|通过|拿到|下来|批|获批|验收|评上|评过|列入|立项|出来|结束|出)"
                             r"|^[^,。!?;]{0,6}?(?:申请中|申报中|认定中|评审中|鉴定中|在申请|在申报|在认定|在评审|在公示|报上去了|报了名?)"
                             # yes/no facts stated as not met: "加计扣除那块不符合", "规上：否"
                             r"|^[^,。!?;]{0,6}?(?:不符合|不满足|没享受|未享受|不享受|没有享受|享受不了|不能享受|都没享受)"
                             r"|^\s*[:：]\s*(?:否|不是|无|没有|不符合)"
                             r"|(?i:^[^,.;]{0,30}?(?:still under review|not out yet|not passed|pending))")

_MODEL_RE = re.compile(r"(?:通用|行业|垂直|行业垂直|垂直行业)?大?模型|(?i:\bmodel\b)")
_MODEL_DEV = re.compile(r"(?:开发|研发|训练|做|推出|打造|搞)(?:了|出|出了|成功)?[^,。!?;]{0,10}?模型|模型(?:已经)?(?:开发|做出来|研发)"
                        r"|(?i:(?:developed|built|trained)[^.;]{0,30}\bmodel\b)")
_JIAXING_USE = re.compile(r"嘉兴[^,。!?;]{0,10}?(?:市场化应用|应用|落地|商用|推广|销售|上线|使用|卖|用|客户|商业化|付费)"
                          r"|(?:市场化应用|落地|商用)[^,。!?;]{0,4}?嘉兴"
                          r"|(?i:(?:sold|deployed|in use|customers)[^.;]{0,30}jiaxing|jiaxing[^.;]{0,20}(?:customers|market))")
# "在嘉兴没有", "还没有实现市场化应用": the model is not (yet) in market use in Jiaxing.
_JIAXING_NOT = re.compile(r"(?P<here>嘉兴市?(?:本地|这边|当地)?(?:还|也|并|都)?(?:没有|没|未|不(?!少|错|同|仅|断)))"
                          r"|(?:还没有|没有|还没|尚未|未)(?:实现)?(?:市场化应用|市场化|商用|落地|商业化|对外卖|卖|销售|签)"
                          r"|还在内测|免费试点|自己用|内部使用|(?i:not (?:yet )?(?:commercially )?deployed|isn't commercially)")
# A model of one's own: "自己的/我们(的)…模型", a named kind ("行业垂直模型在嘉兴已市场化应用"), or the model itself
# as the subject of the market use ("模型已经在嘉兴几家工厂市场化应用了").
_OWN_MODEL = re.compile(r"(?:自己的|自研的?|自主研发的?|我们的?|我司的?|公司的?)[^,。!?;:]{0,6}?模型"
                        r"|(?:通用|行业|垂直)[^,。!?;:]{0,4}?模型|模型(?:已经|已|也|都)?在嘉兴")
# Someone else's model in use is not a model the enterprise developed.
_OTHERS_MODEL = re.compile(r"(?:别人|他人|别家|第三方|外部|开源|采购|买来|租用|调用)[^,。!?;:]{0,8}?模型"
                           r"|(?i:third[- ]party|open[- ]source)")
_NATIONAL_RD = re.compile(r"国家重点研发计划")
_CPMS = re.compile(r"(?<![A-Za-z])CPMS(?![A-Za-z])|产品主数据标准", re.I)

_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}  # fmt: skip
_FIGURE_AFTER = re.compile(r"\s*(?:约|近)?[0-9一二两三四五六七八九十]")
_VALIDITY_BEFORE = re.compile(r"(?:有效期|期限|截止|截至|到期)[^,。!?;:]{0,4}$")
_MONTH = r"[0-9]{1,2}|十[一二]?|[一二三四五六七八九]"
_DATE_RE = re.compile(
    rf"(?<![0-9])(?P<y>20[0-9]{{2}})年度?(?:(?P<m>{_MONTH})月份?(?:(?P<d>[0-9]{{1,2}})[日号])?|(?P<edge>底|末|初))?"
    r"|(?<![0-9.])(?P<iy>20[0-9]{2})[-/.](?P<im>[0-9]{1,2})[-/.](?P<id>[0-9]{1,2})(?![0-9])"
    rf"|(?P<rel>明年|后年|下一年|下年)(?:(?P<rm>{_MONTH})月份?|(?P<redge>底|末|初))?"
)


class _Collector:
    """Candidate facts in the order found; the first value of a fact wins, conflicts become warnings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.result = ExtractedFacts()
        self._conflicts: set[str] = set()

    def add(self, fact: str, value: Any, spans: list[tuple[int, int]], quiet: bool = False) -> None:
        """Record a fact unless it is already known; ``quiet`` skips the conflict warning."""
        spans = [(s, e) for s, e in spans if e > s]
        values, evidence = self.result.values, self.result.evidence
        if fact == "product_honors":
            honors = values.setdefault(fact, [])
            if value not in honors:
                honors.append(value)
                old = evidence.get(fact)
                all_spans = (old.spans if old else ()) + tuple(spans)
                evidence[fact] = Evidence("；".join(self.text[s:e] for s, e in all_spans), all_spans)
            return
        if fact in values and values[fact] != value and not quiet and (
                _DECLARED.facts[fact].type == "bool"
                or _DECLARED.facts[fact].type == "choice" and _CORRECTION.search(self.text, 0, spans[0][0])):
            # A later statement of a standing corrects an earlier one ("我们是规上，打错了，是规下"; a fake notice
            # that "所有项目都属于人工智能领域" followed by the enterprise's own "我们这个项目不属于").
            old_quote = evidence[fact].quote
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            values[fact] = value
            evidence[fact] = Evidence(self.text[start:end], ((start, end),))
            if fact not in self._conflicts:
                self._conflicts.add(fact)
                self.result.warnings.append(f"“{old_quote}”与后面的“{self.text[start:end]}”说法不一致，"
                                            f"采用后者（{_show(fact, value)}）；如有误请更正。")
            return
        if fact in values:
            if values[fact] != value and fact not in self._conflicts and not quiet:
                self._conflicts.add(fact)
                self.result.warnings.append(
                    f"“{self.text[spans[0][0]:spans[-1][1]]}”与前面的“{evidence[fact].quote}”说法不一致，"
                    f"采用前者（{_show(fact, values[fact])}）；如有误请更正。"
                )
            return
        values[fact] = value
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        evidence[fact] = Evidence(self.text[start:end], ((start, end),))

    def add_to(self, fact: str, value: Any, spans: list[tuple[int, int]]) -> None:
        """Add an amount to a fact already found (parts of one sum), quoting both."""
        old = self.result.evidence[fact]
        self.result.values[fact] += value
        all_spans = old.spans + tuple(spans)
        self.result.evidence[fact] = Evidence("；".join(self.text[s:e] for s, e in all_spans), all_spans)

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)


# Words that correct what was said before: a choice stated again after one of them replaces the earlier value
# (without one, "既被认定为国内首版次软件，又被认定为市内首版次软件" states two levels, and the first is kept).
_CORRECTION = re.compile(r"不对|打错|说错|更正|纠正|其实|实际上|改为|应该是")


def _words(norm: str, span: tuple[int, int]) -> str:
    """A role word as the measure's kind ("智算", "超算"): its first two characters, the rest is "使用/支出"."""
    return norm[span[0]:span[1]][:2]


def _show(fact: str, value: Any) -> str:
    if fact.endswith("_yuan"):
        return format_yuan(value)
    if fact.endswith("_pct"):
        return f"{value}%"
    return str(value)


def _negation(norm: str, layout: _Layout, start: int, end: int) -> tuple[bool, int, int]:
    """Whether the words at ``start:end`` are negated, and the span to quote (negation words included).

    Negated: an odd number of negation words in the clause just before ("不是高新", "并非没有" is not), a pending
    application before ("正在申请高新"), or "还没通过/认定中" just after.
    """
    clause_start, clause_end = layout.clause(start)
    left_from = max(clause_start, start - 8)
    # "不是规上也不是高新": each conjoined phrase has its own negation.
    for joint in _CONJUNCTION.finditer(norm, left_from, start):
        left_from = joint.end()
    left = _NOT_NEGATION.sub(lambda m: "\ue000" * len(m.group()), norm[left_from:start])
    negations = list(_NEGATION.finditer(left))
    if len(negations) % 2 == 1:
        return True, left_from + negations[0].start(), end
    pending = _PENDING_BEFORE.search(norm[max(clause_start, start - 20):start])
    if pending:
        return True, max(clause_start, start - 20) + pending.start(), end
    after = _NEGATION_AFTER.search(norm[end:min(clause_end, end + 16)])
    if after:
        return True, start, end + after.end()
    return False, start, end


# Recognitions whose "applied for, not yet granted" is itself a fact (the calculator's "none").
_RECOGNITIONS = tuple(name for name, fact in _DECLARED.facts.items() if fact.pending_none)


def _pending(norm: str, layout: _Layout, start: int, end: int) -> bool:
    """Whether the words at ``start:end`` are applied for but not granted ("正在申报…", "…还没通过认定")."""
    clause_start, clause_end = layout.clause(start)
    return bool(_PENDING_BEFORE.search(norm[max(clause_start, start - 20):start])
                or _NEGATION_AFTER.search(norm[end:min(clause_end, end + 16)]))


def _negated(norm: str, layout: _Layout, start: int, end: int) -> bool:
    return _negation(norm, layout, start, end)[0]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "\ue000" * (e - s)
    return "".join(chars)


# --- extraction ----------------------------------------------------------------------------------


def extract_facts(text: str, today: date | None = None) -> ExtractedFacts:
    """Extract ``EnterpriseFacts`` values (with the words they came from) from one Chinese message.

    ``today`` anchors relative dates ("明年3月"); default ``date.today()``. Never raises on any string: garbage,
    HTML and control characters give what they give (usually nothing) in linear time; only the first
    ``MAX_CHARS`` characters are read (with a warning).
    """
    if not isinstance(text, str) or not text:
        return ExtractedFacts()
    today = today or date.today()
    out = _Collector(text)
    if len(text) > MAX_CHARS:
        # Bounded latency on a shared machine: no enterprise describes itself in more than this in one message.
        text = text[:MAX_CHARS]
        out.text = text
        out.warn(f"消息过长，只读取了前{MAX_CHARS}个字；请分几次简要说明企业情况。")
    norm = normalize(text)
    layout = _Layout(norm)

    roles = _hits(_ROLE_RE, norm)
    _extract_money(norm, layout, roles, out)
    _extract_growth(norm, layout, roles, out)
    masked = _extract_specific(norm, layout, out)
    _extract_generic(masked, layout, out)
    _extract_industry(masked, layout, out)
    _extract_compound(norm, layout, out)
    _extract_date(norm, today, out)
    return out.result


def figure_role(text: str, start: int, end: int) -> str | None:
    """The role word a figure at ``text[start:end]`` belongs to (a measure of corpus/facts.yaml, or ``other`` for
    rule words), by the same nearest-word rule the extractor uses; None when no role word is near."""
    norm = normalize(text[:MAX_CHARS])
    if end > len(norm):
        return None
    layout = _Layout(norm)
    roles = _hits(_ROLE_RE, norm)
    role = _role_of(Mention(Decimal(0), start, end, text[start:end]), layout, roles, [h.start for h in roles])
    return role.kind if role is not None else None


def claimed_figures(text: str) -> list[tuple[str, Decimal, str]]:
    """Figures the message states about the document rather than the enterprise: amounts and percents whose role
    word is a rule word ("补贴比例是70%", "上限500万吧", "能拿200万吗"), as (kind, value, verbatim words)."""
    if not isinstance(text, str) or not text:
        return []
    norm = normalize(text[:MAX_CHARS])
    layout = _Layout(norm)
    roles = _hits(_ROLE_RE, norm)
    starts = [h.start for h in roles]
    out = []
    for kind, mentions in (("amount", find_amounts(norm)), ("percent", find_percents(norm))):
        for mention in mentions:
            role = _role_of(mention, layout, roles, starts)
            if role is not None and role.kind == "other":
                first = min(role.start, mention.start)
                out.append((kind, mention.value, text[first:max(role.end, mention.end)]))
    return out


def _role_of(mention: Mention, layout: _Layout, roles: list[_Hit], starts: list[int]) -> _Hit | None:
    """The role word an amount or percent belongs to (see the module docstring)."""
    clause_start, clause_end = layout.clause(mention.start)
    hit = _nearest_left(roles, starts, mention.start, clause_start)
    if hit is None:
        hit = _nearest_right(roles, starts, mention.end, clause_end)
    if hit is None:
        hit = _nearest_left(roles, starts, mention.start, layout.sentence_start(mention.start))
    return hit


def _extract_money(norm: str, layout: _Layout, roles: list[_Hit], out: _Collector) -> None:
    """Amounts with roles, this/last year, from→to pairs, changes and "不含土地"."""
    starts = [h.start for h in roles]
    times = [_Hit(m.start(), m.end(), m.lastgroup or "", int(m.group("year")) if m.group("year") else None)
             for m in _TIME_RE.finditer(norm)]
    time_starts = [h.start for h in times]

    for m in _NO_LAND.finditer(norm):
        out.add("land_cost_yuan", Decimal(0), [(m.start(), m.end())])

    mentions = find_amounts(norm)
    # (role, which, value, spans, year) with which ∈ this / last / up / down
    found: list[tuple[str, str, Decimal, list[tuple[int, int]], int | None]] = []
    bounds: list[bool] = []  # "突破3000万" is a threshold crossed; "达到5200万" is the figure itself
    paired: dict[int, str] = {}
    for i, mention in enumerate(mentions):
        role = _role_of(mention, layout, roles, starts)
        if role is None or role.kind == "other":
            continue
        clause_start, _ = layout.clause(mention.start)
        lower = mentions[i - 1].end if i and mentions[i - 1].end > clause_start else clause_start
        if i and (taken := _TIME_AFTER.match(norm, mentions[i - 1].end)) and taken.end() <= mention.start:
            lower = max(lower, taken.end())  # the previous figure's own "last year" is not this one's
        before = norm[max(lower, mention.start - _WINDOW):mention.start]
        # Quote the role word when it belongs to this clause or sits right before it ("营收：3000万").
        spans = [(role.start, role.end), (mention.start, mention.end)] \
            if role.start >= clause_start or mention.start - role.end <= 2 else [(mention.start, mention.end)]

        which = paired.get(i)
        if which is None and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = norm[mention.end:min(nxt.start, mention.end + _WINDOW)]
            if nxt.start - mention.end <= _WINDOW and _BETWEEN_PAIR.match(between) and (_FROM_BEFORE.search(before) or re.search(r"[增涨升提降减下变]", between)):
                which, paired[i + 1] = "last", "this"
        if which is None:
            change = _CHANGE_BEFORE.search(before)
            if change and not _TO_BEFORE.search(before) and role.kind in ("revenue", "rd"):
                which = "up" if change.group("up") else "down"
        year = None
        if which is None:
            t = _nearest_left(times, time_starts, mention.start, lower)
            if t is not None and t.kind == "year":
                which, year = "this", t.year
                spans.append((t.start, t.end))
            elif t is not None:
                which = t.kind
                spans.append((t.start, t.end))
            elif after := _TIME_AFTER.match(norm, mention.end):
                # English puts the year after the figure: "19 million yuan last year and 26 million yuan this year".
                which = "last" if after.group("last") else "this"
                spans.append((after.start("last") if after.group("last") else after.start("this"), after.end()))
            else:
                which = "this"
        found.append((role.kind, which, mention.value, spans, year))
        bounds.append(bool(_BOUND_BEFORE.search(before)))

    # Two different years for one role: the later one is this year's figure, the one before it last year's.
    for role_kind in ("revenue", "rd"):
        years = sorted({y for r, _, _, _, y in found if r == role_kind and y is not None}, reverse=True)
        if len(years) >= 2:
            found = [(r, "last" if r == role_kind and y == years[1] else w, v, s, y) for r, w, v, s, y in found]

    # An exact figure is used before a threshold of the same role: "首次突破5000万，达到5200万" → 5200万.
    changes = []
    added: dict[str, set[str]] = {}
    for (role_kind, which, value, spans, _), bound in sorted(zip(found, bounds), key=lambda pair: pair[1]):
        this_fact, last_fact = _AMOUNT_FACTS[role_kind]
        if which == "earlier":
            # 前年营收 is an earlier year's revenue: it bounds the prior peak, and is nothing for other roles.
            if role_kind in ("revenue", "prior_peak"):
                out.add("prior_peak_revenue_yuan", value, spans)
            continue
        if which in ("up", "down"):
            changes.append((role_kind, value if which == "up" else -value, spans))
        elif which == "last" and last_fact:
            out.add(last_fact, value, spans)
        else:
            value *= _each(norm, layout, spans[-1][0], role_kind)
            known = out.result.values.get(this_fact)
            word = _words(norm, spans[0]) if len(spans) > 1 else ""
            seen = added.setdefault(this_fact, set())
            if known is not None and _DECLARED.measures[role_kind].additive and word and seen and word not in seen \
                    and "其中" not in norm[layout.clause(spans[0][0])[0]:spans[0][0]]:
                # "智算使用50万元、超算使用30万元": two kinds of one measure, named apart, add up ("其中" is a part).
                seen.add(word)
                out.add_to(this_fact, value, spans)
                continue
            # A threshold below the exact figure agrees with it: no conflict to report.
            out.add(this_fact, value, spans, quiet=bound and known is not None and known >= value)
            if word and out.result.values.get(this_fact) == value:
                seen.add(word)

    for role_kind, delta, spans in changes:
        this_fact, last_fact = _AMOUNT_FACTS[role_kind]
        values = out.result.values
        if this_fact in values and last_fact not in values:
            out.add(last_fact, values[this_fact] - delta, spans)
        elif last_fact in values and this_fact not in values:
            out.add(this_fact, values[last_fact] + delta, spans)
        elif this_fact not in values:
            out.warn(f"“{out.text[spans[-1][0]:spans[-1][1]]}”是{_ROLE_WORDS[role_kind]}的变化额，"
                     f"请同时告知本年度或上年度{_ROLE_WORDS[role_kind]}。")


def _extract_growth(norm: str, layout: _Layout, roles: list[_Hit], out: _Collector) -> None:
    """Growth rates of 营收 / 研发费用; percentage points are explained, not used."""
    starts = [h.start for h in roles]
    for mention in find_percents(norm):
        clause_start, clause_end = layout.clause(mention.start)
        role = _role_of(mention, layout, roles, starts)
        if role is None or role.kind not in _GROWTH_FACTS:
            continue
        lower = max(clause_start, role.end if role.start >= clause_start else clause_start, mention.start - 2 * _WINDOW)
        window = norm[lower:mention.start]
        growth = None
        for g in _GROWTH_RE.finditer(window):
            growth = g
        after = re.match(r"\s*的?(?:(?P<up>增长|增速|增幅|涨幅)|(?P<down>降幅|下降))", norm[mention.end:min(clause_end, mention.end + _WINDOW)])
        if growth is None and after is None:
            continue
        # A role word between the growth word and the percent ("增长带来的补贴12%") takes the percent away.
        if growth is not None and _nearest_left(roles, starts, mention.start, lower + growth.end()) is not None:
            continue
        down = (growth.group("down") if growth is not None else after.group("down")) is not None
        value = -abs(mention.value) if down else mention.value
        if role.start >= clause_start:
            ev_start = role.start
        else:
            ev_start = lower + growth.start() if growth is not None else mention.start
        spans = [(ev_start, mention.end)]
        out.add(_GROWTH_FACTS[role.kind], value, spans)

    for points in find_percentage_points(norm):
        clause_start = max(layout.clause(points.start)[0], points.start - 2 * _WINDOW)
        if _GROWTH_RE.search(norm[clause_start:points.start]):
            out.warn(f"“{out.text[clause_start:points.end].strip(' ,')}”说的是增速变化了{points.value}个百分点，"
                     f"不是增长{points.value}%；未作为增速使用，请告知增长率（%）或上年度的数额。")


_LEVEL_AFTER = re.compile(r"[^,。!?;:]{0,6}?(?:为|是|成|定)(?P<w>国家级|省级|市级|国际|国内|省内|市内|全国)")
_SKIP = "skip"


def _level_value(rule: _Rule, m: re.Match[str], norm: str, layout: _Layout) -> tuple[str | None, int]:
    """The level of a center or first-set product: in the words, just before them, or "被认定为国家级" after.

    ``_SKIP`` for talk about levels in general ("省级以上企业技术中心"). Also returns where the quoted words end.
    """
    table = _FIRST_SET_LEVELS if rule.value == "first_set" else _LEVELS
    word, end = m.group("lvl"), m.end()
    if word is None:
        clause_start, clause_end = layout.clause(m.start())
        before = norm[max(clause_start, m.start() - 10):m.start()]
        if re.search(r"(?:以上|以下)的?$", before):
            return _SKIP, end
        # Two-character level words only: a bare 省/市 is part of 浙江省, 嘉兴市.
        found = re.findall("|".join(sorted((w for w in table if len(w) > 1), key=len, reverse=True)), before)
        word = found[-1] if found else None
        if word is None and (after := _LEVEL_AFTER.match(norm, m.end(), min(clause_end, m.end() + 12))):
            word, end = after.group("w"), after.end()
    return (table.get(word.lower() if word.isascii() else word) if word else None), end


def _extract_specific(norm: str, layout: _Layout, out: _Collector) -> str:
    """Certificates, levels, honours and pilots; returns the text with their words masked."""
    taken: list[tuple[int, int]] = []
    used = bytearray(len(norm))
    for rule in _SPECIFIC_RULES:
        for m in rule.pattern.finditer(norm):
            if any(used[m.start():m.end()]):
                continue  # part of a longer phrase already read ("制造业企业技术中心" is not "制造业创新中心")
            taken.append((m.start(), m.end()))
            used[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            negated, ev_start, ev_end = _negation(norm, layout, m.start(), m.end())
            value = rule.value
            if negated and rule.fact in _RECOGNITIONS and _pending(norm, layout, m.start(), m.end()):
                # "正在申报领军型浙江数商，还没有通过认定": a known "not (yet) recognised", which the awards exclude.
                out.add(rule.fact, "none", [(ev_start, ev_end)])
                continue
            if value in ("level", "first_set"):
                value, level_end = _level_value(rule, m, norm, layout)
                ev_end = max(ev_end, level_end)
                if negated or value == _SKIP:
                    continue
                if value is None or value not in _allowed(rule.fact):
                    out.warn(_level_warning(rule.fact, norm[m.start():m.end()], value))
                    continue
            elif negated:
                if rule.fact in ("product_honors", "data_merchant"):
                    continue  # "not a 领军型数商" says nothing about 成长型
                value = not value
            out.add(rule.fact, value, [(ev_start, ev_end)])
            key = rule.fact if isinstance(value, bool) else f"{rule.fact}.{value}"
            if not negated and _DECLARED.facts[rule.fact].quantity and (n := _count_before(norm, layout, m.start())):
                out.result.quantities[key] = max(n, out.result.quantities.get(key, 0))
            if not negated and _DECLARED.facts[rule.fact].scope == "product" and key not in out.result.separate \
                    and _SEPARATE_BEFORE.search(norm, max(layout.clause(m.start())[0], m.start() - 16), m.start()):
                out.result.separate.append(key)
    return _mask(norm, taken + [(m.start(), m.end()) for m in _POLICY_NAME.finditer(norm)])


# "另有2个产品获评…", "3款产品入选…", "两个厂区都评上了…": a count of things, then a verb of recognition.
_COUNT_BEFORE = re.compile(r"(?P<n>[0-9]{1,2}|[两二三四五六七八九十])\s*(?:个|款|项|家|台|套|种|件)"
                           r"(?:[^,。!?;]{0,8}?(?:获评|评为|评上|入选|认定为|认定|获得|获|列入|都是|均为|均获|都获|都评|都被|拿到了?)"
                           r"[^,。!?;]{0,6}|[^,。!?;]{0,3})$"
                           r"|(?i:\b(?P<en>two|three|four|five)\b[^.;,]{0,30}$)")
# "另有2个产品…", "另一款B产品入选…": the award is another product's, not the one named before.
_SEPARATE_BEFORE = re.compile(r"(?:另有|另外|另一款|另一个|另一项|另一台|还有(?:一|两|[0-9])?(?:个|款|项|台)|其他|别的|[B-Z]产品)"
                              r"[^,。!?;]{0,12}$")
_SMALL = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
          "two": 2, "three": 3, "four": 4, "five": 5}


def _count_before(norm: str, layout: _Layout, start: int) -> int | None:
    """The number of things a recognition is stated for, when the words just before it give one greater than one."""
    clause_start, _ = layout.clause(start)
    m = _COUNT_BEFORE.search(norm, max(clause_start, start - 24), start)
    if m is None:
        return None
    n = count_value(m.group("n") or m.group("en").lower())
    return n if n >= 2 else None


def count_value(word: str) -> int:
    """A small count as written: digits, 两…十, two…five."""
    return int(word) if word.isdigit() else _SMALL[word]


def _allowed(fact: str) -> set[str]:
    return {"innovation_center_level": {"national", "provincial"},
            "tech_center_level": {"national", "provincial", "municipal"},
            "first_set_level": {"international", "domestic", "provincial", "municipal"}}[fact]  # fmt: skip
    # ("none", not yet recognised, comes only from a pending application, never from a level word.)


def _level_warning(fact: str, words: str, value: str | None) -> str:
    if value is None:
        return f"提到了“{words}”，但没有说明级别（国家级/省级/市级，或国际/国内/省内/市内），请补充。"
    return f"“{words}”的级别不在政策所列范围内（制造业创新中心只有国家级、省级），未作为认定使用。"


def _extract_generic(masked: str, layout: _Layout, out: _Collector) -> None:
    for rule in _GENERIC_RULES:
        for m in rule.pattern.finditer(masked):
            negated, ev_start, ev_end = _negation(masked, layout, m.start(), m.end())
            if negated and rule.strict and not _STRICT_NEGATION.search(masked[ev_start:m.start()]):
                continue  # "没有开发大模型": neither a yes nor a no
            if negated and not rule.negatable:
                continue
            value = (not rule.value) if negated else rule.value
            out.add(rule.fact, value, [(ev_start, ev_end)])


def _extract_industry(masked: str, layout: _Layout, out: _Collector) -> None:
    """信息服务业 / 制造业 / 其他: strong words over weak ones, negated words ignored."""
    best: dict[str, list[re.Match[str]]] = {"strong": [], "weak": []}
    for m in _INDUSTRY_RE.finditer(masked):
        if _negated(masked, layout, m.start(), m.end()):
            continue
        best["strong" if "strong" in m.lastgroup else "weak"].append(m)
    chosen = best["strong"] or best["weak"]
    if not chosen:
        return
    first = chosen[0]
    value = _INDUSTRY_VALUE[first.lastgroup.split("_")[0]]
    others = {_INDUSTRY_VALUE[m.lastgroup.split("_")[0]] for m in chosen} - {value}
    out.add("industry", value, [(first.start(), first.end())])
    if others:
        words = "、".join(dict.fromkeys(out.text[m.start():m.end()] for m in chosen))
        out.warn(f"同时提到了{words}，按“{out.text[first.start():first.end()]}”认定行业；如不对请说明主营行业。")


def _sentence_of(norm: str, layout: _Layout, pos: int) -> tuple[int, int]:
    start = layout.sentence_start(pos)
    m = _SENTENCE_END.search(norm, pos)
    return start, (m.start() if m else len(norm))


def _extract_compound(norm: str, layout: _Layout, out: _Collector) -> None:
    """Facts with two conditions: a model developed and in market use in 嘉兴; then ``_extract_research``."""
    _extract_jiaxing_model(norm, layout, out)
    _extract_research(norm, layout, out)


_EACH = re.compile(r"各(?:自)?(?:用了?|花了?|使用了?|支出了?|投入了?|是|为|有)?\s*$")


def _each(norm: str, layout: "_Layout", amount_start: int, role_kind: str) -> int:
    """"超算和智算各用了150万": for a measure whose kinds add up, "各" before the amount counts it once per kind the
    clause names (here 2 × 150万). 1 otherwise."""
    measure = _DECLARED.measures[role_kind]
    start = layout.clause(amount_start)[0]
    before = norm[start:amount_start]
    if not measure.additive or not _EACH.search(before):
        return 1
    kinds = {m.group(0)[:2] for w in measure.words for m in re.finditer(w, before) if m.group(0)}
    return max(len(kinds), 1)


def _extract_jiaxing_model(norm: str, layout: _Layout, out: _Collector) -> None:
    """True only for a model that is developed and in market use in 嘉兴; a "no" to either makes it False."""
    if _MODEL_RE.search(norm) is None:
        return
    dev = _MODEL_DEV.search(norm)
    dev_negated, dev_start, dev_end = _negation(norm, layout, dev.start(), dev.end()) if dev else (False, 0, 0)
    if dev_negated:  # "没有开发大模型"
        out.add("jiaxing_model", False, [(dev_start, dev_end)])
        return
    positive = None
    for m in _JIAXING_USE.finditer(norm):
        inner = _NOT_NEGATION.sub("", norm[m.start():m.end()])
        negated, ev_start, ev_end = _negation(norm, layout, m.start(), m.end())
        if negated or re.search(r"没|未|不", inner):
            out.add("jiaxing_model", False, [(ev_start, ev_end)])  # "没有在嘉兴应用"
            return
        positive = positive or (ev_start, ev_end)
    no = _JIAXING_NOT.search(norm)
    if no is not None and (no.group("here") or positive is None):  # "在嘉兴没有" / "还没有实现市场化应用"
        out.add("jiaxing_model", False, [(no.start(), no.end())])
    elif positive is not None and dev is not None:
        out.add("jiaxing_model", True, [(dev.start(), dev.end()), positive])
    elif positive is not None and (own := _OWN_MODEL.search(norm)) is not None and not _OTHERS_MODEL.search(norm):
        # "在嘉兴市场化应用了自己的行业垂直模型": in market use of one's own model implies having developed it.
        out.add("jiaxing_model", True, [positive, (own.start(), own.end())])
    elif dev is not None and re.search(r"通用|行业|垂直", norm[dev.start():dev.end()]):
        out.warn("提到了开发大模型，但没有说明是否在嘉兴市实现了市场化应用（这决定算力补贴的年度上限）。")


def _extract_research(norm: str, layout: _Layout, out: _Collector) -> None:
    """国家重点研发计划 (牵头 or not) and CPMS (牵头 and 验收通过)."""

    for m in _NATIONAL_RD.finditer(norm):
        s, e = _sentence_of(norm, layout, m.start())
        sentence = norm[s:e]
        lead = re.search(r"牵头", sentence)
        if _negated(norm, layout, m.start(), m.end()) and not lead:
            out.add("national_key_rd_lead", False, [(m.start(), m.end())])
        elif lead and not _negated(norm, layout, s + lead.start(), s + lead.end()):
            out.add("national_key_rd_lead", True, [(min(m.start(), s + lead.start()), max(m.end(), s + lead.end()))])
        elif lead or re.search(r"参与|参加|协作|合作单位", sentence):
            out.add("national_key_rd_lead", False, [(s, e)])
        else:
            out.warn("提到了国家重点研发计划，但没有说明是否为牵头承担单位（奖励只给牵头单位）。")
        break

    for m in _CPMS.finditer(norm):
        s, e = _sentence_of(norm, layout, m.start())
        sentence = norm[s:e]
        lead = re.search(r"牵头", sentence)
        accepted = re.search(r"验收", sentence)
        if _negated(norm, layout, m.start(), m.end()):
            out.add("cpms_pilot_lead", False, [(m.start(), m.end())])
        elif (lead and _negated(norm, layout, s + lead.start(), s + lead.end())) or \
                (accepted and _negated(norm, layout, s + accepted.start(), s + accepted.end())):
            out.add("cpms_pilot_lead", False, [(s, e)])
        elif lead and accepted:
            out.add("cpms_pilot_lead", True, [(s, e)])
        else:
            out.warn("CPMS试点奖励只给通过验收的牵头企业：请说明是否为牵头企业、是否已通过验收。")
        break


def _month(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else _CN_MONTH.get(word)


def _extract_date(norm: str, today: date, out: _Collector) -> None:
    """as_of: the latest date the message names ("2028年3月", "2027年底", "明年").

    A past year that labels a figure ("2024年营收900万") is when the money was earned, not the date to assess:
    it is skipped. A future one ("2028年营收5000万能拿吗") is kept, so the validity check sees it.
    """
    best: tuple[date, int, int] | None = None
    for m in _DATE_RE.finditer(norm):
        if m.group("rel"):
            year = today.year + (2 if m.group("rel") == "后年" else 1)
            month, day, edge = _month(m.group("rm")), None, m.group("redge")
        elif m.group("iy"):
            year, month, day, edge = int(m.group("iy")), int(m.group("im")), int(m.group("id")), None
        else:
            year = int(m.group("y"))
            month, edge = _month(m.group("m")), m.group("edge")
            day = int(m.group("d")) if m.group("d") else None
        if edge in ("底", "末"):
            month, day = 12, 31
        try:
            found = date(year, month or 1, day or 1)
        except ValueError:
            continue
        if _VALIDITY_BEFORE.search(norm, max(0, m.start() - 8), m.start()):
            continue  # "有效期到2030年" is a claim about the policy, not the date to assess
        after = m.end() + (1 if norm[m.end():m.end() + 1] in "的:为" else 0)
        label = _ROLE_RE.match(norm, after)
        if found < today and label is not None and label.lastgroup != "other":
            continue
        if found < today and m.group("y") and not m.group("m") and _FIGURE_AFTER.match(norm, after):
            continue  # "2023年4,800万元": the year labels a figure, it is not the date to assess
        if best is None or found > best[0]:
            best = (found, m.start(), m.end())
    if best is not None:
        out.add("as_of", best[0], [(best[1], best[2])])
