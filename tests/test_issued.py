"""The record of every copy issued and the archive of its exact bytes (`pipeline.py issued`)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest
from conftest import run_cli

from leaflets.project import Project
from leaflets.version import version
from publishing.issuing import archive


def _request(root: Path, *args: str) -> Path:
    done = run_cli(root, "request", *args)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def _issued(root: Path, *args: str) -> list[dict]:
    done = run_cli(root, "issued", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _change_translation(root: Path) -> None:
    """A translator's change to one entry of the Polish leaflet."""
    path = root / "locales/pl/LC_MESSAGES/RAD_0009.po"
    po = polib.pofile(str(path), wrapwidth=79)
    entry = next(
        e for e in po if e.msgstr and not e.obsolete and "{" not in e.msgid and "wertebroplastyka" in e.msgstr.lower()
    )
    entry.msgstr = entry.msgstr.replace("ertebroplastyka", "ertebroplastyka (zabieg)", 1)
    po.save(str(path))


def test_two_copies_around_a_translation_change_are_listed_and_given_back_byte_for_byte(project_copy, tmp_path):
    first = _request(project_copy, "vertebroplasty", "Polish", "text")
    first_bytes = first.read_bytes()
    _change_translation(project_copy)
    second = _request(project_copy, "vertebroplasty", "Polish", "text")
    second_bytes = second.read_bytes()
    assert second == first and second_bytes != first_bytes  # the copy on disk was replaced
    copies = _issued(project_copy)
    assert [c["sha256"] for c in copies] == [archive.hashlib.sha256(b).hexdigest() for b in (first_bytes, second_bytes)]
    english = version(Project(project_copy).leaflet("RAD_0009"))
    for c in copies:
        assert (c["leaflet"], c["language"], c["format"], c["via"]) == ("RAD_0009", "pl", "text", "command line")
        assert c["version"] == english and c["review"] == "unreviewed" and c["archived"] is True
        assert c["at"].startswith(date.today().isoformat())
    for n, (c, expected) in enumerate(zip(copies, (first_bytes, second_bytes), strict=True)):
        done = run_cli(project_copy, "issued", "--get", c["sha256"], "--out", str(tmp_path / f"back{n}"))
        assert done.returncode == 0, done.stderr
        back = Path(done.stdout.strip())
        assert back.name == first.name and back.read_bytes() == expected
    listing = run_cli(project_copy, "issued").stdout
    assert all(c["sha256"] in listing for c in copies) and english in listing


def test_a_copy_issued_many_times_is_stored_once_and_options_are_recorded(project_copy):
    for _ in range(3):
        _request(project_copy, "RAD_0009", "en", "text")
    _request(project_copy, "RAD_0009", "en", "large-print", "--size", "24")
    copies = _issued(project_copy)
    assert len(copies) == 4 and len({c["sha256"] for c in copies}) == 2
    assert copies[-1]["options"] == {"size": 24.0} and copies[0]["options"] == {}
    assert copies[0]["review"] == "source"
    objects = [p for p in (project_copy / ".issued/objects").rglob("*") if p.is_file()]
    assert sorted(p.name for p in objects) == sorted({c["sha256"] for c in copies})
    db = sqlite3.connect(project_copy / ".issued/issued.sqlite")
    columns = {row[1] for row in db.execute("PRAGMA table_info(issued)")}
    assert not columns & {"name_of_patient", "address", "email", "patient"}  # no patient data


def test_since_and_leaflet_filter_the_list(project_copy):
    _request(project_copy, "RAD_0009", "en", "text")
    assert len(_issued(project_copy, "--since", date.today().isoformat())) == 1
    assert _issued(project_copy, "--since", "2999-01-01") == []
    assert _issued(project_copy, "--since", date.today().isoformat(), "--leaflet", "RAD_0009") != []
    run_cli(project_copy, "retire", "RAD_0009")
    assert len(_issued(project_copy, "--leaflet", "RAD_0009")) == 1  # a retired leaflet's copies stay listed
    assert len(_issued(project_copy, "--leaflet", "RAD_0009")) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--since", "last tuesday"), "is not a date"),
        (("--since", "2026-02-30"), "is not a date"),
        (("--get", "0" * 64, "--out", "x"), "no copy with sha256"),
        (("--get", "not-hex", "--out", "x"), "is not a sha256"),
        (("--get", "0" * 64), "--get needs --out"),
        (("--leaflet", "NOPE_0001"), "unknown leaflet 'NOPE_0001'"),
    ],
)
def test_bad_input_is_one_line(project_copy, args, said):
    _request(project_copy, "RAD_0009", "en", "text")
    done = run_cli(project_copy, "issued", *args)
    assert done.returncode != 0 and said in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_get_never_writes_through_a_link(project_copy, tmp_path):
    path = _request(project_copy, "RAD_0009", "en", "text")
    (sha,) = {c["sha256"] for c in _issued(project_copy)}
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("keep me")
    (out / path.name).symlink_to(victim)
    done = run_cli(project_copy, "issued", "--get", sha[:12], "--out", str(out))
    assert done.returncode == 1 and "symbolic link" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert victim.read_text() == "keep me" and (out / path.name).is_symlink()
    (out / path.name).unlink()
    again = run_cli(project_copy, "issued", "--get", sha[:12], "--out", str(out))
    assert again.returncode == 0 and (out / path.name).read_bytes() == path.read_bytes()
    linked = tmp_path / "linked"
    linked.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    refused = run_cli(project_copy, "issued", "--get", sha, "--out", str(linked))
    assert refused.returncode == 1 and "symbolic link" in refused.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_a_damaged_archive_copy_is_said(project_copy, tmp_path):
    _request(project_copy, "RAD_0009", "en", "text")
    (obj,) = [p for p in (project_copy / ".issued/objects").rglob("*") if p.is_file()]
    os.chmod(obj, 0o644)
    obj.write_bytes(b"tampered")
    done = run_cli(project_copy, "issued", "--get", obj.name, "--out", str(tmp_path / "o"))
    assert done.returncode == 1 and "damaged" in done.stderr and not (tmp_path / "o").exists()


