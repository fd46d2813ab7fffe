"""The one document model between the reader and every writer (as pandoc's `Pandoc` type).

The reader builds a `Leaflet` in English; `translate` turns it into another `Leaflet` whose
segments carry the target language. Writers read only the translated model: they never see
Markdown, PO files or front matter. Everything here is immutable.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .errors import LeafletError
from .vocabulary import Review

# --- inline runs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    """Source emphasis. Clear-print rules forbid italics: writers render it as bold."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a block."""


Inline = Text | Strong | Emphasis | Link | LineBreak


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words of some inline runs with all markup removed; a hard break becomes a newline."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain_text(node.children))
    return "".join(out)


# --- segments: the translatable units ----------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """The inline text of one heading, paragraph, list item or shared string.

    `source` is the English msgid (canonical inline Markdown) the segment came from;
    `lang` is the BCP 47 tag of the language `inlines` are actually in, so a writer can
    language-tag an English fallback inside a translated document; `fallback` is True when
    the translation was missing and the English text stands in, `flagged` when the checks found
    an error in the translation (drafts only: each is shown after its label, `Leaflet.draft_label`).
    """

    inlines: tuple[Inline, ...]
    source: str
    lang: str = "en-GB"
    line: int = 0
    note: str = ""
    fallback: bool = False
    flagged: bool = False

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


# --- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = document title, 2 = section, 3 = subsection
    content: Segment


@dataclass(frozen=True)
class Paragraph:
    content: Segment


@dataclass(frozen=True)
class ListItem:
    content: Segment
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


NOTICE_KINDS = ("important", "warning", "caution", "tip", "note")
QUOTE = "quote"


@dataclass(frozen=True)
class Notice:
    """A notice (`> [!IMPORTANT]` ... in the source) or a quotation (a plain block quote).

    Writers set a notice off with a border and say `label` ("Important:", "Warning:" ... in the
    document's language, filled in by translation) first, so that a screen reader or a listener
    is told as plainly as a sighted reader. A quotation (`kind` "quote") has no label: it is a
    patient's or clinician's words, set off by indenting, not a warning."""

    blocks: tuple[Block, ...]
    label: Segment | None = None
    kind: str = "important"  # one of NOTICE_KINDS, or QUOTE

    @property
    def quotation(self) -> bool:
        return self.kind == QUOTE


@dataclass(frozen=True)
class Table:
    """A table with one header row. `rows` are the body rows, each as long as `header`; an empty
    cell is None. `align` is "", "left", "center" or "right" per column, as the author wrote it
    (writers of right-to-left documents mirror the column order and swap left and right)."""

    header: tuple[Segment, ...]
    rows: tuple[tuple[Segment | None, ...], ...]
    align: tuple[str, ...]
    line: int = 0

    def cells(self) -> Iterator[Segment]:
        """Header cells, then body cells row by row (reading order)."""
        yield from self.header
        for row in self.rows:
            yield from (cell for cell in row if cell is not None)


@dataclass(frozen=True)
class Picture:
    """A picture: its file's bytes (already checked, see leaflets.pictures), what it shows (`alt`,
    required) and an optional `caption`. `name` is the file name under source/images/ (or the
    language's replacement under locales/<lang>/images/); width and height are in pixels (for an
    SVG, its viewBox or width/height in CSS pixels)."""

    name: str
    alt: Segment
    caption: Segment | None
    data: bytes
    media_type: str  # image/png, image/jpeg, image/svg+xml
    width: int
    height: int

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}[self.media_type]


Block = Heading | Paragraph | ListBlock | Notice | Table | Picture


def segments(blocks: tuple[Block, ...]) -> Iterator[Segment]:
    """Every segment of some blocks, in reading order."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield block.content
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item.content
                yield from segments(item.children)
        elif isinstance(block, Notice):
            yield from segments(block.blocks)
        elif isinstance(block, Table):
            yield from block.cells()
        elif isinstance(block, Picture):
            yield block.alt
            if block.caption is not None:
                yield block.caption


