"""One rule for "changed": what a leaflet says, by the content of its source, shared strings and
catalogs (`plan.text_hash`), not by file times. A checkout, a copy or a file saved unchanged
touches the times and changes nothing; an edit with the times put back is still an edit."""

from __future__ import annotations

import os
from datetime import date

from conftest import run_cli

from leaflets.project import Project
from publishing.engine import plan, stamps, tasks
from publishing.issuing.desk import library

PO = "locales/pl/LC_MESSAGES/RAD_0009.po"
PL_TXT = "RAD_0009-vertebroplasty.pl.txt"


def _touch(path, seconds: float) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + int(seconds * 1e9)))


def _edit_keeping_times(path) -> None:
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("kręgosłup", "kręgosłupa", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_the_text_hash_follows_content_not_times(project_copy):
    project = Project(project_copy)
    first = plan.text_hash(stamps.Hashes(), project, "RAD_0009", "pl")
    _touch(project_copy / PO, 3600)
    assert plan.text_hash(stamps.Hashes(), project, "RAD_0009", "pl") == first
    assert plan.text_hash(stamps.Hashes(), project, "RAD_0009", "en") != first  # English has no catalogs
    _edit_keeping_times(project_copy / PO)
    assert plan.text_hash(stamps.Hashes(), project, "RAD_0009", "pl") != first


def test_the_catalogue_links_a_touched_copy_and_not_an_edited_one(project_copy):
    assert run_cli(project_copy, "build", "--jobs", "1", "--locale", "pl", "--format", "text").returncode == 0
    _touch(project_copy / PO, 3600)  # saved unchanged, an hour after the copy was made
    assert run_cli(project_copy, "build", "--jobs", "1", "--locale", "en", "--format", "text").returncode == 0
    page = (project_copy / "build/index.html").read_text(encoding="utf-8")
    assert PL_TXT in page and "out of date" not in page.split("</p>", 1)[1]

    _edit_keeping_times(project_copy / PO)  # a real change, with the old time (a restored backup ...)
    (project_copy / "build/index.html").unlink()  # the next build writes the page again
    assert run_cli(project_copy, "build", "--jobs", "1", "--locale", "en", "--format", "text").returncode == 0
    page = (project_copy / "build/index.html").read_text(encoding="utf-8")
    assert "Plain text: <strong>out of date</strong>" in page and PL_TXT not in page


def test_the_desk_judges_a_language_again_when_its_words_change_not_its_times(project_copy, monkeypatch):
    judged = []
    real = tasks.translate  # the desk asks the issuing service, which judges by the build's rules

    def counting(*args, **kwargs):
        judged.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "translate", counting)
    desk = library.Library(project_copy, project_copy / "build")
    today = date(2026, 5, 1)
    desk.pair("RAD_0009", "pl", today)
    _touch(project_copy / PO, 3600)
    desk.pair("RAD_0009", "pl", today)
    assert judged == ["pl"]  # a touch is not a change: the answer is remembered
    _edit_keeping_times(project_copy / PO)
    desk.pair("RAD_0009", "pl", today)
    assert judged == ["pl", "pl"]  # the words changed: judged again
