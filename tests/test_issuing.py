"""One service issues every copy: `pipeline.py request` and the desk give the same answer and the
same refusal sentence for the same ask, because both ask `publishing.issuing.service`.

The table runs each ask through the command line (in this process) and through the desk's stable
address (Flask's test client), over one project whose trust forbids unchecked copies.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, run_cli

import formats
from leaflets.project import Project
from leaflets.vocabulary import State
from publishing.issuing.desk import create_app
from publishing.issuing.desk.settings import load
from publishing.issuing.service import Ask, Issued, Issuing, Policy, Refused, Unmet

ASKS = [
    # (leaflet, language, format), what both must answer: a file name, or the refusal sentence's start
    (("RAD_0009", "en", "text"), "RAD_0009-vertebroplasty.en.txt"),
    (("NOPE_0001", "en", "text"), 'No leaflet matches "NOPE_0001".'),
    (("RAD_0009", "Klingon", "text"), '"Klingon" is not a language we recognise; leaflets are available in English, '),
    (("RAD_0009", "ti", "text"), "There is no translation into Tigrinya yet; leaflets are available in English, "),
    (("RAD_0009", "so", "audio"), "Audio is not available in Somali; large print, Word, "),
    (
        ("RAD_0009", "pl", "text"),
        "This Polish translation has not yet been checked by a clinician. "
        "The trust does not allow copies like this to be issued.",
    ),
    (("RAD_0009", "ro", "large print"), "The Romanian copy of RAD_0009 cannot be issued yet: the translation is not"),
    (("RAD_0009", "en", "easy read"), "We do not make easy read versions; easy read leaflets are written separately"),
    (("RAD_0009", "cy", "braille"), "RAD_0009-vertebroplasty.cy.brf"),
]


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> Path:
    """A project whose trust issues only copies checked by a clinician; Somali and Welsh are signed
    off, Romanian is not finished."""
    root = tmp_path_factory.mktemp("issuing") / "proj"
    root.mkdir()
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    (root / "desk.toml").write_text("allow_unreviewed = false\n", encoding="utf-8")
    po = root / "locales/ro/LC_MESSAGES/RAD_0009.po"  # an unfinished translation: one passage to go
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Further information"')
    po.write_text(text[:start] + 'msgid "Further information"\nmsgstr ""' + text[text.index("\n\n", start) :])
    for code in ("so", "cy"):
        done = run_cli(root, "signoff", code, "--leaflet", "RAD_0009", "--by", "Dr A Test, radiologist")
        assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def client(strict):
    return create_app(strict, load(strict)).test_client()


def desk_answer(client, leaflet: str, language: str, fmt: str) -> tuple[int, str, bytes]:
    """(status, the file's name or the page's sentence, the file's bytes) for the stable address."""
    response = client.get(f"/copies/{quote(leaflet)}/{quote(language)}/{quote(fmt)}?told=yes", follow_redirects=True)
    if response.status_code == 200:
        name = response.headers["Content-Disposition"].split("filename=")[1]
        return 200, name, response.data
    page = response.get_data(as_text=True)
    found = re.search(r"<h1>.*?</h1>\s*<p>(.*?)</p>", page, re.S)
    assert found, page
    return response.status_code, html.unescape(found.group(1)), b""


@pytest.mark.parametrize(("ask", "answer"), ASKS, ids=[" ".join(a) for a, _ in ASKS])
def test_the_command_line_and_the_desk_give_the_same_answer(strict, client, ask, answer):
    said = run_cli(strict, "request", *ask)
    status, desk, data = desk_answer(client, *ask)
    if answer.startswith("RAD_0009-"):  # a copy: the same file from both
        assert said.returncode == 0, said.stderr
        path = Path(said.stdout.strip())
        assert path.name == desk == answer and status == 200
        assert data == path.read_bytes()
        return
    assert said.returncode == 1 and said.stdout == ""
    line = said.stderr.splitlines()[0]
    assert desk.startswith(answer) and line.startswith(desk), (line, desk)
    assert status in (404, 409)


def test_words_on_the_desk_address_lead_to_the_codes(client):
    response = client.get("/copies/vertebroplasty/Polish/big%20print?size=24")
    assert response.status_code == 301
    assert response.headers["Location"] == "/copies/RAD_0009/pl/large-print?size=24"


def test_both_are_recorded_in_the_request_log(strict, client):
    run_cli(strict, "request", "RAD_0009", "pl", "text")
    run_cli(strict, "request", "RAD_0009", "en", "large-print", "--size", "24")
    client.get("/copies/RAD_0009/pl/text?told=yes")
    with sqlite3.connect(strict / ".desk/requests.sqlite") as db:
        rows = db.execute("SELECT leaflet, language, format, size, outcome FROM requests").fetchall()
    assert rows.count(("RAD_0009", "pl", "text", "", "not ready")) >= 2  # once each way
    assert ("RAD_0009", "en", "large-print", "24pt", "issued") in rows


# --- the service itself ----------------------------------------------------------------------------


class Kept:
    """A recorder that keeps what it is given (the interface an archive of issued copies implements)."""

    def __init__(self):
        self.results: list[tuple[object, date, str]] = []

    def record(self, result, day: date, how: str) -> None:
        self.results.append((result, day, how))


def test_the_service_hands_back_the_file_its_hash_and_options(project_copy):
    kept = Kept()
    service = Issuing(Project(project_copy), project_copy / "build", Policy(), kept)
    today = date(2026, 6, 1)
    options = formats.Options(size=24, build_date=today)
    results = service.issue(Ask("vertebroplasty", "Polish", ("big print", "text"), options), today, "test")
    assert [type(r) for r in results] == [Issued, Issued]
    pdf, text = results
    assert isinstance(pdf, Issued) and isinstance(text, Issued)
    assert pdf.path.name == "RAD_0009-vertebroplasty.pl.24pt.pdf" and pdf.options.size == 24 and pdf.built
    assert pdf.caution == "This Polish translation has not yet been checked by a clinician."
    for copy in results:
        assert isinstance(copy, Issued) and copy.stream is not None
        with copy.stream as stream:
            assert hashlib.sha256(stream.read()).hexdigest() == copy.sha256
    assert [(r, d, h) for r, d, h in kept.results] == [(pdf, today, "test"), (text, today, "test")]

    (again,) = service.issue(Ask("RAD_0009", "pl", ("large-print",), options), today)
    assert isinstance(again, Issued) and not again.built and again.sha256 == pdf.sha256
    assert again.stream is not None
    again.stream.close()
    assert len(kept.results) == 2  # `how` None: the caller records once the copy is handed over


def test_the_service_refuses_with_kinds_and_the_release_rule(project_copy):
    strict = Issuing(Project(project_copy), project_copy / "build", Policy(allow_unreviewed=False))
    today = date(2026, 6, 1)
    (refused,) = strict.issue(Ask("RAD_0009", "pl", ("text",)), today)
    assert isinstance(refused, Refused) and refused.state == State.REFUSED and refused.kind == "not signed off"
    (unknown,) = strict.issue(Ask("nothing like it", "pl", ("text",)), today)
    assert isinstance(unknown, Refused) and unknown.kind == Unmet.UNKNOWN_LEAFLET and unknown.state is None
    (english,) = strict.issue(Ask("RAD_0009", "en", ("text",)), date(2031, 1, 1))  # past its review date
    assert isinstance(english, Refused) and english.kind == "past review date"
    assert english.reason.endswith("may be out of date. The trust does not allow copies like this to be issued.")
    assert not (project_copy / "build/RAD_0009/pl").exists()


def test_where_the_trust_allows_unchecked_copies_both_issue_them_after_the_warning(project_copy):
    from publishing.issuing.desk.settings import Settings

    client = create_app(project_copy, Settings(allow_unreviewed=True)).test_client()
    said = run_cli(project_copy, "request", "RAD_0009", "pl", "text")
    assert said.returncode == 0 and said.stderr == (
        "warning: This Polish translation has not yet been checked by a clinician. "
        "Tell the patient before you hand it over.\n"
    )
    confirm = client.get("/copies/RAD_0009/pl/text")
    assert confirm.status_code == 200 and "I have told the patient" in confirm.get_data(as_text=True)
    status, name, data = desk_answer(client, "RAD_0009", "pl", "text")
    assert status == 200 and name == Path(said.stdout.strip()).name and data == Path(said.stdout.strip()).read_bytes()
    # a format the language cannot have is said at once, before any warning to confirm
    somali = client.get("/copies/RAD_0009/so/audio")
    assert somali.status_code == 409 and "Audio is not available in Somali" in somali.get_data(as_text=True)
