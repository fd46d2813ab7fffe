"""The build engine above the writers (Sphinx's builder base): plan, skip what is up to date,
render the rest (in parallel worker processes), record, report.

Every artifact is written to a temporary file and renamed, so a refused or failed artifact
leaves the previous good output untouched; `build/manifest.json` is rewritten at the end from
what is actually on disk. Work is split by leaflet x locale: one translation feeds all formats.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

import formats
from leaflets import catalogs, checks, locales, reader
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.translate import translate

from . import buildstate, catalogue, crashlog, manifest
from .progress import Progress

LOCK = ".build.lock"


@dataclass(frozen=True)
class Target:
    leaflet: str
    locale: str
    format: str

    @property
    def label(self) -> str:
        return f"{self.leaflet} {self.locale} {self.format}"


class State(StrEnum):
    """What became of one artifact in a build."""

    BUILT = "built"
    UP_TO_DATE = "up to date"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


@dataclass
class Outcome:
    target: Target
    state: State
    path: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Request:
    """What to build and how: one record handed to every worker."""

    root: str
    out_dir: str
    options: formats.Options
    draft: bool = False
    release: bool = False


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    said: set[str] = field(default_factory=set)

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not any(o.state in ("refused", "failed") for o in self.outcomes)

    def line(self) -> str:
        counts = ", ".join(
            f"{self.count(s)} {s}" for s in ("built", "up to date", "refused", "unavailable", "failed") if self.count(s)
        )
        return f"nothing to do: {counts}" if self.ok and not self.count("built") else counts


def artifact_path(out_dir: Path, source: Path, target: Target, options: formats.Options, draft: bool) -> Path:
    """build/<ID>/<locale>/<ID>-<slug>.<locale>[.draft][.<size>pt][.grade1][.<cells>x<lines>].<ext>; drafts
    never share a release's name."""
    parts = [source.stem, target.locale]
    if draft:
        parts.append("draft")
    if "size" in formats.get(target.format).uses and options.size != formats.Options.size:
        parts.append(f"{options.size:g}pt")
    if "braille_grade" in formats.get(target.format).uses:  # an uncontracted or odd-sized copy keeps its own name
        if options.braille_grade != formats.Options.braille_grade:
            parts.append(f"grade{options.braille_grade}")
        if (options.braille_cells, options.braille_lines) != (
            formats.Options.braille_cells,
            formats.Options.braille_lines,
        ):
            parts.append(f"{options.braille_cells}x{options.braille_lines}")
    return Path(out_dir) / target.leaflet / target.locale / (".".join(parts) + "." + formats.extension(target.format))


