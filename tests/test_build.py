"""The build engine and publishing policy: incremental, atomic, parallel, refusals keep old output."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from conftest import counts, editing, run_cli
from test_catalogs import _fill_identity

from leaflets import catalogs

TXT = "build/RAD_0009/pl/RAD_0009-vertebroplasty.pl.txt"


@pytest.fixture
def proj(project_copy):
    """A project with English and an identity-translated Polish (so every build can succeed)."""
    for d in (project_copy / "locales").iterdir():
        if d.name != "templates":
            shutil.rmtree(d)
    assert run_cli(project_copy, "init", "pl").returncode == 0
    _fill_identity(project_copy, "pl")
    return project_copy


def build(root, *args):
    return run_cli(root, "build", "--format", "text", "--jobs", "1", *args)


def manifest(root) -> dict:
    return json.loads((root / "build/manifest.json").read_text())


def test_noop_rebuild_says_nothing_to_do_and_deleting_rebuilds_just_it(proj):
    first = build(proj)
    assert first.returncode == 0 and counts(first.stdout) == {"built": 2}
    again = build(proj)
    assert again.returncode == 0 and again.stdout == "nothing to do: 2 up to date\n"
    (proj / TXT).unlink()
    third = build(proj)
    assert counts(third.stdout) == {"built": 1, "up to date": 1}
    assert (proj / TXT).exists()


def test_a_changed_catalog_rebuilds_only_its_locale(proj):
    build(proj)
    en = (proj / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt").stat().st_mtime_ns
    po_file = proj / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        po.find("Further information").msgstr = "Dalsze informacje"
    done = build(proj)
    assert counts(done.stdout) == {"built": 1, "up to date": 1}
    assert (proj / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt").stat().st_mtime_ns == en
    assert "Dalsze informacje" in (proj / TXT).read_text()


def test_options_are_inputs_only_for_writers_that_use_them(proj):
    word = ["build", "--format", "word", "--jobs", "1"]
    assert counts(run_cli(proj, *word).stdout) == {"built": 2}
    done = run_cli(proj, *word, "--size", "24")
    assert counts(done.stdout) == {"built": 2}
    assert (proj / "build/RAD_0009/pl/RAD_0009-vertebroplasty.pl.24pt.docx").exists()
    build(proj)
    assert build(proj, "--size", "24").stdout == "nothing to do: 2 up to date\n"  # plain text has no type size
    assert not list((proj / "build").glob("*/*/*24pt.txt"))


def test_refused_build_keeps_previous_output_byte_for_byte(proj):
    assert build(proj).returncode == 0
    good = (proj / TXT).read_bytes()
    po_file = proj / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        e = po.find("Further information")
        e.msgstr, e.flags = "Dalsze informacje (stare)", ["fuzzy"]
    done = build(proj)
    assert done.returncode == 1
    assert "refused: RAD_0009 pl text" in done.stderr and 'fuzzy "Further information"' in done.stderr
    assert (proj / TXT).read_bytes() == good
    m = manifest(proj)
    assert any(a["path"] == "RAD_0009/pl/RAD_0009-vertebroplasty.pl.txt" for a in m["artifacts"])
    assert m["not_built"][0]["state"] == "refused" and m["not_built"][0]["locale"] == "pl"
    # still refused on the next run: the problem has not gone away
    assert build(proj).returncode == 1


def test_draft_marks_fallbacks_and_never_overwrites_release(proj):
    build(proj)
    good = (proj / TXT).read_bytes()
    po_file = proj / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        po.find("Further information").msgstr = ""
    done = build(proj, "--draft", "--locale", "pl")
    assert done.returncode == 0, done.stderr
    draft = (proj / "build/RAD_0009/pl/RAD_0009-vertebroplasty.pl.draft.txt").read_text()
    assert draft.startswith("Vertebroplasty") and "DRAFT" in draft
    assert (proj / TXT).read_bytes() == good


def test_manifest_describes_exactly_what_is_on_disk(proj):
    build(proj)
    m = manifest(proj)
    on_disk = sorted(p.relative_to(proj / "build").as_posix() for p in (proj / "build").glob("*/*/*"))
    assert sorted(a["path"] for a in m["artifacts"]) == on_disk
    for a in m["artifacts"]:
        data = (proj / "build" / a["path"]).read_bytes()
        assert a["bytes"] == len(data) and a["sha256"] == __import__("hashlib").sha256(data).hexdigest()
    (proj / TXT).unlink()
    build(proj, "--locale", "en")  # a build of something else still records the truth
    assert TXT.split("build/")[1] not in [a["path"] for a in manifest(proj)["artifacts"]]


def test_parallel_output_is_identical_to_serial(proj, tmp_path):
    serial = run_cli(proj, "build", "--format", "text", "--jobs", "1", "--out", str(tmp_path / "a"))
    parallel = run_cli(proj, "build", "--format", "text", "--jobs", "2", "--out", str(tmp_path / "b"))
    assert serial.returncode == parallel.returncode == 0

    def files(d):
        return {p.relative_to(d).as_posix(): p.read_bytes() for p in d.glob("*/*/*")}

    assert files(tmp_path / "a") == files(tmp_path / "b") and len(files(tmp_path / "a")) == 2


def test_leftovers_of_a_killed_build_are_cleared_and_nobody_elses(proj):
    build(proj)
    leftover = proj / "build/.tmp/worker-123-abc/speech.raw"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half")
    theirs = proj / "build/RAD_0009/pl/.notes.tmp"
    theirs.write_bytes(b"somebody's")
    assert build(proj).returncode == 0
    assert not leftover.exists() and not list((proj / "build/.tmp").glob("*"))
    assert theirs.read_bytes() == b"somebody's"
    assert "notes" not in (proj / "build/manifest.json").read_text()


def test_release_refuses_unreviewed_then_signoff_then_stale(proj):
    done = build(proj, "--release")
    assert done.returncode == 1 and "pl: translation is unreviewed" in done.stderr
    assert (proj / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt").exists()  # English is the source

    bad = run_cli(proj, "signoff", "pl", "--leaflet", "RAD_0009", "--by", "nobody")
    assert bad.returncode != 0 and "name and role" in bad.stderr
    ok = run_cli(proj, "signoff", "pl", "--leaflet", "RAD_0009", "--by", "Dr A Nowak, consultant radiologist")
    assert ok.returncode == 0, ok.stderr
    po = catalogs.load(proj / "locales/pl/LC_MESSAGES/RAD_0009.po")
    assert po.metadata["X-Reviewed-By"] == "Dr A Nowak, consultant radiologist"
    assert po.metadata["X-Reviewed-Date"] == date.today().isoformat()
    done = build(proj, "--release")
    assert done.returncode == 0, done.stderr
    assert "not yet been checked" not in (proj / TXT).read_text()

    # the English source changes: the sign-off is stale, the notice comes back, release refuses
    src = proj / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("1 in\n  500.", "1 in\n  1000."))
    assert run_cli(proj, "update").returncode == 0
    _fill_identity(proj, "pl")
    status = run_cli(proj, "status", "--json")
    assert json.loads(status.stdout)[0]["review"].startswith("stale: the English text changed")
    done = build(proj, "--release")
    assert done.returncode == 1 and "translation is stale" in done.stderr
    assert build(proj).returncode == 0
    text = (proj / TXT).read_text()
    assert text.count("This translation has not yet been checked by a clinician.") == 2  # pl (identity) + English


def test_expired_leaflet_warns_on_every_build_and_release_refuses(proj):
    src = proj / "source/RAD_0009-vertebroplasty.md"
    src.write_text(
        src.read_text()
        .replace("reviewed: '2026-05'", "reviewed: '2020-01'")
        .replace("next_review: '2028-05'", "next_review: '2021-01'")
    )
    for _ in range(2):
        done = build(proj, "--locale", "en")
        assert (
            done.returncode == 0 and "warning: RAD_0009-vertebroplasty.md: next review was due 2021-01" in done.stderr
        )
    done = build(proj, "--locale", "en", "--release")
    assert done.returncode == 1 and "was due for review in 2021-01" in done.stderr


def test_check_errors_refuse_the_locale_and_keep_the_previous_copy(proj):
    assert build(proj).returncode == 0
    good = (proj / TXT).read_bytes()
    po_file = proj / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        e = next(e for e in po if "1 in 500" in e.msgid)
        e.msgstr = e.msgstr.replace("1 in 500", "1 in 50")
    done = build(proj)
    assert done.returncode == 1
    assert "refused: RAD_0009 pl text" in done.stderr and "check error" in done.stderr and "[numbers]" in done.stderr
    assert (proj / TXT).read_bytes() == good
    assert build(proj, "--locale", "en").returncode == 0  # other locales still build


def test_a_writers_external_inputs_are_part_of_the_fingerprint(proj, monkeypatch, tmp_path):
    """A font or voice update (a file in a writer's `inputs`) must redo that writer's artifacts,
    although the plan keeps the inputs in the build state rather than asking the writer again."""
    import formats
    from leaflets.project import Project
    from publishing.engine.build import Request, build
    from publishing.engine.progress import Progress

    font = tmp_path / "font.ttf"
    font.write_bytes(b"glyphs")
    monkeypatch.setattr(formats.get("text"), "inputs", lambda locale: formats.stamp(font), raising=False)
    request = Request(out_dir=str(proj / "build"), options=formats.Options())
    quiet = __import__("io").StringIO()

    def again() -> str:
        return build(Project(proj), ["RAD_0009"], ["pl"], ["text"], request, progress=Progress(1, quiet)).line()

    assert again() == "1 built"
    assert again() == "nothing to do: 1 up to date"
    font.write_bytes(b"better glyphs")  # the font package was updated
    assert again() == "1 built"


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    import io

    from publishing.engine.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty, log = Terminal(), io.StringIO()
    for stream in (tty, log):
        bar = Progress(2, stream=stream)
        bar.step("RAD_0009 pl word", "built")
        bar.message("refused: RAD_0009 ur word: reason")
        bar.step("RAD_0009 ur word", "refused")
        bar.close()
    assert "\r" in tty.getvalue() and "[" in tty.getvalue() and "2/2" in tty.getvalue()
    assert log.getvalue() == "built RAD_0009 pl word\nrefused: RAD_0009 ur word: reason\n"


def test_an_unwritable_output_folder_is_one_line(proj, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run_cli(proj, "build", "--format", "text", "--out", str(blocker / "out"))
    assert done.returncode == 1 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_a_failure_is_tried_again_once_its_cause_is_gone(proj):
    build(proj, "--locale", "pl")
    (proj / TXT).unlink()
    (proj / TXT).mkdir()  # a folder where the file should go
    done = build(proj, "--locale", "pl")
    assert done.returncode == 1 and "failed: RAD_0009 pl text: " in done.stderr and "cannot write" in done.stderr
    assert "Traceback" not in done.stderr
    (proj / TXT).rmdir()
    done = build(proj, "--locale", "pl")
    assert done.returncode == 0 and counts(done.stdout) == {"built": 1}


def test_a_partial_build_keeps_the_reasons_for_everything_else(proj):
    po_file = proj / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        po.find("Further information").msgstr = ""
    assert build(proj).returncode == 1
    assert build(proj, "--locale", "en").returncode == 0
    reasons = manifest(proj)["not_built"]
    assert [(n["locale"], n["state"]) for n in reasons] == [("pl", "refused")]


@pytest.mark.subprocess
def test_two_builds_at_once_wait_for_each_other_and_keep_all_records(proj):
    import subprocess as sp
    import sys

    from conftest import ROOT

    cmd = [sys.executable, str(ROOT / "pipeline.py"), "--root", str(proj), "build", "--jobs", "1", "--format"]
    runs = [sp.Popen([*cmd, fmt], stdout=sp.PIPE, stderr=sp.PIPE, text=True) for fmt in ("text", "word")]
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    done = run_cli(proj, "build", "--jobs", "1", "--format", "text", "--format", "word")
    assert done.stdout == "nothing to do: 4 up to date\n"
