"""The large-print PDF writer, checked on the PDF it writes (pdfplumber, pypdf, poppler)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from functools import cache
from io import BytesIO
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

import formats
from formats import Options
from formats.pdf import pages as pdf_pages
from formats.pdf import render as pdf
from leaflets import catalogs, locales
from leaflets.errors import Kind, LeafletError
from leaflets.model import Heading, Notice, Paragraph, Segment, Strong, Text, segments
from leaflets.project import Project
from leaflets.translate import translate
from tests import pdfua

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
LEAFLET = PROJECT.leaflet_ids()[0]
LOCALES = ["en", *catalogs.locale_codes(PROJECT.locales_dir)]
LATIN = [code for code in LOCALES if locales.info(code).script == "Latn"]
RIGHT = pdf_pages.A4[0] - pdf_pages.MARGIN
EMBEDDING = re.compile("[\u202a-\u202e]")


@cache
def leaflet(code: str, draft: bool = False):
    """The seed leaflet in a locale; a draft (English standing in) if its catalogs are incomplete."""
    try:
        return translate(
            PROJECT.leaflet(LEAFLET), code, PROJECT.shared_strings, draft=draft, locales_dir=PROJECT.locales_dir
        )
    except LeafletError:
        if draft:
            raise
        return leaflet(code, True)


@cache
def written(code: str, size: float = 18.0) -> bytes:
    return pdf.write(leaflet(code), Options(size=size, build_date=date(2026, 5, 1)))


@cache
def chars(data: bytes) -> list[list[dict]]:
    """Each page's glyphs but spaces. A glyph standing for no text ("") is kept: the second
    glyph of a cluster (its text is on the first) or an invisible anchor at a cluster's end."""
    with pdfplumber.open(BytesIO(data)) as doc:
        return [[c for c in page.chars if c["text"].strip() or not c["text"]] for page in doc.pages]


