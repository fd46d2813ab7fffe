"""The build driver (Sphinx's builder base): plan, skip what is up to date, dispatch the rest
to an executor, write what comes back, record, report.

The driver is the only one touching the output folder. Work goes out as pure jobs, one per
(leaflet, locale) with all its formats (`tasks`), to this process, a local worker pool or a
Dask cluster (`executors`); bytes come back and are written atomically, so a refused or failed
artifact leaves the previous good output untouched. `manifest.json` and `index.html` are
rewritten at the end from what this folder's builds made and is still on disk.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import formats
from leaflets import catalogs, locales, pictures, reader
from leaflets.errors import Kind
from leaflets.project import Project
from leaflets.vocabulary import NOT_MADE, Outcome, State, Target, past_review

from . import buildstate, catalogue, crashlog, manifest, output, plan
from .plan import Item, artifact_path
from .progress import Progress
from .tasks import Job, Rendered

__all__ = ["Outcome", "Request", "State", "Summary", "Target", "artifact_path", "build", "default_jobs"]

LOCK = ".build.lock"


@dataclass(frozen=True, kw_only=True)
class Request:
    """What to build and how: one record handed to every worker (by keyword: a positional
    call written for the older record, which began with the project's root, fails loudly)."""

    out_dir: str
    options: formats.Options
    draft: bool = False
    release: bool = False


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    said: set[str] = field(default_factory=set)

    def count(self, state: State) -> int:
        return sum(o.state == state for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not any(o.state in (State.REFUSED, State.FAILED) for o in self.outcomes)

    def line(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in State if self.count(s))
        return f"nothing to do: {counts}" if self.ok and not self.count(State.BUILT) else counts


def build(
    project: Project,
    leaflet_ids: list[str],
    codes: list[str],
    format_names: list[str],
    request: Request,
    jobs: int = 1,
    progress: Progress | None = None,
    executor: str = "local",
    scheduler: str = "",
) -> Summary:
    """Make every leaflet x locale x format asked for that is not up to date.

    `executor` is "local" (this process for one job or `jobs` == 1, else a pool of `jobs`
    processes) or "dask" (a LocalCluster of `jobs` workers, or the cluster at `scheduler`).
    """
    out_dir = Path(request.out_dir)
    output.claim(out_dir)
    targets = [Target(lid, c, f) for lid in leaflet_ids for c in codes for f in format_names]
    progress = progress or Progress(len(targets))
    progress.total = len(targets)
    with _exclusive(out_dir, progress):
        scratch = output.scratch(out_dir)
        state = buildstate.BuildState(out_dir, progress.message)
        summary = Summary()
        try:
            _build(project, leaflet_ids, targets, request, (executor, jobs, scheduler), progress, state, summary)
        finally:  # what was built before an interruption stays known; nothing temporary stays
            progress.close()
            saved = state.save()
            shutil.rmtree(scratch, ignore_errors=True)
        stale = saved or state.files_gone() or not (out_dir / manifest.MANIFEST).exists()
        changed = stale and manifest.write(out_dir, state)
        index = out_dir / catalogue.INDEX
        if changed or not index.exists() or index.stat().st_mtime_ns < (out_dir / manifest.MANIFEST).stat().st_mtime_ns:
            try:
                catalogue.write(out_dir, project, request.options.build_date, state)
            except OSError as exc:  # a full disk: name the file (the next build writes it again)
                raise output.cannot_write(exc, index) from exc
    return summary


def _build(project, leaflet_ids, targets, request, how, progress, state, summary) -> None:
    out_dir = Path(request.out_dir)
    for lid in leaflet_ids:
        warning = _expiry_warning(project.source_files[lid], request.options.build_date, state)
        if warning:
            progress.message(f"warning: {warning}")

    todo = plan.plan(project, targets, out_dir, request.options, request.draft, request.release, state)
    for item, reason, kind in todo.failed:
        _finish(Outcome(item.target, State.FAILED, reason=reason, kind=kind), summary, progress, item, state)
    for item, previous in todo.done:
        built = previous.state == State.BUILT
        state.still_says(item.path, item.text)
        outcome = Outcome(
            item.target,
            State.UP_TO_DATE if built else State(previous.state),
            str(item.path) if built else "",
            previous.reason,
            previous.kind,
        )
        _finish(outcome, summary, progress, item, state, record=False)

    scratch = str(out_dir / output.TMP)
    jobs = []
    for (lid, code), items in todo.todo.items():
        try:
            version = todo.code_version(tuple(i.target.format for i in items))
            jobs.append(_job(project, lid, code, items, request, scratch, version))
        except OSError as exc:  # a source or catalog vanished or cannot be read since planning
            for item in items:
                reason = f"cannot read {exc.filename}: {exc.strerror}"
                outcome = Outcome(item.target, State.FAILED, reason=reason, kind=Kind.OTHER)
                _finish(outcome, summary, progress, item, state)
    jobs.sort(key=lambda j: (-len(j.formats), -len(j.source)))  # the longest first: less waiting at the end
    if not jobs:
        return
    from . import executors  # only when there is work: a no-op starts no process machinery

    executor, count, scheduler = how
    by_target = {(i.target.leaflet, i.target.locale, i.target.format): i for group in todo.todo.values() for i in group}
    with executors.choose(executor, count, scratch, scheduler, len(jobs)) as running:
        for job, results in running.run(jobs):
            for result in results:
                item = by_target[(job.leaflet, job.locale, result.format)]
                _finish(_store(out_dir, item, result), summary, progress, item, state, data=result.data)


def _job(
    project: Project, lid: str, code: str, items: list[Item], request: Request, scratch: str, version: str = ""
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
        formats=tuple(i.target.format for i in items),
        source_name=source.name,
        source=data,
        shared=project.common_path.read_bytes() if project.common_path.exists() else None,
        catalog=catalog(lid),
        common_catalog=catalog(catalogs.COMMON),
        root=str(project.root),
        options=request.options,
        draft=request.draft,
        release=request.release,
        scratch=scratch,
        code=version,
        files=pictures.files(project.root, data, code),
    )


def _store(out_dir: Path, item: Item, result: Rendered) -> Outcome:
    """Write a built artifact into place (the driver alone writes output files)."""
    if result.state != State.BUILT:
        reason = crashlog.with_log(result.reason, result.detail, out_dir) if result.detail else result.reason
        return Outcome(item.target, State(result.state), reason=reason, kind=result.kind)
    try:
        output.write_file(out_dir, item.path, result.data)
    except output.OutputError as exc:
        return Outcome(item.target, State.FAILED, reason=str(exc), kind=Kind.OTHER)
    return Outcome(item.target, State.BUILT, path=str(item.path))


_FOLDER_LOCKS: dict[str, threading.Lock] = {}
_FOLDER_LOCKS_GUARD = threading.Lock()


@contextmanager
def _exclusive(out_dir: Path, progress: Progress):
    """One build at a time per output folder: a PALS request during `make build` waits its turn
    instead of clearing the other build's temporary files or losing its records.

    A POSIX record lock (lockf: also honoured over NFS, unlike flock on some systems) keeps other
    processes out; being per process, it is paired with a thread lock for builds in one process (the desk).
    """
    with _FOLDER_LOCKS_GUARD:
        local = _FOLDER_LOCKS.setdefault(str(out_dir.resolve()), threading.Lock())
    with local, open(out_dir / LOCK, "a") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            progress.message(f"waiting for another build into {out_dir} to finish ...")
            fcntl.lockf(lock, fcntl.LOCK_EX)
        yield


def _finish(outcome, summary, progress, item: Item, state, record: bool = True, data: bytes = b"") -> None:
    summary.outcomes.append(outcome)
    if record:
        state.record(item.path, item.fingerprint, outcome, data, item.text)
    if outcome.state in NOT_MADE and outcome.reason not in summary.said:
        summary.said.add(outcome.reason)  # one line per reason, not one per format
        progress.message(f"{outcome.state}: {outcome.target.label}: {outcome.reason}")
    progress.step(outcome.target.label, outcome.state)


def _expiry_warning(source: Path, today: date, state: buildstate.BuildState) -> str:
    sha = state.hashes.of(source)
    due = state.reviews.get(sha)
    if due is None:
        found = reader.next_review(source)
        due = state.reviews[sha] = str(found) if found else ""
        state.changed = True
    if due and past_review(due, today):
        return f"{source.name}: next review was due {due}: ask the author to review the leaflet"
    return ""


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
