"""The request log: what was asked for and what became of it, for the information team.

One SQLite row per request: date, leaflet, language, format, size, outcome and, for a need that
could not be met, why. No patient data (no names, no addresses: an e-mail address is used once
and never written here).

Rows are written by one background thread through a queue, so a copy never waits for the log:
a log that is locked (a spreadsheet holding it open), read-only or immutable is reported to the
team (the desk's log and the report page), its rows kept in memory and written when it can be.
"""

from __future__ import annotations

import atexit
import csv
import io
import logging
import queue
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from leaflets.errors import LeafletError

log = logging.getLogger("leaflet-desk")

TIMEOUT = 2.0  # seconds the writer waits for a locked log before keeping the rows and retrying
RETRY = 5.0  # seconds between attempts while the log cannot be written
MAX_PENDING = 100_000  # rows kept in memory while the log cannot be written (beyond: counted as lost)


class Outcome(StrEnum):
    ISSUED = "issued"  # downloaded or opened to print
    EMAILED = "e-mailed"
    UNMET = "not met"  # asked for, not given: `Need` says why


class Need(StrEnum):
    """Why a request could not be met, as the information team counts it."""

    NO_TRANSLATION = "no translation"
    UNKNOWN_LANGUAGE = "language not recognised"
    NO_VOICE = "no speech voice"
    NO_BRAILLE = "no braille code"
    UNAVAILABLE = "format not available in this language"
    NOT_MADE = "format not made"
    NOT_READY = "translation not ready"
    OVERDUE = "leaflet past its review date"
    UNCHECKED = "translation not checked by a clinician"
    TOO_LARGE = "too large to e-mail"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,          -- ISO date
    leaflet TEXT NOT NULL,
    language TEXT NOT NULL,     -- locale code ('' for a language we do not recognise)
    format TEXT NOT NULL,
    size TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_day ON requests (day);
"""
# Columns added since the first version: added to an older log in place.
_ADDED = {"need": "TEXT NOT NULL DEFAULT ''", "asked": "TEXT NOT NULL DEFAULT ''"}
_COLUMNS = ("day", "leaflet", "language", "format", "size", "outcome", "need", "asked")


@dataclass(frozen=True)
class Entry:
    """One request. `asked` is the name the patient gave when it was not the language's (Sylheti)."""

    day: date
    leaflet: str
    language: str
    format: str
    size: str
    outcome: Outcome
    need: str = ""
    asked: str = ""

    def values(self) -> tuple[str, ...]:
        return (
            self.day.isoformat(),
            self.leaflet[:40],
            self.language[:60],
            self.format[:40],
            self.size[:30],
            str(self.outcome),
            self.need[:60],
            self.asked[:60],
        )


@dataclass(frozen=True)
class Row:
    leaflet: str
    language: str
    format: str
    size: str
    outcome: str
    need: str
    asked: str
    count: int


