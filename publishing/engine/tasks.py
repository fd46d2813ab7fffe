"""The unit of build work: one leaflet in one locale, every asked-for format, as a pure function.

`render(job)` takes everything the bytes depend on as data (the leaflet's source text, the two
catalogs, the shared strings, the writer names and options) and hands back each format's bytes
or a structured refusal. It reads no project folder and writes no output file, so the same call
runs in this process, in a local worker pool or on a Dask worker on another machine, and a retry
is always safe (Dask's `Client.map` model). One parse and one translation feed every format, and
all formats of a (leaflet, locale) are made in the same call, so writers that share work (one
speech synthesis for MP3, transcript and EPUB) can share it within it.

Each input is parsed once, from the job's bytes (nothing is laid out on disk): the leaflet's
catalog once for translation and checks; the leaflet's source, the shared strings, the locale's
common.po and its check findings once per worker process for every job after that uses them
(kept by their bytes, so an edit is never missed). Messages name the real project's files.
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import polib

import formats
from formats.contract import Options, keeping, sharing
from leaflets import catalogs, locales, pictures, reader
from leaflets.catalogs import SharedString
from leaflets.errors import InstallationError, Kind, LeafletError
from leaflets.model import Leaflet
from leaflets.project import Project, read_shared_strings
from leaflets.reader import SourceError
from leaflets.translate import MissingTranslations, translate
from leaflets.version import version
from leaflets.vocabulary import Review, State, past_review

from . import crashlog, plan, stamps
from .output import describe


@dataclass(frozen=True)
class Job:
    """Everything one (leaflet, locale) render depends on, as picklable data."""

    leaflet: str
    locale: str
    formats: tuple[str, ...]
    source_name: str  # e.g. "RAD_0009-vertebroplasty.md"
    source: bytes
    shared: bytes | None  # source/common.yaml (None if it is missing)
    catalog: bytes | None  # the leaflet's PO in this locale (None for the source language or if absent)
    common_catalog: bytes | None  # common.po in this locale
    root: str  # the project's folder: to name its files in messages, and where writers keep work (KEPT)
    options: Options
    draft: bool = False
    release: bool = False
    scratch: str = ""  # a folder for temporary files, used if this machine has it
    code: str = ""  # the version of the pipeline code the driver planned with (plan.code_version)
    files: tuple[tuple[str, bytes], ...] = ()  # pictures the source refers to: (path under the project, bytes)
    # each catalog's check errors, when `check`, `status` or a build found its findings before (else None)
    checked: tuple | None = None
    common_checked: tuple | None = None

    @property
    def label(self) -> str:
        return f"{self.leaflet} {self.locale}"


@dataclass(frozen=True)
class Rendered:
    """What became of one format: its bytes, or why not."""

    format: str
    state: State
    data: bytes = b""
    reason: str = ""
    kind: str = ""  # why not, as leaflets.errors.Kind: what the desk and the manifest group by
    detail: str = ""  # a bug's whole traceback: the driver keeps it in .cache/logs/
    checked: tuple | None = None  # the findings the task's checks made (for the driver to keep), or None
    listed: tuple | None = None  # what the index page shows of the copy (`_listed`), or None


def render(job: Job) -> list[Rendered]:
    """Translate one leaflet into one locale and make each asked-for format."""
    try:
        return _render(job)
    except OSError as exc:  # no room or no permission for temporary files (a full disk ...)
        return [Rendered(name, State.FAILED, reason=_os_error(exc, job), kind=Kind.OTHER) for name in job.formats]


def _render(job: Job) -> list[Rendered]:
    if job.code and job.code != _own_code(job.formats):
        why = (
            f"{job.label}: this worker ({platform.node()}) runs another version of the pipeline than the build "
            "(install the same version on every machine: `git pull && make install`, then restart its workers)"
        )
        return [Rendered(name, State.FAILED, reason=why, kind=Kind.INSTALLATION) for name in job.formats]
    with _pictures(job) as root:
        try:
            doc, kind, refusal, findings, listed = _judged(job, root)
        except Exception as exc:  # a bug: say where, and let the other leaflets and locales go on
            return [_bug(name, exc) for name in job.formats]
        known = job.checked is not None and job.common_checked is not None
        fresh = tuple(findings) if findings is not None and not known else None
        if refusal or doc is None:
            done = [Rendered(name, State.REFUSED, reason=refusal, kind=kind or "") for name in job.formats]
        else:
            doc = replace(doc, path=str(Path(job.root) / "source" / job.source_name))
            with keeping(_kept(job)), sharing():  # the narration made once for MP3, transcript and EPUB
                done = [_write(name, doc, job) for name in job.formats]
        if root != Path(job.root):  # messages name the project's files, not the pictures' folder
            done = [replace(r, reason=r.reason.replace(str(root), job.root)) for r in done]
    if fresh is None and listed is None:
        return done
    return [replace(r, checked=fresh, listed=listed) for r in done]


def _listed(job: Job, leaflet: Leaflet, po: polib.POFile | None, common: polib.POFile | None) -> tuple | None:
    """What the build's index page shows of this copy, from what the task has parsed already (the
    leaflet's front matter; in a translation its title there and its review state), so that the
    driver does not parse every source and catalog again (`catalogue.Known`). None for a copy with
    pictures (its review state covers them: the page reads them itself)."""
    from .catalogue import listing

    if job.locale == locales.SOURCE_CODE:
        return (leaflet.meta, "", None)
    if po is None or common is None or pictures.referenced(job.source):
        return None
    try:
        return (leaflet.meta, *listing(po, common, leaflet.meta.title))
    except LeafletError:  # the page says what it finds itself
        return None


KEPT = ".cache"  # under the project: work writers reuse between builds (spoken utterances)


def _kept(job: Job) -> Path | None:
    """Where the task's writers may keep reusable work: the project's KEPT folder, if this
    machine has the project (a Dask worker elsewhere keeps nothing)."""
    root = Path(job.root)
    return root / KEPT if root.is_dir() else None


@contextmanager
def _pictures(job: Job) -> Iterator[Path]:
    """The folder the task reads the leaflet's pictures from: the project's own when the source
    names none, else a private temporary one holding exactly the job's copies of them (a Dask
    worker has no project, and a picture changed since planning must not slip in)."""
    if not job.files:
        yield Path(job.root)
        return
    inside = _usable(job.scratch) and tempfile.gettempdir().startswith(job.scratch)  # a worker's own folder
    with tempfile.TemporaryDirectory(
        prefix="task-", dir=job.scratch if _usable(job.scratch) and not inside else None
    ) as tmp:
        root = Path(tmp)
        for relative, content in job.files:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield root


def read_job(
    project: Project,
    lid: str,
    code: str,
    names: tuple[str, ...],
    options: Options,
    *,
    draft: bool = False,
    release: bool = False,
    scratch: str = "",
    version: str = "",
) -> Job:
    """The data one (leaflet, locale) render needs, read from the project now."""

    def catalog(domain: str) -> bytes | None:
        path = catalogs.po_path(project.locales_dir, code, domain)
        return path.read_bytes() if code != locales.SOURCE_CODE and path.exists() else None

    source = project.source_files[lid]
    data = source.read_bytes()
    return Job(
        leaflet=lid,
        locale=code,
        formats=names,
        source_name=source.name,
        source=data,
        shared=project.common_path.read_bytes() if project.common_path.exists() else None,
        catalog=catalog(lid),
        common_catalog=catalog(catalogs.COMMON),
        root=str(project.root),
        options=options,
        draft=draft,
        release=release,
        scratch=scratch,
        code=version,
        files=pictures.files(project.root, data, code),
    )


def judge(
    project: Project, leaflet: str, locale: str, today: date, *, draft: bool = False, release: bool = False
) -> tuple[Leaflet | None, Kind | None, str]:
    """The leaflet translated, and why it may not be made, by the build's own rules: (doc, None, "")
    when it may; (doc or None, kind, one line) when it may not: a source error or an unfinished
    translation, check errors (never for a draft, which shows mistakes for proof-reading) and,
    for a release, a translation without a current sign-off or a leaflet past its review date.
    The issuing service asks this before building, so the desk's answer is the build's."""
    job = read_job(project, leaflet, locale, (), Options(build_date=today), draft=draft, release=release)
    doc, kind, refusal, _, _ = _judged(job, project.root)
    return doc, kind, refusal


def _judged(job: Job, root: Path) -> tuple[Leaflet | None, Kind | None, str, list | None, tuple | None]:
    """`judge` on a job's data (its pictures read under `root`), with the check findings it made
    or was given (None: none checked) and what the index page shows of it (`_listed`)."""
    findings: list | None = None
    listed: tuple | None = None
    try:
        doc, findings, listed = _translated(job, root)
        # a draft is for proof-reading: it shows what is there, mistakes included, marked DRAFT
        shown = [f for f in findings or () if not f.suppressed]
        kind, refusal = (None, "") if job.draft else _check_refusal(shown, job)
        if not refusal:
            kind, refusal = _release_refusal(doc, job.options.build_date, job.release)
    except LeafletError as exc:
        return None, _kind(exc), str(exc), findings, None
    return doc, kind, refusal, findings, listed


def _translated(job: Job, root: Path) -> tuple[Leaflet, list | None, tuple | None]:
    """The translated leaflet, the check findings of its two catalogs, suppressed ones included,
    or None when nothing is checked (each catalog parsed once; none checked again when the job
    brings their findings), and what the index page shows of it."""
    leaflet = _leaflet(str(root / "source" / job.source_name), job.source)
    shared = _shared(str(root / "source" / "common.yaml"), job.shared)
    if job.locale == locales.SOURCE_CODE:
        return translate(leaflet, job.locale, shared, draft=job.draft), None, _listed(job, leaflet, None, None)
    locales_dir = root / "locales"  # where a language's own pictures are read
    real = Path(job.root) / "locales"  # the catalogs' bytes are the job's: these only name them
    path = catalogs.po_path(real, job.locale, job.leaflet)
    common_path = str(catalogs.po_path(real, job.locale, catalogs.COMMON))
    po = catalogs.load(path, job.catalog) if job.catalog is not None else None
    common = _common(common_path, job.common_catalog) if job.common_catalog is not None else None
    listed = _listed(job, leaflet, po, common)

    def translated(flagged: frozenset[str] = frozenset()) -> Leaflet:
        parsed = {job.leaflet: po, "common": common}
        return translate(
            leaflet, job.locale, shared, draft=job.draft, locales_dir=locales_dir, parsed=parsed, flagged=flagged
        )

    if po is None or common is None:
        return translated(), None, listed
    doc = None if job.draft else translated()  # one that cannot be published is refused before it is checked
    from leaflets import checks  # its patterns take a while to compile: not for a no-op build

    shared_found = job.common_checked
    if shared_found is None:
        shared_found = _common_findings(common_path, job.locale, job.root, job.common_catalog)
    own = job.checked
    if own is None:
        own = tuple(
            checks.check_catalog(
                path, job.locale, leaflet.meta.keep, common, Path(job.root), job.leaflet, data=job.catalog, po=po
            )
        )
    if doc is None:  # a draft shows its mistakes where they are: each entry with a check error labelled
        wrong = {f.msgid for f in own if f.severity == checks.ERROR and not f.suppressed}
        doc = translated(frozenset(e.msgid for e in po if checks.excerpt(e.msgid) in wrong))
    return doc, [*shared_found, *own], listed


@lru_cache(maxsize=8)
def _leaflet(path: str, data: bytes) -> Leaflet:
    """A leaflet's source, parsed once per worker for each of its languages that worker makes (kept
    by its bytes; the model is immutable), its version worked out once for them too (`translate`
    would for each: the version is of the English)."""
    leaflet = reader.read(Path(path), data)
    return replace(leaflet, meta=replace(leaflet.meta, version=leaflet.meta.version or version(leaflet)))


def _shared(path: str, data: bytes | None) -> tuple[SharedString, ...]:
    return read_shared_strings(Path(path)) if data is None else _shared_from(path, data)


@lru_cache(maxsize=4)
def _shared_from(path: str, data: bytes) -> tuple[SharedString, ...]:
    return read_shared_strings(Path(path), data)


@lru_cache(maxsize=16)
def _common(path: str, data: bytes) -> polib.POFile:
    """A locale's common.po, parsed once per worker for every leaflet (read only: never changed)."""
    return catalogs.load(Path(path), data)


