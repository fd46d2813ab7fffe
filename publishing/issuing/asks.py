"""What a PALS officer asks for, understood the same way by `pipeline.py request` and the desk.

"the vertebroplasty leaflet in Polsh, big print" must work as well as "RAD_0009 pl large-print":
leaflets are found by code or any words of the title (small typos forgiven), languages by code
(pl, pl_PL), English or native name from babel's CLDR data (so a language we have no translation
for is still recognised, and its request can be recorded), formats by the writers' own names and
aliases. A name that could mean two languages asks rather than guesses.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

import formats
from leaflets import catalogs, files, locales, review
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.vocabulary import State, past_review
from leaflets.words import capital, fold, listing

# Words people put around a name that are not part of it ("the vertebroplasty leaflet in Polish").
_FILLER = frozenset(
    {"a", "an", "the", "in", "into", "of", "on", "about", "for", "please", "leaflet", "leaflets", "booklet"}
    | {"information", "version", "copy", "language", "translation"}
)
# A typo is forgiven when the word is this close to a known one (difflib's ratio; "polsh" ~ "polish" is 0.91).
_CLOSE = 0.8
_CLOSE_OURS = 0.7  # nearer misses are forgiven among the languages we have ("urdo", "arabik")
_EDITS = 2  # and only a slip of the keys: "Elvish" (3 letters from "English") is not English

# The names UK patients and interpreters use where CLDR's do not lead to the text the patient reads
# (spoken languages, dialects, misspellings, names in their own script): see the file's header.
NAMES_FILE = Path(__file__).with_name("language_names.yaml")
# How UK staff and patients name a variety where CLDR's name does not help them choose.
_VARIETY_NAMES = {"ckb": "Kurdish (Sorani)", "kmr": "Kurdish (Kurmanji)"}
_TERRITORY = re.compile(r"[A-Z]{2}|[0-9]{3}")

# Formats people ask for that no writer makes: a specific sentence instead of a generic one.
_SIGN = "British Sign Language videos are not made here; the Patient Information team can arrange one"
_NOT_MADE = {
    "easy read": "We do not make easy read versions; easy read leaflets are written separately by the "
    "Patient Information team",
    "moon": "Moon is not made here; the Patient Information team can order a copy",
    "bsl": _SIGN,
    "british sign language": _SIGN,
    "sign language": _SIGN,
}


class NotAvailable(LeafletError):
    """A request that cannot be met, said in one plain sentence for the person at the desk."""

    plain = True  # printed as it is, without "error:"


@dataclass(frozen=True)
class Language:
    """A language someone asked for, whether or not we have a translation into it."""

    code: str
    english: str
    native: str
    tag: str
    direction: str
    translated: bool  # the project has catalogs for it
    asked: str = ""  # the name the patient gave when it is not this written language's (Sylheti)
    spoken: str = ""  # the spoken language when it differs from the written one: no audio in it
    note: str = ""  # what the officer is told about that name, in plain words


class Ambiguous(NotAvailable):
    """A name that could mean several languages: the person must choose."""

    def __init__(self, words: str, choices: tuple[Language, ...]):
        self.words, self.choices = words, choices
        super().__init__(
            f'"{words}" could mean ' + listing([c.english for c in choices]) + ".",
            fix="say which, e.g. " + choices[0].code,
        )


class NoTranslation(NotAvailable):
    """A language we recognise but have no translation into (Tigrinya): the request can be recorded."""

    def __init__(self, language: Language, available: list[str]):
        self.language = language
        super().__init__(
            f"There is no translation into {language.english} yet; leaflets are available in {listing(available)}.",
            fix="PALS can ask the translation team for a new language",
        )


class Unrecognised(NotAvailable):
    """A name we do not know at all ("Klingon", or a language spelt beyond recognition): it can still
    be recorded as an unmet need, under the words the person said."""

    def __init__(self, words: str, sentence: str):
        self.words = words
        super().__init__(sentence, fix="try its English name, its own name or a code such as pl")


class FormatNotMade(NotAvailable):
    """A format no writer makes (easy read): a specific sentence, and the request can be recorded."""

    def __init__(self, words: str, sentence: str):
        self.words = words
        super().__init__(sentence + ".")


def _words(text: str) -> list[str]:
    """Folded words without the filler around them ("the leaflet in Polish" -> ["polish"])."""
    cleaned = "".join(c if c.isalnum() or c in "_-" else " " for c in fold(text))
    return [w for w in cleaned.split() if w not in _FILLER]


def _key(text: str) -> str:
    """A name as matched: folded words without filler or punctuation ("Chinese (Simplified)" -> "chinese simplified")."""
    return " ".join(_words(text))


# --- leaflets ------------------------------------------------------------------------------------


def find_leaflets(project: Project, words: str) -> list[str]:
    """Leaflet ids matching a code or every word of the title (each word exactly, as a prefix, or
    with a small typo), best first: exact words before forgiven ones."""
    ids = project.leaflet_ids()
    code = words.strip().casefold()
    exact = [i for i in ids if i.casefold() == code]
    if exact:
        return exact
    wanted = _words(words)
    if not wanted:
        return []
    scored = []
    for lid in ids:
        vocabulary = set(_words(leaflet_title(project, lid) + " " + project.source_files[lid].stem))
        score = 0
        for w in wanted:
            if w in vocabulary or any(v.startswith(w) for v in vocabulary if len(w) >= 3):
                score += 2
            elif difflib.get_close_matches(w, vocabulary, n=1, cutoff=_CLOSE):
                score += 1
            else:
                break
        else:
            scored.append((-score, lid))
    return [lid for _, lid in sorted(scored)]


def find_leaflet(project: Project, words: str) -> str:
    matches = find_leaflets(project, words)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        gone = withdrawn(project, words)
        if gone:
            raise NotAvailable(gone)
        raise NotAvailable(f'No leaflet matches "{words}".', fix="`pipeline.py list` shows every leaflet with its code")
    raise NotAvailable(
        f'"{words}" matches several leaflets: '
        + "; ".join(f"{i} ({leaflet_title(project, i)})" for i in matches)
        + ".",
        fix="give the leaflet's code",
    )


def withdrawn(project: Project, words: str) -> str:
    """The sentence for a retired leaflet asked for by its code or every word of its title, or ""."""
    from publishing.translation import retired

    wanted = _words(words)
    for entry in retired.withdrawn(project).values():
        if entry.id.casefold() == words.strip().casefold() or (wanted and set(wanted) <= set(_words(entry.title))):
            return entry.sentence()
    return ""


def leaflet_title(project: Project, lid: str) -> str:
    """A leaflet's English title, or nothing if its source cannot be read (it then matches by file name)."""
    try:
        return project.leaflet(lid).meta.title.text
    except LeafletError:
        return ""


