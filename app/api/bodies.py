"""What every request body must be before a handler reads it: JSON (415 otherwise); valid UTF-8 and
JSON, no string with a NUL character (U+0000), no value nested deeper than `MAX_DEPTH` (422).

Checked once for every POST, PUT and PATCH with a body, so that no handler meets bytes a client could
not have meant: a NUL stored in a name breaks every later read of it, and a body nested hundreds of
levels deep exhausts the recursion of whatever walks it next.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from app.errors import UnsupportedMediaType, ValidationFailed

MAX_DEPTH = 32  # objects and arrays inside one another; metadata allows far fewer (METADATA_MAX_DEPTH)


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def check_body(request: Request[Any, Any, Any]) -> None:
    """A Litestar `before_request` hook: raises before the handler runs, returns None otherwise."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    body = await request.body()
    if not body.strip():
        return
    if not is_json(request.headers.get("content-type", "")):
        raise UnsupportedMediaType("Send the body as JSON, with Content-Type: application/json")
    try:
        value = msgspec.json.decode(body)
    except UnicodeDecodeError:
        raise ValidationFailed([{"field": "body", "message": "request body is not valid UTF-8"}]) from None
    except msgspec.DecodeError:
        raise ValidationFailed([{"field": "body", "message": "request body is not valid JSON"}]) from None
    problem = first_problem(value)
    if problem is not None:
        raise ValidationFailed([{"field": problem[0] or "body", "message": problem[1]}])


def first_problem(value: Any) -> tuple[str, str] | None:
    """The first (path, message) of a NUL in a string or key, or of nesting past `MAX_DEPTH`; walked
    with an explicit stack, so that no depth of input can exhaust Python's recursion."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path, "must not contain the NUL character (U+0000)"
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                return path, f"is nested more than {MAX_DEPTH} levels deep"
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and "\x00" in key:
                    return path, "keys must not contain the NUL character (U+0000)"
                stack.append((child, f"{path}.{key}" if path else str(key), depth + 1))
    return None
