"""The read-along EPUB: structure, language, text, overlays, accessibility metadata, and the real
validators (EPUBCheck, DAISY Ace) on every sample locale."""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

import formats
from formats.audio import Audio, narration
from formats.epub import book, overlay, xhtml
from formats.epub.fonts import FONT_ROOT as fonts_dir
from formats.epub.fonts import WHOLE
from formats.text import write as plain_text
from leaflets.model import Leaflet
from leaflets.project import Project
from leaflets.translate import translate
from tests import narrated
from tests.validators import epub as validators

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = formats.Options(build_date=date(2026, 5, 1))
NS = {"h": xhtml.XHTML, "opf": book.OPF_NS, "dc": book.DC_NS, "s": overlay.SMIL_NS}
PROJECT = Project(ROOT)
LOCALES = PROJECT.locale_codes()
# A voiced locale's EPUB needs its real narration (seconds of speech synthesis): slow, as the marker
# says; `-m 'not slow'` still checks every structural rule on the locales without a voice.
BY_LOCALE = [pytest.param(c, marks=pytest.mark.slow) if c in narrated.LOCALES else c for c in LOCALES]


def _doc(code: str) -> Leaflet:
    return translate(PROJECT.leaflet("RAD_0009"), code, PROJECT.shared_strings, locales_dir=PROJECT.locales_dir)


