"""Rule data: the numbers of 三、支持政策 and 五、其他, loaded from ``corpus/rules/*.yaml`` and validated strictly.

Every number carries the clause it comes from and the verbatim phrase that states it; the loader checks that the
phrase occurs in the clause's text and that the number, written the way the document writes it (``100万元``, ``50%``,
``2027年12月31日``), occurs in the phrase. Unknown or misplaced keys and YAML floats are rejected with an error
naming the file and the key.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal, Optional, Union

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ..numbers import format_yuan
from ..paths import corpus_dir
from .facts import FACT_NAMES, EnterpriseFacts, fact_choices, fact_kind

POLICY_IDS: tuple[str, ...] = ("三.1", "三.2", "三.3", "三.4", "三.5", "三.6", "三.7", "三.8", "三.9", "三.10")
GENERAL_ID = "五.1"
# Percentage points to a fraction: a unit of measure, not a policy number (the one literal the health test allows).
PER_CENT = Decimal(100)
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class RuleFileError(ValueError):
    """A rule file that does not load: the message names the file and the offending key."""


def _decimal(value: Any) -> Decimal:
    # YAML floats (0.05) are binary approximations: rule numbers are written as strings or ints.
    if isinstance(value, (bool, float)):
        raise ValueError(f"数值 {value!r} 是 YAML 浮点数或布尔值：请写成字符串（如 \"50\"）或整数")
    if isinstance(value, int) and value >= 0:
        return Decimal(value)
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return Decimal(value)
    raise ValueError(f"数值 {value!r} 不是非负的十进制数字（字符串或整数）")


RuleDecimal = Annotated[Decimal, BeforeValidator(_decimal)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    """A reference to the document: clause id and a verbatim phrase from that clause."""

    clause: str
    phrase: str

    def rendered(self) -> str | None:
        """How the document writes this value (None: nothing to check beyond the phrase)."""
        return None


class Yuan(Cited):
    """An amount of money in yuan."""

    value: RuleDecimal
    unit: Literal["yuan"]

    def rendered(self) -> str:
        return format_yuan(self.value)


class Percent(Cited):
    """A percentage in points (``50`` = 50%)."""

    value: RuleDecimal
    unit: Literal["percent"]

    @property
    def fraction(self) -> Decimal:
        """The rate as a fraction (50 → 0.5)."""
        return self.value / PER_CENT

    def rendered(self) -> str:
        return f"{self.value.normalize():f}%"


class Days(Cited):
    """A number of days."""

    value: RuleDecimal
    unit: Literal["days"]

    def rendered(self) -> str:
        return f"{self.value.normalize():f}日"


class DateValue(Cited):
    """A calendar date."""

    value: date
    unit: Literal["date"]

    def rendered(self) -> str:
        return f"{self.value.year}年{self.value.month}月{self.value.day}日"


def _check_fact_value(fact: str, value: Any, where: str) -> None:
    if fact not in FACT_NAMES:
        raise ValueError(f"{where}: 未知的事实名 {fact!r}")
    kind = fact_kind(fact)
    if kind == "bool" and not isinstance(value, bool):
        raise ValueError(f"{where}: 事实 {fact} 是布尔值，取值应为 true/false，而不是 {value!r}")
    if kind in {"choice", "choices"} and value not in fact_choices(fact):
        raise ValueError(f"{where}: 事实 {fact} 的取值应为 {fact_choices(fact)} 之一，而不是 {value!r}")
    if kind not in {"bool", "choice", "choices"}:
        raise ValueError(f"{where}: 事实 {fact} 不是资格条件（布尔或枚举）")


class Qualification(Cited):
    """A qualification: a fact that must have a given value (e.g. industry = information_service)."""

    fact: str
    equals: Union[bool, str]
    question: Optional[str] = None

    @model_validator(mode="after")
    def _known_fact(self) -> "Qualification":
        _check_fact_value(self.fact, self.equals, "qualification")
        return self


class _Item(_Strict):
    label: str = Field(description="项目名称（显示用，政策内唯一）")
    matter: str = Field(description="“同一事项”键：同键的多项只取最高（就高不重复）")
    qualifications: list[Qualification] = Field(default_factory=list)
    reads: list[str] = Field(default_factory=list, description="本项除资格条件外读取的事实（award_table 读 fact）")
    triggers: list[str] = Field(default_factory=list,
                                description="已知时说明问题涉及本项的事实（多项政策；默认为 reads 与资格条件）")
    asks_first: list[str] = Field(default_factory=list, description="问题未指明哪一项时先问的事实（默认为 triggers）")

    @model_validator(mode="after")
    def _declared_facts(self) -> "_Item":
        for key in ("reads", "triggers", "asks_first"):
            for fact in getattr(self, key):
                if fact not in FACT_NAMES:
                    raise ValueError(f"{key}: 未声明的事实名 {fact!r}（见 corpus/facts.yaml）")
        return self


class GradedItem(_Item):
    """三.1: a subsidy graded by a performance evaluation the document does not tabulate."""

    kind: Literal["graded_by_evaluation"]
    grading: Cited
    uplift: Percent
    cap: Yuan


class ProjectKindTerms(_Strict):
    """Threshold and cap for one project kind (new / upgrade)."""

    threshold: Yuan
    cap: Yuan


class InvestmentItem(_Item):
    """三.2: a one-off share of the actual investment excluding land."""

    kind: Literal["investment_share"]
    by_project_kind: dict[Literal["new", "upgrade"], ProjectKindTerms]
    rate: Percent
    excludes_land: Cited


class Tier(_Strict):
    """One revenue milestone and its award."""

    threshold: Yuan
    award: Yuan


class RevenueMilestoneItem(_Item):
    """三.3: awards for reaching a revenue milestone for the first time, with minimum growth."""

    kind: Literal["revenue_milestone"]
    tiers: list[Tier]
    min_growth: Percent
    first_time: Cited

    @model_validator(mode="after")
    def _ascending(self) -> "RevenueMilestoneItem":
        values = [t.threshold.value for t in self.tiers]
        if values != sorted(values) or len(set(values)) != len(values):
            raise ValueError("tiers: 各档营业收入须严格递增")
        return self


class RdIncrementItem(_Item):
    """三.4 (first sentence): a share of the R&D expense increase, with thresholds and ratio requirements."""

    kind: Literal["rd_increment"]
    min_rd: Yuan
    min_growth: Percent
    rate: Percent
    cap: Yuan
    ratio_above_scale: Percent
    ratio_high_tech: Percent


class ComputeVoucherItem(_Item):
    """三.7: a share of intelligent/super-computing spending, capped per enterprise and year."""

    kind: Literal["compute_voucher"]
    scope: Cited
    rate: Percent
    cap: Yuan
    cap_model: Yuan
    pool: Yuan


class TableRow(_Strict):
    """One row of an award table: the fact value, its label, and a fixed award or only a ceiling."""

    when: Union[bool, str]
    label: str
    amount: Optional[Yuan] = None
    cap: Optional[Yuan] = None

    @model_validator(mode="after")
    def _one_figure(self) -> "TableRow":
        if (self.amount is None) == (self.cap is None):
            raise ValueError("rows: 每行须有且只有 amount（定额）或 cap（最高额）之一")
        return self


class AwardTableItem(_Item):
    """A fixed award looked up by a qualification fact's value (三.5 三.6 三.8 三.9, parts of 三.4)."""

    kind: Literal["award_table"]
    fact: str
    rows: list[TableRow]
    recipient: Literal["enterprise", "region"] = "enterprise"
    recipient_note: Optional[Cited] = None

    @model_validator(mode="after")
    def _rows_match_fact(self) -> "AwardTableItem":
        for row in self.rows:
            _check_fact_value(self.fact, row.when, f"rows[{row.label}]")
        if self.recipient == "region" and self.recipient_note is None:
            raise ValueError("recipient_note: 奖励对象为区域时须引用原文说明")
        return self


