"""The unit of build work: one leaflet in one locale, every asked-for format, as a pure function.

`render(job)` takes everything the bytes depend on as data (the leaflet's source text, the two
catalogs, the shared strings, the writer names and options) and hands back each format's bytes
or a structured refusal. It reads no project folder and writes no output file, so the same call
runs in this process, in a local worker pool or on a Dask worker on another machine, and a retry
is always safe (Dask's `Client.map` model). One parse and one translation feed every format, and
all formats of a (leaflet, locale) are made in the same call, so writers that share work (one
speech synthesis for MP3, transcript and EPUB) can share it within it.

The core reads files, so the job's data is laid out as a tiny project in a private temporary
folder for the length of the call; messages name the real project's files, never that folder.
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import formats
from formats.contract import Options
from leaflets import catalogs, locales
from leaflets.errors import InstallationError, Kind, LeafletError
from leaflets.model import Leaflet
from leaflets.project import Project
from leaflets.reader import SourceError
from leaflets.translate import MissingTranslations, translate
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
    root: str  # the project's folder, only to name its files in messages
    options: Options
    draft: bool = False
    release: bool = False
    scratch: str = ""  # a folder for temporary files, used if this machine has it
    code: str = ""  # the version of the pipeline code the driver planned with (plan.code_version)
    files: tuple[tuple[str, bytes], ...] = ()  # pictures the source refers to: (path under the project, bytes)

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
    detail: str = ""  # a bug's whole traceback: the driver keeps it in the build folder's logs


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
    with _workspace(job) as root:
        project = Project(root)
        relocate = _Relocate(root, Path(job.root))
        try:
            doc, kind, refusal = judge(
                project, job.leaflet, job.locale, job.options.build_date, draft=job.draft, release=job.release
            )
        except Exception as exc:  # a bug: say where, and let the other leaflets and locales go on
            return [_bug(name, exc, relocate) for name in job.formats]
        if refusal or doc is None:
            return [Rendered(name, State.REFUSED, reason=relocate(refusal), kind=kind or "") for name in job.formats]
        doc = replace(doc, path=str(Path(job.root) / "source" / job.source_name))
        return [_write(name, doc, job, relocate) for name in job.formats]


def judge(
    project: Project, leaflet: str, locale: str, today: date, *, draft: bool = False, release: bool = False
) -> tuple[Leaflet | None, Kind | None, str]:
    """The leaflet translated, and why it may not be made, by the build's own rules: (doc, None, "")
    when it may; (doc or None, kind, one line) when it may not: a source error or an unfinished
    translation, check errors (never for a draft, which shows mistakes for proof-reading) and,
    for a release, a translation without a current sign-off or a leaflet past its review date.
    The issuing service asks this before building, so the desk's answer is the build's."""
    try:
        doc = translate(
            project.leaflet(leaflet), locale, project.shared_strings, draft=draft, locales_dir=project.locales_dir
        )
        kind, refusal = (None, "") if draft else _check_refusal(project, leaflet, locale)
        if not refusal:
            kind, refusal = _release_refusal(doc, today, release)
    except LeafletError as exc:
        return None, _kind(exc), str(exc)
    return doc, kind, refusal


def _write(name: str, doc: Leaflet, job: Job, relocate: _Relocate) -> Rendered:
    writer = formats.get(name)
    try:
        reason = writer.unavailable(doc.locale)
        if reason:
            return Rendered(name, State.UNAVAILABLE, reason=str(reason), kind=reason.kind)
        return Rendered(name, State.BUILT, writer.write(doc, writer.options(job.options)))
    except InstallationError as exc:  # the machine is broken, not the leaflet: a failure, with the fix
        fix = "" if "make debs" in str(exc) else " (run `make debs` to install what is missing)"
        return Rendered(name, State.FAILED, reason=relocate(str(exc)) + fix, kind=Kind.INSTALLATION)
    except LeafletError as exc:
        return Rendered(name, State.FAILED, reason=relocate(str(exc)), kind=_kind(exc))
    except OSError as exc:  # a full disk under the writer's temporary files, a tool it cannot run ...
        return Rendered(name, State.FAILED, reason=relocate(_os_error(exc, job)), kind=Kind.OTHER)
    except Exception as exc:  # a bug in a writer: say so plainly, keep the other artifacts going
        return _bug(name, exc, relocate)


def _kind(exc: LeafletError) -> Kind:
    if isinstance(exc, InstallationError):
        return Kind.INSTALLATION
    if isinstance(exc, SourceError):
        return Kind.SOURCE_ERROR
    if isinstance(exc, MissingTranslations):
        return Kind.NOT_TRANSLATED
    return Kind.OTHER


def _own_code(names: tuple[str, ...]) -> str:
    hashes = stamps.Hashes()
    return plan.code_version(plan.core_code(hashes), [plan.writer_code(hashes, n) for n in names])


def _os_error(exc: OSError, job: Job) -> str:
    """One line with the file: an error without one (a write that found the disk full) names
    the folder temporary files go to."""
    where = exc.filename or (job.scratch if _usable(job.scratch) else tempfile.gettempdir())
    return describe(OSError(exc.errno, exc.strerror, where))


def _usable(folder: str) -> bool:
    return bool(folder) and os.path.isdir(folder) and os.access(folder, os.W_OK)


def _bug(name: str, exc: Exception, relocate: _Relocate) -> Rendered:
    """A bug: one line, and the whole traceback for the driver to keep (a task writes no files)."""
    return Rendered(
        name, State.FAILED, reason=relocate(crashlog.summary(exc)), kind=Kind.INTERNAL, detail=crashlog.details(exc)
    )


class _Relocate:
    """Messages name the real project's files, not the task's temporary copy."""

    def __init__(self, workspace: Path, root: Path):
        self.workspace, self.root = str(workspace), str(root)

    def __call__(self, text: str) -> str:
        return text.replace(self.workspace, self.root)


@contextmanager
def _workspace(job: Job) -> Iterator[Path]:
    """The job's data laid out as a project in a temporary folder (removed afterwards)."""
    inside = _usable(job.scratch) and tempfile.gettempdir().startswith(job.scratch)  # a worker's own folder
    with tempfile.TemporaryDirectory(
        prefix="task-", dir=job.scratch if _usable(job.scratch) and not inside else None
    ) as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        (root / "source" / job.source_name).write_bytes(job.source)
        if job.shared is not None:
            (root / "source" / "common.yaml").write_bytes(job.shared)
        for relative, content in job.files:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        for domain, data in ((job.leaflet, job.catalog), (catalogs.COMMON, job.common_catalog)):
            if data is not None:
                path = catalogs.po_path(root / "locales", job.locale, domain)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        yield root


def _check_refusal(project: Project, leaflet: str, locale: str) -> tuple[Kind | None, str]:
    """A translation with check errors (a changed number, a lost phone digit ...) is never built."""
    if locale == locales.SOURCE_CODE:
        return None, ""
    from leaflets import checks  # its patterns take a while to compile: not for a no-op build

    errors = [f for f in checks.run(project, [leaflet], [locale]) if f.severity == checks.ERROR]
    if not errors:
        return None, ""
    more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
    return Kind.CHECK_ERRORS, (
        f"{locale}: {len(errors)} check error(s): {errors[0]}{more} (run `pipeline.py check --locale {locale}`)"
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
