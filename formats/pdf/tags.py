"""The large-print PDF's logical structure (tagged PDF, PDF/UA-1), which reportlab cannot make.

While a page is drawn, every run of text is wrapped in marked content with an MCID (its
`/ActualText` in logical order) that belongs to one structure `Element`, and page furniture in
`/Artifact` marked content; `Structure.finish` then adds, with pikepdf, the structure tree
(Document > H1, Div/Sect, H2.., P, L > LI > Lbl + LBody, Link with its annotation), the
ParentTree, each page's /StructParents and /Tabs /S, one link annotation per link and page
(QuadPoints for each line it wraps over), MarkInfo and the XMP metadata.

An element joins its parent when its first content is drawn, so the order of the tree is the
order things are drawn in: the reading order, as the composer lays lines out in logical order.
Elements that never receive content are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from . import metadata, unicode

PAGINATION = "/Artifact <</Type /Pagination /Subtype /{}>> BDC"  # Header or Footer
LAYOUT = "/Artifact <</Type /Layout>> BDC"
END = "EMC"


def span(text: str, mcid: int | None = None) -> str:
    """A Span marked-content operator with the logical text it shows, and its MCID if tagged."""
    tag = "" if mcid is None else f"/MCID {mcid} "
    return f"/Span <<{tag}/ActualText <FEFF{_utf16(text)}>>> BDC"


@lru_cache(maxsize=4096)  # mostly single characters of right-to-left text
def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex()


class Mark(NamedTuple):
    """One marked-content sequence: its page (from 0) and MCID on that page."""

    page: int
    mcid: int


class Annotation(NamedTuple):
    """A link annotation: its page and its number among the document's annotations."""

    page: int
    number: int


@dataclass(eq=False)
class Element:
    """A structure element. `lang` is set only where it differs from the enclosing element's."""

    role: str
    parent: Element | None = None
    lang: str = ""
    kids: list[Element | Mark | Annotation] = field(default_factory=list)
    attached: bool = False
    links: dict[int, Element] = field(default_factory=dict)
    url: str = ""
    text: str = ""  # a link's logical text, for its annotation's /Contents
    alt: str = ""  # a Figure's alternative text
    attributes: dict[str, dict[str, object]] = field(default_factory=dict)  # by owner: {"Table": {"Scope": "Column"}}

    def child(self, role: str, lang: str = "") -> Element:
        """A new element inside this one (it joins the tree when content is drawn in it)."""
        return Element(role, self, lang if lang and lang != self.language else "")

    @property
    def language(self) -> str:
        e: Element | None = self
        while e is not None:
            if e.lang:
                return e.lang
            e = e.parent
        return ""

    def link(self, number: int, url: str) -> Element:
        """The Link element for the `number`th link of this element's text."""
        if number not in self.links:
            self.links[number] = Element("Link", self, url=url)
        return self.links[number]

    def attach(self) -> None:
        if not self.attached and self.parent is not None:
            self.parent.attach()
            self.parent.kids.append(self)
        self.attached = True


@dataclass
class _Link:
    element: Element
    quads: list[tuple[float, float, float, float]]  # x0, y0, x1, y1 of each line's piece


