"""Negation and comparison: "do not eat" must not become "eat", "less than 60 minutes" not "more
than 60 minutes", "at least 5 days" not "at most".

Each language's negators and comparison words are listed by kind in leaflets/data/negation.yaml
(no library has them); the English and the translation are compared kind by kind. Counting words
across languages is approximate, so these are warnings, with three exceptions that are errors:
an instruction with a quantity (a dose, a duration) whose translation has lost every negation
("do not eat for 6 hours" -> "eat for 6 hours"); a comparison beside a number turned into its
opposite ("at least 5 times" -> "at most 5 times"); and, by the grammar of negative-concord
languages, a clause that keeps a concord word ("nic", "żadnych", "niciun") without the verbal
negator it needs ("nie", "nu"): the tell-tale of a dropped "nie".

The verbal negator (kind `negation`) is counted apart from the concord words (kind `concord`).
Where the English negates a verb (kind `verbal`: "do not", "never"), a clause of the translation
with a concord word and no negator is an error; where it negates a noun ("nothing by mouth"), a
concord word alone ("nic doustnie") is a correct negation. Durations ("drink it over 1-2 hours") are listed
as regular expressions (kind `duration`) and hide the comparison words inside them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import datafiles
from ..locales import SOURCE_CODE
from ..words import LETTER as _LETTER
from ..words import fold, fold_map, listing, unfold, unspaced
from .units import Quantity, say

KINDS = ("negation", "more", "less", "at_least", "at_most", "before", "after")
# Not counted, but used to cut a sentence into clauses: "and"/"or" between two instructions, and
# words that carry a negation into the clause they start (Arabic "وعن" after "الامتناع عن").
CLAUSE_KINDS = ("and_or", "carry")
# Kinds a language may list: words that need the verbal negator (Polish "nic", Welsh "byth"), and
# durations (regular expressions) inside which "over" is not "more than".
GRAMMAR_KINDS = ("concord", "duration", "verbal")
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


@dataclass(frozen=True)
class Forms:
    """One kind's forms in one language, sorted for fast matching: single words by a set or by
    str.startswith/endswith over tuples, phrases (and forms wanted before a number) by one regex."""

    words: frozenset[str]
    prefixes: tuple[str, ...]  # "nie*"
    suffixes: tuple[str, ...]  # "*n't"
    infixes: tuple[str, ...]  # "*ليس*"
    phrases: re.Pattern | None  # after a non-letter (checked by _matches: a lookbehind is slow)
    attached: re.Pattern | None  # "*भन्दा बढी*": also inside a word or, for durations, a regex

    def match(self, word: str) -> bool:
        return (
            word in self.words
            or word.startswith(self.prefixes)
            or word.endswith(self.suffixes)
            or any(i in word for i in self.infixes)
        )


def _phrase(form: str, no_spaces: bool) -> str:
    number = form.endswith(" #")  # "up to #": only before a number ("up to 10%", not "get up to")
    form = form.removesuffix(" #")
    body = re.escape(form.strip("*"))
    if form.endswith("*"):
        body += rf"(?:{_LETTER})*"
    if not no_spaces:
        body += rf"(?!{_LETTER})"
    return body + (r"(?=\s?\d)" if number else "")


def _alternation(forms: list[str], no_spaces: bool) -> re.Pattern | None:
    return re.compile("|".join(_phrase(f, no_spaces) for f in forms)) if forms else None


@cache
def forms(code: str) -> dict[str, Forms]:
    """kind -> its Forms for a locale; {} if the language has no list."""
    listed = datafiles.for_locale("negation", code)
    no_spaces = unspaced(code)
    out = {}
    for kind in (*KINDS, *CLAUSE_KINDS, *GRAMMAR_KINDS):
        if kind == "duration":
            if listed.get(kind):
                regex = re.compile("|".join(f"(?:{r})" for r in listed[kind]))
                out[kind] = Forms(frozenset(), (), (), (), None, regex)
            continue
        folded = sorted({fold(str(f)) for f in listed.get(kind, [])}, key=len, reverse=True)
        if not folded:
            continue
        single = [f for f in folded if not no_spaces and " " not in f and not f.endswith("#")]
        phrases = [f for f in folded if f not in single and (no_spaces or not f.startswith("*"))]
        attached = [f for f in folded if f not in single and f not in phrases]
        out[kind] = Forms(
            words=frozenset(f for f in single if "*" not in f),
            prefixes=tuple(f[:-1] for f in single if f.endswith("*") and not f.startswith("*")),
            suffixes=tuple(f[1:] for f in single if f.startswith("*") and not f.endswith("*")),
            infixes=tuple(f[1:-1] for f in single if f.startswith("*") and f.endswith("*")),
            phrases=_alternation(phrases, no_spaces),
            attached=_alternation(attached, no_spaces),
        )
    return out


_WORD = re.compile(rf"(?:{_LETTER})+(?:['’-](?:{_LETTER})+)*")
# _LETTER is "a letter, or one of these marks": a text with none of the marks has its words
# found by the same pattern without the alternation, twice as fast.
_ALPHA, _, _MARK = _LETTER.partition("|")
_HAS_MARK = re.compile(_MARK)
_ALPHA_WORD = re.compile(rf"{_ALPHA}+(?:['’-]{_ALPHA}+)*")
_IS_LETTER = re.compile(_LETTER)


@cache
def _word_kinds(code: str) -> dict[str, tuple[str, ...]]:
    """word -> the kinds it is a form of, filled in as words are met (words repeat: each is
    looked at once per locale)."""
    return {}


def _kinds_of(word: str, code: str, kinds: dict[str, Forms]) -> tuple[str, ...]:
    known = _word_kinds(code)
    found = known.get(word)
    if found is None:
        found = known[word] = tuple(kind for kind, f in kinds.items() if f.match(word))
    return found


def _words(folded: str) -> re.Pattern:
    return _WORD if _HAS_MARK.search(folded) else _ALPHA_WORD


def _matches(folded: str, code: str) -> Iterator[tuple[int, int, str]]:
    kinds = forms(code)
    if not kinds:
        return
    for m in _words(folded).finditer(folded):
        for kind in _kinds_of(m.group(), code, kinds):
            yield m.start(), m.end(), kind
    yield from _phrases(folded, code, kinds)


def _phrases(folded: str, code: str, kinds: dict[str, Forms], skip: str = "") -> Iterator[tuple[int, int, str]]:
    bounded = not unspaced(code)
    for kind, f in kinds.items():
        if kind == skip:
            continue
        if f.phrases:
            for m in f.phrases.finditer(folded):
                if not (bounded and m.start() and _IS_LETTER.match(folded, m.start() - 1)):
                    yield m.start(), m.end(), kind
        if f.attached:
            for m in f.attached.finditer(folded):
                yield m.start(), m.end(), kind


COUNTED = (*KINDS, "concord", "verbal")


def _counted(folded: str, code: str) -> Iterator[tuple[int, int, str]]:
    """The matches that count: a comparison inside a duration ("over 1-2 hours") does not."""
    found = list(_matches(folded, code))
    durations = [(s, e) for s, e, k in found if k == "duration"]
    for s, e, kind in found:
        if durations and kind in OPPOSITE and any(a <= s < b for a, b in durations):
            continue
        yield s, e, kind


def counts(text: str, code: str) -> Counter:
    """kind -> how many times a text uses it (the concord words counted apart)."""
    return Counter(_counts(text, code))


@lru_cache(maxsize=8192)
def _counts(text: str, code: str) -> Counter:
    """counts, once per text (a translation left in English is counted with the English words
    too: the same text as its msgid); callers get a copy. Where no duration hides a comparison
    (most texts), the words are counted without their places."""
    folded, kinds = fold(text), forms(code)
    if not kinds:
        return Counter()
    duration = kinds.get("duration")
    if duration is not None and duration.attached is not None and duration.attached.search(folded):
        return Counter(kind for _, _, kind in _counted(folded, code) if kind in COUNTED)
    known = _word_kinds(code)
    found = [
        kind
        for word in _words(folded).findall(folded)
        for kind in (known[word] if word in known else _kinds_of(word, code, kinds))
    ]
    found += [kind for _, _, kind in _phrases(folded, code, kinds, skip="duration")]  # none, searched above
    return Counter(kind for kind in found if kind in COUNTED)


def has_data(code: str) -> bool:
    """Whether negation can be checked in a locale (leaflets/data/negation.yaml lists it)."""
    return "negation" in forms(code)


def missing_data_notice(code: str) -> str:
    """The line `init`, `check` and `status` print for a locale without negation data."""
    from ..locales import info

    return (
        f"negation not checked for {info(code).english_name}: add it in leaflets/data/negation.yaml "
        "(how: the comment at its top)"
    )


def spans(text: str, code: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each negation or comparison (or other kind) in a text."""
    folded, origin = fold_map(text)
    return [(*unfold(text, origin, s, e), k) for s, e, k in _counted(folded, code) if e > s and k in kinds]


