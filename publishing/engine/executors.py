"""Where build jobs run, behind one interface: this process, a local process pool, or Dask.

Every executor takes `tasks.Job`s and yields `(job, [tasks.Rendered, ...])` as each finishes,
in any order; the driver alone writes files. Jobs are pure, so a job whose worker died is
simply run again elsewhere, a bounded number of times, then reported as failed. Output is the
same bytes whichever executor made it: the same function runs on the same data.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from leaflets.errors import LeafletError
from leaflets.vocabulary import State

from . import lifetime, tasks
from .tasks import Job, Rendered

PIECES_PER_WORKER = 8  # jobs are put together only when each worker has at least this many pieces of them
ISOLATED_TRIES = 2  # after a pool breaks, each unfinished job gets this many tries in a worker of its own
DASK_ALLOWED_FAILURES = 3  # Dask reruns a job whose worker died this many times, on other workers

Results = Iterator[tuple[Job, list[Rendered]]]
Task = Callable[[Job], list[Rendered]]


class Executor(ABC):
    """Runs jobs; use as a context manager so workers are stopped however the build ends."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Stop every worker (also on an error or Ctrl-C)."""

    @abstractmethod
    def run(self, jobs: list[Job], task: Task = tasks.render) -> Results:
        """`task(job)` for every job (`task` must be importable by name where it runs)."""


def lost(job: Job, why: str) -> list[Rendered]:
    return [Rendered(name, State.FAILED, reason=f"{job.label}: {why}") for name in job.formats]


class Inline(Executor):
    """In this process, one job after another: for one job, or `--jobs 1`."""

    def __init__(self, scratch: str):
        self.scratch = scratch

    def close(self) -> None:
        """Nothing runs anywhere else."""

    def run(self, jobs: list[Job], task: Task = tasks.render) -> Results:
        for job in jobs:
            # writers' temporary files (raw audio for lame ...) stay in the build's own area; tempfile's
            # folder is process-wide, so it is set only for the length of the job
            before = tempfile.tempdir
            tempfile.tempdir = self.scratch
            try:
                results = task(job)
            finally:
                tempfile.tempdir = before
            yield job, results


class Pool(Executor):
    """Spawned worker processes on this machine (the speech engine does not survive a fork)."""

    def __init__(self, jobs: int, scratch: str):
        self.jobs, self.scratch = jobs, scratch
        self.pools: list[ProcessPoolExecutor] = []

    def run(self, jobs: list[Job], task: Task = tasks.render) -> Results:
        todo, suspects = list(jobs), []
        while todo:
            died = yield from self._round([todo], task)
            # a pool hands out its work in order, at most one more piece than it has workers:
            # those may have killed it; the rest never started and simply go again
            in_flight = min(len(died), self.jobs + 1)
            suspects += [job for piece in died[:in_flight] for job in piece]
            todo = [job for piece in died[in_flight:] for job in piece]
        for _ in range(ISOLATED_TRIES):
            # one pool per job now, so a job that kills its worker cannot take others with it
            batches = [suspects[i : i + self.jobs] for i in range(0, len(suspects), self.jobs)]
            suspects = []
            for batch in batches:
                died = yield from self._round([[job] for job in batch], task)
                suspects += [job for piece in died for job in piece]
        for job in suspects:
            yield job, lost(job, "the worker process died while making it, every time it was tried")

    def _round(self, groups: list[list[Job]], task: Task):
        """Run each group in a pool of its own; return the pieces of work (`_pieces`) whose
        worker died, in order."""
        futures: dict[Future, list[Job]] = {}
        with lifetime.deaf_to_ctrl_c():  # workers start with Ctrl-C ignored, even while they import
            for group in groups:
                pool = self._pool(min(self.jobs, len(group)))
                futures |= {pool.submit(_each, task, piece): piece for piece in _pieces(group, self.jobs)}
        order = {id(piece): n for n, piece in enumerate(futures.values())}
        died = []
        for future in as_completed(futures):
            piece = futures[future]
            try:
                results = future.result()
            except BrokenProcessPool:
                died.append(piece)
                continue
            yield from zip(piece, results, strict=True)
        for pool in self.pools:
            pool.shutdown(wait=True)
        self.pools = []
        return sorted(died, key=lambda piece: order[id(piece)])

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=lifetime.start_worker,
            initargs=(os.getpid(), self.scratch),
        )
        self.pools.append(pool)
        return pool

    def close(self) -> None:
        for pool in self.pools:
            # a running job is not waited for: its worker is stopped (shutdown alone would wait)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
        self.pools = []


def _pieces(jobs: list[Job], workers: int) -> list[list[Job]]:
    """The jobs as pieces of work for a pool: in a long build, the languages of one leaflet in a
    row go together, so one worker parses the leaflet and works out its English once for all of
    them; each job alone when there are few (a piece must stay small beside a worker's share,
    or one worker ends the build alone)."""
    most = len(jobs) // (workers * PIECES_PER_WORKER)
    pieces: list[list[Job]] = []
    for job in jobs:
        last = pieces[-1] if pieces else []
        if last and len(last) < most and (last[0].leaflet, last[0].source) == (job.leaflet, job.source):
            last.append(job)
        else:
            pieces.append([job])
    return pieces


def _each(task: Task, jobs: list[Job]) -> list[list[Rendered]]:
    """A piece of work in a pool's worker: each of its jobs, in turn."""
    return [task(job) for job in jobs]


class Dask(Executor):
    """Dask distributed: a LocalCluster of `jobs` workers, or an existing cluster's scheduler.

    Workers need the installed project and its Debian packages, not the project's folders:
    jobs carry their data and results come back as bytes.
    """

    def __init__(self, jobs: int, scratch: str, scheduler: str = ""):
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        settings = {"distributed.scheduler.allowed-failures": DASK_ALLOWED_FAILURES, "temporary-directory": scratch}
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                with dask.config.set(settings):  # read as the cluster starts; not left set for the process
                    self.cluster = LocalCluster(
                        n_workers=jobs,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # any free port: builds side by side do not clash
                        silence_logs=logging.CRITICAL,  # a dead worker is reported once, by the build
                        local_directory=scratch,
                        env={"TMPDIR": scratch},  # writers' temporary files stay in the build's own area
                    )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise LeafletError(
                f"cannot reach the Dask scheduler at {scheduler or 'a local cluster'}: {exc}",
                fix="start one with `dask scheduler` and `dask worker ADDRESS`, or check the --scheduler address",
            ) from exc

    def run(self, jobs: list[Job], task: Task = tasks.render) -> Results:
        from distributed import as_completed as dask_completed

        futures = self.client.map(task, jobs, pure=False)
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in dask_completed(futures):
            job = by_key[future.key]
            try:
                yield job, future.result()
            except Exception as exc:  # KilledWorker (died on every worker tried), a worker without the project ...
                yield job, lost(job, f"the Dask worker could not make it: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def choose(name: str, jobs: int, scratch: str, scheduler: str = "", count: int = 0) -> Executor:
    """The executor `--executor NAME --jobs N [--scheduler ADDRESS]` asks for (`count` jobs to run)."""
    if name == "dask" or scheduler:
        return Dask(jobs, scratch, scheduler)
    if jobs <= 1 or count <= 1:
        return Inline(scratch)
    return Pool(min(jobs, count), scratch)
