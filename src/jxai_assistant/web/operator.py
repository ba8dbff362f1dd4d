"""The operator page (``/operator``) and its API (``/v1/operator/…``): what users ask, what was not answered, 👎,
demand by clause over time, latency, CSV export, and draft examples for review.

Only a login with the operator role reaches them (``user:password:operator`` in ``JXAI_AUTH`` / ``JXAI_AUTH_FILE``):
the session is the one Gradio's login page opened (its cookie), looked up in the mounted Gradio app. No login, an
ordinary (enterprise) login, or a server without logins gets 401 / 403 — the page never shows anything else.
"""

from __future__ import annotations

import html
import logging
import math
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ..insights import drafts
from ..insights.charts import charts
from ..insights.html import Controls, render_html
from ..insights.log import to_csv
from ..insights.report import Figures, compute, parse_since
from . import limits, service
from .rest import ApiError

log = logging.getLogger(__name__)

DEFAULT_SINCE = "30d"
LOGIN_REQUIRED = "请先以运营人员身份登录（在首页登录后再打开 /operator）。"
FORBIDDEN = "此页面仅限运营人员（operator 角色）访问。"


class NotOperator(Exception):
    """The caller is not an operator: ``status`` 401 (no session) or 403 (another role)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def session_user(request: Request) -> str | None:
    """The user of the Gradio login session this request carries (None without one)."""
    gradio_app = getattr(request.app.state, "gradio_app", None)
    if gradio_app is None:
        return None
    cookie_id = gradio_app.cookie_id
    token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{cookie_id}")
    return gradio_app.tokens.get(token) if token else None


def operator_user(request: Request) -> str:
    """The operator making this request; raises :class:`NotOperator` otherwise. Also counts the shared rate limit."""
    peer = request.client.host if request.client else None
    if (limited := limits.current().check(peer, request.headers)) is not None:
        message, wait = limited
        raise ApiError(429, "rate_limited", message, {"Retry-After": str(max(1, math.ceil(wait)))})
    user = session_user(request)
    if user is None:
        raise NotOperator(401)
    if user not in getattr(request.app.state, "operators", frozenset()):
        raise NotOperator(403)
    return user


def _api_operator(request: Request) -> str:
    try:
        return operator_user(request)
    except NotOperator as exc:
        if exc.status == 401:
            raise ApiError(401, "login_required", LOGIN_REQUIRED) from None
        raise ApiError(403, "forbidden", FORBIDDEN) from None


def _figures(since: str) -> tuple[Figures, list]:
    try:
        start = parse_since(since)
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from None
    entries = service.usage_log().entries(start)
    return compute(entries, start), entries


router = APIRouter(tags=["运营"])


@router.get("/operator", include_in_schema=False)
def page(request: Request, since: str = Query(DEFAULT_SINCE, max_length=20)) -> HTMLResponse:
    """The operator page: a self-contained HTML report with the period, CSV export and draft actions."""
    try:
        operator_user(request)
    except NotOperator as exc:
        message = LOGIN_REQUIRED if exc.status == 401 else FORBIDDEN
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>运营页面</title><p id='denied'>"
                            f"{html.escape(message)}</p><p><a href='/'>返回首页登录</a></p>", status_code=exc.status)
    try:
        figures, _ = _figures(since)
    except ApiError as exc:
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><p>{html.escape(exc.message)}</p>"
                            "<p><a href='/operator'>返回</a></p>", status_code=exc.status)
    labels = {kind: drafts.labels(kind) for kind in drafts.KINDS}
    return HTMLResponse(render_html(figures, charts(figures), Controls(since=since, labels=labels)),
                        headers={"Cache-Control": "no-store"})


@router.get("/v1/operator/summary", summary="运营统计（仅限运营人员）")
def summary(since: str = Query(DEFAULT_SINCE, max_length=20), user: str = Depends(_api_operator)) -> JSONResponse:
    """未答好的问题分组、👎 及原因、按条款与政策的需求、耗时中位数与 p95。"""
    figures, _ = _figures(since)
    return JSONResponse({
        "since": figures.since.isoformat(), "until": figures.until.isoformat(), "total": figures.total,
        "unanswered": figures.unanswered, "by_confidence": dict(figures.by_confidence),
        "ratings": dict(figures.ratings), "down_reasons": dict(figures.down_reasons),
        "latency_ms": {"p50": figures.latency_p50, "p95": figures.latency_p95},
        "groups": [{"key": g.key, "label": g.label, "count": g.count, "confidences": dict(g.confidences),
                    "examples": g.examples} for g in figures.groups],
        "clause_demand": dict(figures.clause_demand.most_common()),
        "policy_demand": dict(figures.policy_demand.most_common()),
        "daily_demand": {day.isoformat(): dict(c) for day, c in figures.daily_demand.items()},
        "questions_stored": figures.questions_stored,
    }, headers={"Cache-Control": "no-store"})


@router.get("/v1/operator/export.csv", summary="导出日志 CSV（仅限运营人员）")
def export_csv(since: str = Query(DEFAULT_SINCE, max_length=20), user: str = Depends(_api_operator)) -> Response:
    """该时间范围内每条回答一行（问题原文仅在开启保存且已脱敏时才有）。"""
    _, entries = _figures(since)
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return Response("\ufeff" + to_csv(entries), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="jxai-usage.csv"',
                             "Cache-Control": "no-store"})


class DraftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str = Field(max_length=200, description="问题分组的 key")
    kind: str = Field(description="intents 或 topics")
    label: str = Field(max_length=100, description="act 或 topic 标签，如 out_of_scope、none")
    since: str = Field(default=DEFAULT_SINCE, max_length=20)


@router.post("/v1/operator/drafts", summary="把一组问题写成待审示例（仅限运营人员）")
def write_draft(body: DraftBody, user: str = Depends(_api_operator)) -> JSONResponse:
    """写入数据目录下 review/nlu/<kind>.yaml，供审核后提交到 corpus/nlu/；不改变线上助手。"""
    figures, _ = _figures(body.since)
    group = next((g for g in figures.groups if g.key == body.group), None)
    if group is None or not group.examples:
        raise ApiError(404, "not_found", "找不到这组问题（时间范围变了，或问题原文未保存）。")
    try:
        path, added = drafts.add_examples(body.kind, body.label, group.examples)
    except drafts.DraftError as exc:
        raise ApiError(400, "bad_request", exc.message) from None
    log.info("operator %s drafted %d examples for %s/%s", user, len(added), body.kind, body.label)
    return JSONResponse({"file": str(path), "added": added,
                         "message": f"已写入 {len(added)} 条待审示例到 {path.name}（{body.kind}/{body.label}），"
                                    "审核后合并到 corpus/nlu/ 并提交才会生效。"})


def install(api: Any, operators: set[str]) -> None:
    """Remember who the operators are; the router itself is included by ``rest.install`` (before its fallback)."""
    api.state.operators = frozenset(operators)


def attach_gradio(api: Any) -> None:
    """Find the Gradio app mounted on ``api`` (its login sessions identify the operator)."""
    from starlette.routing import Mount

    for route in api.routes:
        if isinstance(route, Mount) and hasattr(route.app, "tokens"):
            api.state.gradio_app = route.app