class Books(dict):
    """Each sample locale's EPUB, written the first time a test asks for it (the voiced ones
    synthesise speech, so each is made once for the module)."""

    def __init__(self, out: Path):
        super().__init__()
        self.out = out

    def __missing__(self, code: str) -> tuple[Leaflet, Path]:
        if code in narrated.LOCALES:
            narrated.narrations()  # every voiced locale at once, two processes at a time
        doc = _doc(code)
        path = self.out / f"RAD_0009.{code}.epub"
        path.write_bytes(formats.get("epub").write(doc, OPTIONS))
        self[code] = (doc, path)
        return self[code]

    def all(self) -> dict[str, tuple[Leaflet, Path]]:
        return {code: self[code] for code in LOCALES}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Iterator[Books]:
    """The EPUBs, made from the session's narrations (tests/narrated.py: one real synthesis per
    locale, shared with the audio tests) wherever the document and rate are the session's."""
    real = narration.narrate

    def shared(doc: Leaflet, options: formats.Options):
        code = doc.locale.code
        if code in narrated.LOCALES and options.rate == formats.Options().rate and doc == narrated.document(code):
            return narrated.narration(code)
        return real(doc, options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(narration, "narrate", shared)
        yield Books(tmp_path_factory.mktemp("epub"))


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(_part(path, "OEBPS/" + name))


def _voiced(code: str) -> bool:
    return Audio().unavailable(_doc(code).locale) is None


@pytest.mark.parametrize("code", BY_LOCALE)
def test_zip_starts_with_the_stored_mimetype(books, code):
    _, path = books[code]
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
    assert path.read_bytes()[30:38] == b"mimetype"  # right after the first local header


@pytest.mark.parametrize("code", BY_LOCALE)
def test_language_and_direction_on_every_element_that_needs_them(books, code):
    doc, path = books[code]
    root = _xml(path, xhtml.CONTENT)
    assert root.get("lang") == doc.locale.tag and root.get(f"{{{etree.QName(xhtml.XML_LANG).namespace}}}lang")
    assert root.get("dir") == doc.locale.direction
    for el in root.iter():
        if el.get("lang") and el is not root:
            assert el.get(xhtml.XML_LANG) == el.get("lang") and el.get("dir") in ("ltr", "rtl")
    if doc.review == "unreviewed":  # the English half of the bilingual notice is tagged English
        english = root.xpath("//h:div[@class='review']/h:p[@lang='en-GB']", namespaces=NS)
        assert english and english[0].get("dir") == "ltr"
    spine = _xml(path, book.PACKAGE).find("opf:spine", NS)
    assert spine.get("page-progression-direction") == ("rtl" if doc.locale.rtl else None)


def _words(text: str) -> list[str]:
    return text.split()


def _read(el: etree._Element) -> str:
    """An element's text as a reader hears it: a line break is a break between words."""
    out = [el.text or ""]
    for child in el:
        out.append("\n" if etree.QName(child).localname == "br" else _read(child))
        out.append(child.tail or "")
    return "".join(out)


@pytest.mark.parametrize("code", BY_LOCALE)
def test_text_in_reading_order_is_the_plain_text_copy(books, code):
    """The words a reading system reads, in order, are the plain-text copy's words. The plain
    text marks list items ('-', '1.') and notices ('|') and writes out link addresses in
    brackets; the XHTML has real lists, a notice box and real links instead."""
    doc, path = books[code]
    content = _xml(path, xhtml.CONTENT)
    words = _words(" ".join(_read(el) for el in content.iter() if el.get("id", "").startswith("s")))
    plain = plain_text(doc).decode("utf-8")
    plain = re.sub(r"^\s*(?:-|\d+\.|\|)\s", "", plain, flags=re.M)
    plain = re.sub(r" \((?:https?|mailto):[^)\s]+\)", "", plain)
    assert words == _words(plain)


@pytest.mark.parametrize("code", BY_LOCALE)
def test_navigation_lists_every_section_and_subsection(books, code):
    _, path = books[code]
    content = _xml(path, xhtml.CONTENT)
    ids = {el.get("id"): el for el in content.iter() if el.get("id")}
    nav = _xml(path, xhtml.NAV)
    toc = nav.xpath("//h:nav[@role='doc-toc']", namespaces=NS)[0]
    assert toc.get("{http://www.idpf.org/2007/ops}type") == "toc"
    targets = [a.get("href").split("#")[1] for a in toc.iter(f"{{{xhtml.XHTML}}}a")]
    headings = [el.get("id") for el in content.iter() if etree.QName(el).localname in ("h1", "h2", "h3")]
    assert targets == headings and all(t in ids for t in targets)
    nested = toc.xpath("h:ol/h:li/h:ol/h:li/h:a", namespaces=NS)
    assert [a.get("href").split("#")[1] for a in nested] == [
        el.get("id") for el in content.iter(f"{{{xhtml.XHTML}}}h3")
    ]


@pytest.mark.parametrize("code", BY_LOCALE)
def test_accessibility_metadata_says_what_the_build_did(books, code):
    doc, path = books[code]
    meta = {}
    for m in _xml(path, book.PACKAGE).iterfind("opf:metadata/opf:meta", NS):
        if not m.get("refines"):
            meta.setdefault(m.get("property"), []).append(m.text)
    voiced = _voiced(code)
    assert meta["schema:accessMode"] == (["textual", "auditory"] if voiced else ["textual"])
    assert ("synchronizedAudioText" in meta["schema:accessibilityFeature"]) is voiced
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"} <= set(
        meta["schema:accessibilityFeature"]
    )
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    summary = meta["schema:accessibilitySummary"][0]
    assert ("read aloud" in summary) is voiced and (f"no synthetic voice for {doc.locale.english_name}" in summary) is (
        not voiced
    )
    assert ("not yet been checked by a clinician" in summary) is (doc.review == "unreviewed")
    with zipfile.ZipFile(path) as z:
        assert any(n.endswith(".smil") for n in z.namelist()) is voiced


