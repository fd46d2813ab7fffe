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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from leaflets.errors import LeafletError, Reason
from leaflets.model import Leaflet, LocaleInfo

from .options import check_all, labels, name_parts, option


@dataclass(frozen=True)
class Options:
    """Everything a writer may be asked to vary; one record for all writers (pandoc's WriterOptions).

    Each field a person may choose is declared once, here, with `option` (formats/options.py): its
    range, command-line help, desk label and file-name part; the command line, the desk, file names
    and the catalogue are derived from it. Each writer names the fields its bytes depend on in
    `uses`, so other options never rebuild it. A value out of range is refused on construction."""

    size: float = option(
        18.0,
        label="print size",
        help="body text size for large print and Word",
        low=16,
        high=32,
        unit="points",
        offered=tuple(range(16, 33, 2)),
        hint="large print is 16-18 pt, giant print 20-32 pt",
        name="{size:g}pt",
        shown="{size:g} pt",
        always_shown=True,
        metavar="PT",
    )
    build_date: date = field(default_factory=date.today)
    rate: int = option(
        150,
        label="speaking speed",
        help="speech rate of audio",
        low=100,
        high=220,
        unit="words a minute",
        words=(("slower", 120), ("normal", 150), ("faster", 180)),
        hint="130-160 is usual",
        name="{rate}wpm",
        shown="{rate} words a minute",
        metavar="WPM",
        query="speed",
    )
    audio_container: str = "mp3"  # or "wav": set by the audio formats themselves (Writer.fixed)
    braille_grade: int = option(
        2,
        label="braille grade",
        help="braille: 2 = contracted (where the language has a contracted code), 1 = uncontracted",
        metavar="GRADE",
        choices=((2, "contracted (grade 2)"), (1, "uncontracted (grade 1)")),
        name="grade{braille_grade}",
        shown="grade {braille_grade}",
    )
    braille_cells: int = option(
        40,
        label="braille line length",
        help="braille: cells per line",
        low=12,
        high=80,
        unit="cells",
        hint="the usual page is 40 cells by 25 lines",
        name="{braille_cells}x{braille_lines}",
        shown="{braille_cells} × {braille_lines} cells",
        metavar="N",
    )
    braille_lines: int = option(
        25,
        label="braille page length",
        help="braille: lines per page",
        low=6,
        high=50,
        unit="lines",
        hint="the usual page is 40 cells by 25 lines",
        name="{braille_cells}x{braille_lines}",
        shown="{braille_cells} × {braille_lines} cells",
        metavar="N",
    )

    def __post_init__(self) -> None:
        check_all(self)


def cell_joint(doc: Leaflet) -> str:
    """What goes between a column's heading and a cell when a table is shown row by row ("Avoid: milk";
    Chinese "避免：牛奶"): the shared string `table_cell`, "{header}<joint>{cell}", in the document's
    language, so every writer that stacks a table joins them alike."""
    template = doc.label("table_cell").text
    before, header, rest = template.partition("{header}")
    joint, cell, after = rest.partition("{cell}")
    if not (header and cell) or before.strip() or after.strip():
        raise LeafletError(
            f"{doc.locale.code}: the shared string table_cell is {template!r}: it must be {{header}}, then what "
            "separates it from the cell, then {cell}",
            fix='translate it as e.g. "{header}: {cell}" (msgctxt "table_cell" in the language\'s common.po)',
        )
    return joint


_keep: ContextVar[Path | None] = ContextVar("keep", default=None)


@contextmanager
def keeping(folder: Path | str | None) -> Iterator[None]:
    """Within this context, writers may keep work they can reuse in later builds under `folder`
    (the build engine gives the project's `.cache`; None: nothing is kept)."""
    token = _keep.set(Path(folder) if folder else None)
    try:
        yield
    finally:
        _keep.reset(token)


def kept(name: str) -> Path | None:
    """The folder, named for what it holds, where a writer keeps reusable work, or None. What is
    kept there must be keyed by everything it is made from, so that reusing it never changes a byte."""
    folder = _keep.get()
    return folder / name if folder else None


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
    # Siblings under formats/ whose work it uses (the EPUB embeds the narration: "audio"); their files
    # are its inputs as much as its own (tests/test_engine_dependencies.py finds an undeclared import).
    depends_on: ClassVar[tuple[str, ...]] = ()

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
        return name_parts(self.options(options), self.options(type(options)()), self.uses)

    def labels(self, options: Options) -> tuple[str, ...]:
        """The options a copy was made with, for people ("24 pt", "grade 1"): the catalogue's labels."""
        return labels(self.options(options), self.options(type(options)()), self.uses)

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
        """Every file its bytes are made from inside the pipeline: this contract (and its options),
        every file of the writer's module or package (helpers, style sheets, data files: not only
        its *.py), and every file of each sibling it `depends_on`. A change to any of them redoes
        what it made."""
        own = _files_of(Path(sys.modules[type(self).__module__].__file__ or ""))
        used = [f for name in self.depends_on for f in _files_of(_sibling(name))]
        return (Path(__file__), Path(__file__).with_name("options.py"), *own, *used)


FORMATS = Path(__file__).resolve().parent


def _sibling(name: str) -> Path:
    """The module file or package `__init__.py` of formats/<name>."""
    for found in (FORMATS / name / "__init__.py", FORMATS / f"{name}.py"):
        if found.is_file():
            return found
    raise RuntimeError(f"a writer depends on formats/{name}, which does not exist")


def _files_of(origin: Path) -> list[Path]:
    """A module's own file, or every file of a package (compiled caches aside)."""
    if origin.name != "__init__.py":
        return [origin]
    return sorted(
        f for f in origin.parent.rglob("*") if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
    )
