"""The Word writer, read back with python-docx and its XML.

Real translations (the committed sample catalogs) check the whole leaflet; small hand-built
models check the cases the sample does not contain (nested and numbered lists, notices with
lists, English stand-ins inside right-to-left text, bad characters, skipped headings).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import replace
from datetime import date
from functools import cache

import docx
import polib
import pytest
from conftest import ROOT
from docx.oxml.ns import qn
from lxml import etree

import formats
from formats.docx import fonts as docx_fonts
from formats.docx import render as writer
from leaflets.errors import LeafletError
from leaflets.model import (
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Notice,
    Paragraph,
    Segment,
    Strong,
    Text,
    segments,
)
from leaflets.project import Project
from leaflets.translate import translate

BUILD_DATE = date(2026, 5, 1)
OPTIONS = formats.Options(build_date=BUILD_DATE)
LEAFLET = "RAD_0009"
TRANSLATED = ("en", "pl", "ur", "ar", "zh_Hans")
RTL = ("ar", "ur")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- helpers ---------------------------------------------------------------------------------------


@cache
def model(code: str, draft: bool = False):
    project = Project(ROOT)
    return translate(
        project.leaflet(LEAFLET), code, project.shared_strings, draft=draft, locales_dir=project.locales_dir
    )


@cache
def built(code: str, draft: bool = False, size: float = 18.0) -> bytes:
    return writer.write(model(code, draft), replace(OPTIONS, size=size))


def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def parts(data: bytes) -> dict[str, etree._Element]:
    """Every XML part of the package, parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def part(data: bytes, name: str):
    return parts(data)[name]


def seg(inlines, lang: str = "en-GB", fallback: bool = False, source: str = "") -> Segment:
    inlines = (Text(inlines),) if isinstance(inlines, str) else tuple(inlines)
    text = Segment(inlines, "").text
    return Segment(inlines, source or text, lang=lang, fallback=fallback)


def with_blocks(code: str, *blocks, draft: bool = False):
    """A translated leaflet of `code` whose body is `blocks` (footer and labels kept)."""
    return replace(model(code, draft), blocks=tuple(blocks))


def expected_paragraphs(doc) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, in the writer's order, from the model."""
    untranslated = doc.label("untranslated").text + " "

    def text(s):
        return (untranslated if s.fallback else "") + s.text

    out = [("Heading 1", text(doc.title))] + [("Notice", text(s)) for s in doc.notices]

    def walk(blocks, boxed=False):
        for b in blocks:
            if isinstance(b, Heading):
                out.append((f"Heading {b.level}", text(b.content)))
            elif isinstance(b, Paragraph):
                out.append(("Notice" if boxed else "Normal", text(b.content)))
            elif isinstance(b, ListBlock):
                lists(b, 0)
            elif isinstance(b, Notice):
                walk(b.blocks, True)

    def lists(b, depth):
        name = ("List Number" if b.ordered else "List Bullet") + (" 2" if depth else "")
        for item in b.items:
            out.append((name, text(item.content)))
            for child in item.children:
                lists(child, depth + 1)

    walk(doc.blocks)
    walk(doc.footer)
    return out


def contrast(hex_rgb: str) -> float:
    """WCAG contrast ratio of a colour against white."""

    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_rgb[i : i + 2], 16)) for i in (0, 2, 4))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


# --- the whole leaflet -------------------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_block_has_the_translated_text_in_its_style(code):
    doc = model(code)
    got = [(p.style.name, p.text) for p in document(built(code)).paragraphs]
    assert got == expected_paragraphs(doc)


