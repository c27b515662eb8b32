"""Prefixed, time-sortable, opaque ids (`usr_01HXY...`)."""

from __future__ import annotations

from typing import Literal

from ulid import ULID

Prefix = Literal[
    "usr", "grph", "thr", "msg", "ij", "mem", "ent", "rel", "grp", "per", "int", "key", "prj", "aud"
]


def new_id(prefix: Prefix) -> str:
    return f"{prefix}_{ULID()}"
