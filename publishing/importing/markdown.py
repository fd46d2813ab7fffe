"""pandoc's syntax tree (JSON, API 1.22) -> the body of a leaflet source, in the reader's subset.

Written here rather than by pandoc's gfm writer because the leaflet subset is narrower than GFM
and every narrowing must be said: italics become bold, underlining and colour are not meaning,
lists deeper than the reader allows are flattened, a cell holds one line, a picture needs its
alt text. Each kept passage's plain text is recorded (`texts`) so the import can prove, after
reading the result back, that no text was lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .report import Report, quote

Node = dict[str, Any]  # one pandoc element: {"t": type, "c": content}


def _content(node: Node) -> Any:
    """An element's content (pandoc leaves it out for Space, SoftBreak and the like)."""
    return node.get("c")


# Escaped wherever they appear (markdown-it would read them as markup); `&` only before an entity.
_INLINE_ESCAPE = re.compile(r"([\\`*_\[\]<>~])|(&(?=#?\w+;))")
# What would start a heading, quote, list, rule or setext underline at the start of a block.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[>+=:-]|\d{1,9}(?=[.)]))")
_CLICK_HERE = re.compile(
    r"^\s*(click here|here|this link|link|click|more|read more|this page|website)\s*[.:!]?\s*$", re.I
)
_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_LIST_LEVEL = re.compile(r"^list (?:bullet|number|paragraph|continue)\s*(\d)?$", re.I)
MAX_DEPTH = 2  # list levels the reader allows: an item and one nested list
MAX_HEADING_WORDS = 12  # a bold line longer than this is emphasis, not a heading


def plain(nodes: list[Node]) -> str:
    """The words of some inline elements, markup dropped (pandoc's `stringify`)."""
    out = []
    for node in nodes:
        kind, c = node["t"], _content(node)
        if kind == "Str":
            out.append(c)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind in ("Code", "Math", "RawInline"):
            out.append(c[1])
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(plain(c))
        elif kind == "Quoted":
            mark = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
            out.append(mark[0] + plain(c[1]) + mark[1])
        elif kind in ("Cite", "Span", "Link", "Image"):
            out.append(plain(c[1]))
    return "".join(out)


def block_text(block: Node) -> str:
    """The plain text of a paragraph-like block (a heading, paragraph or a div around one)."""
    kind, c = block["t"], _content(block)
    if kind in ("Para", "Plain"):
        return plain(c)
    if kind == "Header":
        return plain(c[2])
    if kind == "Div" and len(c[1]) == 1:
        return block_text(c[1][0])
    return ""


def escape(text: str) -> str:
    return _INLINE_ESCAPE.sub(lambda m: "\\" + m.group(0), text)


def escape_start(markdown: str) -> str:
    """A block's Markdown with its first character escaped if it would start other markup."""
    m = _BLOCK_START.match(markdown)
    if not m:
        return markdown
    if m.group(1)[0].isdigit():  # "2024. The year" or "1) first": escape the delimiter
        end = m.end()
        return markdown[:end] + "\\" + markdown[end:]
    return "\\" + markdown


def escape_lines(markdown: str) -> str:
    """`escape_start` for every line of a block: a line after a hard break ("Bring:" then "- shoes",
    Word's Shift+Enter) would otherwise start a list, a heading or a quote."""
    first, *rest = markdown.split("\\\n")
    return "\\\n".join([escape_start(first), *(escape_start(line.lstrip(" ")) for line in rest)])


def style(block: Node) -> str:
    """The Word paragraph style pandoc's `+styles` extension recorded on a div ('' if none)."""
    if block["t"] != "Div":
        return ""
    return dict(block["c"][0][2]).get("custom-style", "")


@dataclass
class Picture:
    """A picture met in the body: its file in the extracted media and what the document says of it."""

    src: str
    alt: str
    caption: str


