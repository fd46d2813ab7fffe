"""The large-print document as rows of lines, and its pages.

Every block becomes rows (one per line, or a vertical space) laid out by `lines` in the
segment's own language and direction, right-to-left documents mirrored; rows tied together
(a heading and what follows it, no orphan or widow lines) are kept on one page, notices are
boxed and untranslated passages marked. Paging here rather than in reportlab's platypus
means the page count is known before anything is drawn ("Page X of Y").
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.pagesizes import A4

from leaflets.model import Heading, Leaflet, ListBlock, Notice, Paragraph, Picture, Segment, Table, Text

from . import fonts as pdf_fonts
from .lines import Lines, lay_out, spans
from .rows import MARGIN, Figure, Placed, Row, Voice, voice
from .tables import picture_rows, table_rows
from .tags import Element

__all__ = ["MARGIN", "Composer", "Figure", "Placed", "Row", "Voice", "paginate", "voice"]
MEASURE = 29  # longest line, in ems: about 65 characters of Latin text
HEADING_SCALE = {1: 1.5, 2: 1.3, 3: 1.15}  # heading size / body size, by level
BULLET = "\u2022"
BORDER = 1 / 6  # notice border width, in ems of the body (3 pt at 18 pt)
PAD = 0.6  # space inside a notice box, in ems


class Composer:
    """Turns the document's blocks into rows, right-to-left documents mirrored, and makes the
    structure elements (under `root`) that the rows' text belongs to."""

    def __init__(self, doc: Leaflet, size: float):
        self.doc, self.size = doc, size
        self.root = Element("Document", lang=doc.locale.tag)
        self.level = 1  # the level of the last heading: a notice's label is one below it
        self.rtl = doc.locale.rtl
        if self.rtl:
            self.right = A4[0] - MARGIN
            self.left = max(MARGIN, self.right - MEASURE * size)
        else:
            self.left = MARGIN
            self.right = min(A4[0] - MARGIN, self.left + MEASURE * size)
        self.line = size * pdf_fonts.LINE_PITCH  # one line of space
        self.border = size * BORDER
        self.pad = size * PAD + self.border
        self.boxes = 0
        self.tables = 0

    def frame(self) -> tuple[float, float]:
        """Top and bottom of the body text on every page (below the DRAFT line, above the
        page number)."""
        top = MARGIN + (self.header_height() if self.doc.draft else 0.0)
        return top, A4[1] - MARGIN - self.footer_height()

    def header_height(self) -> float:
        return self.set(self.doc.label("draft"), bold=True).height + self.line

    def footer_height(self) -> float:
        widest = self.doc.label("page", page=888, pages=888)
        return self.set(widest).height + self.line / 2

    # segments -> lines

    def set(self, seg: Segment, *, size: float | None = None, bold: bool = False, width: float | None = None) -> Lines:
        v = voice(self.doc, seg)
        return lay_out(
            spans(seg.inlines, bold), v.chain, v.tag, v.rtl, size or self.size, width or self.right - self.left
        )

    def text_rows(
        self,
        seg: Segment,
        area: tuple[float, float],
        element: Element,
        *,
        size: float | None = None,
        bold: bool = False,
        keep: bool = False,
        marker: tuple[Segment, tuple[float, float], Element] | None = None,
        box: int = 0,
        outline: int | None = None,
    ) -> list[Row]:
        """Rows of one segment set in `area` (left, right): aligned to its language's side,
        never an orphan or widow line; in a draft, untranslated text or a translation with a check
        error gets its label (`Leaflet.draft_label`) and a side rule.
        `marker` is a list item's number or bullet, the area it goes in and its element."""
        v = voice(self.doc, seg)
        rows: list[Row] = []
        rule = ""
        label = self.doc.draft_label(seg)
        if label is not None:  # a bar on the document's starting side and a bold label above
            rule = "right" if self.rtl else "left"
            rows += self._rows(
                self.set(label, bold=True, width=area[1] - area[0]),
                voice(self.doc, label),
                area,
                True,
                box,
                rule,
                element.child("Span", label.lang),
            )
        lines = self.set(seg, size=size, bold=bold, width=area[1] - area[0])
        body = self._rows(lines, v, area, keep, box, rule, element)
        if marker is not None:
            text, (start, end), lbl = marker
            mark = self.set(text, size=size)
            first = body[0]
            x = end - mark.lines[0].width if self.rtl else start
            placed = Placed(
                mark.lines[0],
                x,
                first.items[0].baseline if first.items else mark.baseline,
                mark.size,
                self.doc.locale.tag,
                lbl,
            )
            body[0] = replace(first, items=(placed, *first.items))
        if outline is not None:
            body[0] = replace(body[0], outline=(seg.text.replace("\n", " "), outline))
        return rows + body

    def _rows(self, lines: Lines, v: Voice, area, keep: bool, box: int, rule: str, element: Element) -> list[Row]:
        n = len(lines.lines)
        rows = []
        for k, line in enumerate(lines.lines):
            x = area[1] - line.width if v.rtl else area[0]
            tie = keep or (k == 0 and n > 1) or k == n - 2
            rows.append(
                Row(
                    lines.pitch,
                    (Placed(line, x, lines.baseline, lines.size, v.tag, element),),
                    keep=tie,
                    box=box,
                    rule=rule,
                )
            )
        return rows

    def space(self, height: float, box: int = 0) -> Row:
        return Row(height, keep=True, space=True, box=box)

    # blocks -> rows

    def document(self) -> list[Row]:
        doc, root = self.doc, self.root
        rows = self.text_rows(
            doc.title,
            (self.left, self.right),
            root.child("H1", doc.title.lang),
            size=self.size * HEADING_SCALE[1],
            bold=True,
            outline=0,
        )
        if doc.notices:
            rows.append(self.space(self.line))
            rows += self.box(lambda area, n: self.notice_rows(doc.notices, area, n, root.child("Div")))
        rows += self.blocks(doc.blocks, (self.left, self.right), root)
        rows += self.blocks(doc.footer, (self.left, self.right), root)
        return rows

    def blocks(self, blocks, area, parent: Element, box: int = 0) -> list[Row]:
        rows: list[Row] = []
        after_heading = False
        for block in blocks:
            if rows or not box:  # a line of space; half a line ties a heading to its text
                rows.append(self.space(self.line / 2 if after_heading else self.line, box))
            after_heading = isinstance(block, Heading)
            if isinstance(block, Heading):
                self.level = block.level
                rows += self.text_rows(
                    block.content,
                    area,
                    parent.child(f"H{block.level}", block.content.lang),
                    size=self.size * HEADING_SCALE[block.level],
                    bold=True,
                    keep=True,
                    box=box,
                    outline=block.level - 1,
                )
            elif isinstance(block, Paragraph):
                rows += self.text_rows(block.content, area, parent.child("P", block.content.lang), box=box)
            elif isinstance(block, ListBlock):
                rows += self.list_rows(block, area, box, parent.child("L"))
            elif isinstance(block, Table):
                rows += table_rows(self, block, area, parent, box)
            elif isinstance(block, Picture):
                rows += picture_rows(self, block, area, parent, box)
            elif isinstance(block, Notice) and block.quotation:
                quote = parent.child("BlockQuote")
                inset = 2 * self.size
                rows += self.blocks(block.blocks, (area[0] + inset, area[1] - inset), quote, box)
            elif isinstance(block, Notice):
                section = parent.child("Sect")
                rows += self.box(
                    lambda inner, n, block=block, section=section: (
                        self.notice_label(block, inner, n, section) + self.blocks(block.blocks, inner, section, n)
                    )
                )
        return rows

    def notice_label(self, block: Notice, area, box: int, section: Element) -> list[Row]:
        """ "Important:" in bold at the top of the box, kept with what follows: the heading of
        the notice's section, one level below the heading before it."""
        if block.label is None:
            return []
        heading = section.child(f"H{min(self.level + 1, 6)}", block.label.lang)
        rows = self.text_rows(block.label, area, heading, bold=True, keep=True, box=box)
        return [*rows, self.space(self.line / 2, box)]

    def list_rows(self, block: ListBlock, area, box: int, element: Element) -> list[Row]:
        """A list (L) of items (LI), each its marker (Lbl) and text (LBody), which holds any
        list nested in the item."""
        markers = [self._marker(block, k) for k in range(len(block.items))]
        zone = max(self.set(m).lines[0].width for m in markers) + self.size / 2
        inner = (area[0], area[1] - zone) if self.rtl else (area[0] + zone, area[1])
        marker_area = (inner[1] + self.size / 2, area[1]) if self.rtl else (area[0], inner[0])
        rows: list[Row] = []
        for k, item in enumerate(block.items):
            if k:
                rows.append(self.space(self.line / 2, box))
            li = element.child("LI")
            label = li.child("Lbl")
            body = li.child("LBody", item.content.lang)
            rows += self.text_rows(item.content, inner, body, marker=(markers[k], marker_area, label), box=box)
            for child in item.children:
                rows.append(self.space(self.line / 2, box))
                rows += self.list_rows(child, inner, box, body.child("L"))
        return rows

    def _marker(self, block: ListBlock, k: int) -> Segment:
        text = f"{block.start + k}." if block.ordered else BULLET
        return Segment((Text(text),), text, self.doc.locale.tag)

    def notice_rows(self, notices, area, box: int, element: Element) -> list[Row]:
        """The review notices (the translation's language, then English), each its own P."""
        rows: list[Row] = []
        for seg in notices:
            if rows:
                rows.append(self.space(self.line / 2, box))
            rows += self.text_rows(seg, area, element.child("P", seg.lang), box=box)
        return rows

    def box(self, fill) -> list[Row]:
        """The rows `fill(area, box number)` makes, inside a thick black border, all tied
        together: a box moves to the next page whole unless it is taller than a page."""
        self.boxes += 1
        n = self.boxes
        rows = [replace(r, keep=True) for r in fill((self.left + self.pad, self.right - self.pad), n)]
        return [Row(self.pad, keep=True, box=n, pad=True), *rows, Row(self.pad, box=n, pad=True)]


