"""Tables, pictures, several contacts, notice kinds, quotations and sources (issue 23): read from the
source, extracted with translator comments, translated (with a per-language picture), and refused
with file, line and fix when wrong. The formats' own tests are in test_rich_formats.py."""

from __future__ import annotations

import shutil

import polib
import pytest

from leaflets import catalogs, pictures, reader
from leaflets.files import write_atomic
from leaflets.model import QUOTE, Notice, Picture, Table, segments
from leaflets.project import Project
from leaflets.translate import MissingTranslations, translate
from tests import rich_leaflet
from tests.conftest import ROOT, counts, run_cli, tree_snapshot


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("rich") / "proj"
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    rich_leaflet.make(root)
    return root


def test_the_source_reads_into_a_table_a_picture_notices_and_contacts(project):
    leaflet = Project(project).leaflet(rich_leaflet.ID)
    table = next(b for b in leaflet.blocks if isinstance(b, Table))
    assert tuple(h.text for h in table.header) == rich_leaflet.HEADER
    assert [tuple(c.text if c else "" for c in row) for row in table.rows] == list(rich_leaflet.ROWS)
    assert table.align == ("left", "left", "left")
    picture = next(b for b in leaflet.blocks if isinstance(b, Picture))
    assert (picture.alt.text, picture.caption.text) == (rich_leaflet.ALT, rich_leaflet.CAPTION)
    assert picture.media_type == "image/png" and (picture.width, picture.height) == (240, 160)
    assert picture.data == (project / "source/images/drinks.png").read_bytes()
    kinds = [b.kind for b in leaflet.blocks if isinstance(b, Notice)]
    assert kinds == ["warning", QUOTE]
    assert [c.name.text for c in leaflet.meta.contacts] == ["Endoscopy nurse", "Ward 10"]  # the main one first
    assert leaflet.meta.contacts[0].main and leaflet.meta.sources[0].text.startswith("NICE.")


def test_each_cell_alt_text_caption_and_contact_is_an_entry_saying_where_it_sits(project):
    pot = polib.pofile(str(catalogs.template_path(project / "locales", rich_leaflet.ID)))
    comment = {e.msgid: e.comment for e in pot}
    assert 'table cell in column "Avoid", row 2 ("Drinks") in section "What you can eat"' in comment["Milk"]
    assert "table column header 1 of 3" in comment["Food group"]
    assert "picture drinks.png: alt text" in comment[rich_leaflet.ALT]
    assert "picture drinks.png: caption" in comment[rich_leaflet.CAPTION]
    assert "name of a contact" in comment["Ward 10"] and "opening hours" in comment["24 hours a day"]
    assert "warning notice: paragraph" in comment["Stop eating 24 hours before the test."]
    assert "quotation: paragraph" in comment["I found the clear soup easy."]


def test_translation_carries_cells_pictures_labels_and_contacts(project):
    p = Project(project)
    doc = translate(p.leaflet(rich_leaflet.ID), "pl", p.shared_strings, locales_dir=p.locales_dir)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [h.text for h in table.header] == ["Grupa żywności", "Co można jeść", "Czego unikać"]
    assert table.rows[2][1] is None and table.rows[0][1].text == "Białe pieczywo"
    warning = next(b for b in doc.blocks if isinstance(b, Notice) and b.kind == "warning")
    quote = next(b for b in doc.blocks if isinstance(b, Notice) and b.kind == QUOTE)
    assert warning.label.text == "Ostrzeżenie:" and quote.label is None
    footer = [s.text for s in segments(doc.footer)]
    assert "Pielęgniarka endoskopowa, tel. 0118\xa0322\xa07550." in footer
    assert "Oddział 10, tel. 0118\xa0322\xa07485, 24 godziny na dobę." in footer
    assert footer[-2:] == ["Skąd pochodzą te informacje", "NICE. Bowel preparation before colonoscopy, 2020."]
    assert next(s for s in segments(doc.footer) if s.text.startswith("NICE")).lang == "en-GB"


