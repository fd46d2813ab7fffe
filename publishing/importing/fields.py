"""The front matter of an imported leaflet, from what the document says, and the body without it.

A Word leaflet writes its closing block (contacts, website, the offer of other formats), leaflet
code, author and review dates as text: in the body, usually under "Contact us", or in the
footer. The pipeline prints all of them from the front matter, so they move there and leave the
body (each moved passage is listed in the report: nothing is dropped silently). A paragraph that
says more than those facts stays in the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from leaflets import patterns

from .markdown import Node, block_text, bold_line, plain
from .report import Report, quote

_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH})\.?,?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}[/.]\d{4}|\d{4}-\d{2}(?:-\d{2})?"
)
_SEP = r"\s*(?:on|in|by|date|due)?\s*[:.\-–]?\s*"
NEXT_REVIEW = re.compile(
    r"\b(?:next\s+review(?:\s+(?:due|date))?|review\s+(?:due|date)|due\s+for\s+review|to\s+be\s+reviewed"
    rf"|expiry\s+date|expires){_SEP}(?P<date>{DATE})",
    re.I,
)
REVIEWED = re.compile(
    r"\b(?:(?:date\s+)?(?:last\s+)?(?:reviewed|published|issued|approved)|date\s+of\s+(?:issue|publication)"
    rf"|publication\s+date|issue\s+date){_SEP}(?P<date>{DATE})",
    re.I,
)
CODE = re.compile(
    r"\b(?i:(?:leaflet|information|publication|document|patient\s+information)?\s*(?:code|number|no\.?|ref(?:erence)?))"
    r"\s*[:.]?\s*(?P<code>[A-Z][A-Z0-9]{1,9}[ _-]?\d{1,6})\b"
)
BARE_CODE = re.compile(r"(?<![\w/.-])(?P<code>[A-Z][A-Z0-9]{1,9}_\d{1,6})(?![\w/-])")
_LABELS = r"(?:reviewed|next\s+review|review\s+date|leaflet\s+code|published|issued|version|department|date)\b"
AUTHOR = re.compile(
    rf"\b(?:author|written\s+by|produced\s+by|prepared\s+by)\s*[:.\-–]?\s*(?P<v>.+?)\s*[.,;]?(?=\s+{_LABELS}|$)",
    re.I | re.M,
)
DEPARTMENT_LABEL = re.compile(
    rf"\b(?:department|directorate|specialty|speciality|service)\s*:\s*(?P<v>.+?)\s*[.,;]?(?=\s+{_LABELS}|$)",
    re.I | re.M,
)
DEPARTMENT = re.compile(
    r"(?P<v>(?:[A-Z][\w&'’-]*\s+(?:and\s+|&\s+|of\s+)?)*[A-Z][\w&'’-]*\s+"
    r"(?:Department|Unit|Service|Clinic|Centre|Center|Team|Ward|Suite|Directorate))\b"
)
ORGANISATION = re.compile(r"(?P<v>(?:[A-Z][\w&'’-]*\s+(?:and\s+|&\s+|of\s+|the\s+)?)+NHS(?:\s+Foundation)?\s+Trust)")
OFFER = re.compile(
    r"(?:another|other|different|alternative)\s+languages?\s+(?:or|and|and/or)\s+(?:an?\s+)?(?:other\s+|different\s+|"
    r"alternative\s+|accessible\s+)?formats?"
    r"|\b(?:large\s+print|braille|audio|easy\s+read)\b[^.]*\b(?:available|ask|request|contact)"
    r"|\b(?:available|ask|request)\b[^.]*\b(?:large\s+print|braille|audio\s+(?:tape|version|format)|easy\s+read)\b",
    re.I,
)
CONTACT_HEADING = re.compile(
    r"^\s*(?:contact(?:ing)?\s+us|contacts?|contact\s+(?:details|information|numbers)|useful\s+(?:contacts|"
    r"(?:telephone\s+|phone\s+)?numbers)|how\s+to\s+contact\s+us|who\s+(?:can\s+i|to|should\s+i)\s+contact\b.*|"
    r"further\s+(?:information\s+and\s+)?contacts?)\s*[?:.]?\s*$",
    re.I,
)
_VISIT = re.compile(r"^(?:to\s+find\s+out\s+more.*?|for\s+more\s+information.*?|visit|website|web)\b[^.]*$", re.I)
_PHONE_WORDS = re.compile(
    r"(?:[,:;–-]\s*|\s+)(?:tel(?:ephone)?\.?|phone|call|ring|on|number)?\s*[:.]?\s*$|^(?:tel(?:ephone)?|phone)\s*[:.]?\s*$",
    re.I,
)
_JUNK_TITLE = re.compile(r"^(?:document\d*|untitled|microsoft word\b.*|.*\.(?:docx?|odt|html?)|title)$", re.I)
_JUNK_AUTHOR = re.compile(
    r"^(?:python-docx|microsoft office user|windows user|user|admin(?:istrator)?|author|unknown)$", re.I
)
MAX_CONTACT_NAME = 10  # words before a phone number in a line that only gives a contact
CLOSING_BLOCKS = 8  # the last blocks of the body searched for the closing facts when there is no contact heading


def month(text: str) -> str | None:
    """'May 2024', '1st May 2024', '05/2024', '12/05/2024', '2024-05' -> '2024-05'."""
    text = text.strip().lower().replace(",", " ")
    m = re.match(rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?({_MONTH})\.?\s+(\d{{4}})$", text)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"
    m = re.match(r"^(?:\d{1,2}[/.])?(\d{1,2})[/.](\d{4})$", text) or re.match(r"^(\d{4})-(\d{2})(?:-\d{2})?$", text)
    if not m:
        return None
    year, mon = (m.group(2), m.group(1)) if "-" not in text else (m.group(1), m.group(2))
    return f"{year}-{int(mon):02d}" if 1 <= int(mon) <= 12 else None


def leaflet_code(text: str) -> str:
    """'RAD 0009', 'RAD-0009', 'RAD0009' -> 'RAD_0009' (the project's form of a leaflet code)."""
    m = re.match(r"^([A-Z][A-Z0-9]*?)[ _-]?(\d+)$", text.strip().upper())
    return f"{m.group(1)}_{m.group(2)}" if m else text.strip()


def _found(sub: Callable[[str, Callable[[str], str]], str], text: str) -> list[str]:
    """What one of the core's `sub_*` finders finds in a text (phone numbers, web addresses)."""
    found: list[str] = []

    def keep(match: str) -> str:
        found.append(match)
        return match

    sub(text, keep)
    return found


def phones_in(text: str) -> list[str]:
    return _found(patterns.sub_phones, text)


@dataclass
class Contact:
    name: str
    phone: str
    hours: str = ""


def contact_line(text: str) -> Contact | None:
    """A line that only names a contact: 'Ward 5, Tel 0118 322 7500 (24 hours)'; None for a sentence."""
    phones = phones_in(text)
    if len(phones) != 1:
        return None
    before, _, after = text.partition(phones[0])
    name = _PHONE_WORDS.sub("", before.strip()).strip(" ,:;–-")
    hours = after.strip().strip(".,;:–- ")
    if hours.startswith("(") and hours.endswith(")"):
        hours = hours[1:-1].strip()
    if len(name.split()) > MAX_CONTACT_NAME or len(hours.split()) > MAX_CONTACT_NAME or name.endswith((".", "?")):
        return None
    if re.search(r"\b(?:please|if\s+you|you\s+can|you\s+should|call\s+us|contact\s+us)\b", name, re.I):
        return None
    return Contact(name, phones[0], hours)


@dataclass
class Fields:
    """What the document says about itself; `front()` gives it in the reader's key order."""

    report: Report
    values: dict[str, str] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    sources: list[list[Node]] = field(default_factory=list)  # each reference's inline text

    def take(self, key: str, value: str, where: str) -> None:
        value = " ".join(value.split()).strip(" .,;")
        if value and key not in self.values:
            self.values[key] = value
            self.report.found.append(f"{key}: {value} (from {where})")

    def facts(self, text: str, where: str) -> str:
        """Take every fact a text states; returns what is left of it once they are cut out."""
        rest = text
        for key, pattern in (("next_review", NEXT_REVIEW), ("reviewed", REVIEWED)):
            for m in pattern.finditer(text):
                value = month(m.group("date"))
                if value:
                    self.take(key, value, f"{where}: {quote(m.group(0))}")
                    rest = rest.replace(m.group(0), " ")
        for m in CODE.finditer(rest):
            self.take("id", leaflet_code(m.group("code")), f"{where}: {quote(m.group(0))}")
            rest = rest.replace(m.group(0), " ")
        for m in BARE_CODE.finditer(rest):
            self.take("id", m.group("code"), f"{where}: {quote(m.group(0))}")
            rest = rest.replace(m.group(0), " ")
        for key, pattern in (("author", AUTHOR), ("department", DEPARTMENT_LABEL)):
            for m in pattern.finditer(rest):
                self.take(key, m.group("v"), f"{where}: {quote(m.group(0))}")
                rest = rest.replace(m.group(0), " ")
        for m in ORGANISATION.finditer(text):
            self.take("organisation", m.group("v"), where)
        return rest

    def front(self) -> dict:
        keys = ("id", "title", "organisation", "department", "phone", "website", "author", "reviewed", "next_review")
        out: dict = {key: self.values[key] for key in keys if key in self.values}
        if len(self.contacts) > 1 or any(c.hours for c in self.contacts):
            out["contacts"] = [
                {
                    "name": c.name,
                    "phone": c.phone,
                    **({"hours": c.hours} if c.hours else {}),
                    **({"main": True} if not n else {}),
                }
                for n, c in enumerate(self.contacts)
            ]
        return out


def _leftover(text: str) -> bool:
    """Whether a text still says something once its facts are cut out (more than labels and punctuation)."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    filler = {"tel", "telephone", "phone", "and", "the", "of", "on", "our", "trust", "nhs", "foundation", "date", "ref"}
    filler |= {"leaflet", "code", "number", "no", "reference", "information", "patient", "review", "due", "next"}
    return any(w.lower() not in filler for w in words)


def read(
    blocks: list[Node],
    meta: dict,
    side_texts: list[tuple[str, str]],
    properties: dict[str, str],
    report: Report,
    optional: tuple[str, ...],
) -> tuple[Fields, list[Node], dict[int, int]]:
    """The document's fields, its body with the moved passages cut out, and its heading levels
    mapped to ## and ###. `side_texts` are (where, text) of footers and headers; `properties` the
    file's core properties; `optional` the reader's optional front-matter keys (`contacts` and
    `sources` go to the front matter only where the reader takes them)."""
    several_contacts = "contacts" in optional
    fields = Fields(report)
    blocks = list(blocks)
    _title(fields, blocks, meta, properties)
    if fields.values.get("title") and meta.get("subtitle"):
        subtitle = plain(_meta_inlines(meta["subtitle"]))
        blocks.insert(0, {"t": "Para", "c": [{"t": "Strong", "c": [{"t": "Str", "c": subtitle}]}]})
        report.check(f"the subtitle became the first paragraph, in bold: {quote(subtitle)}")
    for where, text in side_texts:
        fields.facts(text, where)
        _website(fields, text, where, closing=True)
    blocks = _closing(fields, blocks, several_contacts)
    if "sources" in optional:
        blocks = _sources(fields, blocks)
    if "author" in meta:
        fields.take("author", plain(_meta_inlines(meta["author"])), "the document's Author line")
    for key, prop in (("author", "author"), ("department", "category")):
        value = properties.get(prop, "")
        if value and not (_JUNK_AUTHOR if key == "author" else _JUNK_TITLE).match(value.strip()):
            fields.take(key, value, f"the file's properties ({prop})")
    if "department" not in fields.values:
        for where, text in [*side_texts, *((f"contact {c.name}", c.name) for c in fields.contacts)]:
            m = DEPARTMENT.search(text)
            if m:
                fields.take("department", m.group("v"), where)
                break
    if "department" not in fields.values and fields.contacts and fields.contacts[0].name:
        fields.take("department", fields.contacts[0].name, "the main contact's name")
    if fields.contacts:
        fields.take("phone", fields.contacts[0].phone, f"contact {fields.contacts[0].name or 'line'}")
    levels = _levels(blocks)
    if len(levels) > 2:
        report.check(f"the document has {len(levels)} levels of heading; those below the second became ###")
    return fields, blocks, levels


def _meta_inlines(value: dict) -> list[Node]:
    if value["t"] == "MetaInlines":
        return value["c"]
    if value["t"] == "MetaList" and value["c"]:
        return _meta_inlines(value["c"][0])
    if value["t"] == "MetaBlocks":
        return [x for b in value["c"] if b["t"] in ("Para", "Plain") for x in b["c"]]
    return [{"t": "Str", "c": str(value.get("c", ""))}]


def _title(fields: Fields, blocks: list[Node], meta: dict, properties: dict[str, str]) -> None:
    """The Title style, else a first heading (or first line in bold), else the file's Title property
    (often a template's, left stale: the words on the page win); a first heading or paragraph that
    repeats the title goes (ODT and HTML carry the Title style as an ordinary paragraph)."""
    first = next((i for i, b in enumerate(blocks) if block_text(b).strip()), None)
    heading = first is not None and blocks[first]["t"] == "Header"
    stated = properties.get("title", "").strip()
    if _JUNK_TITLE.match(stated):
        stated = ""
    if "title" in meta:
        fields.take("title", plain(_meta_inlines(meta["title"])), "the document's Title")
    elif first is not None and (heading or bold_line(blocks[first])):
        title = block_text(blocks[first])
        fields.take("title", title, "the first heading" if heading else "the first line, in bold")
        if stated and not _same(stated, title):
            fields.report.check(f"the file's Title property says {quote(stated)}; the first heading was taken instead")
        del blocks[first]
        return
    elif stated:
        fields.take("title", stated, "the file's properties (title)")
    if first is not None and _same(block_text(blocks[first]), fields.values.get("title", "")):
        fields.report.move("the title", block_text(blocks[first]), "into the front matter")
        del blocks[first]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold().strip(" .:") == " ".join(b.split()).casefold().strip(" .:")


def _website(fields: Fields, text: str, where: str, closing: bool) -> bool:
    """Take the web address of a 'visit www...' line (or a bare address); whether the line was only that."""
    sites = [s for s in _found(patterns.sub_websites, text) if not s.lower().startswith("mailto:") and "@" not in s]
    if not sites:
        return False
    bare = " ".join(text.split()).strip(" .") == sites[0]
    if closing and (bare or _VISIT.match(text.strip())) and len(sites) == 1:
        site = re.sub(r"^https?://", "", sites[0]).rstrip("/")
        if patterns.WEBSITE.fullmatch(site):
            fields.take("website", site, where)
            return fields.values.get("website") == site
    return False


def _closing(fields: Fields, blocks: list[Node], several_contacts: bool) -> list[Node]:
    """The body with the closing block's facts, the offer and the fact-only lines moved out."""
    start = next(
        (i for i, b in enumerate(blocks) if b["t"] == "Header" and CONTACT_HEADING.match(block_text(b))),
        None,
    )
    end = len(blocks)
    if start is not None:
        level = blocks[start]["c"][0]
        end = next(
            (j for j in range(start + 1, len(blocks)) if blocks[j]["t"] == "Header" and blocks[j]["c"][0] <= level),
            len(blocks),
        )
    closing = set(range(start + 1, end)) if start is not None else set()
    tail = set(range(max(0, len(blocks) - CLOSING_BLOCKS), len(blocks)))
    kept: list[Node] = []
    for i, block in enumerate(blocks):
        kept += _closing_block(fields, block, i in closing, i in closing or i in tail, several_contacts)
    if start is not None:
        heading_at = kept.index(blocks[start])
        after = kept[heading_at + 1 :]
        nxt = next(
            (k for k, b in enumerate(after) if b["t"] == "Header" and b["c"][0] <= blocks[start]["c"][0]), len(after)
        )
        # every leaflet ends with the pipeline's own "Contacting us": a second one is never kept
        fields.report.move("the heading", block_text(blocks[start]), "the closing block prints its own")
        if nxt:
            fields.report.check(
                f"the section {quote(block_text(blocks[start]))} said more than contacts: what else it said now ends "
                f"the section before it, from {quote(_text_of(after[0]))}: check it reads well there"
            )
        del kept[heading_at]
    if not fields.contacts:  # no contact lines: a phone number in the last paragraphs, which stay
        for block in blocks[-CLOSING_BLOCKS:]:
            text = _text_of(block)
            phones = phones_in(text)
            if phones:
                m = DEPARTMENT.search(text)
                fields.contacts.append(Contact(m.group("v") if m else "", phones[0]))
                fields.report.check(f"the phone number was taken from a sentence kept in the body: {quote(text)}")
                break
    return kept


SOURCES_HEADING = re.compile(
    r"^\s*(?:references?|sources?(?:\s+of\s+(?:information|evidence))?|evidence(?:\s+base)?|bibliography)\s*:?\s*$",
    re.I,
)


def _sources(fields: Fields, blocks: list[Node]) -> list[Node]:
    """A 'References' or 'Sources' section, of paragraphs or list items only, into the `sources:` list."""
    start = next((i for i, b in enumerate(blocks) if b["t"] == "Header" and SOURCES_HEADING.match(block_text(b))), None)
    if start is None:
        return blocks
    level = blocks[start]["c"][0]
    end = next(
        (j for j in range(start + 1, len(blocks)) if blocks[j]["t"] == "Header" and blocks[j]["c"][0] <= level),
        len(blocks),
    )
    found: list[list[Node]] = []
    for block in _undivided(blocks[start + 1 : end]):
        if block["t"] in ("Para", "Plain"):
            found.append(block["c"])
        elif block["t"] in ("BulletList", "OrderedList"):
            items = [_undivided(item) for item in (block["c"][1] if block["t"] == "OrderedList" else block["c"])]
            if not all(len(item) == 1 and item[0]["t"] in ("Para", "Plain") for item in items):
                return blocks
            found += [item[0]["c"] for item in items]
        else:
            return blocks  # a table, a picture, a sub-heading: an ordinary section
    if not found:
        return blocks
    fields.sources = found
    fields.report.move("the section", block_text(blocks[start]), f"its {len(found)} reference(s) into sources:")
    return blocks[:start] + blocks[end:]


def _undivided(blocks: list[Node]) -> list[Node]:
    """Blocks with the divs pandoc wraps around styled paragraphs opened."""
    return [inner for block in blocks for inner in (_undivided(block["c"][1]) if block["t"] == "Div" else [block])]


def _text_of(block: Node) -> str:
    if block["t"] in ("BulletList", "OrderedList"):
        items = block["c"][1] if block["t"] == "OrderedList" else block["c"]
        return " ".join(block_text(b) for item in items for b in item)
    return block_text(block)


def _closing_block(fields: Fields, block: Node, in_contacts: bool, near_end: bool, several: bool) -> list[Node]:
    """The block, or what is left of it, once its closing-block facts are moved out ([] when nothing is)."""
    if block["t"] in ("BulletList", "OrderedList") and in_contacts:
        ordered = block["t"] == "OrderedList"
        items = block["c"][1] if ordered else block["c"]
        left = [
            item for item in items if not (len(item) == 1 and not _closing_block(fields, item[0], True, True, several))
        ]
        if not left:
            return []
        return [{**block, "c": [block["c"][0], left] if ordered else left}]
    if block["t"] == "Div" and len(block["c"][1]) == 1:
        return [block] if _closing_block(fields, block["c"][1][0], in_contacts, near_end, several) else []
    if block["t"] not in ("Para", "Plain"):
        return [block]
    text = block_text(block)
    if not text.strip():
        return [block]
    if near_end and OFFER.search(text) and len(text) < 200:
        fields.report.move("the offer of other languages and formats", text, "the pipeline prints it")
        return []
    if in_contacts:
        contact = contact_line(text)
        if contact is not None and (several or not fields.contacts):
            fields.contacts.append(contact)
            fields.report.move("contact", text, "into the front matter")
            return []
        if contact is not None:
            fields.report.check(
                f"a second contact stays in the body: {quote(text)} (the reader takes one phone number until it "
                "takes a contacts: list)"
            )
        if _website(fields, text, "the closing block", closing=True):
            fields.report.move("website line", text, "the closing block prints it")
            return []
    rest = fields.facts(text, "the body") if near_end or re.search(r"\b(?:review|leaflet\s+code)", text, re.I) else text
    if rest != text and not _leftover(rest):
        fields.report.move("", text, "leaflet code, author or review dates: printed from the front matter")
        return []
    return [block]


def _levels(blocks: list[Node]) -> dict[int, int]:
    """Document heading levels -> 2 or 3: the highest used becomes ##, the next ###, deeper ones ### too."""
    used = sorted({b["c"][0] for b in _headers(blocks)})
    return {level: 2 if n == 0 else 3 for n, level in enumerate(used)}


def _headers(blocks: list[Node]):
    for block in blocks:
        if block["t"] == "Header":
            yield block
        elif block["t"] == "Div":
            yield from _headers(block["c"][1])
