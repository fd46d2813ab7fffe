"""Small helpers for wording messages and for matching what people type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

LETTER = r"[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0963\u0971-\u0dff]"
"""A letter of any script, its combining marks included: Python's \\w leaves out the vowel signs
of Indic scripts and the Arabic harakat, so \\w+ would cut "आधा" or "নয়" in two."""
WORD = re.compile(f"(?:{LETTER})+")
_UNSPACED = frozenset({"zh", "ja", "yue", "th", "lo", "km", "my"})


def unspaced(code: str) -> bool:
    """Whether a locale's script is written without spaces between words (Han, Thai ...):
    words are then found inside the text, not between spaces."""
    return code.split("_")[0] in _UNSPACED


def excerpt(text: str, n: int = 50) -> str:
    """A message-sized piece of a (possibly long) msgid: white space folded, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def listing(values: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case, accents and runs of white space folded, for matching what people type or
    translators respell: 'Warfarină' -> 'warfarina', 'Română' -> 'romana'."""
    if text.isascii():  # nothing to decompose or drop
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def fold_map(text: str) -> tuple[str, list[int]]:
    """fold(text), give or take a trailing space, and for each of its characters the index of the
    character of `text` it came from: folding drops accents and marks (a Bengali virama, a Polish
    ogonek), so a match in the folded text is mapped back with `unfold`."""
    if text.isascii():  # nothing to decompose: lower case, each run of white space one space
        return _fold_map_ascii(text)
    out: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        pieces = " " if c.isspace() else unicodedata.normalize("NFKD", c.casefold())
        for d in pieces:
            if d == " " and (not out or out[-1] == " "):
                continue
            if not unicodedata.combining(d):
                out.append(d)
                origin.append(i)
    return "".join(out), origin


_NOT_SPACE = re.compile(r"\S+")


def _fold_map_ascii(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    after = -1  # where the last run of letters ended
    for m in _NOT_SPACE.finditer(text):
        if out and m.start() > after:  # the space between two runs, from its first character
            out.append(" ")
            origin.append(after)
        out.append(m.group().lower())
        origin.extend(range(m.start(), m.end()))
        after = m.end()
    if out and after < len(text):  # white space at the end: one space, as fold_map keeps it
        out.append(" ")
        origin.append(after)
    return "".join(out), origin


def unfold(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of `text` that folded to folded[start:end] (its trailing marks included)."""
    stop = origin[end - 1] + 1
    while stop < len(text) and unicodedata.combining(text[stop]):
        stop += 1
    return origin[start], stop


def capital(text: str) -> str:
    """First letter upper case, the rest as it is: 'large print' -> 'Large print', 'Word' stays."""
    return text[:1].upper() + text[1:]
