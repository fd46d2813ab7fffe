"""Large-print PDF writer (UKAAF / RNIB clear and large print rules; see the team notes).

A4, sans serif, body 18 pt by default or `options.size` (16-32, giant print) with every other
size scaled from it and none smaller; headings bold, larger and kept with what follows;
emphasis bold; ragged left (right for right-to-left text); leading >= 1.5x; a line of space
between paragraphs; no hyphenation; important notices in a thick black box; "Page X of Y" at
the foot of every page; black on white. Each segment is set in its own language's fonts and
direction by `pdf_lines`; this module stacks the lines into rows, pages them and draws them
with reportlab. Every drawn run carries its logical text (/ActualText), so copying and
searching give the words, not ligature or shaping glyphs, and text in another language than
the document's carries its own /Lang.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from leaflets import locales
from leaflets.errors import LeafletError
from leaflets.model import Heading, Leaflet, ListBlock, Notice, Paragraph, Segment, Text

from . import pdf_fonts
from .pdf_lines import Line, Lines, Span, lay_out, spans

NAME = "large-print"
EXTENSION = "pdf"
VERSION = "1"

SIZES = (16.0, 32.0)            # body sizes a request may ask for (large to giant print)
MARGIN = 2 * cm
MEASURE = 29                    # longest line, in ems: about 65 characters of Latin text
HEADING_SCALE = {1: 1.5, 2: 1.3, 3: 1.15}   # heading size / body size, by level
BULLET = "\u2022"
BORDER = 1 / 6                  # notice border width, in ems of the body (3 pt at 18 pt)
PAD = 0.6                       # space inside a notice box, in ems
RULE = 1 / 6                    # side rule beside untranslated text, in ems
FAKE_BOLD = 0.035               # outline stroke that emboldens a one-weight font, in ems


def unavailable(locale) -> str | None:
    names = pdf_fonts.chain_names(locale.language, locale.script)
    if names is None:
        return f"no large-print fonts for the {locale.script} script ({locale.english_name})"
    missing = pdf_fonts.missing_files(names)
    if missing:
        path, package = missing[0]
        return f"font file {path} is not installed (Debian package {package})"
    return None


def write(doc: Leaflet, options) -> bytes:
    size = float(options.size)
    if not SIZES[0] <= size <= SIZES[1]:
        raise LeafletError(f"large print size {size:g} pt is outside {SIZES[0]:g}-{SIZES[1]:g} pt",
                           fix="ask for a body size from 16 (large print) to 32 (giant print)")
    check_coverage(doc)
    composer = _Composer(doc, size)
    rows = composer.document()
    top, bottom = composer.frame()
    pages = paginate(rows, bottom - top, composer.pad)
    return _Painter(doc, composer, options.build_date).paint(pages, top)


# --- languages and coverage ------------------------------------------------------------------

@dataclass(frozen=True)
class Voice:
    """How one segment's language is set: its BCP 47 tag, direction and font chain."""
    tag: str
    rtl: bool
    chain: pdf_fonts.Chain


@lru_cache(maxsize=None)
def _voice_of(tag: str) -> Voice:
    info = locales.info(tag.replace("-", "_"))
    return Voice(tag, info.rtl, pdf_fonts.chain(info.language, info.script))


def voice(doc: Leaflet, seg: Segment) -> Voice:
    if seg.lang == doc.locale.tag:
        loc = doc.locale
        return Voice(loc.tag, loc.rtl, pdf_fonts.chain(loc.language, loc.script))
    return _voice_of(seg.lang)


def check_coverage(doc: Leaflet) -> None:
    """Refuse, before drawing anything, a character that no font of its chain has: it would
    print as a box or vanish."""
    for seg in doc.all_segments():
        v = voice(doc, seg)
        ch = v.chain.missing(seg.text)
        if ch is not None:
            name = unicodedata.name(ch, "unnamed character")
            raise LeafletError(
                f"{doc.locale.code}: character {ch!r} (U+{ord(ch):04X} {name}) in msgid "
                f"{seg.source[:60]!r} is in none of the large-print fonts for {seg.lang} "
                f"({', '.join(v.chain.names)})",
                fix="replace the character in the translation, or add a font that has it to "
                    "formats/pdf_fonts.py")


