"""The writer registry: one line per output format (pandoc's writer table).

A writer is a module with NAME, EXTENSION, VERSION (bump it whenever the bytes it writes
change), `unavailable(locale) -> str | None` (a reason it cannot serve a locale, e.g. no
speech voice) and `write(doc, options) -> bytes`, which reads only the translated model
(`leaflets.model.Leaflet`) and raises `leaflets.errors.LeafletError` for content it cannot
render faithfully. It may also have `inputs(locale)`: the files outside the project its bytes
depend on (fonts, speech data), as `stamp(...)` gives them, so updating them redoes its output.
Modules are imported lazily: a PDF build never pays for the speech engine's start-up.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from leaflets.errors import LeafletError


@dataclass(frozen=True)
class Entry:
    """How the build sees a writer without importing it."""
    module: str
    extension: str
    uses: tuple[str, ...] = ()               # the Options fields its bytes depend on
    fixed: tuple[tuple[str, object], ...] = ()  # Options this entry always sets

    def options(self, options: "Options") -> "Options":
        return replace(options, **dict(self.fixed))


WRITERS = {
    "large-print": Entry("formats.pdf", "pdf", uses=("size",)),
    "word": Entry("formats.docx", "docx", uses=("size",)),
    "audio": Entry("formats.audio", "mp3", uses=("rate", "audio_container"), fixed=(("audio_container", "mp3"),)),
    "text": Entry("formats.text", "txt"),
    "audio-wav": Entry("formats.audio", "wav", uses=("rate", "audio_container"),
                       fixed=(("audio_container", "wav"),)),
}

# Made only when asked for by name (`--format audio-wav`), not by a plain `build`.
ON_REQUEST = {"audio-wav"}

# Friendly names PALS staff and patients use for the formats.
ALIASES = {
    "txt": "text", "plain": "text", "plain-text": "text", "email": "text", "e-mail": "text",
    "pdf": "large-print", "large": "large-print", "large print": "large-print", "largeprint": "large-print",
    "print": "large-print", "giant-print": "large-print", "giant print": "large-print",
    "docx": "word", "doc": "word", "word document": "word", "microsoft word": "word",
    "mp3": "audio", "sound": "audio", "spoken": "audio", "speech": "audio", "recording": "audio",
    "wav": "audio-wav",
}

# What each format is called in plain English, mid-sentence (for PALS staff and the catalogue).
TITLES = {"large-print": "large print", "word": "Word", "audio": "audio", "audio-wav": "audio (WAV)",
          "text": "plain text"}


@dataclass(frozen=True)
class Options:
    """Everything a writer may be asked to vary; one record for all writers (pandoc's WriterOptions)."""
    size: float = 18.0                       # body text size in points (16-32)
    build_date: date = field(default_factory=date.today)
    rate: int = 150                          # speech rate, words per minute
    audio_container: str = "mp3"             # or "wav"


def names() -> list[str]:
    return list(WRITERS)


def default_names() -> list[str]:
    """The formats a plain `build` makes."""
    return [n for n in WRITERS if n not in ON_REQUEST]


def canonical(name: str) -> str:
    spaced = " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    key = next((k for k in (spaced.replace(" ", "-"), spaced) if k in WRITERS), None)
    key = key or ALIASES.get(spaced) or ALIASES.get(spaced.replace(" ", "-")) or spaced
    if key not in WRITERS:
        raise LeafletError(f"unknown format {name!r}", fix="choose one of: " + ", ".join(WRITERS))
    return key


def get(name: str):
    """The writer module for a format name or alias."""
    return importlib.import_module(WRITERS[canonical(name)].module)


def title(name: str) -> str:
    return TITLES.get(name, name)


def extension(name: str) -> str:
    return WRITERS[canonical(name)].extension


def entry(name: str) -> Entry:
    return WRITERS[canonical(name)]


def stamp(*paths) -> tuple:
    """(path, size, mtime) of each file, for a writer's `inputs`; "absent" for a missing one."""
    out = []
    for path in paths:
        try:
            st = Path(path).stat()
            out.append((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(path), "absent"))
    return tuple(out)


def source_files(name: str) -> list[Path]:
    """The files a writer's code lives in (formats/<module>*.py), for build fingerprints."""
    module = WRITERS[canonical(name)].module.rsplit(".", 1)[1]
    return sorted(Path(__file__).parent.glob(f"{module}*.py"))
