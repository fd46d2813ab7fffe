"""Fonts and language tags per writing system, in the slots Word keeps them in.

Word stores four fonts per run (w:rFonts ascii, hAnsi, eastAsia, cs) and up to three
languages (w:lang val, eastAsia, bidi), and picks the slot by Unicode range: Arabic, Hebrew
and the Indic scripts are "complex" (cs font, w:szCs size, w:bCs bold, w:lang/@bidi), Chinese
is "eastAsia", everything else uses ascii (U+0000-007F) or hAnsi. So a locale's font and
language go into the slot its script uses; ASCII (digits, Latin drug names) stays in Arial,
the usual NHS face. Fonts are the Noto families we ship (Word substitutes a missing font,
LibreOffice falls back per glyph); Chinese gets the faces Windows has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from leaflets.locales import from_tag
from leaflets.model import LocaleInfo

LATIN = "Arial"

# ISO 15924 script -> (Word's slot for it, font). Scripts not listed are Latin-like (hAnsi, Arial).
SCRIPTS: dict[str, tuple[str, str]] = {
    "Arab": ("cs", "Noto Naskh Arabic"),
    "Hebr": ("cs", "Noto Sans Hebrew"),
    "Thaa": ("cs", "Noto Sans Thaana"),
    "Deva": ("cs", "Noto Sans Devanagari"),
    "Beng": ("cs", "Noto Sans Bengali"),
    "Guru": ("cs", "Noto Sans Gurmukhi"),
    "Gujr": ("cs", "Noto Sans Gujarati"),
    "Orya": ("cs", "Noto Sans Oriya"),
    "Taml": ("cs", "Noto Sans Tamil"),
    "Telu": ("cs", "Noto Sans Telugu"),
    "Knda": ("cs", "Noto Sans Kannada"),
    "Mlym": ("cs", "Noto Sans Malayalam"),
    "Sinh": ("cs", "Noto Sans Sinhala"),
    "Thai": ("cs", "Noto Sans Thai"),
    "Ethi": ("hAnsi", "Noto Sans Ethiopic"),
    "Armn": ("hAnsi", "Noto Sans Armenian"),
    "Geor": ("hAnsi", "Noto Sans Georgian"),
    "Hans": ("eastAsia", "Microsoft YaHei"),
    "Hant": ("eastAsia", "Microsoft JhengHei"),
    "Jpan": ("eastAsia", "Yu Gothic"),
    "Kore": ("eastAsia", "Malgun Gothic"),
}

# Line spacing, a multiple of the font's single spacing: leading well over 1.2x the size.
LINE = 1.25

# Languages whose readers expect another face than their script's default: (font, line
# spacing). Nastaliq's single spacing is already over twice the size.
LANGUAGES: dict[str, tuple[str, float]] = {
    "ur": ("Noto Nastaliq Urdu", 1.0),
}

# Word's language attribute for each slot (w:lang/@val covers ascii and hAnsi).
_LANG_ATTR = {"hAnsi": "val", "cs": "bidi", "eastAsia": "eastAsia"}


@dataclass(frozen=True)
class Script:
    """What Word needs to show one language: fonts per slot, language tags, direction."""

    tag: str
    slot: str  # hAnsi, cs or eastAsia
    fonts: tuple[tuple[str, str], ...]
    rtl: bool
    line: float = LINE

    @property
    def lang(self) -> dict[str, str]:
        """w:lang attributes: val always (LibreOffice takes the PDF /Lang from it), plus the
        attribute of the script's own slot."""
        return {"val": self.tag, _LANG_ATTR[self.slot]: self.tag}


def script(locale: LocaleInfo) -> Script:
    """The Word script facts of a locale."""
    slot, font = SCRIPTS.get(locale.script, ("hAnsi", LATIN))
    font, line = LANGUAGES.get(locale.language, (font, LINE))
    fonts = {"ascii": LATIN, "hAnsi": LATIN, "eastAsia": LATIN, "cs": LATIN}
    fonts[slot] = font
    return Script(locale.tag, slot, tuple(fonts.items()), locale.rtl, line)


@cache
def for_tag(tag: str) -> Script:
    """The Word script facts of a BCP 47 tag, e.g. a segment's language ("en-GB")."""
    return script(from_tag(tag))
