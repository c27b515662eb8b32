"""Bearer auth: an API key resolves to its project; the admin token guards `/v1/admin/`.

Missing, malformed, unknown and revoked keys get the same 401. Nothing is cached, so a revoked key
fails on its very next request.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar import Litestar, Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from app import keys
from app.errors import Unauthorized

if TYPE_CHECKING:
    from app.graph.db import Graph

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


async def authenticate(graph: Graph, token: str | None) -> Principal:
    prefix = keys.key_prefix(token) if token else None
    if token is None or prefix is None:
        raise Unauthorized()
    row = await graph.read_one("keys/find_by_prefix", prefix=prefix)
    if row is None or not keys.matches(token, row["hash"]):
        raise Unauthorized()
    return Principal(project_id=row["projectId"], key_id=row["id"])


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
                scope["auth"] = await authenticate(state.graph, token)
        await self.app(scope, receive, send)
