"""Braille: an embosser-ready BRF file per leaflet and language, and a Unicode preview for sighted checkers.

Translation is liblouis's (`louis`, `tables`); lines and pages are ours (`layout`, `render`).
Cheap to import: liblouis is loaded on first use.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import ClassVar

from leaflets.errors import Kind, Reason
from leaflets.model import Leaflet, LocaleInfo

from ..contract import Options, Writer, stamp

FORM_FEED = "\f"


class Braille(Writer):
    name = "braille"
    extension = "brf"
    title = "braille"
    media_type = "application/x-brf"  # no registered type; the one braille software uses
    aliases: ClassVar[tuple[str, ...]] = ("brf", "embosser", "braille file", "ueb")
    uses = ("braille_grade", "braille_cells", "braille_lines")

    def unavailable(self, locale: LocaleInfo) -> Reason | None:
        """No literary braille code for the language in liblouis (Somali, Romanian today), or None.
        A machine without the tables is not asked: `write` fails for it with the package to install."""
        from . import tables

        if not tables.installed() or tables.code_for(locale, 2) is not None:
            return None
        return Reason(
            Kind.NO_CODE,
            locale.english_name,
            f"there is no braille code for {locale.english_name} in liblouis",
        )

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """liblouis's version and every table file the codes for this language read (grades 1 and 2)."""
        from . import louis, tables

        if not tables.installed():
            return ("absent",)
        codes = [tables.code_for(locale, grade) for grade in (1, 2)]
        files = sorted({f for code in codes if code for f in code.files})
        return (louis.version(), *stamp(tables.display_table(), *files))

    def write(self, doc: Leaflet, options: Options) -> bytes:
        """BRF: North American Braille ASCII, CR LF line ends, a form feed after every page."""
        from . import louis, tables
        from .render import render

        braille = render(doc, self.options(options))
        display = tables.display_table()
        pages = ["\r\n".join(louis.to_ascii(display, line).rstrip() for line in page) for page in braille.pages]
        return "".join(page + "\r\n" + FORM_FEED for page in pages).encode("ascii")

    def extent(self, path: Path) -> str:
        return _pages(path.read_bytes().count(FORM_FEED.encode()))


class BraillePreview(Braille):
    """The same pages as Unicode braille (U+2800 patterns) in a small HTML page, for sighted checkers:
    each braille page a <pre>, headed with its number; the language tagged so a screen reader knows it."""

    name = "braille-preview"
    extension = "braille.html"
    title = "braille preview"
    media_type = "text/html; charset=utf-8"
    aliases: ClassVar[tuple[str, ...]] = ("braille proof", "unicode braille")

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from .render import render

        braille = render(doc, self.options(options))
        title = html.escape(doc.title.text)
        body = "\n".join(
            f'<h2 id="p{n}">Braille page {n}</h2>\n<pre>' + "\n".join(page) + "</pre>"
            for n, page in enumerate(braille.pages, start=1)
        )
        return (
            f'<!DOCTYPE html>\n<html lang="{doc.locale.tag}">\n<head><meta charset="utf-8">\n'
            f"<title>{title}: braille preview</title>\n"
            "<style>pre{font-size:1.6em;line-height:1.25;border:1px solid #000;display:inline-block;padding:.5em}</style>\n"
            f'</head>\n<body>\n<h1>{title}</h1>\n<p lang="en-GB">Braille preview: {html.escape(braille.code.name)}, '
            f"{len(braille.pages)} braille pages of {options.braille_cells} cells by {options.braille_lines} lines, "
            f"as the BRF file embosses them.</p>\n{body}\n</body>\n</html>\n"
        ).encode()

    def extent(self, path: Path) -> str:
        return _pages(len(re.findall(rb"<pre>", path.read_bytes())))


def _pages(n: int) -> str:
    return f"{n} braille page" + ("" if n == 1 else "s")


WRITERS = (Braille(), BraillePreview())