# --- languages -----------------------------------------------------------------------------------


def language(code: str, translated: bool = False) -> Language:
    """The names of a locale code (the project's own English names where it has them)."""
    info = locales.info(code)
    if code in _VARIETY_NAMES:  # babel names kmr as a territory of ku: use the language names
        loc = Locale.parse(code)
        return Language(
            code, _VARIETY_NAMES[code], loc.get_language_name(loc) or "", info.tag, info.direction, translated
        )
    return Language(code, info.english_name, info.native_name, info.tag, info.direction, translated)


def language_names(code: str) -> set[str]:
    """Every name a person might give for a locale, folded."""
    names: set[str | None] = {
        code,
        *locales.ALSO_KNOWN_AS.get(code, ()),
        _VARIETY_NAMES.get(code, ""),
    }
    try:
        loc = Locale.parse(code)
        names |= {
            loc.get_display_name("en"),
            loc.get_display_name(loc),
            loc.get_language_name("en") if not loc.script else "",
            loc.get_language_name(loc) if not loc.script else "",
        }
        info = locales.info(code)
        names |= {info.tag, info.english_name, info.native_name}
    except (LeafletError, UnknownLocaleError, ValueError):
        pass
    return {_key(n) for n in names if n} - {name for name, entry in spoken_names().items() if len(entry.written) > 1}


