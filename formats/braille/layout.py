"""Braille pages from translated blocks: liblouis translates only, so lines and pages are ours.

The rules (UKAAF's guiding principles and BANA's formats, as far as they are public): a page of
`lines` lines of `cells` cells; line 1 carries the braille page number at the right margin, the
number sign and the code's digits, on every page; no line is longer than the page width; a line
breaks only at a blank cell, never at a KEEP_BLANK (inside a phone number, at a non-breaking
space of the text); a word longer than a line is the one thing ever divided; a heading
is never the last thing on a page: it is followed by at least two lines of its text on the same
page; other blocks run on over the page; a page never starts with a blank line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

BLANK = "\u2800"  # the empty braille cell: the only place a line may break
KEEP_BLANK = "\u00a0"  # an empty cell a line may not break at (inside a phone number, "10 mg"); a blank on paper
KEEP = 2  # lines of text kept on the page after a heading


@dataclass(frozen=True)
class Block:
    """One laid-out unit: braille cells (Unicode patterns) and where its lines start (0-based cells)."""

    cells: str
    first: int = 0  # indent of the first line
    runover: int = 0  # indent of the lines after it
    centred: bool = False
    heading: bool = False  # keep with the next block's first lines
    space_before: bool = False  # a blank line before it (dropped at the top of a page)
    rule: bool = False  # a box line: `cells` is one cell, repeated across the page

    def lines(self, width: int) -> list[str]:
        if self.rule:
            return [self.cells * width]
        return wrap(self.cells, width, self.first, self.runover, self.centred)


def wrap(cells: str, width: int, first: int = 0, runover: int = 0, centred: bool = False) -> list[str]:
    """Lines of at most `width` cells, broken at blank cells; a hard break ("\\n") starts a runover line."""
    out: list[str] = []
    for part in cells.split("\n"):
        line, indent = "", first if not out else runover
        for word in (w for w in part.split(BLANK) if w):
            while True:
                joined = f"{line}{BLANK}{word}" if line else word
                if indent + len(joined) <= width:
                    line = joined
                    break
                if line:  # the word starts the next line
                    out.append(_place(line, indent, width, centred))
                    line, indent = "", runover
                    continue
                room = width - indent  # a word longer than a line: the one thing ever divided
                out.append(_place(word[:room], indent, width, centred))
                word, indent = word[room:], runover
        if line:
            out.append(_place(line, indent, width, centred))
    return [line.replace(KEEP_BLANK, BLANK) for line in out]


def _place(text: str, indent: int, width: int, centred: bool) -> str:
    if centred:
        indent = max(0, (width - len(text)) // 2)
    return BLANK * indent + text


def paginate(blocks: Iterable[Block], width: int, height: int) -> list[list[str]]:
    """Pages of text lines (each at most `height - 1`: line 1 is kept for the page number), in order."""
    body = height - 1
    if body < KEEP + 3:
        raise ValueError(f"a braille page of {height} lines is too short")
    laid = [(b, b.lines(width)) for b in blocks]
    pages: list[list[str]] = [[]]
    for i, (block, lines) in enumerate(laid):
        page = pages[-1]
        space = [""] if block.space_before and page else []
        need = len(space) + len(lines)
        if block.heading:  # a heading goes with the first lines of what follows (a box line besides)
            rest = [ls for _, ls in laid[i + 1 :]]
            boxed = bool(rest) and laid[i + 1][0].rule
            need += min(KEEP, len(rest[1 if boxed else 0]) if len(rest) > boxed else 0) + boxed
        if block.heading and page and len(page) + need > body and need <= body:
            pages.append([])
            page, space = pages[-1], []
        for line in space + lines:
            if len(page) == body:
                pages.append([])
                page = pages[-1]
            page.append(line)
    return pages


def numbered(pages: list[list[str]], width: int, number: Callable[[int], str]) -> list[list[str]]:
    """Each page with its braille page number at the right of line 1."""
    out = []
    for n, page in enumerate(pages, start=1):
        mark = number(n)
        out.append([BLANK * (width - len(mark)) + mark, *page])
    return out
