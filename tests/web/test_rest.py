"""The REST API (/v1) and the OpenAI-compatible endpoint, over real HTTP against the app served in this session."""

from __future__ import annotations

import json
import sqlite3

import httpx
import pytest

pytestmark = pytest.mark.slow

CONTRACT_KEYS = {"answer", "intent", "citations", "calculations", "award_yuan", "eligible", "out_of_scope",
                 "conversation_id", "answer_id"}


@pytest.fixture(scope="module")
def api(running_app):
    with httpx.Client(base_url=running_app.url.rstrip("/"), timeout=60) as client:
        yield client


def is_chinese_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]) and "Traceback" not in body["message"]
    return body


def test_ask_returns_the_contract_and_a_follow_up_continues_the_conversation(api):
    first = api.post("/v1/ask", json={"question": "我们智算支出120万元，能拿多少？", "conversation_id": None}).json()
    assert CONTRACT_KEYS <= set(first)
    follow = api.post("/v1/ask", json={"question": "我们没有开发大模型", "conversation_id": first["conversation_id"]})
    assert follow.json()["award_yuan"] == 600000
    assert follow.json()["answer_id"] == first["conversation_id"] + ".2"


def test_an_unknown_conversation_id_is_told_the_conversation_has_ended(api):
    response = api.post("/v1/ask", json={"question": "那如果支出是300万呢？", "conversation_id": "0" * 32}).json()
    assert "对话已结束" in response["answer"]
    assert response["conversation_id"] is None and response["calculations"] == []


@pytest.mark.parametrize(("request_args", "status", "code"), [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "invalid_request"),
    ({"json": {"conversation_id": None}}, 422, "invalid_request"),
    ({"json": {"question": 12}}, 422, "invalid_request"),
    ({"json": {"question": "三.7", "extra": 1}}, 422, "invalid_request"),
])
def test_bad_ask_requests_get_a_chinese_json_error(api, request_args, status, code):
    is_chinese_error(api.post("/v1/ask", **request_args), status, code)


def test_search_calc_and_clauses(api):
    hits = api.post("/v1/search", json={"query": "支持政策第七条", "k": 3}).json()["results"]
    assert hits[0]["clause_id"] == "三.7"
    calc = api.post("/v1/calc", json={"compute_spend_yuan": "120万", "jiaxing_model": False}).json()
    assert calc["award_yuan"] == 600000
    clause = api.get("/v1/clauses/支持政策第七条").json()
    assert clause["clause_id"] == "三.7" and "算力券" in clause["text"]
    named = api.get("/v1/clauses/信息服务业投资补助").json()  # a well-known name; the lead unit as written
    assert named["clause_id"] == "三.2" and named["citation"].endswith("〔三.2〕牵头单位：“市发改委”（市发展改革委）")


def test_errors_of_search_calc_and_clauses_are_chinese_json(api):
    is_chinese_error(api.post("/v1/search", json={"query": "三.7", "k": 500}), 400, "bad_request")
    body = is_chinese_error(api.post("/v1/calc", content=b'{"compute_spend_yuan": 1.5}'), 400, "bad_request")
    assert "小数" in body["message"]  # money never passes through a float
    assert "没有第11条" in is_chinese_error(api.get("/v1/clauses/三.11"), 404, "not_found")["message"]
    is_chinese_error(api.get("/v1/no-such-thing"), 404, "not_found")
    is_chinese_error(api.get("/v1/ask"), 405, "method_not_allowed")


def test_health_readiness_and_docs(api):
    assert api.get("/v1/healthz").json() == {"status": "ok"}
    assert api.get("/v1/readyz").status_code in (200, 503)
    assert "/v1/ask" in api.get("/openapi.json").json()["paths"]
    assert api.get("/docs").status_code == 200


def test_uploads_are_refused(api):
    response = api.post("/gradio_api/upload", files={"files": ("a.txt", b"hello")})
    is_chinese_error(response, 403, "uploads_disabled")


def test_feedback_lands_on_the_answer_it_names_and_only_there(api, running_app):
    first = api.post("/v1/ask", json={"question": "算力券单个企业最多补贴多少？"}).json()
    api.post("/v1/ask", json={"question": "市数据局牵头哪些任务？", "conversation_id": first["conversation_id"]})
    saved = api.post("/v1/feedback", json={"answer_id": first["answer_id"], "rating": "down", "reason": "wrong_clause"})
    assert saved.status_code == 200, saved.text
    with sqlite3.connect(running_app.feedback_path) as db:
        rows = db.execute("SELECT answer_id, clause_ids FROM feedback WHERE answer_id = ?",
                          (first["answer_id"],)).fetchall()
    assert [(a, json.loads(c)) for a, c in rows] == [(first["answer_id"], ["三.7"])]  # the first answer's clause, not the second's
    is_chinese_error(api.post("/v1/feedback", json={"answer_id": "feed.1", "rating": "up"}), 404, "not_found")
    is_chinese_error(api.post("/v1/feedback", json={"answer_id": first["answer_id"], "rating": "meh"}), 400,
                     "bad_request")


def test_chat_completions_answers_the_last_user_turn_in_the_context_of_the_earlier_ones(api):
    messages = [{"role": "system", "content": "你是助手"},
                {"role": "user", "content": "我们智算支出120万元，能拿多少？"},
                {"role": "assistant", "content": "……"},
                {"role": "user", "content": "我们没有开发大模型"}]
    body = api.post("/v1/chat/completions", json={"model": "jxai-assistant", "messages": messages}).json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"]["role"] == "assistant"
    assert body["choices"][0]["message"]["content"] == body["jxai"]["answer"]
    assert body["jxai"]["award_yuan"] == 600000


def test_chat_completions_streams_server_sent_events(api):
    with api.stream("POST", "/v1/chat/completions",
                    json={"stream": True, "messages": [{"role": "user", "content": "支持政策第七条"}]}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert text == chunks[-1]["jxai"]["answer"] and "〔三.7〕" in text


def test_chat_completions_without_a_user_message_is_a_chinese_error(api):
    response = api.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]})
    is_chinese_error(response, 400, "bad_request")
