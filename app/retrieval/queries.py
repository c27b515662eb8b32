"""Query vectors, computed in the API process itself, batched under load.

The compute processes run at the lowest CPU priority behind ingest batches; a search cannot wait
behind them. The model is loaded here as well, on one thread: through ONNX Runtime with int8
weights by default (`app.memory.onnx_model`: 5x faster than PyTorch for one short text, same
recall), `ENGRAM_QUERY_ENCODER=onnx` for float32 weights, or the PyTorch model when
`ENGRAM_QUERY_ENCODER=torch` or the ONNX graph cannot be made. Queries that arrive while a
batch is being encoded wait for the next one and go together (four short queries cost about what
two cost alone); the same query asked twice at once is encoded once, and recent ones are kept.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import structlog

from app.memory import embeddings, onnx_model

log = structlog.get_logger(__name__)

MAX_BATCH = 32


class QueryEncoder:
    def __init__(
        self,
        precision: str = "auto",
        remember: int = 4096,
        backend: str = "onnx-int8",
        cache_dir: Path | None = None,
    ) -> None:
        self._precision = precision
        self._backend = backend
        self._cache_dir = cache_dir or Path(".data") / "models"
        self._embed: Callable[[list[str]], Sequence[Sequence[float]] | np.ndarray] = embeddings.embed
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-encoder")
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._remember = remember
        self._waiting: dict[str, asyncio.Future[np.ndarray]] = {}
        self._draining: asyncio.Task[None] | None = None
        self.loaded = False
        self.backend = ""

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._backend.startswith("onnx"):
            try:
                encoder = await loop.run_in_executor(self._executor, self._load_onnx)
            except Exception as exc:  # noqa: BLE001 - the PyTorch model still answers
                log.warning("query_encoder.onnx_unavailable", error=type(exc).__name__, detail=str(exc)[:200])
            else:
                self._embed = encoder.embed
                self.backend = self._backend
                self.loaded = True
                log.info("query_encoder.ready", backend=self.backend)
                return
        await loop.run_in_executor(self._executor, embeddings.load_model, 1, self._precision)
        self.backend = "torch"
        self.loaded = True
        log.info("query_encoder.ready", backend=self.backend)

    def _load_onnx(self) -> onnx_model.OnnxEncoder:
        int8 = self._backend == "onnx-int8"
        path = onnx_model.ensure_exported(onnx_model.model_path(self._cache_dir, int8), int8)
        return onnx_model.OnnxEncoder(path, threads=1)

    async def vector(self, text: str) -> np.ndarray:
        cached = self._recent.get(text)
        if cached is not None:
            self._recent.move_to_end(text)
            return cached
        future = self._waiting.get(text)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiting[text] = future
            if self._draining is None or self._draining.done():
                self._draining = asyncio.create_task(self._drain())
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            texts = list(self._waiting)[:MAX_BATCH]
            futures = [self._waiting.pop(t) for t in texts]
            try:
                vectors = await loop.run_in_executor(self._executor, self._embed, texts)
            except Exception as exc:  # noqa: BLE001 - every waiting caller gets the error
                for future in futures:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for text, future, vector in zip(texts, futures, vectors, strict=True):
                out = np.asarray(vector, dtype=np.float32)
                self._recent[text] = out
                if not future.done():
                    future.set_result(out)
            while len(self._recent) > self._remember:
                self._recent.popitem(last=False)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
