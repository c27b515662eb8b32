"""The ONNX query encoder gives the sentence-transformers vectors (exported from the real weights)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.memory import embeddings, onnx_model
from tests.conftest import MODEL_CACHE

TEXTS = [
    "Where does Caroline live?",
    "What did Melanie paint last summer, and who did she show it to at the art fair in Portland?",
    "Tea",
    "Ich habe im März in Berlin angefangen zu arbeiten.",
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    embeddings.load_model(1, "float32")
    try:
        return np.asarray(embeddings.embed(TEXTS), dtype=np.float32)
    finally:
        embeddings._model = None


def encoder(int8: bool) -> onnx_model.OnnxEncoder:
    path = onnx_model.ensure_exported(onnx_model.model_path(MODEL_CACHE, int8), int8)
    return onnx_model.OnnxEncoder(path)


def test_float32_graph_gives_the_sentence_transformers_vectors(reference: np.ndarray) -> None:
    together = encoder(int8=False).embed(TEXTS)  # padded to the longest text
    assert together.shape == (len(TEXTS), embeddings.DIMENSIONS)
    assert together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert (together * reference).sum(axis=1).min() > 0.99999
    alone = np.vstack([encoder(int8=False).embed([t]) for t in TEXTS])
    assert np.abs(alone - together).max() < 1e-4  # padding changes nothing


def test_int8_graph_stays_close_and_ranks_alike(reference: np.ndarray) -> None:
    vectors = encoder(int8=True).embed(TEXTS)
    assert (vectors * reference).sum(axis=1).min() > 0.98
    assert np.array_equal(
        np.argsort(-(vectors @ reference.T), axis=1)[:, 0], np.arange(len(TEXTS))
    )  # each text is still nearest its own float32 vector


def test_each_graph_has_its_own_file(tmp_path: Path) -> None:
    assert onnx_model.model_path(tmp_path, True) != onnx_model.model_path(tmp_path, False)
    assert onnx_model.model_path(tmp_path, True).parent == tmp_path
