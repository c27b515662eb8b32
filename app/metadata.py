"""User-supplied metadata: limits, storage as JSON, and the pairs that make top-level keys filterable.

Neo4j properties cannot hold maps, so metadata is stored as a JSON string, plus one string per
top-level scalar entry (`["plan","premium"]`) so `metadata.plan=premium` can match by list membership.
"""

from __future__ import annotations

import json
from typing import Any

from app.errors import PayloadTooLarge, ValidationFailed

Metadata = dict[str, Any]


def validate(metadata: Metadata, *, field: str, max_bytes: int, max_keys: int, max_depth: int) -> None:
    size = len(json.dumps(metadata, separators=(",", ":"), ensure_ascii=False).encode())
    if size > max_bytes:
        raise PayloadTooLarge(f"`{field}` is {size} bytes; the limit is {max_bytes}", field=field)
    if len(metadata) > max_keys:
        raise ValidationFailed(
            [{"field": field, "message": f"{len(metadata)} keys; at most {max_keys} are allowed"}]
        )
    for key in metadata:
        if not key or len(key) > 128:
            raise ValidationFailed([{"field": f"{field}.{key}", "message": "keys are 1-128 characters"}])
    depth = _depth(metadata)
    if depth > max_depth:
        raise ValidationFailed(
            [{"field": field, "message": f"nested {depth} levels deep; at most {max_depth} are allowed"}]
        )


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def dumps(metadata: Metadata) -> str:
    return json.dumps(metadata, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None) -> Metadata:
    return json.loads(text) if text else {}


def merge(current: Metadata, patch: Metadata) -> Metadata:
    """Keys given replace, a key set to null is removed, others stay."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _pair(key: str, value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps([key, value], separators=(",", ":"), ensure_ascii=False)


def filter_pairs(metadata: Metadata) -> list[str]:
    """The stored pairs of the top-level scalar entries."""
    return sorted(
        _pair(k, v) for k, v in metadata.items() if isinstance(v, str | int | float | bool) and v is not None
    )


def query_alternatives(key: str, raw: str) -> list[str]:
    """Encodings a `metadata.<key>=<raw>` filter matches: the string, and the JSON scalar it spells."""
    alternatives = [_pair(key, raw)]
    try:
        parsed = json.loads(raw)
    except ValueError:
        return alternatives
    if isinstance(parsed, bool | int | float) and not isinstance(parsed, str):
        alternatives.append(_pair(key, parsed))
    return alternatives
