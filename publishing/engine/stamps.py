"""Content hashes of input files, remembered by their stat, and JSON files that may be damaged.

A no-op build or `status` must not re-read every source and catalog: a file's sha256 is
kept with the (size, mtime, inode) it had when hashed, and reused while the stat is the same.
As in git's "racy clean" rule, a hash is not kept for a file modified within the last two
seconds, since an edit in the same clock tick could leave its stat unchanged.

Every JSON file the pipeline keeps for itself (build state, caches) goes through `load`: a file
that cannot be read or has the wrong shape is discarded with one warning line and rebuilt,
never a traceback on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RACY_SECONDS = 2.0

Warn = Callable[[str], None]


def load(path: Path, valid: Callable[[Any], bool], warn: Warn, what: str) -> Any:
    """The JSON in `path` if `valid(data)`, else None (after saying why, unless it is absent)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        warn(f"warning: {path}: the {what} cannot be read ({exc}); it is discarded and rebuilt")
        return None
    try:
        ok = valid(data)
    except (TypeError, ValueError, KeyError, AttributeError):
        ok = False
    if not ok:
        warn(f"warning: {path}: the {what} is not in the expected form; it is discarded and rebuilt")
        return None
    return data


def is_stamp_table(data: Any) -> bool:
    """{path: [size, mtime_ns, inode, sha256]}"""
    return isinstance(data, dict) and all(
        isinstance(v, list) and len(v) == 4 and all(isinstance(x, int) for x in v[:3]) and isinstance(v[3], str)
        for v in data.values()
    )


class Hashes:
    """sha256 of files, reused while a file's stat is unchanged; `table` is what to save."""

    def __init__(self, table: dict[str, list] | None = None):
        self.table: dict[str, list] = dict(table or {})
        self.used: set[str] = set()
        self.changed = False  # the table gained or lost an entry
        self.now = time.time()

    def of(self, path: Path | str) -> str:
        """The file's sha256, or "absent"."""
        key = str(path)
        self.used.add(key)
        try:
            st = os.stat(key)
        except OSError:
            return "absent"
        stat = [st.st_size, st.st_mtime_ns, st.st_ino]
        known = self.table.get(key)
        if known is not None and known[:3] == stat:
            return known[3]
        try:
            digest = hashlib.sha256(Path(key).read_bytes()).hexdigest()
        except OSError:
            return "absent"
        if self.now - st.st_mtime_ns / 1e9 > RACY_SECONDS:
            self.table[key] = [*stat, digest]
            self.changed = True
        elif self.table.pop(key, None) is not None:
            self.changed = True
        return digest

    def of_files(self, paths: Sequence[Path | str]) -> str:
        """One hash over several files (their names and contents)."""
        h = hashlib.sha256()
        for p in paths:  # os.path: a Path per file is most of the cost of a task's code check
            h.update(f"{os.path.basename(os.fspath(p))}\0{self.of(p)}\0".encode())
        return h.hexdigest()

    def saved(self) -> dict[str, list]:
        """The table to keep: a build of one locale keeps the others' hashes; deleted files go."""
        return {k: v for k, v in sorted(self.table.items()) if k in self.used or os.path.exists(k)}


def stat_key(paths: Sequence[Path | str]) -> list[list]:
    """[path, size, mtime_ns] of each (["path"] alone if missing): a cheap key for a cache."""
    out: list[list] = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append([str(p), st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([str(p)])
    return out