@dataclass
class Writer:
    """Walks the blocks once; `out` collects Markdown blocks, `texts` the plain text of each kept passage."""

    report: Report
    picture: Callable[[Picture], str | None]  # stores a picture: its path relative to the source, or None
    levels: dict[int, int] = field(default_factory=dict)  # document heading level -> 2 or 3
    out: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnotes, printed at the end
    section: bool = False  # a ## heading has been written

    # --- blocks ---------------------------------------------------------------------------------

    def body(self, blocks: list[Node]) -> str:
        self.blocks(_nest_styled_lists(_merge_lists(blocks)))
        if self.notes:
            self.out.append("## Notes")
            self.out.append("\n".join(f"{n}. {text}" for n, text in enumerate(self.notes, start=1)))
            self.report.check(f"{len(self.notes)} footnote(s) moved to a 'Notes' section at the end: check their place")
        return "\n\n".join(self.out) + "\n"

    def blocks(self, blocks: list[Node]) -> None:
        i = 0
        while i < len(blocks):
            block = blocks[i]
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if following is not None and _caption_of(following) and _picture_only(block):
                self.picture_block(block, caption=block_text(following))
                i += 2
                continue
            self.block(block)
            i += 1

    def block(self, block: Node) -> None:
        kind, c = block["t"], _content(block)
        if kind in ("Para", "Plain"):
            self.paragraph(c)
        elif kind == "Header":
            self.heading(c[0], c[2])
        elif kind in ("BulletList", "OrderedList"):
            self.list_block(block)
        elif kind == "Table":
            self.table(c)
        elif kind == "Div":
            self.blocks(c[1])
        elif kind == "BlockQuote":
            self.report.check(
                f"an indented or quoted passage became ordinary paragraphs: {quote(_blocks_text(c))} "
                "(make it a notice with '>' if it is a warning)"
            )
            self.blocks(c)
        elif kind == "LineBlock":
            self.paragraph([x for n, line in enumerate(c) for x in ([{"t": "LineBreak"}] if n else []) + line])
        elif kind == "CodeBlock":
            self.report.check(f"preformatted text became a paragraph: {quote(c[1])}")
            lines = [{"t": "Str", "c": line} for line in c[1].splitlines() if line.strip()]
            self.paragraph([x for n, line in enumerate(lines) for x in ([{"t": "LineBreak"}] if n else []) + [line]])
        elif kind == "DefinitionList":
            for term, definitions in c:
                self.paragraph([{"t": "Strong", "c": term}])
                for definition in definitions:
                    self.blocks(definition)
        elif kind == "RawBlock":
            self.report.check(f"a passage pandoc could not map ({c[0]}) was left out: {quote(c[1])}")
        elif kind in ("HorizontalRule", "Null"):
            pass  # no text: a rule between sections is the headings' job
        else:
            self.report.check(f"a '{kind}' block pandoc made could not be mapped: {quote(_blocks_text([block]))}")

    def paragraph(self, inlines: list[Node]) -> None:
        """A paragraph; a picture inside it becomes a picture block of its own, in place; one that
        starts with a label ("Important:", "Warning:") becomes a notice of that kind."""
        words = _notice(plain(inlines).strip())
        if words is not None and not any(_bare_image(n) for n in inlines):
            kind, text = _notice(self.inline(inlines).strip()) or (words[0], escape(words[1]))
            self.report.check(
                f"a paragraph starting {kind.title()!r} became a notice (> [!{kind.upper()}]; the pipeline prints "
                f"the label): {quote(plain(inlines))}"
            )
            self.out.append(f"> [!{kind.upper()}]\n> " + escape_lines(text).replace("\n", "\n> "))
            self.texts.append(words[1])
            return
        if bold_line({"t": "Para", "c": inlines}):
            self.report.check(
                f"a line in bold looks like a heading: {quote(plain(inlines))} (make it a Heading in Word: screen "
                "readers list headings, and the audio and braille use them)"
            )
        run: list[Node] = []
        for node in [*inlines, None]:
            picture = node is not None and _bare_image(node)
            if node is None or picture:
                text = self.inline(run).strip()
                if text:
                    self.out.append(escape_lines(text))
                    self.texts.append(plain(run))
                run = []
                if picture:
                    self.image(picture, caption="")
            else:
                run.append(node)

    def picture_block(self, block: Node, caption: str) -> None:
        image = next(_images([block]))
        self.image(image, caption)

    def image(self, node: Node, caption: str) -> None:
        (_, _, _), alt_nodes, (src, title) = node["c"]
        picture = Picture(src, " ".join(plain(alt_nodes).split()), " ".join((caption or title).split()))
        path = self.picture(picture)  # may settle the alt text (a placeholder, Word's own cut)
        if path is None:  # no file to show: its words stay, as text
            self.paragraph([{"t": "Str", "c": f"[Picture: {picture.alt}]"}])
            return
        alt = escape(picture.alt).replace("\n", " ")
        title = f' "{picture.caption.replace(chr(34), chr(39))}"' if picture.caption else ""
        self.out.append(f"![{alt}]({path}{title})")
        self.texts += [t for t in (picture.alt, picture.caption) if t]

    def heading(self, level: int, inlines: list[Node]) -> None:
        text = self.inline(inlines).replace("\\\n", " ").strip()  # a heading is one line
        if not text:
            return
        mapped = self.levels.get(level, 3)
        if mapped == 3 and not self.section:
            mapped = 2  # the reader refuses a ### before any ##
        self.section = True
        self.out.append("#" * mapped + " " + text)
        self.texts.append(plain(inlines))

    def list_block(self, block: Node, depth: int = 1) -> None:
        at = len(self.out)  # what an item could not hold is written after the list
        self.out.insert(at, "\n".join(self.list_lines(block, depth, indent="")))

    def list_lines(self, block: Node, depth: int, indent: str) -> list[str]:
        ordered = block["t"] == "OrderedList"
        items = block["c"][1] if ordered else block["c"]
        start = block["c"][0][0] if ordered else 1
        lines: list[str] = []
        for n, item in enumerate(items):
            marker = f"{start + n}{block.get('delim', '.')}" if ordered else "-"
            inner = indent + " " * (len(marker) + 1)
            text_blocks = [b for b in item if b["t"] not in ("BulletList", "OrderedList")]
            parts = self.item_text(text_blocks)
            words = f" \\\n{inner}".join(escape_lines(part).replace("\n", "\n" + inner) for part in parts)
            if words:
                lines.append(f"{indent}{marker} {words}")
            for sub in (b for b in item if b["t"] in ("BulletList", "OrderedList")):
                if not words:  # an item that only holds a list: its items take its place
                    lines += self.list_lines(sub, depth, indent)
                elif depth < MAX_DEPTH:
                    lines += self.list_lines(sub, depth + 1, inner)
                else:
                    self.report.check(
                        f"a list nested more than {MAX_DEPTH} levels was flattened to {MAX_DEPTH}: "
                        f"{quote(_blocks_text([sub]))}"
                    )
                    lines += self.list_lines(sub, depth, indent)
        return lines

    def item_text(self, blocks: list[Node]) -> list[str]:
        """One list item's paragraphs (joined by line breaks by the caller); anything else (a table,
        a picture) is written after the list, which it would break, and said."""
        parts: list[str] = []
        for block in blocks:
            if block["t"] == "Div":
                parts += self.item_text(block["c"][1])
            elif block["t"] in ("Para", "Plain") and not any(_bare_image(n) for n in block["c"]):
                text = self.inline(block["c"]).strip()
                if text:
                    parts.append(text)
                    self.texts.append(plain(block["c"]))
            else:
                self.report.check(
                    f"a {block['t'].lower()} inside a list item was written after the list: "
                    f"{quote(_blocks_text([block]))}"
                )
                pending = Writer(self.report, self.picture, self.levels, texts=self.texts, section=True)
                pending.block(block)
                self.out.extend(pending.out)
        if len(parts) > 1:
            self.report.check(f"a list item of several paragraphs was joined with line breaks: {quote(parts[0])}")
        return parts

    # --- tables ---------------------------------------------------------------------------------

    def table(self, c: list) -> None:
        _, caption, colspecs, head, bodies, foot = c
        if all(not cell[4] for row in head[1] for cell in row[1]):  # pandoc's ODT reader: an empty header row
            head = [head[0], []]
        rows = [*head[1], *(row for body in bodies for row in [*body[2], *body[3]]), *foot[1]]
        if len(rows) == 1 and len(rows[0][1]) == 1:
            self.box(rows[0][1][0][4])
            return
        caption_text = _blocks_text(caption[1])
        if caption_text:
            self.paragraph([{"t": "Str", "c": caption_text}])
        grid = self.grid(rows, len(colspecs))
        if not grid:
            return
        if not head[1]:
            self.report.check(
                f"a table had no header row; its first row was made the header: {quote(' | '.join(grid[0]))} "
                "(in Word: Table Properties > Row > Repeat as header row)"
            )
        elif len(head[1]) > 1:
            self.report.check(f"a table had {len(head[1])} header rows; the first is the header, the rest are rows")
        aligns = {"AlignLeft": ":---", "AlignRight": "---:", "AlignCenter": ":---:"}
        width = len(grid[0])
        lines = ["| " + " | ".join(grid[0]) + " |"]
        lines.append("| " + " | ".join(aligns.get(spec[0]["t"], "---") for spec in colspecs[:width]) + " |")
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        self.out.append("\n".join(lines))

    def box(self, blocks: list[Node]) -> None:
        """A table of one cell, Word's way of boxing a warning: a notice, of the kind its label says
        (Important when it has none)."""
        inner = Writer(self.report, self.picture, self.levels, texts=self.texts, section=True)
        inner.blocks(blocks)
        if not inner.out:
            return
        first = inner.out[0]
        if first.startswith("> [!"):  # the cell's first paragraph had a label: the box is that notice
            kind, inner.out[0] = first[4:].split("]", 1)[0], re.sub(r"^> ", "", first.split("\n", 1)[1], flags=re.M)
        else:
            kind = "IMPORTANT"
            self.report.check(
                f"a boxed passage (a table of one cell) became an Important notice: {quote(_blocks_text(blocks))}"
            )
        if any(part.startswith(("#", "|", "![", ">")) for part in inner.out):
            self.report.check("a box held headings, tables or pictures: they were written after it")
            self.out += inner.out
            return
        lines = "\n>\n".join("> " + part.replace("\n", "\n> ") for part in inner.out)
        self.out.append(f"> [!{kind}]\n{lines}")

    def grid(self, rows: list, columns: int) -> list[list[str]]:
        """Cells placed on a full grid: a merged cell's text in its first place, the rest empty."""
        grid: list[list[str]] = []
        spans: dict[tuple[int, int], bool] = {}
        merged = False
        for r, row in enumerate(rows):
            line: list[str] = []
            col = 0
            for _, _, rowspan, colspan, blocks in row[1]:
                while spans.get((r, col)):
                    line.append("")
                    col += 1
                line.append(self.cell(blocks))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr or dc:
                            spans[(r + dr, col + dc)] = True
                            merged = True
                line += [""] * (colspan - 1)
                col += colspan
            while spans.get((r, col)):
                line.append("")
                col += 1
            grid.append(line)
        if merged:
            self.report.check("a table had merged cells; each merged cell's text is in its first cell: check the rows")
        width = max([columns, *(len(line) for line in grid)])
        return [line + [""] * (width - len(line)) for line in grid]

    def cell(self, blocks: list[Node]) -> str:
        parts: list[str] = []
        for block in _flat(blocks):
            if block["t"] in ("Para", "Plain"):
                pictures = [n for n in block["c"] if _bare_image(n)]
                for picture in pictures:
                    alt = plain(picture["c"][1])
                    self.report.check(f"a picture in a table cell became its alt text: {quote(alt or '(no alt)')}")
                    parts.append(escape(f"[Picture: {alt}]"))
                    self.texts.append(alt)
                text = self.inline([n for n in block["c"] if not _bare_image(n)]).strip()
                if text:
                    parts.append(text.replace("\\\n", " "))
                    self.texts.append(plain(block["c"]))
            else:
                text = _blocks_text([block])
                self.report.check(f"a {block['t'].lower()} in a table cell became plain text: {quote(text)}")
                parts.append(escape(" ".join(text.split())))
                self.texts.append(text)
        if len(parts) > 1:
            self.report.check(f"a table cell of several paragraphs was joined into one line: {quote(parts[0])}")
        return " ".join(parts).replace("|", "\\|")

    # --- inline ---------------------------------------------------------------------------------

    def inline(self, nodes: list[Node], bold: bool = False) -> str:
        out: list[str] = []
        for node in nodes:
            kind, c = node["t"], _content(node)
            if kind == "Str":
                out.append(escape(c))
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "LineBreak":
                out.append("\\\n")
            elif kind in ("Strong", "Emph"):
                if kind == "Emph" and not bold:
                    self.report.check(f"italic text was made bold (clear print has no italics): {quote(plain(c))}")
                out.append(self.inline(c, True) if bold else _bold(self.inline(c, True)))
            elif kind == "Underline":
                self.report.check(
                    f"underlined text became plain (underlining reads as a link): {quote(plain(c))} "
                    "(make it bold if it is emphasis)"
                )
                out.append(self.inline(c, bold))
            elif kind == "Strikeout":
                self.report.check(
                    f"struck-through text was kept as plain text: {quote(plain(c))} (delete it if it is old)"
                )
                out.append(self.inline(c, bold))
            elif kind in ("Superscript", "Subscript"):
                text = plain(c)
                table = _SUPER if kind == "Superscript" else _SUB
                if all(ch in "0123456789+-=()" + ("n" if kind == "Superscript" else "") for ch in text):
                    out.append(escape(text.translate(table)))
                else:
                    self.report.check(f"{kind.lower()} text became ordinary text: {quote(text)}")
                    out.append(self.inline(c, bold))
            elif kind == "SmallCaps":
                out.append(self.inline(c, bold))
            elif kind in ("Span", "Cite"):
                out.append(self.inline(c[1], bold))
            elif kind == "Quoted":
                mark = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
                out.append(mark[0] + self.inline(c[1], bold) + mark[1])
            elif kind == "Code":
                out.append(escape(c[1]))
            elif kind == "Math":
                self.report.check(f"an equation became plain text: {quote(c[1])}")
                out.append(escape(c[1]))
            elif kind == "RawInline":
                if re.fullmatch(r"<br\s*/?>", c[1].strip(), re.I):
                    out.append("\\\n")
                elif c[1].strip():
                    self.report.check(f"raw {c[0]} pandoc could not map was left out: {quote(c[1])}")
            elif kind == "Link":
                out.append(self.link(c, bold))
            elif kind == "Image":
                alt = plain(c[1])
                self.report.check(f"a picture inside a link or heading became its alt text: {quote(alt or '(no alt)')}")
                out.append(escape(alt))
            elif kind == "Note":
                self.notes.append(" ".join(self.inline(b["c"]) for b in _flat(c) if b["t"] in ("Para", "Plain")))
                self.texts.append(_blocks_text(c))
                out.append(escape(f"[{len(self.notes)}]"))
            else:
                self.report.check(f"inline '{kind}' could not be mapped: {quote(plain([node]))}")
        return "".join(out)

    def link(self, c: list, bold: bool) -> str:
        _, inlines, (url, _) = c
        text = self.inline(inlines, bold).strip()
        words = plain(inlines)
        if not url or url.startswith("#"):
            if url:
                self.report.check(f"a link inside the document became plain text: {quote(words)}")
            return text
        if _CLICK_HERE.match(words):
            self.report.check(f"a link says only {quote(words)}: say where it goes (screen readers list links)")
        url = url.replace(" ", "%20")
        if url.count("(") != url.count(")"):
            url = url.replace("(", "%28").replace(")", "%29")
        return f"[{text or escape(url)}]({url})"


