"""Conversation state: the topic and the facts a conversation has established, per conversation id.

A state serialises to versioned JSON (``to_json`` / ``from_json``) so that a store outside the process (SQLite,
Redis: ``dialogue.store``) can keep it across restarts and workers. Fact values keep their exact types: ``Decimal``
(never a float), ``date``, lists, and the extraction's evidence records.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

#: Conversations kept in memory; the oldest is forgotten first (a web server must not grow without bound).
MAX_CONVERSATIONS = 5000
#: Version of the JSON form; a stored state of another version is treated as an ended conversation.
#: Version 2 keeps no words of the conversation (``named`` replaced ``context``): only facts and what they name.
STATE_VERSION = 2
#: Answers remembered per conversation for feedback (answer id → what was answered); older ones drop off.
MAX_REMEMBERED_ANSWERS = 20


class StateFormatError(ValueError):
    """Stored state that cannot be read back (another version, or damaged)."""


def new_conversation_id() -> str:
    """A random conversation id (no user data in it; 32 hex characters)."""
    return uuid.uuid4().hex


@dataclass
class ConversationState:
    """What one conversation has established so far."""

    conversation_id: str
    topic_policies: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    last_intent: str | None = None
    pending_missing: list[str] = field(default_factory=list)
    last_clause_ids: list[str] = field(default_factory=list)
    #: Facts the conversation's earlier words have named (not their values): a reply like "省级的" fills the one named.
    #: Names, not the words themselves, so that a stored state holds no question text.
    named: list[str] = field(default_factory=list)
    #: Recognitions the last correction replaced ("说错了，是…"), restored by "不对，两个都有".
    replaced: dict[str, Any] = field(default_factory=dict)
    #: Whether a calculation answer has shown the caveats that never change (征求意见稿, validity): once is enough.
    footnoted: bool = False
    #: Answered turns so far; with the conversation id it names each answer (``answer_id``).
    turns: int = 0
    #: answer id → {"intent", "clause_ids", "award_yuan"} for the latest answers, so feedback names its answer.
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def start_topic(self, policies: list[str], keep: tuple[str, ...] = ()) -> None:
        """A new topic starts clean: figures from another topic do not leak into it; facts about the enterprise
        itself (``keep``: its industry, 规上, 高新 …) still hold."""
        self.topic_policies = list(policies)
        self.facts = {k: v for k, v in self.facts.items() if k in keep}
        self.evidence = {k: v for k, v in self.evidence.items() if k in keep}
        self.pending_missing = []

    def remember(self, values: dict[str, Any], evidence: dict[str, Any], keep: tuple[str, ...]) -> None:
        """Facts about the enterprise stated in any turn (even a lookup) are kept for later calculations."""
        for name in keep:
            if name in values:
                self.facts[name] = values[name]
                if name in evidence:
                    self.evidence[name] = evidence[name]

    def record_answer(self, intent: str, clause_ids: list[str], award_yuan: int | None) -> str:
        """Count one answered turn and return its id (``<conversation id>.<turn>``, never reused)."""
        self.turns += 1
        answer_id = f"{self.conversation_id}.{self.turns}"
        self.answers[answer_id] = {"intent": intent, "clause_ids": list(clause_ids), "award_yuan": award_yuan}
        while len(self.answers) > MAX_REMEMBERED_ANSWERS:
            self.answers.pop(next(iter(self.answers)))
        return answer_id

    def name_facts(self, names: list[str] | set[str]) -> None:
        """Add facts the latest words named (kept in first-named order)."""
        self.named.extend(sorted(set(names) - set(self.named)))

    # -- versioned JSON -------------------------------------------------------------------------------------------
    def to_json(self, words: bool = True) -> str:
        """The state as versioned JSON; ``from_json`` gives back equal values of the same types.

        ``words=False`` leaves out the user's own words (the verbatim quote behind each fact), for a store on disk
        when the operator has not allowed keeping question text (``JXAI_STORE_QUESTIONS``): facts keep their values.
        """
        data = {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "lock"}
        if not words:
            # Which facts came from the user's words stays known (the "已知信息" list); the words do not.
            data["evidence"] = _encode({name: dataclasses.replace(ev, quote="", spans=())
                                        for name, ev in self.evidence.items()})
        return json.dumps({"v": STATE_VERSION, "state": data}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> "ConversationState":
        """Read ``to_json`` output; raises :class:`StateFormatError` for another version or damaged data."""
        try:
            outer = json.loads(text)
            if not isinstance(outer, dict) or outer.get("v") != STATE_VERSION:
                raise StateFormatError(f"unsupported conversation state version: {outer.get('v')!r}")
            names = {f.name for f in dataclasses.fields(cls)} - {"lock"}
            values = {k: _decode(v) for k, v in outer["state"].items() if k in names}
            return cls(**values)
        except StateFormatError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
            raise StateFormatError(f"damaged conversation state: {type(exc).__name__}") from None


# Tagged values: JSON has no Decimal, date, tuple or record; a dict is always tagged so no user key can pose as a tag.
def _record_types() -> dict[str, type]:
    # Imported when first needed: extraction is a sibling module and must not be loaded just to build a state.
    from .extraction import Evidence

    return {"Evidence": Evidence}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": {str(k): _encode(v) for k, v in value.items()}}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _record_types():
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$record": type(value).__name__, "fields": fields}
    # A float here would be a bug upstream (money is never a float); refuse rather than store it inexactly.
    raise TypeError(f"cannot store a {type(value).__name__} in a conversation state")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$dec" in value:
        return Decimal(value["$dec"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {k: _decode(v) for k, v in value["$dict"].items()}
    if "$record" in value:
        kind = _record_types()[value["$record"]]
        return kind(**{k: _decode(v) for k, v in value["fields"].items()})
    raise ValueError("untagged object in conversation state")


class ConversationStore:
    """A bounded, thread-safe in-process map of conversation id → state (the CLI's, evals' and tests' store).

    Any id opens a conversation (callers choose their own ids: eval case names, ``jxai ask --jsonl`` lines);
    the least recently used are forgotten first. Servers use a persistent store (``dialogue.store``) instead.
    """

    #: An unknown id starts a conversation under that id (persistent stores answer "ended" instead).
    creates_unknown = True

    def __init__(self, capacity: int = MAX_CONVERSATIONS) -> None:
        self._capacity = capacity
        self._states: OrderedDict[str, ConversationState] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, conversation_id: str | None) -> ConversationState | None:
        """Return the state for an id (created on first use); ``None`` gives a new conversation with a fresh id."""
        with self._lock:
            # No id: a new conversation. Its id is returned with the answer, so a client may continue it.
            if conversation_id is None:
                conversation_id = new_conversation_id()
            state = self._states.get(conversation_id)
            if state is None:
                state = ConversationState(conversation_id)
                self._states[conversation_id] = state
                while len(self._states) > self._capacity:
                    self._states.popitem(last=False)
            else:
                self._states.move_to_end(conversation_id)
            return state

    get = open  # the name earlier callers use

    def save(self, state: ConversationState) -> None:
        """Nothing to do: the state object itself is what this store keeps."""

    def reset(self, conversation_id: str) -> None:
        """Forget one conversation."""
        with self._lock:
            self._states.pop(conversation_id, None)

    def __len__(self) -> int:
        return len(self._states)
