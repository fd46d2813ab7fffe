"""Markdown extensions other tools accept that a leaflet does not have, and which CommonMark would
otherwise print raw: footnotes `[^1]`, task lists `- [ ]`, definition lists (`: definition`).

(Strike-through `~~x~~` is parsed and refused in leaflets.inline.) Each finding is (what, fix).
"""

from __future__ import annotations

import re

_FOOTNOTE = re.compile(r"(?<!\\)\[\^[^\]\s]+\]")
_TASK = re.compile(r"^\[[ xX]\]\s")
_DEFINITION = re.compile(r"^:[ \t]")


def problems(source: str, list_item: bool) -> list[tuple[str, str]]:
    """What in the inline source text of one paragraph or list item is an unsupported extension."""
    found = []
    if _FOOTNOTE.search(source):
        found.append(("a footnote [^...]", "write the note as a sentence, or list the reference under `sources:`"))
    if list_item and _TASK.match(source):
        found.append(("a task list item ([ ] or [x])", "write a plain list item, without the box"))
    if any(_DEFINITION.match(line) for line in source.split("\n")):
        found.append(
            (
                "a definition list (a line starting ': ')",
                "write the term in **bold** and its meaning after it, or use a table",
            )
        )
    return found
