"""Completeness: a translation much shorter than its source, or with fewer sentences, has
probably lost something ("Aspirin can be taken as normal." left out).

How long a translation runs compared with its English depends on the language (Chinese is about
a third of the characters, Somali a quarter more), so the band is learned per language from
existing translations and kept in leaflets/data/length.yaml: the median and the lowest ratio of
translated to English characters (white space left out) over entries of 60+ characters. Relearn
it, or add a language, from the catalogs of a project with
    .venv/bin/python -m leaflets.checks.completeness > leaflets/data/length.yaml
(the shipped figures come from the unreviewed sample translations). A language with no figures
is only checked for its sentence count against a band of 0.5-1.0 of the English.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from .. import datafiles

MIN_CHARS = 60  # shorter texts vary too much to judge
_MARGIN = 0.8  # below 0.8 x the shortest ratio seen: an error
_SENTENCE_MARGIN = 0.9  # fewer sentences and below 0.9 x the median ratio: an error
_DEFAULT = {"low": 0.5, "median": 1.0}
_END = re.compile(r"(?<=[.!?۔।؟])\s+(?=\S)|(?<=[。！？])")
_WORDY = re.compile(r"[^\W\d_]{2,}")


def band(code: str) -> dict[str, float]:
    return datafiles.for_locale("length", code) or _DEFAULT


def length(text: str) -> int:
    return len("".join(text.split()))


@lru_cache(maxsize=4096)
def sentences(text: str) -> int:
    """Sentences with words in them (a lone "(NICE)" or "1." is not one)."""
    return sum(1 for s in _END.split(text) if _WORDY.search(s))


def check_completeness(source: str, target: str, code: str) -> Iterator[tuple[str, str]]:
    n = length(source)
    if n < MIN_CHARS:
        return
    ratio = length(target) / n
    b = band(code)
    have, want = sentences(target), sentences(source)
    if ratio < b["low"] * _MARGIN:
        yield (
            "error",
            f"much shorter than the English ({ratio:.0%} of its length; translations into this language "
            f"run {b['low']:.0%}-{b['median']:.0%} and more): has a sentence been left out?",
        )
    elif have < want:
        short = ratio < b["median"] * _SENTENCE_MARGIN
        yield (
            "error" if short else "warning",
            f"{want} sentences in the English, {have} in the translation"
            + (f", and it is shorter than usual ({ratio:.0%} of the English)" if short else "")
            + ": check nothing has been left out",
        )


def learn(root: Path) -> dict[str, dict[str, float]]:
    """The band of each locale with catalogs under root/locales."""
    from .. import catalogs, locales
    from .tokens import normalise

    out = {}
    for code in catalogs.locale_codes(root / "locales"):
        if code == locales.SOURCE_CODE:
            continue
        ratios = [
            length(normalise(e.msgstr)) / length(normalise(e.msgid))
            for po in (root / "locales" / code / "LC_MESSAGES").glob("*.po")
            for e in catalogs.load(po)
            if catalogs.usable(e) and not e.msgid_plural and length(e.msgid) >= MIN_CHARS
        ]
        if len(ratios) >= 10:
            out[code] = {"low": round(min(ratios), 2), "median": round(statistics.median(ratios), 2)}
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    print("# Length of translations / English per language, learned by `python -m leaflets.checks.completeness`")
    print("# from the catalogs of a project (see leaflets/checks_completeness.py). low: shortest, median: typical.")
    print(yaml.safe_dump(learn(root), allow_unicode=True, sort_keys=True), end="")