@dataclass(frozen=True)
class SpokenName:
    """One name people say for a language (language_names.yaml)."""

    english: str
    written: tuple[str, ...]  # the locale codes of the text the patient may read: several are asked
    spoken: str  # the spoken language's name when it is not the written one, else ""
    note: str


@cache
def spoken_names() -> dict[str, SpokenName]:
    """Folded name -> what it means, from language_names.yaml (every spelling of every entry)."""
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8")) or {}
    table: dict[str, SpokenName] = {}
    for entry in data.values():
        written = entry["written"]
        name = SpokenName(
            entry["english"],
            tuple(written) if isinstance(written, list) else (written,),
            entry.get("spoken", ""),
            entry.get("note", ""),
        )
        for said in (entry["english"], *entry.get("names", ())):
            table[_key(said)] = name
    return table


def as_said(project: Project, words: str, code: str) -> Language | None:
    """The language `code` as reached by a name the patient gave ("Sylheti" for bn), or None when
    that name does not lead to it."""
    name = spoken_names().get(_key(words)) if words else None
    if name is None or code not in name.written:
        return None
    return _as_said(name, project.locale_codes())[name.written.index(code)]


def _as_said(name: SpokenName, ours: list[str]) -> tuple[Language, ...]:
    """The written languages a name leads to, each carrying what the officer must be told."""
    asked = name.english if name.spoken else ""
    return tuple(replace(language(c, c in ours), asked=asked, spoken=name.spoken, note=name.note) for c in name.written)


@cache
def _world() -> dict[str, tuple[str, ...]]:
    """Folded name -> the written languages it names, over every language babel knows. A language
    written in several scripts in different countries (CLDR's likely subtags: Chinese in Hans and
    Hant, Serbian in Cyrl and Latn) names all of them, so the person is asked which."""
    table: dict[str, set[str]] = {}
    for ident in locale_identifiers():
        if "_" not in ident:
            for name in language_names(ident):
                table.setdefault(name, set()).add(ident)
    scripts: dict[str, set[str]] = {}
    for key, value in get_global("likely_subtags").items():
        key_parts, parts = key.split("_"), value.split("_")
        if len(key_parts) == 2 and _TERRITORY.fullmatch(key_parts[1]) and len(parts) == 3:
            scripts.setdefault(parts[0], set()).add(f"{parts[0]}_{parts[1]}")
    known = set(locale_identifiers())
    for lang, written in scripts.items():
        if len(written) > 1 and lang in known and written <= known:
            for ident in written:
                for name in language_names(ident):
                    table.setdefault(name, set()).add(ident)
            for name in language_names(lang):
                table[name] = set(written)
    return {name: tuple(sorted(codes)) for name, codes in table.items()}


def understand_language(project: Project, words: str) -> Language:
    """The language meant by a code, an English or native name, "in Polish", "pl_PL" or a near miss.

    Names people say come first (language_names.yaml: "Sylheti" is Bengali text, "Mirpuri" Urdu,
    never Manipuri), then babel's names. Raises Ambiguous when the name means several written
    languages, Unrecognised when nothing is. The answer may be a language without a translation
    (`translated` False).
    """
    ours = project.locale_codes()
    phrase = _key(words)
    if not phrase:
        raise NotAvailable("Say which language the patient needs.")
    said = spoken_names()
    typed = _as_code(phrase) if phrase not in said else ()
    code = next((c for c in (phrase, *typed) if c in ours), "") if typed else ""
    if code:  # a code of ours ("pl", "pl_PL"): no names to look through
        return language(code, True)
    own = {name: code for code in ours for name in language_names(code)}
    world = _world()
    if typed:
        phrase = next((c for c in typed if c in world), phrase)
    found: tuple[Language, ...] = ()
    if phrase in said:
        found = _as_said(said[phrase], ours)
    elif phrase in world or phrase in own:
        found = tuple(language(c, c in ours) for c in world.get(phrase) or (own[phrase],))
    elif len(phrase) >= 4:  # "etc" is not a near miss for "et"
        if close := _near_miss(phrase, said, _CLOSE):
            found = _as_said(said[close], ours)
        elif close := _near_miss(phrase, own, _CLOSE_OURS):
            found = (language(own[close], True),)
        elif close := _near_miss(phrase, world, _CLOSE):
            found = tuple(language(c, c in ours) for c in world[close])
    if not found:
        raise Unrecognised(
            words.strip()[:60],
            f'"{words.strip()[:60]}" is not a language we recognise; leaflets are available in '
            + listing(language(c).english for c in ours)
            + ".",
        )
    if len(found) > 1:
        raise Ambiguous(words.strip(), found)
    return found[0]


