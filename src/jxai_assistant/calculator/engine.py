"""The subsidy calculator: evaluates 三.1–三.10 on enterprise facts with the numbers of ``corpus/rules``.

No policy number lives here: rates, caps, thresholds and award tables come from the rule files; this module only
encodes the *shape* of each kind of rule (a share with a cap, a milestone table, …). Money is ``Decimal`` until the
end, where it is rounded half up to whole yuan once.

Reading of the text (agreed in CONTRACTS.md "Semantics agreed"):
- 以上/以下/不超过/以内/（含） include the bound; 超过/不满/低于 exclude it.
- Unknown qualification → ``eligible=None`` with a question in ``missing``; any failed condition → ``eligible=False``.
- One Calculation per *item* of a policy (三.4 has three, 三.8 three …); see :func:`calculate`.
- 就高不重复 (五.1): items sharing a ``matter`` key in the rule files pay the highest only; see :func:`combine`.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Optional

from ..numbers import format_percent, format_yuan
from ..versions import active_version
from ..versions import as_of as versions_as_of
from ..declarations import declarations
from .facts import EnterpriseFacts, fact_choices, fact_kind, fact_label, fact_question, fact_value_labels
from .model import VERDICT_SEP, Calculation, Combined, Figure, FigureRole, Match, Missing, Outcome, Step
from .rules import (
    PER_CENT,
    POLICY_IDS,
    AwardTableItem,
    Cited,
    ComputeVoucherItem,
    GradedItem,
    InvestmentItem,
    NonMonetaryItem,
    PolicyRule,
    Qualification,
    RdIncrementItem,
    RevenueMilestoneItem,
    RuleBook,
    load_rules,
)
from .staleness import stale_refusal

GENERAL = "五.1"
_ONE = Decimal(1)
_ITEM_SEP = "："


class PolicyNotFound(LookupError):
    """A policy id that is not one of 三.1–三.10; ``message`` is Chinese."""

    def __init__(self, policy_id: str):
        self.message = f"“{policy_id}”不是可测算的支持政策；可测算的是 {POLICY_IDS[0]}–{POLICY_IDS[-1]}。"
        super().__init__(self.message)


def _fy(amount: Decimal | int) -> str:
    return format_yuan(amount)


_pct = format_percent  # percentage points as every step text shows them


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _value_text(fact: str, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_value_text(fact, v) for v in value) or "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    return fact_value_labels(fact).get(value, str(value))


def _money(role: FigureRole, amount: Decimal) -> Figure:
    return Figure(role=role, value=amount, unit="yuan")


def _points(role: FigureRole, points: Decimal) -> Figure:
    return Figure(role=role, value=points, unit="percent")


def _rule(role: FigureRole, cited: Cited) -> list[Figure]:
    """The figure of a rule value (money or percent) under ``role``; none for a phrase without a number."""
    unit = getattr(cited, "unit", None)
    return [Figure(role=role, value=cited.value, unit=unit)] if unit in ("yuan", "percent") else []


# A condition's verdict: the word the step text ends with, and the typed outcome consumers read.
_VERDICTS: dict[Optional[bool], tuple[str, Outcome]] = {
    True: ("满足", "met"), False: ("不满足", "not_met"), None: ("待确认", "unknown")}


class _Work:
    """One item's evaluation in progress: steps in order, condition outcomes, missing facts, notes, the amount."""

    def __init__(self, rule: PolicyRule, item: Any, facts: EnterpriseFacts):
        self.rule, self.item, self.facts = rule, item, facts
        self.steps: list[Step] = []
        self.outcomes: list[Optional[bool]] = []
        self.missing: list[Missing] = []
        self.notes: list[str] = []
        self.amount: Optional[Decimal] = None
        self.cap: Optional[Decimal] = None

    def step(self, name: str, text: str, clause_id: str, outcome: Optional[Outcome] = None,
             figures: Iterable[Figure] = (), quote: Optional[str] = None, fact: Optional[str] = None) -> None:
        self.steps.append(Step(name=name, text=text, clause_id=clause_id, outcome=outcome, fact=fact,
                               figures=list(figures), quote=quote))

    def ask(self, fact: str, question: str | None = None) -> None:
        if all(m.fact != fact for m in self.missing):
            self.missing.append(Missing(fact=fact, label=fact_label(fact), question=question or fact_question(fact)))

    def condition(self, ok: Optional[bool], text: str, clause_id: str, fact: Optional[str],
                  figures: Iterable[Figure] = (), quote: Optional[str] = None) -> Optional[bool]:
        word, outcome = _VERDICTS[ok]
        self.outcomes.append(ok)
        self.step("conditions", f"{text}{VERDICT_SEP}{word}", clause_id, outcome, figures, quote, fact)
        return ok

    def unknown(self, fact: str, text: str, clause_id: str, question: str | None = None,
                rule: Optional[Cited] = None) -> None:
        """A condition on ``fact`` that cannot be decided yet; ``rule`` is the rule the text quotes (if any)."""
        self.ask(fact, question)
        self.condition(None, f"{text}：{fact_label(fact)}未知", clause_id, fact,
                       _rule("threshold", rule) if rule else (), rule.phrase if rule else None)

    def qualification(self, q: Qualification) -> None:
        value = getattr(self.facts, q.fact)
        if value is None:
            self.unknown(q.fact, f"条件“{q.phrase}”", q.clause, q.question, q)
            return
        ok = (q.equals in value) if isinstance(value, list) else value == q.equals
        self.condition(ok, f"条件“{q.phrase}”：{fact_label(q.fact)}为{_value_text(q.fact, value)}", q.clause,
                       q.fact, quote=q.phrase)

    @property
    def failed(self) -> bool:
        return False in self.outcomes

    @property
    def eligible(self) -> Optional[bool]:
        if self.failed:
            return False
        return None if None in self.outcomes else True

    def apply_cap(self, raw: Decimal, cap: Any, what: str) -> None:
        """Cap ``raw`` (unrounded) at ``cap`` (a Yuan rule value) and record the cap step."""
        self.cap = cap.value
        capped = raw > cap.value
        self.amount = cap.value if capped else raw
        if capped:
            text = f"{_fy(raw)}超过上限{_fy(cap.value)}（“{cap.phrase}”），{what}按上限{_fy(cap.value)}计"
        else:
            text = f"{_fy(raw)}未超过上限{_fy(cap.value)}（“{cap.phrase}”）"
        self.step("cap", text, cap.clause, "capped" if capped else "not_capped",
                  [_money("value", raw), _money("cap", cap.value), _money("result", self.amount)], cap.phrase)

    def result(self, item_label: str) -> Calculation:
        eligible = self.eligible
        amount: Optional[int] = None
        notes = list(self.notes)
        if eligible is True and self.amount is not None:
            rounded = self.amount.quantize(_ONE, rounding=ROUND_HALF_UP)
            if rounded != self.amount:
                notes.append(f"金额只在最后一步按四舍五入取整到元：计算结果含不足1元的尾数，取整为{_fy(rounded)}。")
            amount = int(rounded)
        notes.append(active_version().basis_note())
        return Calculation(
            policy_id=self.rule.policy_id,
            item=item_label,
            eligible=eligible,
            amount_yuan=amount,
            cap_yuan=int(self.cap) if self.cap is not None else None,
            steps=self.steps,
            missing=[] if eligible is False else self.missing,
            notes=notes,
        )