# --- helpers ------------------------------------------------------------------------------------


def _bold(markdown: str) -> str:
    """`**x**` with white space kept outside the markers (CommonMark will not close `**x **`)."""
    core = markdown.strip(" ")
    if not core or core.endswith("\\\n") or core.startswith("\\\n"):
        return markdown
    lead = markdown[: len(markdown) - len(markdown.lstrip(" "))]
    tail = markdown[len(markdown.rstrip(" ")) :]
    return f"{lead}**{core}**{tail}"


_LABEL = re.compile(
    r"^(\*\*)?(important|warning|caution|danger|tip|note|please note)\s*(?::\s*(\*\*)?|(\*\*)\s*:)\s*(?P<rest>.+)$",
    re.I | re.S,
)
_KINDS = {"danger": "warning", "please note": "note"}


def _notice(markdown: str) -> tuple[str, str] | None:
    """(kind, text without its label) for 'Important: ...', '**Warning:** ...', '**Note: ...**'."""
    m = _LABEL.match(markdown)
    if not m:
        return None
    kind = m.group(2).lower()
    rest = m.group("rest").strip()
    if m.group(1) and not (m.group(3) or m.group(4)):  # '**Important: do not drive**': the bold went on
        rest = "**" + rest
    # the label is printed on a line of its own: what followed it starts a sentence now
    rest = re.sub(r"^(\**)([a-z])", lambda c: c.group(1) + c.group(2).upper(), rest)
    return _KINDS.get(kind, kind), rest


