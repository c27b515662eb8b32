"""What the generated OpenAPI document leaves out, added once at start-up: every operation's error
responses (problem+json, RFC 9457) and `additionalProperties: false` on the request bodies that
refuse unknown fields, so that a generated client knows both."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

import msgspec
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Reference,
    Schema,
)

from app.errors import PROBLEM_JSON

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    description="RFC 9457 problem details; `code` is stable, `errors` names the fields at fault (422).",
    required=["type", "title", "status", "detail", "code"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, examples=["urn:engram:error:validation-failed"]),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "code": Schema(type=OpenAPIType.STRING, examples=["VALIDATION_FAILED"]),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(
                type=OpenAPIType.OBJECT,
                required=["field", "message"],
                properties={
                    "field": Schema(type=OpenAPIType.STRING),
                    "message": Schema(type=OpenAPIType.STRING),
                },
            ),
        ),
    },
)

_SAID = {
    400: "Invalid cursor (`INVALID_CURSOR`)",
    401: "No valid API key (`UNAUTHORIZED`)",
    404: "No such resource in this project, or one the body names (`NOT_FOUND`)",
    409: "Conflict: the object exists, or a request with this Idempotency-Key is still running",
    413: "Body, content or metadata too large (`PAYLOAD_TOO_LARGE`)",
    415: "The body is not JSON (`UNSUPPORTED_MEDIA_TYPE`)",
    422: "Invalid input (`VALIDATION_FAILED`, with `errors`), or an Idempotency-Key reused for another body",
    503: "The graph is unavailable or busy (`GRAPH_UNAVAILABLE`, `GRAPH_BUSY`); retry after `Retry-After`",
}
_WRITES = ("post", "put", "patch")


def _codes(path: str, method: str, has_cursor: bool) -> list[int]:
    if not path.startswith("/v1/"):
        return []
    codes = [401, 422, 503]
    if "{" in path or method in _WRITES:
        codes.append(404)  # an id in the path, or one a body names (userId, personalityId, ...)
    if method in _WRITES:
        codes += [409, 413, 415]
    if has_cursor:
        codes.append(400)
    return sorted(codes)


def complete(schema: OpenAPI, structs: Iterable[type[msgspec.Struct]]) -> None:
    """Add the error responses and `additionalProperties: false` to `schema`, in place."""
    assert schema.components is not None
    components = schema.components.schemas = dict(schema.components.schemas or {})
    components["Problem"] = PROBLEM
    problem = {PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    retry: dict[str, OpenAPIHeader | Reference] = {
        "Retry-After": OpenAPIHeader(
            description="Seconds to wait before retrying", schema=Schema(type=OpenAPIType.INTEGER)
        )
    }
    for path, item in (schema.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            has_cursor = any(getattr(p, "name", None) == "cursor" for p in operation.parameters or [])
            responses = dict(operation.responses or {})
            responses.pop("400", None)  # Litestar's default; validation errors here are 422
            for code in _codes(path, method, has_cursor):
                responses.setdefault(
                    str(code),
                    OpenAPIResponse(
                        description=_SAID[code], content=problem, headers=retry if code == 503 else None
                    ),
                )
            operation.responses = responses
    metrics = (schema.paths or {}).get("/metrics")
    if metrics is not None and metrics.get is not None:  # Prometheus text, not JSON
        metrics.get.responses = {
            "200": OpenAPIResponse(
                description="Prometheus text exposition format",
                content={"text/plain": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
            )
        }
    for struct in structs:
        found = components.get(struct.__name__)
        if isinstance(found, Schema) and struct.__struct_config__.forbid_unknown_fields:
            found.additional_properties = False


def wire_structs(*modules: ModuleType) -> list[type[msgspec.Struct]]:
    """The msgspec Structs the modules define."""
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value.__module__ == module.__name__
    ]
