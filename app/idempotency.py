"""`Idempotency-Key` for every creating POST, as one ASGI middleware.

The first request with a key claims it (a unique node per project and key), runs, and stores its
response; a repeat with the same method, path and body replays that response; a different request
under the same key is 422 IDEMPOTENCY_CONFLICT. A concurrent repeat waits for the first to finish.
Server errors release the key so a retry runs again; a claim abandoned by a crash is taken over
after `STALE_CLAIM_MS`.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from typing import Any, get_args

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from neo4j.exceptions import ConstraintError

from app.auth import Principal
from app.clock import now_ms
from app.errors import IdempotencyConflict, IdempotencyInProgress, PayloadTooLarge, ValidationFailed
from app.graph.db import Graph
from app.ids import Prefix

HEADER = b"idempotency-key"
STALE_CLAIM_MS = 60_000
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05


_ID = re.compile(rb"\b(?:%s)_[0-9A-HJKMNP-TV-Z]{26}\b" % "|".join(get_args(Prefix)).encode())


def subjects(*texts: bytes) -> list[str]:
    """The ids a stored request and response name (path, request body, response body)."""
    return sorted({m.decode() for text in texts for m in _ID.findall(text)})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Any = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge("Request body exceeds the size limit")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        http: Any = scope
        idem_key = (
            _header(scope, HEADER) if http["type"] == ScopeType.HTTP and http["method"] == "POST" else None
        )
        principal = scope.get("auth")
        if idem_key is None or not isinstance(principal, Principal):
            await self.app(scope, receive, send)
            return
        if not 1 <= len(idem_key) <= 255 or not idem_key.isprintable():
            raise ValidationFailed(
                [{"field": "Idempotency-Key", "message": "must be 1-255 printable characters"}]
            )
        state = Litestar.from_scope(scope).state
        graph: Graph = state.graph
        body = await _read_body(receive, state.settings.max_body_bytes)
        fingerprint = hashlib.sha256(b"%s %s\n%s" % (http["method"].encode(), scope["path"].encode(), body))
        key = f"{principal.project_id}|{idem_key}"
        claim = secrets.token_hex(16)
        record = await self._claim(
            graph,
            key,
            principal.project_id,
            fingerprint.hexdigest(),
            claim,
            state.settings.idempotency_ttl_seconds * 1000,
        )
        if record["claim"] != claim:
            await self._replay(record, send)
            return
        await self._run_and_store(graph, key, claim, scope, body, send)

    async def _claim(
        self, graph: Graph, key: str, project_id: str, fingerprint: str, claim: str, ttl_ms: int
    ) -> dict[str, Any]:
        """Own the key (returns a record with our claim) or get the finished record to replay."""
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while True:
            try:
                record: dict[str, Any] | None = (
                    await graph.write_one(
                        "idempotency/claim",
                        key=key,
                        projectId=project_id,
                        fingerprint=fingerprint,
                        claim=claim,
                        now=now_ms(),
                    )
                    or {}
                )["record"]
            except ConstraintError:  # a concurrent claim won the race; read it on the next turn
                record = None
            if record is not None:
                if record["claim"] == claim:
                    return record
                age = now_ms() - record["createdAt"]
                abandoned = record["state"] == "pending" and age > STALE_CLAIM_MS
                if abandoned or (record["state"] == "done" and age > ttl_ms):
                    taken = await graph.write_one(
                        "idempotency/take_over",
                        key=key,
                        expectedClaim=record["claim"],
                        fingerprint=fingerprint,
                        claim=claim,
                        now=now_ms(),
                    )
                    if taken is not None:
                        return dict(taken["record"])
                    continue
                if record["fingerprint"] != fingerprint:
                    raise IdempotencyConflict(
                        "This Idempotency-Key was used with a different request; use a new key"
                    )
                if record["state"] == "done":
                    return record
            if asyncio.get_running_loop().time() > deadline:
                raise IdempotencyInProgress(
                    "A request with this Idempotency-Key is still running; retry later"
                )
            await asyncio.sleep(POLL_SECONDS)

    async def _run_and_store(
        self, graph: Graph, key: str, claim: str, scope: Scope, body: bytes, send: Send
    ) -> None:
        sent = False

        async def receive_body() -> Any:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        content_type = "application/json"
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_body, capture)
        except BaseException:
            await graph.write("idempotency/release", key=key, claim=claim)
            raise
        if status >= 500:
            await graph.write("idempotency/release", key=key, claim=claim)
        else:
            stored = b"".join(chunks)
            await graph.write(
                "idempotency/complete",
                key=key,
                claim=claim,
                status=status,
                body=stored.decode(),
                contentType=content_type,
                subjects=subjects(scope["path"].encode(), body, stored),
                now=now_ms(),
            )

    async def _replay(self, record: dict[str, Any], send: Send) -> None:
        body = str(record["body"]).encode()
        await send(
            {
                "type": "http.response.start",
                "status": int(record["status"]),
                "headers": [
                    (b"content-type", str(record["contentType"]).encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"idempotent-replayed", b"true"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
