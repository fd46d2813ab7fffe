"""Numbers written as words ("two", "dwie", "pół", "半"), so that a translation that spells out a
number the source gives in digits, or the other way round, is not taken for a changed number.

The words come from num2words where it covers the language (cardinals 1-12) and from
leaflets/data/number_words.yaml (fractions, inflected and gendered forms, languages num2words
lacks). Only ever used to excuse a difference the digits show, never to find one.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import cache

from num2words import CONVERTER_CLASSES, num2words

from . import datafiles
from .words import WORD, fold, unspaced

_CARDINALS = range(1, 13)


@cache
def lexicon(code: str) -> dict[str, Decimal]:
    """folded word -> the number it means, for a locale."""
    language = code.split("_")[0]
    out: dict[str, Decimal] = {}
    if language in CONVERTER_CLASSES:
        for n in _CARDINALS:
            out.setdefault(fold(num2words(n, lang=language)), Decimal(n))
    listed = datafiles.for_locale("number_words", code)
    for value, forms in listed.items():
        for form in forms:
            out[fold(str(form))] = Decimal(str(value))
    return out


def values(text: str, code: str) -> Counter:
    """The numbers a text writes in words, each as often as written."""
    words = lexicon(code)
    if not words:
        return Counter()
    folded = fold(text)
    if unspaced(code):
        return Counter(v for w, v in words.items() for _ in range(folded.count(w)))
    return Counter(words[w] for w in WORD.findall(folded) if w in words)
