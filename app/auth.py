"""Bearer auth: an API key resolves to its project; the admin token guards `/v1/admin/`.

Missing, malformed, unknown and revoked keys get the same 401. Keys that passed are remembered for
a while (`KeyCache`), so a request does not read its key from the graph every time; a revoked key
still stops working at once in this process and within a fraction of a second in every other one.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from litestar import Litestar, Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from app import keys
from app.clock import now_ms
from app.errors import Unauthorized

if TYPE_CHECKING:
    from app.graph.db import Graph

log = structlog.get_logger("engram.auth")

PUBLIC_PATHS = ("/health", "/ready", "/metrics", "/schema")
ADMIN_PREFIX = "/v1/admin/"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a project's key, or the operator with the admin token."""

    project_id: str
    key_id: str | None
    is_admin: bool = False


ADMIN = Principal(project_id="admin", key_id=None, is_admin=True)


def principal_of(request: Request[Any, Any, Any]) -> Principal:
    principal = request.scope.get("auth")
    if not isinstance(principal, Principal):
        raise Unauthorized()
    return principal


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


class KeyCache:
    """Keys that passed authentication, by the hash of their token.

    Revocation must take effect at once. `forget` drops a key in the process that revokes it; every
    process also reads the keys revoked lately (`keys/revoked_since`, one small indexed read) every
    `refresh_seconds` and drops those. Entries expire after `ttl_seconds` in any case, and while the
    refresh is not running or keeps failing the cache is not used at all, so a stale entry cannot
    outlive a graph outage. The overlap in `since` covers clock skew between processes.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        refresh_seconds: float = 0.25,
        ttl_seconds: float = 60.0,
        skew_ms: int = 5_000,
    ) -> None:
        self._graph = graph
        self._refresh_seconds = refresh_seconds
        self._ttl_seconds = ttl_seconds
        self._skew_ms = skew_ms
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._fresh_until = 0.0
        self._task: asyncio.Task[None] | None = None

    @property
    def usable(self) -> bool:
        return time.monotonic() < self._fresh_until

    def get(self, token_hash: str) -> Principal | None:
        if not self.usable:
            return None
        entry = self._entries.get(token_hash)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, token_hash: str, principal: Principal) -> None:
        if self.usable:
            self._entries[token_hash] = (principal, time.monotonic() + self._ttl_seconds)

    def forget(self, key_id: str) -> None:
        self._entries = {h: e for h, e in self._entries.items() if e[0].key_id != key_id}

    async def refresh(self, since_ms: int) -> None:
        started = time.monotonic()
        rows = await self._graph.read("keys/revoked_since", since=since_ms)
        for row in rows:
            self.forget(row["id"])
        now = time.monotonic()
        self._entries = {h: e for h, e in self._entries.items() if e[1] >= now}
        # Trusted until two refresh periods after the read began (one missed refresh is tolerated).
        self._fresh_until = started + 2 * self._refresh_seconds

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        self._fresh_until = 0.0
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        since = now_ms() - self._skew_ms
        while True:
            read_at = now_ms()
            try:
                await self.refresh(since)
                since = read_at - self._skew_ms
            except Exception as exc:  # noqa: BLE001 - the cache just goes unused until a refresh succeeds
                log.warning("key_cache_refresh_failed", error_type=type(exc).__name__)
            await asyncio.sleep(self._refresh_seconds)


async def authenticate(graph: Graph, cache: KeyCache | None, token: str | None) -> Principal:
    prefix = keys.key_prefix(token) if token else None
    if token is None or prefix is None:
        raise Unauthorized()
    token_hash = keys.hash_key(token)
    if cache is not None and (cached := cache.get(token_hash)) is not None:
        return cached
    row = await graph.read_one("keys/find_by_prefix", prefix=prefix)
    if row is None or not keys.hash_matches(token_hash, row["hash"]):
        raise Unauthorized()
    principal = Principal(project_id=row["projectId"], key_id=row["id"])
    if cache is not None:
        cache.put(token_hash, principal)
    return principal


class AuthMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == ScopeType.HTTP and not path.startswith(PUBLIC_PATHS):
            state = Litestar.from_scope(scope).state
            token = _bearer(scope)
            if path.startswith(ADMIN_PREFIX):
                admin_token: str = state.settings.admin_token.get_secret_value()
                if not token or not admin_token or not hmac.compare_digest(token, admin_token):
                    raise Unauthorized()
                scope["auth"] = ADMIN
            else:
                scope["auth"] = await authenticate(state.graph, state.get("key_cache"), token)
        await self.app(scope, receive, send)
