"""Negation and comparison: "do not eat" must not become "eat", "less than 60 minutes" not "more
than 60 minutes", "at least 5 days" not "at most".

Each language's negators and comparison words are listed by kind in leaflets/data/negation.yaml
(no library has them); the English and the translation are compared kind by kind. Counting words
across languages is approximate, so these are warnings, with one exception: an instruction with
a number (a dose, a duration) whose translation has lost every negation, or turned a comparison
into its opposite, is an error: that is how "do not eat for 6 hours" becomes "eat for 6 hours"
and "less than 60 minutes" "more than 60 minutes".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from .words import LETTER as _LETTER
from .words import fold, listing

DATA = Path(__file__).with_name("data") / "negation.yaml"
KINDS = ("negation", "more", "less", "at_least", "at_most", "before", "after")
_PAIRS = (("more", "less"), ("at_least", "at_most"), ("before", "after"))
OPPOSITE = {a: b for pair in _PAIRS for a, b in (pair, pair[::-1])}
_SHOW = {
    "negation": "negation (not, never, no ...)",
    "more": '"more than"',
    "less": '"less than"',
    "at_least": '"at least"',
    "at_most": '"at most" / "up to"',
    "before": '"before"',
    "after": '"after"',
}
_UNSPACED = ("zh", "ja")


@cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}


def languages() -> tuple[str, ...]:
    return tuple(_data())


def _form(form: str, unspaced: bool) -> str:
    form = fold(form)
    number = form.endswith(" #")  # "up to #": only before a number ("up to 10%", not "get up to")
    form = form.removesuffix(" #")
    word = rf"(?:{_LETTER}|[-'’])*"
    body = re.escape(form.strip("*"))
    if form.startswith("*"):
        body = word + body
    if form.endswith("*"):
        body += word
    if not unspaced:
        body = rf"(?<!{_LETTER}){body}(?!{_LETTER})"
    return body + (r"(?=\s?\d)" if number else "")


@cache
def patterns(code: str) -> dict[str, re.Pattern]:
    """kind -> one pattern finding its forms (longest first) for a locale; {} if none listed."""
    data = _data()
    listed = data.get(code) or data.get(code.split("_")[0]) or {}
    unspaced = code.split("_")[0] in _UNSPACED
    out = {}
    for kind in KINDS:
        forms = sorted({str(f) for f in listed.get(kind, [])}, key=len, reverse=True)
        if forms:
            out[kind] = re.compile("|".join(_form(f, unspaced) for f in forms))
    return out


def counts(text: str, code: str) -> Counter:
    """kind -> how many times a text uses it."""
    folded = fold(text)
    return Counter({kind: n for kind, p in patterns(code).items() if (n := len(p.findall(folded)))})


def spans(text: str, code: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each negation or comparison in a text (folding keeps offsets for
    the texts highlighted, which have no decomposable accents after NFKC; else none are given)."""
    folded = fold(text)
    if len(folded) != len(text):
        return []
    return [(m.start(), m.end(), kind) for kind, p in patterns(code).items() for m in p.finditer(folded)]


def check_negation(source: Counter, target: Counter, code: str, has_quantity: bool) -> Iterator[tuple[str, str]]:
    if not patterns(code):
        return
    problems, severity = [], "warning"
    for kind in KINDS:
        want, have = source[kind], target[kind]
        if want <= have:
            continue
        opposite = OPPOSITE.get(kind)
        if opposite and have == 0 and target[opposite] > source[opposite]:
            problems.append(f"{_SHOW[kind]} in the source reads as {_SHOW[opposite]} in the translation")
            severity = "error" if has_quantity else severity
        elif kind == "negation" and have == 0:
            problems.append(f"{_SHOW[kind]} in the source, none in the translation")
            severity = "error" if has_quantity else severity
        else:
            problems.append(f"{_SHOW[kind]} {want} time(s) in the source, {have} in the translation")
    if problems:
        yield severity, listing(problems) + " (check the meaning has not been reversed)"