def test_an_archive_that_cannot_be_written_still_issues_the_copy(project_copy):
    (project_copy / ".issued").mkdir()
    (project_copy / ".issued/objects").write_text("not a folder")  # a broken archive, for any user (root too)
    done = run_cli(project_copy, "request", "RAD_0009", "en", "text")
    assert done.returncode == 0 and Path(done.stdout.strip()).is_file()
    assert "warning: the copy was issued but not archived" in done.stderr
    (copy,) = _issued(project_copy)
    assert copy["archived"] is False and "not archived" in copy["problem"]
    assert "NOT ARCHIVED" in run_cli(project_copy, "issued").stdout


@pytest.fixture
def full_archive(project_copy):
    """.issued/objects/ on a real 40 KiB filesystem (tmpfs), which a large-print copy does not fit
    (the record beside it on the ordinary disk); skipped where this user may not mount one."""
    folder = project_copy / ".issued" / "objects"
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield project_copy
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_still_issues_the_copy_and_says_so(full_archive):
    root = full_archive
    _request(root, "RAD_0009", "en", "text")  # 11 kB: fits
    done = run_cli(root, "request", "RAD_0009", "en", "large-print")  # 49 kB: does not
    assert done.returncode == 0 and Path(done.stdout.strip()).is_file()
    assert done.stderr.count("warning: the copy was issued but not archived: no space left on the disk") == 1
    text, pdf = _issued(root)
    assert text["archived"] is True
    assert pdf["archived"] is False and "no space left" in pdf["problem"] and pdf["sha256"]
    kept = [p.name for p in (root / ".issued/objects").rglob("*") if p.is_file()]
    assert kept == [text["sha256"]]  # no partial object left behind
    assert "NOT ARCHIVED: the copy was issued but not archived: no space" in run_cli(root, "issued").stdout


def test_the_desk_records_what_it_hands_over_with_the_warning_given(project_copy, tmp_path):
    from publishing.issuing.desk import create_app
    from publishing.issuing.desk.settings import Settings

    client = create_app(project_copy, Settings()).test_client()
    response = client.get("/copies/RAD_0009/pl/text?told=yes")
    assert response.status_code == 200
    (copy,) = _issued(project_copy)
    assert (copy["via"], copy["language"], copy["sha256"]) == (
        "download",
        "pl",
        archive.hashlib.sha256(response.data).hexdigest(),
    )
    assert "not yet been checked by a clinician" in copy["note"]
    done = run_cli(project_copy, "issued", "--get", copy["sha256"], "--out", str(tmp_path))
    assert Path(done.stdout.strip()).read_bytes() == response.data
    report = client.get("/report").get_data(as_text=True)
    link = f"/issued/{copy['sha256']}"
    assert f'href="{link}"' in report and copy["version"] in report
    again = client.get(link)
    assert again.status_code == 200 and again.data == response.data
    assert "RAD_0009-vertebroplasty.pl.txt" in again.headers["Content-Disposition"]
    assert client.get("/issued/" + "0" * 64).status_code == 404
    assert client.get("/issued/../../etc").status_code == 404


def test_the_keeper_records_what_the_issuing_service_hands_over(project_copy):
    """archive.Keeper as the issuing service's Recorder: an issued copy (its stream still open, or
    already sent and closed) is archived with its caution; every result is passed on."""
    import formats
    from leaflets.project import Project
    from publishing.issuing.service import Issued, Refused

    path = _request(project_copy, "RAD_0009", "pl", "text")
    digest = archive.hashlib.sha256(path.read_bytes()).hexdigest()
    passed, said = [], []

    class Log:
        def record(self, result, day, how):
            passed.append((result, how))

    keeper = archive.Keeper(lambda: Project(project_copy), then=Log(), report=said.append)
    with open(path, "rb") as stream:
        stream.read(10)
        opened = Issued("RAD_0009", "pl", "text", formats.Options(), path, digest, "Tell them.", False, stream)
        keeper.record(opened, date.today(), "download")
        assert stream.read(5) == path.read_bytes()[10:15]  # the stream is left where the sender had it
    keeper.record(opened, date.today(), "e-mail")  # closed by now: read from its path
    refused = Refused("RAD_0009", "pl", "audio", formats.Options(), "Not ready.", "not translated")
    keeper.record(refused, date.today(), "download")
    copies = _issued(project_copy)[1:]  # the first is the request's own
    assert [(c["via"], c["sha256"], c["note"]) for c in copies] == [
        ("download", digest, "Tell them."),
        ("e-mail", digest, "Tell them."),
    ]
    assert [how for _, how in passed] == ["download", "e-mail", "download"] and not said
    path.write_bytes(b"changed since")
    keeper.record(opened, date.today(), "open")
    assert said and "changed after it was issued" in said[0]


def test_a_damaged_record_is_one_line(project_copy):
    _request(project_copy, "RAD_0009", "en", "text")
    (project_copy / ".issued/issued.sqlite").write_bytes(b"not a database at all" * 100)
    for args in ((), ("--get", "0" * 64, "--out", "x")):
        done = run_cli(project_copy, "issued", *args)
        assert done.returncode == 1 and "cannot read the record of copies issued" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    issued = run_cli(project_copy, "request", "RAD_0009", "en", "text")  # the copy is still issued
    assert issued.returncode == 0 and "not recorded" in issued.stderr
