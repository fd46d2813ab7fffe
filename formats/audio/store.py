"""A folder of files kept by a key of what they are made from (spoken utterances, encoded chapters).

Each file is written to a temporary name and renamed, so readers in other processes (build
workers, Dask workers on this machine, the desk) see a whole file or none; each starts with a
hash of its content, so a file cut short by a power cut reads as missing, not as wrong audio.
The folder is opened without following a link and every file is opened relative to it, never
through a link. When the folder outgrows its limit, the files least recently used go first (a
hit renews a file's time). A store that cannot write (a full disk, a read-only folder) only
keeps nothing: what it holds is never needed for a correct result.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..contract import kept

LIMIT_BYTES = 2 << 30  # a folder's size before its least recently used files go: the speech of ~50 leaflet-locales
KEEP = 0.8  # eviction brings the folder down to this share of its limit
STALE = 600  # seconds after which a temporary file is a killed writer's, not one being written
DIGEST = 16  # bytes of blake2b over the content, at the start of each file
SUFFIX = ".kept"


class Store:
    """The files in one folder, opened once; its last `own` path components (the folders this
    store makes: `.cache/speech` under a project) are made and opened without following a link."""

    def __init__(self, folder: Path, limit: int = LIMIT_BYTES, *, own: int = 1):
        self.limit = limit
        self.fd = _open_own(folder, own)

    def close(self) -> None:
        os.close(self.fd)

    def get(self, key: str) -> bytes | None:
        """The bytes kept under `key`, or None (never kept, evicted, or damaged: then removed)."""
        try:
            fd = os.open(key + SUFFIX, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=self.fd)
            with os.fdopen(fd, "rb") as f:
                data = f.read()
        except OSError:
            return None
        digest, content = data[:DIGEST], data[DIGEST:]
        if hashlib.blake2b(content, digest_size=DIGEST).digest() != digest:
            with contextlib.suppress(OSError):
                os.unlink(key + SUFFIX, dir_fd=self.fd)
            return None
        with contextlib.suppress(OSError):
            os.utime(key + SUFFIX, dir_fd=self.fd, follow_symlinks=False)  # recently used: evicted last
        return content

    def put(self, key: str, content: bytes) -> None:
        """Keep `content` under `key`; a full disk or a read-only folder only means not keeping it."""
        temp = f".{key}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=self.fd)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(hashlib.blake2b(content, digest_size=DIGEST).digest())
                    f.write(content)
                os.rename(temp, key + SUFFIX, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=self.fd)
                raise
        except OSError:  # a full disk, a read-only folder: it is simply not kept
            pass

    def evict(self) -> int:
        """Remove what a killed writer left (temporary files older than STALE seconds), then the
        least recently used files until the folder is within KEEP of its limit (none if it is
        within the limit); the bytes removed. Another process removing the same files meanwhile
        is harmless."""
        files, removed = [], 0
        stale = time.time_ns() - STALE * 10**9
        with os.scandir(self.fd) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if entry.name.endswith(".tmp") and info.st_mtime_ns < stale:
                        os.unlink(entry.name, dir_fd=self.fd)
                        removed += info.st_size
                    elif entry.name.endswith((SUFFIX, ".tmp")):
                        files.append((info.st_mtime_ns, info.st_size, entry.name))
        total = sum(size for _, size, _ in files)
        if total <= self.limit:
            return removed
        for _, size, name in sorted(files):
            if total <= self.limit * KEEP:
                break
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.fd)
                removed += size
                total -= size
        return removed


@functools.cache
def code_of(*files: str) -> str:
    """A hash of the source files that make what a store keeps: part of every key, so a change to
    that code misses everything kept before it."""
    return hashlib.blake2b(b"".join(Path(f).read_bytes() for f in files), digest_size=16).hexdigest()


def _open_own(folder: Path, own: int) -> int:
    """A descriptor of `folder`, its last `own` components made if missing and each opened
    relative to the one above without following a link (OSError ELOOP or ENOTDIR at a link)."""
    above = folder.parents[own - 1]
    fd = os.open(above, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in folder.parts[-own:]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def opened(name: str) -> Iterator[Store | None]:
    """The writers' kept folder `name` (`contract.kept`) as a store, trimmed to its limit after
    use; None when this context keeps nothing or the folder cannot be opened (a link in its place,
    no permission): then everything is made afresh."""
    folder = kept(name)
    if folder is None:
        yield None
        return
    try:
        store = Store(folder, own=2)  # <project>/.cache/<name>: both folders the build's own
    except OSError:
        yield None
        return
    try:
        yield store
        store.evict()
    finally:
        store.close()