# ---------------------------------------------------------------------------------------------------------------------
# One evaluator per kind of rule. Each reads facts, appends steps in the order of the text, and sets amount / cap.


def _graded(w: _Work, item: GradedItem) -> None:
    f = w.facts
    if w.failed:
        return
    w.step("base", f"补助“{item.grading.phrase}”；本文件未列出各档标准，无法测算具体金额", item.grading.clause,
           "not_computable", quote=item.grading.phrase)
    if f.strategic_emerging:
        w.step("rate", f"属于战略性新兴产业：“{item.uplift.phrase}”", item.uplift.clause,
               figures=_rule("rate", item.uplift), quote=item.uplift.phrase)
        w.notes.append(f"“{item.uplift.phrase}”：文件未说明是增加{_pct(item.uplift.value).rstrip('%')}个百分点还是按"
                       f"原标准乘以（1+{_pct(item.uplift.value)}），以主管部门细则为准。")
    elif f.strategic_emerging is None:
        w.notes.append(f"如项目属于战略性新兴产业，“{item.uplift.phrase}”。")
    w.cap = item.cap.value
    w.step("cap", f"单个项目最高不超过{_fy(item.cap.value)}（“{item.cap.phrase}”）", item.cap.clause,
           "not_computable", _rule("cap", item.cap), item.cap.phrase)
    w.notes.append("具体补助金额须经绩效综合评价分档确定，本计算器不给出金额。")


def _investment(w: _Work, item: InvestmentItem) -> None:
    f = w.facts
    kind, inv = f.project_kind, f.investment_yuan
    terms = item.by_project_kind.get(kind) if kind else None
    kind_text = _value_text("project_kind", kind) if kind else ""
    if kind is None:
        w.unknown("project_kind", "项目类型（新建与提升改造的门槛、上限不同）", item.rate.clause)
    if inv is None:
        w.unknown("investment_yuan", "项目投资额门槛", item.rate.clause)
    elif terms is not None:
        w.condition(inv >= terms.threshold.value,
                    f"{kind_text}投资额{_fy(inv)}，门槛“{terms.threshold.phrase}”（{_fy(terms.threshold.value)}，含本数）",
                    terms.threshold.clause, "investment_yuan",
                    [_money("value", inv), *_rule("threshold", terms.threshold)], terms.threshold.phrase)
    if terms is not None:
        w.cap = terms.cap.value
    if w.failed or inv is None:
        return
    land = f.land_cost_yuan
    if land is None:
        base = inv
        w.step("base", f"实际投资额（不含土地款）按所述投资额{_fy(inv)}计", item.excludes_land.clause, "computed",
               [_money("value", inv), _money("result", base)])
        w.notes.append(f"未提供土地款：按所述投资额{_fy(inv)}已不含土地款计算（“{item.excludes_land.phrase}”）。")
    else:
        base = inv - land
        w.step("base", f"实际投资额（不含土地款）= {_fy(inv)} − 土地款{_fy(land)} = {_fy(base)}", item.excludes_land.clause,
               "computed", [_money("value", inv), _money("value", land), _money("result", base)])
    if terms is not None and base < terms.threshold.value:
        w.notes.append(f"含土地款的投资额{_fy(inv)}达到门槛{_fy(terms.threshold.value)}，但不含土地款为{_fy(base)}；"
                       "文件未明确门槛是否含土地款，此处按所述投资额判断为达到门槛，存在歧义，以主管部门认定为准。")
    raw = _rate(w, base, item.rate)
    if terms is not None:
        w.apply_cap(raw, terms.cap, kind_text)


def _rate(w: _Work, base: Decimal, rate: Any, what: str = "") -> Decimal:
    """Apply a Percent rule to ``base`` (unrounded) and record the rate step; ``what`` names the base."""
    raw = base * rate.fraction
    w.step("rate", f"{what}{_fy(base)} × {_pct(rate.value)} = {_fy(raw)}（“{rate.phrase}”）", rate.clause, "computed",
           [_money("base", base), _points("rate", rate.value), _money("result", raw)], rate.phrase)
    return raw


