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
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from leaflets.errors import LeafletError
from leaflets.model import Leaflet
from leaflets.words import excerpt

from . import fonts as pdf_fonts
from . import tags
from .lines import Lines, Piece
from .pages import MARGIN, Composer, Placed, Row, paginate, voice
from .tags import Element, Structure

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
            self.artifact(tags.PAGINATION.format("Footer"), lambda: self.centred(label, A4[1] - MARGIN - label.height))
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
        """Each run of glyphs in its font at its place, runs in logical order, each piece of a
        run in marked content carrying its logical text (see `_units`); a space ends the line's
        text, so that the text read from the structure keeps its word breaks."""
        pieces = placed.line.pieces
        for k, piece in enumerate(pieces):
            element = placed.element
            link = element.link(piece.link, piece.url) if element is not None and piece.link else None
            if link is not None:
                element = link
            if element is not None and self._english(piece, placed):
                element = element.child("Span", ENGLISH)
            units = _units(piece, k == len(pieces) - 1)
            opens = [self._open(element, u.text) for u in units]
            drawn = list(zip(units, opens, strict=True))
            for unit, op in reversed(drawn) if piece.rtl else drawn:  # left to right
                if op:
                    self.canvas.addLiteral(op)
                self.glyphs(piece, unit, placed.x + piece.x, baseline, placed.size)
                if op:
                    self.canvas.addLiteral(tags.END)
            if link is not None and self.tagged:
                x = placed.x + piece.x
                box = (x, baseline - placed.size * 0.3, x + piece.width, baseline + placed.size)
                self.structure.link_area(link, piece.text, box)

    def _open(self, element: Element | None, text: str) -> str:
        """The operator opening a unit's marked content: tagged (with an MCID) in an element;
        in page furniture (an artifact) a Span with only its ActualText, for copying."""
        if not self.tagged:
            return ""
        if element is None:
            return tags.span(text)
        return self.structure.begin(element, text)

    def _english(self, piece: Piece, placed: Placed) -> bool:
        """Latin letters drawn in Noto Sans in a document of another script: English kept in
        the translation (drug names, NHS, addresses), which a screen reader must say in English."""
        return (
            not self.latin
            and placed.lang == self.doc.locale.tag
            and piece.face.family.name == pdf_fonts.COMMON[0]
            and any("LATIN" in unicodedata.name(ch, "") for ch in piece.text)
        )

    def glyphs(self, piece: Piece, unit: Unit, x: float, baseline: float, size: float) -> None:
        """A unit's glyphs of a run that starts at `x`, between its anchors if it has a span.
        An anchor is the space glyph, invisible and squeezed to 1% of its width."""
        canvas = self.canvas
        bold = piece.face.fake_bold
        if bold:  # fill and stroke the outlines; the state is restored after the run
            canvas.saveState()
            canvas.setLineWidth(size * FAKE_BOLD)
        font = piece.face.reportlab.fontName
        glyphs_at = x + _advance(piece, unit.start) * size / 1000
        text = canvas.beginText(glyphs_at, baseline)  # a new text object per run: it starts
        # with a font operator, so reportlab's setRise never meets an empty run (its
        # IndexError with Noto Nastaliq Urdu when a run starts with a raised glyph)
        text.setFont(font, size)
        if unit.span is not None:  # a unit of spaces: its glyph-reading text is the space
            self.anchor(text, piece, x + unit.span[0] * size / 1000, baseline, unit.text if unit.text.isspace() else "")
        if unit.start < unit.end:
            assert piece.glyphs is not None
            text.setTextOrigin(glyphs_at, baseline)
            text.setFont(font, size)
            text.setTextRenderMode(2 if bold else 0)
            text.textOut(piece.glyphs[unit.start : unit.end])
        if unit.span is not None:
            self.anchor(text, piece, x + unit.span[1] * size / 1000, baseline, "")
        canvas.drawText(text)
        if bold:
            canvas.restoreState()

    @staticmethod
    def anchor(text, piece: Piece, x: float, baseline: float, stands: str) -> None:
        text.setTextOrigin(x, baseline)
        text.setFont(piece.face.reportlab.fontName, text._fontsize)
        text.setRise(0)  # the last glyph may have left the text raised
        text.setTextRenderMode(3)
        text.setHorizScale(1)
        text.textOut(piece.face.anchor(stands))
        text.setHorizScale(100)

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
    if piece.glyphs is None:
        return 0.0
    return sum(d.x_advance for d in piece.glyphs.__shapeData__[:glyph])


@dataclass(frozen=True)
class Unit:
    """A piece of a run's logical text and the glyphs that show it (start..end, none if equal).
    `span` (from, to, in thousandths of the size from the run's left end) puts an invisible
    anchor glyph on the baseline at each end: text extraction then finds `text` there."""

    start: int
    end: int
    text: str
    span: tuple[float, float] | None = None


def _units(piece: Piece, last: bool) -> list[Unit]:
    """A run's logical text in units, in logical order.

    A left-to-right run is one unit. A right-to-left run is one unit per character, each
    anchored on its share of its cluster (the first character at the right), its cluster's
    glyphs drawn with the cluster's first character: poppler (pdftotext, Evince) spreads an
    /ActualText over its glyphs from left to right and then reverses right-to-left stretches,
    so a right-to-left ActualText of several characters comes out backwards, and it reads a
    Nastaliq glyph's raised or lowered origin as another line. Spaces with nothing to draw
    (between runs) and the space that ends the line are anchored units with no glyphs."""
    if piece.glyphs is None:
        units = [Unit(0, 0, piece.text, (0.0, piece.width * 1000 / _size(piece)))]
    elif not piece.rtl:
        units = [Unit(0, len(piece.glyphs), piece.text)]
    else:
        units = [u for cluster in _clusters(piece) for u in _letters(piece, *cluster)]
    if last:
        end = 0.0 if piece.rtl or piece.glyphs is None else _advance(piece, len(piece.glyphs))
        units.append(Unit(0, 0, " ", (end, end)))
    return units


def _size(piece: Piece) -> float:
    """The size a run is set in (its width is in points, its advances in thousandths)."""
    ems = _advance(piece, len(piece.glyphs)) if piece.glyphs is not None else 0.0
    return piece.width * 1000 / ems if ems else 1000.0


def _clusters(piece: Piece) -> list[tuple[int, int, str]]:
    """A right-to-left run's clusters in logical order with their glyphs (HarfBuzz gives the
    glyphs in visual order: their clusters, character positions, fall from left to right)."""
    assert piece.glyphs is not None
    data = piece.glyphs.__shapeData__
    spans: list[list[int]] = []  # [first glyph, end glyph, cluster]
    for k, d in enumerate(data):
        if spans and spans[-1][2] == d.cluster:
            spans[-1][1] = k + 1
        else:
            spans.append([k, k + 1, d.cluster])
    spans.reverse()
    ends = [c for _, _, c in spans[1:]] + [len(piece.text)]
    return [(a, b, piece.text[c:e]) for (a, b, c), e in zip(spans, ends, strict=True)]


def _letters(piece: Piece, start: int, end: int, text: str) -> list[Unit]:
    """One unit per character of a right-to-left cluster, right to left over its width."""
    left, right = _advance(piece, start), _advance(piece, end)
    share = (right - left) / len(text)
    return [
        Unit(start if k == 0 else 0, end if k == 0 else 0, ch, (right - (k + 1) * share, right - k * share))
        for k, ch in enumerate(text)
    ]