def test_a_picture_with_words_can_be_replaced_per_language(project, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    rich_leaflet.picture_png(root / "locales/ur/images/drinks.png", size=(300, 200))
    p = Project(root)
    ur = translate(p.leaflet(rich_leaflet.ID), "ur", p.shared_strings, locales_dir=p.locales_dir)
    pl = translate(p.leaflet(rich_leaflet.ID), "pl", p.shared_strings, locales_dir=p.locales_dir)
    assert next(b for b in ur.blocks if isinstance(b, Picture)).width == 300
    assert next(b for b in pl.blocks if isinstance(b, Picture)).width == 240


def test_new_shared_strings_are_needed_only_by_leaflets_that_use_them(project, tmp_path):
    """A language that has not translated "Picture: {alt}" still builds the seed, not this leaflet."""
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    path = catalogs.po_path(root / "locales", "pl", catalogs.COMMON)
    po = catalogs.load(path)
    next(e for e in po if e.msgctxt == "picture").msgstr = ""
    write_atomic(path, catalogs.po_bytes(po))
    p = Project(root)
    translate(p.leaflet("RAD_0009"), "pl", p.shared_strings, locales_dir=p.locales_dir)
    with pytest.raises(MissingTranslations, match="Picture: "):
        translate(p.leaflet(rich_leaflet.ID), "pl", p.shared_strings, locales_dir=p.locales_dir)


FRONT = """---
id: TST_0001
title: A test leaflet
organisation: Org
department: Dept
phone: 0118 322 7991
website: www.example.nhs.uk
author: Me
reviewed: '2026-05'
next_review: '2028-05'
---

"""


def _read(tmp_path, body: str, front: str = FRONT):
    path = tmp_path / "TST_0001-test.md"
    path.write_text(front + body, encoding="utf-8")
    return reader.read(path)


def _refused(tmp_path, body: str, front: str = FRONT) -> str:
    with pytest.raises(reader.SourceError) as err:
        _read(tmp_path, body, front)
    return str(err.value)


@pytest.mark.parametrize("alt", ["", "image", "Picture", "photo", "drinks.png", "IMG_2041", "drinks", "scan_01"])
def test_alt_text_that_says_nothing_is_refused(tmp_path, alt):
    rich_leaflet.picture_png(tmp_path / "images/drinks.png")
    message = _refused(tmp_path, f"Intro.\n\n![{alt}](images/drinks.png)\n")
    assert ":15: picture drinks.png" in message and "say what it shows" in message


def test_pictures_that_cannot_be_used_are_refused_with_the_line(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "fake.png").write_bytes(b"GIF89a" + b"\0" * 40)
    (images / "big.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * (pictures.MAX_BYTES + 1))
    (images / "bad.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (images / "ext.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="https://example.com/x.png"/></svg>'
    )
    (images / "onload.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    (images / "link.png").symlink_to(ROOT / "source/common.yaml")
    cases = {
        "missing.png": "is missing",
        "fake.png": "is not a PNG file",
        "big.jpg": "over the 10 MB limit",
        "bad.svg": "SVG with <script>",
        "ext.svg": "an external reference 'https://example.com/x.png'",
        "onload.svg": "an event attribute onload",
        "link.png": "is not a plain file",
    }
    for name, what in cases.items():
        message = _refused(tmp_path, f"Intro.\n\n![A nurse and a patient]({'images/' + name})\n")
        assert ":15: " in message and what in message and message.count("\n") == 0, (name, message)


def test_a_safe_svg_is_read_with_its_size(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images/arrow.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><path d="M0 20h100" stroke="#000"/></svg>'
    )
    picture = next(b for b in _read(tmp_path, "![An arrow pointing right](images/arrow.svg)\n").blocks)
    assert isinstance(picture, Picture) and (picture.media_type, picture.width, picture.height) == (
        "image/svg+xml",
        120,
        40,
    )


def test_inline_bold_and_links_in_cells_and_alignment(tmp_path):
    body = "| Drug | Dose |\n|:--|--:|\n| **Aspirin** | [75 mg](https://bnf.nice.org.uk) |\n"
    table = _read(tmp_path, body).blocks[0]
    assert isinstance(table, Table) and table.align == ("left", "right")
    assert [c.source for c in table.rows[0]] == ["**Aspirin**", "[75 mg](https://bnf.nice.org.uk)"]


def test_contacts_may_replace_the_single_phone_and_are_checked(tmp_path):
    front = FRONT.replace("phone: 0118 322 7991\n", "contacts:\n  - name: Ward 10\n    phone: 0118 322 7485\n")
    leaflet = _read(tmp_path, "Intro.\n", front)
    assert leaflet.meta.phone == "" and leaflet.meta.contacts[0].phone == "0118 322 7485"
    bad = FRONT.replace("phone: 0118 322 7991\n", "contacts:\n  - name: Ward 10\n    phone: call us\n")
    assert "contact 1 phone 'call us' is not a phone number" in _refused(tmp_path, "Intro.\n", bad)
    two = front + ""
    two = front.replace(
        "    phone: 0118 322 7485\n",
        "    phone: 0118 322 7485\n    main: true\n  - name: B\n    phone: 0118 322 7486\n    main: true\n",
    )
    assert "more than one main contact" in _refused(tmp_path, "Intro.\n", two)


def test_a_bad_table_on_the_command_line_changes_nothing(project, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    source = root / "source" / rich_leaflet.NAME
    source.write_text(
        source.read_text().replace("| Fruit      |                  | All fruit |", "| Fruit | All fruit |")
    )
    before = tree_snapshot(root)
    done = run_cli(root, "build", "--leaflet", rich_leaflet.ID, "--format", "text")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{rich_leaflet.NAME}:30: row 3 of the table has 2 cells, the header has 3" in done.stderr
    after = {k: v for k, v in tree_snapshot(root).items() if not (k.startswith("build/") and k.count("/") == 1)}
    assert after == before


@pytest.mark.slow
def test_every_format_builds_in_four_languages_and_a_bad_picture_keeps_the_good_copies(project, tmp_path):
    """The build engine hands each task the pictures its leaflet names (and the language's own); a
    picture that turns bad refuses that leaflet in one line per copy and leaves the copies made before."""
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    where = [a for code in rich_leaflet.LOCALES for a in ("--locale", code)]
    done = run_cli(root, "build", "--leaflet", rich_leaflet.ID, *where)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout.strip().splitlines()[-1]) == {"built": 32}
    made = {k: v for k, v in tree_snapshot(root / "build").items() if k.startswith(rich_leaflet.ID)}
    assert len(made) == 32
    (root / "source/images/drinks.png").write_bytes(b"GIF89a" + bytes(64))
    done = run_cli(root, "build", "--leaflet", rich_leaflet.ID, "--locale", "en", "--format", "word")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert f"{rich_leaflet.NAME}:32: picture file" in line and "is not a PNG file" in line
    after = {k: v for k, v in tree_snapshot(root / "build").items() if k.startswith(rich_leaflet.ID)}
    assert after == made


def test_a_contact_line_still_in_english_in_a_draft_names_the_contact_in_english(project, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    path = catalogs.po_path(root / "locales", "pl", catalogs.COMMON)
    po = catalogs.load(path)
    next(e for e in po if e.msgctxt == "contact_hours").msgstr = ""
    write_atomic(path, catalogs.po_bytes(po))
    p = Project(root)
    doc = translate(p.leaflet(rich_leaflet.ID), "pl", p.shared_strings, draft=True, locales_dir=p.locales_dir)
    footer = {s.text: s for s in segments(doc.footer)}
    english = footer["Ward 10, Tel 0118\xa0322\xa07485, 24 hours a day."]
    assert english.fallback and english.lang == "en-GB"
    assert "Pielęgniarka endoskopowa, tel. 0118\xa0322\xa07550." in footer  # its own sentence is translated


def test_a_body_section_named_like_the_closing_section_is_refused(project, tmp_path):
    """Written today, the numbers end up under a second "Contacting us" heading: say where they go."""
    root = tmp_path / "proj"
    shutil.copytree(project, root)
    source = root / "source" / rich_leaflet.NAME
    source.write_text(source.read_text() + "\n## Contacting us\n\nRing the ward.\n")
    done = run_cli(root, "build", "--leaflet", rich_leaflet.ID, "--locale", "en", "--format", "text")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert f'{rich_leaflet.NAME}:39: a section headed "Contacting us"' in line and "contacts:" in line


@pytest.mark.parametrize(
    "quote", ["> [!TIP]\n> Drink plenty.\n", "> [!TIP] Drink plenty.\n", "> [!tip]\n>\n> Drink plenty.\n"]
)
def test_a_notice_kind_on_its_own_line_or_before_the_text(tmp_path, quote):
    (notice,) = _read(tmp_path, quote).blocks
    assert isinstance(notice, Notice) and notice.kind == "tip"
    assert [s.text for s in segments(notice.blocks)] == ["Drink plenty."]


def test_an_images_folder_that_is_a_link_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    rich_leaflet.picture_png(elsewhere / "drinks.png")
    (tmp_path / "images").symlink_to(elsewhere)
    message = _refused(tmp_path, "Intro.\n\n![A glass of water](images/drinks.png)\n")
    assert ":15: " in message and "is a link to another folder" in message
