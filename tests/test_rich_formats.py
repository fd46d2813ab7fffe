"""A leaflet with a table and a picture in every format, in English, Polish, Urdu and Chinese (issue 23):
each test reads the table's cells and the picture's description back out of the made file (PDF tags,
the docx XML, the EPUB's XHTML, the narration's text, braille read back by liblouis, the plain text).

The translations are unreviewed samples (tests/rich_leaflet.py)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pikepdf
import pytest
from lxml import etree

import formats
from formats.audio.render import script
from formats.braille import louis, tables
from formats.braille.render import render as braille_render
from formats.pdf.pages import Composer
from leaflets.model import Leaflet, Picture, Table, segments
from leaflets.project import Project
from leaflets.translate import translate
from tests import pdfua, rich_leaflet
from tests.conftest import ROOT

OPTIONS = formats.Options()
JOINT = {"en": ": ", "pl": ": ", "ur": ": ", "zh_Hans": "："}  # between a heading and its cell (`table_cell`)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Leaflet]:
    root = tmp_path_factory.mktemp("rich") / "proj"
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    rich_leaflet.make(root)
    project = Project(root)
    leaflet = project.leaflet(rich_leaflet.ID)
    return {
        code: translate(leaflet, code, project.shared_strings, locales_dir=project.locales_dir)
        for code in rich_leaflet.LOCALES
    }


def table(doc: Leaflet) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table))


def picture(doc: Leaflet) -> Picture:
    return next(b for b in doc.blocks if isinstance(b, Picture))


def cells(doc: Leaflet) -> list[list[str]]:
    """The table as the model has it in the document's language: header row, then body rows."""
    t = table(doc)
    return [[h.text for h in t.header]] + [[c.text if c else "" for c in row] for row in t.rows]


def test_the_sample_translations_are_in_their_languages(docs):
    assert cells(docs["pl"])[0] == ["Grupa żywności", "Co można jeść", "Czego unikać"]
    assert cells(docs["ur"])[1][0] == "روٹی" and cells(docs["zh_Hans"])[3][2] == "所有水果"
    assert all(seg.lang == docs[c].locale.tag for c in ("pl", "ur", "zh_Hans") for seg in table(docs[c]).cells())
    assert {docs[c].review for c in ("pl", "ur", "zh_Hans")} == {"unreviewed"}


# --- plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", rich_leaflet.LOCALES)
def test_text_has_every_cell_and_the_picture_in_the_language(docs, code):
    doc = docs[code]
    out = formats.get("text").write(doc, OPTIONS).decode()
    for row in cells(doc):
        for cell in filter(None, row):
            assert cell in out, (code, cell)
    word = {"en": "Picture: ", "pl": "Ilustracja: ", "ur": "تصویر: ", "zh_Hans": "图片："}[code]
    assert f"[{word}{picture(doc).alt.text}]" in out
    assert picture(doc).caption.text in out
    if code == "en":  # aligned columns: each row on one line, cells in column order
        assert re.search(r"^Drinks +\| Water, clear soup +\| Milk$", out, re.M)
    if code == "ur":  # right-to-left: a list of rows, each cell after its header
        assert "1. کھانے کی قسم: روٹی\n   آپ کیا کھا سکتے ہیں: سفید روٹی" in out


# --- Word ----------------------------------------------------------------------------------------