def _growth(w: _Work, given: Optional[Decimal], now: Optional[Decimal], last: Optional[Decimal],
            what: str) -> tuple[Optional[Decimal], bool]:
    """Growth in points: the given figure, else derived from last year's; (None, False) when neither is known.

    The flag says the growth is unbounded (last year 0), which meets any minimum.
    """
    if given is not None:
        return given, False
    if now is None or last is None:
        return None, False
    if last == 0:
        w.notes.append(f"上年度{what}为0，增幅无法按比例计算，视为满足增幅要求。")
        return None, True
    growth = (now - last) / last * PER_CENT
    w.notes.append(f"{what}增幅按（{_fy(now)} − {_fy(last)}）÷ {_fy(last)} = {_pct(growth)} 计算。")
    return growth, False


def _milestone(w: _Work, item: RevenueMilestoneItem) -> None:
    f = w.facts
    rev = f.revenue_yuan
    growth, unbounded = _growth(w, f.revenue_growth_pct, rev, f.last_revenue_yuan, "营业收入")
    lowest = item.tiers[0].threshold
    if rev is None:
        w.unknown("revenue_yuan", "年度营业收入档位", item.first_time.clause)
    elif rev < lowest.value:
        w.condition(False, f"年度营业收入{_fy(rev)}，未达到最低一档{_fy(lowest.value)}（“{lowest.phrase}”）",
                    lowest.clause, "revenue_yuan", [_money("value", rev), *_rule("threshold", lowest)], lowest.phrase)
    if growth is None and not unbounded:
        w.unknown("revenue_growth_pct", f"增速要求“{item.min_growth.phrase}”", item.min_growth.clause,
                  rule=item.min_growth)
    elif growth is not None:
        w.condition(growth >= item.min_growth.value,
                    f"营业收入增速{_pct(growth)}，要求“{item.min_growth.phrase}”（含本数）", item.min_growth.clause,
                    "revenue_growth_pct", [_points("value", growth), *_rule("threshold", item.min_growth)],
                    item.min_growth.phrase)
    if w.failed or rev is None or (growth is None and not unbounded):
        return
    peak = _prior_peak(w, rev, growth)
    newly = [t for t in item.tiers if peak < t.threshold.value <= rev]
    if not newly:
        reached = [t for t in item.tiers if t.threshold.value <= rev][-1]
        w.condition(False, f"以前年度最高营业收入{_fy(peak)}已达到{_fy(reached.threshold.value)}档，本年度{_fy(rev)}"
                           f"未“首次达到”新的档位", item.first_time.clause, "revenue_yuan",
                    [_money("value", peak), *_rule("threshold", reached.threshold), _money("value", rev)])
        return
    names = "、".join(_fy(t.threshold.value) for t in newly)
    tiers = [f for t in newly for f in _rule("threshold", t.threshold)]
    w.condition(True, f"本年度营业收入{_fy(rev)}（以前年度最高{_fy(peak)}）“首次达到”{names}档", item.first_time.clause,
                "revenue_yuan", [_money("value", rev), _money("value", peak), *tiers])
    best = newly[-1]
    w.step("base", f"首次达到的最高档{_fy(best.threshold.value)}对应奖励{_fy(best.award.value)}（“{best.award.phrase}”）",
           best.award.clause, "computed", [*_rule("threshold", best.threshold), *_rule("result", best.award)],
           best.award.phrase)
    w.amount = best.award.value
    if len(newly) > 1:
        total = sum(t.award.value for t in newly)
        w.step("combination", f"同时首次达到{names}共{len(newly)}档，按“就高不重复”原则只取最高档奖励"
                              f"{_fy(best.award.value)}，不累加（累加将为{_fy(total)}）", GENERAL, "highest_paid",
               [*tiers, Figure(role="value", value=len(newly), unit="count"), *_rule("result", best.award),
                _money("total", total)], load_rules().general.combination.phrase)


def _prior_peak(w: _Work, rev: Decimal, growth: Optional[Decimal]) -> Decimal:
    """以前年度最高营业收入: given, else last year's revenue, else revenue ÷ (1 + growth) — with a note."""
    f = w.facts
    known = [v for v in (f.prior_peak_revenue_yuan, f.last_revenue_yuan) if v is not None]
    if known:
        if f.prior_peak_revenue_yuan is None:
            w.notes.append(f"未提供以前年度最高营业收入，按上年度营业收入{_fy(f.last_revenue_yuan)}判断是否“首次达到”。")
        return max(known)
    if growth is None:  # last year's revenue 0 and no peak given
        return Decimal(0)
    peak = rev / (1 + growth / PER_CENT)
    w.notes.append(f"未提供上年度及以前年度营业收入，按增速倒推上年度营业收入约{_fy(peak)}，"
                   "并视为以前年度最高营业收入来判断是否“首次达到”。")
    return peak


