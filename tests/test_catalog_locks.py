"""Two commands writing one catalog at once: the second waits for the first (both changes kept),
or, after waiting long enough, refuses in one sentence and changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli, tree_snapshot
from test_xliff import _edit

from leaflets import catalogs
from leaflets.project import Project
from publishing.translation import xliff

# Another process's read-modify-write of the catalog, held open for a while (a sign-off's header,
# say): it reads the catalog, says so, waits, and writes it back with a header field added.
SLOW_WRITER = """
import sys, time
from leaflets import catalogs
from leaflets.files import write_atomic
path, wait = sys.argv[1], float(sys.argv[2])
with catalogs.locked(path):
    po = catalogs.load(path)
    po.metadata["X-First-Writer"] = "kept"
    print("read", flush=True)
    time.sleep(wait)
    write_atomic(path, catalogs.po_bytes(po))
"""


def _slow_writer(path: Path, wait: float) -> subprocess.Popen:
    first = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(path), str(wait)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert first.stdout is not None
    assert first.stdout.readline() == "read\n"  # it holds the lock and has read the catalog
    return first


def test_an_xliff_import_during_another_write_waits_and_both_changes_are_kept(project_copy, tmp_path):
    path = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    (xlf,) = [x for x in xliff.export(Project(project_copy), "pl", tmp_path) if x.stem == "RAD_0009"]
    po = catalogs.load(path)
    theirs = [e for e in po if e.msgid and not e.msgid_plural and e.translated() and len(e.msgid) > 40][-1]
    _edit(xlf, theirs.msgid, "ZMIENIONE PRZEZ AGENCJĘ")

    first = _slow_writer(path, 1.5)
    done = run_cli(project_copy, "import-xliff", str(xlf))
    assert first.wait(30) == 0 and done.returncode == 0, done.stderr
    after = catalogs.load(path)
    assert after.metadata.get("X-First-Writer") == "kept"  # the first writer's change
    assert {e.msgid: e.msgstr for e in after}[theirs.msgid] == "ZMIENIONE PRZEZ AGENCJĘ"


def test_an_update_during_another_write_waits_and_both_changes_are_kept(project_copy):
    source = project_copy / "source/RAD_0009-vertebroplasty.md"
    new = "Bring a list of the medicines you take to the appointment."
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{new}\n", encoding="utf-8")
    path = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    first = _slow_writer(path, 1.5)
    done = run_cli(project_copy, "update")
    assert first.wait(30) == 0 and done.returncode == 0, done.stderr
    after = catalogs.load(path)
    assert after.metadata.get("X-First-Writer") == "kept" and after.find(new) is not None


def test_a_writer_that_waits_too_long_refuses_in_one_line_and_changes_nothing(project_copy, monkeypatch):
    monkeypatch.setattr(catalogs, "LOCK_WAIT", 0.5)
    path = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    first = _slow_writer(path, 4)
    before = tree_snapshot(project_copy / "locales")
    done = run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", "--by", "Dr A Khan, radiologist")
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "another command is still writing" in done.stderr and str(path) in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_snapshot(project_copy / "locales") == before
    assert first.wait(30) == 0
