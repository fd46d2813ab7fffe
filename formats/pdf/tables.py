"""Tables and pictures in the large print: their rows for the pages, and their structure elements.

A table is drawn as a grid with its header row in bold, repeated at the top of every page the
table goes on to (see `pages.paginate`), each table row kept whole on one page (no cell is cut
between two lines). Its structure is Table > TR > TH (Scope Column) / TD, in reading order;
a right-to-left document mirrors the column order on the page. When a column would be too
narrow for its words at the body size (giant print, many columns), the table is set stacked
instead: each row in turn, one line per cell with the cell's column header before it ("Avoid:
Milk"), the way braille transcribers and narrow screens linearise tables; its structure is the
same table, each drawn header a TH with Scope Row before its TD.

A picture is drawn at its own size (96 pixels to the inch, scaled with the body size, at most
the text width and half the page height), as a Figure with its alt text (/Alt) and, once drawn,
its bounding box; its caption is the paragraph under it (a P: a Caption inside the Figure
would be hidden by the Alt that screen readers read instead of the Figure's content).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Protocol

from reportlab.lib.pagesizes import A4

from formats.contract import cell_joint
from leaflets import pictures
from leaflets.model import Leaflet, Picture, Segment, Strong, Table, Text

from .lines import Line, Lines
from .rows import MARGIN, Figure, Placed, Row, voice
from .tags import Element


class Composer(Protocol):
    """What tables and pictures need of the page composer (pages.Composer)."""

    doc: Leaflet
    size: float
    rtl: bool
    line: float
    tables: int

    def set(
        self, seg: Segment, *, size: float | None = None, bold: bool = False, width: float | None = None
    ) -> Lines: ...

    def space(self, height: float, box: int = 0) -> Row: ...

    def text_rows(
        self, seg: Segment, area: tuple[float, float], element: Element, *, keep: bool = False, box: int = 0
    ) -> list[Row]: ...


CELL_PAD = 1 / 3  # space inside a cell, in ems of the body
MIN_COLUMN = 6  # narrowest column set as a grid, in ems of the body (about 12 letters), if no word is cut


Laid = list[tuple[Segment, Lines, bool]]  # a cell's text as set: (segment, its lines, is the "untranslated" label)


def table_rows(c: Composer, table: Table, area: tuple[float, float], parent: Element, box: int) -> list[Row]:
    c.tables += 1
    number = c.tables
    element = parent.child("Table")
    n = len(table.header)
    width = (area[1] - area[0]) / n
    if width >= MIN_COLUMN * c.size:
        inner = width - 2 * c.size * CELL_PAD
        laid = [[_cell(c, h, inner, bold=True) for h in table.header]]
        laid += [[_cell(c, cell, inner) for cell in row] for row in table.rows]
        if not any(_cut(seg, lines) for row in laid for cell in row for seg, lines, _ in cell):
            return _grid(c, table, laid, area, element, number, box)
    return _stacked(c, table, area, element, number, box)


def _cut(seg: Segment, lines: Lines) -> bool:
    """Whether setting a segment in a column had to cut a word (one wider than the column): the
    lines hold more words than the text. Chinese and Japanese break between any two characters."""
    text = seg.text
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return False
    return sum(len("".join(p.text for p in line.pieces).split()) for line in lines.lines) > len(text.split())


def _cell(c: Composer, seg: Segment | None, width: float, bold: bool = False) -> Laid:
    """A cell's text set in its column; in a draft, after its bold label if it has one ("Not yet
    translated:", "Check this translation:": `Leaflet.draft_label`)."""
    if seg is None:
        return []
    laid = [(seg, c.set(_bold(seg) if bold else seg, width=width), False)]
    label = c.doc.draft_label(seg)
    if label is not None:
        laid.insert(0, (label, c.set(label, bold=True, width=width), True))
    return laid


def _bold(seg: Segment) -> Segment:
    return replace(seg, inlines=(Strong(seg.inlines),))


