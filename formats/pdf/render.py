"""Large-print PDF writer (UKAAF / RNIB clear and large print rules; see the team notes).

A4, sans serif, body 18 pt by default or `options.size` (16-32, giant print) with every other
size scaled from it and none smaller; headings bold, larger and kept with what follows;
emphasis bold; ragged left (right for right-to-left text); leading >= 1.5x; a line of space
between paragraphs; no hyphenation; important notices in a thick black box; "Page X of Y" at
the foot of every page; black on white. Each segment is set in its own language's fonts and
direction by `lines`, stacked into rows and paged by `pages`; this module draws them with
reportlab, each run in marked content of its structure element (`tags`) carrying its logical
text (/ActualText), right-to-left text one character at a time so that every extractor reads
it in logical order (see `_units`), page furniture as artifacts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from itertools import accumulate

from pikepdf import Pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from leaflets.errors import LeafletError
from leaflets.model import Leaflet
from leaflets.words import excerpt

from . import fonts as pdf_fonts
from . import tags, unicode
from .lines import Lines, Piece
from .pages import MARGIN, Composer, Figure, Placed, Row, paginate, voice
from .tags import Element, Structure

RULE = 1 / 6  # side rule beside untranslated text, in ems of the body
GRID = 1 / 18  # table lines, in ems of the body (1 pt at 18 pt)
FAKE_BOLD = 0.035  # outline stroke that emboldens a one-weight font, in ems
LATIN_SCRIPTS = ("Latn", "Cyrl", "Grek")  # scripts whose documents set English words in their own font
ENGLISH = "en-GB"  # the language of English words kept in a translation (the source language)


def write(doc: Leaflet, options, tagged: bool = True) -> bytes:
    """The PDF; `tagged=False` leaves out the marked content and structure (for the benchmark
    of what tagging costs)."""
    size = float(options.size)  # 16-32: the options record refuses any other
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
                fix="replace the character in the translation, or add a font that has it to formats/pdf/fonts.py",
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
        self.anchors: dict[tuple[str, str, float], str] = {}  # see _anchor

    def paint(self, pages, top: float) -> bytes:
        doc, out = self.doc, BytesIO()
        canvas = Canvas(
            out,
            pagesize=A4,
            invariant=1,
            pageCompression=0,  # pikepdf compresses, much faster than reportlab's ASCII85 in Python
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
                with self.artifact(tags.PAGINATION.format("Header")):
                    self.centred(draft, MARGIN)
            for row, y in page:
                top_of_row = top + y
                if row.repeat:  # a table's header again on a later page: page furniture
                    with self.artifact(tags.LAYOUT):
                        for placed in row.items:
                            self.line(placed, A4[1] - top_of_row - placed.baseline)
                    continue
                for placed in row.items:
                    if not placed.line.pieces and placed.element is not None:
                        placed.element.attach()  # an empty table cell: still a cell of its row
                    self.line(placed, A4[1] - top_of_row - placed.baseline)
                if row.figure is not None:
                    self.figure(row.figure, A4[1] - top_of_row)
                if row.outline:
                    bookmarks += 1
                    key = f"h{bookmarks}"
                    canvas.bookmarkHorizontal(key, 0, A4[1] - top_of_row + self.size)
                    canvas.addOutlineEntry(row.outline[0], key, row.outline[1], closed=False)
                if row.rule:
                    with self.artifact(tags.LAYOUT):
                        self.rule(row, top_of_row)
            if any(row.box for row, _ in page):
                with self.artifact(tags.LAYOUT):
                    self.boxes(page, top)
            if any(row.grid for row, _ in page):
                with self.artifact(tags.LAYOUT):
                    self.grid(page, top)
            label = self.composer.set(doc.label("page", page=number, pages=len(pages)))
            with self.artifact(tags.PAGINATION.format("Footer")):
                self.centred(label, A4[1] - MARGIN - label.height)
            canvas.showPage()
        canvas.save()
        if self.tagged:
            return self.structure.finish(out.getvalue(), doc.title.text, doc.meta.organisation)
        with Pdf.open(BytesIO(out.getvalue())) as untagged:  # its glyphs still need their text
            unicode.fix(untagged)
            return tags.save(untagged)

    @contextmanager
    def artifact(self, kind: str) -> Iterator[None]:
        """Page furniture (running header and footer, rules, box borders): no structure."""
        if self.tagged:
            self.canvas.addLiteral(kind)
        yield
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
            pen = _pen(piece)
            units = _units(piece, pen, placed.size, k == len(pieces) - 1)
            opens = [self._open(element, u.text) for u in units]
            drawn = list(zip(units, opens, strict=True))
            x = placed.x + piece.x
            for unit, op in reversed(drawn) if piece.rtl else drawn:  # left to right
                if op:
                    self.canvas.addLiteral(op)
                if unit.span is None:
                    self.run(piece, x, baseline, placed.size)
                else:
                    self.canvas.addLiteral(self.anchored(piece, unit, pen, x, baseline, placed.size))
                if op:
                    self.canvas.addLiteral(tags.END)
            if link is not None and self.tagged:
                x = placed.x + piece.x
                box = (x, baseline - placed.size * 0.3, x + piece.width, baseline + placed.size)
                self.structure.link_area(link, "".join(u.text for u in units), box)

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

    def run(self, piece: Piece, x: float, baseline: float, size: float) -> None:
        """A left-to-right run's glyphs from `x`, by reportlab."""
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
        text.textOut(piece.glyphs)
        canvas.drawText(text)
        if bold:
            canvas.restoreState()

    def anchored(self, piece: Piece, unit: Unit, pen: list[float], x: float, baseline: float, size: float) -> str:
        """The text operators for a unit with a span: an invisible anchor (the space glyph,
        squeezed to 1% of its width) at each end of the span on the baseline, and between
        them the unit's glyphs, each at its own place (written here rather than by reportlab,
        whose rise bookkeeping raises the glyphs after two rise changes in a row)."""
        assert unit.span is not None
        font, doc = piece.face.reportlab, self.canvas._doc
        left, right = (x + v * size / 1000 for v in unit.span)
        first = unit.text if unit.start == unit.end and unit.text.isspace() else ""
        ops = [f"BT 3 Tr 1 Tz 1 0 0 1 {left:.3f} {baseline:.3f} Tm {self._anchor(piece, first, size)} 100 Tz"]
        if unit.start < unit.end:
            assert piece.glyphs is not None
            ops.append("2 Tr" if piece.face.fake_bold else "0 Tr")
            data = piece.glyphs.__shapeData__
            k = unit.start
            for subset, codes in font.splitString(piece.glyphs[unit.start : unit.end], doc):
                ops.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf")
                for code in codes:
                    d = data[k]
                    at = (x + (pen[k] + d.x_offset) * size / 1000, baseline + d.y_offset * size / 1000)
                    ops.append(f"1 0 0 1 {at[0]:.3f} {at[1]:.3f} Tm <{code:02x}> Tj")
                    k += 1
            ops.append("3 Tr")
        ops.append(f"1 Tz 1 0 0 1 {right:.3f} {baseline:.3f} Tm {self._anchor(piece, '', size)} 100 Tz 0 Tr ET")
        return " ".join(ops)

    def _anchor(self, piece: Piece, stands: str, size: float) -> str:
        """The operators showing an anchor (see `Face.anchor`) in a run's font."""
        key = (piece.face.pdf_name, stands, size)
        if key not in self.anchors:
            font, doc = piece.face.reportlab, self.canvas._doc
            ((subset, code),) = font.splitString(piece.face.anchor(stands), doc)
            self.anchors[key] = f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf <{code.hex()}> Tj"
        return self.anchors[key]

    def rule(self, row: Row, top_of_row: float) -> None:
        gap = self.size / 2
        c = self.composer
        x = c.left - gap if row.rule == "left" else c.right + gap
        self.canvas.setLineWidth(self.size * RULE)
        self.canvas.line(x, A4[1] - top_of_row, x, A4[1] - top_of_row - row.height)

    def figure(self, figure: Figure, top: float) -> None:
        """A picture in the Figure's marked content; its bounding box goes into the structure."""
        from reportlab.lib.utils import ImageReader

        bottom = top - figure.height
        if self.tagged:
            self.canvas.addLiteral(self.structure.figure(figure.element))
            box = [round(v, 2) for v in (figure.x, bottom, figure.x + figure.width, top)]
            figure.element.attributes["Layout"] = {"BBox": box}
        image = ImageReader(BytesIO(figure.data))
        self.canvas.drawImage(image, figure.x, bottom, figure.width, figure.height, mask="auto")
        if self.tagged:
            self.canvas.addLiteral(tags.END)

    def grid(self, page, top: float) -> None:
        """The lines round every cell of the tables on a page: each column edge once down each
        stretch of table lines, a horizontal at the top and bottom of each table row (and along
        the top of a stretch: a header repeated on this page). Written as one path of raw
        operators: reportlab's line() costs more than the rest of a table."""
        ops = [f"{self.size * GRID:.2f} w"]
        stretch: list[tuple[Row, float]] = []
        for row, y in [*page, (Row(0.0), 0.0)]:  # a last row with no grid ends the last stretch
            if row.grid and (not stretch or stretch[-1][0].grid == row.grid):
                stretch.append((row, y))
                continue
            if stretch:
                ops += _grid_path(stretch, A4[1] - top)
            stretch = [(row, y)] if row.grid else []
        self.canvas.addLiteral(" ".join(ops))

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


