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
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import formats
from leaflets import catalogs, reader
from leaflets.errors import Kind
from leaflets.project import Project
from leaflets.vocabulary import NOT_MADE, Outcome, State, Target, past_review

from . import buildstate, catalogue, crashlog, manifest, output, plan
from .plan import Item, artifact_path
from .progress import Progress
from .tasks import Job, Rendered, read_job

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
        known = catalogue.Known()  # what the tasks found for the index page
        try:
            _build(project, leaflet_ids, targets, request, (executor, jobs, scheduler), progress, state, summary, known)
        finally:  # what was built before an interruption stays known; nothing temporary stays
            progress.close()
            saved = state.save()
            shutil.rmtree(scratch, ignore_errors=True)
        # made afresh every time from the records and the files' stats, and compared with what is
        # there: a manifest damaged by hand or left behind by a failed write is mended by a no-op
        changed = manifest.write(out_dir, state) or saved
        index = out_dir / catalogue.INDEX
        if changed or not index.exists() or index.stat().st_mtime_ns < (out_dir / manifest.MANIFEST).stat().st_mtime_ns:
            try:
                catalogue.write(out_dir, project, request.options.build_date, state, known)
            except OSError as exc:  # a full disk: name the file (the next build writes it again)
                raise output.cannot_write(exc, index) from exc
    return summary


def _build(project, leaflet_ids, targets, request, how, progress, state, summary, known) -> None:
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
    from .checkcache import FindingsCache

    findings = FindingsCache(project.root, progress.message)  # what `check` and `status` found is not sought again
    keys = {(job.leaflet, job.locale): _keys(project, job) for job in jobs}  # each job's hashed once
    jobs = [_known(findings, job, keys[(job.leaflet, job.locale)]) for job in jobs]
    executor, count, scheduler = how
    by_target = {(i.target.leaflet, i.target.locale, i.target.format): i for group in todo.todo.values() for i in group}
    try:
        with executors.choose(executor, count, scratch, scheduler, len(jobs)) as running:
            for job, results in running.run(jobs):
                if results and results[0].checked is not None:
                    _keep(findings, keys[(job.leaflet, job.locale)], results[0].checked)
                if results and results[0].listed is not None:
                    known.add(job.leaflet, job.locale, job.source, job.catalog, job.common_catalog, results[0].listed)
                for result in results:
                    item = by_target[(job.leaflet, job.locale, result.format)]
                    outcome = _store(out_dir, str(project.root), item, result)
                    _finish(outcome, summary, progress, item, state, data=result.data)
    finally:
        findings.save()


def _keys(project: Project, job: Job) -> tuple[str, str] | None:
    """The check memo's keys of a job's two catalogs (checks.memo_key), or None if it has not both."""
    from leaflets import checks

    if job.catalog is None or job.common_catalog is None:
        return None
    common = catalogs.po_path(project.locales_dir, job.locale, catalogs.COMMON)
    mine = catalogs.po_path(project.locales_dir, job.locale, job.leaflet)
    return (
        checks.memo_key(common, project.root, job.locale, catalogs.COMMON, job.common_catalog, job.common_catalog, b""),
        checks.memo_key(mine, project.root, job.locale, job.leaflet, job.catalog, job.common_catalog, job.source),
    )


def _known(memo, job: Job, keys: tuple[str, str] | None) -> Job:
    """The job with each catalog's findings that `check`, `status` or an earlier build found (a
    draft's too: it labels the entries with an error); `keys`: its `_keys`. Only the errors go:
    a task refuses on them and labels them, and needs nothing else of findings already kept."""
    from leaflets import checks

    if keys is None:
        return job
    common, mine = memo.get(keys[0]), memo.get(keys[1])
    return replace(
        job,
        common_checked=None if common is None else tuple(f for f in common if f.severity == checks.ERROR),
        checked=None if mine is None else tuple(f for f in mine if f.severity == checks.ERROR),
    )


def _keep(memo, keys: tuple[str, str] | None, found: tuple) -> None:
    """Keep what a task's checks found, each catalog under its own key (`_keys`); common.po's
    once, not again with every leaflet that brings it."""
    if keys is not None:
        if keys[0] not in memo.fresh:  # never what `_known` gave the job: that is only its errors
            memo.put(keys[0], [f for f in found if f.domain == catalogs.COMMON])
        memo.put(keys[1], [f for f in found if f.domain != catalogs.COMMON])


def _job(
    project: Project, lid: str, code: str, items: list[Item], request: Request, scratch: str, version: str = ""
) -> Job:
    """The data one (leaflet, locale) render needs, read from the project now."""
    names = tuple(i.target.format for i in items)
    return read_job(
        project,
        lid,
        code,
        names,
        request.options,
        draft=request.draft,
        release=request.release,
        scratch=scratch,
        version=version,
    )


def _store(out_dir: Path, root: str, item: Item, result: Rendered) -> Outcome:
    """Write a built artifact into place (the driver alone writes output files)."""
    if result.state != State.BUILT:
        reason = crashlog.with_log(result.reason, result.detail, root) if result.detail else result.reason
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
