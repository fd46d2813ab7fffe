"""`status` rows kept by the content they were counted from, so unchanged catalogs are not
parsed or checked again (`.cache/status.json` in the project).

A row of (leaflet, locale) depends on the leaflet's source (its template), the shared strings,
the leaflet's and the shared catalog in that locale, the pictures it shows (its sign-off covers
them), and the code that counts and checks; its
key is the hash of all of those, files known by their stat (`stamps.Hashes`). A row for a
leaflet whose source has an error is never kept: it is worked out again each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

from leaflets import locales
from leaflets.files import write_atomic
from leaflets.project import Project

from ..engine import buildstate, plan, stamps

CACHE = Path(".cache") / "status.json"
FORMAT = 1
HERE = Path(__file__).resolve().parent

Row = TypeVar("Row")


def _valid(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and stamps.is_stamp_table(data.get("hashes"))
        and isinstance(data.get("rows"), dict)
        and all(
            isinstance(r, dict) and isinstance(r.get("key"), str) and isinstance(r.get("row"), dict)
            for r in data["rows"].values()
        )
    )


def cached_status(
    project: Project,
    leaflet_ids: list[str] | None,
    codes: list[str] | None,
    compute: Callable[[Project, list[str], list[str]], list[Row]],
    row_type: Callable[..., Row],
    warn: stamps.Warn = lambda line: print(line, file=sys.stderr),
) -> list[Row]:
    """The rows `compute(project, ids, codes)` gives (each with .leaflet and .locale), reusing
    those whose inputs are unchanged since they were last counted."""
    ids = leaflet_ids or project.leaflet_ids()
    codes = [c for c in codes or project.locale_codes() if c != locales.SOURCE_CODE]
    path = project.root / CACHE
    data = stamps.load(path, _valid, warn, "status cache") or {"format": FORMAT, "hashes": {}, "rows": {}}
    hashes = stamps.Hashes(data["hashes"])
    code = hashes.of_files([*buildstate.core_files(), HERE / "workflow.py", HERE / "catalogcache.py"])

    def key(lid: str, loc: str) -> str:  # what the row says comes from (`plan.text_hash`, pictures too), and the code
        return hashlib.sha256(f"{code}\0{plan.text_hash(hashes, project, lid, loc)}".encode()).hexdigest()

    keys = {(lid, loc): key(lid, loc) for loc in codes for lid in ids}
    rows: dict[tuple[str, str], Row] = {}
    for pair, k in keys.items():
        known = data["rows"].get(" ".join(pair))
        if known is not None and known["key"] == k:
            with contextlib.suppress(TypeError):  # the row's fields changed: count it again
                rows[pair] = row_type(**known["row"])
    missing = [pair for pair in keys if pair not in rows]
    stored = False
    if missing:
        want_ids = [lid for lid in ids if any(p[0] == lid for p in missing)]
        want_codes = [loc for loc in codes if any(p[1] == loc for p in missing)]
        for row in compute(project, want_ids, want_codes):
            pair = (row.leaflet, row.locale)  # type: ignore[attr-defined]
            if pair in keys and pair not in rows:
                rows[pair] = row
                if not row.error:  # type: ignore[attr-defined]
                    data["rows"][" ".join(pair)] = {"key": keys[pair], "row": asdict(row)}  # type: ignore[call-overload]
                    stored = True
    if stored or (not missing and hashes.saved() != data["hashes"]):
        data["hashes"] = hashes.saved()
        _save(path, data)
    return [rows[pair] for pair in keys]


def _save(path: Path, data: dict) -> None:
    """Best effort: a cache that cannot be written (a read-only checkout) only costs time."""
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))