@lru_cache(maxsize=16)
def _common_findings(path: str, code: str, root: str, data: bytes) -> tuple:
    from leaflets import checks

    common = _common(path, data)
    return tuple(checks.check_catalog(Path(path), code, (), common, Path(root), catalogs.COMMON, data=data, po=common))


def _write(name: str, doc: Leaflet, job: Job) -> Rendered:
    writer = formats.get(name)
    try:
        reason = writer.unavailable(doc.locale)
        if reason:
            return Rendered(name, State.UNAVAILABLE, reason=str(reason), kind=reason.kind)
        return Rendered(name, State.BUILT, writer.write(doc, writer.options(job.options)))
    except InstallationError as exc:  # the machine is broken, not the leaflet: a failure, with the fix
        fix = "" if "make debs" in str(exc) else " (run `make debs` to install what is missing)"
        return Rendered(name, State.FAILED, reason=str(exc) + fix, kind=Kind.INSTALLATION)
    except LeafletError as exc:
        return Rendered(name, State.FAILED, reason=str(exc), kind=_kind(exc))
    except OSError as exc:  # a full disk under the writer's temporary files, a tool it cannot run ...
        return Rendered(name, State.FAILED, reason=_os_error(exc, job), kind=Kind.OTHER)
    except Exception as exc:  # a bug in a writer: say so plainly, keep the other artifacts going
        return _bug(name, exc)