def page_texts(data: bytes) -> list[str]:
    """pdftotext's text of each page, without the bidi embedding controls (U+202A-U+202C)
    poppler puts around every right-to-left and left-to-right stretch of a line."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return EMBEDDING.sub("", text).split("\f")[:-1]


def bare(text: str) -> str:
    return "".join(text.split())


def lines(page_chars: list[dict], size: float) -> list[list[dict]]:
    """Characters grouped into lines by their vertical middle (Nastaliq glyphs sit at many
    heights within a line, lines are much further apart)."""
    ordered = sorted(page_chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    out: list[list[dict]] = []
    last = None
    for c in ordered:
        mid = (c["top"] + c["bottom"]) / 2
        if last is None or mid - last > 0.8 * size:
            out.append([])
        out[-1].append(c)
        last = mid
    return out


def words(text: str) -> str:
    return " ".join(text.split())


def headings(doc) -> list[str]:
    found = [doc.title.text]
    for block in doc.blocks + doc.footer:
        if isinstance(block, Heading):
            found.append(block.content.text)
    return found


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)

    walk(reader.outline)
    return out


def custom(code: str, blocks, title: str | None = None):
    """The translated leaflet of a locale with other body blocks (and no footer)."""
    base = leaflet(code)
    meta = base.meta if title is None else replace(base.meta, title=_seg(title, base.locale.tag))
    return replace(base, blocks=tuple(blocks), footer=(), notices=(), meta=meta)


def _seg(text: str, lang: str, *inlines) -> Segment:
    return Segment(inlines or (Text(text),), source=text, lang=lang)


# --- every locale ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", LATIN)
def test_latin_text_is_all_there(code):
    doc, data = leaflet(code), written(code)
    pages = page_texts(data)
    body = ""
    for number, page in enumerate(pages, start=1):
        text = words(page)
        label = words(doc.label("page", page=number, pages=len(pages)).text)
        assert text.endswith(label)
        text = text[: -len(label)]
        if doc.draft:
            draft = words(doc.label("draft").text)
            assert text.startswith(draft)
            text = text[len(draft) :]
        body += " " + text
    body = words(body)
    for seg in [doc.title, *doc.notices, *segments(doc.blocks), *segments(doc.footer)]:
        assert words(seg.text) in body, seg.text[:60]


@pytest.mark.parametrize("code", LOCALES)
def test_every_locale_large_sans_embedded_tagged_and_bookmarked(code):
    doc, data = leaflet(code), written(code)
    everything = [c for page in chars(data) for c in page]
    assert everything
    assert min(c["size"] for c in everything) >= 18 - 0.01
    fonts = {c["fontname"].split("+", 1)[-1] for c in everything}
    assert not any(word in name for name in fonts for word in ("Italic", "Oblique", "Slanted"))
    assert all(name.startswith("Noto") or name.startswith("WenQuanYi") for name in fonts)
    report = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = report.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), report  # emb
    reader = pypdf.PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == doc.locale.tag
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)
    assert reader.metadata.title == doc.title.text
    assert reader.metadata.author == doc.meta.organisation
    assert outline_titles(reader) == headings(doc)
    assert all(c["non_stroking_color"] in ((0,), (0, 0, 0), [0]) for c in everything)
    # nothing lost in any script: the logical text of every block is in the tags, in order
    # (the page numbers and DRAFT marks are artifacts: not in the document's structure)
    with pikepdf.open(BytesIO(data)) as tagged:
        body = bare("".join(text for _, text in pdfua.reading(tagged)))
    expected = [doc.title, *doc.notices, *segments(doc.blocks), *segments(doc.footer)]
    position = 0
    for seg in expected:
        position = body.index(bare(seg.text), position)


def test_page_number_in_the_same_place_on_every_page():
    for code in ("en", "ur"):
        doc, data = leaflet(code), written(code)
        pages = chars(data)
        assert len(pages) > 2
        tops = set()
        for number, page in enumerate(pages, start=1):
            last = lines(page, 18)[-1]
            tops.add(round(max(c["bottom"] for c in last), 1))
            middle = (min(c["x0"] for c in last) + max(c["x1"] for c in last)) / 2
            assert abs(middle - pdf_pages.A4[0] / 2) < 1
            if code == "en":
                label = doc.label("page", page=number, pages=len(pages)).text
                assert "".join(c["text"] for c in sorted(last, key=lambda c: c["x0"])) == label.replace(" ", "")
        assert len(tops) == 1


@pytest.mark.parametrize("size", [16.0, 24.0, 32.0])
def test_any_requested_size_scales_everything(size):
    data = written("en", size)
    everything = [c for page in chars(data) for c in page]
    assert min(c["size"] for c in everything) >= size - 0.01
    assert max(c["size"] for c in everything) >= 1.3 * size  # headings larger
    body = [c for c in everything if abs(c["size"] - size) < 0.01 and "Bold" not in c["fontname"]]
    assert len(body) > 0.5 * len(everything)
    if size == 16.0:  # the smallest size sets the longest lines: still <= 65 characters
        for text in page_texts(data):
            assert max(len(line.rstrip()) for line in text.splitlines()) <= 65


def test_giant_print_takes_more_pages():
    assert len(chars(written("en", 32.0))) > len(chars(written("en", 18.0)))


def test_size_outside_large_print_is_refused():
    for size in (12.0, 40.0):
        with pytest.raises(LeafletError, match="16-32"):
            pdf.write(leaflet("en"), Options(size=size))


def test_leading_and_paragraph_space():
    page = chars(written("en"))[0]
    body = [c for c in page if abs(c["size"] - 18) < 0.01]
    tops = sorted({round(c["top"], 1) for c in body})
    gaps = [b - a for a, b in pairwise(tops)]
    assert min(gaps) >= 1.4 * 18
    assert max(gaps) >= 2 * 1.4 * 18  # a line of space between paragraphs


def test_headings_are_bold_larger_and_never_last_on_a_page():
    for size in (18.0, 24.0, 32.0):
        pages = chars(written("en", size))
        for page in pages[:-1]:
            body = lines(page, size)[:-1]  # without the page number
            last = body[-1]
            assert max(c["size"] for c in last) < size * 1.1, "".join(c["text"] for c in last)
        heading_chars = [c for page in pages for c in page if c["size"] > size * 1.1]
        assert heading_chars and all("Bold" in c["fontname"] for c in heading_chars)


def test_phone_numbers_and_doses_are_never_split():
    for size in (18.0, 24.0, 32.0):
        found = [words(line) for page in page_texts(written("en", size)) for line in page.splitlines()]
        for phrase in ("0118 322 7991", "5 days", "6 hours", "2 hours", "May 2026", "20 minutes"):
            assert any(phrase in line for line in found), (size, phrase)


def test_no_word_is_hyphenated():
    doc = leaflet("en")
    known = set(" ".join(seg.text for seg in doc.all_segments()).split()) | {"Page", "of", pdf_pages.BULLET}
    for size in (18.0, 32.0):
        for page in page_texts(written("en", size)):
            for word in page.split():
                if word in known or word.isdigit():
                    continue
                # only a word longer than a line may be cut, and only after a '/' or '.'
                whole = [k for k in known if word in k and len(k) > 20]
                assert whole and (word[-1] in "/." or any(k.endswith(word) for k in whole)), word


@pytest.mark.slow  # synthesises, renders or starts a program for seconds
def test_same_bytes_for_the_same_input_whatever_was_built_before():
    doc = leaflet("ar")
    assert pdf.write(doc, Options(build_date=date(2026, 5, 1))) == pdf.write(doc, Options(build_date=date(2026, 5, 1)))
    # another process, which first sets the same text in another order (its shaping glyphs are
    # met in another order), must write the same bytes
    script = (
        "import sys; from dataclasses import replace; from datetime import date;"
        "from tests.test_pdf import leaflet; from formats import Options; from formats.pdf import render as pdf;"
        "doc = leaflet('ar'); options = Options(build_date=date(2026, 5, 1));"
        "[pdf.write(replace(doc, blocks=doc.blocks[::-1]), options) for _ in range({before})];"
        "sys.stdout.buffer.write(pdf.write(doc, options))"
    )
    alone, after = (
        subprocess.run(
            [sys.executable, "-c", script.format(root=str(ROOT), before=n)], capture_output=True, check=True, cwd=ROOT
        ).stdout
        for n in (0, 1)
    )
    assert alone == after
    assert pypdf.PdfReader(BytesIO(alone)).metadata["/CreationDate"].startswith("D:20260501")


# --- right to left ---------------------------------------------------------------------------

RTL_TEXT = {
    "ar": (
        "أولاً",
        "قبل الإجراء، يجب عليك التوقف عن تناول الطعام لمدة 6 ساعات والسوائل لمدة "
        "ساعتين. اتصل بقسم الأشعة على الرقم 0118 322 7991 إذا كانت لديك أسئلة عن "
        "الأدوية. يشعر حوالي 50% من المرضى بتحسن كبير في الألم بعد العلاج.",
    ),
    "ur": (
        "پہلے",
        "طریقہ کار سے پہلے آپ کو 6 گھنٹے تک کچھ نہیں کھانا چاہیے اور 2 گھنٹے تک کچھ "
        "نہیں پینا چاہیے۔ کسی بھی سوال کے لیے ریڈیالوجی ڈیپارٹمنٹ کو 0118 322 7991 پر "
        "فون کریں۔ تقریباً 50% مریضوں کو اسکین کے بعد درد میں آرام ملتا ہے۔",
    ),
}
CALL = {
    "ar": ("اتصل", "بقسم الأشعة على الرقم 0118 322 7991 إذا كانت لديك أسئلة"),
    "ur": ("فون", "کریں: ریڈیالوجی ڈیپارٹمنٹ 0118 322 7991 پر کسی بھی وقت"),
}


@pytest.mark.parametrize("code", ["ar", "ur"])
def test_rtl_paragraph_geometry(code):
    tag = locales.info(code).tag
    first, rest = RTL_TEXT[code]
    long = Paragraph(_seg(first + " " + rest, tag, Strong((Text(first),)), Text(" " + rest)))
    bold_first, tail = CALL[code]
    call = Paragraph(_seg(bold_first + " " + tail, tag, Strong((Text(bold_first),)), Text(" " + tail)))
    data = pdf.write(custom(code, [long, call], title="-"), Options())
    page = [c for c in chars(data)[0] if abs(c["size"] - 18) < 0.01]
    found = lines(page, 18)[:-1]  # the last line is the page number
    para, call_line = found[:-1], found[-1]
    assert len(para) >= 3
    for line in found:  # ragged left, flush right
        assert abs(max(c["x1"] for c in line) - RIGHT) < 2.0
    bold = [c for line in para for c in line if "Bold" in c["fontname"]]
    assert bold and all(c in para[0] for c in bold)  # the first word, on line 1 ...
    rightmost = max(para[0], key=lambda c: c["x1"])
    assert "Bold" in rightmost["fontname"]  # ... at its right end
    numbers = ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]) if c["text"].isdigit()) for line in para]
    assert sum("01183227991" in n for n in numbers) == 1  # whole, and left to right
    percent = [c for line in para for c in line if c["text"] == "%"]
    assert percent and all("NotoSans-" in c["fontname"] for c in percent)  # from the fallback font
    # one line: the number between the words before it (right) and after it (left)
    number = [c for c in call_line if c["text"].isdigit()]
    assert "".join(c["text"] for c in sorted(number, key=lambda c: c["x0"])) == "01183227991"
    left, right = min(c["x0"] for c in number), max(c["x1"] for c in number)
    first_word = [c for c in call_line if "Bold" in c["fontname"]]
    assert min(c["x0"] for c in first_word) > right
    others = [c for c in call_line if c not in number and c not in first_word]
    assert any(c["x1"] <= left + 0.5 for c in others) and any(c["x0"] >= right - 0.5 for c in others)


def test_nastaliq_marks_at_the_start_of_a_run_do_not_crash():
    """reportlab raises IndexError in setRise when a line of its Paragraph starts with a glyph
    that is raised or lowered; every run here starts with one."""
    # words whose first drawn glyph is raised or lowered (a final kasra, yeh barree with hamza)
    text = "بِ ۓ لِ کِ " * 30 + "تْ ئ ۂ"
    tag = locales.info("ur").tag
    data = pdf.write(custom("ur", [Paragraph(_seg(text, tag)), Heading(2, _seg("ۓ کِ", tag))]), Options())
    assert len(chars(data)[0]) > 100


# --- fallback fonts and coverage ------------------------------------------------------------


def test_character_in_no_font_is_an_error_naming_it():
    tag = locales.info("ar").tag
    doc = custom("ar", [Paragraph(_seg("نص عربي مع حرف تايلندي ก هنا", tag))])
    with pytest.raises(LeafletError) as caught:
        pdf.write(doc, Options())
    message = str(caught.value)
    assert "U+0E01" in message and "'ก'" in message and "ar" in message
    assert "نص عربي مع حرف" in message  # the msgid


def test_translator_markup_is_printed_as_text():
    text = 'Take <font color="white">two</font> & <b>rest</b> <br/>&amp; 5 < 6 > 4'
    doc = custom("en", [Paragraph(_seg(text, "en-GB"))], title="Markup")
    data = pdf.write(doc, Options())
    assert text in words(page_texts(data)[0])
    page = chars(data)[0]
    assert all(c["non_stroking_color"] in ((0,), (0, 0, 0)) for c in page)
    assert not any("Bold" in c["fontname"] for c in page if c["size"] < 19)


# --- notices, drafts, untranslated text -----------------------------------------------------


def test_notice_is_in_a_thick_box_without_tint():
    warning = "Tell the nurse at once if your legs feel weak or numb after the procedure. " * 3
    body = [
        Paragraph(_seg("Before the box.", "en-GB")),
        Notice((Paragraph(_seg(warning, "en-GB")), Paragraph(_seg("Ring 999.", "en-GB")))),
        Paragraph(_seg("After the box.", "en-GB")),
    ]
    data = pdf.write(custom("en", body, title="Notice"), Options())
    with pdfplumber.open(BytesIO(data)) as reader:
        boxes = reader.pages[0].rects
    assert len(boxes) == 1
    box = boxes[0]
    assert box["linewidth"] >= 2.5 and not box["fill"]  # thick, no tint
    inside = [
        c
        for c in chars(data)[0]
        if box["x0"] < c["x0"] and c["x1"] < box["x1"] and box["top"] < c["top"] and c["bottom"] < box["bottom"]
    ]
    assert "".join(c["text"] for c in inside) == (warning + "Ring 999.").replace(" ", "")
    assert min(c["x0"] for c in inside) - box["x0"] >= 9  # padding inside the border
    tops = sorted({round(c["top"]) for c in inside})
    assert tops[-1] - tops[-2] >= 2 * 1.4 * 18  # a line of space between blocks


@pytest.mark.slow  # synthesises, renders or starts a program for seconds
def test_draft_says_so_on_every_page_and_marks_untranslated_text():
    base = translate(
        PROJECT.leaflet(LEAFLET), "ur", PROJECT.shared_strings, draft=True, locales_dir=PROJECT.locales_dir
    )
    english = translate(PROJECT.leaflet(LEAFLET), "en", PROJECT.shared_strings)
    fallback = {id(b) for b in english.blocks[1:3]}
    blocks = tuple(
        replace(e, content=replace(e.content, fallback=True)) if id(e) in fallback else u
        for u, e in zip(base.blocks, english.blocks, strict=True)
    )
    assert base.draft
    data = pdf.write(replace(base, blocks=blocks), Options())
    pages = chars(data)
    for page, text in zip(pages, page_texts(data), strict=True):  # DRAFT, bold, at the top of every page
        assert bare(text).startswith(bare(base.label("draft").text))
        assert all("Bold" in c["fontname"] for c in lines(page, 18)[0])
    with pikepdf.open(BytesIO(data)) as tagged:  # the English text says so: elements with /Lang
        tagged_english = [e for e in pdfua.elements(tagged) if e.get("/Lang") == "en-GB"]
        read = bare("".join(text for _, text in pdfua.reading(tagged)))
    assert len(tagged_english) >= 3
    marked = bare(base.label("untranslated").text)
    for block in english.blocks[1:3]:  # label, then the English
        assert marked + bare(block.content.text) in read
    with pdfplumber.open(BytesIO(data)) as doc:
        bars = [ln for page in doc.pages for ln in page.lines if ln["x0"] == ln["x1"]]
    assert bars and all(ln["x0"] > RIGHT for ln in bars)  # on the Urdu side: right


def test_unavailable_only_for_scripts_without_fonts():
    for code in ("en", "ur", "ar", "fa", "bn", "hi", "pa", "gu", "ta", "am", "ti", "zh_Hans", "zh_Hant", "ru"):
        assert formats.get("large-print").unavailable(locales.info(code)) is None, code
    reason = formats.get("large-print").unavailable(locales.info("th"))
    assert reason is not None and reason.kind == Kind.NO_FONT and "Thai" in str(reason)
