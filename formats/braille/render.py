"""A translated leaflet as braille pages: what each block becomes, translated by liblouis, laid out.

Block formats (UKAAF/BANA practice): the title centred; level 2 headings at cell 5, level 3 at
cell 7, each after a blank line; paragraphs with the first line at cell 3 and runovers at cell 1;
list items at cell 1 (nested: cell 3) with their bullet or number, runovers two cells in; the
boxed notice between box lines (dots 2356 above, 1245 below) with its label first; bold with the
code's bold indicators. Link addresses are written out after their text; web and e-mail
addresses, and in a non-Latin script words in Latin letters, are written in uncontracted UEB,
letter for letter (after UEB's grade 1 word indicator in contracted UEB). A sentence in another
language (the English beside an unreviewed translation) is written in that language's code.
Text goes to liblouis in logical order: right-to-left scripts are never reordered.

A first page identifies the document: title, organisation, department, leaflet code, language,
braille code, liblouis version and the number of braille pages (in the document's own "Page 1
of N").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from formats.contract import Options, cell_joint
from leaflets import locales, patterns
from leaflets.errors import LeafletError
from leaflets.model import (
    Block as BodyBlock,
)
from leaflets.model import (
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
    Table,
    Text,
)

from . import louis, tables
from .layout import BLANK, KEEP_BLANK, Block, numbered, paginate

BOX_TOP, BOX_BOTTOM = "\u2836", "\u281b"  # dots 2356 and dots 1245, repeated across the line
BULLET = "\u2022"
GRADE_1_WORD = "\u2830\u2830"  # UEB's grade 1 word indicator (dots 56, 56): the address after it is uncontracted
_LATIN_WORDS = re.compile(r"[A-Za-z][\w'’-]*(?: [A-Za-z][\w'’-]*)*", re.ASCII)  # RAD_0009, Percutaneous Vertebroplasty


class Run(NamedTuple):
    """A stretch of a segment's text written alike: an address (in uncontracted UEB), bold or not."""

    text: str
    address: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Braille:
    """A leaflet in braille: the pages of Unicode cells, and the code they are in."""

    pages: list[list[str]]
    code: tables.Code


def render(doc: Leaflet, options: Options) -> Braille:
    tables.require_installed()
    code = tables.code_for(doc.locale, options.braille_grade)
    if code is None:
        raise LeafletError(f"there is no braille code for {doc.locale.english_name} in liblouis")
    code.check()
    braille = _Translator(code, doc, options.braille_grade)
    width, height = options.braille_cells, options.braille_lines
    body = paginate(_body(doc, braille), width, height)
    front = list(_front(doc, braille, code))
    total = len(body) + len(paginate([*front, _count(doc, braille, 1)], width, height))
    title = paginate([*front, _count(doc, braille, total)], width, height)
    if len(title) + len(body) != total:  # the page count's digits took a line more: count again
        total = len(title) + len(body)
        title = paginate([*front, _count(doc, braille, total)], width, height)
    return Braille(numbered(title + body, width, braille.number), code)


