"""Settings from the environment (and an optional `.env`), validated once at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_GRAPH_DATABASE = "engram"
_PLACEHOLDERS = {"", "changeme", "changethis", "change-me", "secret", "admin", "password", "token", "xxx"}


class Settings(BaseSettings):
    """Every knob of the service; names are the environment variables without the `ENGRAM_` prefix."""

    model_config = SettingsConfigDict(env_prefix="ENGRAM_", env_file=".env", extra="ignore")

    env: Literal["dev", "prod"] = "dev"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path(".data")
    admin_token: SecretStr = SecretStr("")
    # Signs pagination cursors. In dev an empty value is replaced by one kept under the data dir.
    secret_key: SecretStr = SecretStr("")
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    local_graph_port: int = Field(default=7687, ge=1, le=65535)
    local_graph_http_port: int = Field(default=2480, ge=1, le=65535)
    local_graph_heap: str = "2g"
    # The local server listens on loopback only; its root password lives here.
    local_graph_password: SecretStr = SecretStr("engram-local-graph")
    # In dev mode, create a `dev` project with a key on first start.
    bootstrap_dev_project: bool = True

    neo4j_uri: str = Field(default="", validation_alias=AliasChoices("NEO4J_URI", "ENGRAM_NEO4J_URI"))
    neo4j_username: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USERNAME", "ENGRAM_NEO4J_USERNAME")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD", "ENGRAM_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "ENGRAM_NEO4J_DATABASE")
    )

    # How long a request retries transient graph errors before answering 503, and how long start-up
    # waits for the graph before serving anyway (then /ready says 503 until the schema is applied).
    graph_retry_seconds: float = Field(default=10.0, ge=0)
    # After this long without any answer from the graph (a stopped or wedged server), requests
    # waiting on it are answered 503 and new ones at once, until it answers again. 0: never.
    graph_stall_seconds: float = Field(default=5.0, ge=0)
    startup_graph_wait_seconds: float = Field(default=30.0, ge=0)

    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_content_bytes: int = Field(default=32 * 1024, ge=1)
    max_batch_messages: int = Field(default=100, ge=1)
    max_metadata_bytes: int = Field(default=16 * 1024, ge=64)
    max_metadata_keys: int = Field(default=64, ge=1)
    max_metadata_depth: int = Field(default=5, ge=1)
    idempotency_ttl_seconds: int = Field(default=24 * 3600, ge=60)

    # The ingest worker pool of this process (0 workers: this process only accepts messages).
    ingest_workers: int = Field(default=2, ge=0, le=64)
    ingest_batch_size: int = Field(default=32, ge=1, le=512)
    ingest_lease_seconds: float = Field(default=30.0, gt=0)
    ingest_max_attempts: int = Field(default=5, ge=1)
    ingest_poll_seconds: float = Field(default=0.5, gt=0)
    # After a wake-up, wait this long so that messages arriving together are ingested in one batch:
    # fewer, larger write transactions leave the graph free for appends (at the cost of job latency).
    ingest_linger_seconds: float = Field(default=1.0, ge=0, le=10)
    # The compute processes (models): how many, torch threads in each, and how much lower their CPU
    # priority is than the API's. Two processes keep both cores busy with ingest batches.
    compute_processes: int = Field(default=2, ge=1, le=64)
    compute_threads: int = Field(default=1, ge=1, le=64)
    compute_niceness: int = Field(default=19, ge=0, le=19)
    # bfloat16 where the CPU does it natively (2x faster here, cosine >= 0.998 to float32), else float32.
    embedding_precision: Literal["auto", "bfloat16", "float32"] = "auto"
    # Search queries are embedded in the API process: through ONNX Runtime (graph exported once from
    # the installed weights into `model_cache_dir`, default <data_dir>/models) with int8 weights (5x
    # faster per query than PyTorch here, same LoCoMo recall) or float32 ones (2.4x, exact), or with
    # PyTorch.
    query_encoder: Literal["onnx-int8", "onnx", "torch"] = "onnx-int8"
    model_cache_dir: Path | None = None

    # Retrieval (search and context): how the four rankings are fused (weighted reciprocal rank
    # fusion, `weight / (rrf_k + rank)`), how many candidates each contributes, and the cache of
    # per-user indexes in this process (counted in memories; least recently used users leave first).
    search_weight_meaning: float = Field(default=1.0, ge=0)
    search_weight_words: float = Field(default=1.0, ge=0)
    search_weight_graph: float = Field(default=0.5, ge=0)
    search_weight_recency: float = Field(default=0.1, ge=0)
    search_rrf_k: int = Field(default=20, ge=1)
    search_candidates: int = Field(default=100, ge=10, le=1000)
    # Context with a query: how many of the best memories come before the verbatim excerpts, and
    # how excerpts (the user's messages) are ranked: weights of meaning, words and the messages
    # behind the memories found, fused by reciprocal rank with this k; the share of a question's
    # score its reply gets.
    context_relevant_facts: int = Field(default=8, ge=0, le=50)
    excerpt_weight_meaning: float = Field(default=1.0, ge=0)
    excerpt_weight_words: float = Field(default=0.6, ge=0)
    excerpt_weight_memories: float = Field(default=0.3, ge=0)
    excerpt_weight_replies: float = Field(default=0.7, ge=0)
    excerpt_rrf_k: int = Field(default=20, ge=1)
    retrieval_cache_memories: int = Field(default=500_000, ge=0)
    # How long a user's state (their graph's version, groups, name) read for retrieval is reused while
    # this process writes nothing: writes here are seen at once, another replica's within this time.
    retrieval_state_seconds: float = Field(default=1.0, ge=0)
    # Context: default and maximum token budget, and which top-level user metadata keys "who the user
    # is" may show (none unless listed: metadata can hold anything).
    context_default_tokens: int = Field(default=1500, ge=50, le=8000)
    context_metadata_keys: list[str] = ["plan", "tier", "company", "role", "timezone", "locale", "language"]

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.env == "prod":
            for name in ("admin_token", "secret_key"):
                value: SecretStr = getattr(self, name)
                if value.get_secret_value().strip().lower() in _PLACEHOLDERS or len(value) < 16:
                    raise ValueError(
                        f"ENGRAM_{name.upper()} must be set to a random value of at least 16 characters "
                        "outside dev mode"
                    )
        return self

    @property
    def metadata_limits(self) -> dict[str, int]:
        """Keyword arguments of `app.metadata.validate`."""
        return {
            "max_bytes": self.max_metadata_bytes,
            "max_keys": self.max_metadata_keys,
            "max_depth": self.max_metadata_depth,
        }

    @property
    def uses_local_graph(self) -> bool:
        return not self.neo4j_uri

    @property
    def graph_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.local_graph_port}"

    @property
    def graph_database(self) -> str:
        return self.neo4j_database if self.neo4j_uri else LOCAL_GRAPH_DATABASE

    @property
    def graph_username(self) -> str:
        return self.neo4j_username if self.neo4j_uri else "root"

    @property
    def graph_password(self) -> str:
        secret = self.neo4j_password if self.neo4j_uri else self.local_graph_password
        return secret.get_secret_value()

    def with_dev_secrets(self) -> Settings:
        """Fill empty dev-mode secrets from files under the data dir, creating them once."""
        if self.env != "dev":
            return self
        updates: dict[str, SecretStr] = {}
        for name in ("admin_token", "secret_key"):
            if not getattr(self, name).get_secret_value():
                updates[name] = SecretStr(_persistent_secret(self.data_dir / name.replace("_", "-")))
        return self.model_copy(update=updates) if updates else self


def _persistent_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value
