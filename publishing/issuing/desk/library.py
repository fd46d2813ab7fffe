"""The desk's view of the library: the project as it is on disk now, what each leaflet x language
can be issued as, and copies built on demand (once, however many officers ask at the same time)."""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import formats
from leaflets import checks, locales
from leaflets.errors import LeafletError, Reason
from leaflets.project import Project
from leaflets.translate import translate
from leaflets.vocabulary import Outcome, State, Target
from publishing.engine.build import Request, artifact_path, build
from publishing.engine.plan import text_hash
from publishing.engine.progress import Progress
from publishing.engine.stamps import Hashes
from publishing.issuing import asks

# Audio speeds offered at the desk, as speech rates in words per minute (Options.rate).
SPEEDS = {"slower": 120, "normal": formats.Options.rate, "faster": 180}
SIZES = tuple(range(16, 33, 2))


@dataclass(frozen=True)
class Choice:
    """One format for a leaflet in one language, as the copy page shows it."""

    format: str
    title: str
    sizes: bool  # the officer chooses a print size
    speeds: bool  # ... or a speaking speed
    ready: bool  # a copy at the usual settings is on disk now
    reason: Reason | None  # why it cannot be made in this language at all


@dataclass(frozen=True)
class Pair:
    leaflet: str
    title: str
    language: asks.Language
    caution: str  # what the patient must be told ("not yet checked by a clinician"), or ""
    refusal: str  # why no copy can be issued yet (unfinished translation, check errors), or ""
    choices: tuple[Choice, ...]


class Library:
    """The project, re-read whenever a source or catalog folder changes (a long-lived process
    must never serve yesterday's text), and the one place copies are built."""

    def __init__(self, root: Path, out_dir: Path):
        self.root, self.out_dir = Path(root), Path(out_dir)
        self._project = Project(self.root)
        self._signature: tuple = ()
        self._guard = threading.Lock()
        self._locks: dict[tuple, threading.Lock] = {}
        self._known: dict[tuple[str, str], tuple[tuple, tuple[str, str]]] = {}
        self._hashes = Hashes()  # content hashes, known by stat while a file is unchanged
        self.builds = 0  # copies actually made by this process (the bench counts them)

    def project(self) -> Project:
        signature = self._stat()
        with self._guard:
            if signature != self._signature:
                self._project, self._signature = Project(self.root), signature
            return self._project

    def _stat(self) -> tuple:
        found = []
        for folder in (self.root / "source", self.root / "locales"):
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        st = entry.stat()
                        found.append((entry.name, st.st_mtime_ns, st.st_size))
            except OSError:
                found.append((str(folder), 0, 0))
        return tuple(sorted(found))

    def titles(self) -> list[tuple[str, str]]:
        project = self.project()
        return [(lid, asks.leaflet_title(project, lid) or lid) for lid in project.leaflet_ids()]

    def pair(self, lid: str, code: str, today: date) -> Pair:
        project = self.project()
        refusal, caution = self._readiness(project, lid, code, today)
        info = locales.info(code)
        choices = []
        for name in formats.names():
            writer = formats.get(name)
            path = artifact_path(
                self.out_dir, project.source_files[lid], Target(lid, code, name), formats.Options(), False
            )
            choices.append(
                Choice(
                    name,
                    writer.title,
                    "size" in writer.uses,
                    "rate" in writer.uses,
                    path.exists(),
                    writer.unavailable(info),
                )
            )
        title = asks.leaflet_title(project, lid) or lid
        return Pair(lid, title, asks.language(code, True), caution, refusal, tuple(choices))

    def _readiness(self, project: Project, lid: str, code: str, today: date) -> tuple[str, str]:
        """(why it cannot be issued, what the patient must be told), remembered until the leaflet's
        source, the shared strings or the language's catalogs change in content (or the day does)."""
        key = (text_hash(self._hashes, project, lid, code), today)
        known = self._known.get((lid, code))
        if known and known[0] == key:
            return known[1]
        refusal = ""
        try:
            translate(project.leaflet(lid), code, project.shared_strings, locales_dir=project.locales_dir)
            errors = [f for f in checks.run(project, [lid], [code]) if f.severity == checks.ERROR]
            if errors:
                raise LeafletError(f"{len(errors)} check error(s) in the translation")
        except LeafletError as exc:
            want = asks.Resolved(lid, code, formats.default_names()[0])
            refusal = asks.explain(project, want, State.REFUSED, str(exc))
        answer = (refusal, asks.caution(project, lid, code, today))
        self._known[(lid, code)] = (key, answer)
        return answer

    def copy(self, lid: str, code: str, fmt: str, options: formats.Options) -> tuple[Outcome, BinaryIO | None]:
        """The current copy, built now if it is not on disk or out of date, and opened. Officers asking
        for the same copy at once share one build: a lock per leaflet, language and format here (the
        engine's folder lock keeps other processes' builds apart). The file is opened under that lock,
        so a build of the same file at other settings cannot replace it before it is sent."""
        with self._guard:
            lock = self._locks.setdefault((lid, code, fmt), threading.Lock())
        with lock:
            request = Request(str(self.out_dir), options)
            summary = build(self.project(), [lid], [code], [fmt], request, jobs=1, progress=Progress(1, io.StringIO()))
            outcome = summary.outcomes[0]
            if summary.count(State.BUILT):
                with self._guard:
                    self.builds += 1
            ready = outcome.state.ready
            return outcome, open(outcome.path, "rb") if ready else None  # the caller sends and closes it
