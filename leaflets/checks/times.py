"""Clock times, compared as times: "1pm", "1 PM", "13:00", "13.00" and "دوپہر 1 بجے" are one time.

A time is read from a normalised text (tokens.normalise: native digits are ASCII, typographic
spaces plain) as an hour and minutes with, where the text says, its half of the day: am/pm and
the day-period names of the locale (babel/CLDR: "yh" in Welsh, "دوپہر" in Urdu, "সকালবেলায়" in
Bengali) and a few spoken forms CLDR lacks (leaflets/data/times.yaml). H:MM with no period is
exact in a locale whose clock is 24-hour (CLDR's time format), either half of the day in a
12-hour one. A time the other side writes as a bare number ("o godzinie 13", "13.00") matches it
too. Times are cut from the text before numbers are compared, so "1pm" -> "13:00" is not two
number errors, and a changed time is reported as that one time.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_period_id, get_time_format

from .. import datafiles
from ..locales import SOURCE_CODE
from ..words import LETTER, listing, unspaced

_DAY = 24 * 60


@dataclass(frozen=True)
class Time:
    minutes: frozenset[int]  # the minutes after midnight it may mean
    written: str
    start: int
    end: int

    def show(self) -> str:
        if len(self.minutes) == 1:
            (m,) = self.minutes
            return f"{self.written} ({m // 60:02d}:{m % 60:02d})" if ":" not in self.written else self.written
        return self.written


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


_ENGLISH = {"am": {"am"}, "a.m.": {"am"}, "pm": {"pm"}, "p.m.": {"pm"}}
_HALVES = frozenset({"am", "pm"})


@cache
def _periods(code: str) -> dict[str, frozenset[str]]:
    """folded period name -> the CLDR period ids it names ("pm" -> {"pm"}, "yh" -> {"pm"})."""
    out: dict[str, set[str]] = {k: set(v) for k, v in _ENGLISH.items()}
    locale = _locale(code)
    if locale is not None:
        for context in locale.day_periods.values():
            for width in ("abbreviated", "wide"):
                for pid, name in context.get(width, {}).items():
                    if pid not in ("midnight", "noon") and len(name) > 1:
                        out.setdefault(name.casefold(), set()).add(pid)
    for pid, names in datafiles.for_locale("times", code).get("periods", {}).items():
        for name in names:
            out.setdefault(str(name).casefold(), set()).add(pid)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _pattern(code: str) -> re.Pattern:
    names = sorted(_periods(code), key=len, reverse=True)
    periods = "|".join(re.escape(p) for p in names)
    # Before the hour only a language's own names ("دوپہر 1 بجے"): "am" is Welsh for "at".
    leading = "|".join(re.escape(p) for p in names if p not in _ENGLISH) or "(?!)"
    oclock_words = sorted(
        {"o'clock", *map(str, datafiles.for_locale("times", code).get("oclock", []))}, key=len, reverse=True
    )
    oclock = "|".join(re.escape(w) for w in oclock_words)
    hour = r"(?<![\d.,:/])(?P<h{0}>[01]?\d|2[0-4])"
    minutes = r"(?:(?P<sep{0}>[:.])(?P<m{0}>[0-5]\d))"
    spaced = not unspaced(code)  # in Han text a time stands between letters: "于下午1点到达"
    end = rf"(?![\d]|{LETTER})" if spaced else r"(?!\d)"
    before = f"(?<!{LETTER})" if spaced else ""
    return re.compile(
        "|".join(
            (
                # 1 pm, 1.30pm, 8 o'clock in the evening, 8 بجے شام
                rf"{hour.format(1)}{minutes.format(1)}? ?(?:(?P<o1>{oclock}) ?)?(?P<p1>{periods}){end}",
                # دوپہر 1 بجے, yh 1
                rf"{before}(?P<p2>{leading}) ?{hour.format(2)}{minutes.format(2)}?(?: ?(?P<o2>{oclock}))?(?![\d])",
                # 13:00, 8:30 (a colon is never a decimal sign)
                rf"{hour.format(3)}(?P<sep3>:)(?P<m3>[0-5]\d)(?: ?(?P<o3>{oclock}))?(?![\d:])",
                # 3 o'clock, 3 بجے
                rf"{hour.format(4)}(?P<sep4>) ?(?P<o4>{oclock}){end}",
            )
        ),
        re.IGNORECASE,
    )


_DIGIT = re.compile(r"\d")


@cache
def _reach(code: str) -> int:
    """How far before its hour's first digit a time can start: a period name and a space ("yh 1")."""
    return max((len(p) for p in _periods(code) if p not in _ENGLISH), default=0) + 1


