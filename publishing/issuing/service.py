"""The one way a copy is issued, for `pipeline.py request` and the desk alike.

    service = Issuing(project, out_dir, Policy(allow_unreviewed=False), recorder)
    results = service.issue(Ask("vertebroplasty", "Polish", ("big print",), options), today, how="command line")

`issue` resolves the leaflet, language and formats from people's words (`asks`), decides whether
the copy may be issued (the build's own rules, `engine.tasks.judge`, with the trust's policy on
unchecked translations and review dates), builds it on demand (the engine: nothing is built
twice, officers asking at once share one build), records what happened (the `Recorder` given)
and hands back, per format, an `Issued` (the file, its sha256 and options, what the patient must
be told) or a `Refused` (one plain sentence, the same whoever asked). Nothing else decides.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

import formats
from formats import Options
from leaflets import locales
from leaflets.errors import Kind, LeafletError
from leaflets.project import Project
from leaflets.vocabulary import State, Target, past_review
from publishing.engine.build import Request, artifact_path, build
from publishing.engine.plan import text_hash
from publishing.engine.progress import Progress
from publishing.engine.stamps import Hashes
from publishing.engine.tasks import judge

from . import asks

# What the trust is told a copy was refused for when policy, not the build, forbids it.
NOT_ALLOWED = "The trust does not allow copies like this to be issued."


class Unmet(StrEnum):
    """Why an ask could not even be understood as a copy we make (beside leaflets.errors.Kind)."""

    UNKNOWN_LEAFLET = "unknown leaflet"
    UNKNOWN_LANGUAGE = "unknown language"
    NO_TRANSLATION = "no translation"  # a language we recognise but have no catalogs for
    FORMAT_NOT_MADE = "format not made"


@dataclass(frozen=True)
class Policy:
    """The trust's rule: may a copy not (or no longer) checked by a clinician, or past its review
    date, be issued once the patient has been told? False is the build's `--release` rule."""

    allow_unreviewed: bool = True
    refuse_overdue: bool = False  # the desk setting overdue_leaflets = "refuse": past its review date, not issued


@dataclass(frozen=True)
class Ask:
    """What someone asked for, in their words or as codes."""

    leaflet: str
    language: str
    formats: tuple[str, ...]
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class Issued:
    """A copy that may be handed over: the file (`path`, its `sha256`) made with `options`, and
    what the patient must be told first (`caution`, "" for nothing). `built` is True when it was
    made for this ask. `stream` is the file opened when it was checked (the caller closes it)."""

    leaflet: str
    locale: str
    format: str
    options: Options
    path: Path
    sha256: str
    caution: str
    built: bool
    stream: BinaryIO | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Refused:
    """An ask that cannot be met: `reason` is the one plain sentence for the person asking, `kind`
    why (a leaflets.errors.Kind or an Unmet), `state` the build's word for it (None when the ask
    was not understood). `leaflet`, `locale` and `format` are codes where known, else the words."""

    leaflet: str
    locale: str
    format: str
    options: Options
    reason: str
    kind: str
    state: State | None = None
    fix: str = ""  # how the person asking might put it right, where there is a way ("give the code")

    @property
    def failed(self) -> bool:
        """The machine or the code is at fault, not the ask: the people who run it must be told."""
        return self.state == State.FAILED


Result = Issued | Refused


class Recorder(Protocol):
    """Where issued and refused copies are recorded (the desk's request log; an archive).
    `how` says how the copy was handed over: "download", "open", "e-mail", "command line"."""

    def record(self, result: Result, day: date, how: str) -> None: ...


@dataclass(frozen=True)
class Readiness:
    """Whether a leaflet may be issued in a language at all (before any format is built)."""

    refusal: Refused | None  # why not (unfinished, check errors, not allowed), or None
    caution: str  # what the patient must be told first, or ""


