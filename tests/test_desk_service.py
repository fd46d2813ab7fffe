"""The desk's server side (Flask's test client; a real SQLite request log, a real aiosmtpd relay):
unmet needs recorded as they happen, a log that is locked or read-only, a ready copy while a build
runs, sign-in throttling, odd query keys, and the e-mail in the patient's language."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from conftest import Mailbox, free_port

from leaflets.errors import LeafletError
from publishing.issuing.desk import create_app
from publishing.issuing.desk.settings import Settings

TOKEN = "correct-horse-battery-staple"


def rows(app) -> list[tuple]:
    log = app.extensions["desk"]["log"]
    assert log.flush()
    with sqlite3.connect(log.path) as db:
        return db.execute("SELECT leaflet, language, format, size, outcome, need, asked FROM requests").fetchall()


def made(client, path: str, seconds: float = 300, **kwargs):
    """Ask for a copy as a browser does: again while the answer is "being made" (202)."""
    end = time.monotonic() + seconds
    while True:
        response = client.get(path, **kwargs)
        if response.status_code != 202 or time.monotonic() > end:
            return response
        time.sleep(0.3)


def csrf(client) -> str:
    with client.session_transaction() as session:
        session["csrf"] = "t"
    return "t"


# --- unmet needs and the names patients say ---------------------------------------------------------


def test_every_refusal_is_recorded_with_its_reason_once_per_reload(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    assert client.get("/leaflets/RAD_0009?language=Tigrinya").status_code == 200
    assert client.get("/leaflets/RAD_0009?language=Tigrinya").status_code == 200  # a reload: counted once
    assert client.get("/copies/RAD_0009/so/audio").status_code == 409  # a stable address: recorded too
    assert client.get("/copies/RAD_0009/so/braille?braille-grade=1").status_code == 409
    got = rows(app)
    assert got.count(("RAD_0009", "ti", "any", "", "not met", "no translation", "")) == 1
    assert ("RAD_0009", "so", "audio", "", "not met", "no speech voice", "") in got
    assert ("RAD_0009", "so", "braille", "grade 1", "not met", "no braille code", "") in got


def test_a_spoken_language_leads_to_its_written_one_and_says_there_is_no_audio_in_it(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    asked = client.get("/leaflets/RAD_0009?language=Sylheti")
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/leaflets/RAD_0009/bn?said=Sylheti")
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "The patient asked for <strong>Sylheti</strong>" in page and "There is no Sylheti audio" in page
    cantonese = client.get("/leaflets/RAD_0009?language=Cantonese").get_data(as_text=True)
    assert "There is no Chinese (Traditional) translation" in cantonese and "recorded" in cantonese
    assert ("RAD_0009", "zh_Hant", "any", "", "not met", "no translation", "Cantonese") in rows(app)


def test_a_name_not_known_at_all_is_recorded_on_request(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    page = client.get("/leaflets/RAD_0009?language=Klingonese").get_data(as_text=True)
    assert "Record that “Klingonese” was asked for" in page
    assert not rows(app)  # a typo is not counted until the officer says it is a language
    done = client.post("/unmet", data={"csrf_token": csrf(client), "leaflet": "RAD_0009", "language": "Klingonese"})
    assert done.status_code == 200 and "“Klingonese”" in done.get_data(as_text=True)
    assert ("RAD_0009", "", "any", "", "not met", "language not recognised", "Klingonese") in rows(app)
    report = client.get("/report").get_data(as_text=True)
    assert "“Klingonese” (not recognised)" in report


# --- the request log never stops a copy ------------------------------------------------------------


def test_a_locked_request_log_never_stops_a_copy_and_is_reported(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    assert made(client, "/copies/RAD_0009/en/text").status_code == 200
    log = app.extensions["desk"]["log"]
    assert log.flush()
    holder = sqlite3.connect(log.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a spreadsheet or a backup holding the file
    try:
        start = time.monotonic()
        response = client.get("/copies/RAD_0009/en/text")
        assert response.status_code == 200 and time.monotonic() - start < 1.0
        for _ in range(100):
            if log.problem:
                break
            time.sleep(0.1)
        assert "cannot be written" in log.problem and "Copies are still issued" in log.problem
        assert "The request log cannot be written" in client.get("/report").get_data(as_text=True)
    finally:
        holder.rollback()
        holder.close()
    assert log.flush(20)  # the kept rows are written once the lock goes: nothing lost
    assert rows(app).count(("RAD_0009", "en", "text", "", "issued", "", "")) == 2
    assert log.problem == ""


def test_an_immutable_request_log_never_stops_issuing(project_copy):
    first = create_app(project_copy, Settings())
    assert made(first.test_client(), "/copies/RAD_0009/en/text").status_code == 200
    path = first.extensions["desk"]["log"].path
    assert first.extensions["desk"]["log"].flush()
    locked = [p for p in (path.parent, path) if subprocess.run(["chattr", "+i", str(p)]).returncode == 0]
    if len(locked) < 2:
        pytest.skip("chattr +i is not possible here")
    try:
        app = create_app(project_copy, Settings())  # the desk starts with a read-only log
        client = app.test_client()
        start = time.monotonic()
        assert client.get("/copies/RAD_0009/en/text").status_code == 200 and time.monotonic() - start < 1.0
        log = app.extensions["desk"]["log"]
        for _ in range(100):
            if log.problem:
                break
            time.sleep(0.1)
        assert "cannot be written" in log.problem
    finally:
        for p in locked:
            subprocess.run(["chattr", "-i", str(p)], check=True)


def test_a_ready_copy_is_served_while_a_build_runs(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    assert made(client, "/copies/RAD_0009/en/text").status_code == 200
    start = time.monotonic()
    making = client.get("/copies/RAD_0009/ur/audio?told=yes")  # speech: several seconds to make
    assert making.status_code == 202 and time.monotonic() - start < 3  # the first look at Urdu checks it too
    page = making.get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "being made" in page and "<script" not in page
    library = app.extensions["desk"]["library"]
    running = next(f for key, f in library._making.items() if key[:3] == ("RAD_0009", "ur", "audio"))
    start = time.monotonic()
    ready = client.get("/copies/RAD_0009/en/text")
    took = time.monotonic() - start
    assert not running.done(), "the build finished before the ready copy was asked for: nothing was shown"
    assert ready.status_code == 200 and took < 1.0
    done = made(client, "/copies/RAD_0009/ur/audio?told=yes")  # then the page hands the file
    assert done.status_code == 200 and done.mimetype == "audio/mpeg" and done.data[:3] in (b"ID3", b"\xff\xfb")


# --- security ---------------------------------------------------------------------------------------


def test_200_wrong_access_codes_are_throttled(project_copy):
    app = create_app(project_copy, Settings(access_token=TOKEN), host="0.0.0.0")
    client = app.test_client()
    token = csrf(client)
    answers = [
        client.post("/sign-in", data={"csrf_token": token, "token": f"guess-{i:04d}-xxxxxxxxxx"}) for i in range(200)
    ]
    codes = [a.status_code for a in answers]
    assert codes[:10] == [400] * 10 and set(codes[10:]) == {429}
    assert int(answers[-1].headers["Retry-After"]) > 0
    right = client.post("/sign-in", data={"csrf_token": token, "token": TOKEN})
    assert right.status_code == 429  # even the right code waits: a guesser cannot tell
    # guesses spread over many addresses are slowed overall; a program's Bearer guesses count too
    many = [
        client.get("/", headers={"Authorization": f"Bearer wrong-{i}"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        for i in range(1, 60)
    ]
    assert {r.status_code for r in many} == {403, 429} and many[-1].status_code == 429
    assert "Retry-After" in many[-1].headers


def test_an_access_code_shorter_than_16_characters_stops_the_desk(project_copy):
    with pytest.raises(LeafletError, match="at least 16"):
        create_app(project_copy, Settings(access_token="s3cret-code"), host="0.0.0.0")


@pytest.mark.parametrize(
    "path",
    [
        "/copies/RAD_0009/en/text?lid=x",
        "/copies/RAD_0009/en/text?code=pl&fmt=audio",
        "/copies/RAD_0009/en/pdf?lid=x&code=y&fmt=z",
        "/copies/RAD_0009/en/text?braille-grade=9",
        "/copies/RAD_0009/en/braille?braille-grade=&braille-cells=x",
        "/copies/RAD_0009/bn/text?said=Sylheti&said=Mirpuri&lid=1",
        "/leaflets/RAD_0009/pl?lid=x&code=y&fmt=z",
        "/leaflets/RAD_0009?lid=x&language=",
        "/leaflets/RAD_0009?language=&language=pl",
        "/?lid=x&q=",
        "/report?lid=x&from=&to=",
        "/report.csv?fmt=x&from=2026-13-01",
    ],
)
def test_odd_query_keys_never_give_a_500(project_copy, path):
    client = create_app(project_copy, Settings()).test_client()
    response = client.get(path)
    assert response.status_code < 500, response.get_data(as_text=True)[-400:]
    assert "Traceback" not in response.get_data(as_text=True)


# --- the e-mail in the patient's language ------------------------------------------------------------


@pytest.fixture
def relay():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield smtp.port, mailbox
    smtp.stop()


def test_a_polish_email_arrives_in_polish_with_proper_headers(project_copy, relay):
    port, mailbox = relay
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, mail_from="Patient Information <pals@example.nhs.uk>")
    app = create_app(project_copy, settings)
    client = app.test_client()
    form = {"csrf_token": csrf(client), "format": "text", "action": "email", "told": "yes"}
    trailing = client.post("/leaflets/RAD_0009/pl/issue", data={**form, "address": "pacjent@example.org."})
    assert trailing.status_code == 400 and "Enter the patient’s e-mail address" in trailing.get_data(as_text=True)
    sent = client.post("/leaflets/RAD_0009/pl/issue", data={**form, "address": "pacjent@example.org"})
    assert sent.status_code == 200, sent.get_data(as_text=True)[-400:]
    message = message_from_bytes(mailbox.messages[-1], policy=policy.default)
    assert message["Subject"].startswith("Twoja ulotka: ") and message["Subject"].endswith(
        " / Your leaflet: Vertebroplasty (repair of vertebrae with bone cement)"
    )
    assert message["Date"] and message["Message-ID"].endswith("@example.nhs.uk>")
    assert message["Content-Language"] == "pl, en-GB"
    body = message.get_body(("plain",))
    text = body.get_content().replace("\r\n", "\n")
    assert body["Content-Type"].params["charset"] == "utf-8"
    polish, english = text.split("\n---\n")
    assert "Przesyłamy ulotkę" in polish and "Wertebroplastyka" in polish  # the title in Polish too
    assert "To tłumaczenie nie zostało jeszcze sprawdzone" in polish  # the review warning
    assert "Prosimy nie odpowiadać" in polish and "poproś o nie" in polish  # the footer, the "ask us" line
    assert "Here is the leaflet you asked for" in english and "not yet been checked by a clinician" in english
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "RAD_0009-vertebroplasty.pl.txt"
    assert ("RAD_0009", "pl", "text", "", "e-mailed", "", "") in rows(app)


def test_an_address_is_checked_by_the_grammar_not_a_pattern():
    from publishing.issuing.desk import mail

    assert mail.check_address(" Name.Surname@Example.org ") == "Name.Surname@example.org"
    assert mail.check_address("zażółć@example.pl") == "zażółć@example.pl"  # RFC 6531
    for bad in ("a@example.org.", "a@@example.org", "Someone <a@example.org>", "a@example.org, b@example.org", "a"):
        assert mail.check_address(bad) == "", bad


def test_shared_desk_strings_fall_back_to_english(project_copy):
    from leaflets.project import Project
    from publishing.issuing.desk.patient import Voice

    po = project_copy / "locales/pl/LC_MESSAGES/common.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Twoja ulotka: {title}"', 'msgstr ""'), encoding="utf-8")
    voice = Voice(Project(Path(project_copy)), "pl")
    subject = voice.say("desk_mail_subject", title="X")
    assert subject.text == "Your leaflet: X" and not subject.translated
    assert voice.say("desk_mail_footer").tag == "pl"


def test_a_ready_copy_is_never_yesterdays_text(project_copy):
    app = create_app(project_copy, Settings())
    client = app.test_client()
    first = made(client, "/copies/RAD_0009/pl/text?told=yes")
    assert first.status_code == 200 and made(client, "/copies/RAD_0009/pl/text?told=yes").data == first.data
    po = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("Wertebroplastyka", "Wertebroplastyka (poprawiona)", 1), encoding="utf-8")
    again = made(client, "/copies/RAD_0009/pl/text?told=yes")
    assert again.status_code == 200 and "Wertebroplastyka (poprawiona)" in again.get_data(as_text=True)


def test_an_untranslated_desk_string_never_refuses_a_copy_and_status_lists_it(project_copy):
    from tests.conftest import run_cli

    po = project_copy / "locales/pl/LC_MESSAGES/common.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Twoja ulotka: {title}"', 'msgstr ""'), encoding="utf-8")
    built = run_cli(project_copy, "build", "--locale", "pl", "--format", "text")
    assert built.returncode == 0, built.stderr
    status = run_cli(project_copy, "status", "--locale", "pl")
    assert "pl: missing shared strings (said in English until translated in common.po): desk_mail_subject" in (
        status.stdout
    )
    assert " 100.0 " in status.stdout  # the leaflet itself is complete: the desk's sentence does not count


def test_the_report_counts_by_month_and_puts_the_most_asked_first(project_copy):
    from datetime import date

    from publishing.issuing.desk.requestlog import Need, Outcome

    app = create_app(project_copy, Settings(), today=lambda: date(2026, 12, 5))
    log = app.extensions["desk"]["log"]
    for day, code, fmt, need in [
        (date(2026, 10, 3), "so", "audio", Need.NO_VOICE),
        (date(2026, 10, 20), "so", "audio", Need.NO_VOICE),
        (date(2026, 11, 2), "so", "audio", Need.NO_VOICE),
        (date(2026, 11, 9), "ti", "any", Need.NO_TRANSLATION),
        (date(2026, 8, 1), "ti", "any", Need.NO_TRANSLATION),  # before the period
    ]:
        log.record(day, "RAD_0009", code, fmt, "", Outcome.UNMET, need)
    log.record(date(2026, 11, 9), "RAD_0009", "pl", "large-print", "24 pt", Outcome.ISSUED)
    assert log.flush()
    page = app.test_client().get("/report?from=2026-09-01&to=2026-12-31").get_data(as_text=True)
    assert "Sep 2026: 0. Oct 2026: 2. Nov 2026: 2. Dec 2026: 0." in page  # the chart's text equivalent
    assert page.count("<rect ") == 4 and "<script" not in page
    top = page[page.index("most asked for first") :]
    assert top.index("Somali, Audio: 3 (no speech voice)") < top.index("Tigrinya, any format: 1 (no translation)")
    assert "<strong>1</strong> copies issued, <strong>4</strong> needs not met" in page
    csv = app.test_client().get("/report.csv?from=2026-09-01&to=2026-12-31").get_data(as_text=True)
    assert "RAD_0009,Polish,pl,,large-print,24 pt,issued,,1" in csv.splitlines()
