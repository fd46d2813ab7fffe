"""The desk's view of the library: the project as it is on disk now and what each leaflet x language
can be issued as, asked of the issuing service (publishing/issuing/service.py), which also makes
and records every copy. Here too: a copy already made, found without waiting for a build, and
copies made in the background while the officer's page says so."""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import formats
from formats.options import declared
from leaflets import catalogs, locales
from leaflets.errors import Kind, Reason
from leaflets.project import Project
from leaflets.vocabulary import State, Target
from publishing.engine import buildstate, plan
from publishing.issuing import asks
from publishing.issuing.service import Ask, Issued, Issuing, Policy, Recorder, Refused, Result, Unmet

from .requestlog import Need, Outcome, RequestLog


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
        self._fresh: dict[tuple, tuple] = {}  # copies found current: (what was seen, path, file's stat)
        self._making: dict[tuple, Future] = {}  # copies being made in the background, by what was asked
        self._workers = ThreadPoolExecutor(2, thread_name_prefix="desk-build")

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

    # --- copies ready now, and copies made in the background ------------------------------------

    def ready(self, lid: str, code: str, fmt: str, options: formats.Options, today: date) -> Issued | None:
        """The current copy, opened and hashed, if it is on disk and up to date; else None. Never waits
        for a build: the plan reads the build state without the output folder's lock, so a ready copy
        is served while other copies are being made. A copy found current is remembered until the
        leaflet's source, shared strings or catalogs, the build state or the file itself change, so
        asking again costs a few stats. The caller has asked `service.refusal` first."""
        project = self.project()
        key = (lid, code, fmt, replace(options, build_date=date.min))
        inputs = [project.source_files[lid], project.common_path]
        if code != locales.SOURCE_CODE:
            inputs += [catalogs.po_path(project.locales_dir, code, d) for d in (lid, catalogs.COMMON)]
        seen = (formats.stamp(*inputs), _stat_of(self.out_dir / buildstate.STATE))
        known = self._fresh.get(key)
        path = known[1] if known and known[0] == seen and _stat_of(known[1]) == known[2] else None
        if path is None:
            state = buildstate.BuildState(self.out_dir, lambda _message: None)
            release = not self.service.policy.allow_unreviewed  # as the service builds: the same fingerprints
            todo = plan.plan(project, [Target(lid, code, fmt)], self.out_dir, options, False, release, state)
            path = next((item.path for item, record in todo.done if record.state == State.BUILT), None)
            if path is None:
                return None
            self._fresh[key] = (seen, path, _stat_of(path))
        try:
            stream = open(path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
        except OSError:
            return None
        digest = hashlib.sha256()
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
        stream.seek(0)
        caution = self.service.caution(lid, code, today)
        return Issued(
            lid, code, fmt, replace(options, build_date=today), path, digest.hexdigest(), caution, False, stream
        )

    def making(self, lid: str, code: str, fmt: str, options: formats.Options, today: date) -> Future:
        """The background build of a copy (the issuing service's), started now unless it is under way.
        Its result is the service's Issued (its file closed: the desk asks `ready` again to send it)
        or Refused; nothing is recorded here."""
        key = (lid, code, fmt, replace(options, build_date=date.min))
        with self._guard:
            running = self._making.get(key)
            if running is None or (running.done() and not _refused(running)):
                running = self._making[key] = self._workers.submit(self._make, lid, code, fmt, options, today)
            return running

    def settle(self, lid: str, code: str, fmt: str, options: formats.Options) -> Refused | None:
        """Why a finished background build gave no copy (forgotten once told), or None."""
        key = (lid, code, fmt, replace(options, build_date=date.min))
        with self._guard:
            running = self._making.get(key)
            if running is None or not running.done() or not _refused(running):
                return None
            del self._making[key]
        result = running.result()
        assert isinstance(result, Refused)
        return result

    def _make(self, lid: str, code: str, fmt: str, options: formats.Options, today: date) -> Result:
        (result,) = self.service.issue(Ask(lid, code, (fmt,), options), today, None)
        if isinstance(result, Issued) and result.stream is not None:
            result.stream.close()
        return result


def _refused(done: Future) -> bool:
    return done.exception() is not None or isinstance(done.result(), Refused)


def _stat_of(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _labels(fmt: str, options: formats.Options) -> str:
    """A copy's options as the report shows them ("24 pt", "grade 1"); "" for a format we do not make."""
    return ", ".join(formats.get(fmt).labels(options)) if fmt in formats.names() else ""


# Why a copy was refused, as the information team counts unmet needs.
NEEDS: dict[str, Need] = {
    Kind.NO_VOICE: Need.NO_VOICE,
    Kind.NO_CODE: Need.NO_BRAILLE,
    Kind.NOT_TRANSLATED: Need.NOT_READY,
    Kind.CHECK_ERRORS: Need.NOT_READY,
    Kind.EXPIRED: Need.OVERDUE,
    Kind.NOT_SIGNED_OFF: Need.UNCHECKED,
    Unmet.NO_TRANSLATION: Need.NO_TRANSLATION,
    Unmet.UNKNOWN_LANGUAGE: Need.UNKNOWN_LANGUAGE,
    Unmet.FORMAT_NOT_MADE: Need.NOT_MADE,
    **{need: need for need in Need},  # needs only the desk meets (too large to e-mail)
}


class LogRecorder:
    """The issuing service's recorder for the desk's request log: copies handed over, and every
    refusal as an unmet need with its reason (no voice, no braille code, no translation, not ready,
    past its review date ...). A failure (the machine at fault) goes to the error log, not the
    trust's figures. No patient data. `asked` is the name the patient gave ("Sylheti"), set by
    the desk for the request being answered."""

    def __init__(self, log: RequestLog):
        self.log = log
        self.asked = threading.local()

    def record(self, result: Result, day: date, how: str) -> None:
        asked = getattr(self.asked, "name", "")
        if isinstance(result, Issued):
            outcome = Outcome.EMAILED if how == "e-mail" else Outcome.ISSUED
            size = _labels(result.format, result.options)
            self.log.record(day, result.leaflet, result.locale, result.format, size, outcome, asked=asked)
        elif not result.failed:
            size = _labels(result.format, result.options)
            need = NEEDS.get(result.kind, Need.UNAVAILABLE if result.state == State.UNAVAILABLE else Need.NOT_READY)
            self.log.record(
                day, result.leaflet, result.locale, result.format or "any", size, Outcome.UNMET, need, asked
            )
