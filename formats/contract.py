"""The writer contract: what every output format declares and does (pandoc's Writer, Sphinx's Builder).

A writer is a subclass of `Writer` defined in its own module (or package) under `formats/`,
listed in that module's `WRITERS` tuple. The registry (`formats/__init__.py`) finds it there;
nothing else needs editing to add a format. A writer's module must be cheap to import: heavy
libraries (reportlab, the speech engine) are imported inside `write`, so that planning a build
or listing formats never pays for them.

`write` reads only the translated model (`leaflets.model.Leaflet`) and the options, returns
the file's bytes, and raises `LeafletError` for content it cannot render faithfully (never
writes a file itself, never loses text silently).
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from leaflets.errors import Reason
from leaflets.model import Leaflet, LocaleInfo


@dataclass(frozen=True)
class Options:
    """Everything a writer may be asked to vary; one record for all writers (pandoc's WriterOptions).
    Each writer names the fields its bytes depend on in `uses`, so other options never rebuild it."""

    size: float = 18.0  # body text size in points (16-32)
    build_date: date = field(default_factory=date.today)
    rate: int = 150  # speech rate, words per minute
    audio_container: str = "mp3"  # or "wav"
    braille_grade: int = 2  # 2 = contracted (the UK default for adults), 1 = uncontracted
    braille_cells: int = 40  # cells per braille line
    braille_lines: int = 25  # lines per braille page


# How an option other than its default is written in a file name (see Writer.name_parts).
_NAMED = {"size": "{:g}pt", "rate": "{}wpm", "braille_grade": "grade{}"}


def stamp(*paths: str | Path) -> tuple[tuple[object, ...], ...]:
    """(path, size, mtime) of each file, for a writer's `inputs`; "absent" for a missing one."""
    out: list[tuple[object, ...]] = []
    for path in paths:
        try:
            st = Path(path).stat()
            out.append((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(path), "absent"))
    return tuple(out)


class Writer(ABC):
    """One output format. Subclasses set the class attributes and implement `write`."""

    name: ClassVar[str]  # the command-line word, e.g. "large-print"
    extension: ClassVar[str]  # file extension without the dot
    title: ClassVar[str]  # plain English, mid-sentence: "large print", "Word"
    version: ClassVar[str] = "1"  # bump when the bytes written change for the same inputs
    aliases: ClassVar[tuple[str, ...]] = ()  # other words staff and patients use for it
    uses: ClassVar[tuple[str, ...]] = ()  # the Options fields its bytes depend on
    fixed: ClassVar[tuple[tuple[str, Any], ...]] = ()  # Options this format always sets (field, value)
    default: ClassVar[bool] = True  # made by a plain `build`; False: only when asked for by name
    media_type: ClassVar[str] = "application/octet-stream"

    def options(self, options: Options) -> Options:
        """The options as this format sees them (its fixed settings applied)."""
        return replace(options, **dict(self.fixed))

    def used_options(self, options: Options) -> tuple[tuple[str, object], ...]:
        """The options its bytes depend on, for fingerprints and file names."""
        seen = self.options(options)
        return tuple((n, getattr(seen, n)) for n in self.uses)

    def name_parts(self, options: Options) -> tuple[str, ...]:
        """What sets a copy made with other than the default options apart in its file name
        ("24pt", "120wpm", "grade1", "32x25"), so it never overwrites the default copy."""
        seen, usual = self.options(options), self.options(Options())
        differs = [n for n in self.uses if getattr(seen, n) != getattr(usual, n)]
        parts = [_NAMED[n].format(getattr(seen, n)) for n in differs if n in _NAMED]
        if {"braille_cells", "braille_lines"} & set(differs):
            parts.append(f"{seen.braille_cells}x{seen.braille_lines}")
        return tuple(parts)

    def unavailable(self, locale: LocaleInfo) -> Reason | None:
        """Why this format cannot be made for a language at all (no voice, no braille code), or None.
        A missing installed file is not "unavailable": `write` raises InstallationError for it."""
        return None

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """Files outside the project its bytes depend on (fonts, voices, tables), as `stamp` gives them."""
        return ()

    @abstractmethod
    def write(self, doc: Leaflet, options: Options) -> bytes:
        """The file's bytes for one translated leaflet."""

    def extent(self, path: Path) -> str:
        """How long a made file is, in words for people ("11 min 5 s", "14 braille pages"), or ""."""
        return ""

    @cached_property
    def code_files(self) -> tuple[Path, ...]:
        """Every source file of the writer's module or package, of this contract and of the shared
        font table: a change to any of them (a helper module too) redoes what it made."""
        module = sys.modules[type(self).__module__]
        origin = Path(module.__file__ or "")
        package = origin.parent if origin.name == "__init__.py" else None
        files = sorted(package.rglob("*.py")) if package else [origin]
        return (Path(__file__), Path(__file__).with_name("fonts.py"), *files)
