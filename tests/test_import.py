"""`pipeline.py import`: Word leaflets made here with python-docx (and one through LibreOffice from
ODT) come into source/ in the project's format, lose no text, fill the front matter, and then go
through `extract` and `update` like any leaflet; bad documents are one line each and leave
nothing behind.

Tables and pictures need the rich-content reader (issue #23): until it is merged those cases
are skipped, saying so, and the import refuses such documents rather than write a source the
reader refuses.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import docx
import polib
import pytest
import yaml
from conftest import run_cli

from bench.wordcorpus import Spec, emf_bytes, hyperlink, leaflet, picture_bytes, swap_media
from leaflets import reader
from leaflets.model import segments
from publishing.importing import fields
from publishing.importing.report import quote

LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SEED_FRONT = (
    "---\nid: TST_0001\ntitle: T\norganisation: O\ndepartment: D\nphone: 0118 322 7991\n"
    "website: www.example.nhs.uk\nauthor: A\nreviewed: '2024-05'\nnext_review: '2027-05'\n---\n\n"
)


def _reader_takes(body: str, tmp: Path) -> bool:
    (tmp / "images").mkdir(parents=True, exist_ok=True)
    (tmp / "images" / "x.png").write_bytes(picture_bytes())
    (tmp / "TST_0001-t.md").write_text(SEED_FRONT + body, encoding="utf-8")
    try:
        reader.read(tmp / "TST_0001-t.md")
    except reader.SourceError:
        return False
    return True


@pytest.fixture(scope="module")
def rich_reader(tmp_path_factory) -> bool:
    tmp = tmp_path_factory.mktemp("capability")
    return _reader_takes("| a | b |\n| --- | --- |\n| c | d |\n\n![A red square](images/x.png)\n", tmp)


def needs_rich(rich_reader: bool) -> None:
    if not rich_reader:
        pytest.skip("the reader does not take tables and pictures yet (issue #23, branch `rich`)")


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def paragraphs_and_cells(path: Path) -> list[str]:
    """Every paragraph and table cell of a Word document's body, as python-docx reads it."""
    d = docx.Document(str(path))
    cells = [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    return [t for t in [p.text for p in d.paragraphs] + cells if t.strip()]


def source_of(root: Path, code: str) -> Path:
    found = sorted((root / "source").glob(f"{code}-*.md"))
    assert len(found) == 1, found
    return found[0]


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def assert_nothing_lost(document: Path, source: Path, report: str) -> None:
    """Each paragraph and cell is in the source, or the report says where it went."""
    text = words(re.sub(r"\]\([^)\s]+", "](", source.read_text(encoding="utf-8")))  # link targets are not text
    for passage in paragraphs_and_cells(document):
        assert words(passage) in text or quote(passage) in report, f"lost: {passage!r}"


@pytest.fixture
def project(project_copy) -> Path:
    return project_copy


# --- a Word leaflet round-trips -----------------------------------------------------------------


def test_word_leaflet_comes_in_whole_with_its_front_matter(project, tmp_path):
    doc = leaflet(tmp_path / "Hip exercises.docx", Spec(code="PHY_0012", contacts=1))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0, done.stderr
    source = source_of(project, "PHY_0012")
    assert source.name == "PHY_0012-hip-replacement-exercises-operation.md"
    meta = front(source)
    if "contacts" in reader.OPTIONAL:  # the rich-content reader: the opening hours have a place
        assert meta.pop("contacts") == [
            {
                "name": "Physiotherapy Department",
                "phone": "0118 322 7811",
                "hours": "Monday to Friday, 8am to 4pm",
                "main": True,
            }
        ]
    assert meta == {
        "id": "PHY_0012",
        "title": "Hip replacement: exercises after your operation",
        "organisation": "Royal Berkshire NHS Foundation Trust",
        "department": "Physiotherapy Department",
        "phone": "0118 322 7811",
        "website": "www.royalberkshire.nhs.uk",
        "author": "Sam Patel, Physiotherapy",
        "reviewed": "2024-05",
        "next_review": "2027-05",
    }
    report = (project / "build" / "import" / "PHY_0012.import.txt").read_text(encoding="utf-8")
    assert report in done.stdout  # printed and kept
    assert_nothing_lost(doc, source, report)
    text = body(source)
    # the title is the front matter's, not a heading; Heading 1 -> ##, Heading 2 -> ###
    assert "Hip replacement" not in text
    assert "\n## Before your operation\n" in text and "\n### Ankle pumps\n" in text
    # nesting by Word's 'List Bullet 2' style is kept; numbered steps stay numbered
    assert "- Bring loose clothing, for example:\n  - a tracksuit\n  - shorts\n- Arrange" in text
    assert "1. Lie on your back" in text and "3. Repeat 3 times a day" in text
    # bold stays bold, italic becomes bold, links keep their address
    assert "**Do them every day**" in text and "**uncomfortable**" in text
    assert "[the NHS website page on hip replacement](https://www.nhs.uk/conditions/hip-replacement/recovery/)" in text
    assert "italic text was made bold" in report and "'uncomfortable'" in report
    # the closing block, the offer and the footer are in the front matter, not kept twice
    for gone in ("Contact us", "0118 322 7811", "another language or format", "Reviewed", "PHY_0012", "visit www"):
        assert gone not in text, gone
    assert "the offer of other languages and formats" in report


def test_two_contacts_and_never_a_second_contact_section(project, tmp_path):
    doc = leaflet(tmp_path / "two.docx", Spec(code="PHY_0015", contacts=2))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0, done.stderr
    source = source_of(project, "PHY_0015")
    text, meta = body(source), front(source)
    assert "Contact us" not in text  # the pipeline ends every leaflet with its own "Contacting us"
    if "contacts" in reader.OPTIONAL:
        assert meta["contacts"] == [
            {
                "name": "Physiotherapy Department",
                "phone": "0118 322 7811",
                "hours": "Monday to Friday, 8am to 4pm",
                "main": True,
            },
            {"name": "Ward 10", "phone": "0118 322 7500", "hours": "24 hours a day"},
        ]
        assert "phone" not in meta and "0118 322 7500" not in text
    else:  # one phone number in the front matter: the second stays in the body, said in the report
        assert meta["phone"] == "0118 322 7811"
        assert text.endswith("\nWard 10: 0118 322 7500 (24 hours a day)\n")
        assert "a second contact stays in the body" in done.stdout


def test_imported_leaflets_extract_and_get_catalogs(project, tmp_path):
    (tmp_path / "docs").mkdir()
    for n in (1, 2):
        leaflet(tmp_path / "docs" / f"l{n}.docx", Spec(code=f"PHY_001{n}", title=f"Exercises {n}", contacts=1))
    assert run_cli(project, "import", str(tmp_path / "docs")).returncode == 0
    done = run_cli(project, "extract")
    assert done.returncode == 0, done.stderr
    for code in ("PHY_0011", "PHY_0012"):
        pot = (project / "locales" / "templates" / f"{code}.pot").read_text(encoding="utf-8")
        assert 'msgid "Move your feet up and down 10 times."' in pot
    done = run_cli(project, "update")
    assert done.returncode == 0, done.stderr
    po_path = project / "locales" / "pl" / "LC_MESSAGES" / "PHY_0011.po"
    # a translator translates one sentence of the first (sample text, not clinically reviewed) ...
    po = polib.pofile(str(po_path))
    po.find("Move your feet up and down 10 times.").msgstr = "Poruszaj stopami w górę i w dół 10 razy."
    po.save()
    # ... and the next imported leaflet gets it from the translation memory, fuzzy
    leaflet(tmp_path / "docs" / "l3.docx", Spec(code="PHY_0013", title="Exercises 3", contacts=1))
    assert run_cli(project, "import", str(tmp_path / "docs" / "l3.docx")).returncode == 0
    assert run_cli(project, "extract").returncode == 0
    done = run_cli(project, "update")
    assert "translation memory suggested" in done.stdout
    entry = polib.pofile(str(po_path.with_name("PHY_0013.po"))).find("Move your feet up and down 10 times.")
    assert entry.msgstr == "Poruszaj stopami w górę i w dół 10 razy." and entry.fuzzy


def test_table_and_picture_come_in(project, tmp_path, rich_reader):
    needs_rich(rich_reader)
    doc = leaflet(tmp_path / "full.docx", Spec(code="PHY_0013", table=True, picture=True))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0, done.stderr + done.stdout
    source = source_of(project, "PHY_0013")
    text = body(source)
    assert "| Food group | Eat | Avoid |\n| --- | --- | --- |\n| Bread | White bread | Wholemeal bread |" in text
    picture = re.search(
        r"!\[A patient standing with a walking frame\]\((images/[^ )]+) \"Figure 1: standing with the frame\"\)", text
    )
    assert picture, text
    assert (project / "source" / picture.group(1)).read_bytes() == picture_bytes()
    assert Path(picture.group(1)).name.startswith("PHY_0013-")
    report = (project / "build" / "import" / "PHY_0013.import.txt").read_text(encoding="utf-8")
    assert_nothing_lost(doc, source, report)
    assert run_cli(project, "extract").returncode == 0


def test_without_the_rich_reader_a_table_refuses_the_document_and_writes_nothing(project, tmp_path, rich_reader):
    if rich_reader:
        pytest.skip("the reader takes tables: see test_table_and_picture_come_in")
    doc = leaflet(tmp_path / "full.docx", Spec(code="PHY_0013", table=True))
    before = sorted(p.name for p in (project / "source").iterdir())
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 1
    assert re.search(r"refused: .*full\.docx: .*a table is not allowed", done.stderr)
    assert sorted(p.name for p in (project / "source").iterdir()) == before
    kept = project / "build" / "import" / "PHY_0013-hip-replacement-exercises-operation.md"
    assert "| Food group | Eat | Avoid |" in kept.read_text(encoding="utf-8")


def test_same_picture_twice_is_one_file(project, tmp_path, rich_reader):
    needs_rich(rich_reader)
    (tmp_path / "docs").mkdir()
    for n in (4, 5):
        leaflet(
            tmp_path / "docs" / f"p{n}.docx", Spec(code=f"PHY_001{n}", title=f"Frame {n}", picture=True, contacts=1)
        )
    assert run_cli(project, "import", str(tmp_path / "docs")).returncode == 0
    assert len(list((project / "source" / "images").iterdir())) == 1
    names = {re.search(r"\(images/([^ )]+)", body(source_of(project, c))).group(1) for c in ("PHY_0014", "PHY_0015")}
    assert len(names) == 1


# --- what the author is told --------------------------------------------------------------------


def test_labelled_paragraphs_and_boxes_become_notices(project, tmp_path, rich_reader):
    doc = leaflet(tmp_path / "n.docx", Spec(code="PHY_0021", notices=True, contacts=1))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0, done.stderr
    text = body(source_of(project, "PHY_0021"))
    assert "\n> [!IMPORTANT]\n> Do not cross your legs for 6 weeks.\n" in text
    assert (
        "\n> [!WARNING]\n> Call 999 if you have chest pain or feel short of breath.\n>\n> Do not wait until the morning.\n"
        in text
    )
    assert "\nYou will have a check-up after 6 weeks.\n" in text
    if rich_reader:
        from leaflets.model import Notice

        notices = [b for b in reader.read(source_of(project, "PHY_0021")).blocks if isinstance(b, Notice)]
        assert [n.kind for n in notices] == ["important", "warning"]


def test_a_references_section_becomes_the_sources(project, tmp_path):
    doc = leaflet(tmp_path / "r.docx", Spec(code="PHY_0022", references=True, contacts=1))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0, done.stderr
    source = source_of(project, "PHY_0022")
    references = [
        "NICE. Hip replacement (NG157), 2020.",
        "NHS. Recovery after a hip replacement: [nhs.uk](https://www.nhs.uk/conditions/hip-replacement/recovery/)",
    ]
    if "sources" in reader.OPTIONAL:
        assert front(source)["sources"] == references
        assert "References" not in body(source)
    else:  # the reader has no sources: yet: the section stays where it was
        assert re.search(
            r"## References\n\n\d\. " + re.escape(references[0]) + r"\n\d\. " + re.escape(references[1]), body(source)
        )


def test_report_names_what_an_author_must_fix(project, tmp_path):
    doc = leaflet(tmp_path / "audit.docx", Spec(code="PHY_0020", audit=True, contacts=1))
    run_cli(project, "import", str(doc))
    report = (project / "build" / "import" / "PHY_0020.import.txt").read_text(encoding="utf-8")
    assert "underlined text became plain" in report and "'turns red'" in report
    assert "coloured or highlighted run(s), e.g. 'the pain gets worse'" in report
    assert "a link says only 'click here'" in report
    assert "picture 1 has no alt text" in report


PATHOLOGY = (  # the front matter the two imports below give on the command line
    "--meta",
    "department=Pathology",
    "--meta",
    "phone=0118 322 5000",
    "--meta",
    "author=Dr B",
)


def test_table_without_header_row_and_deep_lists_are_reported(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("Blood tests", style="Title")
    d.add_paragraph("Some text.")
    d.add_paragraph("top", style="List Bullet")
    d.add_paragraph("second", style="List Bullet 2")
    d.add_paragraph("third level", style="List Bullet 3")
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Monday", "Fasting"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Tuesday", "Normal"
    look = table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblLook")
    if look is not None:  # Word's "Header row" box unticked
        look.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}firstRow", "0")
        look.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "0000")
    d.sections[0].footer.paragraphs[0].text = "BLD_0001 Reviewed: 01/03/2025. Review date: March 2028"
    doc = tmp_path / "blood.docx"
    d.save(str(doc))
    run_cli(project, "import", str(doc), *PATHOLOGY)
    report = (project / "build" / "import" / "BLD_0001.import.txt").read_text(encoding="utf-8")
    d.sections[0].footer.paragraphs[0].text = "BLD_0002 Reviewed: 01/03/2019. Review date: March 2022"
    d.save(str(doc))
    run_cli(project, "import", str(doc), *PATHOLOGY)
    expired = (project / "build" / "import" / "BLD_0002.import.txt").read_text(encoding="utf-8")
    assert "its next review date (2022-03) has passed: review it before it is published" in expired
    assert "a table had no header row; its first row was made the header: 'Monday | Fasting'" in report
    assert "a list nested more than 2 levels was flattened to 2: 'third level'" in report
    assert "reviewed: 2025-03" in report and "next_review: 2028-03" in report
    assert "has passed" not in report


