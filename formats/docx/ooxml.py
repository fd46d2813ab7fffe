"""WordprocessingML that python-docx has no API for, as small element builders.

python-docx reads and writes the package, parts, relationships, sections and core
properties; these helpers add the rest: property elements in schema order (w:bidi, w:szCs,
w:lang, w:pBdr ...), hyperlinks, fields, and a zip whose entries carry a fixed date so
identical input gives identical bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import date

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Child order of w:pPr and w:rPr (ECMA-376 Part 1, 17.3.1.26 and 17.3.2.28). Word refuses
# a file whose property elements are out of order.
PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
SECTPR_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)

# Characters XML 1.0 cannot carry: python-docx (lxml) raises ValueError on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unstorable(text: str) -> str:
    """What in `text` a .docx cannot hold, said for the user; "" when all is well."""
    bad = _NOT_XML.search(text)
    return f"holds the control character U+{ord(bad.group()):04X}, which Word cannot store" if bad else ""


def el(tag: str, attrs: Mapping[str, str | int] | None = None, *children):
    """A new element; attribute names are prefixed ("w:val", "r:id"); whole numbers (twips,
    eighths of a point) are written as they are."""
    elm = OxmlElement(tag, {qn(k): str(v) for k, v in (attrs or {}).items()})
    for child in children:
        elm.append(child)
    return elm


def put(parent, child, order: tuple[str, ...]):
    """Make `child` the parent's only element of its tag, at its place in schema `order`."""
    local = child.tag.rpartition("}")[2]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = {qn("w:" + name) for name in order[order.index(local) + 1 :]}
    for i, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def props(tag: str, children, order: tuple[str, ...]):
    """A property container (w:pPr, w:rPr) holding `children` in schema order."""
    container = el(tag)
    for child in children:
        put(container, child, order)
    return container


def twips(points: float) -> int:
    return round(points * 20)


# --- run properties ------------------------------------------------------------------------------


def fonts(slots: dict[str, str]):
    return el("w:rFonts", {"w:" + slot: name for slot, name in slots.items()})


def size(points: float) -> list:
    """w:sz and w:szCs (half-points): complex scripts take their size from w:szCs only."""
    half = str(round(points * 2))
    return [el("w:sz", {"w:val": half}), el("w:szCs", {"w:val": half})]


def bold() -> list:
    """w:b and w:bCs: complex scripts take their weight from w:bCs only."""
    return [el("w:b"), el("w:bCs")]


def lang(attrs: dict[str, str]):
    return el("w:lang", {"w:" + k: v for k, v in attrs.items()})


def color(hex_rgb: str):
    return el("w:color", {"w:val": hex_rgb})


# --- paragraph properties ------------------------------------------------------------------------


def bidi(rtl: bool = True):
    """w:bidi: a right-to-left paragraph (or section); w:val="0" overrides a style's."""
    return el("w:bidi") if rtl else el("w:bidi", {"w:val": "0"})


def spacing(before: float, after: float, line: float):
    """Space before/after in points; `line` a multiple of single spacing (Word's 'auto')."""
    return el(
        "w:spacing",
        {"w:before": twips(before), "w:after": twips(after), "w:line": round(line * 240), "w:lineRule": "auto"},
    )


def box(width: float, space: float, rgb: str = "000000"):
    """A border on all four sides of a paragraph (width and gap to the text in points)."""
    sides = [
        el("w:" + side, {"w:val": "single", "w:sz": round(width * 8), "w:space": round(space), "w:color": rgb})
        for side in ("top", "left", "bottom", "right")
    ]
    return el("w:pBdr", None, *sides)


def indent(start: float, end: float = 0.0, hanging: float = 0.0):
    """Indents in points. w:left/w:right are the start/end sides in a right-to-left paragraph."""
    attrs = {"w:left": twips(start), "w:right": twips(end)}
    if hanging:
        attrs["w:hanging"] = twips(hanging)
    return el("w:ind", attrs)


# --- inline content ------------------------------------------------------------------------------


def run(text: str, rpr=None):
    """A w:r; python-docx turns "\\n" in `text` into w:br."""
    r = el("w:r")
    if rpr is not None and len(rpr):
        r.append(rpr)
    r.text = text
    return r


def hyperlink(part, url: str, runs):
    """A real hyperlink: w:hyperlink pointing at an external relationship of `part`."""
    rid = part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True
    )
    return el("w:hyperlink", {"r:id": rid, "w:history": "1"}, *runs)


def field(instruction: str, placeholder: str, rpr=None):
    """A simple field such as PAGE, with the text shown until the reader updates it."""
    return el("w:fldSimple", {"w:instr": f" {instruction} "}, run(placeholder, rpr))


# --- package ---------------------------------------------------------------------------------


def fixed_dates(package: bytes, day: date) -> bytes:
    """The same zip with every entry dated `day` (python-docx stamps entries with the time of
    saving), so two builds of the same input are byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.external_attr = item.external_attr
            zout.writestr(entry, zin.read(item), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