def map_segments(blocks: tuple[Block, ...], fn: Callable[[Segment], Segment]) -> tuple[Block, ...]:
    """The same blocks with every segment replaced by fn(segment)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(replace(block, content=fn(block.content)))
        elif isinstance(block, ListBlock):
            out.append(_map_list(block, fn))
        elif isinstance(block, Notice):
            out.append(replace(block, blocks=map_segments(block.blocks, fn)))
        elif isinstance(block, Table):
            header = tuple(fn(c) for c in block.header)
            rows = tuple(tuple(None if c is None else fn(c) for c in row) for row in block.rows)
            out.append(replace(block, header=header, rows=rows))
        elif isinstance(block, Picture):
            caption = None if block.caption is None else fn(block.caption)
            out.append(replace(block, alt=fn(block.alt), caption=caption))
    return tuple(out)


def _map_list(block: ListBlock, fn: Callable[[Segment], Segment]) -> ListBlock:
    items = (ListItem(fn(i.content), tuple(_map_list(child, fn) for child in i.children)) for i in block.items)
    return replace(block, items=tuple(items))


# --- the leaflet -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Meta:
    """Front matter. `title`, `department` and the contacts' names and hours are translatable (Segments);
    `phone` is "" when only `contacts` are given."""

    id: str
    slug: str
    title: Segment
    organisation: str
    department: Segment
    phone: str
    website: str
    author: str
    reviewed: YearMonth
    next_review: YearMonth
    keep: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    sources: tuple[Segment, ...] = ()  # references for the clinical content, in English (not translated)
    version: str = ""  # derived from the English (leaflets.version), filled in by translation

    @property
    def code(self) -> str:
        """The leaflet code as every copy prints it, its version beside it: "RAD_0009 v3F2A9C1B". No
        brackets: at the end of a right-to-left line a closing bracket is set apart from the code."""
        return f"{self.id} v{self.version}" if self.version else self.id


@dataclass(frozen=True)
class Contact:
    """One of several contacts in the front matter: `name` and `hours` are translated."""

    name: Segment
    phone: str
    hours: Segment | None = None
    main: bool = False


@dataclass(frozen=True)
class LocaleInfo:
    """Facts about a build locale, from babel's CLDR data."""

    code: str  # gettext / directory name: "pl", "zh_Hans"
    tag: str  # BCP 47: "pl", "zh-Hans", "en-GB"
    language: str  # ISO 639-1/3 language subtag: "pl", "zh"
    script: str  # ISO 15924: "Latn", "Arab", "Hans", "Guru"
    direction: str  # "ltr" or "rtl"
    english_name: str  # "Polish"
    native_name: str  # "polski"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class Leaflet:
    """A whole leaflet: the body from the source, and (once translated) the trust-wide parts.

    `footer` holds the trust-wide closing blocks (contact, website, offer of other formats,
    leaflet code, author, review dates) and `notices` the review/draft notices, both already
    filled in and translated; `labels` holds shared label templates such as "Page {page} of
    {pages}" (see `label`). A writer renders title, notices, body, then footer.
    """

    meta: Meta
    blocks: tuple[Block, ...]
    locale: LocaleInfo
    path: str = ""
    footer: tuple[Block, ...] = ()
    notices: tuple[Segment, ...] = ()
    labels: tuple[Label, ...] = ()
    draft: bool = False
    review: Review = Review.SOURCE  # judged by leaflets.review

    @property
    def title(self) -> Segment:
        return self.meta.title

    def draft_label(self, seg: Segment) -> Segment | None:
        """The label a draft shows before a segment a proof-reader must look at: "Not yet
        translated:" before English standing in, "Check this translation:" before a translation
        the checks found an error in; None for any other."""
        if seg.fallback:
            return self.label("untranslated")
        return self.label("check_error") if seg.flagged else None

    def label(self, key: str, **values) -> Segment:
        """A shared label with its {placeholders} filled, e.g. label("page", page=1, pages=4)."""
        for lab in self.labels:
            if lab.key == key:
                return lab.filled(values)
        raise LeafletError(
            f"shared string '{key}' is missing from source/common.yaml",
            fix="add it back (git shows what it was), then run `pipeline.py update`",
        )

    def all_segments(self) -> Iterator[Segment]:
        """Every segment a reader of any format meets, title first."""
        yield self.meta.title
        yield self.meta.department
        for contact in self.meta.contacts:
            yield contact.name
            if contact.hours is not None:
                yield contact.hours
        yield from self.notices
        yield from segments(self.blocks)
        yield from segments(self.footer)
        for lab in self.labels:
            yield from lab.forms


# A name may arrive Markdown-escaped ("{next\\_review}") when filled into a msgstr.
_PLACEHOLDER = re.compile(r"\{((?:\w|\\_)+)\}")


def fill(text: str, values: dict) -> str:
    """Replace {name} placeholders that `values` knows; leave any other brace text alone."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1).replace("\\", ""), m.group(0))), text)


@dataclass(frozen=True)
class Label:
    """A shared label template such as "Page {page} of {pages}", in the document's language.

    A label with plural forms (e.g. "A list of {count} points") holds one form per plural
    category of the language and the gettext Plural-Forms expression that picks one from the
    number in its `count` placeholder.
    """

    key: str
    forms: tuple[Segment, ...]
    count: str = ""
    plural: str = "n != 1"
    digits: str = ""  # 0-9 of the script the body writes numbers in (Persian ۰-۹), "" for Latin

    def filled(self, values: dict) -> Segment:
        form = self.forms[0]
        if len(self.forms) > 1:
            index = int(gettext.c2py(self.plural)(int(values[self.count])))
            form = self.forms[min(index, len(self.forms) - 1)]
        if self.digits:
            table = str.maketrans("0123456789", self.digits)
            values = {k: str(v).translate(table) if isinstance(v, int) else v for k, v in values.items()}
        return replace(form, inlines=tuple(_fill(n, values) for n in form.inlines))


def _fill(node: Inline, values: dict) -> Inline:
    if isinstance(node, Text):
        return Text(fill(node.text, values))
    if isinstance(node, LineBreak):
        return node
    return replace(node, children=tuple(_fill(n, values) for n in node.children))