class RequestLog:
    """The log file, written by one background thread; read by the report."""

    def __init__(self, path: Path):
        self.path = Path(path)
        for place in (self.path.parent, self.path):
            if place.is_symlink():  # never write through a link to somewhere else
                raise LeafletError(f"{place} is a link; the request log must be a plain file in a plain folder")
        self._queue: queue.Queue[Entry] = queue.Queue()
        self._pending: list[Entry] = []  # rows not yet written (the log could not be written)
        self._guard = threading.Lock()
        self._ready = False
        self.problem = ""  # why the log cannot be written now, for the team; "" when all is well
        self.lost = 0
        self._writer = threading.Thread(target=self._run, name="request-log", daemon=True)
        self._writer.start()
        atexit.register(self.flush, 5.0)  # a short-lived process (`pipeline.py request`) writes its rows first

    # --- writing (the background thread) ---------------------------------------------------------

    def record(
        self,
        day: date,
        leaflet: str,
        language: str,
        fmt: str,
        size: str,
        outcome: Outcome,
        need: str = "",
        asked: str = "",
    ) -> None:
        """Queue a row and return at once: a copy never waits for the log."""
        self._queue.put(Entry(day, leaflet, language, fmt, size, outcome, str(need), asked))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written (True), or the time is up (False): for tests and shutdown."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._guard:
                if self._queue.empty() and not self._pending and self._ready:
                    return True
            time.sleep(0.02)
        return False

    def _run(self) -> None:
        while True:
            batch: list[Entry] = []
            try:  # wait for a row; while the log cannot be written, retry every few seconds anyway
                batch.append(self._queue.get(timeout=RETRY if self._pending or not self._ready else None))
                while len(batch) < 500:
                    batch.append(self._queue.get_nowait())
            except queue.Empty:
                pass
            with self._guard:
                self._pending.extend(batch)
                if len(self._pending) > MAX_PENDING:
                    self.lost += len(self._pending) - MAX_PENDING
                    del self._pending[:-MAX_PENDING]
                rows = list(self._pending)
            try:
                self._write(rows)
            except (sqlite3.Error, OSError) as exc:
                self._report(exc, len(rows))
                time.sleep(0.2)  # do not spin on a log that cannot be written
                continue
            with self._guard:
                del self._pending[: len(rows)]
                if self.problem:
                    log.warning("the request log can be written again: %d kept rows written", len(rows))
                self.problem = ""

    def _write(self, rows: list[Entry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            if not self._ready:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
                have = {r[1] for r in db.execute("PRAGMA table_info(requests)")}
                for name, kind in _ADDED.items():
                    if name not in have:
                        db.execute(f"ALTER TABLE requests ADD COLUMN {name} {kind}")
            if rows:
                db.executemany(
                    f"INSERT INTO requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                    [r.values() for r in rows],
                )
        self._ready = True

    def _report(self, exc: Exception, waiting: int) -> None:
        said = (
            f"The request log {self.path} cannot be written ({exc}) since "
            f"{datetime.now().strftime('%Y-%m-%d %H:%M')}: {waiting} request(s) are kept in memory and will be "
            "written when it can be. Copies are still issued. Check that the file is not open in another program, "
            "read-only or on a full disk."
        )
        with self._guard:
            first = not self.problem
            self.problem = self.problem or said
        if first:
            log.error("%s", said)

    def _connect(self) -> sqlite3.Connection:
        """WAL with synchronous=NORMAL: a row costs no fsync; a power cut may lose the last rows, never the file."""
        db = sqlite3.connect(self.path, timeout=TIMEOUT)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    # --- reading (the report) --------------------------------------------------------------------

    def summary(self, start: date, end: date) -> list[Row]:
        """Requests between two dates (both included), counted by leaflet, language, format, size,
        outcome, why and the name asked for."""
        keys = "leaflet, language, format, size, outcome, need, asked"
        rows = self._query(
            f"SELECT {keys}, COUNT(*) FROM requests WHERE day BETWEEN ? AND ? GROUP BY {keys} ORDER BY {keys}",
            (start.isoformat(), end.isoformat()),
        )
        return [Row(*r) for r in rows]

    def unmet_by_month(self, start: date, end: date) -> Counter[str]:
        """Unmet needs per month ("2026-11") between two dates."""
        rows = self._query(
            "SELECT substr(day, 1, 7), COUNT(*) FROM requests WHERE day BETWEEN ? AND ? AND outcome = ? "
            "GROUP BY substr(day, 1, 7)",
            (start.isoformat(), end.isoformat(), str(Outcome.UNMET)),
        )
        return Counter(dict(rows))

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        if not self.path.exists():
            return []
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=TIMEOUT)
            try:
                return db.execute(sql, args).fetchall()
            finally:
                db.close()
        except sqlite3.Error as exc:
            if "no such column" in str(exc) or "no such table" in str(exc):
                return []  # an old log not yet brought up to date by the writer
            raise LeafletError(f"cannot read the request log {self.path}: {exc}") from exc


def as_csv(rows: list[Row], language_name) -> str:
    """The report as CSV for a spreadsheet: one line per leaflet, language, format, size, outcome and need."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["leaflet", "language", "language code", "asked as", "format", "size", "outcome", "why", "requests"]
    )
    for r in rows:
        writer.writerow(
            [
                _cell(r.leaflet),
                _cell(language_name(r.language) if r.language else r.asked),
                _cell(r.language),
                _cell(r.asked),
                _cell(r.format),
                _cell(r.size),
                r.outcome,
                r.need,
                r.count,
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """A value a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
