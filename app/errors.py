"""One error hierarchy, and the one mapping from exceptions to RFC 9457 problem+json responses."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

log = structlog.get_logger("engram.errors")

PROBLEM_JSON = "application/problem+json"


class EngramError(Exception):
    """Base of every error the service reports to clients."""

    status = 400
    code = "BAD_REQUEST"
    title = "Bad request"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra
        self.headers: dict[str, str] = {}


class ValidationFailed(EngramError):
    status = 422
    code = "VALIDATION_FAILED"
    title = "Validation failed"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None) -> None:
        fields = ", ".join(e["field"] for e in errors)
        super().__init__(detail or f"Invalid field(s): {fields}", errors=errors)


class InvalidCursor(EngramError):
    status = 400
    code = "INVALID_CURSOR"
    title = "Invalid cursor"


class Unauthorized(EngramError):
    status = 401
    code = "UNAUTHORIZED"
    title = "Unauthorized"

    def __init__(self) -> None:
        # One body for missing, malformed, unknown and revoked keys.
        super().__init__("A valid API key is required: Authorization: Bearer <key>")
        self.headers = {"WWW-Authenticate": "Bearer"}


class NotFound(EngramError):
    status = 404
    code = "NOT_FOUND"
    title = "Not found"


class Conflict(EngramError):
    status = 409
    code = "CONFLICT"
    title = "Conflict"


class UserExists(Conflict):
    code = "USER_EXISTS"
    title = "User exists"


class GroupExists(Conflict):
    code = "GROUP_EXISTS"
    title = "Group exists"


class IntegrationExists(Conflict):
    code = "INTEGRATION_EXISTS"
    title = "Integration exists"


class IdempotencyConflict(EngramError):
    status = 422
    code = "IDEMPOTENCY_CONFLICT"
    title = "Idempotency key reused"


class IdempotencyInProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"
    title = "Request with this idempotency key is in progress"


class PayloadTooLarge(EngramError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    title = "Payload too large"


class UnsupportedMediaType(EngramError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    title = "Unsupported media type"


class GraphUnavailable(EngramError):
    status = 503
    code = "GRAPH_UNAVAILABLE"
    title = "Graph database unavailable"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or "The graph database is unreachable; retry shortly")
        self.headers = {"Retry-After": "5"}


class GraphBusy(EngramError):
    """Conflicting writes kept the transaction from committing within ENGRAM_GRAPH_RETRY_SECONDS."""

    status = 503
    code = "GRAPH_BUSY"
    title = "Graph database busy"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            detail or "Conflicting writes kept this request from committing; nothing was changed, retry"
        )
        self.headers = {"Retry-After": "1"}


def problem(
    status: int, code: str, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    body = {
        "type": f"urn:engram:error:{code.lower().replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def engram_error_handler(_: Request[Any, Any, Any], exc: EngramError) -> Response[dict[str, Any]]:
    return problem(exc.status, exc.code, exc.title, exc.detail, exc.headers, **exc.extra)


_MSGSPEC_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `(?P<field>[^`]+)`")
_MISSING_FIELD = re.compile(r"Object missing required field `(?P<field>[^`]+)`")


# Patterns of the wire types, said in words in a 422 (msgspec says only "matching regex ...").
_PATTERNS_SAID: dict[str, str] = {}


def pattern(regex: str, said: str) -> str:
    """`regex`, for a wire type's `msgspec.Meta(pattern=...)`, with how a 422 says it."""
    _PATTERNS_SAID[regex] = said
    return regex


def _field_errors(exc: ValidationException) -> list[dict[str, str]]:
    """Turn Litestar's (msgspec's) validation messages into `[{field, message}]`."""
    errors: list[dict[str, str]] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra or [{"message": exc.detail, "key": "body"}]:
        message = str(item.get("message", "invalid value"))
        field = str(item.get("key") or "body")
        path = _MSGSPEC_PATH.search(message)
        named = _UNKNOWN_FIELD.search(message) or _MISSING_FIELD.search(message)
        if path and path.group("path"):
            field = path.group("path").lstrip(".")
        if named:
            # Litestar moves the path of a nested object ("memories[1]") out of the message into `key`.
            where = path.group("path").lstrip(".") if path else "" if field in ("body", "data") else field
            field = ".".join(p for p in (where, named["field"]) if p)
            if _UNKNOWN_FIELD.search(message):
                message = f"unknown or read-only field `{named['field']}`"
        message = _MSGSPEC_PATH.sub("", message)
        for regex, said in _PATTERNS_SAID.items():
            message = message.replace(f"Expected `str` matching regex {regex!r}", said)
        if field == "data":
            field = "body"
        if "decoding" in message.lower() or "malformed" in message.lower() or "json is malformed" in message:
            message = "request body is not valid JSON"
        errors.append({"field": field, "message": message})
    return errors


def validation_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = _field_errors(exc)
    fields = ", ".join(e["field"] for e in errors)
    return problem(
        422, "VALIDATION_FAILED", "Validation failed", f"Invalid field(s): {fields}", errors=errors
    )


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if status == 413:
        return problem(413, "PAYLOAD_TOO_LARGE", "Payload too large", "Request body exceeds the size limit")
    if isinstance(exc, NotFoundException) or status == 404:
        return problem(404, "NOT_FOUND", "Not found", "No such resource")
    if status == 405:
        return problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", str(exc.detail))
    if status == 400 and isinstance(exc.__cause__, SerializationException):
        errors = [{"field": "body", "message": "request body is not valid JSON"}]
        return problem(422, "VALIDATION_FAILED", "Validation failed", "Invalid field(s): body", errors=errors)
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    code = phrase.upper().replace(" ", "_").replace("-", "_")
    return problem(status, code, phrase, str(exc.detail))


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return engram_error_handler(request, GraphUnavailable())
    log.error("unhandled_error", error_type=type(exc).__name__, route=request.scope.get("path_template"))
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error", "Something went wrong")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    EngramError: engram_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
