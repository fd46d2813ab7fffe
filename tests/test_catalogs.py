"""Catalogs: deterministic extraction, new locales, msgmerge behaviour, loading errors, translation."""

from __future__ import annotations

import subprocess

import polib
import pytest
from conftest import editing, run_cli, tree_snapshot

from leaflets import catalogs
from leaflets.model import segments
from leaflets.project import Project
from leaflets.translate import MissingTranslations, translate


def _fill_identity(root, code):
    """Translate every entry of a locale as itself (msgstr = msgid), as the bench's generator does."""
    from bench.generate import identity

    for path in (root / "locales" / code / "LC_MESSAGES").glob("*.po"):
        identity(path)


@pytest.fixture
def fresh(project_copy):
    """A project copy with no locales but a new one, 'xx'-free: only templates."""
    for d in (project_copy / "locales").iterdir():
        if d.name != "templates":
            subprocess.run(["rm", "-rf", str(d)], check=True)
    return project_copy


def test_extract_is_byte_identical_and_passes_msgfmt(fresh):
    first = run_cli(fresh, "extract")
    assert first.returncode == 0
    snap = tree_snapshot(fresh / "locales")
    again = run_cli(fresh, "extract")
    assert again.returncode == 0 and "up to date" in again.stdout
    assert tree_snapshot(fresh / "locales") == snap
    for pot in (fresh / "locales" / "templates").glob("*.pot"):
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot)]).returncode == 0
    assert "POT-Creation-Date" not in (fresh / "locales/templates/RAD_0009.pot").read_text()


def test_template_entries_and_comments(fresh):
    run_cli(fresh, "extract")
    pot = polib.pofile(str(fresh / "locales/templates/RAD_0009.pot"))
    leaflet = Project(fresh).leaflet("RAD_0009")
    expected = {leaflet.meta.title.source, leaflet.meta.department.source} | {
        s.source for s in segments(leaflet.blocks)
    }
    assert {e.msgid for e in pot} == expected
    entry = pot.find("What is a vertebroplasty?")
    assert entry.occurrences == [("source/RAD_0009-vertebroplasty.md", "21")]
    assert "heading level 2" in entry.comment
    warfarin = next(e for e in pot if e.msgid.startswith("Anticoagulation"))
    assert "Translators: Warfarin and Clopidogrel are drug names" in warfarin.comment
    assert 'section "What tests and patient preparation' in warfarin.comment
    assert "**Patients are asked not to have any food" in next(e.msgid for e in pot if "food" in e.msgid)


def test_identical_strings_are_merged_with_all_locations(fresh):
    src = fresh / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text() + "\nWhat is a vertebroplasty?\n")
    run_cli(fresh, "extract")
    pot = polib.pofile(str(fresh / "locales/templates/RAD_0009.pot"))
    entry = pot.find("What is a vertebroplasty?")
    assert len(entry.occurrences) == 2 and "paragraph" in entry.comment and "heading" in entry.comment


@pytest.mark.parametrize(
    "code,plural", [("pl", "nplurals=3"), ("cy", "nplurals=6"), ("ur", "nplurals=2"), ("zh_Hans", "nplurals=1")]
)
def test_init_headers(fresh, code, plural):
    done = run_cli(fresh, "init", code)
    assert done.returncode == 0, done.stderr
    po = catalogs.load(fresh / f"locales/{code}/LC_MESSAGES/common.po")
    assert po.metadata["Language"] == code
    assert plural in po.metadata["Plural-Forms"]
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    plural_entry = next(e for e in po if e.msgid_plural)
    assert len(plural_entry.msgstr_plural) == int(plural.split("=")[1])
    for path in (fresh / f"locales/{code}/LC_MESSAGES").glob("*.po"):
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0


@pytest.mark.parametrize("code", ["../x", "xx_YY_ZZ", "klingon", "en"])
def test_init_refuses_bad_locales(fresh, code):
    done = run_cli(fresh, "init", code)
    assert done.returncode != 0 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert not (fresh / "x").exists() and not (fresh / "locales" / "xx_YY_ZZ").exists()


def test_update_marks_changed_fuzzy_and_removed_obsolete_keeping_translators_work(fresh):
    run_cli(fresh, "init", "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        for e in po:
            e.msgstr = "PL: " + e.msgid
        po.find("Further information").tcomment = "translator's own note"

    src = fresh / "source/RAD_0009-vertebroplasty.md"
    text = src.read_text()
    text = text.replace(
        "We consider\n  the risk of this occurring to be 1 in 500.",
        "We consider\n  the risk of this occurring to be 1 in 1000.",
    )
    text = text.replace("Outpatients go home the same day.\n", "")
    text = text.replace("## What are the limitations of vertebroplasty?", "## What are the limits of vertebroplasty?")
    src.write_text(text)
    done = run_cli(fresh, "update")
    assert done.returncode == 0, done.stderr
    merged = polib.pofile(str(po_file))
    changed = next(e for e in merged if "1 in 1000" in e.msgid)
    assert "fuzzy" in changed.flags and "1 in 500" in changed.previous_msgid
    assert changed.msgstr.startswith("PL: ") and "1 in 500" in changed.msgstr  # old translation kept for reference
    heading = merged.find("What are the limits of vertebroplasty?")
    assert heading is not None and "fuzzy" in heading.flags
    assert merged.find("Further information").tcomment == "translator's own note"
    assert merged.find("Further information").msgstr == "PL: Further information"
    assert all(e.obsolete for e in merged if e.msgid == "What are the limitations of vertebroplasty?") or any(
        e.obsolete for e in merged
    )
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)]).returncode == 0
    # fuzzy entries are never rendered: the build refuses, a draft shows English there
    project = Project(fresh)
    with pytest.raises(MissingTranslations) as err:
        translate(project.leaflet("RAD_0009"), "pl", project.shared_strings, locales_dir=project.locales_dir)
    assert any(state == "fuzzy" for state, _ in err.value.missing)


