"""Instants are stored as UTC epoch milliseconds and shown as RFC 3339 strings."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def to_rfc3339(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_rfc3339(text: str) -> int:
    """Parse an RFC 3339 timestamp with a zone (`Z` or an offset) into epoch ms; ValueError otherwise."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        raise ValueError("timestamp needs a time zone, e.g. 2026-05-17T12:00:00Z")
    return int(value.timestamp() * 1000)
