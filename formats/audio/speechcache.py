"""Utterances already synthesised, kept by what they are made from, so an edit re-speaks only itself.

Every utterance the speech engine speaks depends only on (text, voice, rate, volume, the espeak-ng
version and its voice data): `engine` speaks each one from espeak's initial state. So its samples
can be kept in a folder under a hash of exactly those, and a narration made from kept utterances
is byte-identical to one synthesised afresh (a test builds both). The folder is the writers'
`kept("speech")` (the project's `.cache/speech` in a build); without one, nothing is kept.

One file per utterance in a `store.Store` (whole or absent, checked by a hash, bounded, safe
across processes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager

from ..contract import stamp
from . import engine as engine_module
from .engine import Engine
from .store import Store, code_of, opened
from .voices import VOICES, data_files


class Cached:
    """A speaker (`render.Speaker`) that answers from the folder what it can and asks the engine
    for the rest, keeping what the engine says."""

    def __init__(self, engine: Engine, store: Store):
        self.engine = engine
        self.store = store
        self.sample_rate = engine.sample_rate
        self._voices: dict[str, str] = {}  # espeak voice name -> what its utterances are made by

    def key(self, text: str, voice: str, wpm: int, volume: int) -> str:
        """What an utterance's samples are made from, hashed: espeak-ng's version and the code
        that drives it, the voice and the stamps of its data files, the text, rate and volume."""
        if voice not in self._voices:
            known = {v.espeak: v for v in VOICES.values()}.get(voice)
            made_by = (self.engine.version, code_of(engine_module.__file__))  # espeak-ng, and how it is driven
            self._voices[voice] = repr((made_by, voice, stamp(*data_files(known)) if known else ()))
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
                yield pcm


@contextmanager
def speaker(engine: Engine) -> Iterator[Engine | Cached]:
    """The engine, behind this context's folder of kept utterances if it has one."""
    with opened("speech") as store:
        yield engine if store is None else Cached(engine, store)
