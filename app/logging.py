"""structlog JSON logs and the request log. Logged: method, route template, status, duration, request
id. Never logged: bodies, query strings, headers (the Authorization header holds a key)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from ulid import ULID

from app.errors import EngramError

log = structlog.get_logger("engram.http")


def configure_logging(level: str = "info") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level.upper(), force=True)
    for noisy in ("neo4j", "httpx", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=True,
    )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id" and 0 < len(value) <= 64 and value.isascii():
            return value.decode()
    return str(ULID())


class RequestLogMiddleware:
    """Binds a request id to the log context, echoes it as `X-Request-ID`, logs one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except EngramError as exc:  # raised by a middleware; rendered by the app's outer handler
            status = exc.status
            raise
        finally:
            fields: dict[str, Any] = {
                "method": scope.get("method"),
                "route": scope.get("path_template") or "unmatched",
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 2),
            }
            log.info("request", **fields)
            structlog.contextvars.unbind_contextvars("request_id")
