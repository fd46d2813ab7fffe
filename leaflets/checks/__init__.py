"""Translation safety checks: does each msgstr say what its msgid says, in the things that must
not change? Numbers, phone numbers, addresses, {placeholders}, bold and links, the drug names a
leaflet keeps, and (as warnings) untranslated sentences, final punctuation and stray white space.
Each family of checks that needs its own data lives in a module of its own: units and numbers in
context (units), clock times (times), negation and comparison (negation), completeness
(completeness), drugs (drugs), currency (currency), forbidden characters (chars, the list in
leaflets/characters.py) and catalog integrity (leaflets/integrity.py, also enforced by
catalogs.load so that `check` and `build` refuse the same catalogs). Every text is read with plain
typography first (tokens.normalise: apostrophes, quotes, dashes, spaces, digits of every script).

Only usable entries are checked (translated, not fuzzy, not obsolete): the build never renders
the others; `check --fuzzy` checks the translated fuzzy entries too (a mistake in a suggestion is
found before someone clears its flag), their findings marked "fuzzy". A translator may silence one check on one entry with a PO flag named after it
(`#, ignore-numbers`) or, since msgmerge drops unknown flags, with the same words as a
translator comment (`# ignore-numbers`); such findings are kept, marked suppressed, and
counted by `suppressed`.

Per-locale spellings of kept terms (a transliteration, or the spelling on local packets) come
from a PO header field, in common.po for the whole locale or in one leaflet's PO:
    "X-Keep-Terms: Warfarin=وارفرین; Clopidogrel=کلوپیڈوگریل|کلوپیدوگرل\\n"
or, for one entry, a translator comment `# keep: Warfarin=warfaryna`. Strings that may stay in
English (the name of an English guideline, say) are listed in "X-Allow-Unchanged: A; B".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import Protocol

import polib

from .. import catalogs, inline, integrity, locales, number_words
from .. import words as _words
from ..collector import fewer_collections
from ..model import LineBreak, Link, Strong, Text, plain_text
from ..patterns import TAG
from ..project import Project
from ..reader import decode
from ..words import listing
from . import times, tokens
from .chars import check_characters
from .completeness import check_completeness
from .currency import check_currency
from .drugs import KEEP_HEADER, check_keep
from .negation import check_clauses, check_negation, missing_data_notice
from .negation import counts as negation_counts
from .negation import has_data as has_negation_data
from .units import Quantity, check_context, check_units, quantities

ERROR, WARNING = "error", "warning"
CHECKS = (
    "placeholders",
    "numbers",
    "times",
    "units",
    "context",
    "currency",
    "phones",
    "addresses",
    "markup",
    "characters",
    "keep",
    "negation",
    "completeness",
    "unchanged",
    "punctuation",
    "whitespace",
)
NOT_IGNORABLE = frozenset({"placeholders"})  # a broken {name} is printed as is: never right
FLAG_PREFIX = "ignore-"
ALLOW_HEADER = "X-Allow-Unchanged"
_EXCERPT = 40


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    check: str  # one of CHECKS, or "flags" / "catalog"
    message: str  # what differs, e.g. "500 in the source, 50 in the translation"
    msgid: str = ""  # excerpt of the entry's msgid
    path: str = ""
    line: int = 0
    locale: str = ""
    domain: str = ""
    suppressed: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path else ""
        entry = f' "{self.msgid}"' if self.msgid else ""
        return f"{where}{self.severity} [{self.check}]{entry}: {self.message}"

    def as_json(self) -> dict:
        return {
            "severity": self.severity,
            "check": self.check,
            "path": self.path,
            "line": self.line,
            "locale": self.locale,
            "domain": self.domain,
            "msgid": self.msgid,
            "message": self.message,
        }


def excerpt(text: str, n: int = _EXCERPT) -> str:
    return _words.excerpt(text, n)


# --- facts about one text -----------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_CLOSERS = frozenset("\"'")


# Characters without which inline.parse can only fold white space (no emphasis, link, escape,
# entity, autolink, code or hard break): such texts skip the Markdown parser.
_MARKDOWN = re.compile(r"[\\*_\[\]<>&`!\n\r]")
_FOLD = re.compile(r"[ \t\f\v]+")


def _runs(text: str) -> tuple[tuple, str]:
    """(inline runs, why they cannot be rendered or "") of a msgid or msgstr."""
    if not _MARKDOWN.search(text):
        folded = _FOLD.sub(" ", text).strip(" ")
        return ((Text(folded),) if folded else ()), ""
    try:
        return inline.parse(text), ""
    except inline.InlineError as exc:
        return (Text(text),), exc.reason


@lru_cache(maxsize=4096)
def _source_facts(msgid: str) -> _Facts:
    """Facts of a msgid, computed once for all the locales it is checked in."""
    return _facts(msgid, locales.SOURCE_CODE)


@dataclass(frozen=True)
class _Markup:
    """What a text's Markdown says: the same in every locale, so worked out once per text (an
    msgstr left in English, or the same in several catalogs, shares it)."""

    plain: str  # the words (normalised), markup removed
    error: str  # why the Markdown cannot be rendered, or ""
    placeholders: Counter
    spans: Counter  # "strong" / "emphasis" / "line break" -> count
    links: Counter  # link target -> count
    stars: int  # literal * left in the text: unbalanced ** or *
    broken_links: int  # literal "](" left in the text
    tags: Counter
    entities: Counter


@dataclass(frozen=True)
class _Facts(_Markup):
    raw: str
    mentions: tokens.Mentions
    quantities: tuple[Quantity, ...]  # numbers with the unit written next to them
    negation: Counter  # kind (negation, more, less ...) -> count


@lru_cache(maxsize=4096)
def _markup(text: str) -> _Markup:
    runs, error = _runs(text)
    spans: Counter = Counter()
    links: Counter = Counter()
    texts: list[str] = []
    _walk(runs, spans, links, texts)
    literal = "".join(texts)
    return _Markup(
        plain=tokens.normalise(plain_text(runs)),
        error=error,
        placeholders=tokens.placeholders(text),
        spans=spans,
        links=links,
        stars=literal.count("*"),
        broken_links=literal.count("]("),
        tags=Counter(TAG.findall(literal)) if "<" in literal else Counter(),
        entities=Counter(_ENTITY.findall(text)) if "&" in text else Counter(),
    )


def _facts(text: str, code: str) -> _Facts:
    markup = _markup(text)
    mentions = tokens.mentions(tokens.without_placeholders(markup.plain), code)
    return _Facts(
        **markup.__dict__,
        raw=text,
        mentions=mentions,
        quantities=quantities(mentions.words, code, locales.info(code).script == "Latn"),
        negation=negation_counts(markup.plain, code),
    )


def _walk(runs, spans: Counter, links: Counter, texts: list):
    for node in runs:
        if isinstance(node, Text):
            texts.append(node.text)
        elif isinstance(node, LineBreak):
            spans["line break"] += 1
        else:
            if isinstance(node, Link):
                links[node.url] += 1
            else:
                spans["strong" if isinstance(node, Strong) else "emphasis"] += 1
            _walk(node.children, spans, links, texts)


# --- the checks ---------------------------------------------------------------------------------


def _difference(
    what: str, missing: Counter, extra: Counter, show=str, source: Counter | None = None, target: Counter | None = None
) -> tuple[str, str] | None:
    """(severity, message) for two multisets that should be equal: something of the source
    missing is an error, something only added is a warning."""
    if not missing and not extra:
        return None
    gone, new = (
        [show(v) + ("" if n == 1 else f" ({_times(n)})") for v, n in sorted(c.items())] for c in (missing, extra)
    )
    if gone and new:
        return ERROR, f"{what}{listing(gone)} in the source, {listing(new)} in the translation"
    parts = []
    for v in sorted(missing or extra):
        in_source, in_target = (source or {}).get(v, 0), (target or {}).get(v, 0)
        if in_source and in_target:  # on both sides, a different number of times
            parts.append(
                f"{what}{show(v)} appears {_times(in_source)} in the source, {_times(in_target)} in the translation"
            )
        elif gone:
            parts.append(f"{what}{show(v)} in the source is missing from the translation")
        else:
            parts.append(f"{what}{show(v)} in the translation is not in the source")
    return (ERROR if gone else WARNING), "; ".join(parts)


def _times(n: int) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(n, f"{n} times")


_DOUBLED = re.compile(r"\{\{((?:\w|\\_)+)\}\}")


def _check_placeholders(src: _Facts, dst: _Facts, optional=frozenset()):
    doubled = "{{" in dst.raw and Counter(_DOUBLED.findall(dst.raw)) - Counter(_DOUBLED.findall(src.raw))
    if doubled:  # {{phone}}: the name is filled in, the outer braces printed around it
        names = listing([f"{{{{{n}}}}}" for n in sorted(doubled)])
        yield ERROR, f"{names}: doubled braces would be printed around the value (write {{name}})"
    if src.placeholders == dst.placeholders:
        return
    missing = Counter({k: n for k, n in (src.placeholders - dst.placeholders).items() if k not in optional})
    extra = dst.placeholders - src.placeholders
    found = _difference("", missing, extra, "{{{}}}".format, src.placeholders, dst.placeholders)
    if found:
        yield ERROR, found[1] + " (placeholders must be copied exactly)"


def _check_numbers(src: _Facts, dst: _Facts, code: str, numbers: tuple[tuple, tuple]):
    """numbers: (source, translation) number tokens left once clock times have been matched.
    Numbers in words count by value on either side ("½ a tablet" -> "pół tabletki", 500 ->
    "pięćset"); a number in words that differs is an error like one in digits."""
    missing, extra, s, t = tokens.number_difference(*numbers)
    said = _in_words(src.plain, locales.SOURCE_CODE)
    if not (missing or extra or said):
        return  # the same numbers, none in words in the source: the translation's words cannot matter
    in_words = _in_words(dst.plain, code)
    if missing or extra:
        missing, extra = missing - in_words, extra - said
    if missing or said:  # the translation's words not accounted for name what replaced a number
        digits = Counter(tokens.values(numbers[0]))
        stray = _whole(in_words - digits - said)
        gone = _whole(said - Counter(tokens.values(numbers[1])) - in_words)  # "a quarter" may be "1 in 4"
        if gone and (stray or extra):
            missing += gone
        if missing and not extra:
            extra = stray
    found = _difference("", missing, extra, tokens.show, s, t)
    if found:
        yield found


@lru_cache(maxsize=8192)
def _in_words(text: str, code: str) -> Counter:
    """number_words.values, once per text (a msgid's, in every locale): not to be changed
    (times.compare uses its words up: it is given a copy)."""
    return number_words.values(text, code)


def _whole(counts: Counter) -> Counter:
    """The whole numbers from 2 up of some number words ("one" is also a pronoun, "a quarter" "1 in 4")."""
    return Counter({v: n for v, n in counts.items() if v >= 2 and v == v.to_integral_value()})


def _check_phones(src: _Facts, dst: _Facts):
    if src.mentions.phones == dst.mentions.phones:
        return
    written = {**dst.mentions.written, **src.mentions.written}
    found = _difference(
        "phone number ",
        src.mentions.phones - dst.mentions.phones,
        dst.mentions.phones - src.mentions.phones,
        written.get,
    )
    if found:
        yield found


def _check_addresses(src: _Facts, dst: _Facts):
    for what, a, b in (
        ("e-mail address ", src.mentions.emails, dst.mentions.emails),
        ("web address ", src.mentions.urls, dst.mentions.urls),
    ):
        found = a != b and _difference(what, a - b, b - a)
        if found:
            yield found


def _check_markup(src: _Facts, dst: _Facts):
    if dst.error:
        yield ERROR, dst.error
        return
    if dst.stars > src.stars:
        yield ERROR, "unbalanced ** or *: the asterisks would be printed (write **text** with no space inside)"
    if dst.broken_links > src.broken_links:
        yield ERROR, "broken link: write [text](address)"
    tags = dst.tags and dst.tags - src.tags
    if tags:
        yield ERROR, f"raw tag {listing(sorted(tags))} would be printed as text (use **bold**, [text](url))"
    entities = dst.entities and dst.entities - src.entities
    if entities:
        yield WARNING, f"HTML entity {listing(sorted(entities))}: write the character itself"
    found = src.links != dst.links and _difference("link to ", src.links - dst.links, dst.links - src.links)
    if found:
        yield found
    bold = ("strong", "emphasis")
    if any(src.spans[k] != dst.spans[k] for k in bold):
        swapped = sum(src.spans[k] for k in bold) == sum(dst.spans[k] for k in bold)
        yield (WARNING if swapped else ERROR), f"{_spans(src)} in the source, {_spans(dst)} in the translation"
    if src.spans["line break"] != dst.spans["line break"]:
        yield (
            WARNING,
            (f"{src.spans['line break']} line break(s) in the source, {dst.spans['line break']} in the translation"),
        )


def _spans(facts: _Facts) -> str:
    return f"{facts.spans['strong']} **bold** and {facts.spans['emphasis']} *emphasis*"


_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n")
_MIN_WORDS = 3


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """The sentences of an English text long enough to be worth finding untranslated."""
    out = (" ".join(s.split()) for s in _SENTENCE_END.split(text))
    return tuple(s for s in out if len(s.split()) >= _MIN_WORDS)


def _check_unchanged(src: _Facts, dst: _Facts, keep: Iterable[str], allowed: Iterable[str]):
    same = " ".join(dst.plain.split()) == " ".join(src.plain.split())
    if not same and not any(s in dst.plain for s in _sentences(src.plain)):
        return
    names = [tokens.normalise(s) for s in (*allowed, *keep) if s]

    def words(text: str) -> str:
        for name in names:
            text = text.replace(name, " ")
        return text

    rest = words(dst.mentions.words)
    if not re.search(r"[^\W\d_]", rest):
        return  # nothing left to translate: names, numbers, addresses
    if same:
        yield WARNING, "the translation is the English text"
        return
    rest = " ".join(rest.split())
    for sentence in _sentences(words(src.mentions.words)):
        if sentence in rest:
            yield WARNING, f'still in English: "{excerpt(sentence)}"'
            return


# Sentence-final punctuation of every script, by what it does. NFKC has already made the
# full-width forms (。 stays; ？！：；，．become ASCII) comparable.
_FINAL = {
    ".": "full stop",
    "。": "full stop",
    "۔": "full stop",
    "।": "full stop",
    "॥": "full stop",
    "።": "full stop",
    "။": "full stop",
    "։": "full stop",
    "។": "full stop",
    "།": "full stop",
    "?": "question mark",
    "؟": "question mark",
    "፧": "question mark",
    "՞": "question mark",
    "!": "exclamation mark",
    "՜": "exclamation mark",
    ":": "colon",
    "፥": "colon",
    ";": "semicolon",
    "؛": "semicolon",
    "፤": "semicolon",
    ",": "comma",
    "،": "comma",
    "、": "comma",
    "፣": "comma",
}
# The full stop a language writes, where it is not "." (CLDR has no such table). Keyed by
# locale code, else by language.
FULL_STOP = {
    "ur": "۔",
    "pa_Arab": "۔",
    "zh": "。",
    "ja": "。",
    "yue": "。",
    "hi": "।",
    "ne": "।",
    "bn": "।",
    "pa": "।",
    "as": "।",
    "or": "।",
    "am": "።",
    "ti": "።",
    "my": "။",
    "hy": "։",
    "km": "។",
    "bo": "།",
}
NO_FINAL_STOP = frozenset({"th", "lo"})  # sentences simply end


def _final(text: str) -> str:
    text = text.rstrip()
    while text and (text[-1] in _CLOSERS or unicodedata.category(text[-1]) in ("Pe", "Pf")):
        text = text[:-1].rstrip()
    return text[-1:] if text and text[-1] in _FINAL else ""


def _check_punctuation(src: _Facts, dst: _Facts, code: str):
    a, b = _final(src.plain), _final(dst.plain)
    info = locales.info(code)
    if not a or info.language in NO_FINAL_STOP:
        return  # a translator may complete a sentence the source leaves open
    if not b:
        yield WARNING, f"the source ends with '{a}', the translation has no final punctuation"
    elif _FINAL[a] != _FINAL[b]:
        yield WARNING, f"the source ends with a {_FINAL[a]} '{a}', the translation with '{b}'"
    elif _FINAL[b] == "full stop":
        stop = FULL_STOP.get(code, FULL_STOP.get(info.language, "."))
        if b != stop:
            yield WARNING, f"ends with '{b}': {info.english_name} ends a sentence with '{stop}'"


def _check_whitespace(src: _Facts, dst: _Facts):
    for where, strip in (("leading", str.lstrip), ("trailing", str.rstrip)):
        if (strip(dst.raw) != dst.raw) != (strip(src.raw) != src.raw):
            yield WARNING, f"{where} white space differs from the source"


def _target_negation(src: _Facts, dst: _Facts) -> Counter:
    """The translation's negations and comparisons; where it has fewer than the English, English
    words left in it count too (an entry kept in English is the `unchanged` check's finding)."""
    if all(dst.negation[k] >= n for k, n in src.negation.items()):
        return dst.negation
    return dst.negation + negation_counts(dst.plain, locales.SOURCE_CODE)


def _raw_findings(
    msgid: str,
    msgstr: str,
    code: str,
    keep: Mapping[str, tuple[str, ...]],
    allowed: Iterable[str] = (),
    optional: frozenset = frozenset(),
) -> list[Finding]:
    """The findings of one translation, before flags: worked out once per process for the same
    texts, locale, kept terms and allowed strings (a sentence every leaflet shares, a catalog
    checked by `status` and then built), since they depend on nothing else (the checks' data
    are read once per process too)."""
    return list(_findings(msgid, msgstr, code, tuple(keep.items()), tuple(allowed), optional))


@lru_cache(maxsize=16384)
def _findings(
    msgid: str,
    msgstr: str,
    code: str,
    keep_items: tuple[tuple[str, tuple[str, ...]], ...],
    allowed: tuple[str, ...],
    optional: frozenset,
) -> tuple[Finding, ...]:
    return tuple(_entry_findings(msgid, msgstr, code, dict(keep_items), allowed, optional))


def _entry_findings(
    msgid: str,
    msgstr: str,
    code: str,
    keep: Mapping[str, tuple[str, ...]],
    allowed: Iterable[str],
    optional: frozenset,
) -> list[Finding]:
    src, dst = _source_facts(msgid), _facts(msgstr, code)
    clock: list[tuple[str, str]] = []
    numbers = src.mentions.numbers, dst.mentions.numbers
    if src.mentions.times or dst.mentions.times:
        clock, *left = times.compare(
            src.mentions.times,
            dst.mentions.times,
            *numbers,
            lambda: Counter(_in_words(src.plain, locales.SOURCE_CODE)),
            lambda: Counter(_in_words(dst.plain, code)),
        )
        numbers = left[0], left[1]
    runs = {
        "placeholders": _check_placeholders(src, dst, optional),
        "numbers": _check_numbers(src, dst, code, numbers),
        "times": clock,
        "units": check_units(src.quantities, dst.quantities),
        "context": check_context(src.quantities, dst.quantities),
        "currency": check_currency(src.plain, dst.plain, code),
        "phones": _check_phones(src, dst),
        "addresses": _check_addresses(src, dst),
        "markup": _check_markup(src, dst),
        "characters": check_characters(src.raw, dst.raw),
        "keep": check_keep(src.plain, dst.plain, code, keep, locales.info(code).script == "Latn"),
        "negation": chain(
            check_negation(
                src.negation,
                _target_negation(src, dst),
                code,
                any(q.unit for q in src.quantities),
                bool(src.mentions.numbers),
                dst.plain,
            ),
            check_clauses(src.mentions.words, src.quantities, dst.mentions.words, dst.quantities, code),
        ),
        "completeness": check_completeness(src.plain, dst.plain, code),
        "unchanged": _check_unchanged(src, dst, keep, allowed),
        "punctuation": _check_punctuation(src, dst, code),
        "whitespace": _check_whitespace(src, dst),
    }
    out = []
    for check, found in runs.items():
        found = list(found)
        if found:
            severity = ERROR if any(s == ERROR for s, _ in found) else WARNING
            out.append(Finding(severity, check, "; ".join(m for _, m in found), excerpt(msgid), locale=code))
    return out


def _apply_flags(findings: list[Finding], flags: Iterable[str], msgid: str, code: str) -> list[Finding]:
    """Mark findings an `ignore-<check>` flag silences; warn of unknown and unused flags."""
    ignored = {f[len(FLAG_PREFIX) :] for f in flags if f.startswith(FLAG_PREFIX)}
    out = [replace(f, suppressed=True) if f.check in ignored and f.check not in NOT_IGNORABLE else f for f in findings]
    fired = {f.check for f in findings}
    for name in sorted(ignored):
        problem = (
            "is not a check (known: " + ", ".join(c for c in CHECKS if c not in NOT_IGNORABLE) + ")"
            if name not in CHECKS
            else "cannot be ignored"
            if name in NOT_IGNORABLE
            else "silences nothing: remove it so it cannot hide a future mistake"
            if name not in fired
            else ""
        )
        if problem:
            out.append(Finding(WARNING, "flags", f"{FLAG_PREFIX}{name} {problem}", excerpt(msgid), locale=code))
    return out


def _keep_map(keep_terms) -> dict[str, tuple[str, ...]]:
    if isinstance(keep_terms, Mapping):
        return {t: tuple(s) for t, s in keep_terms.items()}
    return dict.fromkeys(keep_terms, ())


def check_entry(
    msgid: str,
    msgstr: str,
    locale_code: str,
    keep_terms=(),
    flags: Iterable[str] = (),
    allowed_unchanged: Iterable[str] = (),
) -> list[Finding]:
    """The findings for one translation, without file or line; suppressed ones left out.

    keep_terms: the leaflet's kept terms, or a mapping term -> accepted spellings in this locale.
    """
    keep = _keep_map(keep_terms)
    found = _apply_flags(
        _raw_findings(msgid, msgstr, locale_code, keep, tuple(allowed_unchanged)), flags, msgid, locale_code
    )
    return [f for f in found if not f.suppressed]


# --- catalogs -----------------------------------------------------------------------------------


def _pairs(header: str) -> dict[str, tuple[str, ...]]:
    """'Warfarin=وارفرین|وارفارین; Aspirin=اسپرین' -> {'warfarin': ('وارفرین', 'وارفارین'), ...}"""
    out: dict[str, tuple[str, ...]] = {}
    for item in header.split(";"):
        term, _, spellings = item.partition("=")
        if term.strip() and spellings.strip():
            out.setdefault(term.strip().casefold(), ())
            out[term.strip().casefold()] += tuple(s.strip() for s in spellings.split("|") if s.strip())
    return out


def spellings(*pos) -> dict[str, tuple[str, ...]]:
    """Kept-term spellings from the X-Keep-Terms headers of some catalogs (later ones add)."""
    out: dict[str, tuple[str, ...]] = {}
    for po in pos:
        if po is not None:
            for term, s in _pairs(po.metadata.get(KEEP_HEADER, "")).items():
                out[term] = out.get(term, ()) + s
    return out


def _entry_flags(entry) -> list[str]:
    """PO flags plus `ignore-*` words on a translator comment line of their own (`# ignore-numbers`):
    GNU msgmerge drops flags it does not know on every update, but keeps translator comments."""
    flags = list(entry.flags)
    for line in (entry.tcomment or "").splitlines():
        words = [w for w in re.split(r"[,\s]+", line) if w]
        if words and all(w.startswith(FLAG_PREFIX) for w in words):
            flags += words
    return flags


def _entry_spellings(entry) -> dict[str, tuple[str, ...]]:
    lines = [
        line.split(":", 1)[1]
        for line in (entry.tcomment or "").splitlines()
        if line.strip().lower().startswith("keep:")
    ]
    return _pairs(";".join(lines))


@lru_cache(maxsize=64)
def _single_number_forms(plural: str, nplurals: int) -> frozenset[int]:
    """Plural forms chosen by exactly one number (Arabic's 'one', 'two'): they may leave the
    count out ("one section")."""
    try:
        pick = catalogs.plural_chooser(plural, nplurals)
        seen = Counter(int(pick(n)) for n in range(1000))
    except (ValueError, ArithmeticError):
        return frozenset()
    return frozenset(i for i in range(nplurals) if seen[i] == 1)


def _faults(text: str) -> list[integrity.Fault]:
    """Every integrity fault of a catalog that catalogs.load refused for the first of them."""
    try:
        po = polib.pofile(text, wrapwidth=catalogs.WRAP)
    except (OSError, ValueError):
        return []
    return integrity.faults(po, catalogs.plural_forms(po)[0], integrity.msgid_lines(text))


def _checked(entry, fuzzy: bool) -> bool:
    """Whether an entry is checked: usable ones; with fuzzy, fuzzy ones that have a translation."""
    if catalogs.usable(entry):
        return True
    if not fuzzy or entry.obsolete or "fuzzy" not in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def check_catalog(
    path: Path,
    code: str,
    keep: Iterable[str] = (),
    shared=None,
    root: Path | None = None,
    domain: str = "",
    fuzzy: bool = False,
    data: bytes | None = None,
    po: polib.POFile | None = None,
) -> list[Finding]:
    """Every finding of one PO file, suppressed ones included (marked).

    keep: the leaflet's kept terms; shared: the locale's common.po (polib), whose X-Keep-Terms
    and X-Allow-Unchanged apply to every leaflet; fuzzy: check translated fuzzy entries too.
    data (and po): the file's bytes (and their parse), when the caller has them already:
    nothing is read or parsed again.
    """
    path = Path(path)
    where = (path.relative_to(root) if root and path.is_relative_to(root) else path).as_posix()
    try:
        data = path.read_bytes() if data is None else data
        text = decode(data)
        po = catalogs.load(path, data) if po is None else po
    except (catalogs.CatalogError, UnicodeDecodeError) as exc:
        faults = _faults(text) if isinstance(exc, catalogs.CatalogError) else []
        return [Finding(ERROR, "catalog", f.what, "", where, f.line, code, domain) for f in faults] or [
            Finding(
                ERROR, "catalog", getattr(exc, "reason", str(exc)), "", where, getattr(exc, "line", 0), code, domain
            )
        ]
    lines = integrity.msgid_lines(text)
    known = spellings(shared, po)
    allowed = tuple(
        s.strip()
        for p in (shared, po)
        if p is not None
        for s in p.metadata.get(ALLOW_HEADER, "").split(";")
        if s.strip()
    )
    plural = re.search(r"plural\s*=\s*([^;]+)", po.metadata.get("Plural-Forms", ""))
    out = []
    for entry in po:
        if not _checked(entry, fuzzy):
            continue
        terms = {**known, **{k: known.get(k, ()) + v for k, v in _entry_spellings(entry).items()}}
        keep_map = {t: terms.get(t.casefold(), ()) for t in keep}
        if entry.msgid_plural:
            forms = sorted(entry.msgstr_plural.items())
            single = _single_number_forms(plural.group(1).strip(), len(forms)) if plural else frozenset()
            first = tokens.placeholders(entry.msgid)
            count = frozenset(list(first)[:1])
            raw = []
            for i, msgstr in forms:
                source = entry.msgid if i == 0 and len(forms) > 1 else entry.msgid_plural
                for f in _raw_findings(source, msgstr, code, keep_map, allowed, count if i in single else frozenset()):
                    raw.append(replace(f, message=f"form {i}: {f.message}", msgid=excerpt(entry.msgid)))
        else:
            raw = _raw_findings(entry.msgid, entry.msgstr, code, keep_map, allowed)
        line = lines.get(entry.linenum, entry.linenum)
        state = "fuzzy entry: " if "fuzzy" in entry.flags else ""
        out += [
            replace(f, path=where, line=line, domain=domain, message=state + f.message)
            for f in _apply_flags(raw, _entry_flags(entry), entry.msgid, code)
        ]
    return out


class Memo(Protocol):
    """Findings kept by `memo_key` (the application keeps them on disk: publishing.engine.checkcache)."""

    def get(self, key: str) -> list[Finding] | None: ...

    def put(self, key: str, findings: list[Finding]) -> None: ...


def memo_key(
    path: Path, root: Path | None, code: str, domain: str, data: bytes, common: bytes | None, source: bytes
) -> str:
    """What one catalog's findings depend on besides the checks' code: its bytes, common.po's,
    the leaflet's source (its kept terms; b"" for common.po), the locale and the name it is
    reported under. Bytes only, so a build's driver can look findings up without parsing."""
    where = (path.relative_to(root) if root and path.is_relative_to(root) else path).as_posix()
    digests = [hashlib.sha256(d).hexdigest() if d is not None else "" for d in (data, common, source)]
    return hashlib.sha256(json.dumps([where, code, domain, *digests]).encode("utf-8")).hexdigest()


def checked(
    path: Path,
    code: str,
    keep: Iterable[str],
    shared: Callable[[], polib.POFile | None],
    root: Path | None,
    domain: str,
    data: bytes,
    common: bytes | None,
    source: bytes,
    memo: Memo | None = None,
    fuzzy: bool = False,
    po: polib.POFile | None = None,
) -> list[Finding]:
    """check_catalog, answered from `memo` when the same content was checked before (`shared`
    gives common.po, parsed only if it is needed; `po`: `data` parsed, if the caller has it)."""
    if memo is None:
        return check_catalog(path, code, keep, shared(), root, domain, fuzzy, data, po)
    key = memo_key(path, root, code, f"{domain}+fuzzy" if fuzzy else domain, data, common, source)
    found = memo.get(key)
    if found is None:
        found = check_catalog(path, code, keep, shared(), root, domain, fuzzy, data, po)
        memo.put(key, found)
    return found


def scan(
    project: Project,
    leaflet_ids=None,
    codes=None,
    memo: Memo | None = None,
    fuzzy: bool = False,
    on_parse: Callable[[str, str, polib.POFile | None], None] | None = None,
):
    """(domain, locale, findings) for each catalog: common.po of each locale, then each leaflet
    in every locale in turn (so its msgids are analysed once). `on_parse(leaflet, locale, po)` is
    told each leaflet catalog as parsed (None if it cannot be), before its findings: a caller that
    reads the catalogs too (`status`) parses each once."""
    codes = [c for c in (codes or project.locale_codes()) if c != locales.SOURCE_CODE]
    common: dict[str, bytes] = {}
    parsed: dict[str, polib.POFile | None] = {}

    def shared(code: str) -> polib.POFile | None:
        if code not in parsed:
            try:
                path = catalogs.po_path(project.locales_dir, code, catalogs.COMMON)
                parsed[code] = catalogs.load(path, common[code]) if code in common else None
            except (catalogs.CatalogError, UnicodeDecodeError):
                parsed[code] = None  # check_catalog reports it
        return parsed[code]

    for code in codes:
        path = catalogs.po_path(project.locales_dir, code, catalogs.COMMON)
        if path.exists():
            common[code] = path.read_bytes()
            data = common[code]
            found = checked(
                path, code, (), partial(shared, code), project.root, catalogs.COMMON, data, data, b"", memo, fuzzy
            )
            yield catalogs.COMMON, code, found
    for lid in leaflet_ids or project.leaflet_ids():
        keep = project.leaflet(lid).meta.keep
        source = project.source_files[lid].read_bytes()
        for code in codes:
            path = catalogs.po_path(project.locales_dir, code, lid)
            if path.exists():
                data = path.read_bytes()
                po = None
                if on_parse is not None:
                    with contextlib.suppress(catalogs.CatalogError, UnicodeDecodeError):  # check_catalog says why
                        po = catalogs.load(path, data)
                    on_parse(lid, code, po)
                found = checked(
                    path,
                    code,
                    keep,
                    partial(shared, code),
                    project.root,
                    lid,
                    data,
                    common.get(code),
                    source,
                    memo,
                    fuzzy,
                    po,
                )
                yield lid, code, found


def run(
    project: Project,
    leaflet_ids=None,
    codes=None,
    include_suppressed: bool = False,
    memo: Memo | None = None,
    fuzzy: bool = False,
) -> list[Finding]:
    """Findings for some leaflets (their own catalogs and common.po) in some locales; fuzzy:
    of the translated fuzzy entries too."""
    with fewer_collections():
        return [
            f
            for _, _, found in scan(project, leaflet_ids, codes, memo, fuzzy)
            for f in found
            if include_suppressed or not f.suppressed
        ]


def suppressed(project: Project, leaflet_ids=None, codes=None) -> dict[tuple[str, str], int]:
    """(leaflet, locale) -> findings silenced by ignore-* flags in the leaflet's catalog and
    common.po (as `workflow.status` counts common entries in every leaflet's row)."""
    per_domain = {(d, c): sum(f.suppressed for f in found) for d, c, found in scan(project, leaflet_ids, codes)}
    ids = leaflet_ids or project.leaflet_ids()
    codes = sorted({c for _, c in per_domain})
    return {
        (lid, c): per_domain.get((lid, c), 0) + per_domain.get((catalogs.COMMON, c), 0) for lid in ids for c in codes
    }


def unchecked(codes: Iterable[str]) -> list[str]:
    """A line for each locale whose negation cannot be checked (no data): never silently passed."""
    return [missing_data_notice(c) for c in codes if c != locales.SOURCE_CODE and not has_negation_data(c)]


def summary(findings: list[Finding], silenced: int = 0) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    line = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (f" ({silenced} suppressed by ignore-* flags)" if silenced else "")
