"""Numbers written as words ("two", "dwie", "pięćset", "dwieście pięćdziesiąt", "پانچ سو", "半"),
compared by value with the numbers the other side writes in digits or words.

The words come from num2words (and indic-num2words for the Indic languages num2words lacks):
every cardinal 1-100, the hundreds and a thousand, in their dictionary form; and from
leaflets/data/number_words.yaml: fractions, inflected and mutated forms ("pięciuset", "bum"), and
languages neither library covers (Urdu, Somali). Consecutive number words make one number by the
usual rule: a smaller one after a larger adds ("dwieście pięćdziesiąt" 250), a hundred or a
thousand multiplies ("پانچ سو" 500, "hanner cant" 50).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from num2words import CONVERTER_CLASSES, num2words
from num_to_words import num_to_word  # indic-num2words

from . import datafiles
from .words import WORD, fold, unspaced

_CARDINALS = (*range(1, 101), *range(200, 1000, 100), 1000)
_MULTIPLIERS = frozenset({Decimal(100), Decimal(1000)})


def _spelled(n: int, language: str) -> str:
    """n in words by num2words, else indic-num2words, else ""."""
    if language in CONVERTER_CLASSES:
        return num2words(n, lang=language)
    try:
        return num_to_word(n, lang=language)
    except Exception:
        return ""


@cache
def lexicon(code: str) -> dict[str, Decimal]:
    """folded word -> the number it means, for a locale (in Han text, whole numbers: "十二")."""
    language = code.split("_")[0]
    out: dict[str, Decimal] = {}
    for n in _CARDINALS:
        word = fold(_spelled(n, language))
        if word and (" " not in word or unspaced(code)):
            out.setdefault(word, Decimal(n))
    listed = datafiles.for_locale("number_words", code)
    for value, forms in listed.items():
        for form in forms:
            out[fold(str(form))] = Decimal(str(value))
    return out


def _join(run: list[Decimal]) -> Iterator[Decimal]:
    """The numbers a run of adjacent number words makes."""
    current: Decimal | None = None
    last = Decimal(0)
    for v in run:
        if current is not None and v in _MULTIPLIERS and current < v:
            current *= v
        elif current is not None and v >= 1 and len(str(int(v))) < len(str(int(last))):
            current += v
        else:
            if current is not None:
                yield current
            current = v
        last = v
    if current is not None:
        yield current


_ASCII_WORD = re.compile(r"[^\W\d_]+")  # WORD in a text of ASCII alone (no combining marks to take in)


def values(text: str, code: str) -> Counter:
    """The numbers a text writes in words, each as often as written."""
    words = lexicon(code)
    if not words:
        return Counter()
    folded = fold(text)
    if unspaced(code):
        return Counter(v for w, v in words.items() for _ in range(folded.count(w)))
    out: Counter = Counter()
    run: list[Decimal] = []
    end = 0
    for m in (_ASCII_WORD if folded.isascii() else WORD).finditer(folded):
        value = words.get(m.group())
        if value is None:
            continue
        if run and folded[end : m.start()].strip(" -"):
            out.update(_join(run))
            run = []
        run.append(value)
        end = m.end()
    out.update(_join(run))
    return out
