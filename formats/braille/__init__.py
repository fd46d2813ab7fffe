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
_TRAILING_BLANKS = re.compile(" +(?=\n)")


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
        """liblouis's version and every table file the codes for this language read (grades 1 and 2),
        and UEB's, which writes the addresses and the English beside a translation."""
        from leaflets.locales import SOURCE_LOCALE

        from . import louis, tables

        if not tables.installed():
            return ("absent",)
        codes = [tables.code_for(info, grade) for info in (locale, SOURCE_LOCALE) for grade in (1, 2)]
        files = sorted({f for code in codes if code for f in code.files})
        return (louis.version(), *stamp(tables.display_table(), *files))

    def write(self, doc: Leaflet, options: Options) -> bytes:
        """BRF: North American Braille ASCII, CR LF line ends, a form feed after every page."""
        from . import louis, tables
        from .render import render

        braille = render(doc, self.options(options))
        cells = "".join("".join(line + "\n" for line in page) + FORM_FEED for page in braille.pages)
        brf = louis.to_ascii(tables.display_table(), cells)
        return _TRAILING_BLANKS.sub("", brf).replace("\n", "\r\n").encode("ascii")

    def extent(self, path: Path) -> str:
        return _pages(path.read_bytes().count(FORM_FEED.encode()))


class BraillePreview(Braille):
    """The same pages for sighted checkers: each braille page as Unicode braille (U+2800 patterns, as
    the embosser makes it), beside what liblouis reads back from it, so that someone who does not
    read braille can still compare it with the print; a small HTML page, each page a <pre>."""

    name = "braille-preview"
    extension = "braille.html"
    title = "braille preview"
    media_type = "text/html; charset=utf-8"
    aliases: ClassVar[tuple[str, ...]] = ("braille proof", "unicode braille")

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from . import louis
        from .render import render

        options = self.options(options)
        braille = render(doc, options)
        lang = f'lang="{doc.locale.tag}" dir="{doc.locale.direction}"'
        pages = []
        for n, page in enumerate(braille.pages, start=1):
            back = "\n".join(html.escape(louis.back_translate(braille.code.tables, line)) for line in page)
            cells = "\n".join(page)
            pages.append(
                f'<section><h2 id="p{n}">Braille page {n}</h2>\n<div class="page">'
                f'<pre class="cells" aria-label="braille">{cells}</pre>\n'
                f'<pre class="back" {lang} aria-label="read back by liblouis">{back}</pre></div></section>'
            )
        title = html.escape(doc.title.text)
        return (
            '<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8">\n'
            f"<title>Braille preview: {doc.meta.id} {doc.locale.english_name}</title>\n"
            "<style>.page{display:flex;gap:1em;flex-wrap:wrap}pre{border:1px solid #000;padding:.5em;margin:0}"
            ".cells{font-size:1.6em;line-height:1.25}.back{font-size:1.1em;color:#333}</style>\n"
            f"</head>\n<body>\n<h1><span {lang}>{title}</span></h1>\n"
            f"<p>Braille preview of {doc.meta.id} in {doc.locale.english_name}: {html.escape(braille.code.name)}, "
            f"{_pages(len(braille.pages))} of {options.braille_cells} cells by {options.braille_lines} lines, as "
            "the BRF file embosses them. Beside each page is what liblouis reads back from it: a check on the "
            "braille, not a copy of the print (it misreads some signs; see the README). Give the BRF file to a "
            "braille reader to proofread before it goes to a patient.</p>\n" + "\n".join(pages) + "\n</body>\n</html>\n"
        ).encode()

    def extent(self, path: Path) -> str:
        return _pages(path.read_bytes().count(b'<pre class="cells"'))


def _pages(n: int) -> str:
    return f"{n} braille page" + ("" if n == 1 else "s")


WRITERS = (Braille(), BraillePreview())