# --- rows: the document as a column of lines and spaces ---------------------------------------

@dataclass(frozen=True)
class Placed:
    """A line to draw: its left end on the page and its baseline below the top of its row."""
    line: Line
    x: float
    baseline: float
    size: float
    lang: str


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


class _Composer:
    """Turns the document's blocks into rows, right-to-left documents mirrored."""

    def __init__(self, doc: Leaflet, size: float):
        self.doc, self.size = doc, size
        self.rtl = doc.locale.rtl
        if self.rtl:
            self.right = A4[0] - MARGIN
            self.left = max(MARGIN, self.right - MEASURE * size)
        else:
            self.left = MARGIN
            self.right = min(A4[0] - MARGIN, self.left + MEASURE * size)
        self.line = size * pdf_fonts.LINE_PITCH     # one line of space
        self.border = size * BORDER
        self.pad = size * PAD + self.border
        self.boxes = 0

    def frame(self) -> tuple[float, float]:
        """Top and bottom of the body text on every page (below the DRAFT line, above the
        page number)."""
        top = MARGIN + (self.header_height() if self.doc.draft else 0.0)
        return top, A4[1] - MARGIN - self.footer_height()

    def header_height(self) -> float:
        return self.set(self.doc.label("draft"), bold=True).pitch + self.line

    def footer_height(self) -> float:
        widest = self.doc.label("page", page=888, pages=888)
        return self.set(widest).pitch + self.line / 2

    # segments -> lines

    def set(self, seg: Segment, *, size: float | None = None, bold: bool = False,
            width: float | None = None) -> Lines:
        v = voice(self.doc, seg)
        return lay_out(spans(seg.inlines, bold), v.chain, v.tag, v.rtl, size or self.size,
                       width or self.right - self.left)

    def text_rows(self, seg: Segment, area: tuple[float, float], *, size: float | None = None,
                  bold: bool = False, keep: bool = False, marker: Segment | None = None,
                  marker_area: tuple[float, float] | None = None, box: int = 0,
                  outline: int | None = None) -> list[Row]:
        """Rows of one segment set in `area` (left, right): aligned to its language's side,
        never an orphan or widow line; untranslated text gets its label and a side rule."""
        v = voice(self.doc, seg)
        rows: list[Row] = []
        rule = ""
        if seg.fallback:   # a bar on the document's starting side and a bold label above
            rule = "right" if self.rtl else "left"
            label = self.doc.label("untranslated")
            rows += self._rows(self.set(label, bold=True, width=area[1] - area[0]),
                               voice(self.doc, label), area, True, box, rule)
        lines = self.set(seg, size=size, bold=bold, width=area[1] - area[0])
        body = self._rows(lines, v, area, keep, box, rule)
        if marker is not None:
            mark = self.set(marker, size=size)
            first = body[0]
            x = marker_area[1] - mark.lines[0].width if self.rtl else marker_area[0]
            placed = Placed(mark.lines[0], x, first.items[0].baseline if first.items else mark.baseline,
                            mark.size, self.doc.locale.tag)
            body[0] = replace(first, items=first.items + (placed,))
        if outline is not None:
            body[0] = replace(body[0], outline=(seg.text.replace("\n", " "), outline))
        return rows + body

    def _rows(self, lines: Lines, v: Voice, area, keep: bool, box: int, rule: str) -> list[Row]:
        n = len(lines.lines)
        rows = []
        for k, line in enumerate(lines.lines):
            x = area[1] - line.width if v.rtl else area[0]
            tie = keep or k == 0 and n > 1 or k == n - 2
            rows.append(Row(lines.pitch, (Placed(line, x, lines.baseline, lines.size, v.tag),),
                            keep=tie, box=box, rule=rule))
        return rows

    def space(self, height: float, box: int = 0) -> Row:
        return Row(height, keep=True, space=True, box=box)

    # blocks -> rows

    def document(self) -> list[Row]:
        doc = self.doc
        rows = self.text_rows(doc.title, (self.left, self.right), size=self.size * HEADING_SCALE[1],
                              bold=True, outline=0)
        if doc.notices:
            rows.append(self.space(self.line))
            rows += self.box([(seg, self.text_rows) for seg in doc.notices])
        rows += self.blocks(doc.blocks, (self.left, self.right))
        rows += self.blocks(doc.footer, (self.left, self.right))
        return rows

    def blocks(self, blocks, area, box: int = 0) -> list[Row]:
        rows: list[Row] = []
        after_heading = False
        for block in blocks:
            if rows or not box:   # a line of space; half a line ties a heading to its text
                rows.append(self.space(self.line / 2 if after_heading else self.line, box))
            after_heading = isinstance(block, Heading)
            if isinstance(block, Heading):
                rows += self.text_rows(block.content, area, size=self.size * HEADING_SCALE[block.level],
                                       bold=True, keep=True, box=box, outline=block.level - 1)
            elif isinstance(block, Paragraph):
                rows += self.text_rows(block.content, area, box=box)
            elif isinstance(block, ListBlock):
                rows += self.list_rows(block, area, box)
            elif isinstance(block, Notice):
                rows += self.box([(b, None) for b in block.blocks])
        return rows

    def list_rows(self, block: ListBlock, area, box: int) -> list[Row]:
        markers = [self._marker(block, k) for k in range(len(block.items))]
        zone = max(self.set(m).lines[0].width for m in markers) + self.size / 2
        inner = (area[0], area[1] - zone) if self.rtl else (area[0] + zone, area[1])
        marker_area = (inner[1] + self.size / 2, area[1]) if self.rtl else (area[0], inner[0])
        rows: list[Row] = []
        for k, item in enumerate(block.items):
            if k:
                rows.append(self.space(self.line / 2, box))
            rows += self.text_rows(item.content, inner, marker=markers[k], marker_area=marker_area,
                                   box=box)
            for child in item.children:
                rows.append(self.space(self.line / 2, box))
                rows += self.list_rows(child, inner, box)
        return rows

    def _marker(self, block: ListBlock, k: int) -> Segment:
        text = f"{block.start + k}." if block.ordered else BULLET
        return Segment((Text(text),), text, self.doc.locale.tag)

    def box(self, content) -> list[Row]:
        """A notice: its blocks (or notice segments) inside a thick black border."""
        self.boxes += 1
        n = self.boxes
        inner = (self.left + self.pad, self.right - self.pad)
        rows = [Row(self.pad, keep=True, box=n, pad=True)]
        for k, (item, set_segment) in enumerate(content):
            if set_segment is not None:
                if k:
                    rows.append(self.space(self.line / 2, n))
                rows += set_segment(item, inner, box=n)
            else:
                rows += self.blocks((item,), inner, box=n)
        rows[-1] = replace(rows[-1], keep=True)
        return rows + [Row(self.pad, box=n, pad=True)]


