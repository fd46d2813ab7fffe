"""A checker for the machine-checkable PDF/UA-1 rules that apply to the leaflets' PDFs.

There is no veraPDF here (a Java program, in no registry these machines reach), so this
implements with pikepdf the rules of veraPDF's PDF/UA-1 profile that concern documents like
ours, each failure reported with veraPDF's rule id (clause-test, e.g. "7.1-3"):

5-1..5-5 PDF/UA identification in XMP; 6.2-1 MarkInfo; 7.1-1..3 every content item tagged
or an artifact, never both; 7.1-4 Suspects; 7.1-5/7 standard structure types; 7.1-8/9
metadata with dc:title; 7.1-10 DisplayDocTitle; 7.1-11 StructTreeRoot; 7.1-12 parent links;
7.2-17..20 list structure; 7.2-21/24/29/30/33/34 natural language; 7.2-3/4/10 table structure
(Table > [THead/TBody/TFoot >] TR > TH/TD); 7.3-1 Figure with Alt; 7.5-1 TH with Scope (or
Headers); 7.5-2 every row of a table as long as the others; 7.4.2-1 heading nesting;
7.4.4-1..3 one H per node and no H with Hn; 7.18.1-2, 7.18.3-1, 7.18.5-1/2 annotations;
7.21.4.1-1 embedded fonts; 7.21.6-2/3 TrueType encodings; 7.21.7-1/2 Unicode mapping of
every code shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

import pikepdf
from pikepdf import Name, Pdf

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
STANDARD = {
    *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct"),
    *("Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH"),
    *("TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link"),
    *("Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"),
}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
MARKED = {"BDC", "BMC", "EMC"}
# A parse that keeps only these operators makes a tenth of the Python objects, but drops inline
# images: a page whose bytes hold a BI token (or a string that looks like one) is parsed whole.
CONTENT_OPERATORS = " ".join(sorted(MARKED | TEXT_SHOW | (PAINT - {"INLINE IMAGE"})))
INLINE_IMAGE = re.compile(rb"\bBI\b")


@dataclass(frozen=True)
class Failure:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def check(data_or_pdf: bytes | Pdf) -> list[Failure]:
    """Every failure of the rules above, in rule order; [] for a conforming document."""
    pdf = data_or_pdf if isinstance(data_or_pdf, Pdf) else Pdf.open(__import__("io").BytesIO(data_or_pdf))
    out: list[Failure] = []
    root = pdf.Root
    catalog_lang = str(root.get("/Lang", ""))
    out += _identification(pdf, catalog_lang)
    mark = root.get("/MarkInfo")
    if mark is None or mark.get("/Marked") is not True:
        out.append(Failure("6.2-1", "the catalog has no MarkInfo with Marked true"))
    if mark is not None and mark.get("/Suspects") is True:
        out.append(Failure("7.1-4", "MarkInfo Suspects is true"))
    prefs = root.get("/ViewerPreferences")
    if prefs is None or prefs.get("/DisplayDocTitle") is not True:
        out.append(Failure("7.1-10", "ViewerPreferences has no DisplayDocTitle true"))
    if catalog_lang and not LANG.match(catalog_lang):
        out.append(Failure("7.2-29", f"catalog Lang {catalog_lang!r} is not a language tag"))
    tree = root.get("/StructTreeRoot")
    if tree is None:
        out.append(Failure("7.1-11", "no StructTreeRoot in the catalog"))
    out += _structure(pdf, catalog_lang)
    out += _content(pdf, catalog_lang)
    out += _annotations(pdf, catalog_lang)
    out += _fonts(pdf)
    return sorted(out, key=lambda f: [int(n) if n.isdigit() else n for n in re.split(r"[.-]", f.rule)])


# --- clause 5 and 7.1-8/9: metadata ------------------------------------------------------------


def _identification(pdf: Pdf, catalog_lang: str) -> list[Failure]:
    out = []
    if "/Metadata" not in pdf.Root:
        return [
            Failure("5-1", "no XMP metadata, so no PDF/UA identification"),
            Failure("7.1-8", "the catalog has no Metadata stream"),
        ]
    xml = pdf.Root.Metadata.read_bytes().decode("utf-8")
    tree = ElementTree.fromstring(xml[xml.index("<x:xmpmeta") : xml.rindex("</x:xmpmeta>") + 12])
    parts = [e.text for e in tree.iter(f"{{{PDFUA_NS}}}part")]
    parts += [v for e in tree.iter() for k, v in e.attrib.items() if k == f"{{{PDFUA_NS}}}part"]
    if not parts:
        out.append(Failure("5-1", "XMP has no pdfuaid:part"))
    elif parts[0] != "1":
        out.append(Failure("5-2", f"pdfuaid:part is {parts[0]!r}, not 1"))
    for prefix, uri in re.findall(r'xmlns:([\w.-]+)="([^"]+)"', xml):
        if uri == PDFUA_NS and prefix != "pdfuaid":
            out.append(Failure("5-3", f"the PDF/UA identification schema has the prefix {prefix!r}"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    titles = list(tree.iter(f"{dc}title"))
    if not titles or not "".join(titles[0].itertext()).strip():
        out.append(Failure("7.1-9", "XMP has no dc:title"))
    langs = [li for t in titles for li in t.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")]
    if any(li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default" for li in langs) and not catalog_lang:
        out.append(Failure("7.2-33", "x-default metadata with no document language"))
    return out


# --- the structure tree ------------------------------------------------------------------------


def elements(pdf: Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element, depth first in tree order."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    stack = list(reversed(_kids(tree)))
    while stack:
        e = stack.pop()
        if isinstance(e, pikepdf.Dictionary) and e.get("/Type", Name.StructElem) == Name.StructElem and "/S" in e:
            yield e
            stack += reversed(_kids(e))


def _kids(e) -> list:
    k = e.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def role(e, rolemap) -> str:
    s = str(e.S)[1:]
    seen = set()
    while s not in STANDARD and rolemap is not None and f"/{s}" in rolemap and s not in seen:
        seen.add(s)
        s = str(rolemap[f"/{s}"])[1:]
    return s


def _structure(pdf: Pdf, catalog_lang: str) -> list[Failure]:
    out: list[Failure] = []
    tree = pdf.Root.get("/StructTreeRoot")
    rolemap = tree.get("/RoleMap") if tree is not None else None
    headings: list[int] = []
    for e in elements(pdf):
        r = role(e, rolemap)
        kids = [k for k in _kids(e) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        kid_roles = [role(k, rolemap) for k in kids]
        parent = e.get("/P")
        parent_role = role(parent, rolemap) if parent is not None and "/S" in parent else ""
        if parent is None:
            out.append(Failure("7.1-12", f"{r} has no parent (P)"))
        if r not in STANDARD:
            out.append(Failure("7.1-5", f"structure type {r!r} is not standard and not role-mapped"))
        if rolemap is not None and str(e.S)[1:] in STANDARD and f"/{str(e.S)[1:]}" in rolemap:
            out.append(Failure("7.1-7", f"standard type {e.S} is remapped"))
        if r == "LI" and parent_role != "L":
            out.append(Failure("7.2-17", f"LI inside {parent_role or 'the root'}, not L"))
        if r == "LBody" and parent_role != "LI":
            out.append(Failure("7.2-18", f"LBody inside {parent_role}, not LI"))
        if r == "L" and any(k not in ("L", "LI", "Caption") for k in kid_roles):
            out.append(Failure("7.2-19", f"L holds {kid_roles}"))
        if r == "LI" and any(k not in ("Lbl", "LBody") for k in kid_roles):
            out.append(Failure("7.2-20", f"LI holds {kid_roles}"))
        if "/ActualText" in e and not (catalog_lang or "/Lang" in e):
            out.append(Failure("7.2-21", f"{r} has ActualText in no known language"))
        if "/Lang" in e and not LANG.match(str(e.Lang)):
            out.append(Failure("7.2-29", f"{r} has Lang {str(e.Lang)!r}"))
        if r == "Table" and any(k not in ("TR", "THead", "TBody", "TFoot", "Caption") for k in kid_roles):
            out.append(Failure("7.2-3", f"Table holds {kid_roles}"))
        if r == "TR" and parent_role not in ("Table", "THead", "TBody", "TFoot"):
            out.append(Failure("7.2-4", f"TR inside {parent_role or 'the root'}"))
        if r == "TR" and any(k not in ("TH", "TD") for k in kid_roles):
            out.append(Failure("7.2-10", f"TR holds {kid_roles}"))
        if r in ("TH", "TD") and parent_role != "TR":
            out.append(Failure("7.2-10", f"{r} inside {parent_role or 'the root'}, not TR"))
        if r == "Figure" and "/Alt" not in e and "/ActualText" not in e:
            out.append(Failure("7.3-1", "Figure has no Alt"))
        if r == "TH" and "/Headers" not in _attributes(e) and "/Scope" not in _attributes(e):
            out.append(Failure("7.5-1", "TH has no Scope (nor Headers)"))
        if r == "Table":
            lengths = {len(row) for row in _rows(e, rolemap)}
            if len(lengths) > 1:
                out.append(Failure("7.5-2", f"table rows have {sorted(lengths)} cells"))
        if kid_roles.count("H") > 1:
            out.append(Failure("7.4.4-1", f"{r} holds more than one H"))
        if re.fullmatch(r"H[1-6]", r):
            headings.append(int(r[1]))
        elif r == "H":
            headings.append(0)
    numbered = [h for h in headings if h]
    if numbered and 0 in headings:
        out.append(Failure("7.4.4-2", "both H and H1-H6 are used"))
    previous = 0
    for level in numbered:
        if level > previous + 1:
            out.append(Failure("7.4.2-1", f"H{level} follows H{previous or '(none)'}"))
        previous = level
    return out


def _attributes(e) -> dict:
    """An element's attributes of the Table and Layout owners, merged (/A is one dictionary or an array)."""
    found: dict = {}
    a = e.get("/A")
    for d in [a] if isinstance(a, pikepdf.Dictionary) else list(a) if isinstance(a, pikepdf.Array) else []:
        if isinstance(d, pikepdf.Dictionary):
            found.update({str(k): v for k, v in d.items()})
    return found


