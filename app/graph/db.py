"""The graph handle: one async driver for the app's life, named statements, managed transactions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from app.errors import GraphBusy, GraphUnavailable, NotFound
from app.graph.cypher import Queries

T = TypeVar("T")
Row = dict[str, Any]


class Tx:
    """A managed transaction that runs statements by name."""

    def __init__(self, tx: neo4j.AsyncManagedTransaction, queries: Queries) -> None:
        self._tx = tx
        self._queries = queries

    async def run(self, name: str, /, **params: Any) -> list[Row]:
        statement = self._queries[name]
        result = await self._tx.run(statement.text, params)
        # Statements return maps and values, never nodes: no deep conversion (`record.data()` walks
        # every element of every list, seconds for 10,000 memory vectors).
        return [dict(zip(record.keys(), record.values(), strict=True)) async for record in result]

    async def one(self, name: str, /, **params: Any) -> Row | None:
        rows = await self.run(name, **params)
        return rows[0] if rows else None


class Graph:
    """Runs named statements in read or write transactions; maps an unreachable server to 503.

    With `stall_seconds`, a watch (`start_watch`) pings the server every second: once it has not
    answered anything for `stall_seconds` (a stopped or wedged process keeps its sockets open, so
    nothing fails by itself), transactions waiting on it are cancelled and answered 503
    GRAPH_UNAVAILABLE, and new ones are refused at once, until it answers again. A cancelled
    transaction never committed: the client is told it failed, and nothing of it is applied later.
    """

    def __init__(
        self,
        driver: neo4j.AsyncDriver,
        database: str,
        queries: Queries,
        *,
        stall_seconds: float | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        # Write transactions this process has run: a reader can tell that nothing was written here
        # since it read (retrieval keeps what it read while this has not moved).
        self.writes = 0
        self.queries = queries
        self.stall_seconds = stall_seconds
        self.last_answer = time.monotonic()
        self._watch: asyncio.Task[None] | None = None

    @property
    def stalled(self) -> bool:
        return self.stall_seconds is not None and time.monotonic() - self.last_answer > self.stall_seconds

    def start_watch(self) -> None:
        if self.stall_seconds is not None and self._watch is None:
            self._watch = asyncio.create_task(self._watch_loop(), name="graph-watch")

    async def _watch_loop(self) -> None:
        assert self.stall_seconds is not None
        while True:
            try:
                async with asyncio.timeout(min(2.0, self.stall_seconds)):
                    await self.driver.execute_query(self.queries["health/ping"].text, database_=self.database)
                self.last_answer = time.monotonic()
            except Exception:  # noqa: BLE001, S110 - no answer is what this measures
                pass
            await asyncio.sleep(1.0)

    async def _bounded(self, work: Awaitable[T]) -> T:
        """`work`, unless the graph stops answering while it waits (then 503)."""
        task = asyncio.ensure_future(work)
        if self.stall_seconds is None:
            return await task
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=0.25)
                if done:
                    result = task.result()
                    self.last_answer = time.monotonic()
                    return result
                if self.stalled:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    raise GraphUnavailable(
                        "The graph database stopped answering; nothing was changed, retry shortly"
                    )
        except asyncio.CancelledError:
            task.cancel()
            raise

    async def read(self, name: str, /, **params: Any) -> list[Row]:
        return await self.read_tx(lambda tx: tx.run(name, **params))

    async def read_one(self, name: str, /, **params: Any) -> Row | None:
        rows = await self.read(name, **params)
        return rows[0] if rows else None

    async def read_found(self, name: str, /, *, missing: str, **params: Any) -> Row:
        """The first row, or NotFound(`missing`): a missing row is another project's or no object."""
        row = await self.read_one(name, **params)
        if row is None:
            raise NotFound(missing)
        return row

    async def write(self, name: str, /, **params: Any) -> list[Row]:
        return await self.write_tx(lambda tx: tx.run(name, **params))

    async def write_one(self, name: str, /, **params: Any) -> Row | None:
        rows = await self.write(name, **params)
        return rows[0] if rows else None

    async def read_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        return await self._transaction(work, write=False)

    async def write_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in one write transaction, retried by the driver on transient errors."""
        try:
            return await self._transaction(work, write=True)
        finally:
            self.writes += 1  # whatever happened, what this process read before may be stale

    async def _transaction(self, work: Callable[[Tx], Awaitable[T]], *, write: bool) -> T:
        if self.stalled:
            raise GraphUnavailable("The graph database is not answering; nothing was changed, retry shortly")
        try:
            return await self._bounded(self._session(work, write=write))
        except (ServiceUnavailable, SessionExpired) as exc:
            raise GraphUnavailable() from exc
        except TransientError as exc:  # still conflicting after the driver's retries: rolled back
            raise GraphBusy() from exc

    async def _session(self, work: Callable[[Tx], Awaitable[T]], *, write: bool) -> T:
        async with self.driver.session(database=self.database) as session:
            run = session.execute_write if write else session.execute_read
            return await run(lambda tx: work(Tx(tx, self.queries)))

    async def ping(self, within: float = 1.5) -> bool:
        """The server answers a query within `within` seconds (what `/ready` reports)."""
        try:
            async with asyncio.timeout(within):
                await self.read("health/ping")
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False
        return True

    async def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
        await self.driver.close()


def open_driver(uri: str, username: str, password: str, *, retry_seconds: float) -> neo4j.AsyncDriver:
    return neo4j.AsyncGraphDatabase.driver(
        uri,
        auth=(username, password),
        max_connection_pool_size=64,
        connection_acquisition_timeout=10.0,
        connection_timeout=5.0,
        max_transaction_retry_time=retry_seconds,
        # Transient conflicts (optimistic concurrency on the local server, deadlocks on Neo4j) clear in
        # milliseconds; the driver's default first retry after 1 s would dominate the tail latency.
        initial_retry_delay=0.01,
        retry_delay_multiplier=2.0,
        retry_delay_jitter_factor=0.5,
    )
