"""Internal errors (a bug, not a user's mistake) keep their whole traceback, causes included,
in a log file under the project's `.cache/logs/`; the user is shown one line that says where it is.

Not in an output folder: a log written there by `check` before any build would make the folder
one the build did not make (and so refuse), and `--out` folders are for leaflets only."""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOGS = ".cache/logs"  # <project>/.cache/logs/internal-<UTC time>-<pid>-<unique>.log


def keep(exc: BaseException, root: str | Path) -> Path:
    """Write the traceback of `exc` (with its chain of causes) to a new log file; its path.
    Raises OSError when the folder cannot be written (the caller still has a line to show)."""
    return keep_text(details(exc), root)


def keep_text(text: str, root: str | Path) -> Path:
    """Write a traceback already formatted (a build worker's, sent back to the driver) to a new log."""
    folder = Path(root) / LOGS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fd, name = tempfile.mkstemp(prefix=f"internal-{stamp}-{os.getpid()}-", suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(text)
    return Path(name)


def details(exc: BaseException) -> str:
    """The whole traceback, causes included."""
    return "".join(traceback.format_exception(exc))


def summary(exc: BaseException) -> str:
    """What went wrong and where in the code, without the log's place: "internal error: ... at x.py:12"."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"internal error: {exc!r}{where}"


def with_log(summary_line: str, text: str, root: str | Path) -> str:
    """The one line the user sees, naming the log the traceback was kept in."""
    try:
        kept = f"the traceback is in {keep_text(text, root)}"
    except OSError as err:
        kept = f"its traceback could not be kept: {err.strerror or err}"
    return f"{summary_line} (please report it; {kept})"


def line(exc: BaseException, root: str | Path) -> str:
    """One line for the user: what went wrong, where in the code, and where the traceback was kept."""
    return with_log(summary(exc), details(exc), root)
