"""Which font draws which character in the large-print PDF, and the glyphs it draws.

Every script gets a chain of Noto sans-serif families (Chinese: WenQuanYi Micro Hei, a CJK
font with TrueType outlines that reportlab can embed); each character is drawn by the first
font of its segment's chain that has it, so '%' in Noto Naskh Arabic or a digit in Noto Sans
Ethiopic comes from the next font instead of a box. Coverage is read with fontTools; the
fonts are registered with reportlab once per process, only when a document uses them, and
shaped with HarfBuzz directly so that the direction and language are ours, not guessed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

from leaflets.errors import LeafletError

FONT_ROOT = Path("/usr/share/fonts/truetype")
LINE_PITCH = 1.5  # minimum distance between baselines, in ems (clear print asks for >= 1.4)


@dataclass(frozen=True)
class Family:
    """A font family: its regular and bold files under FONT_ROOT. Without a bold file, bold
    is drawn by stroking the outlines (WenQuanYi has one weight)."""

    name: str
    regular: str
    bold: str | None
    package: str = "fonts-noto-core"


_NOTO = "noto/Noto{}-{}.ttf"


def _noto(name: str, bold: bool = True) -> Family:
    return Family(f"Noto{name}", _NOTO.format(name, "Regular"), _NOTO.format(name, "Bold") if bold else None)


FAMILIES = {
    f.name: f
    for f in (
        _noto("Sans"),
        _noto("NaskhArabic"),
        _noto("NastaliqUrdu"),
        _noto("SansBengali"),
        _noto("SansDevanagari"),
        _noto("SansGurmukhi"),
        _noto("SansGujarati"),
        _noto("SansTamil"),
        _noto("SansEthiopic"),
        _noto("SansSymbols"),
        _noto("SansSymbols2", bold=False),
        _noto("SansMath", bold=False),
        Family("WenQuanYiMicroHei", "wqy/wqy-microhei.ttc", None, "fonts-wqy-microhei"),
    )
}

# A script's (or, where a language writes it its own way, a language's) own families,
# first choice first. Latin, Cyrillic and Greek need none beyond COMMON's Noto Sans.
CHAINS = {
    "Latn": (),
    "Cyrl": (),
    "Grek": (),
    "Arab": ("NotoNaskhArabic",),
    "ur": ("NotoNastaliqUrdu", "NotoNaskhArabic"),
    "Beng": ("NotoSansBengali",),
    "Deva": ("NotoSansDevanagari",),
    "Guru": ("NotoSansGurmukhi",),
    "Gujr": ("NotoSansGujarati",),
    "Taml": ("NotoSansTamil",),
    "Ethi": ("NotoSansEthiopic",),
    "Hans": ("WenQuanYiMicroHei",),
    "Hant": ("WenQuanYiMicroHei",),
}

# Tried after a script's own families: Latin letters, digits and punctuation, symbols, CJK.
COMMON = ("NotoSans", "NotoSansSymbols", "NotoSansSymbols2", "NotoSansMath", "WenQuanYiMicroHei")


class Face:
    """One font file: what it covers, its vertical metrics, and its reportlab registration."""

    def __init__(self, family: Family, bold: bool):
        self.family = family
        self.path = FONT_ROOT / (family.bold if bold and family.bold else family.regular)
        self.fake_bold = bold and not family.bold
        self.pdf_name = family.name + ("-Bold" if bold and family.bold else "")

    @cached_property
    def _tools(self) -> ToolsFont:
        return ToolsFont(self.path, lazy=True, fontNumber=0)

    @cached_property
    def cmap(self) -> frozenset[int]:
        return frozenset(self._tools.getBestCmap())

    @cached_property
    def extent(self) -> tuple[float, float]:
        """Ascent and descent below the baseline, in ems (both positive)."""
        hhea, upem = self._tools["hhea"], self._tools["head"].unitsPerEm
        return hhea.ascent / upem, -hhea.descent / upem

    @cached_property
    def pitch(self) -> float:
        """Baseline-to-baseline distance in ems: LINE_PITCH, or more for tall scripts (Nastaliq)."""
        return max(LINE_PITCH, sum(self.extent))

    @cached_property
    def reportlab(self) -> TTFont:
        font = TTFont(self.pdf_name, str(self.path), subfontIndex=0)
        pdfmetrics.registerFont(font)
        return font

    @cached_property
    def _hb_font(self) -> hb.Font:
        return hb.Font(hb.Face(hb.Blob.from_file_path(str(self.path))))

    @cached_property
    def _private(self) -> dict[int, int]:
        """A private-use code for every glyph the cmap does not reach (ligatures, contextual
        forms), fixed by glyph order so that the same text gives the same PDF bytes in any
        process, whatever was shaped before (reportlab would number them by first use)."""
        face = self.reportlab.face
        unmapped = [g for g in range(len(face.hmetrics)) if g not in face.glyphToChar]
        free = (c for c in range(0xE000, 0xF900) if c not in face.charToGlyph)
        return dict(zip(unmapped, free))

    def _code(self, gid: int) -> int:
        """The character code reportlab writes for a glyph (its ToUnicode entry)."""
        face = self.reportlab.face
        chars = face.glyphToChar.get(gid)
        if chars:
            return chars[0]
        code = self._private[gid]
        face.charToGlyph[code] = gid
        face.glyphToChar[gid] = [code]
        face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
        return code

    def shape(self, text: str, rtl: bool, lang: str) -> tuple[ShapedStr, float]:
        """HarfBuzz glyphs for a run of text in visual order, and their advance in ems."""
        return _shape(self, text, rtl, lang)


@lru_cache(maxsize=200_000)
def _shape(face: Face, text: str, rtl: bool, lang: str) -> tuple[ShapedStr, float]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    buf.guess_segment_properties()
    hb.shape(face._hb_font, buf)
    scale = face.reportlab.face._pdfScale
    widths = face.reportlab.face.charWidths
    codes, data = [], []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        if info.codepoint == 0:  # .notdef, a box: the coverage check should have refused it
            ch = text[info.cluster]
            raise LeafletError(
                f"{face.pdf_name} has no glyph for {ch!r} (U+{ord(ch):04X}) in {text!r}",
                fix="report this: the font table in formats/pdf_fonts.py needs a fix",
            )
        code = face._code(info.codepoint)
        codes.append(chr(code))
        data.append(
            ShapeData(
                info.cluster,
                scale(pos.x_advance),
                scale(pos.y_advance),
                scale(pos.x_offset),
                scale(pos.y_offset),
                widths[code],
            )
        )
    return ShapedStr("".join(codes), data), sum(d.x_advance for d in data) / 1000


@cache
def face(family: str, bold: bool) -> Face:
    return Face(FAMILIES[family], bold)


def chain_names(language: str, script: str) -> tuple[str, ...] | None:
    """The families for a language written in a script, or None if the table has none."""
    own = CHAINS.get(language, CHAINS.get(script))
    if own is None:
        return None
    return own + tuple(name for name in COMMON if name not in own)


def _ignorable(ch: str) -> bool:
    """Characters HarfBuzz shapes as nothing (joiners, direction marks, soft hyphen)."""
    return unicodedata.category(ch) == "Cf"


def _attaches(ch: str) -> bool:
    """Combining marks, joiners and selectors belong with the character before them."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