def build(
    project: Project,
    leaflet_ids: list[str],
    codes: list[str],
    format_names: list[str],
    request: Request,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Summary:
    out_dir = Path(request.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [Target(l, c, f) for l in leaflet_ids for c in codes for f in format_names]
    progress = progress or Progress(len(targets))
    progress.total = len(targets)
    with _exclusive(out_dir, progress):
        _remove_leftovers(out_dir)
        state = buildstate.BuildState(out_dir)
        summary = Summary()
        try:
            _build(project, leaflet_ids, targets, request, jobs, progress, state, summary)
        finally:  # what was built before an interruption stays known
            progress.close()
            state.save()
        if manifest.write(out_dir, state.not_built(), state.digest) or not (out_dir / catalogue.INDEX).exists():
            catalogue.write(out_dir, project, request.options.build_date)
    return summary


def _build(project, leaflet_ids, targets, request, jobs, progress, state, summary) -> None:
    out_dir = Path(request.out_dir)
    for lid in leaflet_ids:
        warning = _expiry_warning(project.source_files[lid], request.options.build_date)
        if warning:
            progress.message(f"warning: {warning}")

    work: dict[tuple[str, str], list[tuple[Target, str, str]]] = {}
    broken: dict[str, str] = {}
    for target in targets:
        path = artifact_path(out_dir, project.source_files[target.leaflet], target, request.options, request.draft)
        fp = _fingerprint(project, target, request)
        previous = state.up_to_date(path, fp)
        if previous is None and target.leaflet not in broken:
            try:
                project.leaflet(target.leaflet)  # a source error is reported once, not per locale
            except LeafletError as exc:
                broken[target.leaflet] = str(exc)
        if previous is None and target.leaflet in broken:
            _finish(
                Outcome(target, "refused", reason=broken[target.leaflet]),
                summary,
                progress,
                path,
                fp,
                state,
                record=True,
            )
            continue
        if previous is None:
            work.setdefault((target.leaflet, target.locale), []).append((target, str(path), fp))
            continue
        outcome = Outcome(
            target,
            "up to date" if previous.state == "built" else previous.state,
            str(path) if previous.state == "built" else "",
            previous.reason,
        )
        _finish(outcome, summary, progress, path, fp, state, record=False)

    for outcomes in _run(work, request, jobs):
        for outcome in outcomes:
            path, fp = next(
                (Path(p), f) for t, p, f in work[(outcome.target.leaflet, outcome.target.locale)] if t == outcome.target
            )
            _finish(outcome, summary, progress, path, fp, state, record=True)


@contextmanager
def _exclusive(out_dir: Path, progress: Progress):
    """One build at a time per output folder: a PALS request during `make build` waits its turn
    instead of clearing the other build's temporary files or losing its records."""
    with open(out_dir / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.message(f"waiting for another build into {out_dir} to finish ...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _finish(outcome, summary, progress, path, fp, state, record):
    summary.outcomes.append(outcome)
    if record:
        state.record(path, fp, outcome.state, outcome.reason, outcome.target.label)
    if outcome.state in ("refused", "failed", "unavailable") and outcome.reason not in summary.said:
        summary.said.add(outcome.reason)  # one line per reason, not one per format
        progress.message(f"{outcome.state}: {outcome.target.label}: {outcome.reason}")
    progress.step(outcome.target.label, outcome.state)


def _run(work: dict, request: Request, jobs: int):
    """Render each leaflet x locale; in spawned worker processes when jobs > 1 (the speech
    engine hangs in a forked child)."""
    units = [(lid, code, [(t.format, p) for t, p, _ in items]) for (lid, code), items in work.items()]
    if jobs <= 1 or len(units) <= 1:
        for lid, code, fmts in units:
            yield render(request, lid, code, fmts)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=context) as pool:
        futures = [pool.submit(render, request, lid, code, fmts) for lid, code, fmts in units]
        for future in as_completed(futures):
            yield future.result()


def render(request: Request, lid: str, code: str, fmts: list[tuple[str, str]]) -> list[Outcome]:
    """Translate one leaflet into one locale and write each asked-for format (runs in a worker)."""
    project = Project(Path(request.root))  # read afresh: a long-lived process must see edited sources
    targets = [(Target(lid, code, name), Path(path)) for name, path in fmts]
    try:
        doc = translate(
            project.leaflet(lid), code, project.shared_strings, draft=request.draft, locales_dir=project.locales_dir
        )
        # a draft is for proof-reading: it shows what is there, mistakes included, marked DRAFT
        refusal = ("" if request.draft else _check_refusal(project, lid, code)) or _release_refusal(doc, request)
        if refusal:
            raise LeafletError(refusal)
    except LeafletError as exc:
        return [Outcome(t, "refused", reason=str(exc)) for t, _ in targets]
    except Exception as exc:  # a bug: say where, and let the other leaflets and locales go on
        return [Outcome(t, "failed", reason=_internal(exc, request.out_dir)) for t, _ in targets]
    outcomes = []
    for target, path in targets:
        writer = formats.get(target.format)
        reason = writer.unavailable(doc.locale)
        if reason:
            outcomes.append(Outcome(target, "unavailable", reason=str(reason)))
            continue
        try:
            catalogs.write_atomic(path, writer.write(doc, writer.options(request.options)))
        except LeafletError as exc:
            outcomes.append(Outcome(target, "failed", reason=str(exc)))
        except OSError as exc:
            outcomes.append(Outcome(target, "failed", reason=f"cannot write {exc.filename or path}: {exc.strerror}"))
        except Exception as exc:  # a bug in a writer: say so plainly, keep the other artifacts going
            outcomes.append(Outcome(target, "failed", reason=_internal(exc, request.out_dir)))
        else:
            outcomes.append(Outcome(target, "built", path=str(path)))
    return outcomes


def _internal(exc: Exception, out_dir: str) -> str:
    """A bug: one line for the build's report; the whole traceback is kept in out_dir/logs/."""
    return crashlog.line(exc, out_dir)


def _check_refusal(project: Project, lid: str, code: str) -> str:
    """A translation with check errors (a changed number, a lost phone digit ...) is never built."""
    errors = [f for f in checks.run(project, [lid], [code]) if f.severity == checks.ERROR]
    if not errors:
        return ""
    more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
    return f"{code}: {len(errors)} check error(s): {errors[0]}{more} (run `pipeline.py check --locale {code}`)"


def _release_refusal(doc, request: Request) -> str:
    if not request.release:
        return ""
    if doc.review not in ("source", "reviewed"):
        return (
            f"{doc.locale.code}: translation is {doc.review}; a release needs a current clinical sign-off "
            f'(pipeline.py signoff {doc.locale.code} --leaflet {doc.meta.id} --by "Name, role")'
        )
    due = doc.meta.next_review
    today = request.options.build_date
    if (due.year, due.month) < (today.year, today.month):
        return f"{doc.meta.id} was due for review in {due}; a release needs a leaflet within its review date"
    return ""


def _expiry_warning(source: Path, today: date) -> str:
    due = reader.next_review(source)
    if due and (due.year, due.month) < (today.year, today.month):
        return f"{source.name}: next review was due {due}: ask the author to review the leaflet"
    return ""


def _fingerprint(project: Project, target: Target, request: Request) -> str:
    """Everything the artifact's bytes depend on (not the build date: a rebuild only because a
    day passed would churn every file)."""
    lid, code = target.leaflet, target.locale
    writer = formats.get(target.format)
    parts = [
        buildstate.file_hash(project.source_files[lid]),
        buildstate.file_hash(project.common_path),
        buildstate.code_hash(target.format),
        repr(list(writer.used_options(request.options))),
        f"draft={request.draft} release={request.release}",
    ]
    if code != locales.SOURCE_CODE:
        parts += [
            buildstate.file_hash(catalogs.po_path(project.locales_dir, code, lid)),
            buildstate.file_hash(catalogs.po_path(project.locales_dir, code, catalogs.COMMON)),
        ]
    if request.release:  # expiry is judged by month
        parts.append(f"{request.options.build_date:%Y-%m}")
    parts.append(_writer_inputs(target.format, code))
    return buildstate.fingerprint(parts)


@cache
def _writer_inputs(format_name: str, code: str) -> str:
    """A writer's external inputs (fonts, voices) if it declares them with `inputs(locale)`;
    asked once per format and locale, not once per leaflet."""
    return repr(formats.get(format_name).inputs(locales.info(code)))


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a build that was killed mid-write."""
    for tmp in out_dir.glob("*/*/.*.tmp"):
        tmp.unlink(missing_ok=True)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