def _grid_path(stretch: list[tuple[Row, float]], top: float) -> list[str]:
    """Path operators for one stretch of table lines (rows of one grid, one under the other)."""
    edges = stretch[0][0].grid
    upper = top - stretch[0][1]
    lower = top - stretch[-1][1] - stretch[-1][0].height
    ops = [f"{x:.2f} {upper:.2f} m {x:.2f} {lower:.2f} l" for x in edges]
    across = {upper}
    for row, y in stretch:
        if row.rules[0]:
            across.add(top - y)
        if row.rules[1]:
            across.add(top - y - row.height)
    ops += [f"{edges[0]:.2f} {h:.2f} m {edges[-1]:.2f} {h:.2f} l" for h in sorted(across, reverse=True)]
    return [*ops, "S"]


# --- logical text ------------------------------------------------------------------------------


def _pen(piece: Piece) -> list[float]:
    """Where each glyph of a run starts (and, last, where the run ends), in thousandths of
    the size from the run's left end."""
    data = piece.glyphs.__shapeData__ if piece.glyphs is not None else []
    return list(accumulate((d.x_advance for d in data), initial=0.0))


@dataclass(frozen=True)
class Unit:
    """A piece of a run's logical text and the glyphs that show it (start..end, none if equal).
    `span` (from, to, in thousandths of the size from the run's left end) puts an invisible
    anchor glyph on the baseline at each end: text extraction then finds `text` there."""

    start: int
    end: int
    text: str
    span: tuple[float, float] | None = None