@pytest.mark.slow  # every locale but Somali is voiced: synthesis
@pytest.mark.parametrize("code", [c for c in LOCALES if c != "so"])
def test_overlay_clips_point_at_text_in_order_and_add_up(books, code):
    doc, path = books[code]
    if not _voiced(code):
        pytest.skip(f"no voice for {code}")
    content = _xml(path, xhtml.CONTENT)
    ids = {el.get("id") for el in content.iter() if el.get("id")}
    smil = _xml(path, overlay.SMIL)
    pars = smil.findall(".//s:par", NS)
    spoken = [el.get("id") for el in content.iter() if el.get("id", "").startswith("s")]
    assert [p.find("s:text", NS).get("src") for p in pars] == [f"{xhtml.CONTENT}#{i}" for i in spoken]
    assert all(p.find("s:text", NS).get("src").split("#")[1] in ids for p in pars)
    clips = [(float(a.get("clipBegin")[:-1]), float(a.get("clipEnd")[:-1])) for a in smil.iterfind(".//s:audio", NS)]
    assert all(b < e for b, e in clips)
    assert all(e1 <= b2 for (_, e1), (b2, _) in itertools.pairwise(clips))  # in order, no overlap
    durations = {
        m.get("refines"): m.text
        for m in _xml(path, book.PACKAGE).iterfind("opf:metadata/opf:meta", NS)
        if m.get("property") == "media:duration"
    }
    h, m, s = durations["#overlay"].split(":")
    declared = int(h) * 3600 + int(m) * 60 + float(s)
    assert abs(sum(e - b for b, e in clips) - declared) <= 0.010
    assert durations[None] == durations["#overlay"]
    audio = _part(path, "OEBPS/" + overlay.AUDIO)
    assert audio == formats.get("audio").write(doc, OPTIONS)  # the same speech as the MP3 copy
    assert clips[-1][1] <= len(audio) and clips[-1][1] < 3600


@pytest.mark.slow  # voiced locales: synthesis
@pytest.mark.parametrize("code", ["ur", "bn", "pa", "ne"])
def test_scripts_readers_lack_have_an_embedded_font_that_covers_the_text(books, code):
    _, path = books[code]
    with zipfile.ZipFile(path) as z:
        fonts = [n for n in z.namelist() if n.endswith(".ttf")]
        assert len(fonts) == 2  # regular and bold
        text = {ord(c) for c in " ".join(_xml(path, xhtml.CONTENT).itertext()) if not c.isspace()}
        script_chars = {c for c in text if c > 0x0590}
        for name in fonts:
            cmap = TTFont(BytesIO(z.read(name))).getBestCmap()
            assert script_chars <= set(cmap), name
            installed = (fonts_dir / Path(name).name).read_bytes()
            if Path(name).stem.rsplit("-", 1)[0] in WHOLE:
                assert z.read(name) == installed, name  # Nastaliq whole (a subset keeps most of it)
            else:
                assert len(z.read(name)) < 0.8 * len(installed), name  # a subset, not all of it
    css = _part(path, "OEBPS/" + xhtml.STYLE).decode()
    assert css.count("@font-face") == 2 and "!important" not in css


@pytest.mark.slow  # a voiced locale, written twice
def test_same_bytes_for_the_same_input(books):
    doc, path = books["ar"]
    assert formats.get("epub").write(doc, OPTIONS) == path.read_bytes()


def test_a_control_character_is_a_clear_error_not_a_lost_character(books):
    from dataclasses import replace

    from leaflets.errors import LeafletError
    from leaflets.model import Paragraph, Segment, Text

    doc, _ = books["so"]
    bad = replace(doc, blocks=(Paragraph(Segment((Text("Take 5 mg\x07 daily"),), "x", lang=doc.locale.tag)),))
    with pytest.raises(LeafletError, match="cannot be written in XHTML"):
        book.write(bad, OPTIONS)


@pytest.mark.slow
def test_epubcheck_finds_no_error_or_warning_in_any_locale(books):
    results = validators.epubcheck([path for _, path in books.all().values()])
    assert {p.name: msgs for p, msgs in results.items() if msgs} == {}


@pytest.mark.slow
def test_daisy_ace_finds_no_violation_in_any_locale(books, tmp_path):
    made = books.all()
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(
            zip(made, pool.map(lambda kv: validators.ace(kv[1][1], tmp_path / kv[0]), made.items()), strict=True)
        )
    assert {code: v for code, v in found.items() if v} == {}
