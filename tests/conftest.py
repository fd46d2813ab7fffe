"""Shared fixtures: a throw-away copy of the project, and a way to run the command line."""

from __future__ import annotations

import faulthandler
import io
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import pipeline
from leaflets.files import write_atomic
from publishing.engine.build import State

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """source/ and locales/ copied to a temporary project root (the real tree is never touched)."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    return root


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run the command line against a project root, in this process (`pipeline.main`), and return
    what a subprocess run would: exit status, stdout and stderr as text. An exit through argparse
    (`--help`, a bad option) is caught as its status. `timeout` bounds the run: a hang fails the
    test instead of stopping the suite (the subprocess smoke tests run the real entry point)."""
    argv = ["--root", str(root), *args]
    out, err = io.StringIO(), io.StringIO()
    with _deadline(timeout), redirect_stdout(out), redirect_stderr(err):
        try:
            code = pipeline.main(argv)
        except SystemExit as exit_:  # as the interpreter would: None is 0, a message is printed and 1
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
            if isinstance(exit_.code, str):
                print(exit_.code, file=sys.stderr)
    return subprocess.CompletedProcess(["pipeline.py", *argv], code, out.getvalue(), err.getvalue())


def run_subprocess(root: Path, *args: str, timeout: int = 600, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run pipeline.py as its own process (for the few smoke tests of the real entry point)."""
    return subprocess.run(
        [sys.executable, str(cwd / "pipeline.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


class Hung(BaseException):
    """The in-process command line ran past its deadline. A BaseException, so that the command
    line's own handlers (which turn OSError, TimeoutError included, into one line) cannot swallow it."""


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Raise Hung in the main thread after `seconds` (SIGALRM), so an in-process hang fails the test.
    Should the unwinding hang too (a worker pool waiting for a stuck worker), every thread's stack is
    printed and the test process ends a minute later: never a silent hang in CI."""

    def expired(signum: int, frame: object) -> None:
        raise Hung(f"the command line did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        signal.alarm(seconds)
        # to the process's own stderr: a test's captured sys.stderr has no file descriptor
        faulthandler.dump_traceback_later(seconds + 60, exit=True, file=sys.__stderr__)
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_COUNT = re.compile(r"\b(\d+) (" + "|".join(State) + r")\b")


def counts(summary: str) -> dict[str, int]:
    """A build's summary line ("nothing to do: 2 up to date", "1 built, 1 refused") as
    {state: count}, so a test says exactly what it expects ("2 built" must not pass for "12 built")."""
    found: dict[str, int] = {}
    for number, state in _COUNT.findall(summary):
        assert state not in found, f"{state!r} counted twice in {summary!r}"
        found[state] = int(number)
    return found


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove a failing command changed nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@contextmanager
def editing(po_file: Path):
    """Load a PO file, let the test change its entries, write it back (as a translator's tool would)."""
    from leaflets import catalogs

    po = catalogs.load(po_file)
    yield po
    write_atomic(po_file, catalogs.po_bytes(po))


class Mailbox:
    """aiosmtpd handler for the desk's e-mail tests: keeps every message the desk sends."""

    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def free_port() -> int:
    """A loopback port nothing listens on now (for a local SMTP server or the desk)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
