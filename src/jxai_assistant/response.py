"""The response contract of DESIGN.md: one JSON object per answered turn (Python API, ``jxai ask --json``, web ``/ask``).

Extra keys beyond the contract are additive only (``conversation_id``, ``answer_id``, ``missing``, ``notes``, ``warnings``), so
outside tools that read the fixed keys keep working.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Intent = Literal["lookup", "calculate", "clarify", "out_of_scope"]


class Citation(BaseModel):
    """A cited clause and the verbatim sentence(s) quoted from it."""

    model_config = ConfigDict(extra="forbid")

    clause_id: str
    title: str
    quote: str = Field(description="条款原文中的逐字片段")


class Step(BaseModel):
    """One named step of a calculation, with the clause it rests on."""

    model_config = ConfigDict(extra="allow")

    text: str
    clause_id: str


class MissingFact(BaseModel):
    """A fact the calculator still needs, with the question to ask for it."""

    model_config = ConfigDict(extra="allow")

    fact: str
    label: str = ""
    question: str = ""


class CalculationOut(BaseModel):
    """A calculation as the contract shows it (the calculator's own model serialises to this shape)."""

    model_config = ConfigDict(extra="allow")

    policy_id: str
    eligible: bool | None
    amount_yuan: int | None
    cap_yuan: int | None = None
    steps: list[Step] = Field(default_factory=list)
    missing: list[MissingFact] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Response(BaseModel):
    """One answered turn (DESIGN.md "Response contract")."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(description="Markdown 中文回答，以〔三.7〕形式引用条款")
    intent: Intent
    citations: list[Citation] = Field(default_factory=list)
    calculations: list[CalculationOut] = Field(default_factory=list)
    award_yuan: int | None = None
    eligible: bool | None = None
    out_of_scope: bool = False
    # Additive extensions.
    conversation_id: str | None = None
    #: Names this answer (``<conversation_id>.<turn>``): feedback refers to it, so it cannot land on another answer.
    answer_id: str | None = None
    missing: list[MissingFact] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_contract(self) -> dict[str, Any]:
        """Return the JSON-ready dict (``award_yuan``/``amount_yuan`` stay integers, never floats)."""
        return self.model_dump(mode="json")