class _Translator:
    """liblouis for one document's code, refusing (never escaping) characters the code has no sign for."""

    def __init__(self, code: tables.Code, doc: Leaflet, grade: int):
        self.tables, self.name, self.doc, self.grade = code.tables, code.name, doc, grade
        self.address = tables.address_code()
        self.latin = doc.locale.script == "Latn"
        self.ueb = louis.table_info(code.tables.split(",")[0], "system") == "ueb"
        self.grade_1 = GRADE_1_WORD if self.ueb and code.contracted else ""
        self.bullet = "-" if louis.undefined_characters(code.tables, BULLET) else BULLET  # Polish, Welsh: no bullet

    def segment(self, segment: Segment) -> str:
        return self.runs(_runs(segment.inlines), segment)

    def text(self, text: str) -> str:
        return self.runs(_addresses(text, False), None)

    def english(self, text: str) -> str:
        """Transcriber's information (the code's name, the liblouis version): in the document's code if
        that is UEB, else in uncontracted UEB (other codes misread its version number, 3.24.0)."""
        return self.runs([Run(text, address=not self.ueb)], None)

    def number(self, n: int) -> str:
        return self.text(str(n))

    def runs(self, runs: list[Run], segment: Segment | None) -> str:
        """Cells for runs of text; a hard line break stays a "\\n" for the layout.

        Addresses are translated on their own in uncontracted UEB (`tables.address_code`): the
        other codes' tables switch to 8-dot computer braille for them, which a BRF file cannot hold."""
        lines: list[str] = [""]
        own = self._other_code(segment)
        for run in _merged(runs if own else self._latin(runs)):
            table = self.address if run.address else own or self.tables
            if run.address and not own:  # in contracted UEB an address is marked as uncontracted
                lines[-1] += self.grade_1
            for i, part in enumerate(_composed(run.text).split("\n")):
                if i:
                    lines.append("")
                lines[-1] += self._cells(table, part, run.bold, segment)
        return "\n".join(lines)

    def _other_code(self, segment: Segment | None) -> str | None:
        """The table for a segment in another language than the document's (the English sentence beside
        an unreviewed translation's notice, an English passage in a draft), if that language has a code."""
        if segment is None or segment.lang == self.doc.locale.tag:
            return None
        info = locales.from_tag(segment.lang)
        if info.language == self.doc.locale.language:
            return None
        code = tables.code_for(info, self.grade)
        if code is None:
            return None
        code.check()
        return code.tables

    def _piece(self, table: str, text: str, together: bool, bold: bool) -> str:
        restart = tables.number_restarts(table)
        pieces = re.split(f"(?<=\\d[{re.escape(restart)}])(?=\\d)", text) if restart else [text]
        # the code's own bold indicators, none where it has none (Urdu: not UEB's, which supplies its Latin letters)
        typeform = louis.emphasis(table.split(",")[0], "bold") if bold else 0
        cells = "".join(louis.translate(table, piece, typeform=typeform) for piece in pieces)
        return cells.replace(BLANK, KEEP_BLANK) if together else cells

    def _latin(self, runs: list[Run]) -> list[Run]:
        """In a document not in Latin script, names and words in Latin letters (a drug name, NICE) are
        written in uncontracted UEB like the addresses: the other code would read their cells as its own letters."""
        if self.latin:
            return runs
        out: list[Run] = []
        for run in runs:
            done = 0
            for m in [] if run.address else _LATIN_WORDS.finditer(run.text):
                out += [Run(run.text[done : m.start()], bold=run.bold), Run(m.group(), True, run.bold)]
                done = m.end()
            out.append(run._replace(text=run.text[done:]))
        return [run for run in out if run.text]

    def _cells(self, table: str, text: str, bold: bool, segment: Segment | None) -> str:
        if not text:
            return ""
        cells = "".join(self._piece(table, piece, together, bold) for piece, together in _unbreakable(text))
        missing = [c for c in louis.undefined_characters(table, text) if _escape(table, c) in cells]
        if missing:
            where = f"line {segment.line} " if segment and segment.line else ""
            signs = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in missing)
            raise LeafletError(
                f"{self.name} has no braille sign for {signs} in {where}{text[:60]!r}",
                path=self.doc.path,
                fix="write it another way in the translation, or ask the braille team to extend the table",
            )
        if _EIGHT_DOT.search(cells):
            raise LeafletError(f"{self.name} wrote 8-dot cells, which a BRF file cannot hold", path=self.doc.path)
        return cells


def _unbreakable(text: str) -> list[tuple[str, bool]]:
    """Text split into pieces, those that must stay on one line apart: phone numbers, and words the
    text joins with a non-breaking space (a dose, a date)."""
    if not _MAY_JOIN.search(text):
        return [(text, False)]
    if len(_DIGIT.findall(text)) >= _PHONE_DIGITS:  # enough digits for a phone number
        text_joined = patterns.sub_phones(text, lambda p: re.sub(r"\s", "\u00a0", p))
    else:
        text_joined = text
    spans = [m.span() for m in _JOINED.finditer(text_joined)]
    out, done = [], 0
    for start, end in spans:
        out += [(text[done:start], False), (text[start:end], True)]
        done = end
    return [(t, j) for t, j in [*out, (text[done:], False)] if t]


_MAY_BE_ADDRESS = re.compile(r"\.[A-Za-z]|://|@")
_EIGHT_DOT = re.compile("[\u2840-\u28ff]")  # cells with dot 7 or 8
_MAY_JOIN = re.compile(r"[\u00a0\u202f]|\d.*\d", re.S)  # a non-breaking space, or two digits
_DIGIT = re.compile(r"\d")
_PHONE_DIGITS = min(min(r) for r in patterns.PHONE_DIGITS.values())
_JOINED = re.compile(r"\S+(?:[\u00a0\u202f]\S+)+")


@cache
def _escape(table: str, char: str) -> str:
    """The cells liblouis writes for a character the table lacks (its '\\\\x....' escape)."""
    return louis.translate(table, char)


def _runs(inlines: tuple[Inline, ...], bold: bool = False) -> list[Run]:
    """Runs of a segment's text, every link's address written out after its text (as in plain text);
    bold and emphasis alike are bold, as in print."""
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, Text):
            out += _addresses(node.text, bold)
        elif isinstance(node, LineBreak):
            out.append(Run("\n"))
        elif isinstance(node, Link):
            label = _runs(node.children, bold)
            shown = node.url.split("://", 1)[-1]
            out += label
            if shown.rstrip("/") not in "".join(run.text for run in label):
                out += [Run(" (", bold=bold), Run(node.url, True, bold), Run(")", bold=bold)]
        else:
            out += _runs(node.children, True)
    return out


