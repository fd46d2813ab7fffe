"""Utterances already synthesised, kept by what they are made from, so an edit re-speaks only itself.

Every utterance the speech engine speaks depends only on (text, voice, rate, volume, the espeak-ng
version and its voice data): `engine` speaks each one from espeak's initial state. So its samples
can be kept in a folder under a hash of exactly those, and a narration made from kept utterances
is byte-identical to one synthesised afresh (a test builds both). The folder is the writers'
`kept("speech")` (the project's `.cache/speech` in a build); without one, nothing is kept.

One file per utterance, written to a temporary name and renamed, so readers in other processes
(build workers, Dask workers on this machine, the desk) see a whole file or none; each file
starts with a hash of its samples, so a file cut short by a power cut reads as missing, not as
wrong audio. The folder is opened without following links and every file is opened relative to
it, never through a link. When the folder outgrows its limit, the files least recently used go
first (a hit renews a file's time).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ..contract import kept, stamp
from .engine import Engine
from .voices import VOICES, data_files

LIMIT_BYTES = 2 << 30  # a folder's size before its least recently used files go: ~2,000 leaflet-locales of speech
KEEP = 0.8  # eviction brings the folder down to this share of its limit
DIGEST = 16  # bytes of blake2b over the samples, at the start of each file
SUFFIX = ".pcm"


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


class Cached:
    """A speaker (`render.Speaker`) that answers from the folder what it can and asks the engine
    for the rest, keeping what the engine says."""

    def __init__(self, engine: Engine, store: Store):
        self.engine = engine
        self.store = store
        self.sample_rate = engine.sample_rate
        self.spoken = 0  # utterances the engine had to speak
        self.kept = 0  # utterances the folder had
        self._voices: dict[str, str] = {}

    def key(self, text: str, voice: str, wpm: int, volume: int) -> str:
        """What an utterance's samples are made from, hashed: the engine's version, the voice and
        the stamps of its data files, the text, rate and volume."""
        if voice not in self._voices:
            known = {v.espeak: v for v in VOICES.values()}.get(voice)
            self._voices[voice] = repr((self.engine.version, voice, stamp(*data_files(known)) if known else ()))
        made_of = repr((self._voices[voice], text, wpm, volume))
        return hashlib.blake2b(made_of.encode("utf-8"), digest_size=20).hexdigest()

    def say_all(self, requests: Iterable[tuple[str, str]], wpm: int, volume: int) -> Generator[bytes, None, None]:
        requests = list(requests)
        keys = [self.key(text, voice, wpm, volume) for text, voice in requests]
        found = [self.store.get(k) for k in keys]
        missing = [r for r, pcm in zip(requests, found, strict=True) if pcm is None]
        with closing(self.engine.say_all(missing, wpm, volume)) as fresh:
            for k, pcm in zip(keys, found, strict=True):
                if pcm is None:
                    pcm = next(fresh)
                    self.store.put(k, pcm)
                    self.spoken += 1
                else:
                    self.kept += 1
                yield pcm


@contextmanager
def speaker(engine: Engine) -> Iterator[Engine | Cached]:
    """The engine, behind this context's folder of kept utterances if it has one."""
    folder = kept("speech")
    if folder is None:
        yield engine
        return
    try:
        store = Store(folder)
    except OSError:  # a folder this machine cannot make or open (a link, no permission): speak everything
        yield engine
        return
    try:
        yield Cached(engine, store)
        store.evict()
    finally:
        store.close()
