"""`pipeline.py request`: a PALS officer's words -> one ready file, or one plain sentence why not.

"vertebroplasty polski large print" must work as well as "RAD_0009 pl large-print": leaflets
are found by id or by words of their title, languages by code, English name or native name,
formats by their friendly names.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

import formats
from leaflets import locales
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.words import capital, fold, listing


class NotAvailable(LeafletError):
    """A request that cannot be met, said in one plain sentence for the person at the desk."""

    plain = True  # printed as it is, without "error:"


def find_leaflet(project: Project, words: str) -> str:
    ids = project.leaflet_ids()
    exact = [i for i in ids if i.casefold() == words.strip().casefold()]
    if exact:
        return exact[0]
    wanted = fold(words).split()
    matches = [
        i
        for i in ids
        if all(w in fold(_title(project, i) + " " + project.source_files[i].stem.replace("-", " ")) for w in wanted)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotAvailable(f'No leaflet matches "{words}".', fix="`pipeline.py list` shows every leaflet with its code")
    raise NotAvailable(
        f'"{words}" matches several leaflets: ' + "; ".join(f"{i} ({_title(project, i)})" for i in matches) + ".",
        fix="give the leaflet's code",
    )


def _title(project: Project, lid: str) -> str:
    """A leaflet's title, or nothing if its source cannot be read (it then matches by file name)."""
    try:
        return project.leaflet(lid).meta.title.text
    except LeafletError:
        return ""


def language_names(code: str) -> set[str]:
    """Every name a person might give for a locale, folded."""
    info = locales.info(code)
    loc = Locale.parse(code)
    names = {
        code,
        info.tag,
        info.english_name,
        info.native_name,
        loc.get_display_name("en"),
        loc.get_language_name("en"),
        loc.get_language_name(loc),
        *locales.ALSO_KNOWN_AS.get(code, ()),
    }
    return {fold(n) for n in names if n}


def find_locale(project: Project, words: str) -> str:
    wanted = fold(words)
    codes = project.locale_codes()
    matches = [c for c in codes if wanted in language_names(c)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NotAvailable(
            f'"{words}" could mean ' + ", ".join(locales.info(c).english_name for c in matches) + ".",
            fix="say which, e.g. " + matches[0],
        )
    available = ", ".join(locales.info(c).english_name for c in codes)
    raise NotAvailable(
        f'There is no translation into "{words}" yet; leaflets are available in {available}.',
        fix="PALS can ask the translation team for a new language",
    )


def find_format(words: str) -> str:
    try:
        return formats.canonical(words)
    except LeafletError as exc:
        raise NotAvailable(
            f'"{words}" is not a format we make; we make ' + listing([formats.title(n) for n in formats.names()]) + "."
        ) from exc


@dataclass(frozen=True)
class Resolved:
    leaflet: str
    locale: str
    format: str


def resolve(project: Project, leaflet: str, language: str, fmt: str) -> Resolved:
    return Resolved(find_leaflet(project, leaflet), find_locale(project, language), find_format(fmt))


def explain(project: Project, want: Resolved, state: str, reason: str) -> str:
    """One plain sentence: why the file cannot be had, and what can be had instead.

    e.g. "Audio is not available in Somali; large print and Word are."
    """
    info = locales.info(want.locale)
    language = info.english_name
    if state == "unavailable":
        ready = [
            formats.title(f)
            for f in formats.default_names()
            if f != want.format and formats.get(f).unavailable(info) is None
        ]
        instead = f"; {listing(ready)} {'is' if len(ready) == 1 else 'are'}." if ready else "."
        return f"{capital(formats.title(want.format))} is not available in {language}{instead}"
    if state == "refused":
        from .workflow import status

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
        return (
            f"The {language} copy of {want.leaflet} cannot be issued yet: {why}. It is available in {listing(ready)}."
        )
    return f"{capital(formats.title(want.format))} in {language} could not be made: {reason}"