def _rows(table, rolemap) -> list[list[str]]:
    """A table's rows (in THead, TBody, TFoot or directly), each its cells' roles."""
    rows = []
    for kid in _kids(table):
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            continue
        r = role(kid, rolemap)
        if r == "TR":
            rows.append([role(c, rolemap) for c in _kids(kid) if isinstance(c, pikepdf.Dictionary) and "/S" in c])
        elif r in ("THead", "TBody", "TFoot"):
            rows += _rows(kid, rolemap)
    return rows


def table_cells(pdf: Pdf) -> list[list[list[tuple[str, str, str]]]]:
    """Each table's rows, each cell as (role, Scope, its text from the marked content's ActualText)."""
    texts = marked_texts(pdf)
    tree = pdf.Root.get("/StructTreeRoot")
    rolemap = tree.get("/RoleMap") if tree is not None else None
    out = []
    for e in elements(pdf):
        if role(e, rolemap) != "Table":
            continue
        table = []
        for row in _row_elements(e, rolemap):
            cells = []
            for cell in _kids(row):
                if isinstance(cell, pikepdf.Dictionary) and "/S" in cell:
                    scope = str(_attributes(cell).get("/Scope", ""))[1:]
                    cells.append((role(cell, rolemap), scope, _element_text(cell, texts)))
            table.append(cells)
        out.append(table)
    return out


