"""Word writer: the accessible .docx, for screen-reader users, for enlarging or e-mailing the
text, and for PALS staff who adapt a copy.

Structure, not looks: the title is the only Heading 1, sections are Heading 2/3, lists are
List Bullet / List Number paragraphs (List ... 2 when nested), the important notice is the
bordered Notice style, links are real hyperlinks, and nothing is laid out with empty
paragraphs or spaces. Every paragraph and run carries the language and direction of its own
text, so an English stand-in inside a draft translation is tagged English (and marked). The
page footer holds the leaflet code and a PAGE field; a draft says so in every page header.
Word does the bidirectional layout itself: runs stay in logical order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, time
from itertools import groupby

import docx as python_docx
from docx.oxml.ns import qn

from leaflets import pictures
from leaflets.errors import LeafletError
from leaflets.model import (
    Emphasis,
    Heading,
    Inline,
    Leaflet,
    LineBreak,
    Link,
    ListBlock,
    Notice,
    Paragraph,
    Picture,
    Segment,
    Strong,
    Table,
    Text,
)
from leaflets.words import excerpt

from . import fonts as docx_fonts
from . import ooxml as x
from . import styles as docx_styles

# Latin words (drug names, "MRI", web addresses) inside right-to-left text: they go in runs
# without w:rtl, so Word sets them in the Latin font instead of the Arabic-script one.
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f]|[-./:@_'\u2019](?=[A-Za-z0-9]))*")
# Page-number placeholders of the shared "page" label, written as Word fields.
_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
_PLACEHOLDER = re.compile(r"\{(" + "|".join(_FIELDS) + r")\}")


def write(doc: Leaflet, options) -> bytes:
    size = float(options.size)  # 16-32: the options record refuses any other
    script = docx_fonts.script(doc.locale)
    word = python_docx.Document(io.BytesIO(docx_styles.template(script, size)))
    writer = _Writer(doc, word, script, size)
    writer.paragraph(writer.new(), doc.title, "Heading1")
    if doc.notices:  # the box is kept together, not with the title (as in the large print)
        writer.end_box()
    for notice in doc.notices:
        writer.paragraph(writer.new(), notice, "Notice")
    writer.end_box()
    writer.blocks(doc.blocks)
    writer.blocks(doc.footer)
    writer.page_furniture()
    _core_properties(word, doc, options.build_date)
    out = io.BytesIO()
    word.save(out)
    return x.fixed_dates(out.getvalue(), options.build_date)


class _Writer:
    def __init__(self, doc: Leaflet, word, script: docx_fonts.Script, size: float):
        self.doc, self.word, self.script, self.size = doc, word, script, size
        self.numbering = word.part.numbering_part.element
        self.level = 1  # the last heading level written; the title is level 1

    def new(self):
        return self.word.element.body.add_p()

    def end_box(self) -> None:
        """The last paragraph written is not kept with the next: the end of a notice (the Notice
        style keeps each of its paragraphs with the next, so that the box stays on one page)."""
        last = self.word.element.body.xpath("./w:p[last()]")
        if last:
            last[0].get_or_add_pPr().keepNext_val = False

    # --- blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks, boxed: bool = False) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self._check_level(block)
                self.paragraph(self.new(), block.content, f"Heading{block.level}")
            elif isinstance(block, Paragraph):
                self.paragraph(self.new(), block.content, "Notice" if boxed else "Normal")
            elif isinstance(block, ListBlock):
                self._list(block, 0, boxed)
            elif isinstance(block, Notice) and block.quotation:
                self._quotation(block)
            elif isinstance(block, Notice):
                if block.label:  # said in words too: a screen reader does not announce a border
                    label = block.label
                    self.paragraph(self.new(), replace(label, inlines=(Strong(label.inlines),)), "Notice")
                self.blocks(block.blocks, boxed=True)
                self.end_box()
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Picture):
                self._picture(block)

    def _quotation(self, quote: Notice) -> None:
        """A quotation: its paragraphs indented by a line's height on both sides, not boxed (a box
        is a notice's)."""
        body = self.word.element.body
        before = len(body)
        self.blocks(quote.blocks)
        for p in body[before - 1 : len(body) - 1]:  # the section properties stay last
            if p.tag == qn("w:p"):
                x.put(p.get_or_add_pPr(), x.indent(2 * self.size, 2 * self.size), x.PPR_ORDER)

    def _table(self, table: Table) -> None:
        """A real table: the header row marked to repeat on every page (w:tblHeader, which screen
        readers also announce as column headers) and never split across pages, each cell in the
        language of its text; a right-to-left document's table is laid out right to left
        (w:bidiVisual), so its first column is on the right."""
        docx_styles.add_table_style(self.word.styles.element)
        grid = self.word.add_table(rows=1 + len(table.rows), cols=len(table.header))
        grid.style = self.word.styles["Table Grid"]
        tbl_pr = grid._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))
        width.set(qn("w:w"), "5000")  # the whole text column
        width.set(qn("w:type"), "pct")
        if self.script.rtl:
            tbl_pr.insert(1, x.el("w:bidiVisual"))
        tbl_pr.append(x.el("w:tblCaption", {"w:val": ", ".join(h.text for h in table.header)[:255]}))
        for r, row in enumerate(grid.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(x.el("w:cantSplit"))
            if r == 0:
                tr_pr.append(x.el("w:tblHeader"))
            cells = table.header if r == 0 else table.rows[r - 1]
            for cell, seg in zip(row.cells, cells, strict=True):
                p = cell.paragraphs[0]._p
                if seg is None:  # an empty cell keeps the paragraph OOXML requires, styled as the rest
                    self._empty_cell(p)
                elif r == 0:
                    self.paragraph(p, replace(seg, inlines=(Strong(seg.inlines),)), "Normal")
                else:
                    self.paragraph(p, seg, "Normal")

    def _empty_cell(self, p) -> None:
        children = [x.el("w:pStyle", {"w:val": "Normal"})] + ([x.bidi()] if self.script.rtl else [])
        p.insert(0, x.props("w:pPr", children, x.PPR_ORDER))

    def _picture(self, picture: Picture) -> None:
        """An inline picture in a paragraph of its own, its alt text as the description
        (wp:docPr/@descr, what Word's accessibility checker and screen readers read), at most as
        wide as the text column; the caption under it, kept with it."""
        from docx.shared import Pt

        width = min(docx_styles.text_width(), picture.width * 0.75)  # pixels at 96 per inch
        height = width * picture.height / picture.width
        p = self.new()
        self._paragraph_properties(p, picture.alt, "Normal")
        p.pPr.keepNext_val = picture.caption is not None
        data = picture.data
        if picture.media_type == "image/svg+xml":  # Word's SVG needs a PNG beside it: the PNG at 300 per inch
            data = pictures.raster(data, max(1, round(width / 72 * 300)))
        inline = self.word.part.new_pic_inline(io.BytesIO(data), Pt(width), Pt(height))
        doc_pr = inline.docPr
        doc_pr.set("name", picture.name)
        doc_pr.set("descr", picture.alt.text)
        p.add_r().add_drawing(inline)
        if picture.caption is not None:
            self.paragraph(self.new(), picture.caption, "Normal")

    def _check_level(self, heading: Heading) -> None:
        if not 2 <= heading.level <= self.level + 1:
            raise LeafletError(
                f'{self.doc.locale.code}: heading "{excerpt(heading.content.source, 60)}" is level {heading.level} '
                f"after level {self.level}: Word headings must not skip levels and only the title is level 1",
                self.doc.path,
                heading.content.line,
                fix="use ## for sections and ### only inside a ## section",
            )
        self.level = heading.level

    def _list(self, block: ListBlock, depth: int, boxed: bool) -> None:
        style = ("ListNumber" if block.ordered else "ListBullet") + ("2" if depth else "")
        num_id = None
        if block.ordered:  # each numbered list counts from its own start
            num = self.numbering.add_num(docx_styles.abstract_num_id(style))
            num.add_lvlOverride(0).add_startOverride(block.start)
            num_id = num.numId
        for item in block.items:
            self.paragraph(self.new(), item.content, style, num_id=num_id, boxed=boxed)
            for child in item.children:
                self._list(child, depth + 1, boxed)

    # --- one paragraph --------------------------------------------------------------------------

    def paragraph(self, p, seg: Segment, style: str, num_id: int | None = None, boxed: bool = False) -> None:
        """Fill the w:p `p` with a segment in `style`; in a draft, an English stand-in or a
        translation with a check error gets its label in bold before it (`Leaflet.draft_label`)."""
        self._paragraph_properties(p, seg, style, num_id, boxed)
        label = self.doc.draft_label(seg)
        if label is not None:
            self._inlines(p, label, (*label.inlines, Text(" ")), bold=True)
        self._inlines(p, seg, seg.inlines)

    def _paragraph_properties(
        self, p, seg: Segment, style: str, num_id: int | None = None, boxed: bool = False
    ) -> None:
        if not seg.text.strip():
            raise self._error(seg, "is empty", "translate it or remove it from the source")
        rtl = docx_fonts.for_tag(seg.lang).rtl
        children = [x.el("w:pStyle", {"w:val": style})]
        if num_id is not None:
            children.append(x.el("w:numPr", None, x.el("w:ilvl", {"w:val": 0}), x.el("w:numId", {"w:val": num_id})))
        if boxed and style != "Notice":  # a list inside a notice keeps the notice's border and inset
            children += [x.box(*docx_styles.BORDER), docx_styles.list_indent(style, self.size, docx_styles.INSET)]
        if rtl or self.script.rtl:
            children.append(x.bidi(rtl))
        for old in p.findall(qn("w:pPr")):  # header and footer parts come with a styled paragraph
            p.remove(old)
        p.insert(0, x.props("w:pPr", children, x.PPR_ORDER))

    def _inlines(self, p, seg: Segment, inlines, bold: bool = False, fields: bool = False) -> None:
        own = docx_fonts.for_tag(seg.lang)
        lang = own.lang if own.tag != self.script.tag else None
        spans = _merged(_spans(inlines, bold, ""))
        for text, _, url in spans:
            if x.unstorable(text + url):
                raise self._error(seg, x.unstorable(text + url), "delete it from the text (or the translation)")
        for url, group in groupby(spans, key=lambda s: s[2]):
            runs = [r for text, strong, _ in group for r in self._runs(text, strong, own.rtl, lang, url, fields)]
            p.extend([x.hyperlink(self.word.part, url, runs)] if url else runs)

    def _runs(self, text: str, bold: bool, rtl: bool, lang, link: str, fields: bool):
        def rpr(run_rtl: bool):
            children = [x.el("w:rStyle", {"w:val": "Hyperlink"})] if link else []
            if bold:
                children += x.bold()
            if run_rtl:
                children.append(x.el("w:rtl"))
            if lang:
                children.append(x.lang(lang))
            return x.props("w:rPr", children, x.RPR_ORDER)

        pieces = _PLACEHOLDER.split(text) if fields else [text]
        for i, piece in enumerate(pieces):
            if i % 2:
                yield x.field(_FIELDS[piece], "1", rpr(rtl))
                continue
            for chunk, chunk_rtl in _directional_chunks(piece, rtl):
                yield x.run(chunk, rpr(chunk_rtl))

    # --- header and footer ----------------------------------------------------------------------

    def page_furniture(self) -> None:
        """Footer on every page: the leaflet code, then "Page {page} of {pages}" (Word fields,
        kept on one line) at the end of the line. Header: the draft warning, on drafts only."""
        section = self.word.sections[0]
        footer, page = section.footer.paragraphs[0]._p, self.label("page")
        self._paragraph_properties(footer, page, "Footer")
        footer.append(x.run(self.doc.meta.code + "\t"))
        unbreakable = tuple(Text(n.text.replace(" ", "\u00a0")) if isinstance(n, Text) else n for n in page.inlines)
        self._inlines(footer, page, unbreakable, fields=True)
        if self.doc.draft:
            header, draft = section.header.paragraphs[0]._p, self.label("draft")
            self._paragraph_properties(header, draft, "Header")
            self._inlines(header, draft, draft.inlines, bold=True)

    def label(self, key: str) -> Segment:
        try:
            return self.doc.label(key)  # without values: {page} and {pages} stay for the fields
        except KeyError as exc:
            raise LeafletError(
                f"{self.doc.locale.code}: the document has no shared label {key!r}",
                fix="build the Word copy from the translated model (translate())",
            ) from exc

    def _error(self, seg: Segment, what: str, fix: str) -> LeafletError:
        return LeafletError(f'{self.doc.locale.code}: the text of "{excerpt(seg.source, 60)}" {what}', fix=fix)


Span = tuple[str, bool, str]  # text, bold, link address ("" for none)


def _spans(inlines: tuple[Inline, ...], bold: bool, url: str) -> Iterator[Span]:
    """(text, bold, link) runs of some inlines; emphasis is bold (clear print has no italics)."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text, bold, url
        elif isinstance(node, LineBreak):
            yield "\n", bold, url
        elif isinstance(node, (Strong, Emphasis)):
            yield from _spans(node.children, True, url)
        elif isinstance(node, Link):
            yield from _spans(node.children, bold, node.url)


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Adjacent spans with the same formatting as one (one run where Word would have one)."""
    out: list[Span] = []
    for text, bold, url in spans:
        if out and out[-1][1:] == (bold, url):
            out[-1] = (out[-1][0] + text, bold, url)
        else:
            out.append((text, bold, url))
    return out


def _directional_chunks(text: str, rtl: bool):
    """Split right-to-left text so Latin words stand in runs of their own."""
    if not rtl:
        if text:
            yield text, False
        return
    pos = 0
    for m in _LATIN_WORD.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], True
        yield m.group(), False
        pos = m.end()
    if pos < len(text):
        yield text[pos:], True


def _core_properties(word, doc: Leaflet, build_date) -> None:
    """Core properties from the model; the template's were removed, so none is left over."""
    for what, text in (
        ("title", doc.title.text),
        ("department", doc.meta.department.text),
        ("organisation", doc.meta.organisation),
    ):
        if x.unstorable(text):
            raise LeafletError(
                f'{doc.locale.code}: the leaflet {what} "{excerpt(text, 60)}" {x.unstorable(text)}',
                fix="delete it from the front matter (or the translation)",
            )
    props = word.core_properties
    props.title = doc.title.text[:255]
    props.subject = doc.meta.department.text[:255]
    props.author = doc.meta.organisation[:255]
    props.keywords = doc.meta.id
    props.language = doc.locale.tag
    props.created = props.modified = datetime.combine(build_date, time())
