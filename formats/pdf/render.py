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
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from leaflets.errors import LeafletError
from leaflets.model import Leaflet
from leaflets.words import excerpt

from . import fonts as pdf_fonts
from . import tags
from .lines import SPACE, Line, Lines, Piece
from .pages import MARGIN, Composer, Placed, Row, paginate, voice
from .tags import Structure

SIZES = (16.0, 32.0)  # body sizes a request may ask for (large to giant print)
RULE = 1 / 6  # side rule beside untranslated text, in ems of the body
FAKE_BOLD = 0.035  # outline stroke that emboldens a one-weight font, in ems
LATIN_SCRIPTS = ("Latn", "Cyrl", "Grek")  # scripts whose documents set English words in their own font
ENGLISH = "en-GB"  # the language of English words kept in a translation (the source language)


def write(doc: Leaflet, options, tagged: bool = True) -> bytes:
    """The PDF; `tagged=False` leaves out the marked content and structure (for the benchmark
    of what tagging costs)."""
    size = float(options.size)
    if not SIZES[0] <= size <= SIZES[1]:
        raise LeafletError(
            f"large print size {size:g} pt is outside {SIZES[0]:g}-{SIZES[1]:g} pt",
            fix="ask for a body size from 16 (large print) to 32 (giant print)",
        )
    check_coverage(doc)
    composer = Composer(doc, size)
    rows = composer.document()
    top, bottom = composer.frame()
    pages = paginate(rows, bottom - top, composer.pad)
    return _Painter(doc, composer, options.build_date, tagged).paint(pages, top)


# --- coverage ---------------------------------------------------------------------------------


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
                f"{excerpt(seg.source, 60)!r} is in none of the large-print fonts for {seg.lang} "
                f"({', '.join(v.chain.names)})",
                fix="replace the character in the translation, or add a font that has it to formats/pdf_fonts.py",
            )


class _Painter:
    """Draws paged rows with reportlab, each run of text in marked content of its structure
    element and the page furniture as artifacts, plus the PDF's metadata."""

    def __init__(self, doc: Leaflet, composer: Composer, build_date, tagged: bool = True):
        self.doc, self.composer, self.build_date = doc, composer, build_date
        self.size = composer.size
        self.tagged = tagged
        self.structure = Structure(composer.root)
        self.latin = doc.locale.script in LATIN_SCRIPTS

    def paint(self, pages, top: float) -> bytes:
        doc, out = self.doc, BytesIO()
        canvas = Canvas(
            out,
            pagesize=A4,
            invariant=1,
            pageCompression=1,
            lang=doc.locale.tag,
            initialFontName=pdf_fonts.face(pdf_fonts.COMMON[0], False).reportlab.fontName,
        )
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
        draft = self.composer.set(doc.label("draft"), bold=True) if doc.draft else None
        for number, page in enumerate(pages, start=1):
            self.structure.new_page()
            if draft:
                self.artifact(tags.PAGINATION.format("Header"), lambda: self.centred(draft, MARGIN))
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
                    self.artifact(tags.LAYOUT, lambda row=row, t=top_of_row: self.rule(row, t))
            if any(row.box for row, _ in page):
                self.artifact(tags.LAYOUT, lambda: self.boxes(page, top))
            label = self.composer.set(doc.label("page", page=number, pages=len(pages)))
            self.artifact(
                tags.PAGINATION.format("Footer"), lambda: self.centred(label, A4[1] - MARGIN - label.height)
            )
            canvas.showPage()
        canvas.save()
        if not self.tagged:
            return out.getvalue()
        return self.structure.finish(out.getvalue(), doc.title.text, doc.meta.organisation)

    def artifact(self, kind: str, draw) -> None:
        """Page furniture (running header and footer, rules, box borders): no structure."""
        if self.tagged:
            self.canvas.addLiteral(kind)
        draw()
        if self.tagged:
            self.canvas.addLiteral(tags.END)

    def centred(self, lines: Lines, top: float) -> None:
        for k, line in enumerate(lines.lines):
            y = A4[1] - top - lines.baseline - k * lines.pitch
            self.line(Placed(line, (A4[0] - line.width) / 2, 0, lines.size, self.doc.locale.tag), y)

    def line(self, placed: Placed, baseline: float) -> None:
        """Each run of glyphs in its font at its place, in logical order, each word of it in
        marked content carrying its logical text (spaces included, and one at the end of the
        line, so that the text read from the structure has its word breaks)."""
        units = _units(placed.line)
        for k, (piece, start, end, text) in enumerate(units):
            element = placed.element
            link = element.link(piece.link, piece.url) if element is not None and piece.link else None
            if link is not None:
                element = link
            if element is not None and self._english(piece, placed):
                element = element.child("Span", ENGLISH)
            if k == len(units) - 1:
                text += " "
            x = placed.x + piece.x + _advance(piece, start) * placed.size / 1000
            tagged = self.tagged and element is not None
            if tagged:
                self.canvas.addLiteral(self.structure.begin(element, text))
            self.glyphs(piece, start, end, x, baseline, placed.size)
            if tagged:
                self.canvas.addLiteral(tags.END)
            if link is not None and self.tagged:
                width = _advance(piece, end) * placed.size / 1000 - (x - placed.x - piece.x)
                box = (x, baseline - placed.size * 0.3, x + width, baseline + placed.size)
                self.structure.link_area(link, text, box)

    def _english(self, piece: Piece, placed: Placed) -> bool:
        """Latin letters drawn in Noto Sans in a document of another script: English kept in
        the translation (drug names, NHS, addresses), which a screen reader must say in English."""
        return (
            not self.latin
            and placed.lang == self.doc.locale.tag
            and piece.face.family.name == pdf_fonts.COMMON[0]
            and any("LATIN" in unicodedata.name(ch, "") for ch in piece.text)
        )

    def glyphs(self, piece: Piece, start: int, end: int, x: float, baseline: float, size: float) -> None:
        canvas = self.canvas
        bold = piece.face.fake_bold
        if bold:  # fill and stroke the outlines; the state is restored after the run
            canvas.saveState()
            canvas.setLineWidth(size * FAKE_BOLD)
        text = canvas.beginText(x, baseline)  # a new text object per run: it starts
        # with a font operator, so reportlab's setRise never meets an empty run (its
        # IndexError with Noto Nastaliq Urdu when a run starts with a raised glyph)
        text.setFont(piece.face.reportlab.fontName, size)
        if bold:
            text.setTextRenderMode(2)
        assert piece.glyphs is not None
        text.textOut(piece.glyphs[start:end])
        canvas.drawText(text)
        if bold:
            canvas.restoreState()

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
            self.canvas.rect(
                c.left + half,
                A4[1] - top - end + half,
                c.right - c.left - c.border,
                end - start - c.border,
                stroke=1,
                fill=0,
            )


