"""The output folder: whose it is, how a file gets into it, and its private temporary area.

Only the build driver writes here. A folder is the build's if it is new or empty or holds a
previous build's manifest or state; anything else is somebody else's and is refused, so a
mistyped `--out ~/Documents` never mixes leaflets into (or deletes from) another folder.
Every file is written in `<out>/.tmp/` and renamed into place (`leaflets.files`: never a partial
file), and no write goes through a symbolic link: a link inside the folder could lead anywhere.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from leaflets import files
from leaflets.errors import LeafletError

TMP = ".tmp"  # the build's temporary area: task scratch, speech audio, files being written
# A build was here: its manifest or state, or the lock it takes before writing anything, so a
# second build started while the first is still writing (no manifest yet) knows the folder too.
OWN_MARKS = ("manifest.json", ".build-state.json", ".build.lock")
# What the other commands keep in the project's build/ (import reports, internal-error logs, translation
# memory, XLIFF, review packs): a project's first build must not take them for somebody else's files.
COMMAND_FOLDERS = ("import", "logs", "memory", "xliff", "review")
OWN_NAMES = {TMP, *OWN_MARKS, *COMMAND_FOLDERS}


class OutputError(LeafletError):
    """The output folder cannot be written as asked."""


def claim(out_dir: Path) -> None:
    """Make sure `out_dir` exists and is the build's to write in (or refuse, changing nothing)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is not a folder", out_dir, fix="choose a folder with --out")
    if out_dir.is_dir():
        names = {p.name for p in out_dir.iterdir()}
        if names - OWN_NAMES and not names & set(OWN_MARKS):
            raise OutputError(
                "the folder holds other files and no earlier build",
                out_dir,
                fix="build into an empty or new folder, or one an earlier build made",
            )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(exc, out_dir) from exc


def scratch(out_dir: Path) -> Path:
    """A clean `<out>/.tmp/`: whatever a killed build left there goes now."""
    tmp = Path(out_dir) / TMP
    if tmp.is_symlink() or (tmp.exists() and not tmp.is_dir()):
        tmp.unlink()
    elif tmp.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(exist_ok=True)
    except OSError as exc:
        raise cannot_write(exc, tmp) from exc
    return tmp


def write_file(out_dir: Path, path: Path, data: bytes) -> bool:
    """Put `data` at `path` (inside `out_dir`) atomically; False if it already held exactly that.

    Raises OutputError naming the file and the fix (a full disk, no permission, a link).
    """
    out_dir, path = Path(out_dir), Path(path)
    try:
        _real_folders(out_dir, path.parent)
        tmp_dir = out_dir / TMP
        tmp_dir.mkdir(exist_ok=True)
        return files.write_atomic(path, data, temp_dir=tmp_dir, create_folder=False)
    except OSError as exc:
        raise cannot_write(exc, path) from exc


def _real_folders(out_dir: Path, folder: Path) -> None:
    """Create folder (inside out_dir) as needed, refusing any step that is a symbolic link."""
    rel = folder.relative_to(out_dir)
    at = out_dir
    for part in rel.parts:
        at = at / part
        if at.is_symlink():
            raise OutputError(
                "is a symbolic link; the build does not write through links", at, fix="remove the link and build again"
            )
        at.mkdir(exist_ok=True)


_FIXES = {
    errno.ENOSPC: "free some space there, or build into another folder with --out DIR",
    errno.EDQUOT: "free some space there, or build into another folder with --out DIR",
    errno.EACCES: "check the folder's permissions, or build into another folder with --out DIR",
    errno.EPERM: "check the folder's permissions, or build into another folder with --out DIR",
    errno.EROFS: "the disk is read-only: build into another folder with --out DIR",
    errno.ELOOP: "remove the link and build again",
}


def _what(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the disk"
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link; files are never written through links"
    return exc.strerror or str(exc)


def cannot_write(exc: OSError, path: Path) -> OutputError:
    """One line naming the file (the one being made, not its temporary twin) and the fix."""
    if exc.filename and TMP not in Path(str(exc.filename)).parts:
        path = Path(str(exc.filename))
    return OutputError(f"cannot write: {_what(exc)}", path, fix=_FIXES.get(exc.errno or 0, ""))


def describe(exc: OSError) -> str:
    """An OSError met anywhere, as one line with the file and the fix (the command line's last resort)."""
    return str(LeafletError(_what(exc), exc.filename or "", fix=_FIXES.get(exc.errno or 0, "")))