def _kind(exc: LeafletError) -> Kind:
    if isinstance(exc, InstallationError):
        return Kind.INSTALLATION
    if isinstance(exc, SourceError):
        return Kind.SOURCE_ERROR
    if isinstance(exc, MissingTranslations):
        return Kind.NOT_TRANSLATED
    return Kind.OTHER


def _own_code(names: tuple[str, ...]) -> str:
    """The code this machine has, hashed once per process and then known by the files' stats."""
    return plan.code_version(plan.core_code(_HASHES), [plan.writer_code(_HASHES, n) for n in names])


_HASHES = stamps.Hashes()


def _os_error(exc: OSError, job: Job) -> str:
    """One line with the file: an error without one (a write that found the disk full) names
    the folder temporary files go to."""
    where = exc.filename or (job.scratch if _usable(job.scratch) else tempfile.gettempdir())
    return describe(OSError(exc.errno, exc.strerror, where))


def _usable(folder: str) -> bool:
    return bool(folder) and os.path.isdir(folder) and os.access(folder, os.W_OK)


def _bug(name: str, exc: Exception) -> Rendered:
    """A bug: one line, and the whole traceback for the driver to keep (a task writes no files)."""
    return Rendered(name, State.FAILED, reason=crashlog.summary(exc), kind=Kind.INTERNAL, detail=crashlog.details(exc))


def _check_refusal(findings: list, job: Job) -> tuple[Kind | None, str]:
    """A translation with check errors (a changed number, a lost phone digit ...) is never built."""
    from leaflets import checks

    errors = [f for f in findings if f.severity == checks.ERROR]
    if not errors:
        return None, ""
    more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
    return Kind.CHECK_ERRORS, (
        f"{job.locale}: {len(errors)} check error(s): {errors[0]}{more} (run `pipeline.py check --locale {job.locale}`)"
    )


def _release_refusal(doc: Leaflet, today: date, release: bool) -> tuple[Kind | None, str]:
    if not release:
        return None, ""
    if doc.review not in (Review.SOURCE, Review.REVIEWED):
        return Kind.NOT_SIGNED_OFF, (
            f"{doc.locale.code}: translation is {doc.review}; a release needs a current clinical sign-off "
            f'(pipeline.py signoff {doc.locale.code} --leaflet {doc.meta.id} --by "Name, role")'
        )
    due = doc.meta.next_review
    if past_review(due, today):
        return (
            Kind.EXPIRED,
            f"{doc.meta.id} was due for review in {due}; a release needs a leaflet within its review date",
        )
    return None, ""