_CLAUSE_END = re.compile(r"[,;:.!?，；：、。！？،؛؟।۔]")
_SENTENCE_END = re.compile(r"[.;:!?。；！？؛؟।۔]")


@lru_cache(maxsize=4096)
def negated(text: str, quantities: tuple[Quantity, ...]) -> list[Quantity]:
    """The quantities of an English text a negation stands before in the same sentence ("not to
    have any food for 6 hours or liquids for 2 hours": both)."""
    if sum(1 for q in quantities if q.unit) < 2:
        return []
    nots = [s for s, _, _ in spans(text, SOURCE_CODE, ("negation",))]
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    return [
        q for q in quantities if q.unit and any(n < q.start and not any(n < e < q.start for e in ends) for n in nots)
    ]


def check_clauses(
    source: str, src_quantities: tuple[Quantity, ...], target: str, dst_quantities: Sequence[Quantity], code: str
) -> Iterator[tuple[str, str]]:
    """A warning when one instruction of several under one English negation lost its own in the
    translation ("不要进食，手术前2小时内不要喝" -> "...2小时内喝"): each clause of the translation
    holding such a number must say "not" too, unless a word carries the negation over."""
    wanted = negated(source, src_quantities)
    if len(wanted) < 2 or not forms(code):
        return
    found = spans(target, code, ("negation", "and_or", "carry"))
    cuts = sorted([m.start() for m in _CLAUSE_END.finditer(target)] + [s for s, _, k in found if k == "and_or"])
    unused = list(dst_quantities)
    bare, covered = [], 0
    for q in wanted:
        t = next((d for d in unused if (d.value, d.unit) == (q.value, q.unit)), None)
        if t is None:
            return  # the numbers or units check speaks for it
        unused.remove(t)
        start = max((c for c in cuts if c < t.start), default=0)
        end = min((c for c in cuts if c >= t.end), default=len(target))
        if any(start <= s < end and k in ("negation", "carry") for s, _, k in found):
            covered += 1
        else:
            bare.append(q)
    if bare and covered:
        shown = listing([say(q.value, q.unit) for q in bare])
        yield (
            "warning",
            f"the instruction with {shown} has no negation of its own in the translation (the English says not)",
        )


