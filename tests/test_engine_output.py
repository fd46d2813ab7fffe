"""The output folder is the build's alone: it refuses what it did not make, deletes nothing it did
not write, and mends a manifest that disagrees with the files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, counts, editing, run_cli, tree_snapshot

import formats
from publishing.engine import output


@pytest.fixture
def english(tmp_path) -> Path:
    root = tmp_path / "proj"
    (root / "locales").mkdir(parents=True)
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales" / "templates", root / "locales" / "templates")
    return root


def _refused_untouched(root: Path, folder: Path) -> None:
    before = tree_snapshot(folder)
    names = sorted(p.name for p in folder.rglob("*"))
    done = run_cli(root, "build", "--format", "text", "--out", str(folder))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "holds other files" in done.stderr
    assert tree_snapshot(folder) == before and sorted(p.name for p in folder.rglob("*")) == names


def test_a_folder_with_somebody_elses_manifest_and_index_is_refused_untouched(english, tmp_path):
    theirs = tmp_path / "site"
    theirs.mkdir()
    (theirs / "manifest.json").write_text('{"artifacts": [], "not_built": []}\n')
    (theirs / "index.html").write_text("<h1>our web site</h1>")
    _refused_untouched(english, theirs)


def test_a_folder_holding_only_a_tmp_folder_is_not_emptied(english, tmp_path):
    theirs = tmp_path / "work"
    (theirs / ".tmp").mkdir(parents=True)
    (theirs / ".tmp" / "draft.docx").write_bytes(b"somebody's unsaved work")
    _refused_untouched(english, theirs)


def test_a_new_or_empty_folder_is_marked_as_the_builds_and_built_into_again(english, tmp_path):
    for out in (tmp_path / "new" / "folder", tmp_path / "empty"):
        if out.name == "empty":
            out.mkdir()
        assert counts(run_cli(english, "build", "--format", "text", "--out", str(out)).stdout) == {"built": 1}
        assert (out / output.MARK).is_file()
        done = run_cli(english, "build", "--format", "text", "--out", str(out))
        assert counts(done.stdout) == {"up to date": 1}


def test_a_folder_built_before_folders_were_marked_is_still_the_builds(english, tmp_path):
    out = tmp_path / "build"
    assert run_cli(english, "build", "--format", "text", "--out", str(out)).returncode == 0
    (out / output.MARK).unlink()
    assert counts(run_cli(english, "build", "--format", "text", "--out", str(out)).stdout) == {"up to date": 1}
    assert (out / output.MARK).is_file()
    (out / output.MARK).unlink()
    (out / ".build-state.json").write_text('{"somebody": "else"}')
    _refused_untouched(english, out)


def test_a_damaged_manifest_is_mended_by_the_next_no_op(english):
    out = english / "build"
    assert run_cli(english, "build", "--format", "text").returncode == 0
    manifest = out / "manifest.json"
    good = manifest.read_bytes()
    entry = json.loads(good)["artifacts"][0]
    assert entry["bytes"] == (out / entry["path"]).stat().st_size

    for damage in (b"", good.replace(b'"bytes": ', b'"bytes": 1'), b'{"artifacts": [], "not_built": []}'):
        manifest.write_bytes(damage)
        done = run_cli(english, "build", "--format", "text")
        assert done.stdout.startswith("nothing to do") and manifest.read_bytes() == good

    # a file changed by hand is described as it is now (its size and sha256), not as written
    text = out / entry["path"]
    text.write_bytes(text.read_bytes() + b"\nadded by hand\n")
    assert run_cli(english, "build", "--format", "word").returncode == 0  # the text is not asked for
    (again,) = [a for a in json.loads(manifest.read_bytes())["artifacts"] if a["path"] == entry["path"]]
    assert again["bytes"] == text.stat().st_size != entry["bytes"] and again["sha256"] != entry["sha256"]


def test_a_task_parses_each_catalog_once_and_writes_nothing_to_disk(project_copy, tmp_path, monkeypatch):
    """Translation and checks share one parse of the leaflet's catalog; the locale's common.po is
    parsed once for every leaflet a worker renders; no temporary project is laid out."""
    import polib

    from leaflets.project import Project
    from publishing.engine import tasks
    from publishing.engine.build import Request, _job
    from publishing.engine.plan import Item, Target

    parsed: list[str] = []
    real = polib.pofile

    def counted(text, **kwargs):
        parsed.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(polib, "pofile", counted)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tasks.tempfile, "TemporaryDirectory", None)  # any temporary folder would fail the task
    project = Project(project_copy)
    request = Request(out_dir=str(tmp_path / "out"), options=formats.Options())
    jobs = []
    for code in ("pl", "ro"):
        item = Item(Target("RAD_0009", code, "text"), tmp_path / "x.txt", "")
        jobs.append(_job(project, "RAD_0009", code, [item], request, str(scratch)))
    for job in jobs:
        (done,) = tasks.render(job)
        assert done.state == "built", done.reason
    assert len(parsed) == 4  # each locale: its leaflet's catalog and its common.po, once each
    parsed.clear()
    (done,) = tasks.render(jobs[0])  # the same locale again: only the leaflet's catalog
    assert done.state == "built" and len(parsed) == 1
    assert not list(scratch.iterdir())


def test_check_status_and_build_check_each_catalog_once_between_them(project_copy, monkeypatch):
    from leaflets import checks
    from leaflets.project import Project

    checked: list[str] = []
    real = checks.check_catalog

    def counted(path, *args, **kwargs):
        checked.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checks, "check_catalog", counted)
    assert run_cli(project_copy, "check", "--locale", "pl").returncode == 0
    assert sorted(checked) == ["RAD_0009.po", "common.po"]
    checked.clear()
    assert run_cli(project_copy, "status", "--json").returncode == 0  # other locales' catalogs, not pl's again
    others = len(Project(project_copy).locale_codes()) - 2  # neither English nor Polish
    assert len(checked) == 2 * others
    checked.clear()
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "pl", "--locale", "ro", "--jobs", "1")
    assert counts(done.stdout) == {"built": 2} and checked == []

    # an edit is checked again, and its error refuses the copy as a fresh check would
    with editing(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po") as po:
        entry = next(e for e in po if re.search(r"\d", e.msgstr) and not e.msgid_plural)
        number = re.search(r"\d+", entry.msgstr).group()
        entry.msgstr = entry.msgstr.replace(number, number + "0", 1)  # a changed number: a check error
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "pl", "--jobs", "1")
    assert counts(done.stdout) == {"refused": 1} and "check error" in done.stderr and checked == ["RAD_0009.po"]
    checked.clear()
    again = run_cli(project_copy, "check", "--locale", "pl")
    assert again.returncode == 1 and number + "0" in again.stdout and checked == []


def test_the_index_page_from_what_the_tasks_found_is_the_page_read_afresh(project_copy, tmp_path, monkeypatch):
    """The build's index page is written from the titles and review states its tasks handed back
    (nothing parsed twice), and says exactly what a page made by reading every file says: a
    signed-off translation, a stale sign-off, an unreviewed one."""
    from datetime import date

    from leaflets import catalogs, review
    from leaflets.project import Project
    from publishing.engine import catalogue
    from publishing.engine.build import Request, build

    folder = project_copy / "locales"
    for code in ("pl", "ro"):
        po, common = (catalogs.po_path(folder, code, d) for d in ("RAD_0009", catalogs.COMMON))
        review.signoff(po, common, "Dr A Khan, consultant radiologist", date(2026, 5, 1))
    with editing(catalogs.po_path(folder, "ro", "RAD_0009")) as po:  # changed after its sign-off
        entry = next(e for e in po if e.msgstr and not e.msgid_plural)
        entry.msgstr += " "
    out = tmp_path / "out"
    request = Request(out_dir=str(out), options=formats.Options(build_date=date(2026, 6, 1)))
    read = []
    monkeypatch.setattr(catalogue, "_catalog", lambda *a: read.append(a) or pytest.fail(f"catalog read again: {a}"))
    codes = Project(project_copy).locale_codes()  # the page lists every language: each one built now
    summary = build(Project(project_copy), ["RAD_0009"], codes, ["text"], request)
    assert summary.count("built") == len(codes) > 4 and not read
    monkeypatch.undo()
    page = (out / catalogue.INDEX).read_bytes()
    text = page.decode("utf-8")
    assert "Checked by Dr A Khan, consultant radiologist, 2026-05-01" in text
    assert "Not yet checked (changed since 2026-05-01)" in text and "Not yet checked</td>" in text
    (out / catalogue.INDEX).unlink()
    catalogue.write(out, Project(project_copy), date(2026, 6, 1))  # every source and catalog read again
    assert (out / catalogue.INDEX).read_bytes() == page


def test_what_a_task_found_for_the_index_page_is_not_used_once_its_files_changed(project_copy):
    from leaflets import catalogs, review
    from leaflets.project import Project
    from leaflets.vocabulary import Review
    from publishing.engine import catalogue, stamps

    project = Project(project_copy)
    source = project.source_files["RAD_0009"]
    po_file = catalogs.po_path(project.locales_dir, "pl", "RAD_0009")
    common_file = catalogs.po_path(project.locales_dir, "pl", catalogs.COMMON)
    meta = project.leaflet("RAD_0009").meta
    told = (meta, "a title the task saw", review.ReviewState(Review.UNREVIEWED))
    known = catalogue.Known()
    known.add("RAD_0009", "pl", source.read_bytes(), po_file.read_bytes(), common_file.read_bytes(), told)
    assert known.copy(project, stamps.Hashes(), "RAD_0009", "pl") == told[1:]
    assert known.meta(project, stamps.Hashes(), "RAD_0009") is meta
    po_file.write_bytes(po_file.read_bytes() + b"\n")  # the catalog now says something else
    assert known.copy(project, stamps.Hashes(), "RAD_0009", "pl") is None
    source.write_bytes(source.read_bytes().replace(b"title: Vertebroplasty", b"title: Kyphoplasty", 1))
    assert known.meta(Project(project_copy), stamps.Hashes(), "RAD_0009").title.text.startswith("Kyphoplasty")


def test_a_build_after_check_refuses_and_labels_as_a_fresh_check_would(project_copy, tmp_path):
    """A build given the errors `check` found (only the errors go to its tasks) refuses the copy
    with the same line, and makes the same draft with the entry labelled, as one that checks afresh."""
    import shutil

    with editing(project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po") as po:
        entry = next(e for e in po if re.search(r"\d", e.msgstr) and not e.msgid_plural)
        number = re.search(r"\d+", entry.msgstr).group()
        entry.msgstr = entry.msgstr.replace(number, number + "0", 1)  # a changed number: a check error
    assert run_cli(project_copy, "check", "--locale", "pl").returncode == 1  # its findings kept in .cache

    def both(cached: bool) -> tuple[str, dict[str, bytes]]:
        if not cached:
            shutil.rmtree(project_copy / ".cache")
        out = tmp_path / ("cached" if cached else "fresh")
        refused = run_cli(project_copy, "build", "--format", "text", "--locale", "pl", "--out", str(out / "r"))
        assert counts(refused.stdout) == {"refused": 1}
        draft = run_cli(project_copy, "build", "--draft", "--format", "text", "--locale", "pl", "--out", str(out / "d"))
        assert counts(draft.stdout) == {"built": 1}
        return refused.stderr, {p.name: p.read_bytes() for p in (out / "d").rglob("*.txt")}

    cached, fresh = both(True), both(False)
    assert cached == fresh and "check error" in cached[0] and number + "0" in next(iter(cached[1].values())).decode()