def _units(piece: Piece, pen: list[float], size: float, last: bool) -> list[Unit]:
    """A run's logical text in units, in logical order.

    A left-to-right run is one unit. A right-to-left run is one unit per character, each
    anchored on its share of its cluster (the first character at the right), its cluster's
    glyphs drawn with the cluster's first character: poppler (pdftotext, Evince) spreads an
    /ActualText over its glyphs from left to right and then reverses right-to-left stretches,
    so a right-to-left ActualText of several characters comes out backwards, and it reads a
    Nastaliq glyph's raised or lowered origin as another line. Spaces with nothing to draw
    (between runs) are anchored units with no glyphs. The line's last run ends with a space."""
    end = " " if last else ""
    if piece.glyphs is None:
        return [Unit(0, 0, piece.text + end, (0.0, piece.width * 1000 / size))]
    if not piece.rtl:
        return [Unit(0, len(piece.glyphs), piece.text + end)]
    units = [u for word in _words(_clusters(piece)) for u in _letters(pen, word)]
    return [*units, Unit(0, 0, end, (0.0, 0.0))] if last else units


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


def _words(clusters: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Clusters (in logical order) grouped into words; each space on its own."""
    words: list[list[tuple[int, int, str]]] = []
    for cluster in clusters:
        if words and not cluster[2].isspace() and not words[-1][-1][2].isspace():
            words[-1].append(cluster)
        else:
            words.append([cluster])
    return words


def _letters(pen: list[float], word: list[tuple[int, int, str]]) -> list[Unit]:
    """One unit per character of a right-to-left word, the word's width shared out evenly from
    the right, each cluster's glyphs drawn with its first character. Even shares, not the
    clusters' own: a Nastaliq cluster can be narrow or even go backwards (an advance < 0),
    and poppler takes a character less than 0.1 em after the one before for a duplicate."""
    left = min(pen[i] for a, b, _ in word for i in (a, b))
    right = max(pen[i] for a, b, _ in word for i in (a, b))
    share = (right - left) / sum(len(text) for _, _, text in word)
    units, k = [], 0
    for a, b, text in word:
        for n, ch in enumerate(text):
            glyphs = (a, b) if n == 0 else (0, 0)
            units.append(Unit(*glyphs, ch, (right - (k + 1) * share, right - k * share)))
            k += 1
    return units