def _grid(
    c: Composer, table: Table, laid: list[list[Laid]], area, element: Element, number: int, box: int
) -> list[Row]:
    """The table as a grid: each table row its lines side by side between padding rows."""
    n = len(table.header)
    width = (area[1] - area[0]) / n
    pad = c.size * CELL_PAD
    edges = tuple(area[0] + k * width for k in range(n + 1))
    # column k's left edge: mirrored in a right-to-left document (the first column on the right)
    lefts = [edges[n - 1 - k] if c.rtl else edges[k] for k in range(n)]
    rows: list[Row] = [c.space(c.line / 2, box)]
    for r, cells_laid in enumerate(laid):
        tr = element.child("TR")
        header = r == 0
        lines_of: list[list[tuple[Segment | None, Lines | None, int, Element]]] = []  # per cell, each line
        for cell in cells_laid:
            td = tr.child("TH" if header else "TD", cell[-1][0].lang if cell else "")
            if header:
                td.attributes["Table"] = {"Scope": "Column"}
            lines_of.append(
                [
                    (seg, lines, i, td.child("Span", seg.lang) if label else td)
                    for seg, lines, label in cell
                    for i in range(len(lines.lines))
                ]
                or [(None, None, 0, td)]
            )
        common = {"table": number, "header": header, "grid": edges, "box": box}
        rows.append(Row(pad, keep=True, rules=(True, False), **common))  # type: ignore[arg-type]
        for depth in range(max(len(lines) for lines in lines_of)):
            items: list[Placed] = []
            pitch = 0.0
            for k, cell_lines in enumerate(lines_of):
                if depth >= len(cell_lines):
                    continue
                seg, lines, i, owner = cell_lines[depth]
                if seg is None or lines is None:  # an empty cell is still a cell of its row (regular rows)
                    items.append(_empty(c, owner))
                    continue
                pitch = max(pitch, lines.pitch)
                items.append(_placed(c, seg, lines, i, lefts[k], width, pad, table.align[k], owner))
            rows.append(Row(pitch or c.line, tuple(items), keep=True, **common))  # type: ignore[arg-type]
        rows.append(Row(pad, keep=header, rules=(False, True), **common))  # type: ignore[arg-type]
    return rows


def _placed(c: Composer, seg: Segment, lines: Lines, i: int, left: float, width: float, pad: float, align: str, cell):
    line = lines.lines[i]
    rtl = c.rtl
    side = {"left": "end" if rtl else "start", "right": "start" if rtl else "end"}.get(align, align or "start")
    if lines is not None and seg.lang != c.doc.locale.tag and not align:
        side = "end" if _rtl(c, seg) != rtl else "start"
    inner = (left + pad, left + width - pad)
    start_right = rtl  # the start side of a cell is its right in a right-to-left document
    if side == "center":
        x = (inner[0] + inner[1] - line.width) / 2
    elif (side == "start") == start_right:
        x = inner[1] - line.width
    else:
        x = inner[0]
    return Placed(line, x, lines.baseline, lines.size, _lang(c, seg), cell)


def _rtl(c: Composer, seg: Segment) -> bool:
    return voice(c.doc, seg).rtl


def _lang(c: Composer, seg: Segment) -> str:
    return voice(c.doc, seg).tag


def _empty(c: Composer, cell: Element) -> Placed:
    """Nothing to draw, but the cell joins the table when its row is drawn (see render)."""
    return Placed(Line((), 0.0), 0.0, 0.0, c.size, c.doc.locale.tag, cell)


def _stacked(c: Composer, table: Table, area, element: Element, number: int, box: int) -> list[Row]:
    """Each row in turn, one paragraph per cell: its column header (bold, a TH with Scope Row)
    then the cell (a TD). Empty cells are left out of the print but kept (empty) in the tags."""
    rows: list[Row] = []
    joint = cell_joint(c.doc).rstrip()  # the cell goes on the next line
    for r, row in enumerate(table.rows):
        tr = element.child("TR")
        if r:
            rows.append(c.space(c.line / 2, box))
        first = True
        for head, cell in zip(table.header, row, strict=True):
            th = tr.child("TH", head.lang)
            th.attributes["Table"] = {"Scope": "Row"}
            td = tr.child("TD", cell.lang if cell is not None else "")
            if cell is None:
                rows.append(Row(0.0, (_empty(c, th), _empty(c, td)), keep=True, box=box))
                continue
            said = Segment((Strong((*head.inlines, Text(joint))),), head.source, head.lang, head.line)
            rows += c.text_rows(said, area, th, keep=True, box=box)
            indent = (area[0], area[1] - 2 * c.size) if c.rtl else (area[0] + 2 * c.size, area[1])
            rows += c.text_rows(cell, indent, td, keep=first, box=box)
            first = False
    return rows


def picture_rows(c: Composer, picture: Picture, area, parent: Element, box: int) -> list[Row]:
    most = area[1] - area[0]
    width = min(most, picture.width * 0.75 * c.size / 12)
    height = width * picture.height / picture.width
    tallest = (A4[1] - 2 * MARGIN) / 2
    if height > tallest:
        width, height = width * tallest / height, tallest
    x = area[1] - width if c.rtl else area[0]
    figure = parent.child("Figure", picture.alt.lang)
    figure.alt = picture.alt.text
    data = picture.data
    if picture.media_type == "image/svg+xml":  # drawn as a PNG at 300 pixels to the inch
        data = pictures.raster(data, max(1, round(width / 72 * 300)))
    rows = [Row(height, keep=picture.caption is not None, box=box, figure=Figure(data, x, width, height, figure))]
    if picture.caption is not None:
        rows.append(c.space(c.line / 2, box))
        rows += c.text_rows(picture.caption, area, parent.child("P", picture.caption.lang), box=box)
    return rows