@cache
def _leading(code: str) -> re.Pattern:
    """Where the one kind of time that starts before its hour can start: a language's own period
    name right before the hour's first digit ("yh 1", "دوپہر 1 بجے"), as _pattern's second branch."""
    names = sorted((p for p in _periods(code) if p not in _ENGLISH), key=len, reverse=True)
    before = f"(?<!{LETTER})" if not unspaced(code) else ""
    return re.compile(f"(?={before}(?:{'|'.join(re.escape(p) for p in names) or '(?!)'}) ?\\d)", re.IGNORECASE)


def _times(text: str, code: str) -> Iterator[re.Match]:
    """_pattern(code).finditer(text), trying only where a time can start: every time has an hour,
    so it starts at a digit or at most _reach characters before one (scanning the whole text
    with the period names at every position is what made this check slow). No place is tried
    twice (one that matched nothing once never will), so no digit lies between an untried place
    and the digit: there only a period name followed by that digit can start one (_leading,
    sought in C within the few characters before it)."""
    pattern, leading, reach, pos, tried = _pattern(code), _leading(code), _reach(code), 0, -1
    for digit in _DIGIT.finditer(text):
        at = digit.start()
        start, tried, match = max(pos, at - reach, tried + 1), at, None
        while start <= at and match is None:
            if start < at:
                named = leading.search(text, start, at + 1)
                start = named.start() if named else at
            match = pattern.match(text, start)
            start += 1
        if match:
            yield match
            pos = match.end()


@cache
def _twenty_four_hour(code: str) -> bool:
    try:
        return "H" in get_time_format("short", locale=code).pattern
    except (UnknownLocaleError, ValueError):
        return False


@cache
def _in_period(hour: int, pids: frozenset[str], code: str) -> bool:
    if ("am" in pids and hour < 12) or ("pm" in pids and hour >= 12):
        return True
    try:
        return get_period_id(datetime.time(hour), locale=code) in pids or (
            get_period_id(datetime.time(hour), type="selection", locale=code) in pids
        )
    except (UnknownLocaleError, ValueError, KeyError):
        return False


def _candidates(h: int, m: int, period: str, colon: bool, code: str) -> frozenset[int]:
    if h == 24:
        h = 0
    if period:
        pids = _periods(code).get(period.casefold(), frozenset())
        hours = {h % 12, h % 12 + 12} if h <= 12 else {h}
        # the reading inside the period, else the nearest ("সকাল ৫টায়": 5 is before CLDR's morning2)
        near = {x: min((abs(x - y) for y in range(24) if _in_period(y, pids, code)), default=0) for x in hours}
        hours = {x for x in hours if near[x] == min(near.values())}
    elif h > 12 or h == 0 or (colon and _twenty_four_hour(code)):
        hours = {h}
    else:
        hours = {h % 12, h % 12 + 12}
    return frozenset(x * 60 + m for x in hours)


