"""Plain-text writer: the e-mail/plain-text format of the Accessible Information Standard.

UTF-8, one blank line between blocks, list items marked the way screen readers announce
them, no Markdown left in the text. In a draft, every passage still in English starts with the
"Not yet translated:" label in brackets, and every translation the checks found an error in the
"Check this translation:" label, as the other formats mark them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from formats.contract import Options, Writer, cell_joint
from leaflets.model import (
    Heading,
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
    segments,
)

Mark = Callable[[Segment], str]  # what a draft prints before a segment ("[Not yet translated:] ")


class PlainText(Writer):
    name = "text"
    extension = "txt"
    title = "plain text"
    version = "4"
    media_type = "text/plain; charset=utf-8"
    aliases = ("txt", "plain", "plain text", "email", "e-mail")

    def write(self, doc: Leaflet, options: Options) -> bytes:
        return write(doc)


WRITERS = (PlainText(),)


def write(doc: Leaflet) -> bytes:
    def mark(seg: Segment) -> str:
        label = doc.draft_label(seg) if doc.draft else None
        return f"[{_runs(label.inlines)}] " if label is not None else ""

    parts = [_text(doc.title, mark)]
    parts += [_text(seg, mark) for seg in doc.notices]
    parts += _blocks(doc.blocks, mark, doc) + _blocks(doc.footer, mark, doc)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _blocks(blocks, mark: Mark, doc: Leaflet) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(_text(block.content, mark))
        elif isinstance(block, ListBlock):
            out.append("\n".join(_list_lines(block, "", mark)))
        elif isinstance(block, Notice):
            said = ([block.label] if block.label else []) + list(segments(block.blocks))
            bar = "> " if block.quotation else "| "  # a quotation as e-mail quotes, a notice boxed
            out.append("\n".join(bar + line for seg in said for line in _text(seg, mark).splitlines()))
        elif isinstance(block, Table):
            out.append(_table(block, mark, doc.locale.rtl, cell_joint(doc)))
        elif isinstance(block, Picture):
            picture = doc.label("picture", alt=_text(block.alt, mark))
            lines = [f"[{_runs(picture.inlines)}]"] + ([_text(block.caption, mark)] if block.caption else [])
            out.append("\n".join(lines))
    return out


def _table(table: Table, mark: Mark, rtl: bool, joint: str) -> str:
    """A table as aligned columns when it fits in 70 columns a line (left-to-right text only: a
    bidi display would reorder the columns of right-to-left text), otherwise as a numbered list of
    rows with each cell after its column's heading (which a screen reader reads as plainly)."""
    header = [_text(h, mark) for h in table.header]
    rows = [[_text(c, mark) if c is not None else "" for c in row] for row in table.rows]
    if not rtl and not any("\n" in cell for cell in header + [c for r in rows for c in r]):
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        if sum(widths) + 3 * (len(widths) - 1) <= 70:

            def line(cells):
                return " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

            rule = "-+-".join("-" * w for w in widths)
            return "\n".join([line(header), rule, *(line(r) for r in rows)])
    out = []
    for n, row in enumerate(rows, start=1):
        out.append(f"{n}. " + "\n   ".join(f"{h}{joint}{c}" for h, c in zip(header, row, strict=True) if c))
    return "\n".join(out)


def _width(text: str) -> int:
    """Columns a monospaced display gives text: wide (CJK) characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _list_lines(block: ListBlock, indent: str, mark: Mark) -> list[str]:
    lines = []
    for n, item in enumerate(block.items, start=block.start):
        marker = f"{n}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {_text(item.content, mark)}")
        for child in item.children:
            lines += _list_lines(child, indent + "   ", mark)
    return lines


def _text(segment: Segment, mark: Mark | None = None) -> str:
    """A segment's text; in a draft, English standing in or a translation with a check error
    starts with its label in brackets (`Leaflet.draft_label`)."""
    return (mark(segment) if mark else "") + _runs(segment.inlines)


def _runs(inlines) -> str:
    """Plain text that keeps every link's address: in an e-mail the reader must see where it goes."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Link):
            label = _runs(node.children)
            shown = node.url.split("://", 1)[-1]
            out.append(label if shown.rstrip("/") in label else f"{label} ({node.url})")
        else:
            out.append(_runs(node.children))
    return "".join(out)