class Chain:
    """The fonts one segment's language is set in, and which of them draws each character."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names
        self._first: dict[str, str | None] = {}

    def first(self, ch: str) -> str | None:
        """The first family of the chain that has a glyph for `ch` (None: no font has it)."""
        try:
            return self._first[ch]
        except KeyError:
            cp = ord(ch)
            found = next((n for n in self.names if cp in face(n, False).cmap), None)
            self._first[ch] = found
            return found

    def missing(self, text: str) -> str | None:
        """The first character of `text` that no font of the chain can draw."""
        for ch in sorted(set(text), key=text.index):
            if ch != "\n" and not _ignorable(ch) and self.first(ch) is None:
                return ch
        return None

    def families(self, text: str) -> list[str]:
        """The family that draws each character; marks and joiners stay with their base."""
        out: list[str] = []
        for ch in text:
            prev = out[-1] if out else None
            if prev and _attaches(ch) and (_ignorable(ch) or ord(ch) in face(prev, False).cmap):
                out.append(prev)
            else:
                out.append(self.first(ch) or prev or self.names[0])
        return out


@cache
def chain(language: str, script: str) -> Chain:
    names = chain_names(language, script)
    return Chain(names if names is not None else COMMON)


def missing_files(names: tuple[str, ...]) -> list[tuple[Path, str]]:
    """Font files of some families that are not installed, with the Debian package to install."""
    out = []
    for name in names:
        fam = FAMILIES[name]
        for rel in filter(None, (fam.regular, fam.bold)):
            if not (FONT_ROOT / rel).is_file():
                out.append((FONT_ROOT / rel, fam.package))
    return out
