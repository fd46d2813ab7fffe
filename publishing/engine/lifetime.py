"""Build worker processes that die with their parent, however it dies, and leave nothing behind.

A worker of the local pool is started with `start_worker` (the pool's initializer). It ignores
Ctrl-C (the driver alone answers it, with one line), keeps its temporary files in a folder of
its own under the build's temporary area, and goes (removing that folder) as soon as the
driver is gone: Linux tells it with a signal (prctl PR_SET_PDEATHSIG), and on any system a
watchdog thread sees multiprocessing's parent sentinel close. Its speech children watch their
own pipe to it the same way (formats/audio/engine.py), so a `kill -9` of a build leaves no
process and no temporary audio alive.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Ask Linux to send `sig` to this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0


@contextmanager
def deaf_to_ctrl_c() -> Iterator[None]:
    """Processes started inside ignore SIGINT from their first instruction (an ignored signal
    stays ignored across exec, and Python keeps it so); the caller's own handling is restored."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handling (the desk runs builds in threads)
        return
    # Blocked first: a Ctrl-C while the workers start then waits (Linux keeps a blocked signal
    # pending even while it is ignored) and is delivered once the caller's handling is back, instead
    # of being lost while the build goes on.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def start_worker(parent_pid: int, scratch: str) -> None:
    """Initializer of a local build worker (see the module's docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    own = ""
    if scratch and os.path.isdir(scratch):
        own = tempfile.mkdtemp(prefix=f"worker-{os.getpid()}-", dir=scratch)
        tempfile.tempdir = own  # the writers' temporary files (e.g. raw audio for lame) go here

    def leave(*_) -> None:
        if own:
            shutil.rmtree(own, ignore_errors=True)
        os._exit(1)

    signal.signal(signal.SIGTERM, leave)
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent_pid:  # the driver died before prctl took effect
        leave()
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            leave()

        threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
