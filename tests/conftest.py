"""One graph server per test session; a fresh project (and key) per test.

The server is, in order: `NEO4J_URI` if set; Neo4j 5.26 through testcontainers if a Docker daemon
answers; else the local graph server (ArcadeDB over Bolt) on free ports. Tests are isolated by the
API's own tenant scoping, so nothing is ever wiped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest

from app.localgraph import LocalGraphError, LocalGraphServer, free_port
from app.main import create_app
from app.settings import Settings

ADMIN_TOKEN = "test-admin-token-0123456789"
# The query encoder's ONNX graphs (exported from the installed weights on first use) outlive a run.
MODEL_CACHE = Path(__file__).resolve().parent.parent / ".data" / "models"


@dataclass(frozen=True)
class GraphServer:
    kind: str
    uri: str
    username: str
    password: str
    database: str


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:  # noqa: BLE001 - no daemon, no socket, no permission: all mean "no Docker"
        return False
    return True


_USED: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _USED:
        terminalreporter.write_line(f"graph server used: {line}")


@pytest.fixture(scope="session")
def graph_server() -> Iterator[GraphServer]:
    if os.environ.get("NEO4J_URI"):
        server = GraphServer(
            kind="NEO4J_URI",
            uri=os.environ["NEO4J_URI"],
            username=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        _USED.append(f"{server.uri} (from NEO4J_URI)")
        yield server
    elif _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26", password="engram-test-password") as container:
            server = GraphServer(
                kind="testcontainers",
                uri=container.get_connection_url(),
                username="neo4j",
                password="engram-test-password",
                database="neo4j",
            )
            _USED.append(f"neo4j:5.26 via testcontainers at {server.uri}")
            yield server
    else:
        with tempfile.TemporaryDirectory(prefix="engram-graph-") as root:
            local = started_local_graph(Path(root), password="engram-test-password", heap="1g")
            _USED.append(f"local graph server (ArcadeDB over Bolt) at {local.uri}")
            try:
                yield GraphServer(
                    kind="local",
                    uri=local.uri,
                    username="root",
                    password="engram-test-password",
                    database="engram",
                )
            finally:
                local.stop()


def started_local_graph(root: Path, *, password: str, heap: str) -> LocalGraphServer:
    """A local graph server of its own (database "engram") on free ports, started: tried again on new
    ports if one was taken between finding it and binding it."""
    for attempt in range(3):
        local = LocalGraphServer(
            root=root,
            bolt_port=free_port(),
            http_port=free_port(),
            database="engram",
            password=password,
            heap=heap,
        )
        try:
            local.start()
        except LocalGraphError:
            if attempt == 2:
                raise
            continue
        return local
    raise AssertionError("three attempts either return or raise")


@pytest.fixture(scope="session")
def settings(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        env="dev",
        data_dir=tmp_path_factory.mktemp("data"),
        model_cache_dir=MODEL_CACHE,
        admin_token=ADMIN_TOKEN,
        secret_key="test-secret-key-0123456789",
        bootstrap_dev_project=False,
        # Tests append one message and wait for it: no point lingering for more to arrive.
        ingest_linger_seconds=0.05,
        NEO4J_URI=graph_server.uri,
        NEO4J_USERNAME=graph_server.username,
        NEO4J_PASSWORD=graph_server.password,
        NEO4J_DATABASE=graph_server.database,
    )


@pytest.fixture(scope="session")
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process on the test loop. (Litestar's AsyncTestClient runs requests one at a time
    through a portal thread; httpx's ASGI transport lets concurrent requests really overlap.)"""
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://engram.test", timeout=60
        ) as c,
    ):
        yield c


@contextlib.asynccontextmanager
async def running(app: Any) -> AsyncIterator[None]:
    """Drive the ASGI lifespan protocol in a task of its own (startup before, shutdown after)."""
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()

    async def send(message: dict[str, str]) -> None:
        await outbox.put(message)

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