def _rd(w: _Work, item: RdIncrementItem) -> None:
    f = w.facts
    rd, last = f.rd_expense_yuan, f.last_rd_expense_yuan
    if rd is None:
        w.unknown("rd_expense_yuan", f"研发费用门槛“{item.min_rd.phrase}”", item.min_rd.clause, rule=item.min_rd)
    else:
        w.condition(rd >= item.min_rd.value, f"本年度研发费用{_fy(rd)}，要求“{item.min_rd.phrase}”（含本数）",
                    item.min_rd.clause, "rd_expense_yuan", [_money("value", rd), *_rule("threshold", item.min_rd)],
                    item.min_rd.phrase)
    growth, unbounded = _growth(w, f.rd_growth_pct, rd, last, "研发费用")
    if growth is None and not unbounded:
        w.unknown("rd_growth_pct", f"增幅要求“{item.min_growth.phrase}”", item.min_growth.clause, rule=item.min_growth)
    elif growth is not None:
        w.condition(growth >= item.min_growth.value, f"研发费用增幅{_pct(growth)}，要求“{item.min_growth.phrase}”（含本数）",
                    item.min_growth.clause, "rd_growth_pct",
                    [_points("value", growth), *_rule("threshold", item.min_growth)], item.min_growth.phrase)
    _rd_ratio(w, item, rd)
    w.cap = item.cap.value
    if w.failed or rd is None or (growth is None and not unbounded):
        return
    if last is None:
        # Only the growth is known: last year's figure is derived and rounded to yuan before the increment.
        last = (rd / (1 + growth / PER_CENT)).quantize(_ONE, rounding=ROUND_HALF_UP)
        w.notes.append(f"未提供上年度研发费用，按增幅{_pct(growth)}倒推为{_fy(rd)} ÷ (1 + {_pct(growth)}) ≈ {_fy(last)}"
                       "（取整到元）。")
    increment = rd - last
    w.step("base", f"研发费用增量 = {_fy(rd)} − {_fy(last)} = {_fy(increment)}", item.rate.clause, "computed",
           [_money("value", rd), _money("value", last), _money("result", increment)])
    w.apply_cap(_rate(w, increment, item.rate), item.cap, "")


def _rd_ratio(w: _Work, item: RdIncrementItem, rd: Optional[Decimal]) -> None:
    """The R&D-to-revenue ratio required of 规上 (≥3%) and 高新 (≥4%) enterprises; both → the stricter one."""
    f = w.facts
    required = [r for flag, r in ((f.above_scale, item.ratio_above_scale), (f.high_tech, item.ratio_high_tech)) if flag]
    unknown = [name for name, flag in (("规上企业", f.above_scale), ("高新技术企业", f.high_tech)) if flag is None]
    if unknown:
        w.notes.append(f"未说明是否为{'、'.join(unknown)}，按不适用研发费用占营业收入比重要求处理；"
                       f"如是，须满足“{item.ratio_above_scale.phrase}”或“{item.ratio_high_tech.phrase}”。")
    if not required:
        return
    rule = max(required, key=lambda r: r.value)
    if len(required) > 1:
        w.notes.append(f"同时为规上企业和高新技术企业，按较严的{_pct(rule.value)}要求判断。")
    rev = f.revenue_yuan
    if rev is None:
        w.unknown("revenue_yuan", f"研发费用占营业收入比重要求“{rule.phrase}”", rule.clause, rule=rule)
    elif rd is not None:
        # Cross-multiplied so that a revenue of 0 needs no division.
        ok = rd * PER_CENT >= rule.value * rev
        ratio = f"{_pct(rd / rev * PER_CENT)}" if rev else "（营业收入为0）"
        share = [_points("result", rd / rev * PER_CENT)] if rev else []
        figures = [_money("value", rd), _money("value", rev), *share, *_rule("threshold", rule)]
        w.condition(ok, f"研发费用占营业收入比重 {_fy(rd)} ÷ {_fy(rev)} = {ratio}，要求“{rule.phrase}”", rule.clause,
                    "revenue_yuan", figures, rule.phrase)


def _compute(w: _Work, item: ComputeVoucherItem) -> None:
    f = w.facts
    spend = f.compute_spend_yuan
    if spend is None:
        w.unknown("compute_spend_yuan", f"补贴对象“{item.scope.phrase}”", item.scope.clause, rule=item.scope)
    else:
        w.condition(spend > 0, f"补贴对象“{item.scope.phrase}”：智算、超算实际使用金额{_fy(spend)}", item.scope.clause,
                    "compute_spend_yuan", [_money("value", spend)], item.scope.phrase)
    if f.other_cloud_spend_yuan:
        w.notes.append(f"普通云等其他算力支出{_fy(f.other_cloud_spend_yuan)}不在补贴范围内，只按智算、超算实际使用金额计算。")
    cap = item.cap_model if f.jiaxing_model else item.cap
    w.cap = cap.value
    if f.jiaxing_model is None:
        w.notes.append(f"未说明是否成功开发大模型并在嘉兴市实现市场化应用，按一般企业年度上限{_fy(item.cap.value)}计；"
                       f"如是，年度上限为{_fy(item.cap_model.value)}（“{item.cap_model.phrase}”）。")
    w.notes.append(f"“算力券”每年{_fy(item.pool.value)}是全市发放总额的上限，不是单个企业的上限。")
    if w.failed or spend is None:
        return
    w.apply_cap(_rate(w, spend, item.rate, "智算、超算实际使用金额"), cap, "年度算力补贴")


def _table(w: _Work, item: AwardTableItem, value: Any) -> None:
    """Look ``value`` (one value of the item's fact) up in the award table."""
    if item.recipient == "region":
        note = item.recipient_note
        w.condition(False, f"“{note.phrase}”：该奖励给予试点区域，而非企业", note.clause, None, quote=note.phrase)
        w.notes.append("贯标工作试点区域的奖励由区域（县、市、区）获得，企业不能据此申领。")
        return
    if value is None:
        w.unknown(item.fact, item.label, item.rows[0].amount.clause if item.rows[0].amount else item.rows[0].cap.clause)
        return
    row = next((r for r in item.rows if r.when == value), None)
    figure = (row or item.rows[0]).amount or (row or item.rows[0]).cap
    if row is None:
        listed = "、".join(r.label for r in item.rows)
        w.condition(False, f"{fact_label(item.fact)}：{_value_text(item.fact, value)}（奖励范围：{listed}）", figure.clause,
                    item.fact, quote=figure.phrase)
        return
    w.condition(True, f"{fact_label(item.fact)}：{row.label}", figure.clause, item.fact, quote=figure.phrase)
    if row.amount is not None:
        w.step("base", f"{row.label}奖励{_fy(row.amount.value)}（“{row.amount.phrase}”）", row.amount.clause,
               "computed", _rule("result", row.amount), row.amount.phrase)
        w.amount = row.amount.value
    else:
        w.cap = row.cap.value
        w.step("cap", f"最高{_fy(row.cap.value)}（“{row.cap.phrase}”）；文件未给出计算公式，具体金额按项目核定",
               row.cap.clause, "not_computable", _rule("cap", row.cap), row.cap.phrase)
        w.notes.append(f"{row.label}的经费补助按项目核定，文件只规定上限{_fy(row.cap.value)}，无法测算具体金额。")


