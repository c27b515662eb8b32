"""The compute process: CPU-bound model work (embedding, extraction) apart from the API process.

Running the model in the API process would make every request wait for the interpreter lock
whenever a batch is being encoded (the model's Python layers hold it between the torch kernels):
the append tail latency grew several-fold under ingest load. Here the models live in one child
process, started with `spawn` (no inherited event loop or driver threads), lowered in CPU priority
so that request handling wins when the cores are busy, and killed with its parent. Work is sent as
plain values and comes back as plain values.

If the child dies (out of memory, killed), the pool is rebuilt on the next call; the call that saw
it die fails (an ingest job that made it retries).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import structlog

from app.children import die_with_parent
from app.memory import embeddings, understand
from app.memory.extract import Utterance
from app.memory.understand import Understood

log = structlog.get_logger("engram.compute")
T = TypeVar("T")


class ComputeUnavailable(RuntimeError):
    """The compute process died while working; the work can be retried."""


def _init_child(threads: int, niceness: int, precision: str) -> None:
    die_with_parent()
    if niceness:
        os.nice(niceness)
    understand.load(threads, precision)


def _ping() -> bool:
    return True


class Compute:
    def __init__(
        self, *, processes: int = 1, threads: int = 1, niceness: int = 10, precision: str = "auto"
    ) -> None:
        self._processes = processes
        self._threads = threads
        self._precision = precision
        self._niceness = niceness
        self._pool: ProcessPoolExecutor | None = None
        self._loaded = False

    @property
    def loaded(self) -> bool:
        return self._loaded

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_child,
            initargs=(self._threads, self._niceness, self._precision),
        )

    async def start(self) -> None:
        """Start the children and wait until their models are loaded (one call each starts them all)."""
        self._pool = self._new_pool()
        await asyncio.gather(*(self._call(_ping) for _ in range(self._processes)))
        self._loaded = True

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            raise ComputeUnavailable("the compute process is not running")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        except BrokenProcessPool as exc:
            log.error("compute_process_died")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            raise ComputeUnavailable("the compute process died; it has been restarted") from exc

    async def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return await self._call(embeddings.embed, texts)

    async def extract(
        self, utterances: list[Utterance], *, whole_text: bool = False, by_sentence: bool = False
    ) -> list[Understood]:
        """Extraction and every vector the pipeline needs, for a batch of messages or notes."""
        if not utterances:
            return []
        work = functools.partial(understand.understand, whole_text=whole_text, by_sentence=by_sentence)
        return await self._call(work, utterances)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._loaded = False
