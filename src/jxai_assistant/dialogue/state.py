"""Conversation state: the topic and the facts a conversation has established, per conversation id."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

#: Conversations kept in memory; the oldest is forgotten first (a web server must not grow without bound).
MAX_CONVERSATIONS = 5000


@dataclass
class ConversationState:
    """What one conversation has established so far."""

    conversation_id: str
    topic_policies: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    last_intent: str | None = None
    pending_missing: list[str] = field(default_factory=list)
    last_clause_ids: list[str] = field(default_factory=list)
    context: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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


class ConversationStore:
    """A bounded, thread-safe map of conversation id → state."""

    def __init__(self, capacity: int = MAX_CONVERSATIONS) -> None:
        self._capacity = capacity
        self._states: OrderedDict[str, ConversationState] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str | None) -> ConversationState:
        """Return the state for an id (created on first use); ``None`` gives a fresh one-off conversation."""
        with self._lock:
            # No id: a new conversation. Its id is returned with the answer, so a client may continue it; it is
            # stored like any other and the least recently used conversations are forgotten first.
            if conversation_id is None:
                conversation_id = uuid.uuid4().hex
            state = self._states.get(conversation_id)
            if state is None:
                state = ConversationState(conversation_id)
                self._states[conversation_id] = state
                while len(self._states) > self._capacity:
                    self._states.popitem(last=False)
            else:
                self._states.move_to_end(conversation_id)
            return state

    def reset(self, conversation_id: str) -> None:
        """Forget one conversation."""
        with self._lock:
            self._states.pop(conversation_id, None)

    def __len__(self) -> int:
        return len(self._states)