def _non_monetary(w: _Work, item: NonMonetaryItem) -> None:
    for measure in item.measures:
        w.step("base", f"非资金支持措施：“{measure.phrase}”", measure.clause, "non_monetary", quote=measure.phrase)
    w.outcomes.append(None)
    w.notes.append("本条为能耗要素支持（绿证），不涉及资金补助，没有可测算的金额。")


_EVALUATORS = {
    "graded_by_evaluation": _graded,
    "investment_share": _investment,
    "revenue_milestone": _milestone,
    "rd_increment": _rd,
    "compute_voucher": _compute,
}


# ---------------------------------------------------------------------------------------------------------------------
# Public API


def _policy(policy_id: str, book: RuleBook) -> PolicyRule:
    if policy_id not in book.policies:
        raise PolicyNotFound(policy_id)
    return book.policies[policy_id]


def _item_facts(item: Any) -> tuple[str, ...]:
    own = (item.fact,) if isinstance(item, AwardTableItem) else tuple(item.reads)
    return tuple(dict.fromkeys([q.fact for q in item.qualifications] + list(own)))


def _triggers(item: Any) -> tuple[str, ...]:
    """Facts that, once known, show a question is about this item (the rule file's ``triggers``)."""
    return tuple(item.triggers) or _item_facts(item)


def _enterprise_items(rule: PolicyRule) -> list[Any]:
    return [i for i in rule.items if not (isinstance(i, AwardTableItem) and i.recipient == "region")]


def policy_facts(policy_id: str) -> list[str]:
    """Return the fact names relevant to a policy (for clarification questions), in the order the text uses them."""
    rule = _policy(policy_id, load_rules())
    names: list[str] = []
    for item in _enterprise_items(rule):
        names.extend(n for n in _item_facts(item) if n not in names)
    return names


def _validity(facts: EnterpriseFacts, as_of: Optional[date], book: RuleBook) -> tuple[Step, bool]:
    g = book.general
    day = as_of or facts.as_of or versions_as_of()
    end = g.validity_end
    if day > end.value:
        return Step(name="validity", clause_id=end.clause, outcome="expired", quote=end.phrase,
                    text=f"测算基准日{_day(day)}已超过有效期（“{end.phrase}”），本政策届时不再适用"), False
    return Step(name="validity", clause_id=end.clause, outcome="in_force", quote=end.phrase,
                text=f"测算基准日{_day(day)}在有效期内（“{end.phrase}”）；“{g.effective_delay.phrase}”，"
                     f"{active_version().start_note()}"), True


def calculate(policy_id: str, facts: EnterpriseFacts | None = None, as_of: date | None = None) -> list[Calculation]:
    """Evaluate one policy (``"三.1"`` … ``"三.10"``) and return one :class:`Calculation` per item.

    Single-item policies (三.1 三.2 三.3 三.7 三.10) always give exactly one Calculation. A policy with several
    separately awarded items (三.4 三.5 三.6 三.8 三.9) gives one per item the facts speak about (its own fact is
    known; a list fact such as ``product_honors`` gives one per listed honour); when the facts speak about none of
    them, one policy-level Calculation (``item=None``, ``eligible=None``) asks which applies. ``as_of`` overrides
    ``facts.as_of`` (default today). Raises :class:`PolicyNotFound` for other ids.
    """
    book = load_rules()
    rule = _policy(policy_id, book)
    if (refusal := stale_refusal(rule, book)) is not None:  # rule data not yet updated for the version in force
        return [refusal]
    facts = facts or EnterpriseFacts()
    validity, valid = _validity(facts, as_of, book)
    items = _enterprise_items(rule)
    if len(rule.items) > 1:
        engaged = [i for i in rule.items if any(getattr(facts, n) is not None for n in _triggers(i))]
        if not engaged:
            return [_which_item(rule, items, validity, valid)]
        items = engaged
    out: list[Calculation] = []
    for item in items:
        for value, label in _item_values(item, facts):
            for product in _products(item, value, facts):
                w = _Work(rule, item, facts)
                w.steps.append(validity)
                if valid:
                    _evaluate(w, item, value)
                    if product:
                        w.step("conditions", f"{product}：不同产品的奖励分别计算（文件对同一事项才“就高不重复”）",
                               GENERAL, "met", quote=book.general.combination.phrase)
                else:
                    w.outcomes.append(False)
                out.append(w.result(label + product))
    return out


#: Marks the calculation of a product other than the one the other awards are for: its own matter (就高不重复 applies
#: to one matter; different products add up).
_OTHER_PRODUCT = "另一产品"


def _products(item: Any, value: Any, facts: EnterpriseFacts) -> list[str]:
    """How many products hold this award, as label suffixes: "" for the main product, "（另一产品 k）" for others.

    Only awards of product-scope facts (三.6) count per product: ``facts.quantities`` says how many products hold an
    award ("3个产品获评省级工业新产品"), ``facts.separate`` that they are not the product of the other awards ("另有2个产品",
    "另一款产品"). Everything else is one award per enterprise.
    """
    if not isinstance(item, AwardTableItem) or value is None or declarations().facts[item.fact].scope != "product":
        return [""]
    key = f"{item.fact}.{value}"
    count = facts.quantities.get(key, 1)
    others = [f"（{_OTHER_PRODUCT} {k}）" for k in range(1, count + 1)]
    return others if key in facts.separate else [""] + others[:count - 1]


