"""The Word copies as another word processor lays them out: LibreOffice converts an Urdu and a
Polish copy to PDF, and the pages are checked (A4, language, fonts, page-number fields, text).

Skipped, with the reason printed, only where LibreOffice is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pypdf
import pytest
from conftest import ROOT

import formats
from formats.docx import render as writer
from leaflets.project import Project
from leaflets.translate import translate

pytestmark = pytest.mark.slow  # LibreOffice starts and lays out two documents: seconds

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
A4 = (595.3, 841.9)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if not LIBREOFFICE:
        reason = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui), so the Word copies cannot be laid out"
        print(reason)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("docx")
    project = Project(ROOT)
    docs, paths = {}, []
    for code in ("ur", "pl"):
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        path = out / f"{code}.docx"
        path.write_bytes(writer.write(doc, formats.Options(build_date=date(2026, 5, 1))))
        docs[code], paths = doc, [*paths, str(path)]
    # A private profile, so a LibreOffice already running for someone else cannot swallow the job.
    subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{out}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {code: (docs[code], pypdf.PdfReader(out / f"{code}.pdf")) for code in docs}


def _fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.mark.parametrize("code", ["ur", "pl"])
def test_pages_are_a4_in_the_document_language(pdfs, code):
    doc, pdf = pdfs[code]
    assert len(pdf.pages) >= 5
    for page in pdf.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == A4
        assert page.extract_text().strip()  # no blank page
    assert str(pdf.trailer["/Root"]["/Lang"]).split("-")[0] == doc.locale.language
    assert pdf.metadata.title == doc.title.text


def test_polish_text_and_page_number_fields(pdfs):
    doc, pdf = pdfs["pl"]
    pages = len(pdf.pages)
    first, last = pdf.pages[0].extract_text(), pdf.pages[-1].extract_text()
    assert " ".join(doc.title.text.split()[:2]) in " ".join(first.split())
    first, last = (" ".join(t.replace("\u00a0", " ").split()) for t in (first, last))
    assert doc.label("page", page=1, pages=pages).text in first
    assert doc.label("page", page=pages, pages=pages).text in last
    assert doc.meta.id in first and doc.meta.id in last
    assert any(f.startswith(("LiberationSans", "Arial")) for f in _fonts(pdf))


def test_urdu_is_set_in_nastaliq_with_latin_words_in_the_latin_face(pdfs):
    _doc, pdf = pdfs["ur"]
    fonts = _fonts(pdf)
    assert any(f.startswith("NotoNastaliqUrdu") for f in fonts), fonts
    assert any(f.startswith(("LiberationSans", "Arial")) for f in fonts), fonts  # MRI, Warfarin, RAD_0009
    assert "RAD_0009" in pdf.pages[0].extract_text()
