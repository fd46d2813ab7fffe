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

from .. import fonts as shared

LATIN = "Arial"

# Word's slot for a script (ISO 15924) whose letters it does not draw in ascii/hAnsi; the
# font comes from the shared table (formats/fonts.py). Scripts not listed use hAnsi.
SLOTS: dict[str, str] = {
    **dict.fromkeys(("Arab", "Hebr", "Thaa", "Deva", "Beng", "Guru", "Gujr", "Orya"), "cs"),
    **dict.fromkeys(("Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai"), "cs"),
    **dict.fromkeys(("Hans", "Hant", "Jpan", "Kore"), "eastAsia"),
}
# Word embeds no fonts: East Asian text is set in the faces Windows has.
EAST_ASIAN = {"Hans": "Microsoft YaHei", "Hant": "Microsoft JhengHei", "Jpan": "Yu Gothic", "Kore": "Malgun Gothic"}

# Line spacing, a multiple of the font's single spacing: leading well over 1.2x the size.
LINE = 1.25
# Where a language's own face needs other spacing: Nastaliq's single spacing is already over
# twice the size.
LINES: dict[str, float] = {"ur": 1.0}

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
    slot = SLOTS.get(locale.script, "hAnsi")
    font = shared.family(locale) or EAST_ASIAN.get(locale.script, LATIN)
    line = LINES.get(locale.language, LINE)
    fonts = {"ascii": LATIN, "hAnsi": LATIN, "eastAsia": LATIN, "cs": LATIN}
    fonts[slot] = font
    return Script(locale.tag, slot, tuple(fonts.items()), locale.rtl, line)


@cache
def for_tag(tag: str) -> Script:
    """The Word script facts of a BCP 47 tag, e.g. a segment's language ("en-GB")."""
    return script(from_tag(tag))