def _docx_xml(doc: Leaflet) -> etree._Element:
    data = formats.get("word").write(doc, OPTIONS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.mark.parametrize("code", rich_leaflet.LOCALES)
def test_word_has_a_real_table_with_a_repeating_header_and_the_picture_described(docs, code):
    doc = docs[code]
    xml = _docx_xml(doc)
    (tbl,) = xml.iter(f"{W}tbl")
    rows = tbl.findall(f"{W}tr")
    got = [["".join(tc.itertext()) for tc in tr.findall(f"{W}tc")] for tr in rows]
    assert got == cells(doc)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in rows[1:])
    assert (tbl.find(f"{W}tblPr/{W}bidiVisual") is not None) == doc.locale.rtl  # RTL: first column on the right
    doc_pr = next(xml.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert doc_pr.get("descr") == picture(doc).alt.text


@pytest.mark.slow
def test_word_table_and_picture_through_libreoffice(docs, tmp_path):
    """LibreOffice opens the Word copy as a table with header rows (repeated on each page) and a
    picture with its description, and keeps every cell."""
    for code in ("en", "ur"):
        path = tmp_path / f"{code}.docx"
        path.write_bytes(formats.get("word").write(docs[code], OPTIONS))
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        odt = etree.parse(str(tmp_path / f"{code}.fodt"))
        ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0", "svg": SVG_NS}
        (grid,) = odt.iterfind(".//table:table", ns)
        assert len(grid.findall("table:table-header-rows/table:table-row", ns)) == 1
        rows = grid.findall(".//table:table-row", ns)
        got = [[" ".join("".join(c.itertext()).split()) for c in row.findall("table:table-cell", ns)] for row in rows]
        assert got == cells(docs[code])
        assert [d.text for d in odt.iterfind(".//svg:desc", ns)] == [picture(docs[code]).alt.text]


# --- EPUB ----------------------------------------------------------------------------------------


def _book(doc: Leaflet) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(formats.get("epub").write(doc, OPTIONS)))


