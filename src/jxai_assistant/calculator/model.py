"""Result models of the calculator; ``Calculation`` serialises to the DESIGN.md contract."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

StepName = Literal["validity", "conditions", "base", "rate", "cap", "combination"]


class Step(BaseModel):
    """One named step, in the order the text reasons: validity → conditions → base → rate → cap → combination."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StepName
    text: str = Field(description="中文说明，含算式；金额均经 numbers.format_yuan 格式化")
    clause_id: str


class Missing(BaseModel):
    """A fact the calculation still needs, with the Chinese question to ask."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    label: str
    question: str


class Calculation(BaseModel):
    """The outcome for one item of one policy.

    ``eligible`` is ``None`` while a qualification or a quantity is unknown (``missing`` says which); ``amount_yuan``
    is set only when ``eligible`` is ``True`` and the document gives a rate or a fixed award.
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