@pytest.fixture(scope="session")
async def driver(graph_server: GraphServer) -> AsyncIterator[neo4j.AsyncDriver]:
    """A direct driver, for tests that check the graph itself with Cypher."""
    async with neo4j.AsyncGraphDatabase.driver(
        graph_server.uri, auth=(graph_server.username, graph_server.password)
    ) as direct:
        yield direct


@dataclass
class Api:
    """An HTTP client bound to one project's key."""

    client: httpx.AsyncClient
    key: str
    project_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)


async def new_project(client: httpx.AsyncClient, name: str = "test") -> Api:
    response = await client.post(
        "/v1/admin/projects", json={"name": name}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Api(client=client, key=body["apiKey"], project_id=body["project"]["id"])


@pytest.fixture
async def api(client: httpx.AsyncClient) -> Api:
    return await new_project(client)


@pytest.fixture
async def other_api(client: httpx.AsyncClient) -> Api:
    return await new_project(client, name="other")


async def wait_for_jobs(api: Api, user_id: str, *, within: float = 60.0) -> list[dict[str, Any]]:
    """Poll until none of the user's ingest jobs is queued or running; returns all of them."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        jobs: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            body = (await api.get(f"/v1/users/{user_id}/jobs", params=params)).json()
            jobs += body["jobs"]
            if not body["pagination"]["hasMore"]:
                break
            cursor = body["pagination"]["nextCursor"]
        if all(j["status"] in ("succeeded", "failed") for j in jobs):
            return jobs
        assert asyncio.get_running_loop().time() < deadline, "ingest jobs did not finish in time"
        await asyncio.sleep(0.1)


async def cypher(
    driver: neo4j.AsyncDriver, graph_server: GraphServer, query: str, **params: Any
) -> list[dict[str, Any]]:
    result = await driver.execute_query(query, params, database_=graph_server.database)
    return [r.data() for r in result.records]


@contextlib.contextmanager
def child_service(data_dir: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m app` (what `make run` runs) as a real child process with its own local graph
    server, data dir and ports (one compute process), ready: its base URL and process, stopped
    after. For tests that signal real processes or drive the API from outside. `env`: more settings.

    Free ports are found by binding port 0 and letting go, so another process may take one before
    the service binds it: a start that dies before it is ready is tried again on new ports."""
    for attempt in range(3):
        port = free_port()
        environment = {
            **os.environ,
            "ENGRAM_ENV": "dev",
            "ENGRAM_DATA_DIR": str(data_dir),
            "ENGRAM_PORT": str(port),
            "ENGRAM_LOCAL_GRAPH_PORT": str(free_port()),
            "ENGRAM_LOCAL_GRAPH_HTTP_PORT": str(free_port()),
            "ENGRAM_LOCAL_GRAPH_HEAP": "512m",
            "ENGRAM_MODEL_CACHE_DIR": str(MODEL_CACHE),
            "ENGRAM_ADMIN_TOKEN": ADMIN_TOKEN,
            "ENGRAM_COMPUTE_PROCESSES": "1",
            "HF_HUB_OFFLINE": "1",
            **env,
        }
        environment.pop("NEO4J_URI", None)
        with (data_dir / "service.log").open("ab") as log:
            service = subprocess.Popen(
                [sys.executable, "-m", "app"],
                cwd=Path(__file__).resolve().parent.parent,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}"
        try:
            if _wait_ready(base_url, service, within=180):
                yield base_url, service
                return
        finally:
            service.terminate()
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()
                service.wait()
        assert attempt < 2, (data_dir / "service.log").read_text()[-3000:]


def _wait_ready(base_url: str, service: subprocess.Popen[bytes], *, within: float) -> bool:
    """True once /ready says 200; False if the service exited first."""
    deadline = time.monotonic() + within
    while service.poll() is None:
        try:
            if httpx.get(f"{base_url}/ready", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the service was not ready in time"
        time.sleep(0.3)
    return False


def project_key(base_url: str, name: str) -> dict[str, str]:
    """A new project's key on a service reached over HTTP, as the header to send."""
    made = httpx.post(
        f"{base_url}/v1/admin/projects",
        json={"name": name},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['apiKey']}"}
