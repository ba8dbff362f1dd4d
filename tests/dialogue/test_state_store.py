"""Conversation state survives a trip through JSON, and through the SQLite and Redis stores, exactly."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from datetime import date
from decimal import Decimal

import pytest

from jxai_assistant.assistant import CONVERSATION_ENDED_NOTE, Assistant
from jxai_assistant.dialogue.extraction import Evidence
from jxai_assistant.dialogue.state import ConversationState, StateFormatError
from jxai_assistant.dialogue.store import RedisConversationStore, SQLiteConversationStore


def a_state() -> ConversationState:
    state = ConversationState("c0ffee")
    state.topic_policies = ["三.7", "三.4"]
    state.facts = {"compute_spend_yuan": Decimal("1200000"), "rd_growth_pct": Decimal("12.50"),
                   "as_of": date(2027, 12, 31), "product_honors": ["zhejiang_made_boutique"], "above_scale": True,
                   "industry": "manufacturing", "jiaxing_model": None}
    state.evidence = {"compute_spend_yuan": Evidence("智算支出120万元", ((2, 9),))}
    state.last_intent = "clarify"
    state.pending_missing = ["jiaxing_model"]
    state.named = ["compute_spend_yuan"]
    state.record_answer("clarify", ["三.7"], None)
    return state


def test_a_state_round_trips_through_json_with_exact_types():
    state = a_state()
    back = ConversationState.from_json(state.to_json())
    assert back == state
    assert type(back.facts["compute_spend_yuan"]) is Decimal and str(back.facts["rd_growth_pct"]) == "12.50"
    assert type(back.facts["as_of"]) is date
    assert back.evidence["compute_spend_yuan"].spans == ((2, 9),)  # tuples stay tuples
    assert back.answers == {"c0ffee.1": {"intent": "clarify", "clause_ids": ["三.7"], "award_yuan": None}}


def test_the_json_is_versioned_and_another_version_is_refused():
    data = json.loads(a_state().to_json())
    assert data["v"] == 2
    data["v"] = 99
    with pytest.raises(StateFormatError):
        ConversationState.from_json(json.dumps(data))
    with pytest.raises(StateFormatError):
        ConversationState.from_json("{not json")


def test_without_words_a_state_keeps_its_facts_but_not_the_users_quotes():
    state = a_state()
    text = state.to_json(words=False)
    assert "智算支出" not in text
    back = ConversationState.from_json(text)
    assert back.facts == state.facts and back.named == state.named
    assert back.evidence["compute_spend_yuan"].quote == ""  # which facts came from words stays known


def test_a_float_fact_is_refused_rather_than_stored_inexactly():
    state = ConversationState("f")
    state.facts["compute_spend_yuan"] = 1.5
    with pytest.raises(TypeError):
        state.to_json()


def test_a_user_key_that_looks_like_a_tag_stays_a_key():
    state = ConversationState("t")
    state.evidence = {"$dec": "not a number"}
    assert ConversationState.from_json(state.to_json()).evidence == {"$dec": "not a number"}


def test_answer_ids_are_numbered_per_conversation_and_only_recent_ones_are_kept():
    state = ConversationState("abc")
    ids = [state.record_answer("lookup", [], None) for _ in range(25)]
    assert ids[0] == "abc.1" and ids[-1] == "abc.25"
    assert list(state.answers)[0] == "abc.6"  # the 20 latest


# --- stores ----------------------------------------------------------------------------------------------------------


def test_sqlite_keeps_a_conversation_across_store_instances(tmp_path):
    path = tmp_path / "conversations.sqlite3"
    first = SQLiteConversationStore(path)
    state = first.open(None)
    state.facts["compute_spend_yuan"] = Decimal("3000000")
    first.save(state)
    again = SQLiteConversationStore(path).open(state.conversation_id)  # as after a restart
    assert again == state


def test_a_stored_conversation_keeps_the_users_words_only_when_allowed(tmp_path):
    for keep_words in (False, True):
        path = tmp_path / f"words-{keep_words}.sqlite3"
        assistant = Assistant(conversations=SQLiteConversationStore(path, keep_words=keep_words))
        first = assistant.ask("我们智算支出一百二十万元，能拿多少？")
        follow = assistant.ask("我们没有开发大模型", first.conversation_id)
        assert follow.award_yuan == 600000  # the follow-up works either way
        stored = b"".join(p.read_bytes() for p in tmp_path.glob(f"words-{keep_words}.sqlite3*"))
        assert ("一百二十万".encode() in stored) is keep_words
        assert ("没有开发大模型".encode() in stored) is keep_words


def test_sqlite_forgets_expired_conversations_and_unknown_ids_open_nothing(tmp_path):
    store = SQLiteConversationStore(tmp_path / "c.sqlite3", ttl=0.2)
    state = store.open(None)
    store.save(state)
    assert store.open(state.conversation_id) is not None
    time.sleep(0.3)
    assert store.open(state.conversation_id) is None
    assert store.open("never-issued") is None
    assert store.open("x" * 1000) is None


def test_sqlite_is_bounded_by_its_capacity(tmp_path):
    store = SQLiteConversationStore(tmp_path / "c.sqlite3", capacity=3)
    states = [store.open(None) for _ in range(5)]
    for state in states:
        store.save(state)
    store.prune()
    assert len(store) == 3
    assert store.open(states[0].conversation_id) is None and store.open(states[-1].conversation_id) is not None


def test_an_assistant_on_a_persistent_store_says_an_unknown_conversation_has_ended(tmp_path):
    assistant = Assistant(conversations=SQLiteConversationStore(tmp_path / "c.sqlite3"))
    response = assistant.ask("我们没有开发大模型", "made-up-id")
    assert "对话已结束" in response.answer
    assert response.conversation_id is None and CONVERSATION_ENDED_NOTE in response.notes


def test_a_follow_up_continues_in_a_new_assistant_on_the_same_store(tmp_path):
    path = tmp_path / "c.sqlite3"
    first = Assistant(conversations=SQLiteConversationStore(path)).ask("我们智算支出120万元，能拿多少？")
    restarted = Assistant(conversations=SQLiteConversationStore(path))
    follow = restarted.ask("我们没有开发大模型", first.conversation_id)
    assert follow.award_yuan == 600000
    assert follow.answer_id == f"{first.conversation_id}.2"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real redis-server (Debian's) on a free loopback port, stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 20
        while True:
            try:
                RedisConversationStore(url).ping()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_keeps_a_conversation_across_store_instances_with_a_time_to_live(redis_url):
    first = RedisConversationStore(redis_url, ttl=60, keep_words=True)
    state = a_state()
    first.save(state)
    assert RedisConversationStore(redis_url).open("c0ffee") == state
    RedisConversationStore(redis_url, ttl=60).save(state)  # private by default: the facts stay, the words go
    assert RedisConversationStore(redis_url).open("c0ffee").evidence["compute_spend_yuan"].quote == ""
    assert first._redis.ttl(first.PREFIX + "c0ffee") <= 60
    first.reset("c0ffee")
    assert first.open("c0ffee") is None


def test_redis_expires_conversations(redis_url):
    store = RedisConversationStore(redis_url, ttl=1)
    state = store.open(None)
    store.save(state)
    time.sleep(1.5)
    assert store.open(state.conversation_id) is None
