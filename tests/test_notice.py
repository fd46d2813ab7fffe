"""An important notice (a block quote) is boxed in print and also *said*: "Important:" first, in
every format, so screen-reader users and listeners are told as plainly as sighted readers."""

from __future__ import annotations

import io
import subprocess

import docx
import pytest

import formats
from leaflets.model import Notice
from leaflets.project import Project
from leaflets.translate import translate


@pytest.fixture
def doc(project_copy):
    src = project_copy / "source/RAD_0009-vertebroplasty.md"
    src.write_text(
        src.read_text().replace(
            "## How is the procedure performed?",
            "> [!IMPORTANT]\n> **Do not drive** for 24 hours after the procedure.\n\n## How is the procedure performed?",
        )
    )
    project = Project(project_copy)
    return translate(project.leaflet("RAD_0009"), "en", project.shared_strings)


def test_the_model_carries_the_label(doc):
    notice = next(b for b in doc.blocks if isinstance(b, Notice))
    assert notice.label.text == "Important:" and notice.label.lang == "en-GB"


def test_text(doc):
    text = formats.get("text").write(doc, formats.Options()).decode()
    assert "| Important:\n| Do not drive for 24 hours after the procedure." in text


def test_word(doc):
    word = docx.Document(io.BytesIO(formats.get("word").write(doc, formats.Options())))
    texts = [(p.style.name, p.text, [r.bold for r in p.runs]) for p in word.paragraphs]
    at = next(i for i, t in enumerate(texts) if t[1] == "Important:")
    assert texts[at][0] == texts[at + 1][0] == "Notice" and all(texts[at][2])
    assert texts[at + 1][1] == "Do not drive for 24 hours after the procedure."


def test_large_print(doc, tmp_path):
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(formats.get("large-print").write(doc, formats.Options()))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = lines.index("Important:")
    assert lines[at + 1].startswith("Do not drive for 24 hours")
