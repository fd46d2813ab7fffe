"""Internal errors (a bug, not a user's mistake) keep their whole traceback, causes included,
in a log file under the build folder; the user is shown one line that says where it is."""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOGS = "logs"  # build/logs/internal-<UTC time>-<pid>-<unique>.log


def keep(exc: BaseException, build_dir: str | Path) -> Path:
    """Write the traceback of `exc` (with its chain of causes) to a new log file; its path.
    Raises OSError when the folder cannot be written (the caller still has a line to show)."""
    folder = Path(build_dir) / LOGS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fd, name = tempfile.mkstemp(prefix=f"internal-{stamp}-{os.getpid()}-", suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write("".join(traceback.format_exception(exc)))
    return Path(name)


def line(exc: BaseException, build_dir: str | Path) -> str:
    """One line for the user: what went wrong, where in the code, and where the traceback was kept."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    try:
        kept = f"the traceback is in {keep(exc, build_dir)}"
    except OSError as err:
        kept = f"its traceback could not be kept: {err.strerror or err}"
    return f"internal error: {exc!r}{where} (please report it; {kept})"
