"""The bilingual review pack: marks in both columns, findings beside their entry, fingerprints,
a sign-off box; `signoff --pack` records the pack and refuses one made for another version."""

from __future__ import annotations

import shutil

import docx
import pytest
from conftest import run_cli

from leaflets import catalogs, review
from leaflets.files import write_atomic
from leaflets.highlights import COMPARISON, DRUG, NEGATION, NUMBER, UNIT, marks
from leaflets.project import Project
from publishing.translation import reviewpack


@pytest.mark.parametrize(
    "code,text,keep,expected",
    [
        (
            "pl",
            "Nie jedz co najmniej 6 godzin. Lek Warfarin.",
            {"Warfarin": ()},
            [("Nie", NEGATION), ("co najmniej", COMPARISON), ("6", NUMBER), ("godzin", UNIT), ("Warfarin", DRUG)],
        ),
        (
            "ur",
            "کم از کم 5 دن پہلے وارفرین بند کریں، نہیں",
            {"Warfarin": ("وارفرین",)},
            [
                ("کم از کم", COMPARISON),
                ("5", NUMBER),
                ("دن", UNIT),
                ("پہلے", COMPARISON),
                ("وارفرین", DRUG),
                ("نہیں", NEGATION),
            ],
        ),
        ("bn", "অন্তত 5 দিন আগে", {}, [("অন্তত", COMPARISON), ("5", NUMBER), ("দিন", UNIT), ("আগে", COMPARISON)]),
        (
            "zh_Hans",
            "至少5天前停用华法林，不要进食",
            {"Warfarin": ("华法林",)},
            [("至少", COMPARISON), ("5", NUMBER), ("天", UNIT), ("前", COMPARISON), ("华法林", DRUG), ("不", NEGATION)],
        ),
    ],
)
def test_marks_in_four_scripts(code, text, keep, expected):
    assert [(text[m.start : m.end], m.kind) for m in marks(text, code, keep)] == expected


def _cells(path):
    table = docx.Document(str(path)).tables[0]
    return [list(row.cells) for row in table.rows]


def test_pack_shows_entries_marks_findings_and_fingerprints(project_copy, tmp_path):
    project = Project(project_copy)
    path = catalogs.po_path(project.locales_dir, "ur", "RAD_0009")
    po = catalogs.load(path)
    entry = next(e for e in po if e.msgid.startswith("The procedure usually takes"))
    entry.msgstr = entry.msgstr.replace("60 منٹ", "60 گھنٹے")  # a unit mistake the checks find
    write_atomic(path, catalogs.po_bytes(po))
    (written,) = reviewpack.write(project, "RAD_0009", "ur", tmp_path, pdf=False)
    rows = _cells(written)
    assert len(rows) - 1 == len(reviewpack.entries(project, "RAD_0009", "ur"))
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    source_hash, translation_hash = review.fingerprints(
        po, catalogs.load(catalogs.po_path(project.locales_dir, "ur", "common"))
    )
    assert source_hash in text and translation_hash in text
    row = next(r for r in rows if r[1].text.startswith("The procedure usually takes"))
    assert "ERROR [units]" in row[3].text
    assert row[2].paragraphs[0]._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None  # right to left
    marked = {r.text: r for cell in row[1:3] for r in cell.paragraphs[0].runs if r.bold}
    for word in ("60", "minutes", "گھنٹے", "less than", "سے کم"):
        run = marked[word]
        assert run.underline and run._r.rPr.find(docx.oxml.ns.qn("w:shd")) is not None  # not colour alone
    assert len(docx.Document(str(written)).tables) == 2  # the entries, then the sign-off box


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice is not installed")
def test_review_pack_command_and_signoff_with_the_pack(project_copy):
    done = run_cli(project_copy, "review-pack", "RAD_0009", "pl", "--out", str(project_copy / "packs"))
    assert done.returncode == 0, done.stderr
    pdf = project_copy / "packs" / "RAD_0009.pl.review-pack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and (project_copy / "packs" / "RAD_0009.pl.review-pack.docx").exists()
    by = ("--by", "Dr A Nowak, consultant radiologist")
    signed = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *by, "--pack", str(pdf))
    assert signed.returncode == 0, signed.stderr
    po_file = catalogs.po_path(project_copy / "locales", "pl", "RAD_0009")
    recorded = catalogs.load(po_file).metadata[review.PACK]
    assert recorded == f"{reviewpack.check_pack(Project(project_copy), 'RAD_0009', 'pl', pdf)} {pdf.name}"
    po = catalogs.load(po_file)
    po[2].msgstr += " Zmiana."
    write_atomic(po_file, catalogs.po_bytes(po))
    stale = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *by, "--pack", str(pdf))
    assert stale.returncode == 1 and "another version" in stale.stderr and "Traceback" not in stale.stderr
