"""Plain-text writer: the e-mail/plain-text format of the Accessible Information Standard.

UTF-8, one blank line between blocks, list items marked the way screen readers announce
them, no Markdown left in the text. In a draft, every passage still in English starts with the
"Not yet translated:" label in brackets, as the other formats mark it.
"""

from __future__ import annotations

from formats.contract import Options, Writer
from leaflets.model import Heading, Leaflet, LineBreak, Link, ListBlock, Notice, Paragraph, Text, segments


class PlainText(Writer):
    name = "text"
    extension = "txt"
    title = "plain text"
    version = "3"
    media_type = "text/plain; charset=utf-8"
    aliases = ("txt", "plain", "plain text", "email", "e-mail")

    def write(self, doc: Leaflet, options: Options) -> bytes:
        return write(doc)


WRITERS = (PlainText(),)


def write(doc: Leaflet) -> bytes:
    mark = f"[{_runs(doc.label('untranslated').inlines)}] " if doc.draft else ""
    parts = [_text(doc.title, mark)]
    parts += [_text(seg, mark) for seg in doc.notices]
    parts += _blocks(doc.blocks, mark) + _blocks(doc.footer, mark)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _blocks(blocks, mark: str) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(_text(block.content, mark))
        elif isinstance(block, ListBlock):
            out.append("\n".join(_list_lines(block, "", mark)))
        elif isinstance(block, Notice):
            said = ([block.label] if block.label else []) + list(segments(block.blocks))
            out.append("\n".join("| " + line for seg in said for line in _text(seg, mark).splitlines()))
    return out


def _list_lines(block: ListBlock, indent: str, mark: str) -> list[str]:
    lines = []
    for n, item in enumerate(block.items, start=block.start):
        marker = f"{n}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {_text(item.content, mark)}")
        for child in item.children:
            lines += _list_lines(child, indent + "   ", mark)
    return lines


def _text(segment, mark: str = "") -> str:
    """A segment's text; an English stand-in of a draft starts with the draft's mark."""
    return (mark if segment.fallback else "") + _runs(segment.inlines)


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