def _near_miss(phrase: str, names, cutoff: float) -> str:
    """The known name `phrase` is a typing slip of, or "": alike by difflib's ratio and at most
    _EDITS letters added, dropped or changed (a patient's "Elvish" must never become English)."""
    for name in difflib.get_close_matches(phrase, list(names), n=3, cutoff=cutoff):
        matcher = difflib.SequenceMatcher(None, phrase, name)
        if sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal") <= _EDITS:
            return name
    return ""


def _as_code(text: str) -> tuple[str, ...]:
    """The codes a typed locale code may mean, most specific first ("zh_hans_cn" -> zh_Hans, zh),
    or () if the text is not a code babel knows under that very language ("etc" is not "et")."""
    try:
        loc = Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return ()
    if str(loc.language) != text.replace("-", "_").split("_")[0].lower():
        return ()
    return ((f"{loc.language}_{loc.script}",) if loc.script else ()) + (str(loc.language),)


def find_locale(project: Project, words: str) -> str:
    """The project's locale code for a language, or a plain sentence why there is none."""
    lang = understand_language(project, words)
    if not lang.translated:
        raise NoTranslation(lang, [language(c).english for c in project.locale_codes()])
    return lang.code


# --- formats -------------------------------------------------------------------------------------


def find_formats(words: list[str]) -> list[str]:
    """Every format named in a list of words, longest phrase first: ["big", "print", "audio"] ->
    ["large-print", "audio"]; "and" and commas between them are allowed."""
    tokens = [t for w in words for t in w.replace(",", " ").split() if fold(t) not in _FILLER | {"and", "or", "&"}]
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            name = _format_name(" ".join(tokens[i:j]))
            if name:
                if name not in found:
                    found.append(name)
                i = j
                break
        else:
            raise _not_made(" ".join(tokens[i:]) if len(tokens) - i <= 3 else tokens[i])
    if not found:
        raise NotAvailable("Say which format the patient needs: " + listing(_titles()) + ".")
    return found


def _format_name(phrase: str) -> str:
    try:
        return formats.canonical(phrase)
    except LeafletError:
        return ""


def _not_made(words: str) -> NotAvailable:
    key = " ".join(words.casefold().replace("-", " ").split())
    for name, sentence in _NOT_MADE.items():
        if key == name or key.replace(" ", "") == name.replace(" ", ""):
            return FormatNotMade(words, sentence)
    close = difflib.get_close_matches(key, list(formats.all_writers()) + _aliases(), n=1, cutoff=_CLOSE)
    if close:
        return NotAvailable(f'"{words}" is not a format we make; did you mean {formats.title(close[0])}?')
    return FormatNotMade(words, f'"{words}" is not a format we make; we make ' + listing(_titles()))


def _aliases() -> list[str]:
    return [a for w in formats.all_writers().values() for a in w.aliases]


def _titles() -> list[str]:
    return [formats.title(n) for n in formats.names()]


# --- what the officer must be told, and why a copy cannot be had -----------------------------------


@dataclass(frozen=True)
class Resolved:
    leaflet: str
    locale: str
    format: str


@dataclass(frozen=True)
class Caution:
    """One thing the patient must be told: the shared string's key (source/common.yaml, so it can be
    said in the patient's language), its English sentence and the values of its placeholders."""

    key: str
    english: str
    values: tuple[tuple[str, object], ...] = ()


