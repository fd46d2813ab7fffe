"""Plain-text writer: the e-mail/plain-text format of the Accessible Information Standard.

UTF-8, one blank line between blocks, list items marked the way screen readers announce
them, no Markdown left in the text.
"""
from __future__ import annotations

from leaflets.model import Heading, Leaflet, ListBlock, Notice, Paragraph, segments

NAME = "text"
EXTENSION = "txt"
VERSION = "1"


def unavailable(locale) -> str | None:
    return None


def write(doc: Leaflet, options) -> bytes:
    parts = [doc.title.text]
    parts += [seg.text for seg in doc.notices]
    parts += _blocks(doc.blocks) + _blocks(doc.footer)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _blocks(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(block.content.text)
        elif isinstance(block, ListBlock):
            out.append("\n".join(_list_lines(block, "")))
        elif isinstance(block, Notice):
            out.append("\n".join("| " + line for seg in segments(block.blocks)
                                 for line in seg.text.splitlines()))
    return out


def _list_lines(block: ListBlock, indent: str) -> list[str]:
    lines = []
    for n, item in enumerate(block.items, start=block.start):
        marker = f"{n}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {item.content.text}")
        for child in item.children:
            lines += _list_lines(child, indent + "   ")
    return lines
