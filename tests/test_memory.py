"""Translation memory: a second leaflet sharing sentences with the seed gets them suggested, fuzzy,
in every sample language; nothing is published until a translator clears the flags."""

from __future__ import annotations

import subprocess

import polib
import pytest
from conftest import editing, run_cli
from test_samples import TRANSLATIONS as SAMPLES

from leaflets import catalogs
from leaflets.project import Project
from publishing.translation import memory

SEED = "source/RAD_0009-vertebroplasty.md"
CLOSE = "Kyphoplasty is accomplished by injecting orthopaedic cement through a needle into the fractured bone"


def _second_leaflet(root):
    """RAD_0010: the seed's front matter, two of its paragraphs and a heading word for word, and
    one paragraph with a word changed (a close match)."""
    text = (root / SEED).read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].replace("id: RAD_0009", "id: RAD_0010")
    body = (
        "You should have plenty of time to discuss this procedure with the doctor who will be\n"
        "performing the procedure.\n\n"
        "## What is a vertebroplasty?\n\n"
        "Vertebroplasty is accomplished by injecting orthopaedic cement through a needle into the\n"
        "fractured bone; essentially forming an internal cast to stabilise the fracture.\n\n"
        + CLOSE
        + "; essentially forming an internal cast to stabilise the fracture.\n"
    )
    (root / "source/RAD_0010-cement.md").write_text(front + "\n---\n\n" + body, encoding="utf-8")


def _built(root, code):
    return sorted((root / "build" / "RAD_0010" / code).glob("*.txt"))