def _item_values(item: Any, facts: EnterpriseFacts) -> list[tuple[Any, str]]:
    """(value, item label) pairs to evaluate: one per listed honour for a list fact ([] → one failing pair)."""
    if not isinstance(item, AwardTableItem):
        return [(None, item.label)]
    value = getattr(facts, item.fact)
    if isinstance(value, list) and value:
        rows = {r.when: r.label for r in item.rows}
        return [(v, f"{item.label}{_ITEM_SEP}{rows.get(v, v)}") for v in dict.fromkeys(value)]
    return [(value, item.label)]


def _evaluate(w: _Work, item: Any, value: Any) -> None:
    for q in item.qualifications:
        w.qualification(q)
    if isinstance(item, AwardTableItem):
        _table(w, item, value)
    elif isinstance(item, NonMonetaryItem):
        _non_monetary(w, item)
    else:
        _EVALUATORS[item.kind](w, item)


def _which_item(rule: PolicyRule, items: list[Any], validity: Step, valid: bool) -> Calculation:
    """The policy-level answer when the facts name none of a multi-item policy's items."""
    labels = "、".join(i.label for i in items)
    missing: list[Missing] = []
    if valid:
        for item in items:
            for fact in item.asks_first or _triggers(item):
                if all(m.fact != fact for m in missing):
                    missing.append(Missing(fact=fact, label=fact_label(fact), question=fact_question(fact)))
    return Calculation(
        policy_id=rule.policy_id, item=None, eligible=None if valid else False, amount_yuan=None,
        steps=[validity, Step(name="conditions", clause_id=rule.policy_id, outcome="unknown",
                              text=f"本条包括{labels}，需先确认贵企业符合哪一项{VERDICT_SEP}{_VERDICTS[None][0]}")],
        missing=missing,
        notes=[active_version().basis_note()],
    )


def calculate_all(facts: EnterpriseFacts | None = None, as_of: date | None = None) -> list[Calculation]:
    """Evaluate every policy 三.1–三.10 (see :func:`calculate`) and return all calculations in document order."""
    return [c for pid in POLICY_IDS for c in calculate(pid, facts, as_of)]


def _matter(calc: Calculation, book: RuleBook) -> str:
    item = _rule_item(calc, book)
    return item.matter if item is not None else f"{calc.policy_id}/{calc.item}"


def _describe(calc: Calculation, book: RuleBook) -> str:
    title = book.policies[calc.policy_id].title if calc.policy_id in book.policies else ""
    return f"〔{calc.policy_id}〕{calc.item or title}"


def _with_step(calc: Calculation, text: str, outcome: Outcome, figures: list[Figure]) -> Calculation:
    """``calc`` with one more combination step (就高不重复, 五.1)."""
    step = Step(name="combination", text=text, clause_id=GENERAL, outcome=outcome, figures=figures,
                quote=load_rules().general.combination.phrase)
    return calc.model_copy(update={"steps": [*calc.steps, step]})


def combine(calcs: list[Calculation]) -> Combined:
    """Combine calculations under 就高不重复 (五.1).

    Calculations of the *same matter* (the ``matter`` key of their items in the rule files: e.g. every 三.6 award
    for the one product the facts describe, or 三.1/三.2 for one investment project) pay the highest amount only;
    different matters add up. The result keeps every calculation (its own amount unchanged) with a
    ``combination`` step explaining both amounts; ``award_yuan`` is the sum over matters, ``None`` when no
    calculation has an amount. ``eligible`` is True if any item is, False if all are not, else None.
    """
    book = load_rules()
    groups: dict[str, list[int]] = {}
    for i, calc in enumerate(calcs):
        groups.setdefault(_matter(calc, book), []).append(i)
    out = list(calcs)
    award: Optional[int] = None
    notes: list[str] = []
    winners: list[int] = []  # the paying calculation of each matter
    for matter, members in groups.items():
        paying = [i for i in members if calcs[i].eligible is True and calcs[i].amount_yuan is not None]
        if not paying:
            continue
        best = max(paying, key=lambda i: calcs[i].amount_yuan)  # first of equals wins: ties pay once anyway
        winners.append(best)
        award = (award or 0) + calcs[best].amount_yuan
        if len(paying) == 1:
            continue
        top = calcs[best]
        others = "；".join(f"{_describe(calcs[i], book)}{_fy(calcs[i].amount_yuan)}" for i in paying if i != best)
        for i in paying:
            calc = calcs[i]
            own = _money("result" if i == best else "value", Decimal(calc.amount_yuan))
            if i == best:
                text = (f"同一事项（{matter}）还满足：{others}；按“就高不重复”原则只取最高的本项"
                        f"{_fy(calc.amount_yuan)}")
                outcome: Outcome = "highest_paid"
                figures = [own, *(_money("value", Decimal(calcs[j].amount_yuan)) for j in paying if j != best)]
            else:
                text = (f"同一事项（{matter}）按{_describe(top, book)}可得{_fy(top.amount_yuan)}，不低于本项"
                        f"{_fy(calc.amount_yuan)}；按“就高不重复”原则只取较高者，本项不另行计发")
                outcome, figures = "superseded", [_money("value", Decimal(top.amount_yuan)), own]
            out[i] = _with_step(calc, text, outcome, figures)
        notes.append(f"{matter}：按“就高不重复”原则取{_describe(top, book)}{_fy(top.amount_yuan)}〔{GENERAL}〕。")
    if len(winners) > 1:
        # The total is a figure of its own: show its arithmetic in a step, so every amount an answer states is in
        # a calculation.
        terms = " + ".join(_fy(calcs[i].amount_yuan) for i in winners)
        text = f"不同事项的奖补分别计算后相加：{terms} = {_fy(award)}（同一事项才按“就高不重复”只取最高）"
        last = winners[-1]
        out[last] = _with_step(out[last], text, "summed",
                               [*(_money("value", Decimal(calcs[i].amount_yuan)) for i in winners),
                                _money("total", Decimal(award))])
        notes.append("不同事项的奖补分别计算后相加。")
    if award is not None:
        notes.append(f"如同一事项还满足其他已有政策，也按“{book.general.combination.phrase}”的规定执行；"
                     "本测算只涵盖本方案。")
    flags = [c.eligible for c in calcs]
    eligible = True if True in flags else (False if flags and all(f is False for f in flags) else None)
    return Combined(award_yuan=award, eligible=eligible, calculations=out, notes=notes)


