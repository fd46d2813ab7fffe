"""The request log: what was asked for and what became of it, for the information team.

One SQLite row per request: date, leaflet, language, format, size, outcome. No patient data
(no names, no addresses: an e-mail address is used once and never written here).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from leaflets.errors import LeafletError


class Outcome(StrEnum):
    ISSUED = "issued"  # downloaded or opened to print
    EMAILED = "e-mailed"
    UNMET = "translation asked for"  # the language or format does not exist: the team is told
    REFUSED = "not ready"  # exists, but could not be issued (unfinished, check errors, forbidden)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,          -- ISO date
    leaflet TEXT NOT NULL,
    language TEXT NOT NULL,     -- locale code (or the words asked for, for a language we do not know)
    format TEXT NOT NULL,
    size TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_day ON requests (day);
"""


@dataclass(frozen=True)
class Row:
    language: str
    format: str
    outcome: str
    count: int


class RequestLog:
    """A thread-safe handle on the log file (one connection per call: SQLite serialises writers)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for place in (self.path.parent, self.path):
            if place.is_symlink():  # never write through a link to somewhere else
                raise LeafletError(f"{place} is a link; the request log must be a plain file in a plain folder")
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        """WAL with synchronous=NORMAL: a row costs no fsync (a copy is served in milliseconds);
        a power cut may lose the last rows, never the file."""
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def record(self, day: date, leaflet: str, language: str, fmt: str, size: str, outcome: Outcome) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO requests (day, leaflet, language, format, size, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                (day.isoformat(), leaflet[:40], language[:60], fmt[:40], size[:10], str(outcome)),
            )

    def summary(self, start: date, end: date) -> list[Row]:
        """Requests between two dates (both included), counted by language, format and outcome."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT language, format, outcome, COUNT(*) FROM requests WHERE day BETWEEN ? AND ? "
                "GROUP BY language, format, outcome ORDER BY language, format, outcome",
                (start.isoformat(), end.isoformat()),
            ).fetchall()
        return [Row(*r) for r in rows]


def as_csv(rows: list[Row], language_name) -> str:
    """The report as CSV for a spreadsheet: one line per language, format and outcome."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["language", "language code", "format", "outcome", "requests"])
    for r in rows:
        writer.writerow([_cell(language_name(r.language)), _cell(r.language), _cell(r.format), r.outcome, r.count])
    return out.getvalue()


def _cell(value: str) -> str:
    """A value a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
