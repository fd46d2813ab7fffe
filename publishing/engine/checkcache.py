"""Check findings kept by the content they were found in (`.cache/checks.json` in the project),
so `status`, `check` and `build` check a catalog once between them, not once each.

A catalog's findings depend on its bytes, common.po's, the leaflet's kept terms and the locale
(`checks.memo_key`), and on the checks' code and data: the whole file is for one version of the
core (every file of `leaflets/`), and is dropped when that changes. Entries not used for a while
go when the file grows past `LIMIT`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from leaflets import files
from leaflets.checks import Finding

from . import buildstate, stamps

CACHE = Path(".cache") / "checks.json"
FORMAT = 1
LIMIT = 50_000  # catalogs remembered (a few hundred bytes each, findings included)
_NAMES = tuple(f.name for f in fields(Finding))
_FIELDS = set(_NAMES)


def _valid(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("version"), str)
        and isinstance(data.get("findings"), dict)
        and all(
            isinstance(rows, list) and all(isinstance(r, dict) and r.keys() == _FIELDS for r in rows)
            for rows in data["findings"].values()
        )
    )


class FindingsCache:
    """A `checks.Memo` on disk: load, use while checking, then `save`."""

    def __init__(self, root: Path, warn: stamps.Warn = lambda line: print(line, file=sys.stderr)):
        self.path = Path(root) / CACHE
        self.version = stamps.Hashes().of_files(buildstate.core_files())
        data = stamps.load(self.path, _valid, warn, "check cache")
        self.table: dict[str, list[dict]] = data["findings"] if data and data["version"] == self.version else {}
        self.fresh: dict[str, list[dict]] = {}  # used or found in this run, kept first
        self.changed = False
        self._made: dict[str, tuple[Finding, ...]] = {}  # findings made from rows, by key (common.po's: once)

    def get(self, key: str) -> list[Finding] | None:
        rows = self.fresh.get(key, self.table.get(key))
        if rows is None:
            return None
        self.fresh[key] = rows
        if key not in self._made:  # Findings are immutable: one set for every job that asks
            self._made[key] = tuple(Finding(**r) for r in rows)
        return list(self._made[key])

    def put(self, key: str, findings: list[Finding]) -> None:
        self.fresh[key] = [{name: getattr(f, name) for name in _NAMES} for f in findings]  # flat: no asdict
        self._made.pop(key, None)
        self.changed = True

    def keep(self, fresh: dict[str, list[dict]]) -> None:
        """Take in what another process's cache used or found (`fresh`), to be saved with this one's."""
        self.changed = self.changed or any(self.table.get(key) != rows for key, rows in fresh.items())
        self.fresh.update(fresh)
        for key in fresh:
            self._made.pop(key, None)

    def save(self) -> None:
        """Write the findings if any are new (the ones used now first, older ones up to LIMIT);
        a folder that cannot be written only means checking again next time."""
        if not self.changed:
            return
        kept = dict(self.fresh)
        for key, rows in self.table.items():
            if len(kept) >= LIMIT:
                break
            kept.setdefault(key, rows)
        data = {"format": FORMAT, "version": self.version, "findings": kept}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(self.path, json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