def conditional(calc: Calculation, facts: EnterpriseFacts, as_of: date | None = None) -> Optional[Calculation]:
    """The figure an undecided calculation gives if its unknown yes/no conditions hold (DESIGN "conditional figures").

    Only when every missing fact is a condition (yes/no, or a choice of which exactly one value qualifies), never a
    figure: each is assumed in turn and the item recomputed. Returned only when the assumptions lead to exactly one
    eligible amount; it keeps ``eligible=None`` and its ``missing`` (the conditions still to confirm), with the steps
    that lead to the amount. ``None`` otherwise (then the answer asks, without a figure).
    """
    if calc.eligible is not None or not calc.missing or calc.item is None:
        return None
    options: list[list[Any]] = []
    for missing in calc.missing:
        kind = fact_kind(missing.fact)
        if kind == "bool":
            options.append([True])
        elif kind == "choice":
            options.append(list(fact_choices(missing.fact)))
        else:
            return None  # a missing figure: nothing to assume
    outcomes: dict[int, Calculation] = {}
    for combination in itertools.product(*options):
        assumed = facts.model_copy(update={m.fact: v for m, v in zip(calc.missing, combination)})
        for result in calculate(calc.policy_id, assumed, as_of):
            if result.item == calc.item and result.eligible is True and result.amount_yuan is not None:
                outcomes.setdefault(result.amount_yuan, result)
    if len(outcomes) != 1:
        return None
    (amount, result), = outcomes.items()
    # Steps up to the unknown condition are the facts' own; the rest are the assumed ones' arithmetic.
    figures = [s for s in result.steps if s.name in ("base", "rate", "cap") and s not in calc.steps]
    return calc.model_copy(update={"amount_yuan": amount, "cap_yuan": result.cap_yuan, "steps": [*calc.steps, *figures]})


def alternatives(calc: Calculation, facts: EnterpriseFacts, as_of: date | None = None) -> list[tuple[Missing, Calculation]]:
    """For a paying item: the figure it gives if an unknown yes/no fact it reads were true, where that differs.

    三.7 with the model condition unknown pays under the 100万元 cap; if the enterprise has its own model in market use
    in 嘉兴, the 200万元 cap applies. Each pair is the condition (as a :class:`Missing`, to ask) and the calculation
    under it. The paying figure stays the one the facts give.
    """
    if calc.eligible is not True or calc.amount_yuan is None or calc.item is None:
        return []
    item = _rule_item(calc, load_rules())
    out: list[tuple[Missing, Calculation]] = []
    for name in _item_facts(item) if item is not None else ():
        if fact_kind(name) != "bool" or getattr(facts, name) is not None:
            continue
        for result in calculate(calc.policy_id, facts.model_copy(update={name: True}), as_of):
            if result.item == calc.item and result.eligible is True and result.amount_yuan not in (None, calc.amount_yuan):
                out.append((Missing(fact=name, label=fact_label(name), question=fact_question(name)), result))
    return out


def _rule_item(calc: Calculation, book: RuleBook) -> Any:
    """The rule file's item a calculation evaluated, or None (a policy-level question, another product …)."""
    rule = book.policies.get(calc.policy_id)
    if rule is None or calc.item is None or _OTHER_PRODUCT in calc.item:
        return None
    if len(rule.items) == 1:
        return rule.items[0]
    try:
        return rule.item(calc.item.split(_ITEM_SEP, 1)[0])
    except KeyError:
        return None


def _next_step(rule: PolicyRule, facts: EnterpriseFacts, calcs: list[Calculation]) -> Optional[str]:
    """A concrete suggestion for getting (more) from a single-item policy, or None."""
    if len(calcs) != 1:
        return None
    calc, item = calcs[0], rule.items[0]
    f = facts
    if isinstance(item, RevenueMilestoneItem) and f.revenue_yuan is not None:
        above = [t for t in item.tiers if t.threshold.value > f.revenue_yuan]
        if above:
            t = above[0]
            return (f"营业收入再增加{_fy(t.threshold.value - f.revenue_yuan)}（达到{_fy(t.threshold.value)}）可首次达到"
                    f"下一档，奖励{_fy(t.award.value)}（增速仍须满足“{item.min_growth.phrase}”）")
    if isinstance(item, InvestmentItem) and f.project_kind and f.investment_yuan is not None:
        terms = item.by_project_kind[f.project_kind]
        if f.investment_yuan < terms.threshold.value:
            return (f"{_value_text('project_kind', f.project_kind)}投资额再增加"
                    f"{_fy(terms.threshold.value - f.investment_yuan)}可达到{_fy(terms.threshold.value)}的门槛")
        if calc.amount_yuan is not None and calc.amount_yuan < terms.cap.value:
            return (f"实际投资额（不含土地款）达到{_fy(terms.cap.value / item.rate.fraction)}时，"
                    f"补助达到上限{_fy(terms.cap.value)}")
    if isinstance(item, ComputeVoucherItem) and calc.amount_yuan is not None:
        hints = []
        if calc.cap_yuan is not None and calc.amount_yuan < calc.cap_yuan:
            hints.append(f"智算、超算实际使用金额达到{_fy(calc.cap_yuan / item.rate.fraction)}时补贴达到年度上限"
                         f"{_fy(calc.cap_yuan)}")
        if not f.jiaxing_model:
            hints.append(f"成功开发通用大模型、行业垂直模型并在嘉兴市实现市场化应用的企业，年度上限为"
                         f"{_fy(item.cap_model.value)}")
        return "；".join(hints) or None
    return None


