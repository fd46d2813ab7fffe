"""Which typeface sets which writing system, for every writer that names fonts (PDF, Word, EPUB).

One table, so that a language reads in the same face in the large print, the Word document and
the e-book: the Noto family drawn for each script (ISO 15924), and the few languages that write
their script in a face of their own (Urdu in Nastaliq, not the Naskh of Arabic). Latin, Cyrillic
and Greek need no entry: every writer's base face covers them. What is a writer's own stays with
it: which scripts it can set at all (the PDF shapes and embeds what it draws), Word's font slots
and the faces Windows has for Chinese, which fonts an e-book must carry.
"""

from __future__ import annotations

from leaflets.model import LocaleInfo

# ISO 15924 script -> the Noto family that draws its letters (fonts-noto-core).
SCRIPTS: dict[str, str] = {
    "Arab": "Noto Naskh Arabic",
    "Hebr": "Noto Sans Hebrew",
    "Thaa": "Noto Sans Thaana",
    "Deva": "Noto Sans Devanagari",
    "Beng": "Noto Sans Bengali",
    "Guru": "Noto Sans Gurmukhi",
    "Gujr": "Noto Sans Gujarati",
    "Orya": "Noto Sans Oriya",
    "Taml": "Noto Sans Tamil",
    "Telu": "Noto Sans Telugu",
    "Knda": "Noto Sans Kannada",
    "Mlym": "Noto Sans Malayalam",
    "Sinh": "Noto Sans Sinhala",
    "Thai": "Noto Sans Thai",
    "Ethi": "Noto Sans Ethiopic",
    "Armn": "Noto Sans Armenian",
    "Geor": "Noto Sans Georgian",
}

# Languages whose readers expect another face than their script's (ISO 639 code -> family).
LANGUAGES: dict[str, str] = {
    "ur": "Noto Nastaliq Urdu",
}


def families(language: str, script: str) -> tuple[str, ...]:
    """The families for a language written in a script, its own first: ("Noto Nastaliq Urdu",
    "Noto Naskh Arabic") for Urdu, ("Noto Sans Bengali",) for Bengali, () for Latin."""
    found = (LANGUAGES.get(language), SCRIPTS.get(script))
    return tuple(dict.fromkeys(f for f in found if f))


def family(locale: LocaleInfo) -> str | None:
    """The one family a locale's text is set in, or None for its writer's base face."""
    return next(iter(families(locale.language, locale.script)), None)


def stem(name: str) -> str:
    """A family's file and PostScript stem: "Noto Naskh Arabic" -> "NotoNaskhArabic"."""
    return name.replace(" ", "")
