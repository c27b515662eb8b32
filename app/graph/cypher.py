"""Named Cypher statements, loaded once from `cypher/**/*.cypher`.

A statement's name is its path without the suffix (`users/create`). Each file holds one statement
behind a comment header that names its parameters (`// params: $a, $b`). Python never builds
query text: it refers to statements by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
_PARAMS_LINE = re.compile(r"^//\s*params:\s*(?P<names>.*)$", re.MULTILINE)
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class Statement:
    name: str
    text: str
    params: frozenset[str]


class Queries:
    """A dict of statements by name, checked at start-up: every used parameter is declared."""

    def __init__(self, root: Path = CYPHER_DIR) -> None:
        self._by_name: dict[str, Statement] = {}
        for path in sorted(root.rglob("*.cypher")):
            name = path.relative_to(root).with_suffix("").as_posix()
            self._by_name[name] = _parse(name, path.read_text(encoding="utf-8"))

    def __getitem__(self, name: str) -> Statement:
        return self._by_name[name]

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self._by_name if n.startswith(prefix))


def _parse(name: str, text: str) -> Statement:
    match = _PARAMS_LINE.search(text)
    declared: set[str] = set()
    if match and match["names"].strip().lower() != "none":
        declared = {p.strip().lstrip("$") for p in match["names"].split(",") if p.strip()}
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()
    body = body.removesuffix(";").strip()
    used = set(_PARAM_USE.findall(body))
    if used != declared:
        raise ValueError(
            f"cypher/{name}.cypher: header declares {sorted(declared)}, query uses {sorted(used)}"
        )
    return Statement(name=name, text=body, params=frozenset(declared))
