"""What the last build made from which inputs, so an unchanged artifact is not made again.

An artifact's fingerprint covers everything its bytes depend on: the leaflet source, its
catalog and the shared one, the shared strings, the code of the core and of its writer
(whose VERSION lives in that code), the writer's own external inputs (fonts, voices) and the
options. The state file records, per output path, the fingerprint and the size and mtime the
file had when written, so a no-op build reads no output file and parses no Markdown.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import formats
import leaflets
from leaflets import catalogs

STATE = ".build-state.json"
CORE = Path(leaflets.__file__).resolve().parent


@dataclass
class Record:
    fingerprint: str
    state: str  # built | refused | unavailable | failed
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    reason: str = ""
    target: str = ""  # "leaflet locale format"


class BuildState:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / STATE
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.records = {k: Record(**v) for k, v in raw.items()}
        except (OSError, ValueError, TypeError):
            self.records = {}

    def up_to_date(self, path: Path, fingerprint: str) -> Record | None:
        """The previous record if it was made from the same inputs and its output is untouched."""
        rec = self.records.get(self._key(path))
        if rec is None or rec.fingerprint != fingerprint or rec.state == "failed":
            return None  # a failure (a full disk, a bug since fixed) is always tried again
        if rec.state != "built":
            return rec  # refused or unavailable for these very inputs: no need to ask again
        try:
            st = path.stat()
        except OSError:
            return None
        return rec if (st.st_size, st.st_mtime_ns) == (rec.size, rec.mtime_ns) else None

    def record(self, path: Path, fingerprint: str, state: str, reason: str = "", target: str = "") -> None:
        size = mtime = 0
        digest = ""
        if state == "built":
            st = path.stat()
            size, mtime, digest = st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()
        self.records[self._key(path)] = Record(fingerprint, state, size, mtime, digest, reason, target)

    def not_built(self) -> list[dict]:
        """Every target whose last attempt was not built, with the reason (for the manifest)."""
        out = []
        for rec in self.records.values():
            if rec.state != "built" and rec.target:
                leaflet, locale, fmt = rec.target.split(" ")
                out.append(
                    {"leaflet": leaflet, "locale": locale, "format": fmt, "state": rec.state, "reason": rec.reason}
                )
        return sorted(out, key=lambda n: (n["leaflet"], n["locale"], n["format"]))

    def digest(self, path: Path) -> str:
        """sha256 of an output file, from the record when the file is as it was written."""
        rec = self.records.get(self._key(path))
        st = path.stat()
        if rec and rec.sha256 and (rec.size, rec.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return rec.sha256
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def _key(self, path: Path) -> str:
        return os.path.relpath(path, self.out_dir)

    def save(self) -> None:
        data = {k: asdict(v) for k, v in sorted(self.records.items())}
        catalogs.write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


@cache
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_hash(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "absent"
    return _file_hash(str(path), st.st_mtime_ns, st.st_size)


@cache
def code_hash(format_name: str = "") -> str:
    """The core's code, and a writer's if named: a change to either redoes what they made."""
    h = hashlib.sha256()
    for f in sorted(CORE.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    if format_name:
        h.update(formats.get(format_name).code_hash.encode())
    return h.hexdigest()


def fingerprint(parts: list[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
