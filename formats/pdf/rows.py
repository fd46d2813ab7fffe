"""The rows a large-print page is made of: lines placed on it, spaces, pictures, and the language
each segment is set in. Shared by the composer (`pages`) and the tables and pictures (`tables`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.units import cm

from leaflets import locales
from leaflets.model import Leaflet, Segment

from . import fonts as pdf_fonts
from .lines import Line
from .tags import Element

MARGIN = 2 * cm


@dataclass(frozen=True)
class Voice:
    """How one segment's language is set: its BCP 47 tag, direction and font chain."""

    tag: str
    rtl: bool
    chain: pdf_fonts.Chain


@cache
def _voice_of(tag: str) -> Voice:
    info = locales.from_tag(tag)
    return Voice(tag, info.rtl, pdf_fonts.chain(info.language, info.script))


def voice(doc: Leaflet, seg: Segment) -> Voice:
    """The language a segment is really in: the document's, or English standing in."""
    if seg.lang == doc.locale.tag:
        loc = doc.locale
        return Voice(loc.tag, loc.rtl, pdf_fonts.chain(loc.language, loc.script))
    return _voice_of(seg.lang)


@dataclass(frozen=True)
class Placed:
    """A line to draw: its left end on the page, its baseline below the top of its row, and
    the structure element its text belongs to (None: page furniture, drawn as an artifact)."""

    line: Line
    x: float
    baseline: float
    size: float
    lang: str
    element: Element | None = None


@dataclass(frozen=True)
class Row:
    """One line of the page, or a vertical space. `keep` ties it to the next row's page;
    a `space` row at the top of a page is dropped. `box` numbers the notice box it is in
    (pad rows are the box's top and bottom padding); `rule` marks untranslated text with a
    bar on that side ("left"/"right"); `outline` makes a bookmark (title, level)."""

    height: float
    items: tuple[Placed, ...] = ()
    keep: bool = False
    space: bool = False
    box: int = 0
    pad: bool = False
    rule: str = ""
    outline: tuple[str, int] | None = None
    table: int = 0  # the table (numbered from 1) this row is a line of, 0 for none
    header: bool = False  # a line of the table's header row: repeated at the top of each page it goes on to
    repeat: bool = False  # a repeated header line (drawn as an artifact: its cells are tagged once)
    grid: tuple[float, ...] = ()  # a table row's column boundaries, left to right: the cell borders
    rules: tuple[bool, bool] = (False, False)  # a border along the row's top, bottom
    figure: Figure | None = None


@dataclass(frozen=True)
class Figure:
    """A picture to draw at `x`, `width` x `height` points, from the top of its row."""

    data: bytes
    x: float
    width: float
    height: float
    element: Element