def test_identity_translation_reproduces_the_source_model(fresh):
    run_cli(fresh, "init", "pl")
    _fill_identity(fresh, "pl")
    project = Project(fresh)
    source = translate(project.leaflet("RAD_0009"), "en", project.shared_strings)
    same = translate(project.leaflet("RAD_0009"), "pl", project.shared_strings, locales_dir=project.locales_dir)

    # the body, title and department; the footer differs by design (month names are localised)
    def strip(doc):
        return [(s.inlines, s.source) for s in (doc.meta.title, doc.meta.department, *segments(doc.blocks))]

    assert strip(same) == strip(source)
    assert [type(b) for b in same.blocks] == [type(b) for b in source.blocks]
    assert all(s.lang == "pl" and not s.fallback for s in (*segments(same.blocks), *segments(same.footer)))
    # never signed off: the review notice in the target language and in English
    assert same.review == "unreviewed" and [s.lang for s in same.notices] == ["pl", "en-GB"]
    assert source.review == "source" and source.notices == ()
    assert "maj 2026" in same.footer[-1].content.text
    assert same.locale.code == "pl" and same.locale.direction == "ltr"


def test_files_rewritten_by_msgcat_still_load(fresh):
    run_cli(fresh, "init", "pl")
    _fill_identity(fresh, "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/RAD_0009.po"
    subprocess.run(["msgcat", "--width=60", "-o", str(po_file), str(po_file)], check=True)
    project = Project(fresh)
    doc = translate(project.leaflet("RAD_0009"), "pl", project.shared_strings, locales_dir=project.locales_dir)
    assert doc.blocks


@pytest.mark.parametrize(
    "damage,message",
    [
        (lambda t: t.replace('msgid "Further information"', 'msgid "Further information'), "line"),
        (lambda t: t.replace('msgid "Further information"', 'msgi "Further information"'), "line"),
        (lambda t: t.replace("charset=UTF-8", "charset=ISO-8859-2"), "charset is ISO-8859-2, not UTF-8"),
        (lambda t: t.replace("plural=(n==1 ? 0", "plural=(n==1 ?? 0"), "Plural-Forms header is not valid"),
        (lambda t: t.replace("nplurals=3;", "nplurals=2;"), "Plural-Forms header is not valid"),
    ],
)
def test_malformed_po_gives_file_and_line(fresh, damage, message):
    run_cli(fresh, "init", "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/RAD_0009.po"
    po_file.write_text(damage(po_file.read_text()))
    for command in (["status"], ["build", "--locale", "pl", "--format", "text"], ["update"]):
        done = run_cli(fresh, *command)
        assert done.returncode == 1, (command, done.stdout)
        assert "Traceback" not in done.stderr
        assert "RAD_0009.po:" in done.stderr and message in done.stderr


def test_invalid_utf8_po(fresh):
    run_cli(fresh, "init", "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/common.po"
    po_file.write_bytes(po_file.read_bytes().replace(b'msgstr ""\n\n#. Shown', b'msgstr "\xff"\n\n#. Shown', 1))
    done = run_cli(fresh, "status")
    assert done.returncode == 1 and "common.po:" in done.stderr and "not valid UTF-8" in done.stderr


def test_status_counts(fresh):
    run_cli(fresh, "init", "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        po.find("Further information").msgstr = "Dalsze informacje"
        e = po.find("What is a vertebroplasty?")
        e.msgstr, e.flags = "Czym jest wertebroplastyka?", ["fuzzy"]
    done = run_cli(fresh, "status", "--json")
    row = __import__("json").loads(done.stdout)[0]
    assert (row["translated"], row["fuzzy"]) == (1, 1)
    assert row["untranslated"] == row["total"] - 2 and row["translated_words"] == 2


@pytest.mark.parametrize(
    "args,message",
    [
        (["build", "--leaflet", "NOPE_0001"], "unknown leaflet 'NOPE_0001'"),
        (["build", "--locale", "../x"], "'../x' is not a locale code"),
        (["build", "--locale", "fr"], "no catalogs for locale 'fr'"),
        (["build", "--format", "braille-ish"], "unknown format 'braille-ish'"),
        (["build", "--size", "12"], "print size 12 is out of range (choose 16-32 points"),
    ],
)
def test_unknown_requests_are_one_clear_line(fresh, args, message):
    done = run_cli(fresh, *args)
    assert done.returncode != 0 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (fresh / "build").exists()


def test_update_keeps_ignore_flags_on_unchanged_entries_only(fresh):
    run_cli(fresh, "init", "pl")
    _fill_identity(fresh, "pl")
    po_file = fresh / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        kept = po.find("Further information")
        kept.flags.append("ignore-unchanged")
        risk = next(e for e in po if "1 in 500" in e.msgid)
        risk.flags.append("ignore-numbers")
    src = fresh / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("1 in\n  500.", "1 in\n  1000."))
    assert run_cli(fresh, "update").returncode == 0
    merged = catalogs.load(po_file)
    assert "ignore-unchanged" in merged.find("Further information").flags
    changed = next(e for e in merged if "1 in 1000" in e.msgid)
    assert "fuzzy" in changed.flags and "ignore-numbers" not in changed.flags
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)]).returncode == 0