@pytest.mark.parametrize("code", TRANSLATED)
def test_one_heading_1_and_no_skipped_levels(code):
    styles = [p.style.name for p in document(built(code)).paragraphs]
    levels = [int(s[-1]) for s in styles if s.startswith("Heading")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert 2 in levels and 3 in levels  # the seed leaflet has both


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_empty_paragraphs_typed_bullets_or_runs_of_spaces(code):
    data = built(code)
    for name, root in parts(data).items():
        for p in root.iter(W + "p"):
            text = "".join(t.text or "" for t in p.iter(W + "t"))
            assert text.strip(), f"empty paragraph in {name}"
            assert not re.match(r"\s*([\u2022\u25e6*-]|\d+[.)])\s", text), f"typed list marker: {text[:40]}"
        for t in root.iter(W + "t"):
            assert "  " not in (t.text or ""), f"run of spaces in {name}: {t.text!r}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_links_are_real_hyperlinks(code):
    doc = model(code)
    word = document(built(code))
    urls = [n.url for s in segments(doc.blocks + doc.footer) for n in _walk(s.inlines) if isinstance(n, Link)]
    assert urls
    rels = {r.rId: r for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")}
    links = list(word.element.body.iter(W + "hyperlink"))
    assert [rels[h.get(qn("r:id"))].target_ref for h in links] == urls
    assert all(rels[h.get(qn("r:id"))].is_external for h in links)
    for h in links:
        assert {r.find(W + "rPr/" + W + "rStyle").get(qn("w:val")) for r in h.iter(W + "r")} == {"Hyperlink"}


def _walk(inlines):
    for node in inlines:
        yield node
        if hasattr(node, "children"):
            yield from _walk(node.children)


# --- styles, page, fonts, language ---------------------------------------------------------------


@pytest.mark.parametrize("size", [16.0, 18.0, 24.0, 32.0])
def test_a4_page_and_large_print_body_size(size):
    word = document(built("pl", size=size))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert all(
        m.mm >= 15 for m in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    )
    normal = word.styles["Normal"]
    assert normal.font.size.pt == size and normal.font.name == "Arial"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert word.styles[name].font.size.pt > size and word.styles[name].font.bold
    for name in ("List Bullet", "List Number", "Notice", "Header", "Footer"):  # nothing smaller
        assert word.styles[name].font.size.pt >= size


@pytest.mark.parametrize("size", [12, 15.5, 33, 72])
def test_sizes_outside_large_print_are_refused(size):
    with pytest.raises(LeafletError, match="pt"):
        writer.write(model("en"), replace(OPTIONS, size=size))


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_italic_and_every_colour_readable(code):
    for name, root in parts(built(code)).items():
        assert root.find(f".//{W}i") is None and root.find(f".//{W}iCs") is None, name
        for colour in root.iter(W + "color"):
            assert contrast(colour.get(qn("w:val"))) >= 4.5, (name, colour.get(qn("w:val")))
    styles = part(built(code), "word/styles.xml")
    for h in ("Heading1", "Heading2", "Heading3"):
        style = styles.find(f"{W}style[@{W}styleId='{h}']")
        assert style.find(f"{W}rPr/{W}color").get(qn("w:val")) == "000000"


@pytest.mark.parametrize("code", TRANSLATED)
def test_complex_script_size_and_bold_go_with_every_size_and_bold(code):
    for name, root in parts(built(code)).items():
        for rpr in root.iter(W + "rPr"):
            tags = {child.tag for child in rpr}
            if W + "sz" in tags:
                assert W + "szCs" in tags and rpr.find(W + "szCs").get(qn("w:val")) == rpr.find(W + "sz").get(
                    qn("w:val")
                ), name
            if W + "b" in tags:
                assert W + "bCs" in tags, name
            fonts = rpr.find(W + "rFonts")
            if fonts is not None and fonts.get(qn("w:ascii")):
                assert fonts.get(qn("w:cs")), name


@pytest.mark.parametrize("code", TRANSLATED)
def test_language_in_document_defaults_and_every_style(code):
    doc = model(code)
    styles = part(built(code), "word/styles.xml")
    script = docx_fonts.script(doc.locale)
    expected = {"val": doc.locale.tag}
    if code in RTL:
        expected["bidi"] = doc.locale.tag
    if code == "zh_Hans":
        expected["eastAsia"] = doc.locale.tag
    langs = [styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")]
    langs += [s.find(f"{W}rPr/{W}lang") for s in styles.iter(W + "style") if s.get(qn("w:type")) == "paragraph"]
    for lang in langs:
        assert {k.rpartition("}")[2]: v for k, v in lang.attrib.items()} == expected
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:" + script.slot)) == dict(script.fonts)[script.slot]
    # no theme fonts (the template's Calibri/Cambria) anywhere
    assert not any(k.endswith("Theme") or k.endswith("theme") for f in styles.iter(W + "rFonts") for k in f.attrib)


def test_script_fonts():
    fonts = {code: dict(docx_fonts.script(model(code).locale).fonts) for code in TRANSLATED}
    assert fonts["ur"]["cs"] == "Noto Nastaliq Urdu" and fonts["ar"]["cs"] == "Noto Naskh Arabic"
    assert fonts["zh_Hans"]["eastAsia"] == "Microsoft YaHei"
    assert fonts["pl"] == {"ascii": "Arial", "hAnsi": "Arial", "eastAsia": "Arial", "cs": "Arial"}
    assert all(f["ascii"] == "Arial" for f in fonts.values())  # digits and Latin names stay in Arial


@pytest.mark.parametrize("code", RTL)
def test_right_to_left_paragraphs_runs_sections_and_styles(code):
    data = built(code)
    doc, script = model(code), docx_fonts.script(model(code).locale)
    body = part(data, "word/document.xml").find(W + "body")
    assert body.find(f"{W}sectPr/{W}bidi") is not None
    english = {s.text for s in doc.notices if s.lang.startswith("en")}
    for p in body.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        bidi = p.find(f"{W}pPr/{W}bidi")
        assert bidi is not None, text[:40]
        assert (bidi.get(qn("w:val")) == "0") == (text in english), text[:40]
        assert p.find(f"{W}pPr/{W}jc") is None  # alignment is left to the bidi default
        for r in p.iter(W + "r"):
            t = "".join(x.text or "" for x in r.iter(W + "t"))
            rtl = r.find(f"{W}rPr/{W}rtl") is not None
            if re.search("[\u0600-\u06ff]", t):
                assert rtl, t
            if re.fullmatch(r"[A-Za-z][\w./:-]*", t):  # a Latin word inside Arabic-script text
                assert not rtl, t
    styles = part(data, "word/styles.xml")
    for style in styles.iter(W + "style"):
        if style.get(qn("w:type")) == "paragraph":
            assert style.find(f"{W}pPr/{W}bidi") is not None
            rpr = style.find(W + "rPr")
            assert rpr.find(W + "rFonts").get(qn("w:cs")) == dict(script.fonts)["cs"]
            assert rpr.find(W + "szCs") is not None
            if rpr.find(W + "b") is not None:
                assert rpr.find(W + "bCs") is not None
    footer = part(data, "word/footer1.xml")
    assert footer.find(f".//{W}pPr/{W}bidi") is not None


def test_left_to_right_copies_have_no_bidi():
    for code in ("en", "pl", "zh_Hans"):
        for name, root in parts(built(code)).items():
            assert root.find(f".//{W}bidi") is None and root.find(f".//{W}rtl") is None, (code, name)


def test_chinese_east_asian_language_and_font():
    styles = part(built("zh_Hans"), "word/styles.xml")
    normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr")
    assert normal.find(W + "lang").get(qn("w:eastAsia")) == "zh-Hans"
    assert normal.find(W + "rFonts").get(qn("w:eastAsia")) == "Microsoft YaHei"


# --- package, properties, footer ---------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_core_properties_from_the_model_and_no_template_leftovers(code):
    doc, data = model(code), built(code)
    props = document(data).core_properties
    assert props.title == doc.title.text
    assert props.language == doc.locale.tag
    assert props.author == doc.meta.organisation
    assert props.subject == doc.meta.department.text
    assert props.keywords == doc.meta.id
    assert props.created.date() == props.modified.date() == BUILD_DATE
    assert (props.last_modified_by, props.comments, props.category, props.revision) == ("", "", "", 0)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        everything = b"".join(z.read(n) for n in names)
    assert not [n for n in names if re.search(r"thumbnail|customXml|stylesWithEffects|app\.xml|theme", n)]
    for leftover in (b"python-docx", b"2013-12-23", b"Calibri", b"Cambria", b"Macintosh", b"rsid"):
        assert leftover not in everything, leftover


def test_output_is_deterministic():
    first = built("ur")
    writer.write(model("pl"), OPTIONS)  # other work in the same process changes nothing
    again = writer.write(model("ur"), OPTIONS)
    assert again == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 5, 1, 0, 0, 0)}
    later = writer.write(model("ur"), replace(OPTIONS, build_date=date(2027, 1, 2)))
    assert later != first
    assert document(later).core_properties.created.date() == date(2027, 1, 2)


@pytest.mark.parametrize("code", TRANSLATED)
def test_footer_has_page_fields_and_leaflet_code(code):
    doc, data = model(code), built(code)
    word = document(data)
    footer = part(data, "word/footer1.xml")
    fields = [f.get(qn("w:instr")).strip() for f in footer.iter(W + "fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    text = word.sections[0].footer.paragraphs[0].text
    assert text.startswith(doc.meta.code + "\t") and doc.meta.version in text
    assert text.replace("\u00a0", " ").endswith(doc.label("page", page="", pages="").text)
    assert "{" not in "".join(t.text for t in footer.iter(W + "t"))
    assert word.sections[0].footer.paragraphs[0].style.name == "Footer"


def test_draft_marks_every_page_header_and_nothing_else():
    data = built("pl", draft=True)
    doc = model("pl", draft=True)
    header = document(data).sections[0].header
    assert not header.is_linked_to_previous
    assert [p.text for p in header.paragraphs] == [doc.label("draft").text]
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in part(data, "word/header1.xml").iter(W + "r"))
    # a release copy has no header at all, and the draft label is nowhere in it
    release = built("pl")
    assert "word/header1.xml" not in parts(release)
    with zipfile.ZipFile(io.BytesIO(release)) as z:
        assert doc.label("draft").text.encode() not in b"".join(z.read(n) for n in z.namelist())


def test_english_stand_ins_are_marked_and_language_tagged(project_copy):
    """A draft from a half-translated catalog: English stands in, marked and tagged en-GB."""
    po_path = project_copy / "locales" / "pl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    po = polib.pofile(str(po_path))
    for entry in po[::2]:
        entry.msgstr = ""
    po.save()
    project = Project(project_copy)
    doc = translate(project.leaflet(LEAFLET), "pl", project.shared_strings, draft=True, locales_dir=project.locales_dir)
    word = document(writer.write(doc, OPTIONS))
    assert [(p.style.name, p.text) for p in word.paragraphs] == expected_paragraphs(doc)
    label = doc.label("untranslated").text
    fallback = [p for p in word.paragraphs if p.text.startswith(label + " ")]
    translated = [p for p in word.paragraphs if not p.text.startswith(label)]
    assert len(fallback) >= 20 and len(translated) >= 20
    for p in fallback:
        assert p.runs[0].text.startswith(label) and p.runs[0].bold
        assert p.runs[0]._r.find(f"{W}rPr/{W}lang") is None  # the label is Polish, like the document
        for r in p.runs[1:]:
            if r.text.strip():
                assert r._r.find(f"{W}rPr/{W}lang").get(qn("w:val")) == "en-GB", r.text
    english = {s.text for s in doc.notices if s.lang == "en-GB"}  # the English line of the review notice
    for p in translated:
        langs = {
            r._r.find(f"{W}rPr/{W}lang") is not None and r._r.find(f"{W}rPr/{W}lang").get(qn("w:val")) for r in p.runs
        }
        assert langs == ({"en-GB"} if p.text in english else {False}), p.text[:40]


# --- hand-built models: lists, notices, mixed direction, errors ------------------------------------


def test_nested_and_numbered_lists_keep_their_structure_and_start():
    nested = ListBlock(True, (ListItem(seg("two a")), ListItem(seg("two b"))), start=1)
    doc = with_blocks(
        "en",
        Heading(2, seg("Lists")),
        ListBlock(False, (ListItem(seg("bullet one"), (nested,)), ListItem(seg("bullet two")))),
        ListBlock(True, (ListItem(seg("three")), ListItem(seg("four"))), start=3),
        ListBlock(True, (ListItem(seg("again one")),)),
    )
    data = writer.write(doc, OPTIONS)
    word = document(data)
    got = [(p.style.name, p.text) for p in word.paragraphs]
    assert got[1:7] == [
        ("Heading 2", "Lists"),
        ("List Bullet", "bullet one"),
        ("List Number 2", "two a"),
        ("List Number 2", "two b"),
        ("List Bullet", "bullet two"),
        ("List Number", "three"),
    ]
    numbering = part(data, "word/numbering.xml")

    def start(p):
        num_id = p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val"))
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        return int(num.find(f"{W}lvlOverride/{W}startOverride").get(qn("w:val")))

    by_text = {p.text: p for p in word.paragraphs}
    assert start(by_text["three"]) == start(by_text["four"]) == 3
    assert start(by_text["again one"]) == 1  # a new list counts from its own start
    num_ids = {
        t: by_text[t]._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")) for t in ("two a", "three", "again one")
    }
    assert len(set(num_ids.values())) == 3


def test_emphasis_is_bold_and_line_breaks_are_breaks():
    para = seg((Text("Take "), Emphasis((Text("two"),)), Text(" tablets"), LineBreak(), Strong((Text("with water"),))))
    word = document(writer.write(with_blocks("en", Paragraph(para)), OPTIONS))
    p = word.paragraphs[-8]  # the body paragraph, before the trust-wide closing blocks
    assert p.text == "Take two tablets\nwith water"
    assert [(r.text, bool(r.bold)) for r in p.runs] == [
        ("Take ", False),
        ("two", True),
        (" tablets\n", False),
        ("with water", True),
    ]
    assert p._p.find(f".//{W}br") is not None


def test_notice_with_a_list_keeps_the_border():
    doc = with_blocks(
        "en",
        Notice(
            (
                Paragraph(seg("Stop eating 6 hours before.")),
                ListBlock(False, (ListItem(seg("no food")), ListItem(seg("no drink")))),
            )
        ),
    )
    data = writer.write(doc, OPTIONS)
    word = document(data)
    notice = word.styles["Notice"].element
    assert notice.find(f"{W}pPr/{W}pBdr/{W}left").get(qn("w:sz")) == "24"  # 3 pt
    items = [p for p in word.paragraphs if p.text in ("no food", "no drink")]
    assert [p.style.name for p in items] == ["List Bullet", "List Bullet"]
    assert all(p._p.find(f"{W}pPr/{W}pBdr") is not None for p in items)
    # the items sit inside the box: the marker where the notice's text starts, the same end inset
    box = notice.find(f"{W}pPr/{W}ind")
    for p in items:
        ind = p._p.find(f"{W}pPr/{W}ind")
        start = int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging")))
        assert start == int(box.get(qn("w:left"))) > 0 and ind.get(qn("w:right")) == box.get(qn("w:right"))
    assert [p.style.name for p in word.paragraphs if p.text.startswith("Stop")] == ["Notice"]


def test_english_stand_in_inside_urdu_is_left_to_right_and_tagged():
    urdu = seg("ایم آر آئی (MRI) اسکین اور Warfarin کے بارے میں", lang="ur")
    english = seg("Patients are asked not to eat.", fallback=True)
    data = writer.write(with_blocks("ur", Paragraph(urdu), Paragraph(english)), OPTIONS)
    word = document(data)
    label = model("ur").label("untranslated").text
    p_ur = next(p for p in word.paragraphs if p.text == urdu.text)
    p_en = next(p for p in word.paragraphs if p.text == label + " " + english.text)
    assert p_ur._p.find(f"{W}pPr/{W}bidi").get(qn("w:val")) is None
    latin = [r for r in p_ur.runs if r.text in ("MRI", "Warfarin")]
    assert len(latin) == 2 and not any(r.font.rtl for r in latin)
    assert all(r.font.rtl for r in p_ur.runs if re.search("[\u0600-\u06ff]", r.text))
    assert p_en._p.find(f"{W}pPr/{W}bidi").get(qn("w:val")) == "0"
    assert p_en.runs[0].text.startswith(label) and p_en.runs[0].font.rtl and p_en.runs[0].bold
    english_runs = [r for r in p_en.runs if "Patients" in r.text]
    assert english_runs and not english_runs[0].font.rtl
    assert english_runs[0]._r.find(f"{W}rPr/{W}lang").get(qn("w:val")) == "en-GB"


@pytest.mark.parametrize("bad", ["\x0b", "\x00", "\x1f", "\ufffe"])
def test_characters_word_cannot_store_are_a_clear_error(bad):
    doc = with_blocks("pl", Paragraph(seg(f"Pacjent{bad} musi", lang="pl", source="Patients must not eat")))
    with pytest.raises(LeafletError) as exc:
        writer.write(doc, OPTIONS)
    message = str(exc.value)
    assert "Patients must not eat" in message and "pl" in message and f"U+{ord(bad):04X}" in message


def test_bad_character_in_a_link_address_is_a_clear_error():
    doc = with_blocks("en", Paragraph(seg((Link("https://example.org/\x01", (Text("site"),)),), source="[site](x)")))
    with pytest.raises(LeafletError, match=r"\[site\]\(x\)"):
        writer.write(doc, OPTIONS)


@pytest.mark.parametrize("levels", [(3,), (2, 3, 2, 1), (2, 4)])
def test_skipped_or_second_level_1_heading_is_refused(levels):
    doc = with_blocks("en", *(Heading(n, seg(f"Heading {i}")) for i, n in enumerate(levels)))
    with pytest.raises(LeafletError, match="level"):
        writer.write(doc, OPTIONS)


def test_empty_translation_is_refused():
    doc = with_blocks("pl", Paragraph(seg(" ", lang="pl", source="Bleeding is a risk")))
    with pytest.raises(LeafletError, match="Bleeding is a risk"):
        writer.write(doc, OPTIONS)


def test_registered_as_word():
    word = formats.get("word")
    assert formats.get("docx") is word and formats.get("Microsoft Word") is word
    assert (word.name, word.extension) == ("word", "docx")
    assert word.unavailable(model("ur").locale) is None


def test_bad_character_in_a_core_property_is_a_clear_error():
    doc = model("pl")
    department = replace(doc.meta.department, inlines=(Text("Zak\x07ad Radiologii"),))
    with pytest.raises(LeafletError, match=r"department.*U\+0007"):
        writer.write(replace(doc, meta=replace(doc.meta, department=department)), OPTIONS)
