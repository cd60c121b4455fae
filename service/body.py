"""Reading what a request carries: its media type, its body within the size cap, form fields."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

from service.problems import ServiceError

Params = dict[str, list[str]]


def media_type(request: Request) -> tuple[str | None, dict[str, str]]:
    """The request's `Content-Type` as (media type, parameters), lower-cased; (None, {}) if absent."""
    value = request.headers.get("content-type")
    if not value or not value.strip():
        return None, {}
    media, *rest = value.split(";")
    params = {}
    for item in rest:
        name, _, param = item.partition("=")
        params[name.strip().lower()] = param.strip().strip('"')
    return media.strip().lower(), params


def require_utf8(params: dict[str, str]) -> None:
    """SPARQL 1.1 Protocol §2.1.2, §2.1.3: query and update strings are UTF-8."""
    charset = params.get("charset")
    if charset is not None and charset.lower() not in {"utf-8", "utf8"}:
        raise ServiceError(415, f"只接受 UTF-8 編碼 · only UTF-8 is accepted, not charset={charset}")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ServiceError(400, f"Content-Length 無效 · invalid Content-Length: {declared!r}") from None
        if size > limit:
            raise ServiceError(413, _too_large(size, limit))
    chunks = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise ServiceError(413, _too_large(received, limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    return f"請求內容過大 · request body of {size} bytes exceeds the limit of {limit} bytes"


def decode(body: bytes, zh: str, en: str) -> str:
    """`body` as UTF-8 text; a 400 naming what it was (`zh`/`en`) when it is not."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ServiceError(400, f"{zh}不是有效的 UTF-8 · the {en} is not valid UTF-8: {error}") from None


def form_fields(body: bytes) -> Params:
    """Fields of an `application/x-www-form-urlencoded` body (UTF-8, percent-decoded once)."""
    try:
        pairs = parse_qsl(decode(body, "表單", "form"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise ServiceError(400, f"表單欄位不是有效的 UTF-8 · a form field is not valid UTF-8: {error}") from None
    fields: Params = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def query_params(request: Request) -> Params:
    params: Params = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return params