# --- logical text ------------------------------------------------------------------------------


def _advance(piece: Piece, glyph: int) -> float:
    """Where a run's `glyph`th glyph starts, in thousandths of the size from the run's left end."""
    assert piece.glyphs is not None
    return sum(d.x_advance for d in piece.glyphs.__shapeData__[:glyph])


def _units(line: Line) -> list[tuple[Piece, int, int, str]]:
    """What one line draws, in logical order: (run, first glyph, end glyph, logical text).
    A left-to-right run is one unit; a right-to-left run is cut into its words (each with the
    spaces after it), drawn from the right, so that the words follow each other in reading
    order in the content stream too. The text of a run with nothing to draw (spaces between
    runs) goes with the unit before it."""
    units: list[tuple[Piece, int, int, str]] = []
    for piece in line.pieces:
        if piece.glyphs is None:
            if units:
                p, a, b, text = units[-1]
                units[-1] = (p, a, b, text + piece.text)
            continue
        if not piece.rtl:
            units.append((piece, 0, len(piece.glyphs), piece.text))
            continue
        units += _words(piece)
    return units


def _words(piece: Piece) -> list[tuple[Piece, int, int, str]]:
    """A right-to-left run's words in logical order, each with its glyphs (HarfBuzz gives them
    in visual order: logical character positions, the clusters, fall from left to right)."""
    assert piece.glyphs is not None
    data = piece.glyphs.__shapeData__
    text, n = piece.text, len(data)
    # glyph k belongs to the cluster starting at character data[k].cluster; a word starts at
    # a cluster that is not a space and follows one (or starts the run)
    starts = sorted({d.cluster for d in data})
    words: list[tuple[Piece, int, int, str]] = []
    first = 0  # character where the current word starts
    bounds = [c for c in starts if c > 0 and text[c] != SPACE and text[c - 1] == SPACE] + [len(text)]
    for end in bounds:
        glyphs = [k for k in range(n) if first <= data[k].cluster < end]
        words.append((piece, min(glyphs), max(glyphs) + 1, text[first:end]))
        first = end
    return words
