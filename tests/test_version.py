"""A leaflet's version: derived from its English, changed by what a reader sees and nothing else,
printed beside the leaflet code on every copy and shown by `status`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT, run_cli

from formats import text
from leaflets import reader
from leaflets.project import Project
from leaflets.translate import translate
from leaflets.version import version

SOURCE = ROOT / "source" / "RAD_0009-vertebroplasty.md"


def _version_of(tmp_path: Path, change=lambda s: s) -> str:
    path = tmp_path / SOURCE.name
    path.write_text(change(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    return version(reader.read(path))


def test_the_version_changes_with_what_a_reader_sees(tmp_path):
    base = _version_of(tmp_path)
    assert len(base) == 8 and base == base.upper()
    assert _version_of(tmp_path, lambda s: s.replace("minimally invasive", "minimally  invasive")) == base
    assert (
        _version_of(tmp_path, lambda s: s.replace("## What is a vertebroplasty?", "\n\n## What is a vertebroplasty?"))
        == base
    )
    note = "<!-- i18n: the name of the procedure -->\n## What is a vertebroplasty?"
    assert _version_of(tmp_path, lambda s: s.replace("## What is a vertebroplasty?", note)) == base
    changed = {
        _version_of(tmp_path, lambda s: s.replace("minimally invasive", "minimally-invasive")),
        _version_of(tmp_path, lambda s: s.replace("minimally invasive", "**minimally invasive**")),
        _version_of(tmp_path, lambda s: s.replace("next_review: '2028-05'", "next_review: '2028-06'")),
        _version_of(tmp_path, lambda s: s.replace("phone: 0118 322 7991", "phone: 0118 322 7992")),
    }
    assert base not in changed and len(changed) == 4


def test_every_copy_prints_the_version_beside_the_code():
    project = Project(ROOT)
    english = project.leaflet("RAD_0009")
    expected = version(english)
    for code in ("en", "pl", "ar"):
        doc = translate(english, code, project.shared_strings, locales_dir=project.locales_dir)
        assert doc.meta.version == expected
        copy = text.write(doc).decode("utf-8")
        assert f"RAD_0009 v{expected}" in copy, code


def test_status_shows_the_version_and_it_follows_the_english(project_copy):
    rows = json.loads(run_cli(project_copy, "status", "--json", "--locale", "pl").stdout)
    before = rows[0]["version"]
    assert before == version(Project(ROOT).leaflet("RAD_0009"))
    assert before in run_cli(project_copy, "status", "--locale", "pl").stdout
    source = project_copy / "source" / SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace("minimally invasive", "minimally-invasive"))
    after = json.loads(run_cli(project_copy, "status", "--json", "--locale", "pl").stdout)[0]["version"]
    assert after != before and len(after) == 8


def test_a_renamed_source_keeps_its_version(tmp_path):
    shutil.copy(SOURCE, tmp_path / "RAD_0009-kyphoplasty.md")
    assert version(reader.read(tmp_path / "RAD_0009-kyphoplasty.md")) == version(reader.read(SOURCE))


def test_the_version_is_spelled_out_when_spoken():
    from formats.audio.speech import rewrite

    said = rewrite("Leaflet code: RAD_0009 v56C3E2C0", "en")
    assert "R A D, 0 0 0 9, V, 5 6 C 3 E 2 C 0" in said
    assert rewrite("Leaflet code: RAD_0009", "en").endswith("R A D, 0 0 0 9")