def bold_line(block: Node) -> bool:
    """A short paragraph all in bold, as authors who do not use Word's styles write a title or heading."""
    while block["t"] == "Div" and len(block["c"][1]) == 1:
        block = block["c"][1][0]
    if block["t"] not in ("Para", "Plain"):
        return False
    words = [n for n in block["c"] if n["t"] not in ("Space", "SoftBreak")]
    text = block_text(block).strip()
    return (
        len(words) == 1
        and words[0]["t"] == "Strong"
        and 0 < len(text.split()) <= MAX_HEADING_WORDS
        and not text.endswith(".")
    )


def notice_words(text: str) -> str | None:
    """A paragraph's words without its notice label ("Important: x" -> "x"), None if it has none."""
    found = _notice(text.strip())
    return found[1] if found else None


def _blocks_text(blocks: list[Node]) -> str:
    out = []
    for block in _flat(blocks):
        kind, c = block["t"], _content(block)
        if kind in ("Para", "Plain", "Header"):
            out.append(block_text(block))
        elif kind == "CodeBlock" or kind == "RawBlock":
            out.append(c[1])
        elif kind == "Table":
            _, _, _, head, bodies, foot = c
            for row in [*head[1], *(r for b in bodies for r in [*b[2], *b[3]]), *foot[1]]:
                out += [_blocks_text(cell[4]) for cell in row[1]]
        elif kind == "LineBlock":
            out += [plain(line) for line in c]
    return " ".join(t for t in out if t)