@pytest.fixture(scope="module")
def books(docs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    out = {}
    for code, doc in docs.items():
        path = folder / f"{code}.epub"
        path.write_bytes(formats.get("epub").write(doc, OPTIONS))
        out[code] = path
    return out


@pytest.mark.slow
@pytest.mark.parametrize("code", rich_leaflet.LOCALES)
def test_epub_table_has_th_scope_and_the_figure_its_alt_and_caption(docs, books, code):
    doc = docs[code]
    with zipfile.ZipFile(books[code]) as book:
        page = etree.fromstring(book.read("OEBPS/leaflet.xhtml"))
        opf = book.read("OEBPS/package.opf").decode()
        smil = (
            book.read("OEBPS/leaflet.smil").decode()
            if code != "zh_Hans" or "OEBPS/leaflet.smil" in book.namelist()
            else ""
        )
        assert book.read("OEBPS/images/drinks.png") == picture(doc).data
    (tbl,) = page.iter(f"{XHTML}table")
    ths = tbl.findall(f"{XHTML}thead/{XHTML}tr/{XHTML}th")
    assert [th.get("scope") for th in ths] == ["col"] * 3
    got = [["".join(th.itertext()) for th in ths]] + [
        ["".join(td.itertext()) for td in tr.findall(f"{XHTML}td")] for tr in tbl.findall(f"{XHTML}tbody/{XHTML}tr")
    ]
    assert got == cells(doc)
    (figure,) = page.iter(f"{XHTML}figure")
    assert figure.find(f"{XHTML}img").get("alt") == picture(doc).alt.text
    assert "".join(figure.find(f"{XHTML}figcaption").itertext()) == picture(doc).caption.text
    assert 'href="images/drinks.png"' in opf and 'media-type="image/png"' in opf
    assert "alternativeText" in opf
    if smil:  # the read-along highlights each cell and the picture while they are heard
        td_id = tbl.find(f"{XHTML}tbody/{XHTML}tr/{XHTML}td").get("id")
        assert f'#{td_id}"' in smil and f'#{figure.get("id")}"' in smil


@pytest.mark.slow
def test_epubcheck_and_ace_find_nothing(books, tmp_path):
    from tests.validators import epub as validators

    results = validators.epubcheck(list(books.values()))
    assert {p.name: m for p, m in results.items() if m} == {}
    found = {code: validators.ace(path, tmp_path / code) for code, path in books.items()}
    assert {code: v for code, v in found.items() if v} == {}


# --- large print ---------------------------------------------------------------------------------


def _pdf(doc: Leaflet, size: float = 18.0) -> bytes:
    return formats.get("large-print").write(doc, replace(OPTIONS, size=size))


@pytest.mark.parametrize("code", rich_leaflet.LOCALES)
@pytest.mark.parametrize("size", [18.0, 32.0])
def test_large_print_tags_the_table_and_the_figure_and_passes_pdfua(docs, code, size):
    doc = docs[code]
    data = _pdf(doc, size)
    assert pdfua.check(data) == []
    pdf = pikepdf.Pdf.open(io.BytesIO(data))
    (found,) = pdfua.table_cells(pdf)
    stacked = found[0][0][1] == "Row"
    if stacked:  # each body row: its header (TH Scope Row) and cell (TD), column by column
        got = [[text.strip() for role, _, text in row if role == "TD"] for row in found]
        joint = JOINT[code].rstrip()  # the language's own (Chinese: full-width)
        assert all(text.strip().endswith(joint) for row in found for role, _, text in row if role == "TH" and text)
        heads = [[text.strip().removesuffix(joint) for role, _, text in row if role == "TH"] for row in found]
        assert got == cells(doc)[1:]  # an empty cell is not printed: its header neither, both tagged empty
        assert heads == [[h if c else "" for h, c in zip(cells(doc)[0], row, strict=True)] for row in got]
    else:
        assert [[(role, scope) for role, scope, _ in row] for row in found] == [[("TH", "Column")] * 3] + [
            [("TD", "")] * 3
        ] * 3
        assert [[text.strip() for *_, text in row] for row in found] == cells(doc)
    figures = [e for e in pdfua.elements(pdf) if e.S == "/Figure"]
    assert len(figures) == 1 and str(figures[0].Alt) == picture(doc).alt.text
    box = [float(v) for v in figures[0].A.BBox]
    assert box[0] < box[2] and box[1] < box[3]


def test_large_print_stacks_narrow_columns_and_keeps_the_grid_when_they_fit(docs):
    def roles(size: float) -> set[str]:
        (found,) = pdfua.table_cells(pikepdf.Pdf.open(io.BytesIO(_pdf(docs["en"], size))))
        return {scope for row in found for _, scope, _ in row if scope}

    assert roles(18.0) == {"Column"} and roles(32.0) == {"Row"}


def test_right_to_left_tables_mirror_their_column_order(docs):
    """In Urdu the first column is on the right: the header cells, in reading order, step leftwards."""
    for code, step in (("en", 1), ("ur", -1)):
        rows = Composer(docs[code], 18.0).document()
        header = next(r for r in rows if r.header and r.items)
        xs = [p.x for p in header.items]
        assert xs == sorted(xs, reverse=step < 0) and len(set(xs)) == 3, code


def test_a_long_table_repeats_its_header_on_each_page_but_tags_it_once(docs, tmp_path):
    doc = docs["en"]
    t = table(doc)
    long = replace(doc, blocks=tuple(replace(b, rows=t.rows * 12) if b is t else b for b in doc.blocks))
    data = _pdf(long)
    assert pdfua.check(data) == []
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    texts = pages.stdout.split("\f")
    with_rows = [p for p in texts if "Wholemeal" in p]
    assert len(with_rows) >= 2 and all(re.search(r"Food group +What you can", p) for p in with_rows)
    (found,) = pdfua.table_cells(pikepdf.Pdf.open(io.BytesIO(data)))
    assert [r for r in found if r[0][0] == "TH"] == [found[0]] and len(found) == 1 + 36


# --- audio and transcript --------------------------------------------------------------------


@pytest.mark.parametrize("code", rich_leaflet.LOCALES)
def test_the_narration_announces_the_table_and_reads_each_cell_after_its_header(docs, code):
    doc = docs[code]
    said = [part.written for part in script(doc)]
    heads = [h.text for h in table(doc).header]
    announcement = doc.label("audio_table", count=3, headers=", ".join(heads)).text
    at = said.index(announcement)
    expected = [f"{h}{JOINT[code]}{c}" for row in cells(doc)[1:] for h, c in zip(heads, row, strict=True) if c]
    assert said[at + 1 : at + 1 + len(expected)] == expected
    assert said[at + 1 + len(expected)] == doc.label("audio_table_end").text
    assert doc.label("picture", alt=picture(doc).alt.text).text in said
    quote = said.index(doc.label("audio_quote").text)
    assert said[quote + 2] == doc.label("audio_quote_end").text  # the one paragraph of the quotation between
    if code == "en":
        assert announcement == "A table of 3 rows: Food group, What you can eat, Avoid."
        assert said[quote + 1] == "I found the clear soup easy."


@pytest.mark.slow
@pytest.mark.parametrize("code", ["en", "ur"])
def test_the_transcript_has_the_cells_and_the_picture(docs, code):
    doc = docs[code]
    vtt = formats.get("transcript").write(doc, OPTIONS).decode()
    heads = [h.text for h in table(doc).header]
    for row in cells(doc)[1:]:
        for head, cell in zip(heads, row, strict=True):
            if cell:
                assert f"{head}{JOINT[code]}{cell}" in vtt
    assert doc.label("picture", alt=picture(doc).alt.text).text in vtt


# --- braille -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["en", "pl", "ur", "zh_Hans"])
def test_braille_reads_rows_as_heading_and_value_and_the_picture_by_its_description(docs, code):
    doc = docs[code]
    code_ = tables.code_for(doc.locale, 2)
    assert code_ is not None
    pages = braille_render(doc, OPTIONS).pages
    flat = "".join("".join(line.split()) for page in pages for line in page)
    unspaced = "".join(flat.split("\u2800"))

    def cells_of(text: str) -> str:
        return "".join(louis.translate(code_.tables, text).replace("\u2800", "").split())

    for row in cells(doc)[1:]:
        for head, cell in zip(cells(doc)[0], row, strict=True):
            if cell:  # each value after its column's heading
                assert cells_of(f"{head}{JOINT[code]}{cell}") in unspaced or cells_of(cell) in unspaced, (code, cell)
    assert cells_of(doc.label("picture", alt=picture(doc).alt.text).text) in unspaced
    if code in ("en", "pl"):  # read back: the words of every cell come back
        back = " ".join(louis.back_translate(code_.tables, line) for page in pages for line in page[1:])
        for row in cells(doc):
            for cell in filter(None, row):
                for word in re.findall(r"\w+", cell):
                    assert word.casefold() in back.casefold(), (code, word)


def test_every_cell_and_the_alt_text_are_segments_of_the_translated_model(docs):
    """The checks and the coverage test see cells and alt text as they see paragraphs."""
    doc = docs["ur"]
    texts = {seg.text for seg in segments(doc.blocks)}
    assert {c for row in cells(doc) for c in row if c} <= texts and picture(doc).alt.text in texts


def test_an_untranslated_cell_of_a_draft_is_marked_in_the_large_print(docs):
    """In a proof-reading copy, an English cell says so in its cell, as untranslated paragraphs do."""
    doc = docs["pl"]
    t = table(doc)
    english = replace(t.rows[1][2], inlines=table(docs["en"]).rows[1][2].inlines, lang="en-GB", fallback=True)
    rows = (t.rows[0], (*t.rows[1][:2], english), t.rows[2])
    draft = replace(doc, draft=True, blocks=tuple(replace(b, rows=rows) if b is t else b for b in doc.blocks))
    data = _pdf(draft)
    assert pdfua.check(data) == []
    (found,) = pdfua.table_cells(pikepdf.Pdf.open(io.BytesIO(data)))
    (milk,) = [text for row in found for role, _, text in row if role == "TD" and "Milk" in text]
    assert milk.split() == ["Jeszcze", "nieprzetłumaczone:", "Milk"]  # the label, then the English, in the cell


SVG_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 120">'
    b'<rect x="20" y="20" width="60" height="90" fill="none" stroke="#1f5fa0" stroke-width="6"/>'
    b'<circle cx="170" cy="70" r="40" fill="#1f5fa0"/></svg>'
)


def test_an_svg_picture_is_drawn_in_the_large_print_and_word_and_kept_as_svg_in_the_epub(docs):
    doc = docs["en"]
    old = picture(doc)
    svg = replace(old, name="drinks.svg", data=SVG_PICTURE, media_type="image/svg+xml", width=240, height=120)
    doc = replace(doc, blocks=tuple(svg if b is old else b for b in doc.blocks))
    data = _pdf(doc)
    assert pdfua.check(data) == []
    with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
        images = [x for page in pdf.pages for x in page.get_images().values()]
        assert len(images) == 1 and pikepdf.PdfImage(images[0]).width > 240  # a raster at 300 per inch
    word = formats.get("word").write(doc, OPTIONS)
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and z.read(media[0]).startswith(b"\x89PNG")
    with _book(doc) as book:
        assert book.read("OEBPS/images/drinks.svg") == SVG_PICTURE