def cautions(project: Project, lid: str, code: str, today: date) -> list[Caution]:
    """What the officer must tell the patient before handing over this copy: an unchecked or
    changed translation, a leaflet past its review date."""
    said = []
    name = locales.info(code).english_name
    if code != locales.SOURCE_CODE:
        try:
            po = catalogs.load(catalogs.po_path(project.locales_dir, code, lid))
            common = catalogs.load(catalogs.po_path(project.locales_dir, code, catalogs.COMMON))
            state = review.state(po, common, review.pictures_of(project, lid, code))
        except (OSError, LeafletError):
            state = review.ReviewState(review.Review.UNREVIEWED)
        if state.state == review.Review.UNREVIEWED:
            said.append(Caution("unreviewed", f"This {name} translation has not yet been checked by a clinician."))
        elif state.state == review.Review.STALE:
            said.append(
                Caution(
                    "desk_changed",
                    f"This {name} translation was checked by a clinician on {state.on}, but {state.why} since, "
                    "so it has not been checked as it is now.",
                )
            )
    try:
        due = project.leaflet(lid).meta.next_review
        if past_review(due, today):
            said.append(
                Caution(
                    "desk_overdue",
                    f"This leaflet was due for review in {due} and may be out of date.",
                    (("due", due),),
                )
            )
    except LeafletError:
        pass
    return said


def caution(project: Project, lid: str, code: str, today: date) -> str:
    """`cautions` as one English paragraph, or "" if there is nothing to tell."""
    return " ".join(c.english for c in cautions(project, lid, code, today))


def explain(project: Project, want: Resolved, state: State, reason: str) -> str:
    """One plain sentence: why the file cannot be had, and what can be had instead.

    e.g. "Audio is not available in Somali; large print and Word are."
    """
    info = locales.info(want.locale)
    name = info.english_name
    if state == State.UNAVAILABLE:
        ready = [
            formats.title(f)
            for f in formats.default_names()
            if f != want.format and formats.get(f).unavailable(info) is None
        ]
        instead = f"; {listing(ready)} {'is' if len(ready) == 1 else 'are'}." if ready else "."
        return f"{capital(formats.title(want.format))} is not available in {name}{instead}"
    if state == State.REFUSED:
        from ..translation.workflow import status

        rows = {r.locale: r for r in status(project, [want.leaflet])}
        ready = [
            locales.info(c).english_name
            for c in project.locale_codes()
            if c == locales.SOURCE_CODE or (c in rows and rows[c].percent == 100)
        ]
        row = rows.get(want.locale)
        why = (
            f"the translation is not finished ({row.fuzzy + row.untranslated} passages to go)"
            if row and row.percent < 100
            else reason.split(": ", 1)[-1]
        )
        return f"The {name} copy of {want.leaflet} cannot be issued yet: {why}. It is available in {listing(ready)}."
    return f"{capital(formats.title(want.format))} in {name} could not be made: {reason}"


# --- handing a copy over -------------------------------------------------------------------------


def require_folder(folder: Path) -> None:
    """Refuse, before anything is built, a destination that is not an existing folder."""
    os.close(_open_folder(Path(folder)))


def _open_folder(folder: Path) -> int:
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError as exc:
        raise NotAvailable(
            f"Cannot copy to {folder}: that folder does not exist (is the USB stick plugged in?)."
        ) from exc
    except NotADirectoryError as exc:
        raise NotAvailable(f"Cannot copy to {folder}: it is a file, not a folder.") from exc
    except OSError as exc:
        raise NotAvailable(f"Cannot copy to {folder}: {exc.strerror}.") from exc


def deliver(source: Path, folder: Path) -> Path:
    """Copy a made file into a folder a person named (a USB stick), safely.

    The folder must already exist (an unmounted stick is refused, not created on the local disk);
    the file is written as every file is (`leaflets.files`), except that a link left at the
    target's name on the stick is replaced, never followed; a copy that fails half-way leaves
    nothing behind. Errors name the destination.
    """
    folder = Path(folder)
    target = folder / source.name
    require_folder(folder)
    try:
        with open(source, "rb") as data:
            files.write_atomic(target, data, create_folder=False, replace_link=True)
    except OSError as exc:
        raise NotAvailable(f"Cannot copy to {target}: {exc.strerror}; nothing was left there.") from exc
    return target