def _rd_next_step(rule: PolicyRule, facts: EnterpriseFacts, calcs: list[Calculation]) -> Optional[str]:
    item = next((i for i in rule.items if isinstance(i, RdIncrementItem)), None)
    rd, last = facts.rd_expense_yuan, facts.last_rd_expense_yuan
    if item is None or rd is None:
        return None
    if any(c.item == item.label and _outside_scope(c, rule) for c in calcs):
        return None  # more R&D does not help an enterprise the item is not for (no 加计扣除)
    hints = []
    if rd < item.min_rd.value:
        hints.append(f"研发费用再增加{_fy(item.min_rd.value - rd)}可达到{_fy(item.min_rd.value)}的门槛")
    if last is not None:
        needed = (last * (1 + item.min_growth.fraction)).quantize(_ONE, rounding=ROUND_HALF_UP)
        if rd < needed:
            hints.append(f"研发费用须达到{_fy(needed)}（较上年{_fy(last)}增长{_pct(item.min_growth.value)}）才满足增幅要求")
    return "；".join(hints) or None


def _outside_scope(calc: Calculation, rule: PolicyRule) -> bool:
    """True when ``calc`` failed one of its item's qualifications (who the policy is for: 三.3 “信息服务业企业”,
    三.1 “制造业投资项目”, 三.4 “符合加计扣除政策的企业”), as opposed to a figure below a threshold."""
    qualified = {q.fact for item in rule.items for q in item.qualifications}
    return any(s.name == "conditions" and s.outcome == "not_met" and s.fact in qualified for s in calc.steps)


def match_summary(facts: EnterpriseFacts, as_of: date | None = None) -> dict[str, Any]:
    """政策匹配 with its total, JSON-ready (``jxai match --json``, ``/calc``, ``POST /v1/calc``; amounts integer yuan).

    ``matches`` is :func:`match_profile`; ``award_yuan`` the total over every policy after 就高不重复 (五.1) — the
    same matter pays its highest award once, different matters (and different products) add up — ``None`` when
    nothing can be computed yet; ``total_text`` its arithmetic when several matters add up (150万元 + 5万元 = 155万元);
    ``notes`` say how the total was combined.
    """
    combined = combine(calculate_all(facts, as_of))
    summed = [s.text for c in combined.calculations for s in c.steps if s.outcome == "summed"]
    return {
        "matches": [m.model_dump(mode="json") for m in match_profile(facts, as_of)],
        "award_yuan": combined.award_yuan,
        "total_text": summed[0] if summed else None,
        "eligible": combined.eligible,
        "notes": list(combined.notes),
        "facts": facts.model_dump(mode="json", exclude_none=True),
    }


# Order of policies without an amount in 政策匹配 (those with an amount come first, highest first).
_STANDING_ORDER = ("eligible", "needs_facts", "near_miss", "undecided", "non_monetary")


def match_profile(facts: EnterpriseFacts, as_of: date | None = None) -> list[Match]:
    """政策匹配: every policy the profile may qualify for, best first.

    Listed: policies with an amount (sorted by amount, highest first), then eligible ones without a computable
    amount, then those that need more facts (``missing``), then near misses that have a ``next_step`` (e.g. revenue
    just below a 三.3 tier), then non-monetary measures. Policies the profile clearly fails are left out — always
    those whose scope excludes the enterprise (a qualification such as 三.3's “信息服务业企业” not met): no figure
    can bring a manufacturer into 三.3, so it is no near miss. The total after 就高不重复 is :func:`match_total`.
    """
    book = load_rules()
    valid = _validity(facts, as_of, book)[1]
    found: list[tuple[tuple, Match]] = []
    for order, pid in enumerate(POLICY_IDS):
        rule = book.policies[pid]
        combined = combine(calculate(pid, facts, as_of))
        calcs = combined.calculations
        next_step = None
        if valid and len(rule.items) == 1:
            next_step = None if _outside_scope(calcs[0], rule) else _next_step(rule, facts, calcs)
        elif valid:
            next_step = _rd_next_step(rule, facts, calcs)
        missing: list[Missing] = []
        for calc in calcs:
            missing.extend(m for m in calc.missing if m not in missing)
        monetary = not all(isinstance(i, NonMonetaryItem) for i in rule.items)
        if combined.eligible is False and not next_step:
            continue  # clearly failed, nothing to do about it (a scope the enterprise is outside of never has one)
        if not monetary:
            standing = "non_monetary"
        elif combined.eligible is None:
            standing = "needs_facts" if missing else "undecided"
        else:
            standing = "eligible" if combined.eligible else "near_miss"
        rank = _STANDING_ORDER.index(standing)
        amount = combined.award_yuan
        key = (amount is None, -(amount or 0), rank, order)
        found.append((key, Match(
            policy_id=pid, title=rule.title, eligible=combined.eligible, amount_yuan=amount,
            cap_yuan=calcs[0].cap_yuan if len(calcs) == 1 else None, missing=missing, next_step=next_step,
            calculations=calcs)))
    return [m for _, m in sorted(found, key=lambda kv: kv[0])]
