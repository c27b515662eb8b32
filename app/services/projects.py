"""Projects (tenants) and their API keys."""

from __future__ import annotations

from pathlib import Path

import structlog

from app import keys
from app.clock import now_ms
from app.errors import Conflict, NotFound
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.pagination import after_params
from app.services import audit

log = structlog.get_logger("engram.projects")

DEV_PROJECT = "dev"
DEV_KEY_FILE = "dev-api-key"


async def create_project(graph: Graph, *, name: str) -> tuple[Row, str]:
    """A new project with its first key; returns the stored rows and the key, which is shown once."""
    new = keys.generate_key()
    row = await graph.write_one(
        "projects/create",
        projectId=new_id("prj"),
        name=name,
        keyId=new_id("key"),
        keyName="default",
        prefix=new.prefix,
        hash=new.hash,
        now=now_ms(),
    )
    assert row is not None
    return row, new.token


async def create_key(
    graph: Graph, *, project_id: str, name: str, actor_key_id: str | None
) -> tuple[Row, str]:
    new = keys.generate_key()

    async def work(tx: Tx) -> Row:
        row = await tx.one(
            "keys/create",
            projectId=project_id,
            keyId=new_id("key"),
            name=name,
            prefix=new.prefix,
            hash=new.hash,
            now=now_ms(),
        )
        if row is None:
            raise NotFound("No such project")
        await audit.record(
            tx,
            project_id=project_id,
            action="key.created",
            target_id=row["key"]["id"],
            actor_key_id=actor_key_id,
        )
        return row

    return await graph.write_tx(work), new.token


async def list_keys(graph: Graph, *, project_id: str, after: tuple[int, str] | None, limit: int) -> list[Row]:
    return await graph.read(
        "keys/list",
        projectId=project_id,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def revoke_key(graph: Graph, *, project_id: str, key_id: str, actor_key_id: str | None) -> Row:
    """Revoke a key at once. The last active key of a project cannot be revoked (it would lock it out)."""

    async def work(tx: Tx) -> Row:
        row = await tx.one("keys/revoke", projectId=project_id, keyId=key_id, now=now_ms())
        if row is None:
            raise NotFound(f"No key {key_id}")
        if row["key"]["revokedAt"] is None:
            raise Conflict("This is the project's last active key; create another key before revoking it")
        await audit.record(
            tx, project_id=project_id, action="key.revoked", target_id=key_id, actor_key_id=actor_key_id
        )
        return row

    row = await graph.write_tx(work)
    return dict(row["key"])


async def ensure_dev_project(graph: Graph, *, data_dir: Path) -> None:
    """In dev mode: make a `dev` project on first run and print its key once; later, say where it is."""
    key_file = data_dir / DEV_KEY_FILE
    if await graph.read_one("projects/find_by_name", name=DEV_PROJECT) is not None:
        if key_file.exists():
            print(f"engram: dev project ready; its API key is in {key_file}", flush=True)
        return
    _, token = await create_project(graph, name=DEV_PROJECT)
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file.write_text(token + "\n")
    key_file.chmod(0o600)
    print(
        f"engram: created project 'dev'. API key (shown once, also kept in {key_file}):\n  {token}",
        flush=True,
    )