def _addresses(text: str, bold: bool) -> list[Run]:
    """Text split into runs, web and e-mail addresses apart."""
    if not _MAY_BE_ADDRESS.search(text):  # a dot before a letter, "://" or "@": every address has one
        return [Run(text, bold=bold)] if text else []
    spans = sorted(
        [(m.start(), m.start() + len(patterns.trim_url(m.group()))) for m in patterns.WEBSITE.finditer(text)]
        + [m.span() for m in patterns.EMAIL.finditer(text)]
    )
    out, done = [], 0
    for start, end in spans:
        if start < done:
            continue
        out += [Run(text[done:start], bold=bold), Run(text[start:end], True, bold)]
        done = end
    return [run for run in [*out, Run(text[done:], bold=bold)] if run.text]


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs written alike joined, so liblouis sees them as one text (a list item's bullet
    and its words, text split only by a link)."""
    out: list[Run] = []
    for run in runs:
        if out and out[-1][1:] == run[1:]:
            out[-1] = out[-1]._replace(text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


@cache
def _recompositions() -> tuple[re.Pattern[str], dict[str, str]]:
    """Indic letters with nukta that Unicode never recomposes (Bengali য়, Gurmukhi ਜ਼), found by their
    decomposed spelling: some tables define only the single character, and the two are the same text."""
    out = {}
    for cp in range(0x0900, 0x0E00):
        char = chr(cp)
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char and unicodedata.normalize("NFC", decomposed) != char:
            out[decomposed] = char
    return re.compile("|".join(map(re.escape, out))), out


def _composed(text: str) -> str:
    pattern, chars = _recompositions()
    return pattern.sub(lambda m: chars[m.group()], text)


# --- what each block becomes ----------------------------------------------------------------------


def _front(doc: Leaflet, braille: _Translator, code: tables.Code) -> Iterator[Block]:
    yield Block(braille.segment(doc.title), centred=True)
    for notice in doc.notices:
        yield Block(braille.segment(notice), space_before=True)
    yield Block(braille.text(doc.meta.organisation), space_before=True)
    yield Block(braille.segment(doc.meta.department))
    yield Block(braille.segment(doc.label("leaflet_code", id=doc.meta.code)), space_before=True)
    native, english = doc.locale.native_name, doc.locale.english_name
    yield Block(braille.text(native if native == english else f"{native} ({english})"))
    yield Block(braille.english(f"{code.name}, liblouis {louis.version()}"), runover=2)


def _count(doc: Leaflet, braille: _Translator, total: int) -> Block:
    """The first page's last line: "Page 1 of N", in the document's language."""
    return Block(braille.segment(doc.label("page", page=1, pages=total)), space_before=True)


def _body(doc: Leaflet, braille: _Translator) -> Iterator[Block]:
    for block in doc.blocks + doc.footer:
        yield from _block(block, braille)


def _block(block: BodyBlock, braille: _Translator, depth: int = 0) -> Iterator[Block]:
    if isinstance(block, Heading):
        indent = 4 if block.level <= 2 else 6
        yield Block(braille.segment(block.content), indent, indent, heading=True, space_before=True)
    elif isinstance(block, Paragraph):
        yield Block(braille.segment(block.content), 2 + 2 * depth, 2 * depth)
    elif isinstance(block, ListBlock):
        for n, item in enumerate(block.items, start=block.start):
            marker = f"{n}." if block.ordered else braille.bullet
            runs = [Run(f"{marker} "), *_runs(item.content.inlines)]
            yield Block(braille.runs(runs, item.content), 2 * depth, 2 * depth + 2)
            for child in item.children:
                yield from _block(child, braille, depth + 1)
    elif isinstance(block, Notice):
        yield Block(BOX_TOP, rule=True, space_before=True)
        if block.label:
            yield Block(braille.segment(block.label))
        for inner in block.blocks:
            yield from _block(inner, braille, depth)
        yield Block(BOX_BOTTOM, rule=True)
    elif isinstance(block, Table):
        yield from _table(block, braille)
    elif isinstance(block, Picture):
        yield from _picture(block, braille)


def _table(table: Table, braille: _Translator) -> Iterator[Block]:
    """A table in linear form (UKAAF, for pages too narrow for columns): announced with its size
    and headings, then each row as its first cell, and under it "heading: cell" for the others;
    an empty cell is left out. Columns are in reading order, so right-to-left needs no mirroring."""
    doc = braille.doc
    headers = ", ".join(h.text for h in table.header)
    yield Block(braille.segment(doc.label("audio_table", count=len(table.rows), headers=headers)), space_before=True)
    joint = cell_joint(doc)
    for row in table.rows:
        lines = [(h, c) for h, c in zip(table.header, row, strict=True) if c is not None]
        for n, (head, cell) in enumerate(lines):
            runs = [*_runs(head.inlines), Run(joint), *_runs(cell.inlines)]
            yield Block(braille.runs(runs, cell), 0 if n == 0 else 2, 4, space_before=n == 0)
    yield Block(braille.segment(doc.label("audio_table_end")))


def _picture(picture: Picture, braille: _Translator) -> Iterator[Block]:
    """A picture as its description, after the word for a picture in the document's language (the
    indicator), then its caption."""
    said = braille.doc.label("picture", alt=picture.alt.text)
    yield Block(braille.segment(said), 2, 0, space_before=True)
    if picture.caption is not None:
        yield Block(braille.segment(picture.caption), 2, 0)
