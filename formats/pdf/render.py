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
from .lines import Lines
from .pages import MARGIN, Composer, Placed, Row, paginate, voice

SIZES = (16.0, 32.0)  # body sizes a request may ask for (large to giant print)
RULE = 1 / 6  # side rule beside untranslated text, in ems of the body
FAKE_BOLD = 0.035  # outline stroke that emboldens a one-weight font, in ems


def write(doc: Leaflet, options) -> bytes:
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
    return _Painter(doc, composer, options.build_date).paint(pages, top)


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
    """Draws paged rows with reportlab, plus the page furniture and the PDF's metadata."""

    def __init__(self, doc: Leaflet, composer: Composer, build_date):
        self.doc, self.composer, self.build_date = doc, composer, build_date
        self.size = composer.size

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
            if draft:
                self.centred(draft, MARGIN)
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
            self.centred(label, A4[1] - MARGIN - label.height)
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
            if bold:  # fill and stroke the outlines; the state is restored after the run
                canvas.saveState()
                canvas.setLineWidth(size * FAKE_BOLD)
            text = canvas.beginText(x, baseline)  # a new text object per run: it starts
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
                canvas.linkURL(piece.url, (x, baseline - size * 0.3, x + piece.width, baseline + size), relative=0)

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
