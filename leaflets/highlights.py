"""What a reviewing clinician must compare word for word, found in one text: numbers, their units,
kept drug names, negations and comparisons. The review pack marks them in both columns so the
eye goes to them first; the checks compare the same things by machine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import locales
from .checks.negation import spans as negation_spans
from .checks.units import unit_after
from .words import LETTER, fold, fold_map, unfold, unspaced

NUMBER, UNIT, DRUG, NEGATION, COMPARISON = "number", "unit", "drug", "negation", "comparison"
_LETTER = re.compile(LETTER)
_NUMBER = re.compile(r"\d+(?:[.,٫٬]\d+)*|[\u00bc-\u00be\u2150-\u215e]")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # NUMBER, UNIT, DRUG, NEGATION or COMPARISON


def marks(text: str, code: str, keep: Mapping[str, tuple[str, ...]] | None = None) -> list[Mark]:
    """The marks of a plain text, sorted, none overlapping (the first found wins)."""
    latin = locales.info(code).script == "Latn"
    found: list[Mark] = []
    for m in _NUMBER.finditer(text):
        found.append(Mark(m.start(), m.end(), NUMBER))
        unit, took = unit_after(text[m.end() :], code, latin)
        if unit:
            rest = text[m.end() : m.end() + took]
            lead = len(rest) - len(rest.lstrip(" \u00a0-"))
            if took > lead:
                end = m.end() + took
                while (
                    not unspaced(code) and end < len(text) and _LETTER.match(text, end)
                ):  # the whole word: "মিনিটের", not "মিনিট|ের"
                    end += 1
                found.append(Mark(m.end() + lead, end, UNIT))
    folded, origin = fold_map(text)
    for term, spellings in (keep or {}).items():
        for s in {term, *spellings}:
            for m in re.finditer(re.escape(fold(s)), folded):
                found.append(Mark(*unfold(text, origin, m.start(), m.end()), DRUG))
    for start, end, kind in negation_spans(text, code):
        found.append(Mark(start, end, NEGATION if kind == "negation" else COMPARISON))
    out: list[Mark] = []
    for mark in sorted(found, key=lambda k: (k.start, -k.end)):
        if not out or mark.start >= out[-1].end:
            out.append(mark)
    return out
