"""Currency: "£20" must stay pounds. A translator may write the symbol, the ISO code or the
locale's own name of the currency (CLDR, through babel: "funtów", "جنيه"); another currency's
symbol or name where the source has pounds is an error. The amounts are numbers, checked by the
numbers check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from babel.numbers import get_currency_name, get_currency_symbol

from ..words import fold, listing

# Currencies a UK leaflet or its translators may write (the trust's own, and those a translator
# might slip into from habit).
CURRENCIES = ("GBP", "EUR", "USD", "PLN", "RON", "INR", "PKR", "BDT", "NPR", "CNY", "SAR", "EGP", "SOS")
SPOKEN = {"CNY": ("元", "块")}  # what people write that CLDR does not list
_STEM = 4  # the start of a currency word that survives its inflection ("funt" of "funtów")


@cache
def _markers(code: str) -> dict[str, tuple[str, ...]]:
    """currency -> folded symbols, codes and word stems that name it in a locale (and English)."""
    out: dict[str, set[str]] = {}
    for cur in CURRENCIES:
        forms = {cur.casefold(), *SPOKEN.get(cur, ())}
        for loc in {code, "en"}:
            symbol = get_currency_symbol(cur, locale=loc)
            if symbol != cur:
                forms.add(fold(symbol))
            for count in (1, 2, 5):
                forms.update(w[:_STEM] for w in fold(get_currency_name(cur, count, locale=loc)).split())
        out[cur] = forms
    # a form several currencies share ("pound", "$", "rupee") is taken as the first listed
    seen: set[str] = set()
    for cur in CURRENCIES:
        out[cur] -= seen
        seen |= out[cur]
    return {cur: tuple(sorted(f for f in forms if f)) for cur, forms in out.items()}


@cache
def _pattern(code: str, cur: str) -> re.Pattern:
    forms = sorted(_markers(code)[cur], key=len, reverse=True)
    parts = [rf"(?<![^\W\d_]){re.escape(f)}" if f.isalpha() else re.escape(f) for f in forms]
    return re.compile("|".join(parts))


def currencies(text: str, code: str) -> set[str]:
    folded = fold(text)
    return {cur for cur in CURRENCIES if _pattern(code, cur).search(folded)}


_MONEY = re.compile(r"[£$€¥₹]|(?i:pound|euro|dollar|GBP|pence)")


@lru_cache(maxsize=4096)
def _source_currencies(source: str) -> frozenset[str] | None:
    """The currencies an English text names; None if it speaks of no money at all."""
    return frozenset(currencies(source, "en")) if _MONEY.search(source) else None


def check_currency(source: str, target: str, code: str) -> Iterator[tuple[str, str]]:
    want = _source_currencies(source)
    if want is None:
        return
    have = currencies(target, code)
    missing, other = want - have, have - want
    if missing and other:
        yield "error", f"{listing(sorted(missing))} in the source, {listing(sorted(other))} in the translation"
    elif missing:
        yield "warning", f"cannot find the currency {listing(sorted(missing))} in the translation (write £ or its name)"
    elif other:
        yield "error", f"currency {listing(sorted(other))} in the translation is not in the source"
