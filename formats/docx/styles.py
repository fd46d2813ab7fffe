"""The Word template of the large-print copy: A4 page, styles and list numbering.

Built once per (script, body size) from python-docx's default document and kept as bytes.
The default template is US Letter with 11 pt Calibri, blue headings below 4.5:1 contrast,
an italic Heading 4, a thumbnail, custom XML, rsids and "python-docx" properties; all of
that is replaced or dropped here, so a copy holds only what a leaflet uses and a member of
staff who adapts it finds real Word styles (Heading 1-3, List Bullet, List Number, Notice).
Every size is a multiple of the body size, so options.size scales the whole copy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Length, Mm

from . import ooxml as x
from .fonts import LATIN, Script


@dataclass(frozen=True)
class ParaStyle:
    id: str
    name: str  # Word's built-in name where there is one, so Word treats it as that style
    scale: float = 1.0  # text size, as a multiple of the body size
    bold: bool = False
    before: float = 0.0  # space before and after, in body sizes
    after: float = 1.0  # one line between paragraphs (UKAAF)
    heading: int = 0  # heading level (outline level + 1)
    marker: str = ""  # list marker: a bullet character, or "decimal" for numbers
    level: int = 0  # list nesting, 0 or 1
    boxed: bool = False  # the important-notice border
    end_tab: bool = False  # a tab stop at the end of the line (page footer)


STYLES = (
    ParaStyle("Normal", "Normal"),
    ParaStyle("Heading1", "heading 1", scale=1.5, bold=True, after=0.75, heading=1),
    ParaStyle("Heading2", "heading 2", scale=1.3, bold=True, before=0.5, after=0.5, heading=2),
    ParaStyle("Heading3", "heading 3", scale=1.15, bold=True, before=0.5, after=0.5, heading=3),
    ParaStyle("ListBullet", "List Bullet", marker="\u2022"),
    ParaStyle("ListBullet2", "List Bullet 2", marker="\u25e6", level=1),
    ParaStyle("ListNumber", "List Number", marker="decimal"),
    ParaStyle("ListNumber2", "List Number 2", marker="decimal", level=1),
    ParaStyle("Notice", "Notice", boxed=True),
    ParaStyle("Header", "header", bold=True, after=0),
    ParaStyle("Footer", "footer", after=0, end_tab=True),
)
LISTS = tuple(s for s in STYLES if s.marker)

TEXT = "000000"  # all text and headings black on white
LINK = "005EB8"  # NHS Blue: 6.4:1 on white
BORDER = (3.0, 6.0)  # notice border width and gap to the text, points
INSET = sum(BORDER)  # notice text indent on both sides: the border stands in the margin line
LIST_INDENT = 2.0  # marker column width per nesting level, in body sizes
PAGE = (Mm(210), Mm(297))  # A4
MARGINS = {  # python-docx Section attributes
    "top_margin": Mm(25),
    "bottom_margin": Mm(25),
    "left_margin": Mm(20),
    "right_margin": Mm(20),
    "header_distance": Mm(12),
    "footer_distance": Mm(12),
}
COMPATIBILITY = "15"  # Word 2013+ layout, so Word does not open the copy in compatibility mode


def abstract_num_id(style_id: str) -> int:
    """The numbering definition of a list style: its position in LISTS (its own w:num is one more)."""
    return next(i for i, s in enumerate(LISTS) if s.id == style_id)


def list_indent(style_id: str, size: float, inset: float = 0.0):
    """The w:ind of a list style's items: a marker column per nesting level, moved in by
    `inset` points on both sides for a list inside a notice."""
    step = LIST_INDENT * size
    level = LISTS[abstract_num_id(style_id)].level
    return x.indent(inset + (level + 1) * step, inset, hanging=step)


@cache
def template(script: Script, size: float) -> bytes:
    """An empty .docx with this script's fonts, language and direction at this body size."""
    word = docx.Document()
    _drop_leftover_parts(word)
    _page(word, script)
    _styles(word.styles.element, script, size)
    _numbering(word.part.numbering_part.element, size)
    _settings(word.settings.element)
    core = word.part.package.part_related_by(RT.CORE_PROPERTIES).element
    for child in list(core):
        core.remove(child)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _drop_leftover_parts(word) -> None:
    """Thumbnail, app properties ("Microsoft Macintosh Word"), custom XML, Word 2010 style
    effects, theme, font table and web settings: none is needed, and Word rebuilds its own."""
    unwanted = {
        RT.THUMBNAIL,
        RT.EXTENDED_PROPERTIES,
        RT.CUSTOM_XML,
        RT.THEME,
        RT.FONT_TABLE,
        RT.WEB_SETTINGS,
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    }
    for rels in (word.part.package.rels, word.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unwanted]:
            del rels[rid]


def _page(word, script: Script) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE
    for attribute, length in MARGINS.items():
        setattr(section, attribute, length)
    sect = word.element.body.sectPr
    for attr in list(sect.attrib):
        del sect.attrib[attr]  # the template's revision ids
    if script.rtl:
        x.put(sect, x.bidi(), x.SECTPR_ORDER)


def text_width() -> float:
    """Width of the text column in points."""
    return Length(PAGE[0] - MARGINS["left_margin"] - MARGINS["right_margin"]).pt


def _run_props(script: Script, size: float, bold: bool):
    children = [x.fonts(dict(script.fonts)), x.color(TEXT), *x.size(size), x.lang(script.lang)]
    if bold:
        children += x.bold()
    return x.props("w:rPr", children, x.RPR_ORDER)


