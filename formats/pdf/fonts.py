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

from .. import fonts as shared

FONT_ROOT = Path("/usr/share/fonts/truetype")
LINE_PITCH = 1.5  # minimum distance between baselines, in ems (clear print asks for >= 1.4)
PRIVATE = 0xF0000  # the first of the codes standing for a glyph and its text (Face.code)
CODES: dict[tuple[str, int, str], int] = {}  # (font name, glyph, text) -> code
TEXTS: dict[int, str] = {}  # code -> the text it stands for (a font's ToUnicode entry)


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


# The scripts the large print sets (each shaped, checked and embedded; others are refused as
# "no font" rather than drawn untested): Latin, Cyrillic and Greek in COMMON's Noto Sans, the
# rest in their family from the shared table (formats/fonts.py), Chinese in WenQuanYi.
SCRIPTS = ("Latn", "Cyrl", "Grek", "Arab", "Beng", "Deva", "Guru", "Gujr", "Taml", "Ethi", "Hans", "Hant")
_CJK = "WenQuanYiMicroHei"

FAMILIES = {
    f.name: f
    for f in (
        _noto("Sans"),
        *(
            _noto(shared.stem(name).removeprefix("Noto"))
            for name in dict.fromkeys([*shared.LANGUAGES.values(), *(shared.SCRIPTS.get(s) or "" for s in SCRIPTS)])
            if name
        ),
        _noto("SansSymbols"),
        _noto("SansSymbols2", bold=False),
        _noto("SansMath", bold=False),
        Family(_CJK, "wqy/wqy-microhei.ttc", None, "fonts-wqy-microhei"),
    )
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
        return _registered(self.pdf_name, self.path)

    @cached_property
    def _hb_font(self) -> hb.Font:
        return hb.Font(hb.Face(hb.Blob.from_file_path(str(self.path))))

    def code(self, gid: int, text: str) -> int:
        """The character code reportlab writes for a glyph that stands for `text` (all of its
        cluster's characters, or "" for the cluster's other glyphs). A glyph its font maps
        from just that character keeps it; any other pair gets a private-use code whose
        ToUnicode entry is set to `text` once the file is written (`unicode.py`), so that a
        ligature, a conjunct or a Nastaliq form copies as its characters."""
        face = self.reportlab.face
        if len(text) == 1 and face.charToGlyph.get(ord(text)) == gid:
            return ord(text)
        key = CODES.get((self.pdf_name, gid, text))
        if key is None:
            key = CODES[(self.pdf_name, gid, text)] = PRIVATE + len(TEXTS)
            TEXTS[key] = text
            face.charToGlyph[key] = gid
            face.charWidths[key] = face._pdfScale(face.hmetrics[gid][0])
        return key

    def anchor(self, text: str = "") -> str:
        """A code for the space glyph standing for `text` (mostly nothing): drawn invisibly on
        the baseline at the ends of a right-to-left character, it gives text extraction the
        character's place on the line (a Nastaliq glyph's own origin is raised or lowered)."""
        return chr(self.code(self.reportlab.face.charToGlyph[0x20], text))

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
    infos = buf.glyph_infos
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    carried: set[int] = set()  # clusters whose text a glyph already stands for
    codes, data = [], []
    for info, pos in zip(infos, buf.glyph_positions, strict=True):
        if info.codepoint == 0:  # .notdef, a box: the coverage check should have refused it
            ch = text[info.cluster]
            raise LeafletError(
                f"{face.pdf_name} has no glyph for {ch!r} (U+{ord(ch):04X}) in {text!r}",
                fix="report this: the font table in formats/pdf/fonts.py needs a fix",
            )
        stands = "" if info.cluster in carried else text[info.cluster : ends[info.cluster]]
        carried.add(info.cluster)
        code = face.code(info.codepoint, stands)
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
def _registered(name: str, path: Path) -> TTFont:
    """One reportlab font per file (a one-weight family's bold is its regular, stroked)."""
    font = TTFont(name, str(path), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return font


@cache
def face(family: str, bold: bool) -> Face:
    return Face(FAMILIES[family], bold)


def chain_names(language: str, script: str) -> tuple[str, ...] | None:
    """The families for a language written in a script, its own first, or None if the large
    print does not set the script."""
    if script not in SCRIPTS:
        return None
    own = (_CJK,) if script in ("Hans", "Hant") else tuple(shared.stem(f) for f in shared.families(language, script))
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
