"""The large-print PDF as assistive technology and text tools meet it: PDF/UA-1 (tests/pdfua.py),
the structure poppler prints, the text pdftotext and pdfplumber extract, links, language."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date
from io import BytesIO

import pdfplumber
import pikepdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from formats import Options
from formats.docx import render as word
from formats.pdf import render as pdf
from formats.pdf.pages import Composer
from formats.text import write as plain_text
from leaflets import locales
from leaflets.model import Link, Paragraph, Segment, Text, segments
from tests import pdfua
from tests.test_pdf import EMBEDDING, LOCALES, bare, custom, leaflet, page_texts, written

SIZES = (18.0, 32.0)
RTL = [code for code in LOCALES if locales.info(code).rtl]
UNSPACED = [code for code in LOCALES if locales.info(code).script in ("Hans", "Hant", "Jpan")]


@pytest.fixture(scope="module")
def opened():
    """Every locale's PDF at 18 and 32 pt, opened once with pikepdf."""
    out = {(code, size): pikepdf.open(BytesIO(written(code, size))) for code in LOCALES for size in SIZES}
    yield out
    for p in out.values():
        p.close()


# --- the checker ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_every_locale_passes_the_pdfua_checker(opened, size):
    failures = {code: [str(f) for f in pdfua.check(opened[(code, size)])] for code in LOCALES}
    assert failures == {code: [] for code in LOCALES}


def test_the_checker_fails_an_untagged_pdf_by_rule():
    untagged = pdf.write(leaflet("ur"), Options(build_date=date(2026, 5, 1)), tagged=False)
    rules = {f.rule for f in pdfua.check(untagged)}
    assert {"5-1", "6.2-1", "7.1-3", "7.1-8", "7.1-11"} <= rules
    # a bare reportlab PDF with a link: no Contents, no Link element, no Tabs
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.drawString(72, 720, "Hello")
    canvas.linkURL("https://www.nhs.uk", (72, 710, 200, 730), relative=0)
    canvas.save()
    rules = {f.rule for f in pdfua.check(out.getvalue())}
    assert {"5-1", "6.2-1", "7.1-3", "7.1-10", "7.1-11", "7.18.3-1", "7.18.5-1", "7.18.5-2", "7.21.4.1-1"} <= rules


def test_the_checker_finds_broken_structure():
    with pikepdf.open(BytesIO(written("en"))) as doc:
        first = next(e for e in pdfua.elements(doc) if str(e.S) == "/LI")
        first.S = pikepdf.Name.P  # an LBody outside an LI, a P in an L
        heading = next(e for e in pdfua.elements(doc) if str(e.S) == "/H2")
        heading.S = pikepdf.Name.H3  # H1 then H3
        doc.Root.MarkInfo.Marked = False
        rules = {f.rule for f in pdfua.check(doc)}
    assert {"6.2-1", "7.2-18", "7.2-19", "7.4.2-1"} <= rules


# --- metadata and language -----------------------------------------------------------------------


@pytest.mark.parametrize("code", LOCALES)
def test_metadata_and_language(opened, code):
    doc, p = leaflet(code), opened[(code, 18.0)]
    assert str(p.Root.Lang) == doc.locale.tag
    assert p.pdf_version >= "1.7"
    with p.open_metadata() as xmp:
        assert xmp["dc:title"] == doc.title.text
        assert set(xmp["dc:language"]) == {doc.locale.tag}
        assert xmp["pdfuaid:part"] == "1"
    other = [seg for seg in doc.notices if seg.lang != doc.locale.tag]  # the English half
    tagged = {(str(e.S), str(e.get("/Lang"))) for e in pdfua.elements(p) if "/Lang" in e}
    for seg in other:
        assert ("/P", seg.lang) in tagged
    if locales.info(code).script not in ("Latn", "Hans"):  # English kept in the translation (NHS,
        # addresses) is a Span in English where Noto Sans draws it (WenQuanYi draws Chinese and Latin alike)
        assert ("/Span", "en-GB") in tagged


# --- text -------------------------------------------------------------------------------------------