# --- pages -----------------------------------------------------------------------------------


def paginate(rows: list[Row], height: float, pad: float) -> list[list[tuple[Row, float]]]:
    """Fill pages top to bottom: rows tied by `keep` move to the next page together (a heading
    and the first two lines after it, the first or last two lines of a paragraph), unless
    they would not fit on a page of their own. A box cut by a page gets its padding on both
    pages. Returns each page's rows with their distance from the top of the frame."""
    pages: list[list[tuple[Row, float]]] = []
    page: list[tuple[Row, float]] = []
    headers: dict[int, list[Row]] = {}
    for row in rows:
        if row.header:
            headers.setdefault(row.table, []).append(row)
    y = 0.0
    i = 0
    while i < len(rows):
        j = i
        while rows[j].keep and j + 1 < len(rows):
            j += 1
        unit = rows[i : j + 1]
        need = sum(r.height for r in unit) + (pad if unit[-1].box and not unit[-1].pad else 0.0)
        if page and y + need > height:
            pages.append(page)
            page, y = [], 0.0
        for row in unit:
            bottom_pad = pad if row.box and not row.pad else 0.0
            if page and y + row.height + bottom_pad > height:
                pages.append(page)
                page, y = [], 0.0
            if not page:
                if row.space:
                    continue
                if row.box and not row.pad:
                    y += pad
                if row.table and not row.header:  # a table goes on: its header row first, again
                    for head in headers.get(row.table, []):
                        page.append((repeated(head), y))
                        y += head.height
            page.append((row, y))
            y += row.height
        i = j + 1
    if page or not pages:
        pages.append(page)
    return pages


def repeated(row: Row) -> Row:
    """A header line repeated on a later page: the same lines, as page furniture (its cells are
    tagged where the table starts; a screen reader is not told the headers twice)."""
    return replace(row, items=tuple(replace(p, element=None) for p in row.items), repeat=True, keep=True)
