"""API key material: high-entropy `egm_` tokens, looked up by prefix, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

KEY_SCHEME = "egm_"
_PREFIX_LEN = len(KEY_SCHEME) + 12
_TOKEN_LEN = len(KEY_SCHEME) + 43  # 32 random bytes, base64url


@dataclass(frozen=True, slots=True)
class NewKey:
    token: str  # shown to the caller once, never stored
    prefix: str
    hash: str


def generate_key() -> NewKey:
    token = KEY_SCHEME + secrets.token_urlsafe(32)
    return NewKey(token=token, prefix=token[:_PREFIX_LEN], hash=hash_key(token))


def hash_key(token: str) -> str:
    # A 256-bit random secret needs no slow KDF: SHA-256 cannot be brute-forced at that entropy.
    return hashlib.sha256(token.encode()).hexdigest()


def key_prefix(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else None."""
    if len(token) != _TOKEN_LEN or not token.startswith(KEY_SCHEME):
        return None
    return token[:_PREFIX_LEN]


def matches(token: str, stored_hash: str) -> bool:
    return hash_matches(hash_key(token), stored_hash)


def hash_matches(token_hash: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash, stored_hash)