# --- pages -----------------------------------------------------------------------------------

def paginate(rows: list[Row], height: float, pad: float) -> list[list[tuple[Row, float]]]:
    """Fill pages top to bottom: rows tied by `keep` move to the next page together (a heading
    and the first two lines after it, the first or last two lines of a paragraph), unless
    they would not fit on a page of their own. A box cut by a page gets its padding on both
    pages. Returns each page's rows with their distance from the top of the frame."""
    pages: list[list[tuple[Row, float]]] = []
    page: list[tuple[Row, float]] = []
    y = 0.0
    i = 0
    while i < len(rows):
        j = i
        while rows[j].keep and j + 1 < len(rows):
            j += 1
        unit = rows[i:j + 1]
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
            page.append((row, y))
            y += row.height
        i = j + 1
    if page or not pages:
        pages.append(page)
    return pages


class _Painter:
    """Draws paged rows with reportlab, plus the page furniture and the PDF's metadata."""

    def __init__(self, doc: Leaflet, composer: _Composer, build_date):
        self.doc, self.composer, self.build_date = doc, composer, build_date
        self.size = composer.size

    def paint(self, pages, top: float) -> bytes:
        doc, out = self.doc, BytesIO()
        canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1, lang=doc.locale.tag,
                        initialFontName=pdf_fonts.face(pdf_fonts.COMMON[0], False).reportlab.fontName)
        stamp = f"D:{self.build_date:%Y%m%d}000000+00'00'"
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.setTitle(doc.title.text)
        canvas.setAuthor(doc.meta.organisation)
        canvas.setSubject(doc.meta.department.text)
        canvas.setKeywords(doc.meta.id)
        canvas.setCreator("leaflets large-print writer")
        canvas.setViewerPreference("DisplayDocTitle", "true")
        canvas.showOutline()
        self.canvas = canvas
        bookmarks = 0
        for number, page in enumerate(pages, start=1):
            if doc.draft:
                self.centred(self.composer.set(doc.label("draft"), bold=True), MARGIN)
            for row, y in page:
                top_of_row = top + y
                for placed in row.items:
                    self.line(placed, A4[1] - top_of_row - placed.baseline)
                if row.outline:
                    bookmarks += 1
                    key = f"h{bookmarks}"
                    canvas.bookmarkHorizontal(key, 0, A4[1] - top_of_row + self.size)
                    canvas.addOutlineEntry(row.outline[0], key, row.outline[1], closed=False)
                if row.rule:
                    self.rule(row, top_of_row)
            self.boxes(page, top)
            label = self.composer.set(doc.label("page", page=number, pages=len(pages)))
            self.centred(label, A4[1] - MARGIN - label.pitch)
            canvas.showPage()
        canvas.save()
        return out.getvalue()

    def centred(self, lines: Lines, top: float) -> None:
        for k, line in enumerate(lines.lines):
            y = A4[1] - top - lines.baseline - k * lines.pitch
            self.line(Placed(line, (A4[0] - line.width) / 2, 0, lines.size, self.doc.locale.tag), y)

    def line(self, placed: Placed, baseline: float) -> None:
        """Each run of glyphs in its font at its place, wrapped in its logical text."""
        canvas, size = self.canvas, placed.size
        tag = "" if placed.lang == self.doc.locale.tag else f"/Lang ({placed.lang}) "
        for piece in placed.line.pieces:
            if piece.glyphs is None:
                continue
            x = placed.x + piece.x
            canvas.addLiteral(f"/Span <<{tag}/ActualText <FEFF{piece.text.encode('utf-16-be').hex()}>>> BDC")
            bold = piece.face.fake_bold
            if bold:   # fill and stroke the outlines; the state is restored after the run
                canvas.saveState()
                canvas.setLineWidth(size * FAKE_BOLD)
            text = canvas.beginText(x, baseline)   # a new text object per run: it starts
            # with a font operator, so reportlab's setRise never meets an empty run (its
            # IndexError with Noto Nastaliq Urdu when a run starts with a raised glyph)
            text.setFont(piece.face.reportlab.fontName, size)
            if bold:
                text.setTextRenderMode(2)
            text.textOut(piece.glyphs)
            canvas.drawText(text)
            if bold:
                canvas.restoreState()
            canvas.addLiteral("EMC")
            if piece.url:
                canvas.linkURL(piece.url, (x, baseline - size * 0.3, x + piece.width, baseline + size),
                               relative=0)

    def rule(self, row: Row, top_of_row: float) -> None:
        gap = self.size / 2
        c = self.composer
        x = c.left - gap if row.rule == "left" else c.right + gap
        self.canvas.setLineWidth(self.size * RULE)
        self.canvas.line(x, A4[1] - top_of_row, x, A4[1] - top_of_row - row.height)

    def boxes(self, page, top: float) -> None:
        c, pad = self.composer, self.composer.pad
        spans_: dict[int, list[float]] = {}
        for row, y in page:
            if row.box:
                start = y if row.pad else y - pad
                end = y + row.height + (0 if row.pad else pad)
                s = spans_.setdefault(row.box, [start, end])
                s[0], s[1] = min(s[0], start), max(s[1], end)
        self.canvas.setLineWidth(c.border)
        for start, end in spans_.values():
            half = c.border / 2
            self.canvas.rect(c.left + half, A4[1] - top - end + half, c.right - c.left - c.border,
                             end - start - c.border, stroke=1, fill=0)
