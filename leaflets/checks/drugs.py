"""Kept terms (drug names from the front matter's `keep:`): present, as often, and the same ones.

"Stop Warfarin" -> "stop Aspirin" keeps a drug name in the entry but names the wrong drug; a
dropped second mention leaves the name present once. So each term is counted in the English and
in the translation, under any of its spellings: the name itself, the locale's spellings
(X-Keep-Terms), or in a Latin script an inflected or respelt form (warfaryna, klopidogrelu). A
name written twice for one mention, local spelling and original side by side ("华法林（Warfarin）",
"وارفرین (Warfarin)"), counts once.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache

from ..words import fold, listing

KEEP_HEADER = "X-Keep-Terms"
_FUZZY_KEEP = 0.75  # inflected or respelt in a Latin script: warfaryna, klopidogrelu, Warffarin
_WORD = re.compile(r"\w+")
_TOGETHER = re.compile(r"[\s()（）\[\]\"'“”«»,、-]*")  # between two spellings of one mention


@lru_cache(maxsize=1024)
def _pattern(spellings: tuple[str, ...]) -> re.Pattern:
    forms = sorted({fold(s) for s in spellings if s.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms))


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def mentions(text: str, keep: Mapping[str, tuple[str, ...]], latin: bool, wanted: Counter | None = None) -> Counter:
    """term -> how many times a (folded) text mentions it. In a Latin script, inflected forms
    are looked for too, unless the exact names already reach the `wanted` counts."""
    spans: list[tuple[int, int, str]] = []
    for term, spellings in keep.items():
        spans += [(m.start(), m.end(), term) for m in _pattern((term, *spellings)).finditer(text)]
    exact = Counter(term for _, _, term in spans)
    if latin and (wanted is None or any(exact[t] < n for t, n in wanted.items())):
        taken = {i for s, e, _ in spans for i in range(s, e)}
        folded_terms = {term: fold(term) for term in keep}
        for m in _WORD.finditer(text):
            if m.start() in taken or len(m.group()) < 4:
                continue
            ratio, term = max((difflib.SequenceMatcher(None, f, m.group()).ratio(), t) for t, f in folded_terms.items())
            if ratio >= _FUZZY_KEEP:
                spans.append((m.start(), m.end(), term))
    spans.sort()
    out: Counter = Counter()
    last: tuple[int, str] | None = None
    for start, end, term in spans:
        if last and last[1] == term and _TOGETHER.fullmatch(text[last[0] : start]):
            last = (end, term)
            continue  # the same mention, spelt twice
        out[term] += 1
        last = (end, term)
    return out


@lru_cache(maxsize=4096)
def _source_mentions(source: str, terms: tuple[str, ...]) -> Counter:
    return mentions(fold(source), dict.fromkeys(terms, ()), latin=False)


def check_keep(
    source: str, target: str, code: str, keep: Mapping[str, tuple[str, ...]], latin: bool
) -> Iterator[tuple[str, str]]:
    """source and target are plain texts; keep maps each kept term to its spellings in the locale."""
    if not keep:
        return
    src = _source_mentions(source, tuple(keep))
    if not src:
        return
    dst = mentions(fold(target), keep, latin, src)
    missing = [t for t in src if not dst[t] and (latin or keep[t])]
    unchecked = [t for t in src if not dst[t] and not latin and not keep[t]]
    fewer = [t for t in src if 0 < dst[t] < src[t]]
    added = [t for t in dst if dst[t] > src[t] and (latin or keep[t])]
    if missing:
        yield (
            "error",
            f"{listing(missing)} {'is' if len(missing) == 1 else 'are'} missing (keep the name, or give "
            f"{code}'s spelling: {KEEP_HEADER}: {missing[0]}=... in the PO header)",
        )
    if added and (missing or fewer):
        counts = [
            f"{t}: {_times(src[t]) if src[t] else 'not'} in the source, {_times(dst[t])} in the translation"
            for t in added
        ] + [
            f"{t}: {_times(src[t])} in the source, {_times(dst[t]) if dst[t] else 'not'} in the translation"
            for t in fewer
        ]
        yield "error", "a drug changed? " + "; ".join(counts)
    elif fewer:
        yield (
            "warning",
            "; ".join(f"{t} appears {_times(src[t])} in the source, {_times(dst[t])} in the translation" for t in fewer)
            + " (fine if a later mention says 'it')",
        )
    if unchecked:
        yield (
            "warning",
            f"cannot check {listing(unchecked)}: no {code} spelling given "
            f"(add {KEEP_HEADER}: {unchecked[0]}=... to common.po's header)",
        )
