"""Error responses: a status and a plain-text message in Traditional Chinese with English beside it.

Every refusal the service makes goes through `ServiceError`, so clients always get a
4xx/5xx with a message naming the problem, never a stack trace.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response


class ServiceError(Exception):
    """A request the service answers with an error status and a message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def problem_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


_HTTP_MESSAGES = {
    404: "找不到 · not found",
    405: "不允許此方法 · method not allowed",
    413: "請求內容過大 · request body too large",
}


async def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    return problem_response(error.status, error.message, error.headers)


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = _HTTP_MESSAGES.get(error.status_code, str(error.detail))
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        message = f"{message}: {request.method} {request.url.path}" + (
            f"; allowed · 允許: {allowed}" if allowed else ""
        )
    elif error.status_code == 404:
        message = f"{message}: {request.url.path}"
    return problem_response(error.status_code, message, dict(error.headers or {}))


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return problem_response(400, f"請求參數無效 · invalid request parameters: {error.errors()}")


def install(app: FastAPI) -> None:
    """Answer every error the app raises in the service's plain-text form."""
    app.add_exception_handler(ServiceError, _problem)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
