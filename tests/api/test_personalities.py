"""The Personalities API through HTTP on the real graph server."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from tests.conftest import Api, GraphServer, cypher


async def create_personality(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/personalities", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_create_and_get(api: Api) -> None:
    made = await create_personality(
        api, name="Coach", description="Direct and encouraging.", metadata={"tone": "warm", "level": 2}
    )
    assert made["id"].startswith("per_")
    assert made["name"] == "Coach"
    assert made["description"] == "Direct and encouraging."
    assert made["metadata"] == {"tone": "warm", "level": 2}
    assert made["createdAt"].endswith("Z")
    assert made["updatedAt"] == made["createdAt"]
    assert set(made) == {"id", "name", "description", "metadata", "createdAt", "updatedAt"}
    response = await api.get(f"/v1/personalities/{made['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == made


async def test_minimal_create_and_names_need_not_be_unique(api: Api) -> None:
    first = await create_personality(api, name="Twin")
    second = await create_personality(api, name="Twin")
    assert first["id"] != second["id"]
    assert first["description"] is None
    assert first["metadata"] == {}


async def test_list_is_newest_first_and_pages_once_through_everything(api: Api) -> None:
    made = [(await create_personality(api, name=f"p{i}"))["id"] for i in range(5)]
    everything = (await api.get("/v1/personalities")).json()
    assert [p["id"] for p in everything["personalities"]] == list(reversed(made))
    assert everything["pagination"] == {"nextCursor": None, "hasMore": False}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = await api.get("/v1/personalities", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        seen.extend(p["id"] for p in body["personalities"])
        pages += 1
        if not body["pagination"]["hasMore"]:
            assert body["pagination"]["nextCursor"] is None
            break
        cursor = body["pagination"]["nextCursor"]
        assert cursor
        await create_personality(api, name="late")  # newer than every cursor: never shows up in this walk
    assert pages == 3
    assert seen == list(reversed(made))


async def test_cursor_is_bound_to_project_and_query(api: Api, other_api: Api) -> None:
    for i in range(3):
        await create_personality(api, name=f"c{i}")
    cursor = (await api.get("/v1/personalities", params={"limit": 1})).json()["pagination"]["nextCursor"]
    assert cursor
    for tenant, params in [
        (other_api, {"limit": 1, "cursor": cursor}),
        (api, {"limit": 2, "cursor": cursor}),
        (api, {"limit": 1, "cursor": cursor + "x"}),
    ]:
        response = await tenant.get("/v1/personalities", params=params)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "INVALID_CURSOR"
    assert (await api.get("/v1/users", params={"limit": 1, "cursor": cursor})).status_code == 400


async def test_patch_replaces_fields_and_merges_metadata(api: Api) -> None:
    made = await create_personality(
        api, name="Tutor", description="Patient.", metadata={"tone": "calm", "lang": "en", "n": 1}
    )
    await asyncio.sleep(0.005)
    response = await api.patch(
        f"/v1/personalities/{made['id']}",
        json={"name": "Math tutor", "metadata": {"tone": "strict", "lang": None, "new": True}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Math tutor"
    assert body["description"] == "Patient."
    assert body["metadata"] == {"tone": "strict", "n": 1, "new": True}
    assert body["createdAt"] == made["createdAt"]
    assert body["updatedAt"] > made["updatedAt"]
    cleared = (await api.patch(f"/v1/personalities/{made['id']}", json={"description": None})).json()
    assert cleared["description"] is None
    assert cleared["name"] == "Math tutor"
    assert cleared["metadata"] == {"tone": "strict", "n": 1, "new": True}
    unchanged = await api.patch(f"/v1/personalities/{made['id']}", json={})
    assert unchanged.status_code == 200
    assert (await api.get(f"/v1/personalities/{made['id']}")).json() == unchanged.json()


async def test_concurrent_metadata_patches_all_land(api: Api) -> None:
    made = await create_personality(api, name="Busy")
    responses = await asyncio.gather(
        *(api.patch(f"/v1/personalities/{made['id']}", json={"metadata": {f"k{i}": i}}) for i in range(10))
    )
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    final = (await api.get(f"/v1/personalities/{made['id']}")).json()
    assert final["metadata"] == {f"k{i}": i for i in range(10)}


async def test_merged_metadata_over_the_key_limit_is_refused(api: Api) -> None:
    made = await create_personality(api, name="Full", metadata={f"a{i}": i for i in range(60)})
    response = await api.patch(
        f"/v1/personalities/{made['id']}",
        json={"name": "Renamed", "metadata": {f"b{i}": i for i in range(10)}},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "VALIDATION_FAILED"
    # Nothing of the refused patch was written, not even the name.
    assert (await api.get(f"/v1/personalities/{made['id']}")).json() == made


async def test_delete_detaches_threads_of_the_project(
    api: Api, other_api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    made = await create_personality(api, name="Gone")
    kept = await create_personality(api, name="Kept")
    await cypher(
        driver,
        graph_server,
        """
        MATCH (p:Personality {id: $pid})
        CREATE (t:Thread {id: $tid, projectId: $project, personalityId: $pid})-[:WITH]->(p)
        CREATE (:Thread {id: $kid, projectId: $project, personalityId: $keptId})
        CREATE (:Thread {id: $oid, projectId: $other, personalityId: $pid})
        """,
        pid=made["id"],
        keptId=kept["id"],
        tid="thr_test_with",
        kid="thr_test_kept",
        oid="thr_test_other",
        project=api.project_id,
        other=other_api.project_id,
    )
    response = await api.delete(f"/v1/personalities/{made['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted": True, "id": made["id"]}
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (t:Thread) WHERE t.id IN $ids RETURN t.id AS id, t.personalityId AS personalityId, "
        "COUNT { (t)-[:WITH]->() } AS links ORDER BY id",
        ids=["thr_test_with", "thr_test_kept", "thr_test_other"],
    )
    assert rows == [
        {"id": "thr_test_kept", "personalityId": kept["id"], "links": 0},
        {"id": "thr_test_other", "personalityId": made["id"], "links": 0},  # another project: untouched
        {"id": "thr_test_with", "personalityId": None, "links": 0},
    ]
    left = await cypher(
        driver, graph_server, "MATCH (p:Personality {id: $id}) RETURN count(p) AS n", id=made["id"]
    )
    assert left == [{"n": 0}]
    assert (await api.get(f"/v1/personalities/{made['id']}")).status_code == 404
    second = await api.delete(f"/v1/personalities/{made['id']}")
    assert second.status_code == 404
    assert second.json()["code"] == "NOT_FOUND"
    listed = (await api.get("/v1/personalities")).json()["personalities"]
    assert [p["id"] for p in listed] == [kept["id"]]
    await cypher(driver, graph_server, "MATCH (t:Thread) WHERE t.id STARTS WITH 'thr_test_' DETACH DELETE t")


async def test_other_project_sees_nothing(api: Api, other_api: Api) -> None:
    made = await create_personality(api, name="Private", metadata={"k": "v"})
    pid = made["id"]
    for method, url, body in [
        ("GET", f"/v1/personalities/{pid}", None),
        ("PATCH", f"/v1/personalities/{pid}", {"name": "Mallory"}),
        ("PATCH", f"/v1/personalities/{pid}", {"metadata": {"k": None}}),
        ("DELETE", f"/v1/personalities/{pid}", None),
    ]:
        response = await other_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "NOT_FOUND"
    assert (await other_api.get("/v1/personalities")).json()["personalities"] == []
    assert (await api.get(f"/v1/personalities/{pid}")).json() == made


async def test_missing_personality_is_404(api: Api) -> None:
    for method, body in [("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)]:
        response = await api.request(method, "/v1/personalities/per_nope", json=body)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["code"] == "NOT_FOUND"


async def test_bad_input_is_4xx_and_changes_nothing(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    made = await create_personality(api, name="Stable", description="Same.", metadata={"k": "v"})
    url = f"/v1/personalities/{made['id']}"
    cases: list[tuple[str, str, Any, int, str | None]] = [
        ("POST", "/v1/personalities", {}, 422, "name"),
        ("POST", "/v1/personalities", {"name": ""}, 422, "name"),
        ("POST", "/v1/personalities", {"name": "x" * 101}, 422, "name"),
        ("POST", "/v1/personalities", {"name": 5}, 422, "name"),
        ("POST", "/v1/personalities", {"name": None}, 422, "name"),
        ("POST", "/v1/personalities", {"name": "ok", "description": "x" * 2001}, 422, "description"),
        ("POST", "/v1/personalities", {"name": "ok", "description": ["x"]}, 422, "description"),
        ("POST", "/v1/personalities", {"name": "ok", "metadata": "nope"}, 422, "metadata"),
        ("POST", "/v1/personalities", {"name": "ok", "metadata": [1]}, 422, "metadata"),
        ("POST", "/v1/personalities", {"name": "ok", "persona": "x"}, 422, "persona"),
        ("POST", "/v1/personalities", {"name": "ok", "id": "per_x"}, 422, "id"),
        ("POST", "/v1/personalities", {"name": "ok", "createdAt": "2020-01-01T00:00:00Z"}, 422, "createdAt"),
        ("POST", "/v1/personalities", {"name": "ok", "projectId": "prj_x"}, 422, "projectId"),
        (
            "POST",
            "/v1/personalities",
            {"name": "ok", "metadata": {f"k{i}": i for i in range(65)}},
            422,
            "metadata",
        ),
        ("POST", "/v1/personalities", {"name": "ok", "metadata": {"big": "x" * 17000}}, 413, "metadata"),
        ("POST", "/v1/personalities", b'{"name": ', 422, "body"),
        ("POST", "/v1/personalities", b"[1, 2]", 422, None),
        ("PATCH", url, {"name": ""}, 422, "name"),
        ("PATCH", url, {"name": None}, 422, "name"),
        ("PATCH", url, {"name": "x" * 101}, 422, "name"),
        ("PATCH", url, {"description": 7}, 422, "description"),
        ("PATCH", url, {"description": "x" * 2001}, 422, "description"),
        ("PATCH", url, {"metadata": None}, 422, "metadata"),
        ("PATCH", url, {"id": "per_other"}, 422, "id"),
        ("PATCH", url, {"metadata": {"big": "x" * 17000}}, 413, "metadata"),
        ("PATCH", url, b"{", 422, "body"),
        ("GET", "/v1/personalities?limit=0", None, 422, "limit"),
        ("GET", "/v1/personalities?limit=101", None, 422, "limit"),
        ("GET", "/v1/personalities?limit=abc", None, 422, "limit"),
        ("GET", "/v1/personalities?cursor=garbage", None, 400, None),
    ]
    before = await cypher(
        driver, graph_server, "MATCH (p:Personality {projectId: $p}) RETURN count(p) AS n", p=api.project_id
    )
    for method, target, body, status, field in cases:
        kwargs: dict[str, Any] = (
            {"content": body, "headers": {"content-type": "application/json"}}
            if isinstance(body, bytes)
            else {"json": body}
        )
        response = await api.request(method, target, **kwargs)
        assert response.status_code == status, (method, target, body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert {"type", "title", "status", "detail", "code"} <= problem.keys()
        if field is not None:
            named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field")]
            assert any(field in (n or "") for n in named), (target, body, problem)
    after = await cypher(
        driver, graph_server, "MATCH (p:Personality {projectId: $p}) RETURN count(p) AS n", p=api.project_id
    )
    assert before == after
    assert (await api.get(url)).json() == made


async def test_idempotency_key_on_create(api: Api) -> None:
    headers = {"Idempotency-Key": "personality-once"}
    first = await api.post("/v1/personalities", json={"name": "Once"}, headers=headers)
    again = await api.post("/v1/personalities", json={"name": "Once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other = await api.post("/v1/personalities", json={"name": "Twice"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_CONFLICT"
    listed = (await api.get("/v1/personalities")).json()["personalities"]
    assert [p["id"] for p in listed] == [first.json()["id"]]
