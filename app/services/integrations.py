"""Integrations: records of a user's connected external services (no calls are made to them).

They count in the user's stats (`users/stats`) and go with the user (`users/delete`).
"""

from __future__ import annotations

from neo4j.exceptions import ConstraintError

from app import metadata as md
from app.clock import now_ms
from app.errors import Conflict, IntegrationExists, NotFound
from app.graph.db import Graph, Row
from app.ids import new_id
from app.pagination import after_params
from app.services import users


def integration_key(user_id: str, provider: str, external_account_id: str | None) -> str:
    """One integration per (user, provider, account); no account id is one value of its own.
    Unambiguous: ids and providers never hold `|`."""
    if external_account_id is None:
        return f"{user_id}|{provider}"
    return f"{user_id}|{provider}|{external_account_id}"


def _integration_exists(existing_id: str) -> IntegrationExists:
    return IntegrationExists(
        "The user already has an integration with this provider and externalAccountId",
        existingId=existing_id,
    )


async def create_integration(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    provider: str,
    external_account_id: str | None,
    scopes: list[str],
    metadata: md.Metadata,
) -> Row:
    """Record an integration; 409 INTEGRATION_EXISTS if the user has one with the same provider and
    account, 404 if the project has no such user."""
    key = integration_key(user_id, provider, external_account_id)
    existing = await graph.read_one("integrations/find_by_key", projectId=project_id, integrationKey=key)
    if existing is not None:
        raise _integration_exists(existing["id"])
    try:
        row = await graph.write_one(
            "integrations/create",
            projectId=project_id,
            userId=user_id,
            integrationId=new_id("int"),
            provider=provider,
            externalAccountId=external_account_id,
            integrationKey=key,
            scopes=scopes,
            metadata=md.dumps(metadata),
            now=now_ms(),
        )
    except ConstraintError:
        winner = await graph.read_one("integrations/find_by_key", projectId=project_id, integrationKey=key)
        if winner is None:  # deleted between the failed create and this read: let the client retry
            raise Conflict("A concurrent change touched this integration; retry the request") from None
        raise _integration_exists(winner["id"]) from None
    if row is None:
        raise NotFound(f"No user {user_id}")
    return row


async def list_integrations(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    provider: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    """Up to `limit` of the user's integrations strictly after `after`, newest first."""
    await users.require_user(graph, project_id=project_id, user_id=user_id)
    return await graph.read(
        "integrations/list",
        projectId=project_id,
        userId=user_id,
        provider=provider,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def delete_integration(graph: Graph, *, project_id: str, user_id: str, integration_id: str) -> None:
    row = await graph.write_one(
        "integrations/delete", projectId=project_id, userId=user_id, integrationId=integration_id
    )
    if row is None:
        raise NotFound(f"No integration {integration_id} for user {user_id}")
