"""Every file is written whole or not at all, and never through a symbolic link (leaflets.files),
whoever writes it: catalogs, build outputs and records, the catalogue page, copies on a stick."""

from __future__ import annotations

import errno
import io
import os
from datetime import date

import pytest
from conftest import run_cli

from leaflets import catalogs, files
from leaflets.project import Project
from publishing.engine import catalogue, output
from publishing.issuing import asks


class Breaks(io.RawIOBase):
    """A source that gives some bytes, then fails as a disk or a network share might."""

    def __init__(self) -> None:
        self.given = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.given:
            raise OSError(errno.EIO, "Input/output error")
        self.given = True
        buffer[:4] = b"half"
        return 4


def test_a_file_is_written_and_an_unchanged_one_left_alone(tmp_path):
    path = tmp_path / "deep" / "er" / "a.po"
    assert files.write_atomic(path, b"one") is True and path.read_bytes() == b"one"
    before = path.stat().st_mtime_ns, path.stat().st_ino
    assert files.write_atomic(path, b"one") is False
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert files.write_atomic(path, b"two") is True and path.read_bytes() == b"two"
    assert path.stat().st_mode & 0o777 == files.FILE_MODE  # as a plain open() would make it
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.po"]


def test_a_link_at_the_target_is_refused_and_what_it_points_to_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").symlink_to(victim)
    with pytest.raises(OSError) as refused:
        files.write_atomic(folder / "a.txt", b"new")
    assert refused.value.errno == errno.ELOOP and refused.value.filename == str(folder / "a.txt")
    assert victim.read_text() == "keep me" and (folder / "a.txt").is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]  # no temporary file left
    # ... even when the link points at exactly the bytes asked for (no "unchanged" through a link)
    with pytest.raises(OSError):
        files.write_atomic(folder / "a.txt", b"keep me")
    # a caller that must (a stale link on a USB stick) replaces the link itself, never its target
    assert files.write_atomic(folder / "a.txt", b"new", replace_link=True)
    assert victim.read_text() == "keep me" and not (folder / "a.txt").is_symlink()
    assert (folder / "a.txt").read_bytes() == b"new"


def test_a_failure_half_way_keeps_the_previous_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.mp3"
    path.write_bytes(b"the good copy")
    with pytest.raises(OSError) as failed:
        files.write_atomic(path, io.BufferedReader(Breaks()))
    assert failed.value.errno == errno.EIO
    assert path.read_bytes() == b"the good copy" and [p.name for p in tmp_path.iterdir()] == ["a.mp3"]


def test_a_full_disk_names_the_file_not_its_temporary_twin(tmp_path, monkeypatch):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the disk fills up as the bytes are flushed
    with pytest.raises(OSError) as failed:
        files.write_atomic(path, b"new bytes")
    assert failed.value.errno == errno.ENOSPC and failed.value.filename == str(path)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_a_missing_folder_is_not_created_when_the_caller_says_so(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.write_atomic(tmp_path / "stick" / "a.txt", b"x", create_folder=False)
    assert not (tmp_path / "stick").exists()


def test_the_temporary_file_may_live_in_the_builds_own_folder(tmp_path):
    (tmp_path / ".tmp").mkdir()
    (tmp_path / "en").mkdir()
    assert files.write_atomic(tmp_path / "en" / "a.txt", b"x", temp_dir=tmp_path / ".tmp")
    assert (tmp_path / "en" / "a.txt").read_bytes() == b"x" and not list((tmp_path / ".tmp").iterdir())


def test_catalogs_are_written_by_the_same_helper():
    assert not hasattr(catalogs, "write_atomic")  # one helper, called by its own name


def test_the_output_folder_refuses_a_link_in_one_line(tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    out = tmp_path / "build"
    out.mkdir()
    (out / "manifest.json").symlink_to(victim)
    with pytest.raises(output.OutputError) as refused:
        output.write_file(out, out / "manifest.json", b"[]")
    assert str(refused.value) == (
        f"{out / 'manifest.json'}: cannot write: it is a symbolic link; files are never written through links "
        "(remove the link and build again)"
    )
    assert victim.read_text() == "{}"


def test_the_catalogue_page_goes_through_the_output_folders_guard(project_copy, tmp_path):
    victim = tmp_path / "someone-elses.html"
    victim.write_text("theirs")
    out = project_copy / "build"
    assert run_cli(project_copy, "build", "--format", "text", "--locale", "en").returncode == 0
    (out / catalogue.INDEX).unlink()
    (out / catalogue.INDEX).symlink_to(victim)
    with pytest.raises(output.OutputError, match="symbolic link"):
        catalogue.write(out, Project(project_copy), date(2026, 5, 1))
    assert victim.read_text() == "theirs"
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "pl")  # the manifest changes
    assert done.returncode == 1 and "index.html: cannot write: it is a symbolic link" in done.stderr
    assert "Traceback" not in done.stderr and victim.read_text() == "theirs"


def test_a_copy_to_a_stick_that_fails_half_way_leaves_the_old_copy(tmp_path, monkeypatch):
    source, stick = tmp_path / "a.mp3", tmp_path / "usb"
    source.write_bytes(b"new copy")
    stick.mkdir()
    (stick / "a.mp3").write_bytes(b"yesterday's copy")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(asks.NotAvailable, match="No space left on device; nothing was left there"):
        asks.deliver(source, stick)
    assert [p.name for p in stick.iterdir()] == ["a.mp3"] and (stick / "a.mp3").read_bytes() == b"yesterday's copy"
