"""The desk's view of the library: the project as it is on disk now and what each leaflet x language
can be issued as, asked of the issuing service (publishing/issuing/service.py), which also makes
and records every copy."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import formats
from formats.options import declared
from leaflets import locales
from leaflets.errors import Reason
from leaflets.project import Project
from leaflets.vocabulary import State
from publishing.issuing import asks
from publishing.issuing.service import Issued, Issuing, Policy, Recorder, Result

from .requestlog import Outcome, RequestLog


@dataclass(frozen=True)
class Choice:
    """One format for a leaflet in one language, as the copy page shows it."""

    format: str
    title: str
    options: tuple[str, ...]  # the options the officer may choose for it (declared in formats.Options)
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
    must never serve yesterday's text), and the issuing service every copy comes from."""

    def __init__(self, root: Path, out_dir: Path, policy: Policy | None = None, recorder: Recorder | None = None):
        self.root, self.out_dir = Path(root), Path(out_dir)
        self._project = Project(self.root)
        self._signature: tuple = ()
        self._guard = threading.Lock()
        self.service = Issuing(self.project, self.out_dir, policy, recorder)

    @property
    def builds(self) -> int:
        """Copies actually made by this process (the bench counts them)."""
        return self.service.builds

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
        ready = self.service.readiness(lid, code, today)
        info = locales.info(code)
        ready_now = self.service.on_disk(lid, code)
        choices = []
        for name in formats.names():
            writer = formats.get(name)
            choices.append(
                Choice(
                    name,
                    writer.title,
                    tuple(d.name for d in declared(formats.Options) if d.name in writer.uses),
                    name in ready_now,
                    writer.unavailable(info),
                )
            )
        title = asks.leaflet_title(project, lid) or lid
        refusal = ready.refusal.reason if ready.refusal else ""
        return Pair(lid, title, asks.language(code, True), ready.caution, refusal, tuple(choices))


class LogRecorder:
    """The issuing service's recorder for the desk's request log: copies handed over, and copies
    refused by the rules (an unmet need is recorded by the officer's own button; a failure goes to
    the error log, not the trust's figures). No patient data."""

    def __init__(self, log: RequestLog):
        self.log = log

    def record(self, result: Result, day: date, how: str) -> None:
        if isinstance(result, Issued):
            outcome = Outcome.EMAILED if how == "e-mail" else Outcome.ISSUED
            size = " ".join(formats.get(result.format).name_parts(result.options))
        elif result.state == State.REFUSED:
            outcome, size = Outcome.REFUSED, ""
        else:
            return
        self.log.record(day, result.leaflet, result.locale, result.format, size, outcome)
