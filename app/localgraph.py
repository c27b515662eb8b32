"""The local graph server: ArcadeDB speaking Bolt, for machines without Neo4j.

`python -m app.localgraph --root DIR --bolt-port N --http-port M --database NAME` runs the server in
this process (a JVM through JPype) until SIGTERM. `LocalGraphServer` runs that module as a child
process, waits until it is ready, and stops it again; the child also dies with its parent.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import structlog

from app.children import die_with_parent

READY_FILE = ".ready"

# Types that many transactions insert into at once. ArcadeDB puts a type's new records into its
# buckets; with one bucket (its default) concurrent inserts collide on the same page slot and are
# retried ("slot rebase not possible"). Several buckets let concurrent inserts land apart. Types are
# created this way only when they do not exist yet (an older data dir keeps its single bucket).
HOT_VERTEX_TYPES = (
    "User",
    "Thread",
    "Message",
    "IngestJob",
    "IdempotencyKey",
    "Memory",
    "MemoryEvent",
    "Entity",
)
HOT_EDGE_TYPES = ("HAS_GRAPH", "HAS_THREAD", "HAS_MESSAGE", "INGESTED_BY")
HOT_TYPE_BUCKETS = 8


class LocalGraphError(RuntimeError):
    """The local graph server could not be started."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalGraphServer:
    """A child process running ArcadeDB with its Bolt plugin on loopback."""

    def __init__(
        self,
        *,
        root: Path,
        bolt_port: int,
        http_port: int,
        database: str,
        password: str,
        heap: str = "2g",
    ) -> None:
        self.root = root
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.database = database
        self.password = password
        self.heap = heap
        self._process: subprocess.Popen[bytes] | None = None
        self._last_returncode: int | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def returncode(self) -> int | None:
        """How the server's last process ended (None while it runs or before it started)."""
        return self._last_returncode

    @property
    def pid(self) -> int | None:
        """The server process's pid while it runs (what a fault test stops or kills)."""
        if self._process is None:
            return None
        code = self._process.poll()  # also reaps an exited process: no <defunct> child is left
        if code is not None:
            self._last_returncode = code
            return None
        return self._process.pid

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    def start(self, *, timeout: float = 90.0) -> None:
        """Start the server and block until its database answers on Bolt."""
        self.root.mkdir(parents=True, exist_ok=True)
        ready = self.root / READY_FILE
        ready.unlink(missing_ok=True)
        # The JVM writes its own log/ folder into its working directory: keep it under the data dir.
        project_root = str(Path(__file__).resolve().parents[1])
        env = {
            **os.environ,
            "ENGRAM_LOCAL_GRAPH_PASSWORD": self.password,
            "PYTHONPATH": os.pathsep.join(p for p in (project_root, os.environ.get("PYTHONPATH")) if p),
        }
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own module, fixed argv
                [
                    sys.executable,
                    "-m",
                    "app.localgraph",
                    "--root",
                    str(self.root),
                    "--bolt-port",
                    str(self.bolt_port),
                    "--http-port",
                    str(self.http_port),
                    "--database",
                    self.database,
                    "--heap",
                    self.heap,
                ],
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=die_with_parent,  # noqa: PLW1509 - needed for PDEATHSIG
            )
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self._process.poll() is not None:
                raise LocalGraphError(
                    f"local graph server exited with {self._process.returncode}; see {self.log_path}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise LocalGraphError(
                    f"local graph server not ready after {timeout:.0f} s; see {self.log_path}"
                )
            time.sleep(0.1)

    def stop(self, *, timeout: float = 30.0) -> None:
        """Stop the server with SIGTERM (SIGKILL if it does not go)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Supervisor:
    """Keeps a `LocalGraphServer` running under `make run`: when its process exits (killed, crashed),
    it is started again after a backoff (1 s, doubling to 30 s; back to 1 s after a minute up). The
    API answers 503 meanwhile and recovers by itself. After `max_failures` starts in a row that fail,
    it gives up: `/health` then answers 503, so that whatever supervises the API restarts it.

    `state`: "running", "restarting" or "gave_up". Runs in a daemon thread (`start`)."""

    def __init__(
        self, server: LocalGraphServer, *, max_failures: int = 10, poll_seconds: float = 0.5
    ) -> None:
        self.server = server
        self.max_failures = max_failures
        self.poll_seconds = poll_seconds
        self.state = "running"
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="local-graph-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.server.stop()

    def _run(self) -> None:
        log = structlog.get_logger("engram.localgraph")
        delay, failures, up_since = 1.0, 0, time.monotonic()
        while not self._stopping.wait(self.poll_seconds):
            if self.server.pid is not None:
                if time.monotonic() - up_since > 60:
                    delay, failures = 1.0, 0
                continue
            code = self.server.returncode
            self.state = "restarting"
            log.warning("local_graph_exited", returncode=code, restart_in_seconds=delay)
            if self._stopping.wait(delay):
                return
            try:
                self.server.start()
            except LocalGraphError as exc:
                failures += 1
                delay = min(delay * 2, 30.0)
                log.error("local_graph_start_failed", failures=failures, error=str(exc))
                if failures >= self.max_failures:
                    self.state = "gave_up"
                    log.error("local_graph_gave_up", failures=failures)
                    return
                continue
            self.restarts += 1
            self.state = "running"
            up_since = time.monotonic()
            log.warning("local_graph_restarted", restarts=self.restarts)


def _serve(args: argparse.Namespace) -> None:
    from arcadedb_embedded.server import ArcadeDBServer

    root = Path(args.root).resolve()
    server = ArcadeDBServer(
        root_path=str(root),
        root_password=os.environ["ENGRAM_LOCAL_GRAPH_PASSWORD"],
        config={
            "host": "127.0.0.1",
            "http_port": args.http_port,
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": args.bolt_port,
        },
        jvm_kwargs={"heap_size": args.heap},
    )
    server.start()
    if not _database_exists(server, args.database):
        server.create_database(args.database)
    _spread_hot_types(server.get_database(args.database))
    # The handlers only note the signal: a handler runs on the main thread between bytecodes, and one
    # that set a threading.Event while this thread waited on it deadlocked on the Event's own lock
    # (the server then ignored every later SIGTERM).
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _: stopping.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _: stopping.append(signum))
    (root / READY_FILE).write_text(f"{os.getpid()}\n")
    print(f"local graph server ready on bolt://127.0.0.1:{args.bolt_port}", flush=True)
    while not stopping:
        time.sleep(0.2)
    (root / READY_FILE).unlink(missing_ok=True)
    server.stop()
    print("local graph server stopped", flush=True)


def _spread_hot_types(database: Any) -> None:
    schema = database.schema
    for name in HOT_VERTEX_TYPES:
        if not schema.exists_type(name):
            schema.create_vertex_type(name, buckets=HOT_TYPE_BUCKETS)
    for name in HOT_EDGE_TYPES:
        if not schema.exists_type(name):
            schema.create_edge_type(name, buckets=HOT_TYPE_BUCKETS)


def _database_exists(server: object, name: str) -> bool:
    try:
        server.get_database(name)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the embedded API raises a generic error for a missing database
        return False
    return True


def main() -> None:
    """Defaults come from the settings, so `make graph` serves what `make run` would use."""
    from app.settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=str(settings.data_dir / "graph"))
    parser.add_argument("--bolt-port", type=int, default=settings.local_graph_port)
    parser.add_argument("--http-port", type=int, default=settings.local_graph_http_port)
    parser.add_argument("--database", default=settings.graph_database)
    parser.add_argument("--heap", default=settings.local_graph_heap)
    os.environ.setdefault("ENGRAM_LOCAL_GRAPH_PASSWORD", settings.local_graph_password.get_secret_value())
    _serve(parser.parse_args())


if __name__ == "__main__":
    main()