def _para_props(style: ParaStyle, script: Script, size: float):
    children = [x.spacing(style.before * size, style.after * size, script.line)]
    if script.rtl:
        children.append(x.bidi())
    if style.heading:
        children += [x.el("w:keepNext"), x.el("w:keepLines"), x.el("w:outlineLvl", {"w:val": style.heading - 1})]
    if style.marker:
        children.append(
            x.el(
                "w:numPr", None, x.el("w:ilvl", {"w:val": 0}), x.el("w:numId", {"w:val": abstract_num_id(style.id) + 1})
            )
        )
    if style.boxed:  # a notice is kept on one page: its lines together, each with the next
        children += [x.el("w:keepNext"), x.el("w:keepLines"), x.box(*BORDER), x.indent(INSET, INSET)]
    if style.end_tab:
        children.append(x.el("w:tabs", None, x.el("w:tab", {"w:val": "right", "w:pos": x.twips(text_width())})))
    return x.props("w:pPr", children, x.PPR_ORDER)


def _styles(root, script: Script, size: float) -> None:
    for child in list(root):
        root.remove(child)
    root.append(
        x.el(
            "w:docDefaults",
            None,
            x.el("w:rPrDefault", None, _run_props(script, size, False)),
            x.el("w:pPrDefault", None, x.el("w:pPr", None, x.spacing(0, size, script.line))),
        )
    )
    for style in STYLES:
        attrs = {"w:type": "paragraph", "w:styleId": style.id}
        children = [x.el("w:name", {"w:val": style.name})]
        if style.id == "Normal":
            attrs["w:default"] = "1"
        else:
            children += [
                x.el("w:basedOn", {"w:val": "Normal"}),
                x.el("w:next", {"w:val": style.id if style.marker else "Normal"}),
            ]
        children += [
            x.el("w:qFormat"),
            _para_props(style, script, size),
            _run_props(script, size * style.scale, style.bold),
        ]
        root.append(x.el("w:style", attrs, *children))
    root.append(
        x.el(
            "w:style",
            {"w:type": "character", "w:default": "1", "w:styleId": "DefaultParagraphFont"},
            x.el("w:name", {"w:val": "Default Paragraph Font"}),
            x.el("w:uiPriority", {"w:val": 1}),
            x.el("w:semiHidden"),
            x.el("w:unhideWhenUsed"),
        )
    )
    root.append(
        x.el(
            "w:style",
            {"w:type": "character", "w:styleId": "Hyperlink"},
            x.el("w:name", {"w:val": "Hyperlink"}),
            x.el("w:basedOn", {"w:val": "DefaultParagraphFont"}),
            x.el("w:rPr", None, x.color(LINK), x.el("w:u", {"w:val": "single"})),
        )
    )


def _numbering(root, size: float) -> None:
    """One single-level definition per list style, indented in body sizes so numbers fit."""
    for child in list(root):
        root.remove(child)
    for i, style in enumerate(LISTS):
        decimal = style.marker == "decimal"
        level = x.el(
            "w:lvl",
            {"w:ilvl": 0},
            x.el("w:start", {"w:val": 1}),
            x.el("w:numFmt", {"w:val": "decimal" if decimal else "bullet"}),
            x.el("w:pStyle", {"w:val": style.id}),
            x.el("w:lvlText", {"w:val": "%1." if decimal else style.marker}),
            x.el("w:lvlJc", {"w:val": "left"}),
            x.el("w:pPr", None, list_indent(style.id, size)),
            x.el("w:rPr", None, x.fonts({"ascii": LATIN, "hAnsi": LATIN, "cs": LATIN})),
        )
        root.append(
            x.el("w:abstractNum", {"w:abstractNumId": i}, x.el("w:multiLevelType", {"w:val": "singleLevel"}), level)
        )
    for i, _ in enumerate(LISTS):
        root.append(x.el("w:num", {"w:numId": i + 1}, x.el("w:abstractNumId", {"w:val": i})))


def _settings(root) -> None:
    """Keep the compatibility settings; drop the template's revision ids, proofing state,
    preview picture, document id, theme languages, equation and drawing defaults."""
    for name in (
        "w:rsids",
        "w:proofState",
        "w:savePreviewPicture",
        "w14:docId",
        "w:themeFontLang",
        "w:attachedTemplate",
        "w:zoom",
        "m:mathPr",
        "w:shapeDefaults",
    ):
        for child in root.findall(qn(name)):
            root.remove(child)
    for setting in root.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), COMPATIBILITY)


TABLE_STYLE = "TableGrid"


def add_table_style(root) -> None:
    """A "Table Grid" table style (black single lines round every cell, cell padding), added to
    the styles part only by a document that has a table: a leaflet without one keeps its bytes."""
    if root.find(f"{x.qn('w:style')}[@{x.qn('w:styleId')}='{TABLE_STYLE}']") is not None:
        return
    lines = [
        x.el(f"w:{side}", {"w:val": "single", "w:sz": 8, "w:space": 0, "w:color": TEXT})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    ]
    margins = [x.el(f"w:{side}", {"w:w": 115, "w:type": "dxa"}) for side in ("left", "right")]
    root.append(
        x.el(
            "w:style",
            {"w:type": "table", "w:styleId": TABLE_STYLE},
            x.el("w:name", {"w:val": "Table Grid"}),
            x.el("w:tblPr", None, x.el("w:tblBorders", None, *lines), x.el("w:tblCellMar", None, *margins)),
        )
    )
