"""The record of every copy issued, and the exact bytes of each, for the trust's auditors.

`.issued/` in the project holds `issued.sqlite`, one row per copy handed out (when, which
leaflet, language, format and options, the file's sha256, the English version and the
translation's review state as they were then; no patient data), and `objects/`, the files
themselves by their sha256 (content-addressed: a copy issued a hundred times is stored once).
So after a translation changes, what a patient was given last month can still be shown and
given back byte for byte.

Recording never stands between a patient and a copy: if the archive cannot be written (a full
disk, a read-only folder) the copy is still issued, and the failure is logged and returned for
the caller to report. No write goes through a symbolic link.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

import formats
from leaflets import files
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.version import version

from ..translation import workflow
from .service import Issued, Recorder, Result

STATE = ".issued"  # in the project root, beside source/ and locales/
DB = "issued.sqlite"
OBJECTS = "objects"
CHUNK = 1 << 20

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # the desk's logging (or the caller's warning) says it

_SCHEMA = """
CREATE TABLE IF NOT EXISTS issued (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,           -- UTC, ISO 8601: 2026-12-05T17:40:12Z
    leaflet TEXT NOT NULL,
    language TEXT NOT NULL,     -- locale code
    format TEXT NOT NULL,
    options TEXT NOT NULL,      -- JSON: the options the format's bytes depend on
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    name TEXT NOT NULL,         -- the file name it was issued under
    version TEXT NOT NULL,      -- the English's version (leaflets.version)
    review TEXT NOT NULL,       -- the translation's review state when issued
    via TEXT NOT NULL,          -- desk, e-mail, request
    note TEXT NOT NULL DEFAULT '',     -- what the officer was warned of (overdue review ...)
    archived INTEGER NOT NULL,  -- 1: the bytes are in objects/
    problem TEXT NOT NULL DEFAULT ''   -- why they are not
);
CREATE INDEX IF NOT EXISTS issued_at ON issued (at);
CREATE INDEX IF NOT EXISTS issued_sha ON issued (sha256);
"""


class ArchiveError(LeafletError):
    """The record or the archive cannot be read as asked (an unknown SHA, a damaged copy)."""


@dataclass(frozen=True)
class Copy:
    """One copy as the record holds it."""

    at: str
    leaflet: str
    language: str
    format: str
    options: dict[str, object]
    sha256: str
    size: int
    name: str
    version: str
    review: str
    via: str
    note: str
    archived: bool
    problem: str


@dataclass(frozen=True)
class Recorded:
    """What recording one copy came to: its sha256, and a sentence to report if it was not all kept."""

    sha256: str
    problem: str = ""


class Archive:
    """The record and the object store of one project (thread-safe: SQLite serialises writers)."""

    def __init__(self, root: Path):
        self.folder = Path(root) / STATE
        self._lock = threading.Lock()

    # --- writing ---------------------------------------------------------------------------------

    def record(self, copy: Copy, data: BinaryIO) -> Recorded:
        """Keep the bytes of `data` (read from where it is; left there for the caller to send) and
        one row for the copy. Never raises for a disk that cannot be written: the copy has been
        issued all the same; the problem is logged and returned."""
        start = data.tell()
        digest, size = _hash(data)
        copy = _with(copy, sha256=digest, size=size, archived=False, problem="")
        problem = ""
        try:
            data.seek(start)
            self._store(digest, data)
            copy = _with(copy, archived=True)
        except OSError as exc:
            problem = (
                f"the copy was issued but not archived: {_why(exc)} ({exc.filename or self.folder / OBJECTS}); "
                "the next copy of it issued is archived once the folder can be written"
            )
            copy = _with(copy, problem=problem)
        finally:
            data.seek(start)
        try:
            self._insert(copy)
        except (OSError, sqlite3.Error) as exc:
            problem = (problem + "; " if problem else "the copy was issued but ") + (
                f"not recorded: {_why(exc)} ({self.folder / DB})"
            )
        if problem:
            log.error("%s %s %s (%s): %s", copy.leaflet, copy.language, copy.format, digest, problem)
        return Recorded(digest, problem)

    def _store(self, digest: str, data: BinaryIO) -> None:
        """objects/ab/abcdef...: written once, atomically, never through a link."""
        folder = _plain_folder(_plain_folder(_plain_folder(self.folder) / OBJECTS) / digest[:2])
        path = folder / digest
        if path.is_symlink():
            raise OSError(f"{path} is a symbolic link")
        if path.is_file():
            return  # stored before: the name is the content
        files.write_atomic(path, data)

    def _insert(self, copy: Copy) -> None:
        with self._lock, self._db() as db:
            db.execute(
                "INSERT INTO issued (at, leaflet, language, format, options, sha256, size, name, version, review, via,"
                " note, archived, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    copy.at,
                    copy.leaflet,
                    copy.language,
                    copy.format,
                    json.dumps(copy.options, sort_keys=True),
                    copy.sha256,
                    copy.size,
                    copy.name,
                    copy.version,
                    copy.review,
                    copy.via,
                    copy.note,
                    int(copy.archived),
                    copy.problem,
                ),
            )

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The record opened for reading; a damaged file is one line, not a traceback."""
        try:
            with self._db(create=False) as db:
                db.row_factory = sqlite3.Row
                yield db
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"cannot read the record of copies issued: {exc}",
                self.folder / DB,
                fix="restore .issued/ from the trust's backup",
            ) from exc

    @contextmanager
    def _db(self, create: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction (committed on success). WAL, synchronous=NORMAL: a row
        costs no fsync; a power cut may lose the last rows, never the file."""
        path = self.folder / DB
        if create:
            _plain_folder(self.folder)
        if path.is_symlink():
            raise OSError(f"{path} is a symbolic link; the record must be a plain file")
        with closing(sqlite3.connect(path, timeout=10)) as db:
            db.execute("PRAGMA synchronous=NORMAL")
            if create:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
            with db:
                yield db

    # --- reading ---------------------------------------------------------------------------------

    def copies(self, since: date | None = None, leaflet: str | None = None) -> list[Copy]:
        """The copies issued on or after `since`, of one leaflet or all, oldest first."""
        if not (self.folder / DB).is_file():
            return []
        where, values = [], []
        if since is not None:
            where.append("at >= ?")
            values.append(since.isoformat())
        if leaflet is not None:
            where.append("leaflet = ?")
            values.append(leaflet)
        query = "SELECT * FROM issued" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY at, id"
        with self._reading() as db:
            return [_copy(row) for row in db.execute(query, values)]

    def get(self, sha: str, out_dir: Path) -> Path:
        """Write the archived file with this sha256 (or a unique prefix of 8 or more hex digits)
        into out_dir under the name it was issued with, atomically, never through a link."""
        digest, name = self._find(sha)
        data = self.read(digest)
        out_dir = Path(out_dir)
        if out_dir.is_symlink():
            raise ArchiveError(
                "is a symbolic link; files are not written through links", out_dir, fix="name the folder itself"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / name
        files.write_atomic(target, data)  # a link at `target` is refused, never followed
        return target

    def read(self, digest: str) -> bytes:
        """The archived bytes of a sha256, checked against it."""
        source = self.folder / OBJECTS / digest[:2] / digest
        if source.is_symlink() or not source.is_file():
            raise ArchiveError(
                f"copy {digest[:12]} was recorded but its bytes are not in the archive",
                self.folder / OBJECTS,
                fix="see `pipeline.py issued --json`: its 'problem' says why it was not archived",
            )
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ArchiveError(
                f"the archived copy {digest[:12]} is damaged (its bytes no longer match its sha256)",
                source,
                fix="restore .issued/objects/ from the trust's backup",
            )
        return data

    def named(self, digest: str) -> Copy | None:
        """The first copy issued with exactly this sha256, or None."""
        if not (self.folder / DB).is_file():
            return None
        with self._reading() as db:
            row = db.execute("SELECT * FROM issued WHERE sha256 = ? ORDER BY id LIMIT 1", (digest,)).fetchone()
        return _copy(row) if row is not None else None

    def _find(self, sha: str) -> tuple[str, str]:
        sha = sha.strip().lower()
        if len(sha) < 8 or any(c not in "0123456789abcdef" for c in sha):
            raise ArchiveError(
                f"{sha[:70]!r} is not a sha256", fix="give the 64 hex digits `pipeline.py issued` lists (or 8 or more)"
            )
        rows: list[sqlite3.Row] = []
        if (self.folder / DB).is_file():
            with self._reading() as db:
                rows = db.execute(
                    "SELECT DISTINCT sha256, name FROM issued WHERE sha256 LIKE ? ORDER BY id", (sha + "%",)
                ).fetchall()
        digests = {row[0]: row[1] for row in rows}
        if not digests:
            raise ArchiveError(f"no copy with sha256 {sha[:16]}… was issued", fix="`pipeline.py issued` lists them")
        if len(digests) > 1:
            raise ArchiveError(f"{sha} is the start of {len(digests)} copies' sha256", fix="give more of its digits")
        digest, name = rows[0][0], rows[0][1]
        return digest, Path(name).name or digest


def record_issue(
    project: Project,
    lid: str,
    code: str,
    fmt: str,
    options: formats.Options,
    data: BinaryIO,
    name: str,
    via: str,
    note: str = "",
    when: datetime | None = None,
) -> Recorded:
    """Record one copy issued: the leaflet's English version and the translation's review state
    as they are now, the options its format uses, and its bytes (read from `data`, rewound after)."""
    writer = formats.get(fmt)
    try:
        english = version(project.leaflet(lid))
    except LeafletError:
        english = "?"
    copy = Copy(
        at=(when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        leaflet=lid,
        language=code,
        format=fmt,
        options={k: _plain(v) for k, v in writer.used_options(options)},
        sha256="",
        size=0,
        name=Path(name).name,
        version=english,
        review=workflow.review_of(project, code, lid),
        via=via,
        note=note,
        archived=False,
        problem="",
    )
    return Archive(project.root).record(copy, data)


class Keeper:
    """The issuing service's Recorder that keeps every copy issued in the archive, then passes
    every result (issued or refused) on to `then` (the request log). A copy that cannot be
    archived is still issued: `report` is told the sentence (the command line prints it, the desk
    logs it)."""

    def __init__(
        self,
        project: Callable[[], Project],
        then: Recorder | None = None,
        report: Callable[[str], None] = lambda said: log.error("%s", said),
    ):
        self.project, self.then, self.report = project, then, report

    def record(self, result: Result, day: date, how: str) -> None:
        if isinstance(result, Issued):
            self._keep(result, day, how)
        if self.then is not None:
            self.then.record(result, day, how)

    def _keep(self, copy: Issued, day: date, how: str) -> None:
        when = datetime.now(UTC) if day == date.today() else datetime(day.year, day.month, day.day, tzinfo=UTC)
        stream = copy.stream
        try:
            if stream is not None and not stream.closed and stream.seekable():
                where = stream.tell()  # the sender may be part-way through it
                stream.seek(0)
                try:
                    done = self._record(copy, stream, how, when)
                finally:
                    stream.seek(where)
            else:  # already handed over and closed: the file as it is now, checked against what was sent
                with open(copy.path, "rb") as data:
                    done = self._record(copy, data, how, when)
        except OSError as exc:
            done = Recorded(copy.sha256, f"the copy was issued but not archived: {_why(exc)} ({copy.path})")
        if done.sha256 != copy.sha256 and not done.problem:
            done = Recorded(done.sha256, f"the copy at {copy.path} changed after it was issued: archived as it is now")
        if done.problem:
            self.report(done.problem)

    def _record(self, copy: Issued, data: BinaryIO, how: str, when: datetime) -> Recorded:
        project = self.project()
        return record_issue(
            project, copy.leaflet, copy.locale, copy.format, copy.options, data, copy.path.name, how, copy.caution, when
        )


def parse_day(text: str) -> date:
    """A date as the command line takes it (2026-05-01), or a one-line error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArchiveError(f"{text[:40]!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2026-05-01") from None


def _hash(data: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while block := data.read(CHUNK):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _plain_folder(path: Path) -> Path:
    """path, made if missing; a link or a file in its place is an OSError (the caller reports it)."""
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; the archive does not write through links")
    path.mkdir(exist_ok=True)
    return path


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the disk"
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else "") or str(exc)


def _plain(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _with(copy: Copy, **changes: object) -> Copy:
    return replace(copy, **changes)  # type: ignore[arg-type]


def _copy(row: sqlite3.Row) -> Copy:
    values = dict(row)
    values.pop("id")
    values["options"] = json.loads(values["options"])
    values["archived"] = bool(values["archived"])
    return Copy(**values)