def _flat(blocks: list[Node]):
    """Blocks with divs, quotes and lists opened: every paragraph-like block inside, in order."""
    for block in blocks:
        kind, c = block["t"], _content(block)
        if kind == "Div":
            yield from _flat(c[1])
        elif kind == "BlockQuote":
            yield from _flat(c)
        elif kind == "BulletList":
            for item in c:
                yield from _flat(item)
        elif kind == "OrderedList":
            for item in c[1]:
                yield from _flat(item)
        elif kind == "DefinitionList":
            for term, definitions in c:
                yield {"t": "Plain", "c": term}
                for definition in definitions:
                    yield from _flat(definition)
        else:
            yield block


def _bare_image(node: Node) -> Node | None:
    """The picture an inline element is (a picture, or a link around only a picture)."""
    if node["t"] == "Image":
        return node
    if node["t"] == "Link" and len(node["c"][1]) == 1 and node["c"][1][0]["t"] == "Image":
        return node["c"][1][0]
    return None


def _images(blocks: list[Node]):
    for block in _flat(blocks):
        if block["t"] in ("Para", "Plain"):
            yield from (img for n in block["c"] if (img := _bare_image(n)))


def _picture_only(block: Node) -> bool:
    inner = next(iter(_flat([block])), None)
    if inner is None or inner["t"] not in ("Para", "Plain"):
        return False
    return (
        len(list(_flat([block]))) == 1
        and all(_bare_image(n) or n["t"] in ("Space", "SoftBreak") for n in inner["c"])
        and sum(1 for n in inner["c"] if _bare_image(n)) == 1
    )


