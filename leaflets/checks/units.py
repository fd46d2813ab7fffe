"""Units and numbers in context: "6 hours" must stay 6 *hours*, and "6 hours ... 2 hours" must
not become "2 hours ... 6 hours".

A number's unit is the word written next to it (after it, or a % sign before it as Arabic may
write). The words of each language come from CLDR through babel (every plural category of each
unit's long and short display name, so "5 godzin", "2 godziny", "1 godzina") and from
leaflets/data/units.yaml for what CLDR lacks: case forms, Welsh mutations, oblique plurals,
tablets. A word counts as the unit if it starts with one of the unit's forms, so inflected forms
and attached postpositions ("60 मिनेटभन्दा") match. A number whose unit is not recognised is left
to the numbers check: only a recognised, *different* unit is an error, so an unlisted inflection
can never be a false error.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.units import format_unit

from .. import datafiles
from . import tokens

# The units a leaflet's instructions use, with their CLDR keys (tablets have none).
CLDR_KEYS = {
    "minute": "duration-minute",
    "hour": "duration-hour",
    "day": "duration-day",
    "week": "duration-week",
    "month": "duration-month",
    "year": "duration-year",
    "milligram": "mass-milligram",
    "gram": "mass-gram",
    "millilitre": "volume-milliliter",
    "celsius": "temperature-celsius",
    "percent": "concentr-percent",
}
# Written the same in every script.
SYMBOLS = {
    "%": "percent",
    "٪": "percent",
    "°c": "celsius",
    "°": "celsius",
    "mg": "milligram",
    "ml": "millilitre",
    "g": "gram",
}
_SAMPLES = (1, 2, 3, 5, 11, 22, 100, 1.5)  # one number of each CLDR plural category
_LATIN_ENDING = 5  # letters an inflection may add after a listed Latin-script form
_RANGE = re.compile(r"\s*[-–—]\s*$")


@dataclass(frozen=True)
class Quantity:
    """A number as written in a text, with the unit after it ("" if none is recognised)."""

    value: Decimal
    unit: str
    start: int
    end: int  # end of the unit word, or of the number


def _own(code: str) -> dict:
    return datafiles.for_locale("units", code)


@cache
def lexicon(code: str) -> tuple[tuple[str, str], ...]:
    """(form, unit) pairs for a locale, longest form first; a form that could be two units is
    left out (it proves nothing)."""
    forms: dict[str, set[str]] = {}

    def add(form: str, unit: str) -> None:
        form = unicodedata.normalize("NFKC", form).casefold().strip(" .")
        if len(form) > 1 or not form.isascii() or not form.isalpha() or form in SYMBOLS:  # "h", "m": too vague
            forms.setdefault(form, set()).add(unit)

    for form, unit in SYMBOLS.items():
        add(form, unit)
    plural = Locale.parse(code).plural_form
    samples = {plural(n): n for n in reversed(_SAMPLES)}.values()  # one number per plural category
    for unit, key in CLDR_KEYS.items():
        for n in samples:
            for length in ("long", "short"):
                text = format_unit(n, key, length, locale=code)
                if key in text:  # babel's fallback when CLDR has no name
                    continue
                for word in re.sub(r"[\d.,\s\u00a0\u202f]+", " ", text).split():
                    add(word, unit)
    for unit, listed in _own(code).items():
        if unit != "fillers":
            for form in listed:
                add(str(form), unit)
    unique = [(f, next(iter(u))) for f, u in forms.items() if len(u) == 1 and f]
    return tuple(sorted(unique, key=lambda p: -len(p[0])))


@cache
def _by_first_letter(code: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """lexicon(code) by the first character of each form, in its order: a word can only start
    with the forms that start as it does (a number's unit is sought among a few, not all)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for form, unit in lexicon(code):
        out.setdefault(form[0], []).append((form, unit))
    return {first: tuple(pairs) for first, pairs in out.items()}


@cache
def _fillers(code: str) -> re.Pattern:
    words = [re.escape(w) for w in _own(code).get("fillers", [])]
    return re.compile(rf"(?:[\s\u00a0-]*(?:{'|'.join(words)})(?=\s))*" if words else r"(?!)")


def unit_after(text: str, code: str, latin: bool) -> tuple[str, int]:
    """(unit, length of the text it took) for the word starting at text[0], or ("", 0)."""
    start = len(text) - len(text.lstrip(" \u00a0-"))
    filler = _fillers(code).match(text, start)
    if filler and filler.end() > start:
        start = filler.end()
        start += len(text[start:]) - len(text[start:].lstrip(" \u00a0"))
    word = text[start : start + 24].casefold()
    for form, unit in _by_first_letter(code).get(word[:1], ()):
        if word.startswith(form):
            rest = len(form)
            if latin and form[-1].isalpha():
                tail = re.match(r"[^\W\d_]*", word[rest:])
                if tail and len(tail.group()) > _LATIN_ENDING:
                    continue  # a longer word that merely starts like a unit
                rest += len(tail.group()) if tail else 0
            return unit, start + rest
    return "", 0


def quantities(text: str, code: str, latin: bool = True) -> tuple[Quantity, ...]:
    """Every number in a normalised text (tokens.normalise; phone numbers and addresses already
    cut out) with the unit written next to it. In a range ("1-2 hours") both take the unit."""
    found: list[Quantity] = []
    for m in tokens.number_tokens(code).finditer(text):
        value = tokens.readings(m.group(), code)[0][0]
        unit, took = unit_after(text[m.end() :], code, latin)
        if not unit and m.start() and text[m.start() - 1] in "%٪":
            unit = "percent"
        found.append(Quantity(value, unit, m.start(), m.end() + took))
    for i in range(len(found) - 1, 0, -1):  # "1-2 hours": the first takes the second's unit
        left, right = found[i - 1], found[i]
        if not left.unit and right.unit and _RANGE.match(text[left.end : right.start]):
            found[i - 1] = Quantity(left.value, right.unit, left.start, left.end)
    return tuple(found)


def say(value: Decimal, unit: str) -> str:
    """'6 hours', '1 tablet', '50%', '37 °C' for messages."""
    number = tokens.show(value)
    if unit in ("percent", "celsius"):
        return number + ("%" if unit == "percent" else " °C")
    return f"{number} {unit}{'' if value == 1 else 's'}"


def _show(q: tuple[Decimal, str]) -> str:
    return say(*q)


def check_units(source: tuple[Quantity, ...], target: tuple[Quantity, ...]) -> Iterator[tuple[str, str]]:
    """An error for each number of the source whose unit the translation changed."""
    want = Counter((q.value, q.unit) for q in source if q.unit)
    have = Counter((q.value, q.unit) for q in target if q.unit)
    missing, extra = want - have, have - want
    changed = []
    for value, unit in sorted(missing):
        other = next((k for k in sorted(extra) if k[0] == value and extra[k]), None)
        if other:
            extra[other] -= 1
            changed.append(f"{_show((value, unit))} in the source, {_show(other)} in the translation")
    if changed:
        yield "error", "; ".join(changed) + " (the unit must not change)"


def check_context(source: tuple[Quantity, ...], target: tuple[Quantity, ...]) -> Iterator[tuple[str, str]]:
    """An error when numbers of one unit keep their count but change places ("no food for 6 hours
    or liquids for 2 hours" -> "... for 2 hours ... for 6 hours")."""
    for unit in sorted({q.unit for q in source if q.unit}):
        a = [q.value for q in source if q.unit == unit]
        b = [q.value for q in target if q.unit == unit]
        if len(a) > 1 and sorted(a) == sorted(b) and a != b:
            yield (
                "error",
                f"{unit} numbers swapped: {', '.join(_show((v, unit)) for v in a)} in the source, "
                f"{', '.join(_show((v, unit)) for v in b)} in the translation (each number belongs to its own "
                "instruction: keep them with what they count)",
            )