@pytest.mark.slow
def test_shared_sentences_are_suggested_fuzzy_and_publish_only_once_cleared(project_copy):
    _second_leaflet(project_copy)
    done = run_cli(project_copy, "update")
    assert done.returncode == 0, done.stderr
    assert "translation memory suggested 50 exact and 10 close" in done.stdout
    for code in SAMPLES:
        path = catalogs.po_path(project_copy / "locales", code, "RAD_0010")
        po, seed = catalogs.load(path), catalogs.load(catalogs.po_path(project_copy / "locales", code, "RAD_0009"))
        for entry in po:
            assert "fuzzy" in entry.flags, (code, entry.msgid)
            if entry.msgid.startswith("Kyphoplasty"):
                assert entry.tcomment.startswith("translation memory: 9") and "% match in RAD_0009.po" in entry.tcomment
                assert entry.previous_msgid.startswith("Vertebroplasty is accomplished")
                assert entry.msgstr == seed.find(entry.previous_msgid).msgstr
            else:
                assert entry.tcomment == "translation memory: exact match in RAD_0009.po"
                assert entry.msgstr == seed.find(entry.msgid).msgstr and entry.msgstr
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0

    refused = run_cli(project_copy, "build", "--leaflet", "RAD_0010", "--format", "text", "--jobs", "1")
    assert refused.returncode == 1 and "fuzzy" in refused.stderr + refused.stdout
    assert all(_built(project_copy, code) == [] for code in SAMPLES)  # nothing unreviewed was published

    for code in SAMPLES:  # the translator reviews every suggestion and clears its flag
        with editing(catalogs.po_path(project_copy / "locales", code, "RAD_0010")) as po:
            for entry in po:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
    again = run_cli(project_copy, "update")
    assert again.returncode == 0 and "catalogs up to date" in again.stdout  # their work is never overwritten
    built = run_cli(project_copy, "build", "--leaflet", "RAD_0010", "--format", "text", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    assert all(len(_built(project_copy, code)) == 1 for code in SAMPLES)


def test_a_translation_is_never_replaced_and_suggestions_come_from_other_catalogs(project_copy):
    _second_leaflet(project_copy)
    run_cli(project_copy, "init", "fa")  # a new language: nothing to suggest from
    path = catalogs.po_path(project_copy / "locales", "fa", "RAD_0010")
    assert not any(e.msgstr for e in catalogs.load(path))
    seed = catalogs.po_path(project_copy / "locales", "fa", "RAD_0009")
    with editing(seed) as po:
        po.find("Radiology Department").msgstr = "بخش رادیولوژی"
        fuzzy = po.find("What is a vertebroplasty?")
        fuzzy.msgstr, fuzzy.flags = "ورتبروپلاستی چیست؟", ["fuzzy"]  # unreviewed: never a source
    with editing(path) as po:
        po.find("Radiology Department").msgstr = "دپارتمان رادیولوژی"  # the translator's own choice
    run_cli(project_copy, "update")
    po = catalogs.load(path)
    assert po.find("Radiology Department").msgstr == "دپارتمان رادیولوژی"
    assert "fuzzy" not in po.find("Radiology Department").flags
    assert po.find("What is a vertebroplasty?").msgstr == ""


def test_memory_command_writes_a_compendium_msgmerge_uses_and_a_tmx(project_copy, tmp_path):
    done = run_cli(project_copy, "memory", "pl", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    compendium, tmx = tmp_path / "pl.po", tmp_path / "pl.tmx"
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(compendium)]).returncode == 0
    from translate.storage.tmx import tmxfile

    units = tmxfile.parsefile(str(tmx)).units
    seed = catalogs.load(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po")
    assert {(str(u.source), str(u.target)) for u in units} >= {(e.msgid, e.msgstr) for e in seed if catalogs.usable(e)}
    # GNU msgmerge fills a new catalog from the compendium: the format agencies and Poedit use
    _second_leaflet(project_copy)
    run_cli(project_copy, "extract")
    pot = project_copy / "locales/templates/RAD_0010.pot"
    merged = subprocess.run(
        ["msgmerge", "--quiet", "--compendium", str(compendium), "-o", "-", "/dev/null", str(pot)],
        capture_output=True,
        text=True,
    )
    assert polib.pofile(merged.stdout).find("Radiology Department").msgstr == "Zakład Radiologii"
    nothing = run_cli(project_copy, "memory", "en")
    assert nothing.returncode != 0 and "Traceback" not in nothing.stderr


def test_close_matches_need_the_threshold_and_exact_ones_win():
    units = [
        memory.Unit("Do not eat for 6 hours before the procedure.", "A", "RAD_0001.po"),
        memory.Unit("Do not eat for 4 hours before the procedure.", "B", "RAD_0002.po"),
        memory.Unit("Bring your medicines with you.", "C", "RAD_0003.po"),
    ]
    found = memory.Memory(units)
    assert found.suggest("Do not eat for 4 hours before the procedure.").unit.target == "B"
    close = found.suggest("Do not eat for 4 hours before the procedure.", exclude="RAD_0002.po")
    assert close.unit.target == "A" and memory.THRESHOLD <= close.score < 1.0
    assert found.suggest("Please bring all your medicines and a list of them.") is None
    assert found.suggest("Bring your own medicines with you.").unit.target == "C"  # by shared rare words


@pytest.mark.parametrize("code", ["pl", "zh_Hans"])
def test_memory_of_a_sample_language_holds_only_finished_entries(code):
    from conftest import ROOT

    project = Project(ROOT)
    pos = memory.language(project.locales_dir, code, [*project.leaflet_ids(), catalogs.COMMON])
    found = memory.Memory.of(pos)
    assert found.units and all(u.target for u in found.units)
    assert found.units[0].origin == "common.po"


def test_a_suggestion_failing_the_checks_is_withheld_and_one_offered_is_checked_against_its_new_english():
    """Issue 27: nothing laundered through the memory."""
    units = [
        memory.Unit("Take 500 mg of paracetamol.", "Przyjmij 50 mg paracetamolu.", "RAD_0001.po"),  # wrong
        memory.Unit(
            "Take 250 mg twice a day after food.", "Przyjmuj 250 mg dwa razy dziennie po jedzeniu.", "RAD_0002.po"
        ),
    ]
    po = polib.POFile()
    po.metadata = {"Language": "pl"}
    po.append(polib.POEntry(msgid="Take 500 mg of paracetamol.", msgstr=""))
    po.append(polib.POEntry(msgid="Take 500 mg twice a day after food.", msgstr=""))
    counts = memory.Memory(units).fill(po, "RAD_0003")
    assert counts.withheld == 1 and counts.exact == 0 and counts.close == 1
    assert po.find("Take 500 mg of paracetamol.").msgstr == ""
    offered = po.find("Take 500 mg twice a day after food.")
    assert "fuzzy" in offered.flags
    assert "against this English: numbers: 500 in the source, 250 in the translation" in offered.tcomment
