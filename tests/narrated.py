"""The seed leaflet narrated once per voiced sample locale, for the whole test session.

Synthesising a whole leaflet costs seconds per locale, so every test that needs the real
recording (chapters, loudness, transcript) shares these, made two at a time in spawned
processes (the speech engine does not survive a fork).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import formats
from formats.audio.narration import Narration, narrate
from leaflets.model import Leaflet
from leaflets.project import Project
from leaflets.translate import translate
from tests.conftest import ROOT

LEAFLET = "RAD_0009"
LOCALES = ("en", "pl", "ro", "cy", "ar", "ur", "bn", "pa", "ne", "zh_Hans")  # every sample locale with a voice


@cache
def document(code: str) -> Leaflet:
    project = Project(ROOT)
    return translate(project.leaflet(LEAFLET), code, project.shared_strings, locales_dir=project.locales_dir)


def _narration(code: str) -> Narration:
    return narrate(document(code), formats.Options())


_made: dict[str, Narration] = {}


def narration(code: str) -> Narration:
    """One locale's narration, made here if no test has needed it yet."""
    if code not in _made:
        _made[code] = _narration(code)
    return _made[code]


def narrations() -> dict[str, Narration]:
    """Every sample locale's narration of the seed leaflet at the default rate."""
    missing = [code for code in LOCALES if code not in _made]
    if missing:
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
            _made.update(zip(missing, pool.map(_narration, missing), strict=True))
    return {code: _made[code] for code in LOCALES}