# --- bad input: one line each, the rest imported, nothing half-written ---------------------------


def test_a_folder_with_bad_documents(project, tmp_path):
    folder = tmp_path / "library"
    (folder / "Radiology").mkdir(parents=True)
    leaflet(folder / "good.docx", Spec(code="PHY_0031", title="Knee exercises", contacts=1))
    leaflet(folder / "Radiology" / "good2.docx", Spec(code="PHY_0032", title="Shoulder exercises", contacts=1))
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not a whole zip")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "notes.txt").write_text("a shopping list")
    untitled = docx.Document()
    untitled.add_paragraph("Just a paragraph, no title anywhere.")
    untitled.core_properties.title = ""
    untitled.save(str(folder / "untitled.docx"))
    (folder / "~$good.docx").write_bytes(b"Word's lock file")
    shutil.copy(folder / "good.docx", folder / "good again.docx")  # the same leaflet code twice
    before = sorted(p.name for p in (project / "source").iterdir())
    done = run_cli(project, "import", str(folder))
    assert done.returncode == 1
    refused = [line for line in done.stderr.splitlines() if line.startswith("refused:")]
    for name, what in (
        ("corrupt.docx", "damaged"),
        ("old.doc", "old binary Word"),
        ("locked.docx", "password-protected"),
        ("notes.txt", "not a document the importer reads"),
        ("untitled.docx", "has no title"),
        ("good.docx", "has the leaflet code PHY_0031 of"),
    ):
        assert len([line for line in refused if f"{name}:" in line and what in line]) == 1, (name, done.stderr)
    assert len(refused) == 6
    assert "Traceback" not in done.stderr
    after = sorted(p.name for p in (project / "source").iterdir())
    assert after == sorted([*before, "PHY_0031-knee-exercises.md", "PHY_0032-shoulder-exercises.md"])
    with (project / "build" / "import" / "summary.csv").open(encoding="utf-8") as f:
        rows = {Path(r["file"]).name: r for r in csv.DictReader(f)}
    assert rows["good again.docx"]["status"] == "imported" and rows["good again.docx"]["leaflet code"] == "PHY_0031"
    assert rows["good.docx"]["status"] == "refused" and "good again.docx" in rows["good.docx"]["reason"]
    assert rows["old.doc"]["status"] == "refused"
    assert "~$good.docx" not in rows
    assert done.stdout.strip().endswith("8 document(s): 2 imported, 6 refused")


