"""Fonts embedded in the EPUB: subsets of the Noto families for scripts reading systems often lack.

Reading systems on phones and e-readers commonly have Latin, Cyrillic, Greek, Arabic (Naskh)
and CJK fonts, but often no Nastaliq (Urdu is then shown in Naskh, which Urdu readers find
hard), and frequently no Bengali, Gurmukhi or Devanagari at all (text becomes boxes). So the
book embeds a subset (only the characters it uses, a few tens of KB) of the same Noto family
the large print uses, for those scripts; the CSS names it first, and a reader's own font
choice still wins. Chinese is not embedded: every reading system has a CJK font and the
WenQuanYi file is 5 MB even subset to a few hundred ideographs' worth of tables. Nastaliq is embedded
whole: its contextual forms keep about 70% of the font in any subset (400 of 570 KB) while the
subsetting costs 4-5 s per book, more than the whole rest of the EPUB.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from leaflets.errors import InstallationError
from leaflets.model import LocaleInfo

from .. import fonts as shared

FONT_ROOT = Path("/usr/share/fonts/truetype/noto")
PACKAGE = "fonts-noto-core"

# Scripts reading systems often have no font for: their family (formats/fonts.py) is embedded,
# as is a language's own face (Urdu's Nastaliq).
EMBED_SCRIPTS = frozenset({"Beng", "Guru", "Deva", "Gujr", "Taml", "Ethi"})

# families embedded whole rather than subset (see the module docstring)
WHOLE = {"NotoNastaliqUrdu"}


@dataclass(frozen=True)
class Embedded:
    family: str  # CSS font-family name
    weight: str  # "normal" or "bold"
    href: str  # path inside the publication
    data: bytes


def family_for(locale: LocaleInfo) -> str | None:
    """The file stem of the family embedded for a locale, or None."""
    own = shared.LANGUAGES.get(locale.language)
    if own is None and locale.script in EMBED_SCRIPTS:
        own = shared.SCRIPTS[locale.script]
    return shared.stem(own) if own else None


def embedded_files(locale: LocaleInfo) -> list[Path]:
    family = family_for(locale)
    if family is None:
        return []
    return [FONT_ROOT / f"{family}-{weight}.ttf" for weight in ("Regular", "Bold")]


def subsets(locale: LocaleInfo, text: str) -> list[Embedded]:
    """Regular and bold fonts covering `text` (subsets but for WHOLE), or none when the script needs none."""
    from fontTools import subset

    out = []
    family = family_for(locale)
    for path in embedded_files(locale):
        if not path.exists():
            raise InstallationError(
                f"font file {path} is not installed", fix=f"run `make debs` (Debian package {PACKAGE})"
            )
        weight = "bold" if path.stem.endswith("Bold") else "normal"
        if family in WHOLE:
            out.append(Embedded(str(family), weight, f"fonts/{path.stem}.ttf", path.read_bytes()))
            continue
        options = subset.Options()
        options.layout_features = ["*"]  # keep every shaping feature: joining, conjuncts, marks
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.recalc_timestamp = False  # the same text gives the same bytes
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
        out.append(Embedded(str(family), weight, f"fonts/{path.stem}.ttf", buf.getvalue()))
    return out