def _row_elements(table, rolemap) -> list:
    rows = []
    for kid in _kids(table):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            r = role(kid, rolemap)
            rows += [kid] if r == "TR" else _row_elements(kid, rolemap) if r in ("THead", "TBody", "TFoot") else []
    return rows


def marked_texts(pdf: Pdf) -> dict[tuple[int, int], str]:
    """The ActualText of every tagged marked-content sequence, by (page object number, MCID)."""
    out: dict[tuple[int, int], str] = {}
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page, "BDC"):  # the only operator read
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                props = operands[1]
                if "/MCID" in props and "/ActualText" in props:
                    out[(page.obj.objgen[0], int(props.MCID))] = str(props.ActualText)
    return out


def _element_text(e, texts) -> str:
    page = e.get("/Pg")
    parts = []
    for kid in _kids(e):
        if isinstance(kid, int):
            parts.append(texts.get((page.objgen[0], kid), "") if page is not None else "")
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.MCR:
            parts.append(texts.get((kid.Pg.objgen[0], int(kid.MCID)), ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            parts.append(_element_text(kid, texts))
    return "".join(parts)


# --- content: tagged or artifact -------------------------------------------------------------


def _parent_tree(pdf: Pdf) -> dict[int, object]:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        return {}
    return {int(k): v for k, v in pikepdf.NumberTree(tree.ParentTree).items()}


def _content(pdf: Pdf, catalog_lang: str) -> list[Failure]:
    out: list[Failure] = []
    parents = _parent_tree(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        mcids = parents.get(int(key)) if key is not None else None
        properties = page.obj.get("/Resources", {}).get("/Properties", {})
        # (tag, MCID, Lang) of the open marked content, read from each property list once: a page
        # shows thousands of runs, and pikepdf look-ups per run were most of the checker's time
        stack: list[tuple[str, int | None, str]] = []
        untagged = 0
        for operands, operator in _instructions(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                props = operands[1] if op == "BDC" else None
                if isinstance(props, Name):
                    props = properties.get(str(props))
                mcid = _mcid(props)
                tagged = any(m is not None for _, m, _ in stack)
                artifact = any(t == "Artifact" for t, _, _ in stack)
                if tag == "Artifact" and tagged:
                    out.append(Failure("7.1-1", f"page {number}: an artifact inside tagged content"))
                if mcid is not None and artifact:
                    out.append(Failure("7.1-2", f"page {number}: tagged content inside an artifact"))
                if isinstance(props, pikepdf.Dictionary):
                    lang = props.get("/Lang")
                    if lang is not None and not LANG.match(str(lang)):
                        out.append(Failure("7.2-29", f"page {number}: marked content Lang {str(lang)!r}"))
                    if tag == "Span" and "/ActualText" in props and not (lang or catalog_lang):
                        out.append(Failure("7.2-30", f"page {number}: ActualText in no known language"))
                stack.append((tag, mcid, _lang(props)))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in TEXT_SHOW or op in PAINT:
                if any(t == "Artifact" for t, _, _ in stack):
                    continue
                mcid = next((m for _, m, _ in reversed(stack) if m is not None), None)
                if mcid is None or mcids is None or mcid >= len(mcids) or mcids[mcid] is None:
                    untagged += 1
                elif op in TEXT_SHOW and not (catalog_lang or any(lang for _, _, lang in stack)):
                    out.append(Failure("7.2-34", f"page {number}: text in no known language"))
        if untagged:
            out.append(Failure("7.1-3", f"page {number}: {untagged} content items neither tagged (MCID) nor artifacts"))
    return out


def _instructions(page: pikepdf.Page) -> list:
    """The page's marking, text-showing and painting instructions, inline images included."""
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [] if contents is None else [contents]
    if any(INLINE_IMAGE.search(stream.read_bytes()) for stream in streams):
        return pikepdf.parse_content_stream(page)
    return pikepdf.parse_content_stream(page, CONTENT_OPERATORS)


def _mcid(props) -> int | None:
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        return int(props.MCID)
    return None


def _lang(props) -> str:
    return str(props.get("/Lang", "")) if isinstance(props, pikepdf.Dictionary) else ""


# --- annotations ---------------------------------------------------------------------------------


def _annotations(pdf: Pdf, catalog_lang: str) -> list[Failure]:
    out: list[Failure] = []
    parents = _parent_tree(pdf)
    tree = pdf.Root.get("/StructTreeRoot")
    rolemap = tree.get("/RoleMap") if tree is not None else None
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots", [])
        if len(annots) and page.obj.get("/Tabs") != Name.S:
            out.append(Failure("7.18.3-1", f"page {number} has annotations but no /Tabs /S"))
        for a in annots:
            subtype = str(a.get("/Subtype", ""))[1:]
            hidden = int(a.get("/F", 0)) & 2
            if hidden or subtype in ("Widget", "Popup"):
                continue
            contents = str(a.get("/Contents", ""))
            if not contents:
                out.append(Failure("7.18.1-2", f"page {number}: a {subtype} annotation without Contents"))
                if subtype == "Link":
                    out.append(Failure("7.18.5-2", f"page {number}: a link without Contents"))
            if contents and not catalog_lang and "/Lang" not in a:
                out.append(Failure("7.2-24", f"page {number}: annotation Contents in no known language"))
            key = a.get("/StructParent")
            parent = parents.get(int(key)) if key is not None else None
            parent_role = role(parent, rolemap) if isinstance(parent, pikepdf.Dictionary) else ""
            if subtype == "Link" and parent_role != "Link":
                out.append(Failure("7.18.5-1", f"page {number}: a link annotation not in a Link element"))
            elif subtype not in ("Link", "Widget", "PrinterMark") and parent_role != "Annot":
                out.append(Failure("7.18.1-1", f"page {number}: a {subtype} annotation not in an Annot element"))
    return out


# --- fonts -------------------------------------------------------------------------------------


def _fonts(pdf: Pdf) -> list[Failure]:
    out: list[Failure] = []
    used = _codes_shown(pdf)
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            subtype = str(font.get("/Subtype", ""))
            descriptor = font.get("/FontDescriptor")
            if subtype not in ("/Type3", "/Type0") and (
                descriptor is None or not any(f"/FontFile{n}" in descriptor for n in ("", "2", "3"))
            ):
                out.append(Failure("7.21.4.1-1", f"font {font.get('/BaseFont')} is not embedded"))
            if subtype == "/TrueType" and descriptor is not None:
                symbolic = int(descriptor.get("/Flags", 0)) & 4
                encoding = font.get("/Encoding")
                if symbolic and encoding is not None:
                    out.append(Failure("7.21.6-3", f"symbolic TrueType {font.get('/BaseFont')} has an Encoding"))
                if not symbolic and str(encoding) not in ("/MacRomanEncoding", "/WinAnsiEncoding"):
                    out.append(Failure("7.21.6-2", f"non-symbolic TrueType {font.get('/BaseFont')}: {encoding}"))
            codes = used.get(font.objgen, set())
            mapping = _to_unicode(font)
            missing = sorted(c for c in codes if c not in mapping)
            if missing:
                out.append(Failure("7.21.7-1", f"font {font.get('/BaseFont')}: codes {missing[:5]} map to no Unicode"))
            bad = sorted(c for c in codes if c in mapping and set(mapping[c]) & {"\0", "\ufeff", "\ufffe"})
            if bad:
                out.append(
                    Failure("7.21.7-2", f"font {font.get('/BaseFont')}: codes {bad[:5]} map to U+0000/FEFF/FFFE")
                )
    return out


def _codes_shown(pdf: Pdf) -> dict[tuple[int, int], set[int]]:
    """The one-byte codes shown in each (simple) font, by the font's object id."""
    used: dict[tuple[int, int], set[int]] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        current = None
        for operands, operator in pikepdf.parse_content_stream(page, "Tf Tj TJ ' \""):
            op = str(operator)
            if op == "Tf":
                current = fonts.get(str(operands[0]))
                continue
            if current is None:
                continue
            strings = operands[0] if op == "TJ" else [operands[-1]]
            codes = used.setdefault(current.objgen, set())
            for s in strings:
                if isinstance(s, pikepdf.String):
                    codes.update(bytes(s))
    return used


def _to_unicode(font) -> dict[int, str]:
    """A simple font's ToUnicode CMap as code -> text (bfchar and bfrange entries)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    if re.search(r"<[0-9A-Fa-f]{5}>", cmap):  # not UTF-16: say no code maps
        return out
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for k, d in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", dst)):
                    out[first + k] = bytes.fromhex(d).decode("utf-16-be")
            else:
                base = bytes.fromhex(dst[1:-1]).decode("utf-16-be")
                for k in range(last - first + 1):
                    out[first + k] = base[:-1] + chr(ord(base[-1]) + k)
    return out


# --- what a screen reader reads ------------------------------------------------------------------


def reading(pdf: Pdf) -> list[tuple[str, str]]:
    """The document as an assistive technology reads the tags: (structure type, text) for each
    marked-content sequence in structure order, its text the sequence's /ActualText."""
    texts: dict[tuple[int, int], str] = {}
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    for n, page in enumerate(pdf.pages):
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            props = operands[1]
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props and "/ActualText" in props:
                texts[(n, int(props.MCID))] = str(props.ActualText)
    out: list[tuple[str, str]] = []

    def walk(e, page):
        page = pages[e.Pg.objgen] if "/Pg" in e else page
        for k in _kids(e):
            if isinstance(k, int):
                out.append((str(e.S)[1:], texts.get((page, k), "")))
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.MCR:
                out.append((str(e.S)[1:], texts.get((pages[k.Pg.objgen], int(k.MCID)), "")))
            elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
                walk(k, page)

    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        for top in _kids(tree):
            walk(top, 0)
    return out