def _caption_of(block: Node) -> bool:
    return style(block).lower() in ("caption", "image caption") and bool(block_text(block).strip())


def _merge_lists(blocks: list[Node]) -> list[Node]:
    """Adjacent lists of one kind become one (pandoc splits a list where Word's style changes);
    an ordered list continues only when its numbers do, otherwise it gets the other delimiter."""
    out: list[Node] = []
    for block in blocks:
        prev = out[-1] if out else None
        lists = prev is not None and block["t"] == prev["t"] and block["t"] in ("BulletList", "OrderedList")
        same = lists and prev is not None and _styled_level(block) == _styled_level(prev)
        if prev is not None and block["t"] == prev["t"] == "BulletList" and same:
            out[-1] = {"t": "BulletList", "c": [*prev["c"], *block["c"]]}
        elif prev is not None and block["t"] == prev["t"] == "OrderedList" and same:
            if block["c"][0][0] == prev["c"][0][0] + len(prev["c"][1]):
                out[-1] = {"t": "OrderedList", "c": [prev["c"][0], [*prev["c"][1], *block["c"][1]]], **_delim(prev)}
            else:
                out.append({**block, "delim": ")" if prev.get("delim", ".") == "." else "."})
        else:
            out.append(block)
    return out


def _delim(block: Node) -> dict:
    return {"delim": block["delim"]} if "delim" in block else {}