class NonMonetaryItem(_Item):
    """三.10: measures that carry no money."""

    kind: Literal["non_monetary"]
    measures: list[Cited]


Item = Annotated[
    Union[GradedItem, InvestmentItem, RevenueMilestoneItem, RdIncrementItem, ComputeVoucherItem, AwardTableItem,
          NonMonetaryItem],
    Field(discriminator="kind"),
]


class PolicyRule(_Strict):
    """One policy of 三、支持政策: its id, title and items (each item a separately awarded matter)."""

    policy_id: str
    title: str
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_labels(self) -> "PolicyRule":
        labels = [i.label for i in self.items]
        if len(set(labels)) != len(labels):
            raise ValueError("items: 同一政策内各项 label 须唯一")
        return self

    def item(self, label: str) -> Any:
        """Return the item with this label (KeyError if none)."""
        for item in self.items:
            if item.label == label:
                return item
        raise KeyError(label)


class GeneralRule(_Strict):
    """五、其他: effective date, validity, the 就高不重复 principle."""

    policy_id: Literal["五.1"]
    effective_delay: Days
    validity_end: DateValue
    combination: Cited
    funding: Cited


class StaleRule(_Strict):
    """A rule value whose verbatim phrase a later version of the document no longer contains."""

    policy_id: str
    key: str = Field(description="规则文件中的键路径，如 items[0].rate")
    clause_id: str = Field(description="规则引用的条款（旧版本编号）")
    new_clause_id: Optional[str] = Field(description="新版本中对应的条款编号（已删除为 None）")
    phrase: str
    nearest: Optional[str] = Field(description="新版本中最接近的句子")


