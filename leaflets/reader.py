"""Markdown reader: `source/<ID>-<slug>.md` (YAML front matter + a CommonMark subset) -> Leaflet.

Parsing is markdown-it-py's; this module only maps its syntax tree onto the model and refuses,
with file:line and a fix, every construct a leaflet may not contain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import yaml
from markdown_it import MarkdownIt

from . import inline, patterns, pictures, tables, unsupported
from .characters import bad_characters, name
from .errors import LeafletError
from .locales import SOURCE_LOCALE
from .model import (
    NOTICE_KINDS,
    QUOTE,
    Block,
    Contact,
    Emphasis,
    Heading,
    Leaflet,
    ListBlock,
    ListItem,
    Meta,
    Notice,
    Paragraph,
    Picture,
    Segment,
    Strong,
    Table,
    Text,
    YearMonth,
    segments,
)

# html on so that <!-- i18n: --> comments reach us (and other HTML can be refused by line);
# tables (GFM) and strike-through on, so that a table is read and ~~x~~ refused instead of printed raw.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_ALERT = re.compile(r"^\[!([A-Za-z]+)\][ \t]*")

FILENAME = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*_[0-9]+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
_ID = re.compile(r"^[A-Z][A-Z0-9]*_[0-9]+$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 8x faster
_NOTE = re.compile(r"^<!--\s*i18n:\s*(.*?)\s*-->\s*$", re.S)

REQUIRED = ("id", "title", "organisation", "department", "phone", "website", "author", "reviewed", "next_review")
OPTIONAL = ("keep", "contacts", "sources")
CONTACT_KEYS = ("name", "phone", "hours", "main")


class SourceError(LeafletError):
    """A mistake in a leaflet's source file."""


MAX_ERRORS = 20  # mistakes of one file reported in one run


