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
import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..contract import kept

LIMIT_BYTES = 2 << 30  # a folder's size before its least recently used files go: ~2,000 leaflet-locales of speech
KEEP = 0.8  # eviction brings the folder down to this share of its limit
DIGEST = 16  # bytes of blake2b over the content, at the start of each file
SUFFIX = ".kept"


class Store:
    """The utterance files in one folder (opened once, without following a link)."""

    def __init__(self, folder: Path, limit: int = LIMIT_BYTES):
        folder.mkdir(parents=True, exist_ok=True)
        self.name = folder
        self.limit = limit
        self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)

    def close(self) -> None:
        os.close(self.fd)

    def get(self, key: str) -> bytes | None:
        """The samples kept under `key`, or None (never kept, evicted, or damaged: then removed)."""
        try:
            fd = os.open(key + SUFFIX, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=self.fd)
            with os.fdopen(fd, "rb") as f:
                data = f.read()
        except OSError:
            return None
        digest, samples = data[:DIGEST], data[DIGEST:]
        if hashlib.blake2b(samples, digest_size=DIGEST).digest() != digest:
            with contextlib.suppress(OSError):
                os.unlink(key + SUFFIX, dir_fd=self.fd)
            return None
        with contextlib.suppress(OSError):
            os.utime(key + SUFFIX, dir_fd=self.fd, follow_symlinks=False)  # recently used: evicted last
        return samples

    def put(self, key: str, samples: bytes) -> None:
        """Keep `samples` under `key`; a full disk or a read-only folder only means not keeping them."""
        temp = f".{key}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=self.fd)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(hashlib.blake2b(samples, digest_size=DIGEST).digest())
                    f.write(samples)
                os.rename(temp, key + SUFFIX, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=self.fd)
                raise
        except OSError:  # a full disk, a read-only folder: the utterance is simply not kept
            pass

    def evict(self) -> int:
        """Remove the least recently used files until the folder is within KEEP of its limit
        (nothing if it is within the limit); the bytes removed. Another process removing the
        same files meanwhile is harmless."""
        files = []
        with os.scandir(self.fd) as entries:
            for entry in entries:
                if entry.name.endswith(SUFFIX) or entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        info = entry.stat(follow_symlinks=False)
                        files.append((info.st_mtime_ns, info.st_size, entry.name))
        total = sum(size for _, size, _ in files)
        if total <= self.limit:
            return 0
        removed = 0
        for _, size, name in sorted(files):
            if total - removed <= self.limit * KEEP:
                break
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.fd)
                removed += size
        return removed


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
        store = Store(folder)
    except OSError:
        yield None
        return
    try:
        yield store
        store.evict()
    finally:
        store.close()
