"""Shared pieces of the bench scripts: arguments, percentiles, tables, a service process to kill."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--base-url", default=os.environ.get("ENGRAM_BASE_URL", DEFAULT_BASE_URL))
    p.add_argument(
        "--api-key",
        default=os.environ.get("ENGRAM_API_KEY"),
        help="defaults to the dev key that `make run` keeps in .data/dev-api-key",
    )
    return p


def api_key(given: str | None, data_dir: Path = ROOT / ".data") -> str:
    if given:
        return given
    key_file = data_dir / "dev-api-key"
    if not key_file.exists():
        sys.exit(f"no --api-key and no {key_file}: start `make run` first or pass --api-key")
    return key_file.read_text().strip()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def table(title: str, rows: list[tuple[str, str, str, bool | None]]) -> bool:
    """Print `metric | value | target | ok` rows; returns whether every target was met."""
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows)
    print(f"  {'metric':<{width}}  {'value':>14}  {'target':>12}  result")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {name:<{width}}  {value:>14}  {target:>12}  {verdict}")
    return all(ok is not False for *_, ok in rows)


async def setup_user_thread(client: httpx.AsyncClient, external_id: str) -> tuple[str, str]:
    user = await client.post("/v1/threads", json={"externalId": external_id, "autoCreateUser": True})
    user.raise_for_status()
    body: dict[str, Any] = user.json()
    return body["userId"], body["id"]


class Service:
    """`python -m app` in its own process group, with its own data dir and ports, to kill at will."""

    def __init__(
        self, data_dir: Path, port: int, bolt_port: int, http_port: int, env: dict[str, str]
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.env = {
            **os.environ,
            "ENGRAM_ENV": "dev",
            "ENGRAM_DATA_DIR": str(data_dir),
            "ENGRAM_PORT": str(port),
            "ENGRAM_LOCAL_GRAPH_PORT": str(bolt_port),
            "ENGRAM_LOCAL_GRAPH_HTTP_PORT": str(http_port),
            "ENGRAM_LOG_LEVEL": "warning",
            **env,
        }
        self.env.pop("NEO4J_URI", None)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> float:
        started = time.monotonic()
        log = (self.data_dir / "service.log").open("ab")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                sys.exit(
                    f"service exited with {self.process.returncode}; see {self.data_dir / 'service.log'}"
                )
            try:
                if httpx.get(f"{self.base_url}/ready", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        sys.exit("service not ready in time")

    def kill(self) -> None:
        """SIGKILL the whole process group: the API and the local graph server at once."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


class BenchError(Exception):
    """A failure worth one line, not a traceback: the service is down, a route is missing, ..."""


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.TransportError as error:
        raise BenchError(
            f"{method} {path}: cannot reach {client.base_url} ({error!r}): is `make run` up?"
        ) from None
    if response.is_success:
        return response.json()
    try:
        problem = response.json()
    except ValueError:
        problem = {"detail": response.text[:200]}
    raise BenchError(
        f"{method} {path} -> {response.status_code} {problem.get('code', '')}: {problem.get('detail', '')}"
    )


def run_bench(name: str, bench: Coroutine[Any, Any, int], failed_line: str, base_url: str) -> int:
    """Run a bench's coroutine: its exit code; on a BenchError, a missing file or an unreachable
    service, one line on stderr and `failed_line` (the bench's last line with nan figures), exit 2."""
    try:
        return asyncio.run(bench)
    except (BenchError, FileNotFoundError) as error:
        print(f"bench {name}: {error}", file=sys.stderr)
    except httpx.TransportError as error:
        print(f"bench {name}: cannot reach {base_url} ({error!r}): is `make run` up?", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    print(failed_line)
    return 2
