"""What the last build made from which inputs, so an unchanged artifact is not made again.

`<out>/.build-state.json` holds, in one versioned JSON object:

* `artifacts`: per output path, the fingerprint of its inputs, what became of it, and the
  size, mtime and sha256 the file had when written (so a no-op reads no output file);
* `hashes`: input files' sha256 by their stat (see `stamps`), so a no-op reads no input file;
* `reviews`: each source's next review date, by the source's sha256 (read without YAML next time);
* `writers`: each writer's external inputs (fonts, voices) per locale, keyed by the writer's
  code and the installed packages, so a no-op imports no writer's heavy parts and no locale data.

A file that cannot be trusted (damaged, another version, the wrong shape) is discarded with a
warning and the build starts afresh: every artifact is then rebuilt, which is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import leaflets
from leaflets.vocabulary import Outcome, State

from . import stamps
from .output import write_file

STATE = ".build-state.json"
FORMAT = 3


@dataclass
class Record:
    fingerprint: str
    state: State
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    reason: str = ""
    target: str = ""  # "leaflet locale format"
    kind: str = ""  # why not built, as leaflets.errors.Kind
    text: str = ""  # the hash of what the copy on disk says (plan.text_hash); "" if made by an older version


_RECORD_TYPES = {f.name: (int if f.type == "int" else str) for f in fields(Record)}
_STATES = frozenset(State)
_LATER = {"text"}  # fields a record written by an earlier version may lack


def _valid(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("artifacts"), dict)
        and all(isinstance(r, dict) and r.keys() | _LATER == _RECORD_TYPES.keys() for r in data["artifacts"].values())
        and all(isinstance(r.get(k, ""), t) for r in data["artifacts"].values() for k, t in _RECORD_TYPES.items())
        and all(r["state"] in _STATES for r in data["artifacts"].values())
        and stamps.is_stamp_table(data.get("hashes"))
        and isinstance(data.get("reviews"), dict)
        and all(isinstance(v, str) for v in data["reviews"].values())
        and isinstance(data.get("writers"), dict)
        and all(
            isinstance(w, dict) and isinstance(w.get("key"), str) and isinstance(w.get("inputs"), dict)
            for w in data["writers"].values()
        )
    )


class BuildState:
    def __init__(self, out_dir: Path, warn: stamps.Warn):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / STATE
        data = stamps.load(self.path, _valid, warn, "build state") or {}
        self.records = {k: Record(**{**v, "state": State(v["state"])}) for k, v in data.get("artifacts", {}).items()}
        self.hashes = stamps.Hashes(data.get("hashes"))
        self.writers: dict[str, dict] = data.get("writers", {})
        self.reviews: dict[str, str] = data.get("reviews", {})  # source sha256 -> its next_review, "YYYY-MM"
        self.loaded = bool(data)
        self.changed = False  # records or writers' inputs changed (the hashes say so themselves)

    def up_to_date(self, path: Path, fingerprint: str) -> Record | None:
        """The previous record if it was made from the same inputs and its output is untouched."""
        rec = self.records.get(self._key(path))
        if rec is None or rec.fingerprint != fingerprint or rec.state == State.FAILED:
            return None  # a failure (a full disk, a bug since fixed) is always tried again
        if rec.state != State.BUILT:
            return rec  # refused or unavailable for these very inputs: no need to ask again
        try:
            st = path.lstat()
        except OSError:
            return None
        return rec if (st.st_size, st.st_mtime_ns) == (rec.size, rec.mtime_ns) else None

    def record(self, path: Path, fingerprint: str, outcome: Outcome, data: bytes = b"", text: str = "") -> None:
        """What became of one artifact; for a built one, `data` is what was written to `path` and
        `text` the hash of what it says. A refusal or failure keeps the record of the good copy
        still on disk from before."""
        state, reason, target = outcome.state, outcome.reason, outcome.target.label
        before = self.records.get(self._key(path))
        size, mtime, digest, said = (
            (before.size, before.mtime_ns, before.sha256, before.text) if before else (0, 0, "", "")
        )
        if state == State.BUILT:
            st = path.lstat()
            size, mtime, digest, said = st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), text
        record = Record(fingerprint, state, size, mtime, digest, reason, target, outcome.kind, said)
        if record != before:
            self.records[self._key(path)] = record
            self.changed = True

    def still_says(self, path: Path, text: str) -> None:
        """An up-to-date copy was made from the same inputs, so it says what they say now (this
        fills in what a record from an older version lacks)."""
        rec = self.records.get(self._key(path))
        if rec is not None and rec.state == State.BUILT and rec.text != text:
            rec.text = text
            self.changed = True

    def built(self) -> list[tuple[str, Record]]:
        """(relative path, record) of every artifact this folder's builds made that is still there
        (a copy from before a later refusal included)."""
        out = []
        for key, rec in sorted(self.records.items()):
            if rec.sha256 and (self.out_dir / key).is_file() and not (self.out_dir / key).is_symlink():
                out.append((key, rec))
        return out

    def not_built(self) -> list[dict]:
        """Every target whose last attempt was not built, with the reason (for the manifest)."""
        out = []
        for rec in self.records.values():
            if rec.state != State.BUILT and rec.target:
                leaflet, locale, fmt = rec.target.split(" ")
                out.append(
                    {
                        "leaflet": leaflet,
                        "locale": locale,
                        "format": fmt,
                        "state": rec.state,
                        "kind": rec.kind,
                        "reason": rec.reason,
                    }
                )
        return sorted(out, key=lambda n: (n["leaflet"], n["locale"], n["format"]))

    def digest(self, path: Path) -> str:
        """sha256 of an output file, from the record when the file is as it was written."""
        rec = self.records.get(self._key(path))
        st = path.lstat()
        if rec and rec.sha256 and (rec.size, rec.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return rec.sha256
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def _key(self, path: Path) -> str:
        text, top = str(path), str(self.out_dir) + os.sep
        return text[len(top) :] if text.startswith(top) else os.path.relpath(path, self.out_dir)

    def save(self) -> bool:
        """Write the state if anything in it changed (a no-op build writes nothing); True if written."""
        if self.loaded and not (self.changed or self.hashes.changed):
            return False
        known = {v[3] for v in self.hashes.table.values()}  # reviews of sources gone or changed are forgotten
        data = {
            "format": FORMAT,
            "artifacts": {k: asdict(v) for k, v in sorted(self.records.items())},
            "hashes": self.hashes.saved(),
            "writers": self.writers,
            "reviews": {sha: due for sha, due in self.reviews.items() if sha in known},
        }
        write_file(self.out_dir, self.path, (json.dumps(data, separators=(",", ":")) + "\n").encode("utf-8"))
        return True


def fingerprint(parts: list[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


# Used by `workflow.extract` for its own cache (one process, so an in-memory cache is enough).


@cache
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_hash(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "absent"
    return _file_hash(str(path), st.st_mtime_ns, st.st_size)


CORE = Path(leaflets.__file__).resolve().parent


def core_files() -> list[Path]:
    """The core's code and data (leaflets/data/*.yaml: number words, units ...): a change to any
    redoes everything made from it. Listed again only when one of its folders changed: a file
    added, removed or renamed changes its folder's mtime (a worker asks for every job); as in
    `stamps`, a listing made within two seconds of a folder's change is not kept."""
    if _LISTED:
        known, listed = _LISTED[0]
        if _stamps([f for f, _ in known]) == known:
            return list(listed)
    found = [f for f in CORE.rglob("*") if "__pycache__" not in f.parts]
    files = sorted(f for f in found if f.is_file() and f.suffix != ".pyc")
    folders = _stamps([CORE, *sorted(f for f in found if f.is_dir())])
    _LISTED.clear()
    if all(time.time() - mtime / 1e9 > stamps.RACY_SECONDS for _, mtime in folders):
        _LISTED.append((folders, tuple(files)))
    return files


_LISTED: list[tuple[list[tuple[Path, int]], tuple[Path, ...]]] = []  # the last listing, by its folders' stamps


def _stamps(folders: list[Path]) -> list[tuple[Path, int]]:
    out = []
    for folder in folders:
        try:
            out.append((folder, os.stat(folder).st_mtime_ns))
        except OSError:
            out.append((folder, -1))
    return out


@cache
def code_hash() -> str:
    h = hashlib.sha256()
    for f in core_files():
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()