def expected_text(code: str) -> str:
    """The plain-text copy with the marks it has and the PDF shows otherwise: the notice bar
    ("| " before each line of a boxed notice) and "-" for a bullet (the PDF prints "•")."""
    text = plain_text(leaflet(code)).decode()
    text = re.sub(r"(?m)^\| ?", "", text)
    return re.sub(r"(?m)^(\s*)- ", r"\1• ", text)


def extracted_text(code: str, size: float) -> str:
    """pdftotext's text without the page furniture the plain text has not got: the page
    number at the foot of each page and a draft's DRAFT line at the head."""
    doc, pages = leaflet(code), page_texts(written(code, size))
    out = []
    for number, page in enumerate(pages, start=1):
        label = bare(doc.label("page", page=number, pages=len(pages)).text)
        draft = bare(doc.label("draft").text) if doc.draft else ""
        text = bare(page)
        assert text.endswith(label) and text.startswith(draft), number
        out.append(_strip(page, draft, label))
    return "\n".join(out)


def _strip(page: str, head: str, foot: str) -> str:
    """A page's text without a head and a foot given without white space."""
    lines = page.strip().splitlines()
    while head and lines and head.startswith(bare(lines[0])):
        head = head[len(bare(lines.pop(0))) :]
    while foot and lines and foot.endswith(bare(lines[-1])):
        foot = foot[: len(foot) - len(bare(lines.pop()))]
    return "\n".join(lines)


@pytest.mark.parametrize("code", [c for c in LOCALES if c not in RTL + UNSPACED])
def test_pdftotext_gives_the_words_of_the_plain_text_in_order(code):
    """Only white space is normalised (pdftotext's line breaks are the PDF's)."""
    assert extracted_text(code, 18.0).split() == expected_text(code).split()


@pytest.mark.parametrize("code", UNSPACED)
def test_pdftotext_gives_chinese_text_in_order(code):
    """All white space set aside: Chinese has no spaces, so each line break would count as a
    word break."""
    assert bare(extracted_text(code, 18.0)) == bare(expected_text(code))


@pytest.mark.parametrize("code", RTL)
def test_pdftotext_gives_right_to_left_words_in_logical_order(code):
    """Every letter and mark in logical order, and the same digits and punctuation. poppler
    (22.12) reorders a right-to-left line itself and puts neutral characters next to a
    left-to-right stretch where they are seen, not read: '(MRI)' comes out '()MRI', '50%'
    '%50', '1-2' '2-1' (UAX #9 shows it "2-1", read right to left), "word. next" "word .next".
    The PDF's own text is logical everywhere: see test_structure_text_is_the_models_in_reading_order."""
    got, want = extracted_text(code, 18.0), expected_text(code)
    assert _letters(got) == _letters(want)
    assert Counter(_others(got)) == Counter(_others(want))


