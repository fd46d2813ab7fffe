"""Sign-off that proves something: only a pack the project issued is accepted (a forgery made
from a genuine pack's metadata is refused), the catalog keeps its own wrapping, and each
sign-off is kept in the header and in the project's history (reviews/)."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess

import docx
import pypdf
import pytest
from conftest import run_cli

from leaflets import catalogs, review
from leaflets.project import Project
from publishing.translation import reviewpack, signoffs

BY = ("--by", "Dr A Nowak, consultant radiologist")


def _status(root) -> str:
    (row,) = json.loads(run_cli(root, "status", "--json", "--locale", "pl").stdout)
    return row["review"]


def _forged_docx(genuine, path) -> None:
    """A document made in a few lines, carrying the genuine pack's keywords and title."""
    real = docx.Document(str(genuine)).core_properties
    forged = docx.Document()
    forged.add_paragraph("Looks fine to me.")
    forged.core_properties.keywords, forged.core_properties.title = real.keywords, real.title
    forged.save(str(path))


def test_a_forged_word_pack_is_refused_and_the_genuine_one_accepted(project_copy, tmp_path):
    project = Project(project_copy)
    (genuine,) = reviewpack.write(project, "RAD_0009", "pl", tmp_path / "packs", pdf=False)
    forged = tmp_path / "RAD_0009.pl.review-pack.docx"
    _forged_docx(genuine, forged)
    assert docx.Document(str(forged)).core_properties.keywords == docx.Document(str(genuine)).core_properties.keywords
    refused = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(forged))
    assert refused.returncode == 1 and "is not a review pack this project issued" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and _status(project_copy) == "unreviewed"
    assert not (project_copy / "reviews/signoffs.jsonl").exists()
    accepted = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(genuine))
    assert accepted.returncode == 0, accepted.stderr
    assert _status(project_copy).startswith("reviewed by Dr A Nowak")
    (pack,) = signoffs.packs(Project(project_copy))
    assert pack.id in accepted.stdout and pack.id in "\n".join(p.text for p in docx.Document(str(genuine)).paragraphs)
    (entry,) = signoffs.history(Project(project_copy))
    assert (entry["by"], entry["role"], entry["leaflet"], entry["language"]) == (
        "Dr A Nowak",
        "consultant radiologist",
        "RAD_0009",
        "pl",
    )
    assert entry["pack"] == {"id": pack.id, "sha256": signoffs.sha256(genuine), "file": genuine.name}
    header = catalogs.load(catalogs.po_path(project.locales_dir, "pl", "RAD_0009")).metadata
    assert header[review.PACK] == f"sha256:{signoffs.sha256(genuine)} {genuine.name}"


def test_a_pack_is_refused_for_another_language_or_once_the_translation_changed(project_copy, tmp_path):
    project = Project(project_copy)
    (polish,) = reviewpack.write(project, "RAD_0009", "pl", tmp_path / "pl", pdf=False)
    other = run_cli(project_copy, "signoff", "ro", "--leaflet", "RAD_0009", *BY, "--pack", str(polish))
    assert other.returncode == 1 and "is the review pack of RAD_0009 in pl, not of RAD_0009 in ro" in other.stderr
    path = catalogs.po_path(project.locales_dir, "pl", "RAD_0009")
    path.write_text(path.read_text(encoding="utf-8").replace("Zakład Radiologii", "Pracownia Radiologii"))
    stale = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(polish))
    assert stale.returncode == 1 and "made for another version" in stale.stderr
    resaved, annotated = tmp_path / "resaved.docx", docx.Document(str(polish))
    annotated.core_properties.comments = "checked, all fine"  # the same pack, annotated: other bytes
    annotated.save(str(resaved))
    again = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(resaved))
    assert again.returncode == 1 and "not a review pack this project issued" in again.stderr


@pytest.mark.skipif(not shutil.which("msgcat"), reason="gettext's msgcat is not installed")
def test_signoff_keeps_the_translators_wrapping(project_copy):
    path = catalogs.po_path(project_copy / "locales", "pl", "RAD_0009")
    original = path.read_text(encoding="utf-8")
    subprocess.run(["msgcat", "--width=79", "-o", str(path), str(path)], check=True)  # as Poedit and msgcat wrap
    before = path.read_text(encoding="utf-8")
    assert len(before.splitlines()) > len(original.splitlines()) + 100  # really rewrapped
    done = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY)
    assert done.returncode == 0, done.stderr
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), path.read_text(encoding="utf-8").splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert all(line.startswith('+"X-Reviewed-') for line in diff), diff
    assert len(diff) == 4  # by, date, two fingerprints
    assert _status(project_copy).startswith("reviewed by Dr A Nowak")
    again = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", "--by", "Dr B Khan, radiologist")
    assert again.returncode == 0
    after = path.read_text(encoding="utf-8")
    assert after.count("X-Reviewed-By") == 1 and "Dr B Khan, radiologist" in after
    assert len(signoffs.history(Project(project_copy))) == 2


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice is not installed")
def test_a_one_page_pdf_forged_with_the_genuine_keywords_is_refused(project_copy, tmp_path):
    done = run_cli(project_copy, "review-pack", "RAD_0009", "pl", "--out", str(tmp_path / "packs"))
    assert done.returncode == 0, done.stderr
    genuine = tmp_path / "packs/RAD_0009.pl.review-pack.pdf"
    metadata = pypdf.PdfReader(genuine).metadata
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Keywords": metadata["/Keywords"], "/Title": metadata.get("/Title", "")})
    forged = tmp_path / "forged.pdf"
    with open(forged, "wb") as f:
        writer.write(f)
    assert pypdf.PdfReader(forged).metadata["/Keywords"] == metadata["/Keywords"] and "pack-" in metadata["/Keywords"]
    refused = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(forged))
    assert refused.returncode == 1 and "not a review pack this project issued" in refused.stderr
    assert _status(project_copy) == "unreviewed"
    accepted = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(genuine))
    assert accepted.returncode == 0, accepted.stderr
    assert _status(project_copy).startswith("reviewed by Dr A Nowak")


def test_with_a_key_kept_a_line_added_to_the_record_by_hand_is_refused(project_copy, tmp_path, monkeypatch):
    key = tmp_path / "outside-the-repository" / "review.key"
    key.parent.mkdir()
    key.write_text("5f0e" * 16)
    monkeypatch.setenv(signoffs.KEY_ENV, str(key))
    project = Project(project_copy)
    (genuine,) = reviewpack.write(project, "RAD_0009", "pl", tmp_path / "packs", pdf=False)
    forged = tmp_path / "forged.docx"
    _forged_docx(genuine, forged)
    record = project_copy / "reviews/packs.jsonl"
    (line,) = [json.loads(text) for text in record.read_text(encoding="utf-8").splitlines()]
    assert len(line["mac"]) == 64
    line.update(id="f" * 16, files={forged.name: signoffs.sha256(forged)})  # a record of the forgery, by hand
    with open(record, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
    refused = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(forged))
    assert refused.returncode == 1 and "is not a review pack this project issued" in refused.stderr
    accepted = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", *BY, "--pack", str(genuine))
    assert accepted.returncode == 0, accepted.stderr
    key.write_text("another key entirely, 32 bytes!!")  # a pack recorded under another key proves nothing
    assert signoffs.packs(project) == []
