"""A worker's outcome as an HTTP answer: the body in its media type, or the right error status."""

from __future__ import annotations

import asyncio

from starlette.responses import Response

from kg.settings import Settings
from kg.store import query as jobs
from service.negotiation import HTML, offered
from service.problems import ServiceError
from service.results_page import render

TRUNCATED = "X-KG-Truncated"  # the row cap the result was cut at


def check(outcome: jobs.Outcome, settings: Settings) -> None:
    """Raise the `ServiceError` an unsuccessful outcome stands for."""
    status = outcome.status
    if status == jobs.OK:
        return
    message = outcome.message
    if status == jobs.SYNTAX:
        raise ServiceError(400, f"語法錯誤 · syntax error: {message}")
    if status == jobs.INVALID:
        raise ServiceError(400, message)
    if status == jobs.REFUSED:
        raise ServiceError(403, f"拒絕執行 · refused: {message}")
    if status == jobs.NOT_FOUND:
        raise ServiceError(404, message)
    if status == jobs.NOT_ACCEPTABLE:
        raise ServiceError(
            406,
            f"無法以要求的格式回應 · no acceptable media type for this {outcome.kind} result; "
            f"available · 可用: {offered(outcome.kind)}",
        )
    if status == jobs.UNSUPPORTED:
        raise ServiceError(415, message)
    if status == jobs.TIMEOUT:
        seconds = f"{settings.query_timeout:g}"
        raise ServiceError(503, f"查詢逾時，已中止 · query timed out after {seconds} s and was stopped")
    if status == jobs.BUSY:
        raise ServiceError(
            503, "服務忙碌，請稍後再試 · all query workers are busy; try again later", {"Retry-After": "1"}
        )
    if status == jobs.CRASHED:
        raise ServiceError(503, "查詢程序意外結束（可能記憶體不足）· the query worker stopped (out of memory?)")
    if status == jobs.FAILED and outcome.service:
        raise ServiceError(502, f"SERVICE 呼叫失敗 · the SERVICE call failed: {message}")
    raise ServiceError(503, f"資料庫無法完成請求 · the store could not complete the request: {message}")


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8"


async def answer(
    outcome: jobs.Outcome, settings: Settings, chosen: dict[str, str | None], extra: dict[str, str] | None = None
) -> Response:
    """The successful outcome of a read, in the media type chosen for its kind (HTML rendered here)."""
    check(outcome, settings)
    headers = {"Vary": "Accept", **(extra or {})}
    if outcome.truncated:
        headers[TRUNCATED] = str(settings.max_results)
    if chosen.get(outcome.kind) == HTML:
        page = await asyncio.to_thread(render, outcome.kind, outcome.body, outcome.truncated)
        return Response(page, media_type=content_type(HTML), headers=headers)
    return Response(outcome.body, media_type=content_type(outcome.media), headers=headers)
