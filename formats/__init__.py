"""The writer registry, derived from the writers themselves (pandoc's writer table).

Every module or package directly under `formats/` (other than the contract) may declare
`WRITERS = (SomeWriter(), ...)`; the registry imports each once, lazily, and indexes them
by name and alias. Adding a format is one new module plus its tests and README lines.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from leaflets.errors import LeafletError

from .contract import Options, Writer, stamp

__all__ = ["Options", "Writer", "all_writers", "canonical", "default_names", "get", "names", "stamp", "title"]

_NOT_WRITERS = {"contract", "fonts"}  # the writers' contract and their shared font table


@cache
def all_writers() -> dict[str, Writer]:
    """Every declared writer by name, in module order (text before others is not promised)."""
    found: dict[str, Writer] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name in _NOT_WRITERS or module.name.startswith("_"):
            continue
        for writer in getattr(importlib.import_module(f"{__name__}.{module.name}"), "WRITERS", ()):
            if writer.name in found:
                raise RuntimeError(f"two writers are called {writer.name!r}")
            found[writer.name] = writer
    return dict(sorted(found.items(), key=lambda kv: (not kv[1].default, _ORDER.get(kv[0], len(_ORDER)))))


# The order formats are listed in for people (most asked-for first); a new format goes after these,
# and formats made only on request (WAV) after every format a plain build makes.
_ORDER = {
    name: i
    for i, name in enumerate(
        ("large-print", "word", "audio", "transcript", "text", "braille", "braille-preview", "epub")
    )
}


@cache
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for writer in all_writers().values():
        for word in (writer.name, writer.extension, writer.title, *writer.aliases):
            table.setdefault(_key(word), writer.name)
    return table


def _key(words: str) -> str:
    return " ".join(words.strip().lower().replace("_", " ").replace("-", " ").split())


def names() -> list[str]:
    return list(all_writers())


def default_names() -> list[str]:
    """The formats a plain `build` makes."""
    return [n for n, w in all_writers().items() if w.default]


def canonical(name: str) -> str:
    """The format's name for any of its names or aliases ("pdf", "Large print", "mp3" ...)."""
    found = _aliases().get(_key(name)) or _aliases().get(_key(name).replace(" ", ""))
    if found is None:
        raise LeafletError(f"unknown format {name!r}", fix="choose one of: " + ", ".join(all_writers()))
    return found


def get(name: str) -> Writer:
    """The writer for a format name or alias."""
    return all_writers()[canonical(name)]


def title(name: str) -> str:
    return get(name).title


def extension(name: str) -> str:
    return get(name).extension
