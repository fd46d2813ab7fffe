"""XLIFF interchange: byte-identical round trips, files that lost their contexts, agencies' edits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import editing, run_cli, tree_snapshot
from lxml import etree
from test_samples import TRANSLATIONS as SAMPLES

from leaflets import catalogs, checks
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.translate import translate
from publishing.translation import xliff

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
PO2XLIFF = str(Path(sys.executable).parent / "po2xliff")


def _edit(xlf: Path, source: str, target: str | None = None, approved: str | None = None, ns=NS) -> None:
    tree = etree.parse(str(xlf))
    unit = next(u for u in tree.iterfind(".//x:trans-unit", ns) if u.findtext("x:source", namespaces=ns) == source)
    if target is not None:
        unit.find("x:target", ns).text = target
    if approved is not None:
        unit.set("approved", approved)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")


def test_every_sample_catalog_round_trips_byte_identical_with_everything_in_the_file(project_copy, tmp_path):
    project = Project(project_copy)
    before = tree_snapshot(project_copy / "locales")
    for code in SAMPLES:
        for xlf in xliff.export(project, code, tmp_path):
            assert xliff.import_file(project, xlf).changed == 0
    assert tree_snapshot(project_copy / "locales") == before
    assert checks.run(Project(project_copy)) == []  # check and build agree: every sample still builds
    for code in SAMPLES:
        translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)

    # the file carries every entry, context, note and plural form (Welsh: six)
    tree = etree.parse(str(tmp_path / "cy" / "common.xlf"))
    assert tree.getroot().get("version") == "1.2"
    po = catalogs.load(project_copy / "locales/cy/LC_MESSAGES/common.po")
    resnames = {u.get("resname") for u in tree.iterfind(".//x:trans-unit", NS)} | {
        g.get("resname") for g in tree.iterfind(".//x:group", NS)
    }
    assert {e.msgctxt for e in po} <= resnames
    plural = next(g for g in tree.iterfind(".//x:group", NS) if g.get("resname") == "audio_list")
    assert len(plural.findall("x:trans-unit", NS)) == 6
    notes = {n.text for n in tree.iterfind(".//x:note", NS)}
    assert {e.comment for e in po if e.comment} <= notes


def test_flags_and_a_translators_wrapping_survive_export_and_import(project_copy, tmp_path):
    path = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    text = path.read_text(encoding="utf-8").replace(
        '#. heading level 2\n#: source/RAD_0009-vertebroplasty.md:21\nmsgid "What is',
        '#. heading level 2\n#: source/RAD_0009-vertebroplasty.md:21\n#, max-length:40, reviewed\nmsgid "What is',
    )
    polib.pofile(text, wrapwidth=79).save(str(path))  # wrapped at 79 columns, as Poedit writes
    before = path.read_bytes()
    project = Project(project_copy)
    (xlf,) = [p for p in xliff.export(project, "pl", tmp_path) if p.stem == "RAD_0009"]
    assert "max-length:40, reviewed" in xlf.read_text(encoding="utf-8")
    assert xliff.import_file(project, xlf).changed == 0
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_translate_toolkit_file_without_contexts_is_mapped_back_by_its_english(project_copy, tmp_path):
    po_file = project_copy / "locales/cy/LC_MESSAGES/common.po"
    xlf = tmp_path / "common.xlf"
    subprocess.run([PO2XLIFF, str(po_file), str(xlf)], check=True, capture_output=True)  # loses every msgctxt
    assert "contact_heading" not in xlf.read_text(encoding="utf-8")
    before = po_file.read_text(encoding="utf-8")
    untouched = run_cli(project_copy, "import-xliff", str(xlf))
    assert untouched.returncode == 0, untouched.stderr
    lost = sum(1 for e in polib.pofile(str(po_file)) if e.msgctxt and not e.obsolete)  # every unit of common.po
    assert f"0 entries changed ({lost} found by their English" in untouched.stdout
    assert po_file.read_text(encoding="utf-8") == before  # no fuzzy header, no context lost

    _edit(xlf, "Contacting us", "Cysylltwch â ni", ns={"x": "urn:oasis:names:tc:xliff:document:1.1"})
    done = run_cli(project_copy, "import-xliff", str(xlf))
    assert done.returncode == 0 and "1 entry changed" in done.stdout
    after = po_file.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [('msgstr "Cysylltu â ni"', 'msgstr "Cysylltwch â ni"')]
    assert run_cli(project_copy, "check", "--locale", "cy").returncode == 0
    built = run_cli(project_copy, "build", "--locale", "cy", "--format", "text", "--jobs", "1")
    assert built.returncode == 0, built.stdout + built.stderr


def test_english_in_two_contexts_without_them_is_refused_with_a_list(project_copy, tmp_path):
    common = project_copy / "source/common.yaml"
    common.write_text(
        common.read_text(encoding="utf-8") + "audio_end_again:\n  text: End of the leaflet.\n  note: Said twice.\n",
        encoding="utf-8",
    )
    assert run_cli(project_copy, "update").returncode == 0
    po_file = project_copy / "locales/pl/LC_MESSAGES/common.po"
    xlf = tmp_path / "common.xlf"
    subprocess.run([PO2XLIFF, str(po_file), str(xlf)], check=True, capture_output=True)
    before = tree_snapshot(project_copy / "locales")
    done = run_cli(project_copy, "import-xliff", str(xlf))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert '"End of the leaflet." lost its context and is in 2 (audio_end, audio_end_again)' in done.stderr
    assert "nothing imported" in done.stderr
    assert tree_snapshot(project_copy / "locales") == before


def test_an_agencys_edits_come_in_with_the_state_it_gives_them(project_copy, tmp_path):
    project = Project(project_copy)
    (xlf,) = [p for p in xliff.export(project, "pl", tmp_path) if p.stem == "RAD_0009"]
    _edit(xlf, "Further information", "Więcej informacji", approved="no")  # changed, not approved: fuzzy
    _edit(xlf, "What is a vertebroplasty?", approved="no")  # unchanged: the catalog's state stands
    _edit(xlf, "Radiology Department", "")  # emptied by a tool: the translation stays
    done = xliff.import_file(project, xlf)
    assert done.changed == 1
    po = catalogs.load(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po")
    assert po.find("Further information").msgstr == "Więcej informacji"
    assert "fuzzy" in po.find("Further information").flags
    assert catalogs.usable(po.find("What is a vertebroplasty?"))
    assert po.find("Radiology Department").msgstr == "Zakład Radiologii"

    xlf.write_text(xlf.read_text(encoding="utf-8").replace('target-language="pl"', 'target-language="pl-PL"'))
    _edit(xlf, "Further information", approved="yes")  # approved after review: published
    assert xliff.import_file(project, xlf).changed == 1
    assert catalogs.usable(
        catalogs.load(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po").find("Further information")
    )


def test_units_that_are_not_in_the_catalog_are_listed_and_nothing_is_written(project_copy, tmp_path):
    project = Project(project_copy)
    (xlf,) = [p for p in xliff.export(project, "ro", tmp_path) if p.stem == "common"]
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace("<source>Contacting us</source>", "<source>Contact us</source>"), encoding="utf-8")
    before = tree_snapshot(project_copy / "locales")
    with pytest.raises(LeafletError, match=r'1 unit\(s\) cannot be placed .*"Contact us" \(context contact_heading\)'):
        xliff.import_file(project, xlf)
    assert tree_snapshot(project_copy / "locales") == before
    xlf.write_text("not xml", encoding="utf-8")
    assert "not an XLIFF file" in run_cli(project_copy, "import-xliff", str(xlf)).stderr


def _english_changed(project_copy, msgid: str, old_english: str) -> None:
    """What msgmerge does when the English of an entry changes: fuzzy, the old English as #|."""
    with editing(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po") as po:
        entry = po.find(msgid)
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = old_english


def test_approving_every_unit_does_not_launder_a_translation_of_old_english(project_copy, tmp_path):
    """Issue 27: an agency's tool marks every unit approved; an entry whose English changed since it
    was translated stays fuzzy unless its target was changed too."""
    project = Project(project_copy)
    _english_changed(project_copy, "What is a vertebroplasty?", "What is vertebroplasty?")
    _english_changed(project_copy, "Further information", "More information")
    (xlf,) = [p for p in xliff.export(project, "pl", tmp_path) if p.stem == "RAD_0009"]
    _edit(xlf, "What is a vertebroplasty?", approved="yes")  # unchanged, approved: stays fuzzy
    _edit(xlf, "Further information", "Dalsze informacje", approved="yes")  # retranslated and approved
    done = xliff.import_file(project, xlf)
    assert done.stayed_fuzzy == 1 and done.changed == 1
    po = catalogs.load(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po")
    assert "fuzzy" in po.find("What is a vertebroplasty?").flags
    assert catalogs.usable(po.find("Further information"))
    shown = run_cli(project_copy, "import-xliff", str(xlf))
    assert shown.returncode == 0 and "1 approved entry stayed fuzzy" in shown.stdout


@pytest.mark.slow
def test_a_fuzzy_entrys_previous_context_is_not_taken_for_its_own(project_copy, tmp_path):
    """po2xliff writes msgmerge's previous msgctxt (#| msgctxt) inside <alt-trans>: the unit is
    still found by its own context, not refused as "(context <previous>) is not in the catalog"."""
    po_file = project_copy / "locales/pl/LC_MESSAGES/common.po"
    with editing(po_file) as po:
        entry = po.find("Contacting us", msgctxt="contact_heading")
        entry.flags.append("fuzzy")
        entry.previous_msgctxt, entry.previous_msgid = "website", "To find out more about our Trust visit {website}"
    xlf = tmp_path / "common.xlf"
    subprocess.run([PO2XLIFF, str(po_file), str(xlf)], check=True, capture_output=True)
    assert "x-po-msgctxt" in xlf.read_text(encoding="utf-8")  # the previous context is in the file
    before = po_file.read_bytes()
    done = run_cli(project_copy, "import-xliff", str(xlf))
    assert done.returncode == 0, done.stderr
    assert po_file.read_bytes() == before
