"""Read-along EPUB 3: the leaflet's text synchronised with its narration (Media Overlays).

The DAISY Consortium's recommended accessible format: patients with low vision, dyslexia or
low literacy, and readers of a second language, follow the words while hearing them; blind
readers get heading and sentence navigation that a single MP3 cannot give. The declaration
is here; the publication is assembled in `book` (imported only when one is written).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from leaflets.model import Leaflet, LocaleInfo

from ..audio import Audio
from ..contract import Options, Writer, stamp


class Epub(Writer):
    name = "epub"
    extension = "epub"
    title = "EPUB read-along"
    version = "2"  # Nastaliq embedded whole
    media_type = "application/epub+zip"
    aliases = ("e-book", "ebook", "read along", "read-along", "daisy", "talking book", "epub3")
    depends_on = ("audio", "fonts")  # the narration (its words, voices and timings) and the font table
    uses = ("rate",)  # the overlays' clips follow the speech; size is the reader's to choose

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """The speech (voice, engine data) and the font files embedded for the script."""
        from .fonts import embedded_files

        return (*Audio().inputs(locale), *stamp(*embedded_files(locale)))

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from . import book

        return book.write(doc, options)

    def extent(self, path: Path) -> str:
        """Whether the book reads aloud, as the catalogue and the desk say it."""
        try:
            with zipfile.ZipFile(path) as z:
                spoken = any(n.endswith(".smil") for n in z.namelist())
        except (OSError, zipfile.BadZipFile):
            return ""
        return "text with synchronised audio" if spoken else "text only (no voice for this language)"


WRITERS = (Epub(),)