def test_existing_leaflet_is_skipped_unless_replace(project, tmp_path):
    doc = leaflet(tmp_path / "v.docx", Spec(code="RAD_0009", title="Vertebroplasty, new edition", contacts=1))
    seed = (project / "source" / "RAD_0009-vertebroplasty.md").read_bytes()
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 0
    assert "skipped: " in done.stderr and "RAD_0009 is already source/RAD_0009-vertebroplasty.md" in done.stderr
    assert (project / "source" / "RAD_0009-vertebroplasty.md").read_bytes() == seed
    done = run_cli(project, "import", str(doc), "--replace")
    assert done.returncode == 0, done.stderr
    # the same file, under its own name (its history stays with it), now the new edition
    assert source_of(project, "RAD_0009").name == "RAD_0009-vertebroplasty.md"
    assert front(source_of(project, "RAD_0009"))["title"] == "Vertebroplasty, new edition"


def test_dry_run_writes_nothing(project, tmp_path):
    doc = leaflet(tmp_path / "d.docx", Spec(code="PHY_0040", contacts=1))
    before = sorted(str(p.relative_to(project)) for p in project.rglob("*"))
    done = run_cli(project, "import", str(doc), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would import" in done.stdout and "Physiotherapy Department" in done.stdout
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*")) == before


def test_missing_fields_are_named_with_the_fix(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("Eye drops", style="Title")
    d.add_paragraph("Use the drops twice a day.")
    d.save(str(tmp_path / "eye.docx"))
    done = run_cli(project, "import", str(tmp_path / "eye.docx"), "--id", "EYE_0001")
    assert done.returncode == 1
    line = next(line for line in done.stderr.splitlines() if "eye.docx" in line)
    assert "not found in it: department, phone, author, reviewed, next_review" in line
    assert "--meta reviewed=2024-05" in line
    assert not list((project / "source").glob("EYE_*"))
    done = run_cli(
        project, "import", str(tmp_path / "eye.docx"), "--id", "EYE_0001", "--meta", "department=Eye Clinic",
        "--meta", "phone=0118 322 8000", "--meta", "author=Eye Clinic team", "--meta", "reviewed=2025-01",
        "--meta", "next_review=2028-01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert front(source_of(project, "EYE_0001"))["department"] == "Eye Clinic"


def test_no_write_through_a_link(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "source" / "images").symlink_to(elsewhere)
    doc = leaflet(tmp_path / "l.docx", Spec(code="PHY_0050", contacts=1))
    done = run_cli(project, "import", str(doc))
    assert done.returncode == 1
    assert "images: is a symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert not list(elsewhere.iterdir()) and not list((project / "source").glob("PHY_*"))


def test_a_link_where_the_source_would_go_is_not_followed(project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("not yours")
    (project / "source" / "PHY_0051-hip-replacement-exercises-operation.md").symlink_to(outside)
    done = run_cli(project, "import", str(leaflet(tmp_path / "l.docx", Spec(code="PHY_0051", contacts=1))), "--replace")
    assert done.returncode == 1
    line = next(line for line in done.stderr.splitlines() if "l.docx" in line)
    assert "not written" in line and "symbolic link" in line and "Traceback" not in done.stderr
    assert outside.read_text() == "not yours"


def test_text_that_looks_like_markup_stays_text(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("Markup test", style="Title")
    tricky = [
        "1. This paragraph starts like a numbered list.",
        "# Not a heading",
        "- not a bullet",
        "> not a quote",
        "Costs *5* or [maybe] <b>less</b> & more_than_this \\ backslash | pipe",
        ": not a definition",
        "2024. A year to remember.",
    ]
    for text in tricky:
        d.add_paragraph(text)
    p = d.add_paragraph("Bring:")
    for line in ("- shoes", "# 2 coats", "3. a hat"):
        run = p.add_run()
        run.add_break()  # Word's Shift+Enter
        run.add_text(line)
    d.add_paragraph("Steps:", style="List Bullet")
    item = d.add_paragraph("- first, then", style="List Bullet")
    item.runs[0].add_break()
    item.runs[0].add_text("1. second")
    p = d.add_paragraph("Water is H")
    p.add_run("2").font.subscript = True
    p.add_run("O and the room is 20 m")
    p.add_run("2").font.superscript = True
    d.sections[0].footer.paragraphs[0].text = "MRK_0001"
    d.save(str(tmp_path / "m.docx"))
    done = run_cli(
        project, "import", str(tmp_path / "m.docx"), "--meta", "department=D", "--meta", "phone=0118 322 8000",
        "--meta", "author=A", "--meta", "reviewed=2025-01", "--meta", "next_review=2028-01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    leaflet_read = reader.read(source_of(project, "MRK_0001"))
    from leaflets.model import Paragraph, plain_text

    blocks = leaflet_read.blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph"] * 8 + ["ListBlock", "Paragraph"]
    texts = [plain_text(b.content.inlines) for b in blocks if isinstance(b, Paragraph)]
    assert texts == [*tricky, "Bring:\n- shoes\n# 2 coats\n3. a hat", "Water is H₂O and the room is 20 m²"]
    items = [plain_text(item.content.inlines) for item in blocks[8].items]
    assert items == ["Steps:", "- first, then\n1. second"]


def test_the_seed_through_our_own_word_writer_and_back_keeps_every_msgid(project, tmp_path):
    """The seed leaflet as the Word writer makes it (closing block, code and dates in the body), imported
    again: every translatable segment is the same, so every existing translation still applies."""
    import formats
    from formats.docx import render
    from leaflets.project import Project
    from leaflets.translate import translate

    seed = Project(project).leaflet("RAD_0009")
    english = translate(seed, "en", Project(project).shared_strings, locales_dir=project / "locales")
    word = tmp_path / "RAD_0009 as printed.docx"
    word.write_bytes(render.write(english, formats.Options()))
    done = run_cli(project, "import", str(word), "--replace")
    assert done.returncode == 0, done.stderr
    again = reader.read(source_of(project, "RAD_0009"))
    assert [s.source for s in segments(again.blocks)] == [s.source for s in segments(seed.blocks)]
    assert again.meta == replace(seed.meta, keep=())  # keep: is the author's, not the document's
    report = (project / "build" / "import" / "RAD_0009.import.txt").read_text(encoding="utf-8")
    assert_nothing_lost(word, source_of(project, "RAD_0009"), report)


def test_text_missing_after_the_read_back_is_reported(tmp_path):
    """The import's own last check: a passage the reader does not give back is named in the report."""
    from publishing.importing import library
    from publishing.importing.report import Report

    (tmp_path / "TST_0001-t.md").write_text(SEED_FRONT + "Take **two** tablets.\n", encoding="utf-8")
    leaflet_read = reader.read(tmp_path / "TST_0001-t.md")
    report = Report("t.docx")
    library._lost_text(report, leaflet_read, "T", ["Take two tablets.", "Do not drive for 24 hours."])
    assert report.checks == ["text not found in the imported leaflet: 'Do not drive for 24 hours.': add it by hand"]


def test_text_pandoc_dropped_is_reported():
    """The file's own paragraphs (read apart from pandoc) are looked for in the source and the moved passages."""
    from publishing.importing import library
    from publishing.importing.report import Report

    report = Report("t.odt")
    report.move("contact", "Ward 10: 0118 322 7500", "into the front matter")
    source = SEED_FRONT + "> [!IMPORTANT]\n> Do not drive.\n\nSee [the NHS page](https://www.nhs.uk/a).\n"
    texts = ["Important: Do not drive.", "See the NHS page.", "Ward 10: 0118 322 7500", "Food group", ""]
    library._unmapped(report, texts, source)
    assert report.checks == ["text of the document not found in the import: 'Food group': add it by hand"]


def test_dates_codes_and_contacts_are_read_as_trusts_write_them():
    assert fields.month("May 2024") == "2024-05"
    assert fields.month("1st Sept 2025") == "2025-09"
    assert fields.month("12/03/2026") == "2026-03"
    assert fields.month("03/2026") == "2026-03"
    assert fields.month("13/2026") is None
    assert fields.leaflet_code("RAD 0009") == "RAD_0009" and fields.leaflet_code("rad-0009") == "RAD_0009"
    contact = fields.contact_line("Ward 10: 0118 322 7500 (24 hours a day)")
    assert contact == fields.Contact("Ward 10", "0118 322 7500", "24 hours a day")
    assert fields.contact_line("If you have any questions please call 0118 322 7500.") is None
    assert fields.contact_line("Call 0118 322 7500 or 0118 322 7501") is None


# --- LibreOffice: a leaflet kept as ODT, exported to Word ---------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_odt_exported_through_libreoffice_round_trips(project, tmp_path, rich_reader):
    # the table and picture only where the reader takes them (issue #23); the rest either way
    made = leaflet(tmp_path / "made.docx", Spec(code="PHY_0060", contacts=1, table=rich_reader, picture=rich_reader))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"

    def convert(path: Path, to: str, out: Path) -> Path:
        out.mkdir(exist_ok=True)
        subprocess.run(
            [str(LIBREOFFICE), profile, "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
            capture_output=True,
            timeout=180,
            check=True,
        )
        return out / (path.stem + "." + to)

    odt = convert(made, "odt", tmp_path / "odt")
    exported = convert(odt, "docx", tmp_path / "docx")
    done = run_cli(project, "import", str(exported))
    assert done.returncode == 0, done.stderr + done.stdout
    source = source_of(project, "PHY_0060")
    report = (project / "build" / "import" / "PHY_0060.import.txt").read_text(encoding="utf-8")
    assert_nothing_lost(exported, source, report)
    meta = front(source)
    assert meta["title"] == "Hip replacement: exercises after your operation"
    assert (meta["reviewed"], meta["next_review"], meta["phone"]) == ("2024-05", "2027-05", "0118 322 7811")
    text = body(source)
    assert "- Bring loose clothing, for example:\n  - a tracksuit" in text
    assert "[the NHS website page on hip replacement](https://www.nhs.uk/" in text
    if rich_reader:
        assert "| Food group | Eat | Avoid |\n| --- | --- | --- |\n| Bread | White bread | Wholemeal bread |" in text
        picture = re.search(r"!\[A patient standing with a walking frame\]\((images/[^ )]+)", text)
        assert picture and (project / "source" / picture.group(1)).is_file()
    # the .odt itself: pandoc reads the body, the importer its properties and footer (styles.xml)
    done = run_cli(project, "import", str(odt), "--id", "PHY_0061")
    assert done.returncode == 0, done.stderr + done.stdout
    source = source_of(project, "PHY_0061")
    assert "Move your feet up and down 10 times." in body(source)
    assert "Hip replacement" not in body(source)  # the Title paragraph is the front matter's title
    meta = front(source)
    assert (meta["title"], meta["reviewed"], meta["author"]) == (
        "Hip replacement: exercises after your operation",
        "2024-05",
        "Sam Patel, Physiotherapy",
    )
    assert run_cli(project, "extract").returncode == 0


def test_hyperlink_helper_makes_a_real_word_link(tmp_path):
    """The corpus's links are real w:hyperlink elements (what pandoc reads as links)."""
    d = docx.Document()
    hyperlink(d.add_paragraph("See "), "NHS", "https://www.nhs.uk/")
    d.save(str(tmp_path / "h.docx"))
    assert d.paragraphs[0]._p.xpath("./w:hyperlink")


@pytest.mark.slow
@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_emf_drawing_becomes_png_and_a_broken_one_refuses_its_document(project, tmp_path, rich_reader):
    from PIL import Image

    drawing = leaflet(tmp_path / "drawing.docx", Spec(code="PHY_0070", picture=True, contacts=1))
    swap_media(drawing, emf_bytes())
    broken = leaflet(tmp_path / "broken.docx", Spec(code="PHY_0071", picture=True, contacts=1))
    swap_media(broken, emf_bytes()[:60])  # the signature, then nothing
    done = run_cli(project, "import", str(drawing), str(broken))
    report = (project / "build" / "import" / "PHY_0070.import.txt").read_text(encoding="utf-8")
    assert "the drawing image1.png (EMF) was converted to PNG" in report
    line = next(line for line in done.stderr.splitlines() if "broken.docx" in line)
    assert "its drawing image1.png (EMF) could not be converted to PNG" in line
    assert not list((project / "source").glob("PHY_0071*"))
    if rich_reader:
        name = re.search(r"\(images/([^ )]+)", body(source_of(project, "PHY_0070"))).group(1)
        png = Image.open(project / "source" / "images" / name)
        assert png.format == "PNG" and png.width < 400  # the drawing, not the page Draw put it on


def test_an_html_page_comes_in_and_fetches_nothing(project, tmp_path):
    page = tmp_path / "knee.html"
    (tmp_path / "frame.png").write_bytes(picture_bytes())
    page.write_text(
        """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Knee replacement: going home</title></head>
<body><h1>Knee replacement: going home</h1>
<p>You can go home when you can walk <em>safely</em> with crutches.</p>
<h2>At home</h2><ul><li>Keep moving<ul><li>every hour</li></ul></li><li>Use ice packs</li></ul>
<p>See <a href="https://www.nhs.uk/conditions/knee-replacement/">the NHS page on knee replacement</a>.</p>
<p><img src="http://127.0.0.1:9/remote.png" alt="A nurse checking a knee"></p>
<h2>Contact us</h2><p>Orthopaedic Ward, Tel 0118 322 7600</p>
<footer><p>Leaflet code: ORT_0007. Reviewed: June 2025. Next review due: June 2028. Author: Orthopaedic team.</p></footer>
</body></html>""",
        encoding="utf-8",
    )
    done = run_cli(project, "import", str(page))
    assert done.returncode == 0, done.stderr + done.stdout
    source = source_of(project, "ORT_0007")
    meta = front(source)
    assert (meta["title"], meta["phone"], meta["next_review"], meta["author"]) == (
        "Knee replacement: going home",
        "0118 322 7600",
        "2028-06",
        "Orthopaedic team",
    )
    text = body(source)
    assert "- Keep moving\n  - every hour\n- Use ice packs" in text and "**safely**" in text
    # a picture on the web is not downloaded: its words stay, and the author is told
    assert "\\[Picture: A nurse checking a knee\\]" in text
    report = (project / "build" / "import" / "ORT_0007.import.txt").read_text(encoding="utf-8")
    assert "picture 1 ('http://127.0.0.1:9/remote.png') could not be read" in report
    assert "Leaflet code" not in text and "Contact us" not in text


def test_a_fresh_project_builds_what_was_imported(tmp_path):
    """A trust's first steps: import into an empty project, extract, build. The import's reports in
    build/import/ do not make the first build take build/ for somebody else's folder."""
    root = tmp_path / "trust"
    (root / "source").mkdir(parents=True)
    (root / "locales").mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "source" / "common.yaml", root / "source")
    doc = leaflet(tmp_path / "hip.docx", Spec(code="PHY_0080", contacts=1))
    assert (
        run_cli(root, "import", str(doc), "--meta", "organisation=Royal Berkshire NHS Foundation Trust").returncode == 0
    )
    assert run_cli(root, "extract").returncode == 0
    done = run_cli(root, "build", "--format", "text", "--locale", "en", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    built = [p for p in (root / "build").rglob("PHY_0080*.txt") if "import" not in p.parts]
    text = built[0].read_text(encoding="utf-8").replace("\u00a0", " ")  # digit groups are glued
    assert "Physiotherapy Department, Tel 0118 322 7811." in text  # the closing block, from the front matter
    assert "Reviewed: May 2024. Next review due: May 2027." in text


def test_a_leaflet_written_without_styles(project, tmp_path):
    """Bold lines instead of Title and Heading styles: the first is the title, the others are reported."""
    d = docx.Document()
    d.core_properties.title = "Patient leaflet template"  # left over from the template it was made from
    d.add_paragraph().add_run("Leg ulcer care").bold = True
    d.add_paragraph("Keep the dressing dry.")
    d.add_paragraph().add_run("Bathing and showering").bold = True
    d.add_paragraph("Cover the leg with a bag.")
    d.sections[0].footer.paragraphs[
        0
    ].text = "LEG_0001 Reviewed: May 2024. Next review due: May 2027. Author: Tissue team"
    d.save(str(tmp_path / "bold.docx"))
    done = run_cli(
        project,
        "import",
        str(tmp_path / "bold.docx"),
        "--meta",
        "department=Tissue viability",
        "--meta",
        "phone=0118 322 7000",
    )
    assert done.returncode == 0, done.stderr
    source = source_of(project, "LEG_0001")
    assert front(source)["title"] == "Leg ulcer care"
    assert body(source) == "\nKeep the dressing dry.\n\n**Bathing and showering**\n\nCover the leg with a bag.\n"
    assert "a line in bold looks like a heading: 'Bathing and showering'" in done.stdout
    assert (
        "the file's Title property says 'Patient leaflet template'; the first heading was taken instead" in done.stdout
    )


def test_an_old_windows_web_page(project, tmp_path):
    """Word's "Save as Web Page" in Windows-1252: pandoc reads only UTF-8, so the page is decoded first."""
    page = tmp_path / "diet.htm"
    page.write_bytes(
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        b"<title>Caf\xe9 diet</title></head><body><p>Don\x92t eat caf\xe9 food for 2 days.</p></body></html>"
    )
    done = run_cli(
        project, "import", str(page), "--id", "CAF_0001", "--meta", "department=Dietetics", "--meta", "phone=0118 322 7000",
        "--meta", "author=Dietitians", "--meta", "reviewed=2025-01", "--meta", "next_review=2028-01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    source = source_of(project, "CAF_0001")
    assert source.name == "CAF_0001-cafe-diet.md" and front(source)["title"] == "Caf\u00e9 diet"
    assert body(source) == "\nDon\u2019t eat caf\u00e9 food for 2 days.\n"


def test_what_extract_would_warn_of_is_in_the_report(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("Blood thinners", style="Title")
    p = d.add_paragraph("Stop taking ")
    p.add_run("Apixaban").bold = True
    p.add_run(" two days before.")
    d.sections[0].footer.paragraphs[
        0
    ].text = "HAE_0001 Reviewed: May 2024. Next review due: May 2027. Author: Haematology"
    d.save(str(tmp_path / "drug.docx"))
    done = run_cli(
        project,
        "import",
        str(tmp_path / "drug.docx"),
        "--meta",
        "department=Haematology",
        "--meta",
        "phone=0118 322 7000",
    )
    assert done.returncode == 0, done.stderr
    report = (project / "build" / "import" / "HAE_0001.import.txt").read_text(encoding="utf-8")
    assert "*Apixaban* looks like a drug name but the front matter has no keep: list" in report