class Structure:
    """The structure of one document being drawn: the tree and each page's marked content."""

    def __init__(self, root: Element):
        self.root = root
        root.attached = True
        self.pages: list[list[Element]] = []  # per page, the element of each MCID
        self.links: list[list[_Link]] = []  # per page, its link annotations in drawing order

    def new_page(self) -> None:
        self.pages.append([])
        self.links.append([])

    def begin(self, element: Element, text: str) -> str:
        """The operator that opens marked content for `text` drawn as part of `element`."""
        element.attach()
        mcids = self.pages[-1]
        element.kids.append(Mark(len(self.pages) - 1, len(mcids)))
        mcids.append(element)
        return span(text, len(mcids) - 1)

    def figure(self, element: Element) -> str:
        """The operator that opens marked content for a picture drawn as `element` (a Figure)."""
        element.attach()
        mcids = self.pages[-1]
        element.kids.append(Mark(len(self.pages) - 1, len(mcids)))
        mcids.append(element)
        return f"/Figure <</MCID {len(mcids) - 1}>> BDC"

    def link_area(self, link: Element, text: str, box: tuple[float, float, float, float]) -> None:
        """Some of a link's text drawn at `box`: one annotation per link and page gathers them."""
        link.text += text
        page = self.links[-1]
        for found in page:
            if found.element is link:
                found.quads.append(box)
                return
        page.append(_Link(link, [box]))

    def finish(self, data: bytes, title: str, organisation: str) -> bytes:
        """The PDF reportlab wrote, with the structure tree, annotations and metadata added."""
        pdf = Pdf.open(BytesIO(data))
        pages = pdf.pages
        refs: dict[int, pikepdf.Object] = {}  # id(element) -> its dictionary
        annotations: list[pikepdf.Object] = []
        for number, (page, links) in enumerate(zip(pages, self.links, strict=True)):
            page.obj.Tabs = Name.S
            page.obj.StructParents = number
            for found in links:
                annotation = pdf.make_indirect(_annotation(found, len(pages) + len(annotations), page.obj))
                found.element.kids.append(Annotation(number, len(annotations)))
                annotations.append(annotation)
            if links:
                page.obj.Annots = Array(annotations[-len(links) :])
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = self._element(pdf, self.root, tree, refs, pages, annotations)
        tree.K = Array([document])
        nums: list[object] = []  # key, value, ...: a page's elements by MCID, an annotation's element
        for number, mcids in enumerate(self.pages):
            nums += [number, Array([refs[id(e)] for e in mcids])]
        for k, page_links in enumerate(_flat(self.links)):
            nums += [len(pages) + k, refs[id(page_links.element)]]
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
        tree.ParentTreeNextKey = len(pages) + len(annotations)
        root = pdf.Root
        root.StructTreeRoot = tree
        root.MarkInfo = Dictionary(Marked=True)
        metadata.write(pdf, title, self.root.lang, organisation)
        unicode.fix(pdf)
        return save(pdf)

    def _element(self, pdf: Pdf, element: Element, parent, refs, pages, annotations) -> pikepdf.Object:
        d = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.role), P=parent))
        refs[id(element)] = d
        if element.lang:
            d.Lang = String(element.lang)
        if element.alt:
            d.Alt = String(element.alt)
        owners = [_attributes(owner, values) for owner, values in element.attributes.items()]
        if owners:
            d.A = owners[0] if len(owners) == 1 else Array(owners)
        first = next((k.page for k in element.kids if not isinstance(k, Element)), None)
        if first is not None:
            d.Pg = pages[first].obj
        kids = Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self._element(pdf, kid, d, refs, pages, annotations))
            elif isinstance(kid, Mark):
                kids.append(
                    kid.mcid if kid.page == first else Dictionary(Type=Name.MCR, Pg=pages[kid.page].obj, MCID=kid.mcid)
                )
            else:
                kids.append(Dictionary(Type=Name.OBJR, Pg=pages[kid.page].obj, Obj=annotations[kid.number]))
        d.K = kids
        return d


def save(pdf: Pdf) -> bytes:
    """The file's bytes: PDF 1.7 (PDF/UA-1's), the same for the same content (deterministic
    /ID), streams reportlab compressed left as they are, the others compressed, the small
    objects in compressed object streams."""
    out = BytesIO()
    pdf.save(
        out,
        min_version="1.7",
        deterministic_id=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        recompress_flate=False,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,  # the structure's many small objects, compressed
    )
    return out.getvalue()


def _attributes(owner: str, values: dict[str, object]) -> Dictionary:
    """An attribute object: names as names, numbers and boxes as they are."""
    d = Dictionary(O=Name("/" + owner))
    for key, value in values.items():
        d[f"/{key}"] = (
            Name("/" + value) if isinstance(value, str) else Array(value) if isinstance(value, list) else value
        )
    return d


def _flat(pages: list[list[_Link]]) -> list[_Link]:
    return [link for page in pages for link in page]


def _annotation(found: _Link, key: int, page) -> Dictionary:
    """One link annotation over every piece of the link on its page."""
    x0 = min(q[0] for q in found.quads)
    y0 = min(q[1] for q in found.quads)
    x1 = max(q[2] for q in found.quads)
    y1 = max(q[3] for q in found.quads)
    quads = [v for a, b, c, d in found.quads for v in (a, d, c, d, a, b, c, b)]
    link = found.element
    return Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([round(v, 2) for v in (x0, y0, x1, y1)]),
        QuadPoints=Array([round(v, 2) for v in quads]),
        Border=Array([0, 0, 0]),
        F=4,
        P=page,
        A=Dictionary(S=Name.URI, URI=String(link.url)),
        Contents=String(link.text.strip()),
        StructParent=key,
    )
