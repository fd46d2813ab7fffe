"""GFM pipe tables in a leaflet's source: what markdown-it does not check for us.

markdown-it-py reads a pipe table but quietly pads a short row with empty cells and drops the
cells of a long one; a table written without its `|---|` line under the header is not a table to
it at all, just a paragraph of pipes. Both would lose or misplace a patient's information, so the
reader counts the cells of each source line itself and refuses such tables with the line.
"""

from __future__ import annotations

import re

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def cell_count(line: str) -> int:
    """How many cells a pipe-table source line holds (escaped `\\|` is text, outer pipes optional)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return len(_PIPE.split(text))


def alignment(style: str | None) -> str:
    """ "left", "center", "right" from markdown-it's cell style, or "" where the author chose none."""
    m = _ALIGN.search(style or "")
    return m.group(1) if m else ""


def headerless(lines: list[str]) -> bool:
    """A paragraph that looks like table rows (every line starts and ends with a pipe) but is not a
    table: its `|---|` line under the header row is missing or wrong."""
    rows = [line.strip() for line in lines if line.strip()]
    return bool(rows) and all(r.startswith("|") and r.endswith("|") and len(r) > 1 for r in rows)


def is_delimiter(line: str) -> bool:
    return bool(_DELIMITER.match(line))
