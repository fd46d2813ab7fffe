"""Characters that must never reach a printed or spoken leaflet: C0/C1 control characters
(BEL, ESC ...), Unicode non-characters (U+FFFE, U+FDD0 ...), bidi embeddings, overrides and
isolates (U+202A-202E, U+2066-2069: they reorder what the reader sees, and Word refuses some)
and byte order marks (U+FEFF) inside the text. Tab and newline are white space, and ZWJ, ZWNJ
and the bidi marks LRM/RLM/ALM are left alone: scripts need them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..words import listing

_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff\ud800-\udfff]"
)
_KIND = [
    ("\ufeff", "byte order mark"),
    ("\u202a\u202b\u202c\u202d\u202e", "bidi embedding/override"),
    ("\u2066\u2067\u2068\u2069", "bidi isolate"),
]


def _name(c: str) -> str:
    kind = next((k for chars, k in _KIND if c in chars), "")
    if not kind:
        kind = "control character" if unicodedata.category(c) == "Cc" else "non-character"
    return f"U+{ord(c):04X} ({kind})"


def bad_characters(text: str) -> list[str]:
    """The forbidden characters of a text, each once, in order of code point."""
    return sorted(set(_BAD.findall(text)))


def visible(text: str) -> str:
    """The text with each forbidden character written as its code point, for people to see."""
    return _BAD.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def check_characters(source: str, target: str) -> Iterator[tuple[str, str]]:
    odd = [c for c in bad_characters(target) if c not in source]
    if odd:
        yield (
            "error",
            f"invisible {listing([_name(c) for c in odd])} in the translation: delete it (a copy-paste "
            "from another program often brings it; Word cannot even store some of them)",
        )
