"""Opaque, tamper-evident cursors bound to a project and a query.

A cursor carries the sort key `(sortValue, id)` of the last item of a page. Paging continues strictly
after it, so items inserted meanwhile (which sort before it) never shift what is left to page through.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from app.errors import InvalidCursor

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

T = TypeVar("T")
Position = tuple[int, str]


def after_params(after: Position | None, sort_param: str) -> dict[str, Any]:
    """The `$<sortParam>, $afterId` parameters of a list statement for a page start (None: first page)."""
    return {sort_param: after[0] if after else None, "afterId": after[1] if after else None}


class Pagination(msgspec.Struct, rename="camel"):
    next_cursor: str | None
    has_more: bool


class CursorCodec:
    """Signs and checks cursors with the service's secret key."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def bind(self, *, project_id: str, scope: str, query: dict[str, Any]) -> Pages:
        """Cursors for one listing: valid only for this project, this route and these filters."""
        canonical = json.dumps([project_id, scope, query], sort_keys=True, separators=(",", ":"), default=str)
        return Pages(self, hashlib.sha256(canonical.encode()).hexdigest()[:16])

    def sign(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()


@dataclass(frozen=True, slots=True)
class Pages:
    codec: CursorCodec
    digest: str

    def encode(self, position: Position) -> str:
        payload = json.dumps({"p": list(position), "s": self.digest}, separators=(",", ":")).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self.codec.sign(body)}"

    def position(self, cursor: str | None) -> Position | None:
        """Where the page after `cursor` starts (None: the first page); InvalidCursor if forged."""
        if cursor is None:
            return None
        body, _, signature = cursor.partition(".")
        # compare_digest takes ASCII strings only: "é.é" is no cursor of ours, not a TypeError
        if not body or not cursor.isascii() or not hmac.compare_digest(signature, self.codec.sign(body)):
            raise InvalidCursor("The cursor is malformed or was not issued by this service")
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except ValueError as exc:
            raise InvalidCursor("The cursor is malformed") from exc
        if payload.get("s") != self.digest:
            raise InvalidCursor("The cursor belongs to another query; start again without a cursor")
        pos = payload.get("p")
        if not (
            isinstance(pos, list) and len(pos) == 2 and isinstance(pos[0], int) and isinstance(pos[1], str)
        ):
            raise InvalidCursor("The cursor is malformed")
        return pos[0], pos[1]

    def page(self, rows: Sequence[T], limit: int, key: Callable[[T], Position]) -> tuple[list[T], Pagination]:
        """Cut `limit + 1` fetched rows to one page and its pagination block."""
        has_more = len(rows) > limit
        page = list(rows[:limit])
        next_cursor = self.encode(key(page[-1])) if has_more and page else None
        return page, Pagination(next_cursor=next_cursor, has_more=has_more)
