"""`python -m app` (what `make run` calls): serve the API, with the local graph server if no Neo4j is set."""

from __future__ import annotations

import os
import sys

import uvicorn

from app.localgraph import LocalGraphServer, Supervisor
from app.main import create_app
from app.settings import Settings

# A thread that wants the GIL waits up to this long for the event loop's thread to let it go. The
# query encoder's thread takes it a few times per query, so at the default 5 ms a search under load
# spent up to ~15 ms just waiting; at 1 ms the context bench's p99 with new queries went 67 -> 53 ms.
SWITCH_INTERVAL_SECONDS = 0.001


def main() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    settings = Settings()
    supervisor: Supervisor | None = None
    if settings.uses_local_graph:
        local = LocalGraphServer(
            root=(settings.data_dir / "graph").resolve(),
            bolt_port=settings.local_graph_port,
            http_port=settings.local_graph_http_port,
            database=settings.graph_database,
            password=settings.graph_password,
            heap=settings.local_graph_heap,
        )
        print(f"engram: starting the local graph server (data in {local.root}) ...", flush=True)
        local.start()
        print(f"engram: local graph server ready on {local.uri}", flush=True)
        supervisor = Supervisor(local)  # restarts it if it dies; /health reports if it cannot
        supervisor.start()
    try:
        uvicorn.run(
            create_app(settings, graph_supervisor=supervisor),
            host=settings.host,
            port=settings.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=10,
        )
    finally:
        if supervisor is not None:
            supervisor.stop()


if __name__ == "__main__":
    main()
