"""Result models of the calculator; ``Calculation`` serialises to the DESIGN.md contract."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

StepName = Literal["validity", "conditions", "base", "rate", "cap", "combination"]
Outcome = Literal["in_force", "expired", "met", "not_met", "unknown", "computed", "capped", "not_capped",
                  "not_computable", "non_monetary", "highest_paid", "superseded", "summed"]
FigureRole = Literal["value", "threshold", "base", "rate", "cap", "result", "total"]
FigureUnit = Literal["yuan", "percent", "count"]
# A condition step's text is "<what was tested> → <verdict word>".
VERDICT_SEP = " → "


def _exact(value: Union[int, Decimal]) -> Union[int, str]:
    # JSON never carries a float: whole numbers as int, others as a decimal string ("1.5").
    exact = Decimal(value)
    if exact == exact.to_integral_value():
        return int(exact)
    return f"{exact.normalize():f}"


class Figure(BaseModel):
    """One figure a step uses, exactly (unrounded): yuan, percentage points (50 = 50%) or a count.

    ``role``: ``value`` an enterprise figure (or another calculation's amount) the step reads; ``threshold`` a rule's
    bound a condition tests; ``base`` the amount a rate applies to; ``rate`` and ``cap`` the rule's; ``result`` what
    the step yields (an amount, a growth rate, a ratio); ``total`` a sum the step shows.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: FigureRole
    value: Annotated[Union[int, Decimal], PlainSerializer(_exact, when_used="json")]
    unit: FigureUnit


class Step(BaseModel):
    """One named step, in the order the text reasons: validity → conditions → base → rate → cap → combination.

    ``text`` is for people; consumers read the typed fields. ``outcome`` is the step's verdict:

    - validity: ``in_force`` | ``expired`` (the measuring day is past the validity end);
    - conditions: ``met`` | ``not_met`` | ``unknown`` (a fact is missing; ``fact`` names it);
    - base / rate: ``computed`` (an amount or award follows), ``not_computable`` (the document gives no standard or
      formula), ``non_monetary`` (a measure that is not money);
    - cap: ``capped`` | ``not_capped`` (the amount against the cap), ``not_computable`` (only a cap is known);
    - combination (就高不重复): ``highest_paid`` (this calculation pays, the highest of one matter or of several
      tiers), ``superseded`` (another calculation of the same matter pays instead), ``summed`` (different matters
      added up);
    - ``None`` only for a step without a verdict (a rate that applies but cannot be computed, e.g. 三.2's 上浮10%).

    ``fact`` names the fact a condition step tests (None when it tests none, e.g. a reward given to regions).
    ``figures`` are the exact figures the step uses; ``quote`` is the verbatim phrase of the rule data the step
    quotes (its ``phrase``, a substring of clause ``clause_id``), None when the text quotes no rule phrase.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StepName
    text: str = Field(description="中文说明，含算式；金额均经 numbers.format_yuan 格式化")
    clause_id: str
    outcome: Optional[Outcome] = None
    fact: Optional[str] = Field(default=None, description="条件步骤所检验的事实名")
    figures: list[Figure] = Field(default_factory=list)
    quote: Optional[str] = Field(default=None, description="本步骤所依据的条款原文短语（逐字）")

    @property
    def brief(self) -> str:
        """The text without the rule phrase it quotes in （“…”）: for answers that quote the rule once, elsewhere."""
        return self.text.replace(f"（“{self.quote}”）", "") if self.quote else self.text

    @property
    def tested(self) -> str:
        """What a condition step tested, in the calculator's words but without its verdict word; other steps' text."""
        return self.text.rpartition(VERDICT_SEP)[0] if self.name == "conditions" else self.text


class Missing(BaseModel):
    """A fact the calculation still needs, with the Chinese question to ask."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    label: str
    question: str


class Calculation(BaseModel):
    """The outcome for one item of one policy.

    ``eligible`` is ``None`` while a qualification or a quantity is unknown (``missing`` says which); ``amount_yuan``
    is set when ``eligible`` is ``True`` and the document gives a rate or a fixed award — or, with ``eligible`` still
    ``None``, it is the conditional figure the item gives if the conditions in ``missing`` hold
    (``engine.conditional``; never part of an award).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy_id: str
    item: Optional[str] = Field(default=None, description="政策内的具体奖补项目（一条政策含多项时）")
    eligible: Optional[bool]
    amount_yuan: Optional[int] = Field(description="测算金额（元，整数）")
    cap_yuan: Optional[int] = Field(default=None, description="适用的上限（元）")
    steps: list[Step] = Field(default_factory=list)
    missing: list[Missing] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Combined(BaseModel):
    """Several calculations combined under 就高不重复: the award, the overall eligibility, annotated calculations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    award_yuan: Optional[int] = Field(description="就高不重复后的合计金额；无可测算金额时为 None")
    eligible: Optional[bool]
    calculations: list[Calculation]
    notes: list[str] = Field(default_factory=list)


class Match(BaseModel):
    """One policy a profile may qualify for (政策匹配)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy_id: str
    title: str
    eligible: Optional[bool]
    amount_yuan: Optional[int]
    cap_yuan: Optional[int] = None
    missing: list[Missing] = Field(default_factory=list)
    next_step: Optional[str] = Field(default=None, description="下一步建议，如“营收再增加X可达下一档”")
    calculations: list[Calculation] = Field(default_factory=list)
