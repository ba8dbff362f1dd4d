"""``POST /v1/chat/completions``: the assistant behind an OpenAI-compatible chat endpoint.

The ``messages`` list is the conversation: its user turns are replayed, in order, through a fresh in-process
conversation and the last one is answered (so nothing is kept between calls). The reply's ``content`` is the
Markdown answer; the full DESIGN response rides along in the extra field ``jxai``. ``stream: true`` sends the same
answer as server-sent events (``chat.completion.chunk`` objects, then ``data: [DONE]``).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from . import service
from .rest import ApiError, guard

MODEL = "jxai-assistant"
#: User turns replayed per call; a longer conversation keeps its latest turns (the topic lives in recent turns).
MAX_USER_TURNS = 12
#: Characters of one streamed chunk.
CHUNK_CHARS = 80


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None


class ChatBody(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens …: accepted and ignored (answers are fixed)

    model: str = Field(default=MODEL, max_length=200)
    messages: list[Message] = Field(min_length=1, max_length=200)
    stream: bool = False


def _text(message: Message) -> str:
    if isinstance(message.content, list):  # the content-parts form: keep the text parts
        return "".join(str(p.get("text") or "") for p in message.content if p.get("type") == "text")
    return message.content or ""


_replayer = None
_replayer_lock = threading.Lock()


def _assistant():
    """An assistant sharing the server's document and index but with its own in-process conversations: a replayed
    conversation is private to one call and never touches the persistent store."""
    global _replayer
    if _replayer is None:
        with _replayer_lock:
            if _replayer is None:
                from ..assistant import Assistant, get_assistant
                from ..dialogue.state import ConversationStore

                main = get_assistant()
                _replayer = Assistant(main.doc, retriever=main.retriever, conversations=ConversationStore(64))
    return _replayer


def answer(messages: list[Message]) -> dict[str, Any]:
    """The DESIGN response to the last user turn of ``messages``, with the earlier user turns as its context."""
    turns = [_text(m) for m in messages if m.role == "user"][-MAX_USER_TURNS:]
    if not turns:
        raise ApiError(400, "bad_request", "messages 中至少要有一条 role 为 user 的消息。")
    if any(len(t) > service.MAX_INPUT_CHARS * 2 for t in turns):
        raise ApiError(400, "bad_request", service.too_long_message(max(len(t) for t in turns)))
    assistant = _assistant()
    conversation = "chat-" + uuid.uuid4().hex
    try:
        for turn in turns[:-1]:
            assistant.ask(turn, conversation)
        started = time.perf_counter()
        response = assistant.ask(turns[-1], conversation).to_contract()
    finally:
        assistant.reset(conversation)
    service.log_answer(turns[-1], response, started, "chat")  # the replayed turns were logged when first asked
    response["conversation_id"] = None  # nothing to continue: the next call sends the whole conversation again
    response["answer_id"] = None
    return response


router = APIRouter(prefix="/v1", tags=["OpenAI 兼容"])


@router.post("/chat/completions", dependencies=[Depends(guard)], summary="OpenAI 兼容的对话接口")
def chat_completions(body: ChatBody):
    """messages 即整段对话（按顺序重放其中的 user 消息，回答最后一条）；回答的完整 JSON 在扩展字段 jxai 中。"""
    response = answer(body.messages)
    completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
    created = int(time.time())
    if body.stream:
        return StreamingResponse(_events(completion_id, created, response), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    return JSONResponse({
        "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": response["answer"]},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "jxai": response,
    })


def _events(completion_id: str, created: int, response: dict[str, Any]) -> Iterator[str]:
    def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
        data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    text = response["answer"]
    for start in range(0, len(text), CHUNK_CHARS):
        yield chunk({"content": text[start:start + CHUNK_CHARS]})
    yield chunk({}, "stop", jxai=response)
    yield "data: [DONE]\n\n"