def test_digit_groups_are_glued_so_no_format_splits_or_reverses_them(fresh):
    run_cli(fresh, "init", "ur")
    _fill_identity(fresh, "ur")
    po_file = fresh / "locales/ur/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        entry = po.find("Further information")
        entry.msgstr = "مزید معلومات کے لیے 0118 322 7991 پر فون کریں، **1 000** بار"
    project = Project(fresh)
    doc = translate(project.leaflet("RAD_0009"), "ur", project.shared_strings, locales_dir=project.locales_dir)
    seg = next(s for s in segments(doc.blocks) if s.source == "Further information")
    assert "0118\u00a0322\u00a07991" in seg.text and seg.inlines[1].children[0].text == "1\u00a0000"
    assert "1 in 500" in next(s.text for s in segments(doc.blocks) if "1 in 500" in s.source)  # words stay apart


def test_an_english_fallback_label_is_filled_in_english(fresh):
    """A draft whose shared catalog is unfinished: the English footer must not carry Persian month names."""
    run_cli(fresh, "init", "fa")
    project = Project(fresh)
    doc = translate(
        project.leaflet("RAD_0009"), "fa", project.shared_strings, draft=True, locales_dir=project.locales_dir
    )
    dates = doc.footer[-1].content
    assert dates.fallback and dates.lang == "en-GB"
    assert dates.text == "Reviewed: May 2026. Next review due: May 2028."
    assert doc.footer[1].content.text.startswith("Radiology Department, Tel")


def test_extract_skips_unchanged_sources_but_repairs_and_prunes_templates(fresh):
    assert run_cli(fresh, "extract").returncode == 0
    pot = fresh / "locales/templates/RAD_0009.pot"
    good = pot.read_bytes()
    pot.write_text("damaged")
    done = run_cli(fresh, "extract")
    assert "1 template(s) changed" in done.stdout and pot.read_bytes() == good
    pot.unlink()
    run_cli(fresh, "extract")
    assert pot.read_bytes() == good
    (fresh / "source/RAD_0009-vertebroplasty.md").rename(fresh / "source/RAD_0010-other.md")
    src = fresh / "source/RAD_0010-other.md"
    src.write_text(src.read_text().replace("id: RAD_0009", "id: RAD_0010"))
    assert run_cli(fresh, "extract").returncode == 0
    assert not pot.exists() and (fresh / "locales/templates/RAD_0010.pot").exists()


def test_written_files_are_readable_by_others(fresh):
    for pot in (fresh / "locales/templates").glob("*.pot"):
        pot.unlink()
    run_cli(fresh, "init", "pl")
    assert run_cli(fresh, "build", "--format", "text", "--locale", "en").returncode == 0
    for path in [
        fresh / "locales/templates/RAD_0009.pot",
        fresh / "locales/pl/LC_MESSAGES/RAD_0009.po",
        fresh / "build/index.html",
        *(fresh / "build").glob("*/*/*"),
    ]:
        assert path.stat().st_mode & 0o044 == 0o044, path  # group and others may read (umask 022)


def test_library_extraction_on_all_cores_matches_one_by_one(tmp_path):
    """Many stale templates are made by forked workers: same bytes, same one-line errors."""
    from bench.generate import generate
    from publishing.translation import workflow

    root = generate(tmp_path / "lib", workflow.PARALLEL_FROM + 6)
    done = run_cli(root, "extract")
    assert done.returncode == 0 and f"{workflow.PARALLEL_FROM + 7} template(s) changed" in done.stdout
    project = Project(root)
    for domain in project.domains():
        expected = catalogs.po_bytes(workflow.template(project, domain))
        assert catalogs.template_path(project.locales_dir, domain).read_bytes() == expected, domain
    bad = root / "source/GEN_0017-generated-17.md"
    bad.write_text(bad.read_text() + "\n![scan](x.png)\n")
    for pot in (root / "locales/templates").glob("*.pot"):
        pot.unlink()
    done = run_cli(root, "extract")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "GEN_0017-generated-17.md:" in done.stderr and "picture 'x.png' is not a file in images/" in done.stderr