def _letters(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LM")


def _others(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "NPS")


def _model_text(doc) -> str:
    return bare("".join(seg.text for seg in [doc.title, *doc.notices, *segments(doc.blocks), *segments(doc.footer)]))


@pytest.mark.parametrize("code", LOCALES)
def test_the_tags_read_the_models_text_in_order(opened, code):
    """What a screen reader reads from the tags: each marked-content sequence's ActualText in
    structure order, list labels ("•", "1.", in Lbl) aside."""
    marks = "".join(text for role, text in pdfua.reading(opened[(code, 18.0)]) if role != "Lbl")
    assert bare(marks) == _model_text(leaflet(code))


@pytest.mark.parametrize("code", LOCALES)
def test_pdfinfo_struct_text_is_the_models_in_order(code):
    """poppler's structure text (from the glyphs' ToUnicode, not ActualText): the model's text
    in order. Right to left, the first blocks only: poppler takes about 5 ms per marked-content
    sequence there, and every character of Arabic and Urdu is one."""
    doc = leaflet(code)
    if locales.info(code).rtl:
        doc = replace(doc, blocks=doc.blocks[:2], footer=())
    data = written(code) if not locales.info(code).rtl else pdf.write(doc, Options(build_date=date(2026, 5, 1)))
    report = subprocess.run(["pdfinfo", "-struct-text", "-"], input=data, capture_output=True, check=True)
    assert bare(_struct_text(report.stdout.decode())) == _model_text(doc)


def _struct_text(report: str) -> str:
    """The text pdfinfo -struct-text prints, without that of list labels (Lbl)."""
    out, role = [], ""
    for line in report.splitlines():
        quoted = re.fullmatch(r'\s*"(.*)"', line)
        if quoted is None:
            role = line.split()[0] if line.strip() else role
        elif role != "Lbl":
            out.append(quoted.group(1))
    return "".join(out)


@pytest.mark.parametrize(
    "code", ["en", "bn", "zh_Hans", *(pytest.param(c, marks=pytest.mark.slow) for c in ("ar", "ur"))]
)
def test_no_private_use_characters_and_pdfplumber_reads_the_tags_in_order(opened, code):
    data = written(code)
    with pdfplumber.open(BytesIO(data)) as doc:
        chars = [c for page in doc.pages for c in page.chars]
        by_mark = {}
        for number, page in enumerate(doc.pages):
            for c in page.chars:
                if c.get("mcid") is not None:
                    by_mark.setdefault((number, c["mcid"]), []).append(c["text"])
    assert not [c["text"] for c in chars if any(0xE000 <= ord(ch) <= 0xF8FF or ord(ch) >= 0xF0000 for ch in c["text"])]
    p = opened[(code, 18.0)]
    order = _marks_in_order(p)
    via_tags = bare("".join("".join(by_mark.get(m, [])) for m in order))
    assert via_tags == bare("".join(text for _, text in pdfua.reading(p)))


def _marks_in_order(p) -> list[tuple[int, int]]:
    pages = {page.obj.objgen: n for n, page in enumerate(p.pages)}
    out: list[tuple[int, int]] = []

    def walk(e, page):
        page = pages[e.Pg.objgen] if "/Pg" in e else page
        k = e.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]) if k is not None else []:
            if isinstance(kid, int):
                out.append((page, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                out.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, page)

    walk(p.Root.StructTreeRoot.K[0], 0)
    return out


# --- links ------------------------------------------------------------------------------------------


def _links(doc) -> list[str]:
    found = []

    def walk(inlines):
        for node in inlines:
            if isinstance(node, Link):
                found.append(node.url)
            elif hasattr(node, "children"):
                walk(node.children)

    for seg in [doc.title, *doc.notices, *segments(doc.blocks), *segments(doc.footer)]:
        walk(seg.inlines)
    return found


@pytest.mark.parametrize("code", LOCALES)
def test_one_link_annotation_per_link(opened, code):
    doc = leaflet(code)
    for size in SIZES:
        p = opened[(code, size)]
        annots = [a for page in p.pages for a in page.obj.get("/Annots", [])]
        assert [str(a.A.URI) for a in annots] == _links(doc), size
        parents = pikepdf.NumberTree(p.Root.StructTreeRoot.ParentTree)
        for a in annots:
            assert str(parents[int(a.StructParent)].S) == "/Link"
            assert str(a.Contents).strip()
            quads = list(a.QuadPoints)
            assert len(quads) % 8 == 0 and quads


def test_a_link_wrapped_over_lines_is_one_annotation_with_a_quad_per_line():
    url = "https://www.nhs.uk/conditions/osteoporosis/"
    words = "Read about thinning of the bones and what you can do about it on the NHS website"
    para = Paragraph(Segment((Text("Before. "), Link(url, (Text(words),)), Text(" after.")), "x", "en-GB"))
    data = pdf.write(custom("en", [para], title="Links"), Options(size=32.0))
    with pikepdf.open(BytesIO(data)) as p:
        annots = list(p.pages[0].obj.Annots)
        assert len(annots) == 1
        assert len(annots[0].QuadPoints) >= 3 * 8  # the link's text wraps over three lines or more
        assert words in str(annots[0].Contents)


# --- large sizes ----------------------------------------------------------------------------------


ADDRESS = re.compile(r"(?:https?://)?www\.[\w./-]*\w|0\d{3} \d{3} \d{4}")


@pytest.mark.parametrize("code", ["en", "pl", "ar", "ur", "zh_Hans"])
def test_addresses_and_phone_numbers_are_whole_unless_wider_than_a_line(code):
    """At 32 pt an address too wide for a line breaks only after '/' or '.', no hyphen."""
    doc = leaflet(code)
    text = "\n".join(page_texts(written(code, 32.0)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    composer = Composer(doc, 32.0)
    for address in sorted({m.group(0) for seg in doc.all_segments() for m in ADDRESS.finditer(seg.text)}):
        shown = address.split("://")[-1]
        if any(shown in line for line in lines):
            continue
        one = composer.set(Segment((Text(shown),), shown, "en-GB"))
        assert len(one.lines) > 1, f"{shown} fits on a line but was split"
        pieces = [next(ln for ln in lines if part in ln) for part in _parts(one)]
        assert all(part[-1] in "/." for part in _parts(one)[:-1]), pieces


def _parts(lines) -> list[str]:
    return ["".join(p.text for p in line.pieces) for line in lines.lines]


def test_the_bilingual_notice_is_on_one_page_at_32pt(opened):
    for code in [c for c in LOCALES if leaflet(c).notices]:
        p = opened[(code, 32.0)]
        box = next(e for e in pdfua.elements(p) if str(e.S) == "/Div")
        pages = {_page_of(p, mark) for mark in _kids_marks(box)}
        assert len(pages) == 1, code


def _kids_marks(e):
    for k in e.K:
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield from ((k, kid) for kid in k.K)


def _page_of(p, mark) -> int:
    element, kid = mark
    page = kid.Pg if isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid else element.Pg
    return next(n for n, pg in enumerate(p.pages) if pg.obj.objgen == page.objgen)


# --- nothing visible changes ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("code", ["en", "ar", "ur", "bn", "zh_Hans"])
def test_tagging_changes_nothing_visible(code, tmp_path):
    """The tagged and the untagged writer draw the same pixels (first two pages, 40 dpi)."""
    options = Options(build_date=date(2026, 5, 1))
    for name, data in (("tagged", written(code)), ("untagged", pdf.write(leaflet(code), options, tagged=False))):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-l", "2", "-gray", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
            check=True,
        )
    for page in ("1", "2"):
        tagged = next(tmp_path.glob(f"tagged-*{page}.pgm")).read_bytes()
        untagged = next(tmp_path.glob(f"untagged-*{page}.pgm")).read_bytes()
        assert tagged == untagged, page


@pytest.mark.slow
def test_the_bilingual_notice_is_on_one_page_at_32pt_in_word_too(tmp_path):
    """LibreOffice lays out the Urdu Word copy at 32 pt: the notice's border is drawn on one
    page only, the page with the English half (before, the Urdu half was on page 1 and the
    English on page 2)."""
    libreoffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not libreoffice:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    doc = leaflet("ur")
    (tmp_path / "ur.docx").write_bytes(word.write(doc, Options(size=32.0, build_date=date(2026, 5, 1))))
    subprocess.run(
        [
            *(libreoffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "ur.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    english = " ".join(doc.notices[-1].text.split()[:4])
    with pdfplumber.open(tmp_path / "ur.pdf") as laid_out:
        pages = laid_out.pages[:4]
        texts = [" ".join(EMBEDDING.sub("", page.extract_text() or "").split()) for page in pages]
        boxed = [n for n, page in enumerate(pages) if any(e.get("linewidth", 0) >= 2 for e in page.edges)]
    assert [n for n, text in enumerate(texts) if english in text] == boxed and len(boxed) == 1


def test_the_checker_counts_an_untagged_inline_image():
    """The checker parses only the operators its rules read, except on a page with an inline image
    (a filtered parse would drop it): that image is still untagged content."""
    blank = pikepdf.new()
    blank.add_blank_page()
    blank.pages[0].obj.Contents = blank.make_stream(b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q")
    found = [str(f) for f in pdfua.check(blank) if f.rule == "7.1-3"]
    assert found == ["7.1-3: page 1: 1 content items neither tagged (MCID) nor artifacts"]