def dropped_negators(target: str, code: str) -> list[str]:
    """The concord words of a translation standing in a clause with no verbal negator ("jeść, a
    przez 2 godziny nic pić": "nic"), as written."""
    found = spans(target, code, ("negation", "concord", "and_or"))
    cuts = sorted([m.start() for m in _CLAUSE_END.finditer(target)] + [s for s, _, k in found if k == "and_or"])
    negated = {bisect_right(cuts, s) for s, _, k in found if k == "negation"}  # the clauses with a negator
    return [target[s:e] for s, e, kind in found if kind == "concord" and bisect_right(cuts, s) not in negated]


def check_negation(
    source: Counter, target: Counter, code: str, has_quantity: bool, has_number: bool = False, text: str = ""
) -> Iterator[tuple[str, str]]:
    """has_quantity: the source gives a number with its unit; has_number: any number; text: the
    translation (for the concord words' clauses)."""
    if not forms(code):
        return
    problems, severity = [], "warning"
    if target["concord"] and text and source["verbal"]:  # "nothing by mouth" may be "nic doustnie"
        bare = dropped_negators(text, code)
        if bare:
            problems.append(
                f"{listing(sorted(set(bare)))} without the verbal negator its clause needs: the negation was dropped"
            )
            severity = "error"
    for kind in KINDS:
        want, have = source[kind], target[kind] + (target["concord"] if kind == "negation" else 0)
        if want <= have:
            continue
        opposite = OPPOSITE.get(kind)
        if opposite and target[opposite] - source[opposite] >= want - have:  # each one lost became its opposite
            problems.append(f"{_SHOW[kind]} in the source reads as {_SHOW[opposite]} in the translation")
            severity = "error" if has_quantity or has_number else severity
        elif kind == "negation" and have == 0:
            problems.append(f"{_SHOW[kind]} in the source, none in the translation")
            severity = "error" if has_quantity else severity
        else:
            problems.append(f"{_SHOW[kind]} {want} time(s) in the source, {have} in the translation")
    if problems:
        yield severity, listing(problems) + " (check the meaning has not been reversed)"
