"""What a text mentions that a translation must carry over unchanged: numbers, clock times,
phone numbers, web and e-mail addresses, {placeholders}.

Texts are compared after NFKC (full-width digits and punctuation, no-break spaces) and after
mapping every decimal digit system to ASCII by value, so a translator's Eastern Arabic, Urdu,
Devanagari, Bengali or Gurmukhi digits compare equal to the source's. Numbers are read with the
target locale's decimal and group symbols (babel/CLDR) as well as the English ones, so "7,5" in
Polish equals "7.5" and "1 000" equals "1,000"; a token that can be read more than one way
("1,000" in Polish, "7.30" as a time) matches if any reading does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from ..locales import SOURCE_CODE
from ..patterns import EMAIL, phone_key, sub_phones, sub_websites
from . import times as _times

# --- normalisation --------------------------------------------------------------------------------

_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# A vulgar fraction, perhaps after a whole number ("1½"): NFKC would make "½" the two numbers
# "1⁄2" (and "1½" eleven halves), so it is written as a decimal first.
_FRACTION = re.compile(r"(?:(\d+)\s?)?([\u00bc-\u00be\u2150-\u215e])")


def _fraction(m: re.Match) -> str:
    whole = Decimal(m.group(1) or 0) + Decimal(str(round(unicodedata.numeric(m.group(2)), 3)))
    return format(whole.normalize(), "f")


# Typography a translator's editor (or Word's autocorrect) puts in, one character for one so that
# a position in the typographic text is the same position in the plain one: apostrophes (’ ‘ ʼ ′
# and the Hebrew geresh-like marks), quotation marks, dashes and minus signs, and every kind of
# no-break, narrow and thin space. "Don’t" is then "Don't", "1–2" "1-2", "10 000" "10 000".
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02bb\u2032\u0060\u00b4\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000", " "),
    }
)


# A no-break, narrow or thin space between groups of three digits is a thousands separator in
# every locale ("1 000 mg", SI style): it becomes the Arabic thousands sign, which every
# locale's number reading knows as one.
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u202f\u2009\u2007]\d{3})+(?![\d])")


def _grouped(m: re.Match) -> str:
    return re.sub(r"[\u00a0\u202f\u2009\u2007]", "\u066c", m.group())


def typography(text: str) -> str:
    """The text with typographic apostrophes, quotes, dashes and spaces made plain, one character
    for one (a finding's position in it is its position in the original)."""
    return _DIGIT_GROUPS.sub(_grouped, text).translate(_TYPOGRAPHY)


def normalise(text: str) -> str:
    """Plain typography (see `typography`), then NFKC with every decimal digit (٣, ۳, ३, ৩, ੩ ...)
    written as its ASCII digit and each vulgar fraction as a decimal ("½" -> "0.5", "1½" -> "1.5").
    Every check reads texts normalised so."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", _FRACTION.sub(_fraction, typography(text)))
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


# --- placeholders ---------------------------------------------------------------------------------

# As model.fill: a name may arrive Markdown-escaped ("{next\\_review}").
_PLACEHOLDER = re.compile(r"\{((?:\w|\\_)+)\}")


def placeholders(text: str) -> Counter:
    return Counter(m.group(1).replace("\\", "") for m in _PLACEHOLDER.finditer(text))


_NAMED = re.compile(r"\{\w+\}")


def without_placeholders(text: str) -> str:
    """Plain text with its {names} blanked: they are compared by their own check."""
    return _NAMED.sub(" ", text) if "{" in text else text


# --- addresses and phone numbers (what they look like: patterns.py) -------------------------------


@dataclass(frozen=True)
class Mentions:
    """The tokens of one normalised text that must survive translation."""

    numbers: tuple[tuple[tuple[Decimal, ...], ...], ...]  # per number token: its possible readings
    phones: Counter  # phone_key -> count
    emails: Counter
    urls: Counter
    written: dict  # phone_key -> the phone number as written, for messages
    words: str  # the text without addresses, phone numbers and clock times
    times: tuple[_times.Time, ...] = ()  # clock times (checks/times.py)


def mentions(text: str, code: str = SOURCE_CODE) -> Mentions:
    """E-mail and web addresses, then phone numbers, then the numbers left in a normalised text."""
    emails = Counter(EMAIL.findall(text)) if "@" in text else Counter()
    if emails:
        text = EMAIL.sub(" ", text)
    urls: Counter = Counter()

    def cut_url(url):
        urls[url] += 1
        return " "

    text = sub_websites(text, cut_url)

    phones: Counter = Counter()
    written: dict[str, str] = {}

    def cut_phone(number):
        key = phone_key(number)
        phones[key] += 1
        written.setdefault(key, number)
        return " "

    if "0" in text or "+" in text:  # every phone number starts with one (patterns.PHONE)
        text = sub_phones(text, cut_phone)
    clock = tuple(_times.find(text, code))
    if clock:
        text = _times.cut(text, clock)
    numbers = tuple(readings(m.group(0), code) for m in number_tokens(code).finditer(text))
    return Mentions(numbers, phones, emails, urls, written, text, clock)


# --- numbers --------------------------------------------------------------------------------------

# Separators that may sit between digit groups: . , ' ’ and the Arabic decimal/thousands signs.
_SEPARATORS = ".,'\u2019\u066b\u066c"
_SPACE_GROUPS = " "  # NFKC turns no-break and thin spaces into this


@cache
def conventions(code: str) -> tuple[tuple[str, str], ...]:
    """(decimal signs, group signs) to try for a locale: its own (CLDR), then the English ones."""
    english = (".\u066b", ",\u066c")
    if code == SOURCE_CODE:
        return (english,)
    decimal = get_decimal_symbol(code) + get_decimal_symbol(code, numbering_system="default") + "\u066b"
    group = get_group_symbol(code) + get_group_symbol(code, numbering_system="default") + "\u066c'\u2019"
    group = "".join(_SPACE_GROUPS if unicodedata.category(c) == "Zs" else c for c in group)
    own = (normalise(decimal), normalise(group))
    return (own, english) if own != english else (english,)


@cache
def number_tokens(code: str) -> re.Pattern:
    """Digits joined by separators; by spaces too (before exactly three digits) where the locale
    groups thousands with a space (pl "10 000", fr "10 000")."""
    spaced = any(_SPACE_GROUPS in group for _, group in conventions(code))
    joint = f"[{re.escape(_SEPARATORS)}]\\d+" + (r"| \d{3}(?!\d)" if spaced else "")
    return re.compile(rf"\d+(?:{joint})*")


def _read(digits: list[str], seps: list[str], decimal: str, group: str) -> Decimal | None:
    """The value of a token under one convention, or None if the token is not well-formed in it."""
    groups, fraction = [digits[0]], None
    for sep, part in zip(seps, digits[1:], strict=True):  # one separator between two digit runs
        if fraction is not None:
            return None
        if sep in decimal:
            fraction = part
        elif sep in group:
            groups.append(part)
        else:
            return None
    if len(groups) > 1 and not (
        len(groups[0]) <= 3 and len(groups[-1]) == 3 and all(len(g) in (2, 3) for g in groups[1:-1])
    ):  # 2: Indian lakh grouping
        return None
    return Decimal("".join(groups) + ("." + fraction if fraction is not None else ""))


@lru_cache(maxsize=4096)
def readings(token: str, code: str) -> tuple[tuple[Decimal, ...], ...]:
    """Every way to read a number token: as one number in each convention, as a time (7.30 is
    7 and 30 as in 7:30), or, if nothing else fits, as the separate numbers it is made of."""
    digits = re.findall(r"\d+", token)
    if len(digits) == 1:
        return ((Decimal(token),),)
    seps = re.findall(r"\D", token)
    out: list[tuple[Decimal, ...]] = []
    for decimal, group in conventions(code):
        value = _read(digits, seps, decimal, group)
        if value is not None and (value,) not in out:
            out.append((value,))
    separate = tuple(Decimal(d) for d in digits)
    is_time = seps == ["."] and len(digits[1]) == 2 and int(digits[0]) <= 24 and int(digits[1]) < 60
    if is_time or not out:
        out.append(separate)
    return tuple(out)


_MAX_COMBINATIONS = 64


def _multisets(tokens: tuple[tuple[tuple[Decimal, ...], ...], ...]) -> list[Counter]:
    fixed: Counter = Counter()
    options = [fixed]
    for readings in tokens:
        if len(readings) == 1:
            fixed.update(readings[0])
    for readings in tokens:
        if len(readings) > 1:
            options = [o + Counter(r) for o in options for r in readings][:_MAX_COMBINATIONS]
    return options


def number_difference(source, target) -> tuple[Counter, Counter, Counter, Counter]:
    """(missing, extra, source counts, target counts) for the readings of the source and
    translation that agree best; missing and extra are empty when some readings agree."""
    if sorted(source) == sorted(target):  # the common case: the same numbers, perhaps reordered
        return Counter(), Counter(), Counter(), Counter()
    best: tuple[int, Counter, Counter, Counter, Counter] | None = None
    for s in _multisets(source):
        for t in _multisets(target):
            missing, extra = s - t, t - s
            score = sum(missing.values()) + sum(extra.values())
            if best is None or score < best[0]:
                best = (score, missing, extra, s, t)
            if not score:
                break
        if best is not None and not best[0]:
            break
    assert best is not None  # _multisets always gives at least one
    return best[1:]


def values(numbers) -> list[Decimal]:
    """Every value any reading of some number tokens gives (for matching, not counting)."""
    return sorted({v for readings in numbers for reading in readings for v in reading})


def show(value: Decimal) -> str:
    return format(value.normalize(), "f")