def find(text: str, code: str) -> list[Time]:
    """The clock times of a normalised text, in order."""
    if not any(map(str.isdigit, text)):
        return []
    out = []
    for match in _times(text, code):
        g = {k[:-1]: v for k, v in match.groupdict().items() if v is not None}
        h, m = int(g["h"]), int(g.get("m") or 0)
        if g.get("sep") == "." and not g.get("p"):
            continue  # 7.30 with nothing to say it is a time: the numbers check reads it both ways
        if code != SOURCE_CODE and g.get("p") in ("am", "pm"):
            continue  # Welsh "1 am 6 awr" is "1 for 6 hours": in a translation only AM, PM, a.m., p.m.
        if g.get("p") and not (g.get("m") or g.get("o")) and not _periods(code)[g["p"].casefold()] & _HALVES:
            continue  # "2 رات" is two nights, "رات 2 گولیاں" two tablets at night: a bare hour needs am/pm
        colon = g.get("sep") == ":"
        out.append(Time(_candidates(h, m, g.get("p", ""), colon, code), match.group().strip(), *match.span()))
    return out


def cut(text: str, times: Sequence[Time]) -> str:
    """The text with its times blanked, so that the numbers check does not read them."""
    for t in reversed(times):
        text = text[: t.start] + " " * (t.end - t.start) + text[t.end :]
    return text


def _as_number(t: Time, numbers: list) -> int | None:
    """The index of a number token (tokens.readings) that writes time t without saying it is
    one: "13", "1", "13.00", "7.30"."""
    for i, readings in enumerate(numbers):
        for reading in readings:
            for minutes in t.minutes:
                h, m = divmod(minutes, 60)
                hours = {Decimal(h), Decimal(h % 12 or 12)}
                if (
                    (len(reading) == 1 and m == 0 and reading[0] in hours)
                    or (len(reading) == 2 and reading[0] in hours and reading[1] == m)
                    or (len(reading) == 1 and any(reading[0] == x + Decimal(m) / 100 for x in hours))
                ):
                    return i
    return None


def _in_words(t: Time, words: Counter) -> bool:
    """Whether a number in words gives time t's hour ("下午一点", "ein Uhr"): one is used up."""
    for minutes in t.minutes:
        h, m = divmod(minutes, 60)
        for hour in {Decimal(h), Decimal(h % 12 or 12)}:
            if m == 0 and words[hour] > 0:
                words[hour] -= 1
                return True
    return False


def compare(
    source: Sequence[Time],
    target: Sequence[Time],
    src_numbers: tuple,
    dst_numbers: tuple,
    src_words: Callable[[], Counter],
    dst_words: Callable[[], Counter],
) -> tuple[list[tuple[str, str]], tuple, tuple]:
    """(findings, source numbers, target numbers): times matched to times, else to the other
    side's bare numbers (which are then not compared as numbers), else to its numbers in words
    (src_words, dst_words: asked for only then)."""
    left = list(target)
    src_left, dst_left = list(src_numbers), list(dst_numbers)
    words: dict[str, Counter] = {}
    missing = []
    for s in source:
        t = next((t for t in left if t.minutes & s.minutes), None)
        if t is not None:
            left.remove(t)
            continue
        i = _as_number(s, dst_left)
        if i is not None:
            del dst_left[i]
        elif not _in_words(s, words.setdefault("dst", dst_words())):
            missing.append(s)
    extra = []
    for t in left:
        i = _as_number(t, src_left)
        if i is not None:
            del src_left[i]
        elif not _in_words(t, words.setdefault("src", src_words())):
            extra.append(t)
    return list(_findings(missing, extra)), tuple(src_left), tuple(dst_left)


def _findings(missing: list[Time], extra: list[Time]) -> Iterator[tuple[str, str]]:
    gone, new = [t.show() for t in missing], [t.show() for t in extra]
    if gone and new:
        yield "error", f"the time {listing(gone)} in the source is {listing(new)} in the translation"
    elif gone:
        yield "error", f"the time {listing(gone)} in the source is missing from the translation"
    elif new:
        yield "warning", f"the time {listing(new)} in the translation is not in the source"
