"""A leaflet's version: derived from its English, never typed by hand.

The version is a short hash of the parsed English leaflet (every block and its text, the front
matter that is printed), so any change a reader could see gives a new version, while changes
nobody sees (line numbers moving, a translator's note, a re-wrapped paragraph, the file's slug)
do not. It is printed beside the leaflet code on every copy, recorded with each copy issued and
shown by `status`, so a copy in a patient's hand can be matched to the English it was made from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from .model import Leaflet

LENGTH = 8  # hex digits: 4 billion values, and short enough to read out over the phone
# Fields that do not change what a reader sees: where a segment was, notes to translators,
# the file's slug, terms checked in translations, and the version itself.
_UNSEEN = frozenset({"line", "note", "path", "slug", "keep", "version", "lang", "fallback", "flagged"})
# Front-matter lists added after versions were first printed: left out when empty, so a leaflet
# without them keeps the version it had.
_ABSENT_WHEN_EMPTY = frozenset({"contacts", "sources"})


def version(leaflet: Leaflet) -> str:
    """The version of an English leaflet, e.g. "3F2A9C1B"."""
    canonical = json.dumps(
        [_plain(leaflet.meta), _plain(leaflet.blocks)], ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:LENGTH].upper()


def _plain(value: object) -> object:
    """The model as JSON-able data, each node tagged with its kind, without the unseen fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {"kind": type(value).__name__}
        for f in dataclasses.fields(value):
            field_value = getattr(value, f.name)
            if f.name not in _UNSEEN and not (f.name in _ABSENT_WHEN_EMPTY and not field_value):
                out[f.name] = _plain(field_value)
        return out
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):  # a picture's file: what it shows changes with its content
        return hashlib.sha256(value).hexdigest()
    return str(value)
