"""Engram: a self-hosted, graph-native memory service for AI applications."""

import os

# numpy's OpenBLAS would run matrix products (a query against a user's memory vectors) on a pool of
# one thread per core whose workers spin between jobs: in the API process that pool burned a whole
# core beside the event loop (context bench p99 79-100 -> 66-69 ms with one thread). The matrices
# here are small, and parallelism comes from the processes. Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
