"""Query vectors, computed in the API process itself.

The compute processes run at the lowest CPU priority behind ingest batches; a search cannot wait
behind them. The model is loaded here as well (one thread, ~90 MB) and encodes one short query in a
few milliseconds on a dedicated thread; recent queries are remembered.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from app.memory import embeddings


class QueryEncoder:
    def __init__(self, precision: str = "auto", remember: int = 2048) -> None:
        self._precision = precision
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-encoder")
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._remember = remember
        self.loaded = False

    async def start(self) -> None:
        await asyncio.get_running_loop().run_in_executor(
            self._executor, embeddings.load_model, 1, self._precision
        )
        self.loaded = True

    async def vector(self, text: str) -> np.ndarray:
        cached = self._recent.get(text)
        if cached is not None:
            self._recent.move_to_end(text)
            return cached
        [vector] = await asyncio.get_running_loop().run_in_executor(self._executor, embeddings.embed, [text])
        out = np.asarray(vector, dtype=np.float32)
        self._recent[text] = out
        if len(self._recent) > self._remember:
            self._recent.popitem(last=False)
        return out

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
