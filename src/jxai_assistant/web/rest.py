"""The REST API (``/v1/…``, FastAPI): ask, search, calc, clauses, feedback, health — the same ``service`` functions the
page uses. Every error is JSON ``{"code": "…", "message": "中文说明"}`` with a 4xx/5xx status; never a traceback or a
library's own error text.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from . import limits, service

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as ``{"code", "message"}`` with ``status`` (and extra headers)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The API's one error shape."""
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def service_error(exc: service.ServiceError) -> ApiError:
    """Map a service error to its HTTP status and stable code."""
    if isinstance(exc, service.NotFound):
        return ApiError(404, "not_found", exc.message)
    if isinstance(exc, service.StoreUnavailable):
        return ApiError(503, "store_unavailable", exc.message)
    return ApiError(400, "bad_request", exc.message)


# --- who may call ------------------------------------------------------------------------------------------------


def guard(request: Request) -> None:
    """Every API call: a valid API key when keys are configured, and the shared rate limit."""
    peer = request.client.host if request.client else None
    if (refused := limits.current().refusal(peer, request.headers)) is not None:
        raise ApiError(refused.status, refused.code, refused.message, refused.headers)


# --- request bodies (documented at /docs) ------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskBody(_Body):
    question: str = Field(description="问题，如：算力券单个企业最多补贴多少？", max_length=service.MAX_INPUT_CHARS * 2)
    conversation_id: str | None = Field(default=None, description="追问时传回上次返回的 conversation_id", max_length=100)


class SearchBody(_Body):
    query: str = Field(description="关键词、条款编号（三.7）或单位（市经信局）", max_length=service.MAX_INPUT_CHARS * 2)
    k: int = Field(default=8, description="返回条数（1–32）")


class FeedbackBody(_Body):
    answer_id: str = Field(description="回答中返回的 answer_id", max_length=100)
    rating: str = Field(description="up 或 down")
    reason: str | None = Field(default=None, description="down 的原因：wrong_clause / wrong_amount / no_answer")


CALC_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description": "企业情况：事实名 → 取值（字段见 jxai facts；金额单位为元，可写 \"120万\"；"
                                     "小数请写成字符串，如 \"12.5\"）",
    "example": {"compute_spend_yuan": "120万", "jiaxing_model": False}}}}}}

router = APIRouter(prefix="/v1", tags=["政策助手"])


def _call(fn, *args: Any) -> Any:
    try:
        return fn(*args)
    except service.ServiceError as exc:
        raise service_error(exc) from None


@router.post("/ask", dependencies=[Depends(guard)], summary="政策问答（DESIGN 响应约定 + conversation_id）")
def ask(body: AskBody) -> JSONResponse:
    """回答一个问题；追问时传回上次的 conversation_id。会话已结束（过期或不存在）时回答会说明，notes 含 conversation_ended。"""
    return JSONResponse(_call(service.ask, body.question, body.conversation_id, "rest"))


@router.post("/search", dependencies=[Depends(guard)], summary="条款查询")
def search(body: SearchBody) -> JSONResponse:
    """按条款编号、责任单位或关键词检索条款。"""
    return JSONResponse({"results": _call(service.search, body.query, body.k)})


@router.post("/calc", dependencies=[Depends(guard)], summary="补贴测算", openapi_extra=CALC_BODY)
async def calc(request: Request) -> JSONResponse:
    """测算企业可能符合的全部政策（就高不重复后的合计 award_yuan）。金额从不经过浮点数：JSON 小数会被拒绝。"""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "请求体应为 UTF-8 编码的 JSON。") from None
    return JSONResponse(_call(service.calc, text))


@router.get("/clauses/{clause_id}", dependencies=[Depends(guard)], summary="条款原文")
def clause(clause_id: str) -> JSONResponse:
    """按编号或说法（三.7、支持政策第七条、第二部分第十条）取条款原文、路径、责任单位。"""
    return JSONResponse(_call(service.clause, clause_id))


@router.post("/feedback", dependencies=[Depends(guard)], summary="对某条回答的 👍/👎 反馈")
def feedback(body: FeedbackBody, request: Request) -> JSONResponse:
    """反馈只记在 answer_id 所指的那条回答上；找不到该回答时返回 404，写入失败时返回 503。"""
    store = request.app.state.feedback_store
    return JSONResponse(_call(service.feedback, store, body.answer_id, body.rating, body.reason))


@router.get("/healthz", summary="存活检查")
def healthz() -> dict:
    """进程存活即返回 ok。"""
    return {"status": "ok"}


@router.get("/readyz", summary="就绪检查（条款、规则、检索索引已加载）")
def readyz() -> JSONResponse:
    """条款、规则与检索索引均已加载、会话存储可用时返回 ready，否则 503。"""
    from ..assistant import get_assistant

    assistant = get_assistant()
    if not assistant.retriever_loaded:
        raise ApiError(503, "not_ready", "检索索引正在加载，请稍后再试。")
    try:
        assistant.conversations.open("readyz-probe")
    except Exception:
        raise ApiError(503, "store_unavailable", service.STORE_DOWN_MESSAGE) from None
    return JSONResponse({"status": "ready", "clauses": len(assistant.doc.clauses)})


#: Included last (after every other /v1 router), so it only catches what nothing else matched.
fallback = APIRouter(prefix="/v1")


@fallback.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
def unknown(rest: str, request: Request) -> None:
    """Anything else under /v1 is a 404 (or 405 for a known path with another method) in the API's shape."""
    for route in request.app.router.routes:
        if getattr(route, "endpoint", None) is not unknown and route.matches(request.scope)[0] is Match.PARTIAL:
            raise ApiError(405, "method_not_allowed", f"接口 /v1/{rest[:100]} 不支持 {request.method} 方法。")
    raise ApiError(404, "not_found", f"没有这个接口：/v1/{rest[:100]}。接口列表见 /docs。")


# --- error handlers -------------------------------------------------------------------------------------------------


def _field_message(errors: list[dict]) -> str:
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return "请求体不是有效的 JSON。"
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body",)) or "请求体"
    kind = first.get("type", "")
    if kind == "missing":
        return f"缺少字段 {where}。"
    if kind == "extra_forbidden":
        return f"不认识的字段 {where}。"
    if kind.startswith("string_too_long"):
        return f"字段 {where} 过长。"
    if kind.startswith(("string", "int", "bool", "model", "dict", "list")):
        return f"字段 {where} 的类型不对（请查看 /docs 中的说明）。"
    return f"字段 {where} 的值无效。"


STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def install(app: FastAPI, feedback_store: Any, extra: tuple[APIRouter, ...] = ()) -> None:
    """Add the API's error handlers, its routes, ``extra`` routers (chat completions) and the /v1 fallback."""
    app.state.feedback_store = feedback_store
    app.include_router(router)
    for more in extra:
        app.include_router(more)
    app.include_router(fallback)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _field_message(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, "请求无法处理（请检查地址和方法，接口列表见 /docs）。")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("API %s failed", request.url.path)
        return error_response(500, "internal_error", service.BUSY_MESSAGE)
