"""The output folder: whose it is, how a file gets into it, and its private temporary area.

Only the build driver writes here. A folder is the build's if it holds the build's own mark
(`.leaflets-build`, written when the build made the folder or found it empty) or, from before
the mark, a build state of this pipeline's; anything else (a manifest.json of somebody else's,
a lone `.tmp/`) is somebody else's and is refused untouched, so a mistyped `--out ~/Documents`
never mixes leaflets into (or deletes from) another folder.
Every file is written in `<out>/.tmp/` and renamed into place (`leaflets.files`: never a partial
file), and no write goes through a symbolic link: a link inside the folder could lead anywhere.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

from leaflets import files
from leaflets.errors import LeafletError

TMP = ".tmp"  # the build's temporary area: task scratch, speech audio, files being written
MARK = ".leaflets-build"  # this folder is a build's: written before anything else, never by anyone else
_MARK_TEXT = b"This folder was made by the leaflet pipeline's build (pipeline.py build); it may delete its files.\n"
_EARLIER_STATE = ".build-state.json"  # a folder built before the mark existed
# What the other commands keep in the project's build/ (import reports, translation memory, XLIFF,
# review packs): a project's first build must not take a build/ holding only these for somebody else's.
COMMAND_FOLDERS = ("import", "memory", "xliff", "review")


class OutputError(LeafletError):
    """The output folder cannot be written as asked."""


def claim(out_dir: Path) -> None:
    """Make sure `out_dir` exists and is the build's to write in (or refuse, changing nothing)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is not a folder", out_dir, fix="choose a folder with --out")
    if out_dir.is_dir() and not _marked(out_dir) and not _commands_only(out_dir) and not _built_before(out_dir):
        raise OutputError(
            "the folder holds other files and no earlier build",
            out_dir,
            fix="build into an empty or new folder, or one an earlier build made",
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not _marked(out_dir):
            _mark(out_dir)
    except OSError as exc:
        raise cannot_write(exc, out_dir) from exc


def _marked(out_dir: Path) -> bool:
    mark = out_dir / MARK
    return mark.is_file() and not mark.is_symlink()


def _mark(out_dir: Path) -> None:
    """Write the mark; a second build claiming the same new folder at once may have written it."""
    try:
        fd = os.open(out_dir / MARK, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as f:
        f.write(_MARK_TEXT)


def _commands_only(out_dir: Path) -> bool:
    """Empty, or holding only the folders the pipeline's other commands make there."""
    return all(p.name in COMMAND_FOLDERS and p.is_dir() and not p.is_symlink() for p in out_dir.iterdir())


def _built_before(out_dir: Path) -> bool:
    """A build state this pipeline wrote before folders were marked (read, not trusted: its shape)."""
    state = out_dir / _EARLIER_STATE
    if state.is_symlink() or not state.is_file():
        return False
    try:
        data = json.loads(state.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"format", "artifacts", "hashes"} <= data.keys()


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
