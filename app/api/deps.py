"""Dependencies every handler can ask for by name, and small parsing helpers shared by handlers."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from msgspec import UNSET, UnsetType

from app import metadata as md
from app.auth import KeyCache, Principal, principal_of
from app.clock import parse_rfc3339
from app.errors import ValidationFailed
from app.graph.db import Graph
from app.memory.compute import Compute
from app.pagination import MAX_LIMIT, CursorCodec
from app.services.retrieval import Retrieval
from app.settings import Settings


def _graph(state: State) -> Graph:
    return state.graph  # type: ignore[no-any-return]


def _settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


def _cursors(state: State) -> CursorCodec:
    return state.cursors  # type: ignore[no-any-return]


def _key_cache(state: State) -> KeyCache:
    return state.key_cache  # type: ignore[no-any-return]


def _compute(state: State) -> Compute:
    return state.compute  # type: ignore[no-any-return]


def _retrieval(state: State) -> Retrieval:
    return state.retrieval  # type: ignore[no-any-return]


def _principal(request: Request[Any, Any, Any]) -> Principal:
    return principal_of(request)


DEPENDENCIES = {
    "graph": Provide(_graph, sync_to_thread=False),
    "settings": Provide(_settings, sync_to_thread=False),
    "cursors": Provide(_cursors, sync_to_thread=False),
    "principal": Provide(_principal, sync_to_thread=False),
    "key_cache": Provide(_key_cache, sync_to_thread=False),
    "compute": Provide(_compute, sync_to_thread=False),
    "retrieval": Provide(_retrieval, sync_to_thread=False),
}


# Handler parameters are injected by name: `graph: GraphDep` and so on.
GraphDep = NamedDependency[Graph]
SettingsDep = NamedDependency[Settings]
CursorsDep = NamedDependency[CursorCodec]
PrincipalDep = NamedDependency[Principal]
KeyCacheDep = NamedDependency[KeyCache]
ComputeDep = NamedDependency[Compute]
RetrievalDep = NamedDependency[Retrieval]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(description="`nextCursor` of the previous page")]


def validate_metadata(value: md.Metadata, field: str, settings: Settings) -> None:
    md.validate(value, field=field, **settings.metadata_limits)


def changed(**fields: Any) -> dict[str, Any]:
    """The fields a PATCH body sent (msgspec leaves the others UNSET); null means "clear"."""
    return {name: value for name, value in fields.items() if value is not UNSET}


def metadata_patch(value: md.Metadata | UnsetType, settings: Settings) -> md.Metadata | None:
    """A PATCH's metadata, if sent. The patch must respect the limits; the service checks the merge."""
    if isinstance(value, UnsetType):
        return None
    validate_metadata(value, "metadata", settings)
    return value


def parse_time(value: str | None, *, field: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError:
        raise ValidationFailed(
            [{"field": field, "message": "must be an RFC 3339 timestamp, e.g. 2026-05-17T12:00:00Z"}]
        ) from None