def _styled_level(block: Node) -> int:
    """The level Word's list style names ('List Bullet 2' is 2), 0 when it names none."""
    items = block["c"][1] if block["t"] == "OrderedList" else block["c"]
    first = items[0][0] if items and items[0] else None
    m = _LIST_LEVEL.match(style(first)) if first else None
    return int(m.group(1)) if m and m.group(1) else 0


def _nest_styled_lists(blocks: list[Node]) -> list[Node]:
    """A list styled 'List Bullet 2' right after a list belongs inside its last item, as in Word."""
    out: list[Node] = []
    for block in blocks:
        level = _styled_level(block) if block["t"] in ("BulletList", "OrderedList") else 0
        prev = out[-1] if out else None
        if level >= 2 and prev is not None and prev["t"] in ("BulletList", "OrderedList"):
            parent = prev
            for _ in range(level - 2):
                items = parent["c"][1] if parent["t"] == "OrderedList" else parent["c"]
                subs = [b for b in items[-1] if b["t"] in ("BulletList", "OrderedList")]
                if not subs:
                    break
                parent = subs[-1]
            items = parent["c"][1] if parent["t"] == "OrderedList" else parent["c"]
            last = items[-1]
            if last and last[-1]["t"] == block["t"]:
                kids = last[-1]
                if block["t"] == "OrderedList":
                    kids["c"][1].extend(block["c"][1])
                else:
                    kids["c"].extend(block["c"])
            else:
                last.append(block)
        else:
            out.append(block)
    return _merge_lists(out) if len(out) != len(blocks) else out
