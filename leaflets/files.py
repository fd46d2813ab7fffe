"""The one way a file is written: whole or not at all, and never through a symbolic link.

Catalogs, outputs, the build's own records, the catalogue page and copies on a USB stick all go
through `write_atomic`: the bytes go to a new temporary file (created with O_EXCL | O_NOFOLLOW,
so it cannot be a link planted in advance) on the same file system, are flushed to the disk,
and the file is renamed over the target; the folder is then flushed so the rename survives a
power cut. A failure at any point removes the temporary file and leaves the previous file as it
was. A link at the target's name is refused (ELOOP): a rename would not write through it, but
it would silently replace a link somebody made on purpose; a caller that must replace one (a
stale link on a USB stick) says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what a plain open() would give: files are for sharing
_CHUNK = 1 << 20


def write_atomic(
    path: Path | str,
    data: bytes | BinaryIO,
    *,
    temp_dir: Path | str | None = None,
    create_folder: bool = True,
    replace_link: bool = False,
) -> bool:
    """Put `data` (bytes, or a binary stream copied in chunks) at `path` atomically.

    Returns False, writing nothing, when the file already holds exactly these bytes. The
    temporary file goes in the target's folder, or in `temp_dir`, which must be on the same
    file system (the build's `<out>/.tmp`, cleared after a killed build). Raises OSError with
    the target's name: ELOOP for a link at the target, ENOENT for a missing folder when
    `create_folder` is False, or whatever the disk said (ENOSPC ...).
    """
    path = Path(path)
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    folder = _open_folder(path.parent)
    temp_folder = folder if temp_dir is None else _open_folder(Path(temp_dir))
    try:
        if _is_link(path.name, folder):
            if not replace_link:
                raise OSError(errno.ELOOP, "is a symbolic link; files are never written through links", str(path))
        elif isinstance(data, bytes) and _holds(path.name, folder, data):
            return False
        temp = f".{path.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE, dir_fd=temp_folder)
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    while chunk := data.read(_CHUNK):
                        out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.rename(temp, path.name, src_dir_fd=temp_folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=temp_folder)
            raise
        os.fsync(folder)
        return True
    except OSError as exc:
        if exc.filename is None or str(exc.filename).startswith("."):  # name the file, not its temporary twin
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    finally:
        os.close(folder)
        if temp_folder != folder:
            os.close(temp_folder)


def _open_folder(folder: Path) -> int:
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(folder)) from exc


def _is_link(name: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def _holds(name: str, folder: int, data: bytes) -> bool:
    """Does the file already hold exactly `data`? (read without following a link)"""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as f:
        return os.fstat(f.fileno()).st_size == len(data) and f.read() == data