class Issuing:
    """Issues copies of one project into one output folder. `project` may be a function that
    returns the project as it is now (the desk re-reads a changed project)."""

    def __init__(
        self,
        project: Project | Callable[[], Project],
        out_dir: Path,
        policy: Policy | None = None,
        recorder: Recorder | None = None,
    ):
        self._project = project if callable(project) else (lambda: project)
        self.out_dir, self.policy, self.recorder = Path(out_dir), policy or Policy(), recorder
        self._guard = threading.Lock()
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._known: dict[tuple[str, str], tuple[tuple, Readiness, bool]] = {}  # bool: judged
        self._hashes = Hashes()  # content hashes, known by stat while a file is unchanged
        self.builds = 0  # copies made by this service (the desk's bench counts them)

    @property
    def project(self) -> Project:
        return self._project()

    # --- resolving -------------------------------------------------------------------------------

    def resolve(self, ask: Ask) -> tuple[str, str, list[str]] | Refused:
        """(leaflet id, locale code, format names) for an ask, or why it cannot be understood."""
        project = self.project
        try:
            lid = asks.find_leaflet(project, ask.leaflet)
        except asks.NotAvailable as exc:
            return self._unmet(ask, exc, Unmet.UNKNOWN_LEAFLET)
        try:
            code = asks.find_locale(project, ask.language)
        except asks.NoTranslation as exc:
            return self._unmet(ask, exc, Unmet.NO_TRANSLATION, lid, exc.language.code)
        except asks.NotAvailable as exc:
            return self._unmet(ask, exc, Unmet.UNKNOWN_LANGUAGE, lid)
        try:
            names = asks.find_formats(list(ask.formats))
        except asks.NotAvailable as exc:
            return self._unmet(ask, exc, Unmet.FORMAT_NOT_MADE, lid, code)
        return lid, code, names

    @staticmethod
    def _unmet(ask: Ask, exc: asks.NotAvailable, kind: Unmet, lid: str = "", code: str = "") -> Refused:
        return Refused(lid or ask.leaflet, code or ask.language, " ".join(ask.formats), ask.options, exc.reason, kind)

    # --- deciding --------------------------------------------------------------------------------

    def readiness(self, lid: str, code: str, today: date) -> Readiness:
        """May this leaflet be issued in this language today, and what must the patient be told?
        The build's rules (`judge`), with the release rule when the trust's policy forbids unchecked
        copies; remembered until what the leaflet, the shared strings or the language's catalogs say changes."""
        key = self._key(lid, code, today)
        known = self._known.get((lid, code))
        if known and known[0] == key and known[2]:
            return known[1]
        project = self.project
        _, kind, reason = judge(project, lid, code, today, release=not self.policy.allow_unreviewed)
        refusal = self._overdue(lid, code, "", Options(build_date=today), today)
        if reason:
            refusal = self._refused(lid, code, "", Options(build_date=today), State.REFUSED, reason, kind)
        answer = Readiness(refusal, self.caution(lid, code, today))
        self._known[(lid, code)] = (key, answer, True)
        return answer

    def caution(self, lid: str, code: str, today: date) -> str:
        """What the patient must be told before this copy is handed over (`asks.caution`), or "";
        remembered as `readiness` is, without judging (a ready copy needs no translation)."""
        key = self._key(lid, code, today)
        known = self._known.get((lid, code))
        if known and known[0] == key:
            return known[1].caution
        caution = asks.caution(self.project, lid, code, today)
        self._known[(lid, code)] = (key, Readiness(None, caution), False)  # the caution only: not judged
        return caution

    def _key(self, lid: str, code: str, today: date) -> tuple:
        return (text_hash(self._hashes, self.project, lid, code), today, self.policy)

    def _refused(
        self, lid: str, code: str, fmt: str, options: Options, state: State, reason: str, kind: str | None
    ) -> Refused:
        """The plain sentence for a copy the build would not or could not make."""
        project = self.project
        if kind in (Kind.NOT_SIGNED_OFF, Kind.EXPIRED):
            sentence = f"{asks.caution(project, lid, code, options.build_date)} {NOT_ALLOWED}".strip()
        else:
            want = asks.Resolved(lid, code, fmt or formats.default_names()[0])
            sentence = asks.explain(project, want, state, reason)
        return Refused(lid, code, fmt, options, sentence, kind or Kind.OTHER, state)

    # --- issuing ---------------------------------------------------------------------------------

    def refusal(self, lid: str, code: str, fmt: str, options: Options, today: date) -> Refused | None:
        """Why this copy may not be issued, known before building: the leaflet in that language
        (`readiness`), or the format in that language (the writer's own `unavailable`: no voice,
        no braille code). None when it may be (the build may still refuse or fail)."""
        ready = self.readiness(lid, code, today)
        if ready.refusal is not None:
            return replace(ready.refusal, format=fmt, options=options)
        return self._unavailable(lid, code, fmt, options)

    def _overdue(self, lid: str, code: str, fmt: str, options: Options, today: date) -> Refused | None:
        """Refused when the trust's policy refuses leaflets past their review date and this one is."""
        if not self.policy.refuse_overdue:
            return None
        try:
            due = self.project.leaflet(lid).meta.next_review
        except LeafletError:
            return None  # the build says what is wrong with the source
        if not past_review(due, today):
            return None
        sentence = (
            f"This leaflet was due for review in {due}. The trust does not issue leaflets past their review "
            "date: ask the Patient Information team for the current version."
        )
        return Refused(lid, code, fmt, options, sentence, Kind.EXPIRED, State.REFUSED)

    def _unavailable(self, lid: str, code: str, fmt: str, options: Options) -> Refused | None:
        reason = formats.get(fmt).unavailable(locales.info(code))
        if reason is None:
            return None
        return self._refused(lid, code, fmt, options, State.UNAVAILABLE, str(reason), reason.kind)

    def issue(self, ask: Ask, today: date, how: str | None = None) -> list[Result]:
        """One result per format asked for, in the order asked (one Refused if the ask is not
        understood). Each is recorded with `how`, unless `how` is None: then the caller records it
        with `record` once the copy is handed over (an e-mail that was not sent is not issued)."""
        resolved = self.resolve(ask)
        if isinstance(resolved, Refused):
            results: list[Result] = [resolved]
        else:
            lid, code, names = resolved
            options = replace(ask.options, build_date=today)  # a copy issued today is dated today
            found: dict[str, Result] = {}
            for name in names:  # the writer's own word first: nothing to translate for "no voice"
                refused = self._unavailable(lid, code, name, options) or self._overdue(lid, code, name, options, today)
                if refused is not None:
                    found[name] = refused
            wanted = [n for n in names if n not in found]
            if wanted:  # the build judges the rest by the same rules `readiness` asks (judge)
                caution = self.caution(lid, code, today)
                found.update(zip(wanted, self._build(lid, code, wanted, options, caution), strict=True))
            results = [found[n] for n in names]
        if how is not None:
            for result in results:
                self.record(result, today, how)
        return results

    def _build(self, lid: str, code: str, names: list[str], options: Options, caution: str) -> list[Result]:
        """Build what is not on disk or out of date, one build for all the formats (audio and its
        transcript share one narration); officers asking for the same copy at once share it."""
        with self._guard:
            locks = [self._locks.setdefault((lid, code, n), threading.Lock()) for n in sorted(names)]
        for lock in locks:
            lock.acquire()
        try:
            request = Request(out_dir=str(self.out_dir), options=options, release=not self.policy.allow_unreviewed)
            summary = build(self.project, [lid], [code], names, request, jobs=1, progress=Progress(1, io.StringIO()))
            with self._guard:
                self.builds += summary.count(State.BUILT)
            results: list[Result] = []
            for outcome in summary.outcomes:
                fmt = outcome.target.format
                if outcome.state.ready:
                    results.append(_opened(lid, code, fmt, options, Path(outcome.path), caution, outcome.state))
                else:
                    kind = outcome.kind or None
                    results.append(self._refused(lid, code, fmt, options, outcome.state, outcome.reason, kind))
            return results
        finally:
            for lock in reversed(locks):
                lock.release()

    def record(self, result: Result, day: date, how: str) -> None:
        if self.recorder is not None:
            self.recorder.record(result, day, how)

    def on_disk(self, lid: str, code: str) -> set[str]:
        """The formats whose usual copy (default options) of a leaflet in a language is on disk now."""
        source = self.project.source_files[lid]
        return {
            name
            for name in formats.names()
            if artifact_path(self.out_dir, source, Target(lid, code, name), Options(), False).exists()
        }


def _opened(lid: str, code: str, fmt: str, options: Options, path: Path, caution: str, state: State) -> Issued:
    """The copy opened and hashed under the build's lock: the bytes handed over are the bytes hashed."""
    stream = open(path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    stream.seek(0)
    return Issued(lid, code, fmt, options, path, digest.hexdigest(), caution, state == State.BUILT, stream)
