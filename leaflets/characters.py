"""Characters that must never reach a printed or spoken leaflet, in the English source
(leaflets/reader.py) as in a translation (checks/chars.py): C0/C1 control characters (BEL, ESC
...), Unicode non-characters (U+FFFE, U+FDD0 ...), bidi embeddings, overrides and isolates
(U+202A-202E, U+2066-2069: they reorder what the reader sees: "Take 01 tablets" shows as "Take
10"), byte order marks (U+FEFF) inside the text, invisible operators and deprecated format
characters (U+2061-2064, U+206A-206F), interlinear annotations (U+FFF9-FFFB) and tag characters
(U+E0000-E007F, which smuggle hidden text). Tab and newline are white space, and ZWJ, ZWNJ and
the bidi marks LRM/RLM/ALM are left alone where scripts need them (Arabic, Indic ...); a
zero-width character between two Latin letters or digits ("Warf\u200darin", "5\u200b00") is
refused: no script needs it there, and it hides a word or a number from every check.
"""

from __future__ import annotations

import re
import unicodedata

_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2061-\u2064\u2066-\u206f\ufeff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\U000e0000-\U000e007f"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff\ud800-\udfff]"
)
# Zero-width space, non-joiner, joiner and word joiner inside a Latin word or a number.
_HIDDEN_IN_WORD = "(?<=[0-9A-Za-z])[\u200b-\u200d\u2060](?=[0-9A-Za-z])"
_FORBIDDEN = re.compile(f"{_BAD.pattern}|{_HIDDEN_IN_WORD}")
# One class with every character _FORBIDDEN can find: a text without any (almost all) is passed
# by one quick scan, not by the alternation and its look-behind at every character.
_SUSPECT = re.compile(_BAD.pattern.removesuffix("]") + "\u200b-\u200d\u2060]")
_KIND = [
    ("\ufeff", "byte order mark"),
    ("\u202a\u202b\u202c\u202d\u202e", "bidi embedding/override"),
    ("\u2066\u2067\u2068\u2069", "bidi isolate"),
    ("\u2061\u2062\u2063\u2064", "invisible operator"),
    ("\u206a\u206b\u206c\u206d\u206e\u206f", "deprecated format character"),
    ("\ufff9\ufffa\ufffb", "interlinear annotation"),
    ("\u200b\u200c\u200d\u2060", "zero-width character inside a Latin word or number"),
]


def name(c: str) -> str:
    """'U+202E (bidi embedding/override)'."""
    kind = next((k for chars, k in _KIND if c in chars), "")
    if not kind:
        kind = (
            "control character"
            if unicodedata.category(c) == "Cc"
            else "tag character"
            if "\U000e0000" <= c <= "\U000e007f"
            else "non-character"
        )
    return f"U+{ord(c):04X} ({kind})"


def bad_characters(text: str) -> list[str]:
    """The forbidden characters of a text, each once, in order of code point."""
    if not _SUSPECT.search(text):
        return []
    return sorted(set(_FORBIDDEN.findall(text)))


def visible(text: str) -> str:
    """The text with each forbidden character written as its code point, for people to see."""
    return _FORBIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
