"""The EPUB's XHTML: one content document for the whole leaflet, and the navigation document.

One document, not one per section: a leaflet is a few pages long, and a single document keeps
the reading order, the text's ids and the one overlay simple; sections are still reachable from
the table of contents (fragment links) and by heading navigation. Every spoken unit (title,
notice lines, headings, paragraphs, list items, the notice's label) gets an id, in reading
order, so the Media Overlay can point a clip at exactly the text being read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from lxml.builder import ElementMaker

from leaflets.errors import LeafletError
from leaflets.locales import from_tag
from leaflets.model import (
    Block,
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

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT = "leaflet.xhtml"
NAV = "nav.xhtml"
STYLE = "style.css"
IMAGES = "images"

E = ElementMaker(namespace=XHTML, nsmap={None: XHTML, "epub": OPS})


@dataclass
class Content:
    """The content document and, in reading order, each spoken segment with its element id."""

    root: etree._Element
    spoken: list[tuple[Segment, str]] = field(default_factory=list)
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, id)
    pictures: dict[str, Picture] = field(default_factory=dict)  # href in the package -> picture
    rich: bool = False  # has a quotation, a table or a picture (their styles are added)

    def bytes(self) -> bytes:
        return serialise(self.root)


def serialise(root: etree._Element) -> bytes:
    body = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + body + b"\n"


def _lang(el: etree._Element, tag: str, direction: str) -> None:
    el.set("lang", tag)
    el.set(XML_LANG, tag)
    el.set("dir", direction)


def _html(doc: Leaflet, title: str, *body: etree._Element, css: bool = True) -> etree._Element:
    head = E.head(E.meta(charset="utf-8"), E.title(title))
    if css:
        head.append(E.link(rel="stylesheet", type="text/css", href=STYLE))
    root = E.html(head, E.body(*body))
    _lang(root, doc.locale.tag, doc.locale.direction)
    return root


class _Builder:
    def __init__(self, doc: Leaflet):
        self.doc = doc
        self.content = Content(E.html())
        self.count = 0

    def segment(self, tag: str, seg: Segment, level: int = 0, css: str = "", spoken: bool = True) -> etree._Element:
        """An element holding one spoken segment, with its id and, if it differs from the
        document's, its own language and direction (an English fallback, the English notice).
        An element not read aloud on its own (a table's column header) has no id."""
        el = self.spoken(E(tag), seg) if spoken else E(tag)
        if seg.lang != self.doc.locale.tag:
            _lang(el, seg.lang, from_tag(seg.lang).direction)
        classes = " ".join(c for c in (css, "untranslated" if seg.fallback else "") if c)
        if classes:
            el.set("class", classes)
        _inlines(el, seg.inlines, seg)
        if level:
            self.content.toc.append((level, seg.text, el.get("id")))
        return el

    def spoken(self, el: etree._Element, seg: Segment) -> etree._Element:
        """Give an element the next id and record it as where `seg` is heard (the read-along)."""
        self.count += 1
        el.set("id", f"s{self.count}")
        self.content.spoken.append((seg, el.get("id")))
        return el

    def blocks(self, blocks: tuple[Block, ...]) -> Iterator[etree._Element]:
        """Blocks in order; each heading opens a <section> holding what follows it up to the
        next heading of the same or a higher level."""
        stack: list[tuple[int, etree._Element]] = []
        top: list[etree._Element] = []
        for block in blocks:
            if isinstance(block, Heading):
                while stack and stack[-1][0] >= block.level:
                    stack.pop()
                heading = self.segment(f"h{block.level}", block.content, level=block.level)
                section = E.section(heading, **{"aria-labelledby": heading.get("id")})
                (stack[-1][1].append(section) if stack else top.append(section))
                stack.append((block.level, section))
                continue
            el = self.block(block)
            (stack[-1][1].append(el) if stack else top.append(el))
        yield from top

    def block(self, block: Block) -> etree._Element:
        if isinstance(block, Paragraph):
            return self.segment("p", block.content)
        if isinstance(block, ListBlock):
            return self.list(block)
        if isinstance(block, Notice):
            box = E.div({"class": "notice", "role": "note"})
            if block.label:
                box.append(self.segment("p", block.label, css="notice-label"))
            for inner in block.blocks:
                box.append(self.block(inner))
            if block.quotation:
                self.content.rich = True
                box = E.blockquote(*box)
            return box
        if isinstance(block, (Table, Picture)):
            self.content.rich = True
            return self.table(block) if isinstance(block, Table) else self.picture(block)
        raise LeafletError(f"epub: cannot set a {type(block).__name__} block", fix="update the EPUB writer")

    def table(self, table: Table) -> etree._Element:
        """A table with its header row as <th scope="col"> cells (a screen reader says the header
        with each cell); each body cell is read aloud on its own, after its column's header."""
        head = E.tr(*(self.segment("th", h, spoken=False) for h in table.header))
        for th in head:
            th.set("scope", "col")
        body = E.tbody()
        for row in table.rows:
            tr = E.tr()
            for align, cell in zip(table.align, row, strict=True):
                td = E.td() if cell is None else self.segment("td", cell)
                if align:
                    td.set("class", f"align-{align}")
                tr.append(td)
            body.append(tr)
        return E.table(E.thead(head), body)

    def picture(self, picture: Picture) -> etree._Element:
        """<figure> with the picture (its alt text the description) and its caption. The figure is
        where the narration's "Picture: ..." is heard."""
        href = f"{IMAGES}/{picture.name}"
        self.content.pictures[href] = picture
        figure = self.spoken(
            E.figure(E.img(src=href, alt=picture.alt.text)), self.doc.label("picture", alt=picture.alt.text)
        )
        if picture.alt.lang != self.doc.locale.tag:
            _lang(figure[0], picture.alt.lang, from_tag(picture.alt.lang).direction)
        if picture.caption is not None:
            figure.append(self.segment("figcaption", picture.caption))
        return figure

    def list(self, block: ListBlock) -> etree._Element:
        el = E.ol() if block.ordered else E.ul()
        if block.ordered and block.start != 1:
            el.set("start", str(block.start))
        for item in block.items:
            li = E.li(self.segment("span", item.content))
            for child in item.children:
                li.append(self.list(child))
            el.append(li)
        return el


def _inlines(el: etree._Element, inlines: tuple[Inline, ...], seg: Segment) -> None:
    for node in inlines:
        if isinstance(node, Text):
            _append_text(el, node.text, seg)
        elif isinstance(node, LineBreak):
            el.append(E.br())
        else:
            if isinstance(node, Link):
                child = E.a(href=node.url)
            elif isinstance(node, Strong):
                child = E.strong()
            elif isinstance(node, Emphasis):
                child = E.em()  # styled bold, not italic (clear print); still emphasis to a screen reader
            else:
                raise LeafletError(f"epub: cannot set inline {type(node).__name__}", fix="update the EPUB writer")
            el.append(child)
            _inlines(child, node.children, seg)


def _append_text(el: etree._Element, text: str, seg: Segment) -> None:
    try:
        if len(el):
            el[-1].tail = (el[-1].tail or "") + text
        else:
            el.text = (el.text or "") + text
    except ValueError:  # a control character XML cannot hold: never silently dropped
        raise LeafletError(
            f"epub: a character in {excerpt(seg.text)!r} cannot be written in XHTML",
            fix="remove the control character from the translation (pipeline.py check shows where)",
        ) from None


def content(doc: Leaflet) -> Content:
    """The leaflet as one XHTML document, in the same order as every other format: title,
    review/draft notices, body, then the trust-wide closing blocks."""
    b = _Builder(doc)
    main = E.main(b.segment("h1", doc.title, level=1))
    if doc.notices:
        review = E.div({"class": "review", "role": "note"})
        for seg in doc.notices:
            review.append(b.segment("p", seg))
        main.append(review)
    for el in b.blocks(doc.blocks):
        main.append(el)
    footer = E.footer(*b.blocks(doc.footer))
    b.content.root = _html(doc, doc.title.text, main, footer)
    return b.content


def nav(doc: Leaflet, toc: list[tuple[int, str, str]]) -> bytes:
    """The navigation document: the sections (and their subsections) as an ordered list."""
    top = E.ol()
    current: etree._Element | None = None
    for level, text, ident in toc:
        entry = E.li(E.a(text, href=f"{CONTENT}#{ident}"))
        if level <= 2 or current is None:
            top.append(entry)
            current = entry
        else:
            sub = current.find(f"{{{XHTML}}}ol")
            if sub is None:
                sub = E.ol()
                current.append(sub)
            sub.append(entry)
    toc_nav = E.nav(E.h1(doc.title.text), top, id="toc", role="doc-toc")
    toc_nav.set(f"{{{OPS}}}type", "toc")
    return serialise(_html(doc, doc.title.text, toc_nav))