class RuleBook(_Strict):
    """All rule files: the ten policies (in document order) and the general rule.

    ``stale`` lists, per policy id, the values whose phrases the version in force no longer has: those policies are
    not computed until their rule file is updated for that version (see :mod:`.versioned`).
    """

    policies: dict[str, PolicyRule]
    general: GeneralRule
    stale: dict[str, list[StaleRule]] = Field(default_factory=dict)

    def policy(self, policy_id: str) -> PolicyRule:
        """Return one policy's rule (KeyError if unknown)."""
        return self.policies[policy_id]


def iter_cited(node: Any, path: str = "") -> Iterator[tuple[str, Cited]]:
    """Yield (key path, cited value) for every clause-and-phrase reference inside a rule model."""
    if isinstance(node, Cited):
        yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from iter_cited(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from iter_cited(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_cited(value, f"{path}[{i}]")


def _format_error(path: Path, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"{path.name}: {key}: {err['msg']}")
    return "规则文件无效：\n" + "\n".join(lines)


def _verify_citations(path: Path, rule: BaseModel, doc: Any = None) -> None:
    """Check clause ids, verbatim phrases and that each number is written in its phrase (in ``doc``, default the
    version in force)."""
    from ..document import load_document  # a lower layer; imported here to keep module import light

    doc = doc or load_document()
    for key, cited in iter_cited(rule):
        try:
            text = doc.get(cited.clause).text
        except KeyError:
            raise RuleFileError(f"{path.name}: {key}.clause: 条款 {cited.clause!r} 不存在") from None
        if cited.phrase not in text:
            raise RuleFileError(f"{path.name}: {key}.phrase: 〔{cited.clause}〕原文中没有“{cited.phrase}”")
        rendered = cited.rendered()
        if rendered is not None and rendered not in cited.phrase:
            raise RuleFileError(f"{path.name}: {key}.value: 数值写作“{rendered}”，但原文短语“{cited.phrase}”中没有")


def load_rule_file(path: Path, doc: Any = None, verify: bool = True) -> PolicyRule | GeneralRule:
    """Load, validate and verify one rule file against ``doc`` (default the version in force); raise
    :class:`RuleFileError` naming the file and key. ``verify=False`` skips the phrase checks (the caller does them)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # unreadable: say which file, not just "invalid start byte"
        raise RuleFileError(f"{path.name}: 无法读取规则文件（{type(exc).__name__}: {exc}）") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path.name}: YAML 语法错误：{exc}") from None
    if not isinstance(data, dict):
        raise RuleFileError(f"{path.name}: 顶层应为映射（policy_id, title, items …）")
    model = GeneralRule if data.get("policy_id") == GENERAL_ID else PolicyRule
    try:
        rule = model.model_validate(data)
    except ValidationError as exc:
        raise RuleFileError(_format_error(path, exc)) from None
    if path.stem != rule.policy_id:
        raise RuleFileError(f"{path.name}: policy_id: 文件名应为 {rule.policy_id}.yaml")
    if verify:
        _verify_citations(path, rule, doc)
    return rule


def rules_dir() -> Path:
    """Return the directory of rule files (``corpus/rules``)."""
    return corpus_dir() / "rules"


def assemble(rules: list[PolicyRule | GeneralRule], directory: Any,
             stale: dict[str, list[StaleRule]] | None = None) -> RuleBook:
    """Put loaded rule files together into a :class:`RuleBook`, checking that each policy has exactly one."""
    policies = {r.policy_id: r for r in rules if isinstance(r, PolicyRule)}
    general = [r for r in rules if isinstance(r, GeneralRule)]
    missing = [pid for pid in POLICY_IDS if pid not in policies]
    extra = [pid for pid in policies if pid not in POLICY_IDS]
    if missing or extra or len(general) != 1:
        raise RuleFileError(f"{directory}: 规则文件应为 三.1 … 三.10 与 五.1 各一个（缺 {missing}，多余 {extra}）")
    return RuleBook(policies={pid: policies[pid] for pid in POLICY_IDS}, general=general[0], stale=stale or {})


@cache  # one entry per rules directory and document (normally one)
def _load(directory: Path, document: Path | None = None) -> RuleBook:
    """The rule files of ``directory``, checked against the text at ``document`` (default the version in force)."""
    from ..document import load_document

    doc = load_document(document)
    return assemble([load_rule_file(p, doc) for p in sorted(directory.glob("*.yaml"))], directory)


def load_rules(directory: Path | None = None) -> RuleBook:
    """Load every rule file: of ``directory`` (checked strictly against the version in force), or by default the
    rule book of the version in force (:func:`.versioned.rules_in_force`)."""
    if directory:
        return _load(Path(directory))
    from .versioned import rules_in_force  # builds on this module; imported here to avoid an import cycle

    return rules_in_force()
