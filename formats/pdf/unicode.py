"""The ToUnicode maps of the large-print PDF, made right after reportlab has written them.

reportlab writes, for each code of a font subset, the character that code was made from; the
glyph-and-text codes of `fonts.Face.code` are private-use characters standing for a text
(a ligature's letters, a whole Indic or Nastaliq cluster, or nothing for a cluster's other
glyphs and the anchors). Here every such entry gets that text, so that pdfplumber, poppler's
structure text and screen readers that read glyphs get the characters, never private use.
"""

from __future__ import annotations

import re

from pikepdf import Name, Pdf

from .fonts import PRIVATE, TEXTS

_ENTRY = re.compile(rb"<([0-9A-F]{2})> <([0-9A-F]+)>")


def fix(pdf: Pdf) -> None:
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.Resources.get(Name.Font, {}).values():
            cmap = font.get(Name.ToUnicode)
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            old = cmap.read_bytes()
            new = _ENTRY.sub(_entry, old)
            if new != old:
                cmap.write(new)


def _entry(m: re.Match) -> bytes:
    code = int(m.group(2), 16)
    if code < PRIVATE:
        return m.group(0)
    return b"<" + m.group(1) + b"> <" + TEXTS[code].encode("utf-16-be").hex().upper().encode() + b">"
