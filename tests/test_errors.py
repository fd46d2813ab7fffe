"""Errors keep their causes: a bug (not a user's mistake) is one line for the user and a whole
traceback in build/logs/; a user's mistake is one line whose exception still carries its cause."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

import formats
from leaflets import catalogs, reader
from publishing.engine import crashlog
from publishing.translation import workflow

LOG = re.compile(r"the traceback is in (\S+\.log)\)")


def kept_log(line: str, root: Path) -> str:
    """The log a one-line report names: under the project's .cache/logs/, its traceback text."""
    found = LOG.search(line)
    assert found, line
    path = Path(found.group(1))
    assert path.parent == root / crashlog.LOGS and path.name.startswith("internal-")
    return path.read_text(encoding="utf-8")


def _broken_writer(doc, options):
    try:
        {}["page size"]
    except KeyError as exc:
        raise RuntimeError("layout went wrong") from exc


def test_a_writer_bug_fails_its_artifact_in_one_line_and_keeps_the_traceback(project_copy, monkeypatch):
    monkeypatch.setattr(formats.get("text"), "write", _broken_writer)
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "en", "--jobs", "1")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("failed: RAD_0009 en text: internal error: ")]
    assert "RuntimeError('layout went wrong') at test_errors.py:" in line and "please report it" in line
    log = kept_log(line, project_copy)
    assert log.startswith("Traceback (most recent call last):")
    assert "KeyError: 'page size'" in log and "direct cause of the following exception" in log
    assert "_broken_writer" in log and "RuntimeError: layout went wrong" in log
    assert not list((project_copy / "build/RAD_0009").glob("*/*.txt"))  # nothing half-written


def test_a_bug_in_a_command_exits_70_with_one_line_and_a_log(project_copy, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in the counts")

    monkeypatch.setattr(workflow, "status", broken)
    done = run_cli(project_copy, "status")
    assert done.returncode == 70 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("internal error: ZeroDivisionError('division by zero in the counts') at test_errors.py:")
    assert "ZeroDivisionError: division by zero in the counts" in kept_log(line, project_copy)


def test_logs_live_where_a_build_never_trips_over_them(project_copy, monkeypatch, tmp_path):
    monkeypatch.setattr(formats.get("text"), "write", _broken_writer)
    out = tmp_path / "elsewhere"
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "en", "--jobs", "1", "--out", str(out))
    assert "KeyError" in kept_log(done.stderr, project_copy) and not (out / "logs").exists()

    monkeypatch.setattr(workflow, "status", lambda *a, **k: 1 / 0)  # a crash before any build
    assert run_cli(project_copy, "status").returncode == 70 and not (project_copy / "build").exists()
    monkeypatch.undo()
    assert run_cli(project_copy, "build", "--format", "text", "--locale", "en").returncode == 0


def test_a_log_that_cannot_be_written_is_said_and_the_line_still_comes(tmp_path):
    blocker = tmp_path / "build"
    blocker.write_text("a file where the build folder should be")
    try:
        raise ValueError("bug")
    except ValueError as exc:
        line = crashlog.line(exc, blocker)
    assert line.startswith("internal error: ValueError('bug') at test_errors.py:")
    assert "its traceback could not be kept" in line and "\n" not in line


def test_two_bugs_in_one_second_get_two_logs(tmp_path):
    paths = {crashlog.keep(ValueError(n), tmp_path) for n in range(3)}
    assert sorted(p.read_text() for p in paths) == ["ValueError: 0\n", "ValueError: 1\n", "ValueError: 2\n"]


def test_user_errors_are_one_line_and_keep_their_cause(tmp_path):
    po = tmp_path / "bad.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(catalogs.CatalogError) as caught:
        catalogs.load(po)
    assert isinstance(caught.value.__cause__, UnicodeDecodeError) and "\n" not in str(caught.value)

    src = tmp_path / "TST_0001-test.md"
    src.write_text("---\nid: [unclosed\n---\nText.\n", encoding="utf-8")
    with pytest.raises(reader.SourceError) as caught:
        reader.read(src)
    assert type(caught.value.__cause__).__module__.startswith("yaml") and "\n" not in str(caught.value)
