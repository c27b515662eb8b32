"""Pure logic: cursors, metadata, keys, the Cypher loader, settings, time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import keys
from app import metadata as md
from app.clock import parse_rfc3339, to_rfc3339
from app.errors import InvalidCursor, PayloadTooLarge, ValidationFailed
from app.graph.cypher import CYPHER_DIR, Queries
from app.memory.extract.vocabulary import RELATION_TYPES
from app.pagination import CursorCodec
from app.settings import Settings


def test_cursor_round_trip_and_binding() -> None:
    codec = CursorCodec(b"k" * 32)
    pages = codec.bind(project_id="prj_1", scope="users", query={"limit": 10, "q": None})
    cursor = pages.encode((1700000000000, "usr_01"))
    assert pages.position(cursor) == (1700000000000, "usr_01")
    assert pages.position(None) is None
    for other in (
        codec.bind(project_id="prj_2", scope="users", query={"limit": 10, "q": None}),
        codec.bind(project_id="prj_1", scope="keys", query={"limit": 10, "q": None}),
        codec.bind(project_id="prj_1", scope="users", query={"limit": 11, "q": None}),
        CursorCodec(b"x" * 32).bind(project_id="prj_1", scope="users", query={"limit": 10, "q": None}),
    ):
        with pytest.raises(InvalidCursor):
            other.position(cursor)
    body, _, signature = cursor.partition(".")
    for forged in ("", ".", "abc", body + "." + signature[::-1], body[:-1] + "x." + signature):
        with pytest.raises(InvalidCursor):
            pages.position(forged)


def test_page_cut() -> None:
    pages = CursorCodec(b"k").bind(project_id="p", scope="s", query={})
    rows = [(i, f"id{i}") for i in range(5)]
    page, pagination = pages.page(rows, 4, key=lambda r: r)
    assert page == rows[:4]
    assert pagination.has_more
    assert pages.position(pagination.next_cursor) == (3, "id3")
    page, pagination = pages.page(rows[:3], 4, key=lambda r: r)
    assert (page, pagination.has_more, pagination.next_cursor) == (rows[:3], False, None)


def test_metadata_merge_and_filter_pairs() -> None:
    assert md.merge({"a": 1, "b": 2}, {"b": None, "c": 3, "a": 5}) == {"a": 5, "c": 3}
    pairs = md.filter_pairs({"plan": "pro", "seats": 5, "ratio": 2.0, "beta": True, "tags": ["x"], "n": None})
    assert pairs == sorted(['["plan","pro"]', '["seats",5]', '["ratio",2]', '["beta",true]'])
    assert set(md.query_alternatives("seats", "5")) == {'["seats","5"]', '["seats",5]'}
    assert md.query_alternatives("plan", "pro") == ['["plan","pro"]']
    assert '["beta",true]' in md.query_alternatives("beta", "true")


def test_metadata_limits() -> None:
    limits = {"max_bytes": 100, "max_keys": 3, "max_depth": 2}
    md.validate({"a": {"b": 1}}, field="metadata", **limits)
    with pytest.raises(PayloadTooLarge):
        md.validate({"a": "x" * 200}, field="metadata", **limits)
    with pytest.raises(ValidationFailed):
        md.validate({"a": 1, "b": 2, "c": 3, "d": 4}, field="metadata", **limits)
    with pytest.raises(ValidationFailed):
        md.validate({"a": {"b": {"c": 1}}}, field="metadata", **limits)


def test_keys_are_prefixed_high_entropy_and_hashed() -> None:
    one, two = keys.generate_key(), keys.generate_key()
    assert one.token.startswith("egm_")
    assert one.token != two.token
    assert one.prefix != two.prefix
    assert keys.key_prefix(one.token) == one.prefix
    assert keys.matches(one.token, one.hash)
    assert not keys.matches(two.token, one.hash)
    assert one.token not in one.hash
    assert keys.key_prefix("egm_short") is None
    assert keys.key_prefix("xyz_" + one.token[4:]) is None


def test_every_cypher_file_loads_with_declared_params() -> None:
    queries = Queries()
    names = queries.names()
    assert "users/create" in names
    assert len(names) == len(list(CYPHER_DIR.rglob("*.cypher")))
    assert all(n.startswith("schema/0") for n in queries.names("schema/"))
    assert queries["users/get"].params == {"projectId", "userId"}


def test_cypher_loader_rejects_undeclared_params(tmp_path: Path) -> None:
    (tmp_path / "bad.cypher").write_text("// params: $a\nMATCH (n {id: $a, x: $b}) RETURN n\n")
    with pytest.raises(ValueError, match=r"bad\.cypher"):
        Queries(tmp_path)


@pytest.mark.parametrize("token", ["", "changeme", "secret", "short"])
def test_prod_refuses_placeholder_secrets(token: str) -> None:
    with pytest.raises(ValueError, match="ENGRAM_ADMIN_TOKEN"):
        Settings(env="prod", admin_token=token, secret_key="a-real-secret-key-0123456789")


def test_prod_accepts_real_secrets_and_dev_generates_them(tmp_path: Path) -> None:
    Settings(env="prod", admin_token="x" * 32, secret_key="y" * 32)
    dev = Settings(env="dev", data_dir=tmp_path).with_dev_secrets()
    again = Settings(env="dev", data_dir=tmp_path).with_dev_secrets()
    assert len(dev.admin_token.get_secret_value()) >= 32
    assert dev.admin_token == again.admin_token
    assert dev.secret_key != dev.admin_token


def test_time_round_trip() -> None:
    ms = parse_rfc3339("2026-05-17T12:00:00Z")
    assert to_rfc3339(ms) == "2026-05-17T12:00:00.000Z"
    assert parse_rfc3339("2026-05-17T14:00:00+02:00") == ms
    with pytest.raises(ValueError, match="time zone"):
        parse_rfc3339("2026-05-17T12:00:00")


def test_ingest_backoff_grows_and_is_capped() -> None:
    from app.ingest import IngestConfig, backoff_ms

    config = IngestConfig(backoff_seconds=1.0, max_backoff_seconds=8.0)
    first, third, tenth = (backoff_ms(n, config) for n in (1, 3, 10))
    assert 800 <= first <= 1200
    assert 3200 <= third <= 4800
    assert 6400 <= tenth <= 9600


def test_every_relation_type_has_exactly_one_cypher_branch() -> None:
    """The closed vocabulary in Python and the per-type branches of the relation write are one set."""
    text = (CYPHER_DIR / "ingest" / "write_relations.cypher").read_text()
    branches = re.findall(
        r"WHEN row\.type = '([A-Z_]+)' THEN \[1\] ELSE \[\] END \| MERGE \(a\)-\[r:([A-Z_]+) ", text
    )
    assert all(tested == written for tested, written in branches)
    assert sorted(t for t, _ in branches) == sorted(RELATION_TYPES)
    assert len(set(RELATION_TYPES)) == len(RELATION_TYPES)