class SourceErrors(SourceError):
    """Several mistakes in one source file, one line each (the first MAX_ERRORS of them)."""

    def __init__(self, errors: list[SourceError]):
        first = errors[0]
        super().__init__(first.reason, first.path, first.line, first.fix)
        self.errors = errors
        lines = [str(e) for e in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            lines.append(f"{first.path}: {len(errors) - MAX_ERRORS} more mistakes not shown")
        self.args = ("\nerror: ".join(lines),)


def _raise(errors: list[SourceError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SourceErrors(errors)


def decode(data: bytes) -> str:
    """A UTF-8 file's text as `read_text` gives it (\r\n and \r read as \n)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def read(path: Path | str, data: bytes | None = None) -> Leaflet:
    """Read and validate one leaflet source file (or its bytes, already read: `path` then only
    names it in messages)."""
    path = Path(path)
    name = FILENAME.match(path.name)
    if not name:
        raise SourceError(
            "file name must be <ID>-<slug>.md",
            path,
            fix="e.g. RAD_0009-vertebroplasty.md: ID in capitals, slug in lower case",
        )
    data = path.read_bytes() if data is None else data
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8", path, line, fix="save the file as UTF-8") from exc
    _refuse_hostile_text(text, path)
    front, body_start = _split_front_matter(text, path)
    errors: list[SourceError] = []
    meta = _meta(front, path, name.group("slug"), errors)
    if meta is not None and meta.id != name.group("id"):
        errors.append(
            SourceError(
                f"front matter id {meta.id!r} does not match the file name",
                path,
                _key_line(text, "id"),
                fix=f"rename the file or set id: {name.group('id')}",
            )
        )
    body = "\n".join(text.split("\n")[body_start:])
    reading = _Blocks(path, body_start)
    blocks = reading.read(body)
    errors += reading.errors
    if not blocks and not reading.errors:
        errors.append(
            SourceError(
                "the leaflet has no body text",
                path,
                body_start + 1,
                fix="write the leaflet's text below the front matter",
            )
        )
    _raise(errors)
    assert meta is not None  # no errors: the front matter was read
    return Leaflet(meta=meta, blocks=blocks, locale=SOURCE_LOCALE, path=str(path))


def _key_line(text: str, key: str) -> int:
    return next((i for i, line in enumerate(text.split("\n"), start=1) if line.startswith(f"{key}:")), 1)


def next_review(path: Path) -> YearMonth | None:
    """The next_review month from the front matter alone (cheap: no Markdown parsing); None if
    it cannot be read (the full read reports why)."""
    try:
        front, _ = _split_front_matter(Path(path).read_text(encoding="utf-8"), Path(path))
        m = _YEAR_MONTH.match(str(front.get("next_review", "")))
    except (OSError, UnicodeDecodeError, LeafletError):
        return None
    return YearMonth(int(m.group(1)), int(m.group(2))) if m else None


def _refuse_hostile_text(text: str, path: Path) -> None:
    """Refuse what a reader cannot see but a file can carry: a direction override (U+202E makes
    "Take 01 tablets" show as "Take 10"), control and other invisible characters (the list:
    leaflets/characters.py; ZWJ/ZWNJ allowed), each named with its first line."""
    errors = [
        SourceError(
            f"invisible {name(c)} in the text: it changes what is shown or said without being seen",
            path,
            text.count("\n", 0, text.index(c)) + 1,
            fix="delete it (in a text editor that shows invisible characters)",
        )
        for c in bad_characters(text)
    ]
    _raise(errors)


def _refuse_aliases(front: str, path: Path) -> None:
    """YAML anchors and aliases (&a, *a) in front matter are refused before anything is built
    from them: a few lines of nested aliases expand to gigabytes (a "billion laughs")."""
    try:
        for event in yaml.parse(front, Loader=_YAML):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(
                    "front matter: YAML anchors and aliases (&name, *name) are not allowed",
                    path,
                    (event.start_mark.line if event.start_mark else 0) + 2,
                    fix="write each value out in full",
                )
    except yaml.YAMLError:
        return  # the load reports it, with its line


def _split_front_matter(text: str, path: Path) -> tuple[dict, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            "missing front matter", path, 1, fix="start the file with a line '---', the keys, then another '---'"
        )
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise SourceError("front matter is not closed", path, 1, fix="add a line '---' after the keys")
    _refuse_aliases("\n".join(lines[1:end]), path)
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_YAML) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        fix = "write one 'key: value' per line"
        if "mapping values are not allowed" in problem:  # an unquoted ': ' inside a value
            key, _, value = lines[line - 1].partition(":")
            fix = f"a value with ': ' in it must be quoted: {key}: {_quoted(value.strip())}"
        raise SourceError(f"front matter: {problem}", path, line, fix=fix) from exc
    if not isinstance(data, dict):
        raise SourceError("front matter must be 'key: value' lines", path, 2)
    data["__lines__"] = {
        m.group(1): i + 2
        for i, text_line in enumerate(lines[1:end])
        if (m := re.match(r"^([A-Za-z_]+)\s*:", text_line))
    }
    return data, end + 1


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _meta(front: dict, path: Path, slug: str, errors: list[SourceError]) -> Meta | None:
    """The front matter as Meta, or None; every mistake found is added to `errors`."""
    lines = front.pop("__lines__")
    before = len(errors)

    def bad(key, what, fix=""):
        errors.append(SourceError(f"front matter key '{key}': {what}", path, lines.get(key, 1), fix=fix))

    for key in front:
        if key not in REQUIRED + OPTIONAL:
            bad(key, "unknown key", fix="allowed keys: " + ", ".join(REQUIRED + OPTIONAL))
    required = [k for k in REQUIRED if not (k == "phone" and front.get("contacts"))]  # contacts may replace phone
    missing = [key for key in required if key not in front or front[key] in (None, "")]
    if missing:
        names = ", ".join(f"'{key}'" for key in missing)
        errors.append(
            SourceError(
                f"front matter key{'s' if len(missing) > 1 else ''} {names} {'are' if len(missing) > 1 else 'is'} "
                "missing",
                path,
                1,
                fix="add " + ", ".join(f"a line '{key}: ...'" for key in missing) + " to the front matter",
            )
        )
    for key in required:
        if key not in missing and (not isinstance(front[key], (str, int)) or isinstance(front[key], bool)):
            bad(key, "must be a single line of text", fix="quote the value")
    values = {k: str(front[k]).strip() for k in REQUIRED if k in front and front[k] not in (None, "")}
    if "id" in values and not _ID.match(values["id"]):
        bad("id", f"{values['id']!r} is not a leaflet code", fix="capitals, underscore, digits: RAD_0009")
    phone = values.get("phone")
    if phone and not (patterns.PHONE.fullmatch(phone) and patterns.is_phone(phone)):
        bad("phone", f"{phone!r} is not a phone number", fix="digits and spaces, e.g. 0118 322 7991")
    if "website" in values and not patterns.WEBSITE.fullmatch(values["website"]):
        bad("website", f"{values['website']!r} is not a web address", fix="e.g. www.example.nhs.uk")
    dates = {}
    for key in ("reviewed", "next_review"):
        m = _YEAR_MONTH.match(values.get(key, ""))
        if m:
            dates[key] = YearMonth(int(m.group(1)), int(m.group(2)))
        elif key in values:
            bad(key, f"{front[key]!r} is not a year and month", fix="write YYYY-MM in quotes, e.g. '2026-05'")
    if len(dates) == 2 and (dates["next_review"].year, dates["next_review"].month) <= (
        dates["reviewed"].year,
        dates["reviewed"].month,
    ):
        bad("next_review", "must be after 'reviewed'")
    keep = front.get("keep", [])
    if isinstance(keep, str):
        keep = [keep]
    if not isinstance(keep, list) or not all(isinstance(k, str) and k.strip() for k in keep):
        bad("keep", "must be a list of terms", fix="e.g. keep: [Warfarin, Clopidogrel]")

    def segment(key):
        try:
            runs = inline.parse(values[key], where=f"front matter '{key}'")
        except inline.InlineError as exc:
            errors.append(SourceError(exc.reason, path, lines.get(key, 1), fix=exc.fix))
            return None
        return Segment(runs, inline.to_markdown(runs), line=lines.get(key, 1), note=f"leaflet {key}")

    title, department = (segment(k) if k in values else None for k in ("title", "department"))
    contacts = _contacts(front.get("contacts"), path, lines.get("contacts", 1), errors)
    sources = _sources(front.get("sources"), path, lines.get("sources", 1), errors)
    if len(errors) > before or title is None or department is None:
        return None
    return Meta(
        id=values["id"],
        slug=slug,
        title=title,
        organisation=values["organisation"],
        department=department,
        phone=values.get("phone", ""),
        website=values["website"],
        author=values["author"],
        reviewed=dates["reviewed"],
        next_review=dates["next_review"],
        keep=tuple(k.strip() for k in keep),
        contacts=contacts,
        sources=sources,
    )


def _contacts(raw, path: Path, line: int, errors: list[SourceError]) -> tuple[Contact, ...]:
    """The front matter's `contacts:` list (name, phone, optional hours and main)."""
    if raw is None:
        return ()
    fix = "e.g. contacts: [{name: Ward 10, phone: 0118 322 7991, hours: 24 hours a day, main: true}]"
    if not isinstance(raw, list) or not raw:
        errors.append(SourceError("front matter key 'contacts': must be a list of contacts", path, line, fix=fix))
        return ()
    out = []
    for n, item in enumerate(raw, start=1):

        def bad(what: str, fix: str = fix, n: int = n) -> None:
            errors.append(SourceError(f"front matter key 'contacts': contact {n} {what}", path, line, fix=fix))

        if not isinstance(item, dict):
            bad("must have name: and phone:")
            continue
        unknown = [k for k in item if k not in CONTACT_KEYS]
        if unknown:
            bad(f"has an unknown key '{unknown[0]}'", "a contact has name, phone, hours and main")
        name, phone, hours = (item.get(k) for k in ("name", "phone", "hours"))
        if not isinstance(name, str) or not name.strip():
            bad("has no name", "add name: (the ward, helpdesk or nurse to ask for)")
            continue
        phone = str(phone).strip() if isinstance(phone, (str, int)) and not isinstance(phone, bool) else ""
        if not (patterns.PHONE.fullmatch(phone) and patterns.is_phone(phone)):
            bad(f"phone {item.get('phone')!r} is not a phone number", "digits and spaces, e.g. 0118 322 7991")
            continue
        if hours is not None and (not isinstance(hours, str) or not hours.strip()):
            bad("hours must be a line of text", "e.g. hours: Monday to Friday, 9am to 5pm")
            continue
        if item.get("main", False) not in (True, False):
            bad("main must be true or false")
        segs: list[Segment | None] = []
        for key, value in (("name", name), ("hours", hours)):
            if value is None:
                segs.append(None)
                continue
            try:
                runs = inline.parse(value.strip(), where=f"front matter contact {n} {key}")
            except inline.InlineError as exc:
                errors.append(SourceError(exc.reason, path, line, fix=exc.fix))
                break
            segs.append(Segment(runs, inline.to_markdown(runs), line=line, note=f"leaflet contact {key}"))
        else:
            assert segs[0] is not None
            out.append(Contact(segs[0], phone, segs[1], item.get("main") is True))
    if sum(c.main for c in out) > 1:
        errors.append(
            SourceError("front matter key 'contacts': more than one main contact", path, line, fix="mark one")
        )
    return tuple(sorted(out, key=lambda c: not c.main))  # the main contact first, the rest in order


def _sources(raw, path: Path, line: int, errors: list[SourceError]) -> tuple[Segment, ...]:
    """The front matter's `sources:` list: references for the clinical content, kept in English."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    fix = 'e.g. sources: ["NICE. Percutaneous vertebroplasty (IPG12), 2003."]'
    if not isinstance(raw, list) or not all(isinstance(r, str) and r.strip() for r in raw):
        errors.append(SourceError("front matter key 'sources': must be a list of references", path, line, fix=fix))
        return ()
    out = []
    for text in raw:
        try:
            runs = inline.parse(text.strip(), where="front matter 'sources'")
        except inline.InlineError as exc:
            errors.append(SourceError(exc.reason, path, line, fix=exc.fix))
            continue
        out.append(Segment(inline.glue_numbers(runs), inline.to_markdown(runs), line=line))
    return tuple(out)


class _Blocks:
    """Walks markdown-it's syntax tree, refusing what the leaflet format does not have."""

    def __init__(self, path: Path, offset: int):
        self.path, self.offset = path, offset
        self.note, self.note_line = "", 0
        self.section = False  # a ## heading has been seen
        self.errors: list[SourceError] = []  # every refusal, each block read on regardless

    def read(self, body: str) -> tuple:
        self.lines = body.split("\n")
        blocks = self.blocks(_tree(_PARSER.parse(body)), depth=0)
        if self.note:
            self.errors.append(
                SourceError(
                    "translator note has no block after it",
                    self.path,
                    self.note_line,
                    fix="put the <!-- i18n: ... --> comment just above the block it explains",
                )
            )
        return blocks

    def line(self, node) -> int:
        return (node.map[0] if node.map else 0) + self.offset + 1

    def refuse(self, node, what: str, fix: str) -> NoReturn:
        raise SourceError(f"{what} is not allowed in a leaflet", self.path, self.line(node), fix=fix)

    def blocks(self, nodes, depth: int, in_quote: bool = False) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            try:
                self.block(node, depth, in_quote, out)
            except SourceError as exc:
                self.errors.append(exc)
        return tuple(out)

    def block(self, node, depth: int, in_quote: bool, out: list[Block]) -> None:
        kind = node.type
        if kind == "html_block":
            note = _NOTE.match(node.content)
            if not note:
                self.refuse(node, "raw HTML", "use Markdown; translator notes are <!-- i18n: ... -->")
            # several notes in a row all reach the next block
            self.note = f"{self.note}\n{note.group(1)}" if self.note else note.group(1)
            self.note_line = self.line(node)
        elif kind == "heading":
            level = int(node.tag[1])
            if level == 1:
                self.refuse(node, "a level-1 heading", "the title comes from the front matter; use ## for sections")
            if level > 3:
                self.refuse(node, f"a level-{level} heading", "use ## for sections and ### below them")
            if in_quote:
                self.refuse(node, "a heading inside a block quote", "put the heading above the notice")
            if level == 3 and not self.section:
                self.refuse(
                    node,
                    "a ### heading before any ## heading",
                    "headings must not skip a level: start the section with ##",
                )
            self.section = True
            out.append(Heading(level, self.segment(node.children[0], "heading")))
        elif kind == "paragraph":
            out.append(self.paragraph(node))
        elif kind in ("bullet_list", "ordered_list"):
            out.append(self.list(node, depth))
        elif kind == "blockquote":
            if in_quote:
                self.refuse(node, "a block quote inside a block quote", "use one level of notice")
            out.append(self.notice(node, depth))
        elif kind == "table":
            if in_quote:
                self.refuse(node, "a table inside a block quote", "put the table after the notice")
            out.append(self.table(node))
        elif kind in ("fence", "code_block"):
            self.refuse(node, "a code block", "write plain paragraphs (indented text is code in Markdown)")
        elif kind == "hr":
            self.refuse(node, "a horizontal rule", "use a ## heading to start a new section")
        else:
            self.refuse(node, f"Markdown '{kind}'", "use headings, paragraphs, lists and block quotes")

    def notice(self, node, depth: int) -> Notice:
        """`> [!KIND]` on the first line makes a notice of that kind; a plain block quote is a quotation."""
        kind = QUOTE
        children = list(node.children)
        first = children[0] if children and children[0].type == "paragraph" else None
        alert = _ALERT.match(first.children[0].content.lstrip()) if first else None
        if alert and first is not None:
            kind = alert.group(1).lower()
            if kind not in NOTICE_KINDS:
                self.refuse(
                    node,
                    f"a notice of kind [!{alert.group(1)}]",
                    "use [!IMPORTANT], [!WARNING], [!CAUTION], [!TIP] or [!NOTE]",
                )
            _drop_marker(first.children[0], alert.end())
            if not first.children[0].token.children:
                children = children[1:]
        blocks = self.blocks(children, depth, in_quote=True)
        if not blocks:
            self.refuse(node, "an empty block quote", "write the notice's text after '>' or remove it")
        lead = next(iter(segments(blocks)), None)
        if kind != QUOTE and lead is not None and lead.text.casefold().startswith((kind + ":", kind + " :")):
            raise SourceError(
                f"the notice starts with its own label {lead.text.split(':')[0]!r}",
                self.path,
                lead.line,
                fix=f"remove it: [!{kind.upper()}] prints and speaks the label in every language",
            )
        return Notice(blocks, kind=kind)

    def paragraph(self, node) -> Paragraph | Picture:
        tokens = [t for t in node.children[0].token.children or [] if not (t.type == "text" and not t.content.strip())]
        if len(tokens) == 1 and tokens[0].type == "image":
            return self.picture(node, tokens[0])
        start, end = node.map if node.map else (0, 0)
        if tables.headerless(self.lines[start:end]):
            self.refuse(
                node,
                "a table with no header row",
                "write the column headings as the first row and a |---|---| line under it",
            )
        return Paragraph(self.segment(node.children[0], "paragraph"))

    def picture(self, node, token) -> Picture:
        line = self.line(node)
        src = str(token.attrGet("src") or "")
        name = pictures.file_name(src)
        if name is None:
            raise SourceError(
                f"picture {src!r} is not a file in images/",
                self.path,
                line,
                fix="put the picture in source/images/ and write ![what it shows](images/name.png); PNG, JPEG or SVG",
            )

        def refuse(what, fix):
            raise SourceError(f"{what} is not allowed in a picture's alt text", self.path, line, fix=fix)

        runs = inline.from_tokens(token.children or [], refuse)
        alt = Segment(runs, inline.to_markdown(runs), line=line, note=self._take_note())
        problem = pictures.alt_problem(alt.text, name)
        if problem:
            raise SourceError(
                f"picture {name} {problem}",
                self.path,
                line,
                fix="say what it shows, e.g. ![A nurse helping a patient put on a support stocking](images/...)",
            )
        title = str(token.attrGet("title") or "").strip()
        caption = None
        if title:
            cruns = inline.parse(title, where="a picture's caption")
            caption = Segment(cruns, inline.to_markdown(cruns), line=line)
        try:
            loaded = pictures.load(self.path.parent / pictures.FOLDER, name)
        except pictures.PictureError as exc:
            raise SourceError(exc.reason, self.path, line, fix=exc.fix) from exc
        return Picture(name, alt, caption, loaded.data, loaded.media_type, loaded.width, loaded.height)

    def table(self, node) -> Table:
        """A pipe table: a header row, then body rows each as long as it (counted in the source)."""
        head = next(c for c in node.children if c.type == "thead")
        body = next((c for c in node.children if c.type == "tbody"), None)
        header_row = head.children[0]
        width = len(header_row.children)
        align = tuple(tables.alignment(c.attrs.get("style")) for c in header_row.children)
        note = self._take_note()
        header = []
        for i, cell in enumerate(header_row.children):
            seg = self.cell(cell, "table column header")
            if seg is None:
                raise SourceError(
                    f"column {i + 1} of the table has no header",
                    self.path,
                    self.line(header_row),
                    fix="give every column a heading in the first row",
                )
            header.append(seg if not note else replace(seg, note=note))
        rows = []
        for r, row in enumerate(body.children if body else [], start=1):
            start = row.map[0] if row.map else 0
            found = tables.cell_count(self.lines[start]) if start < len(self.lines) else width
            if found != width:
                raise SourceError(
                    f"row {r} of the table has {found} cells, the header has {width}",
                    self.path,
                    self.line(row),
                    fix="give every row one cell per column (an empty cell is | |)",
                )
            rows.append(tuple(self.cell(c, "table cell") for c in row.children))
        if not rows:
            self.refuse(node, "a table with no rows under its header", "add the rows, or write a paragraph")
        return Table(tuple(header), tuple(rows), align, self.line(node))

    def cell(self, cell, kind: str) -> Segment | None:
        inline_node = cell.children[0] if cell.children else None
        if inline_node is None or not (inline_node.token.children or []):
            return None
        seg = self.segment(inline_node, kind, take_note=False)
        return seg

    def _take_note(self) -> str:
        note, self.note = self.note, ""
        return note

    def list(self, node, depth: int) -> ListBlock:
        if depth > 1:
            self.refuse(node, "a list nested more than one level", "flatten it to two levels")
        items = []
        for item in node.children:
            try:
                items.append(self.item(item, depth))
            except SourceError as exc:
                self.errors.append(exc)
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        return ListBlock(node.type == "ordered_list", tuple(items), start)

    def item(self, item, depth: int) -> ListItem:
        content: Segment | None = None
        sublists: list[ListBlock] = []
        for child in item.children:
            if child.type == "paragraph" and content is None and not sublists:
                content = self.segment(child.children[0], "list item", list_item=True)
            elif child.type in ("bullet_list", "ordered_list") and content is not None:
                sublists.append(self.list(child, depth + 1))
            elif child.type == "html_block":
                self.blocks([child], depth + 1)  # a translator note, or refused as raw HTML
            elif child.type == "paragraph":
                self.refuse(
                    child,
                    "a list item with more than one paragraph",
                    "give each item one paragraph; start another item or a paragraph after the list",
                )
            else:
                self.refuse(
                    child,
                    f"'{child.type}' inside a list item",
                    "a list item holds one paragraph and, optionally, one nested list",
                )
        if content is None:
            self.refuse(item, "an empty list item", "write its text or remove it")
        return ListItem(content, tuple(sublists))

    def segment(self, inline_node, kind: str, list_item: bool = False, take_note: bool = True) -> Segment:
        line = self.line(inline_node)

        def refuse(what, fix):
            raise SourceError(f"{what} is not allowed in a leaflet", self.path, line, fix=fix)

        for what, fix in unsupported.problems(inline_node.content, list_item):
            refuse(what, fix)
        runs = inline.from_tokens(inline_node.token.children or [], refuse)
        if not runs:
            raise SourceError(f"empty {kind}", self.path, line, fix="remove it or write its text")
        note = self._take_note() if take_note else ""
        return Segment(runs, inline.to_markdown(runs), line=line, note=note)


def _drop_marker(inline_node, length: int) -> None:
    """Remove a notice's `[!KIND]` marker from the paragraph's inline tokens: its whole first line
    when nothing follows it (GitHub's form), else the marker alone ("> [!WARNING] Do not drive.")."""
    token = inline_node.token
    children = list(token.children or [])
    first_line = token.content.lstrip().split("\n")[0]
    if first_line[length:].strip() and children and children[0].type == "text":
        children[0].content = children[0].content.lstrip()[length:]
        token.children = children
        token.content = token.content.lstrip()[length:]
        return
    cut = next((i for i, t in enumerate(children) if t.type in ("softbreak", "hardbreak")), len(children) - 1)
    token.children = children[cut + 1 :]
    token.content = token.content.partition("\n")[2]
    if token.map:
        token.map = [token.map[0] + 1, token.map[1]]


class _Node:
    """A block of markdown-it's token stream with its children (markdown-it's own
    SyntaxTreeNode does the same but costs more than the parse itself on large libraries)."""

    __slots__ = ("children", "token")

    def __init__(self, token):
        self.token, self.children = token, []

    type = property(lambda self: self.token.type.removesuffix("_open"))
    tag = property(lambda self: self.token.tag)
    map = property(lambda self: self.token.map)
    content = property(lambda self: self.token.content)
    attrs = property(lambda self: self.token.attrs)


def _tree(tokens) -> list[_Node]:
    root: list[_Node] = []
    stack = [root]
    for tok in tokens:
        if tok.nesting == -1:
            stack.pop()
            continue
        node = _Node(tok)
        stack[-1].append(node)
        if tok.nesting == 1:
            stack.append(node.children)
    return root


# Endings of international non-proprietary drug names (WHO INN stems) common in leaflets.
_DRUG = re.compile(
    r"^[A-Z][a-z]{2,}(?:arin|pirin|grel|parin|xaban|gatran|mab|nib|pril|sartan|statin|olol|azole|cillin|"
    r"mycin|cycline|oxacin|prazole|dipine|triptan|azepam|formin|tamol|profen|codone|caine|sone|olone|"
    r"ulin|amide|thiazide|setron|lukast|tidine)$"
)


def drug_name_warnings(leaflet: Leaflet) -> list[str]:
    """Emphasised words that look like drug names (*Warfarin*) but are not in the front matter's
    `keep:`: the translation checks protect only the terms listed there."""
    kept = {k.casefold() for k in leaflet.meta.keep}
    found: dict[str, int] = {}
    for seg in segments(leaflet.blocks):
        for run in _emphasised(seg.inlines):
            for word in re.findall(r"\w+", run):
                if _DRUG.match(word) and word.casefold() not in kept:
                    found.setdefault(word, seg.line)
    what = "has no keep: list" if not leaflet.meta.keep else "does not list it in keep:"
    return [
        f"{leaflet.path}:{line}: warning: *{word}* looks like a drug name but the front matter {what} "
        f"(add it, e.g. keep: [{', '.join([*leaflet.meta.keep, word])}], so every translation must keep it)"
        for word, line in found.items()
    ]


def _emphasised(inlines, inside: bool = False):
    for node in inlines:
        if isinstance(node, Text):
            if inside:
                yield node.text
        elif hasattr(node, "children"):
            yield from _emphasised(node.children, inside or isinstance(node, (Strong, Emphasis)))
