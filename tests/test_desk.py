"""The PALS desk in a real browser (Playwright driving Debian's chromium), checked with axe-core,
against a real waitress server, a real SQLite request log and a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from conftest import Mailbox, free_port

import formats
from publishing.issuing.desk import create_app
from publishing.issuing.desk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tools/axe/node_modules/axe-core/axe.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARGS += ["--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = os.environ.get("DESK_SCREENSHOTS")  # a folder to keep the screenshots in, to look at them


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """One project copy, one SMTP server, one waitress server for the module."""
    from aiosmtpd.controller import Controller
    from waitress.server import create_server

    root = tmp_path_factory.mktemp("desk") / "proj"
    root.mkdir()
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    settings = Settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        mail_from="Patient Information <leaflets@example.nhs.uk>",
    )
    app = create_app(root, settings)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield {
        "root": root,
        "url": f"http://127.0.0.1:{server.effective_port}",
        "app": app,
        "mailbox": mailbox,
    }
    server.close()
    smtp.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page with JavaScript off: the desk must work without it (it sends none)."""
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    yield context.new_page()
    context.close()


def axe(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page, as "rule: target" lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element is focused: fails if the keyboard cannot reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def artifact(root: Path, code: str, name: str) -> Path:
    ext = formats.extension(name)
    return root / "build" / "RAD_0009" / code / f"RAD_0009-vertebroplasty.{code}.{ext}"


TOKEN = "correct-horse-battery-staple"  # an access code of the length the desk demands


def log_rows(desk) -> list[tuple]:
    """The request log's rows once every queued one is written."""
    assert desk["app"].extensions["desk"]["log"].flush()
    with sqlite3.connect(desk["root"] / ".desk/requests.sqlite") as db:
        return db.execute("SELECT leaflet, language, format, size, outcome FROM requests").fetchall()


def needs(root: Path, code: str, fmt: str) -> list[tuple]:
    with sqlite3.connect(root / ".desk/requests.sqlite") as db:
        return db.execute("SELECT need FROM requests WHERE language = ? AND format = ?", (code, fmt)).fetchall()


# --- the browser flows -----------------------------------------------------------------------------


@pytest.mark.slow
def test_typo_then_urdu_audio_download_is_the_built_artifact(desk, page):
    page.goto(desk["url"] + "/")
    page.fill("#q", "vertebroplsty")
    page.click("button:has-text('Search')")
    assert page.locator("h1").inner_text().startswith("Vertebroplasty")
    page.fill("#language", "Urdu")
    page.click("button:has-text('Continue')")
    assert "اردو" in page.locator("h1").inner_text()
    assert page.locator("h1 [lang=ur]").get_attribute("dir") == "rtl"
    page.select_option("#format", "audio")
    page.check("#told")
    with page.expect_download(timeout=300_000) as got:  # made on request: the page refreshes itself until it is
        page.click("button[value=download]")
    download = got.value
    assert download.suggested_filename == "RAD_0009-vertebroplasty.ur.mp3"
    saved = Path(download.path())
    assert saved.read_bytes() == artifact(desk["root"], "ur", "audio").read_bytes()
    assert ("RAD_0009", "ur", "audio", "", "issued") in log_rows(desk)


def test_somali_audio_is_refused_with_its_reason_and_recorded_without_a_click(desk, page):
    page.goto(desk["url"] + "/leaflets/RAD_0009/so")
    option = page.locator("#format option[value=audio]").inner_text()
    assert "not available in Somali" in option
    assert page.locator("button", has_text="Record that").count() == 0  # no extra button to remember
    before = log_rows(desk).count(("RAD_0009", "so", "audio", "", "not met"))
    page.select_option("#format", "audio")
    page.click("button[value=download]")
    assert page.locator("h1").inner_text() == "This copy cannot be issued"
    assert "Audio is not available in Somali; large print" in page.inner_text("main")
    assert log_rows(desk).count(("RAD_0009", "so", "audio", "", "not met")) == before + 1
    assert ("no speech voice",) in needs(desk["root"], "so", "audio")


def formats_locale(code: str):
    from leaflets import locales

    return locales.info(code)


def test_unreviewed_copy_needs_the_confirmation(desk, page):
    page.goto(desk["url"] + "/leaflets/RAD_0009/pl")
    assert "This Polish translation has not yet been checked by a clinician." in page.inner_text(".warning-callout")
    page.select_option("#format", "text")
    page.click("button[value=download]")
    assert page.locator(".error-summary").is_visible()
    assert "Confirm that you have told the patient" in page.inner_text(".error-summary")
    assert page.title().startswith("Error: ")
    page.click(".error-summary a")  # the summary's link takes the officer to the checkbox
    assert page.evaluate("document.activeElement.id") == "told"
    page.check("#told")
    with page.expect_download() as got:
        page.click("button[value=download]")
    assert Path(got.value.path()).read_bytes() == artifact(desk["root"], "pl", "text").read_bytes()


@pytest.mark.slow
def test_keyboard_only_run_of_the_whole_flow(desk, page):
    page.goto(desk["url"] + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    tab_to(page, "#q")
    page.keyboard.type("vertbroplasty bone cement")
    page.keyboard.press("Enter")
    page.wait_for_selector("#language")
    tab_to(page, "#language")
    page.keyboard.type("in Polsh")
    page.keyboard.press("Enter")
    page.wait_for_selector("#format")
    tab_to(page, "#format")
    page.keyboard.press("ArrowDown")  # the first format: large print
    tab_to(page, "#size")
    page.keyboard.press("ArrowDown")  # 20 point
    tab_to(page, "#told")
    page.keyboard.press("Space")
    tab_to(page, "button[value=download]")
    with page.expect_download(timeout=120_000) as got:
        page.keyboard.press("Enter")
    assert got.value.suggested_filename == "RAD_0009-vertebroplasty.pl.20pt.pdf"
    assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"


def test_email_goes_through_the_relay_and_the_address_is_not_kept(desk, page):
    address = "patient.name@example.org"
    page.goto(desk["url"] + "/leaflets/RAD_0009/en")
    assert page.locator(".warning-callout").count() == 0  # the English source needs no warning
    page.select_option("#format", "text")
    page.fill("#address", address)
    page.click("button[value=email]")
    assert page.locator("h1").inner_text() == "E-mail sent"
    message = message_from_bytes(desk["mailbox"].messages[-1])
    assert message["To"] == address and "Vertebroplasty" in message["Subject"]
    (attached,) = [p for p in message.walk() if p.get_filename()]
    assert attached.get_filename() == "RAD_0009-vertebroplasty.en.txt"
    assert attached.get_payload(decode=True) == artifact(desk["root"], "en", "text").read_bytes()
    log_rows(desk)
    kept = b"".join(p.read_bytes() for p in (desk["root"] / ".desk").iterdir())  # the log and its WAL
    assert b"RAD_0009" in kept and address.encode() not in kept


def test_a_wrong_address_is_said_plainly(desk, page):
    page.goto(desk["url"] + "/leaflets/RAD_0009/en")
    page.select_option("#format", "text")
    page.fill("#address", "not an address, evil@x.org")
    page.click("button[value=email]")
    assert "Enter the patient’s e-mail address" in page.inner_text(".error-summary")


@pytest.mark.slow
def test_every_page_passes_axe_and_reads_at_200_percent(desk, browser):
    # 640 CSS px at device scale 2 is a 1280 px window at 200% zoom; bypass_csp lets axe be injected
    context = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2, bypass_csp=True)
    page = context.new_page()
    url = desk["url"]
    pages = {
        "search": "/",
        "no-match": "/?q=hip+replacement",
        "leaflet": "/leaflets/RAD_0009",
        "ambiguous": "/leaflets/RAD_0009?language=Kurdish",
        "no-translation": "/leaflets/RAD_0009?language=Tigrinya",
        "unknown-language": "/leaflets/RAD_0009?language=Klingon",
        "copy-polish": "/leaflets/RAD_0009/pl",
        "copy-somali": "/leaflets/RAD_0009/so",
        "confirm": "/copies/RAD_0009/pl/text",
        "report": "/report",
        "report-error": "/report?from=yesterday",
        "not-found": "/leaflets/NOPE_0001",
        "not-available": "/copies/RAD_0009/so/audio",
        "being-made": "/copies/RAD_0009/pl/audio?speed=faster&told=yes",  # speech: many seconds to make
    }
    found = {}
    # the "being made" page looks again at once: answered here with 204 No Content, so it stays for axe
    page.route("**/*waiting=yes*", lambda route: route.fulfill(status=204))
    for name, path in pages.items():
        page.goto(url + path)
        found[name] = axe(page)
        assert page.locator("h1").count() == 1, name
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    page.goto(url + "/leaflets/RAD_0009/pl")
    page.click("button[value=download]")  # nothing chosen: the error summary
    found["copy-errors"] = axe(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/copy-errors.png", full_page=True)
    page.goto(url + "/leaflets/RAD_0009?language=Klingon")
    page.click("button:has-text('Record that')")
    found["recorded"] = axe(page)
    context.close()
    assert {k: v for k, v in found.items() if v} == {}


# --- the server without a browser (Flask's test client against the same app) ----------------------


@pytest.fixture(scope="module")
def client(desk):
    return desk["app"].test_client()


@pytest.mark.parametrize(
    "path",
    [
        "/copies/../../etc/passwd",
        "/copies/RAD_0009/pl/..%2F..%2F..%2Fetc%2Fpasswd",
        "/leaflets/..%2F..%2Fsource",
        "/static/../app.py",
        "/static/",
        "/leaflets/RAD_0009/%2e%2e",
        "/copies/RAD_0009/en/text?size=1e9",
        "/copies/RAD_0009/en/text?speed=warp",
        "/copies/RAD_0009/en/audio?size=20",
        "/leaflets/RAD_0009?language=" + "x" * 5000,
        "/?q=%00",
        "/?q=%ff%fe",
        "/leaflets/%C0%AE%C0%AE",
        "/" + "a/" * 1200,
    ],
)
def test_hostile_addresses_get_a_plain_4xx_page(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500 or (response.status_code == 200 and path.startswith("/?q="))
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<h1>" in text and "root:" not in text


def test_security_headers_and_csrf(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    refused = client.post("/unmet", data={"leaflet": "RAD_0009", "language": "ti"})
    assert refused.status_code == 400 and "form has expired" in refused.get_data(as_text=True)


def made(client, path: str, seconds: float = 300):
    """A copy's address asked for as a browser does: again while the answer is "being made" (202)."""
    import time

    end = time.monotonic() + seconds
    while True:
        response = client.get(path)
        if response.status_code != 202 or time.monotonic() > end:
            return response
        assert 'http-equiv="refresh"' in response.get_data(as_text=True)
        time.sleep(0.5)


def test_stable_address_serves_the_copy_with_its_type_and_name(client, desk):
    response = made(client, "/copies/RAD_0009/en/large-print?size=24&open=yes")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "inline; filename=RAD_0009-vertebroplasty.en.24pt.pdf"
    assert response.data == (desk["root"] / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.24pt.pdf").read_bytes()
    alias = client.get("/copies/RAD_0009/en/pdf?size=24")
    assert alias.status_code == 301 and alias.headers["Location"].startswith("/copies/RAD_0009/en/large-print?")
    assert client.get("/copies/NOPE_0001/en/text").status_code == 404
    assert client.get("/copies/RAD_0009/ti/text").status_code == 404


def test_a_copy_not_ready_to_publish_is_409_with_the_reason(client, desk):
    po = desk["root"] / "locales/ro/LC_MESSAGES/RAD_0009.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Further information"')
    po.write_text(text[:start] + 'msgid "Further information"\nmsgstr ""' + text[text.index("\n\n", start) :])
    response = client.get("/copies/RAD_0009/ro/text?told=yes")
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The Romanian copy of RAD_0009 cannot be issued yet: the translation is not finished" in body
    page = client.get("/leaflets/RAD_0009/ro").get_data(as_text=True)
    assert 'value="download"' not in page and "recorded as a need we could not meet" in page
    assert ("RAD_0009", "ro", "text", "", "not met") in log_rows(desk)


def test_twenty_officers_asking_at_once_cause_one_build(desk):
    library = desk["app"].extensions["desk"]["library"]
    before = library.builds
    from publishing.issuing.desk.library import Library
    from publishing.issuing.service import Ask, Issued

    assert isinstance(library, Library)
    options = formats.Options(size=28)

    def ask(lid: str, code: str, fmt: str):
        (copy,) = library.service.issue(Ask(lid, code, (fmt,), options), date.today())
        assert isinstance(copy, Issued) and copy.stream is not None
        with copy.stream:
            return copy, copy.stream.read()

    with ThreadPoolExecutor(20) as pool:
        got = list(pool.map(lambda _: ask("RAD_0009", "en", "text"), range(20)))
    copies = [c for c, _ in got]
    # text has no size, so all twenty are one copy; its first build may already have happened
    assert library.builds - before <= 1
    with ThreadPoolExecutor(20) as pool:
        got = list(pool.map(lambda _: ask("RAD_0009", "cy", "large-print"), range(20)))
    copies = [c for c, _ in got]
    assert [c.built for c in copies].count(True) == 1 and library.builds - before <= 2
    assert len({c.path for c in copies}) == 1 and len({data for _, data in got}) == 1
    assert {c.sha256 for c in copies} == {hashlib.sha256(got[0][1]).hexdigest()}


def test_report_counts_issued_and_unmet_and_downloads_csv(client, desk):
    with client.session_transaction() as session:
        session["csrf"] = "t"
    assert client.get("/leaflets/RAD_0009?language=Tigrinya").status_code == 200  # recorded as it is said
    easy = client.post(
        "/unmet", data={"csrf_token": "t", "leaflet": "RAD_0009", "language": "pl", "format-asked": "easy read"}
    )
    assert "We do not make easy read versions" in easy.get_data(as_text=True)
    client.get("/copies/RAD_0009/en/text")
    client.get("/copies/RAD_0009/so/braille?braille-grade=1&lid=x")
    desk["app"].extensions["desk"]["log"].flush()
    today = date.today().isoformat()
    page = client.get(f"/report?from={today}&to={today}").get_data(as_text=True)
    assert "Tigrinya" in page and "no translation" in page and "easy read" in page and "no braille code" in page
    assert "<svg" in page and "Needs not met, by month" in page
    csv = client.get(f"/report.csv?from={today}&to={today}")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0] == "leaflet,language,language code,asked as,format,size,outcome,why,requests"
    assert any(line.startswith("RAD_0009,Tigrinya,ti,,any,,not met,no translation,") for line in lines)
    assert any(line.startswith("RAD_0009,Somali,so,,braille,grade 1,not met,no braille code,") for line in lines)
    assert any(line.startswith("RAD_0009,English,en,,text,,issued,,") for line in lines)
    bad = client.get("/report?from=2026-12-01&to=2026-11-01").get_data(as_text=True)
    assert "The end date must be on or after the start date" in bad


def test_beyond_loopback_needs_a_token_or_the_proxy_header(tmp_path, project_copy):
    from leaflets.errors import LeafletError

    with pytest.raises(LeafletError, match="open to anyone"):
        create_app(project_copy, Settings(), host="0.0.0.0")
    app = create_app(project_copy, Settings(access_token=TOKEN), host="0.0.0.0")
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    form = client.get("/sign-in").get_data(as_text=True)
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/sign-in", data={"csrf_token": token, "token": "wrong"}).status_code == 400
    assert client.post("/sign-in", data={"csrf_token": token, "token": TOKEN}).status_code == 303
    assert client.get("/").status_code == 200  # the cookie now carries the code
    proxied = create_app(project_copy, Settings(proxy_user_header="X-Remote-User"), host="0.0.0.0").test_client()
    assert proxied.get("/").status_code == 403
    assert proxied.get("/", headers={"X-Remote-User": "a.officer"}).status_code == 200
    outside = proxied.get("/", headers={"X-Remote-User": "a.officer"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert outside.status_code == 403  # only the trusted proxy may say who the user is


def test_trust_setting_can_forbid_unchecked_copies(project_copy):
    client = create_app(project_copy, Settings(allow_unreviewed=False)).test_client()
    page = client.get("/leaflets/RAD_0009/pl").get_data(as_text=True)
    assert "The trust does not allow copies like this to be issued" in page and "value=download" not in page
    assert client.get("/copies/RAD_0009/pl/text?told=yes").status_code == 409


def test_a_mail_relay_that_is_down_is_said_plainly(project_copy):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port(), mail_from="leaflets@example.nhs.uk")
    client = create_app(project_copy, settings).test_client()
    with client.session_transaction() as session:
        session["csrf"] = "t"
    form = {"csrf_token": "t", "format": "text", "action": "email", "address": "someone@example.org"}
    response = client.post("/leaflets/RAD_0009/en/issue", data=form)
    assert response.status_code == 502
    assert "The e-mail was not sent" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_settings_come_from_the_toml_file_and_the_environment(tmp_path):
    from leaflets.errors import LeafletError
    from publishing.issuing.desk import settings

    (tmp_path / "desk.toml").write_text('allow_unreviewed = false\nsmtp_port = 2525\ntrusted_proxies = ["10.0.0.1"]\n')
    loaded = settings.load(tmp_path, {"LEAFLET_DESK_ACCESS_TOKEN": "abc", "LEAFLET_DESK_SMTP_STARTTLS": "yes"})
    assert not loaded.allow_unreviewed and loaded.smtp_port == 2525 and loaded.trusted_proxies == ("10.0.0.1",)
    assert loaded.access_token == "abc" and loaded.smtp_starttls
    (tmp_path / "desk.toml").write_text("smtp_prot = 25\n")
    with pytest.raises(LeafletError, match="unknown setting 'smtp_prot'"):
        settings.load(tmp_path, {})
    with pytest.raises(LeafletError, match="is not a int"):
        settings.load(tmp_path, {"LEAFLET_DESK_SETTINGS": str(tmp_path / "none.toml"), "LEAFLET_DESK_SMTP_PORT": "x"})


@pytest.mark.subprocess
def test_pipeline_serve_starts_the_desk_and_refuses_an_open_address(project_copy):
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    command = [sys.executable, str(ROOT / "pipeline.py"), "--root", str(project_copy), "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200 and b"Find a leaflet" in response.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the desk did not start: " + server.stderr.read())
    finally:
        server.terminate()
        server.wait(timeout=10)
    refused = subprocess.run([*command[:-2], "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "open to anyone" in refused.stderr and "Traceback" not in refused.stderr


# --- issue 28's walk: five patients, every page checked by axe at 100% and 200% ----------------------


def _walk(page, desk, found: dict, zoom: str) -> None:
    """A PALS officer's afternoon, each page checked with axe as it is reached."""
    url = desk["url"]

    def check(name: str) -> None:
        found[f"{name}@{zoom}"] = axe(page)
        assert page.locator("h1").count() == 1, name
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/walk-{name}-{zoom}.png", full_page=True)

    def choose(language: str) -> None:
        page.goto(url + "/")
        page.fill("#q", "vertebroplasty")
        page.click("button:has-text('Search')")
        page.fill("#language", language)
        page.click("button:has-text('Continue')")

    # 1. a Polish e-mail, read in Polish by the patient
    choose("polski")
    check("copy-polish")
    assert "To tłumaczenie nie zostało jeszcze sprawdzone" in page.inner_text(".warning-callout")
    page.select_option("#format", "text")
    page.check("#told")
    page.fill("#address", "pacjent@example.org")
    page.click("button[value=email]")
    assert page.locator("h1").inner_text() == "E-mail sent"
    check("sent")
    message = message_from_bytes(desk["mailbox"].messages[-1], policy=email_policy.default)
    assert message["Subject"].startswith("Twoja ulotka: Wertebroplastyka")
    assert message["Content-Language"] == "pl, en-GB" and message["Date"] and message["Message-ID"]

    # 2. Urdu large print, giant
    choose("Urdu")
    check("copy-urdu")
    page.select_option("#format", "large-print")
    page.select_option("#size", "24")
    page.check("#told")
    with page.expect_download(timeout=300_000) as got:
        page.click("button[value=download]")
    assert got.value.suggested_filename == "RAD_0009-vertebroplasty.ur.24pt.pdf"
    assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"

    # 3. Welsh braille, uncontracted
    choose("Cymraeg")
    check("copy-welsh")
    page.select_option("#format", "braille")
    page.select_option("#braille-grade", "1")
    page.check("#told")
    with page.expect_download(timeout=300_000) as got:
        page.click("button[value=download]")
    assert got.value.suggested_filename == "RAD_0009-vertebroplasty.cy.grade1.brf"

    # 4. Somali audio: refused, said plainly, recorded without a click on anything else
    before = needs(desk["root"], "so", "audio")
    choose("Somali")
    check("copy-somali")
    page.select_option("#format", "audio")
    page.click("button[value=download]")
    assert "Audio is not available in Somali" in page.inner_text("main")
    check("refused-somali")
    assert len(log_rows(desk)) and len(needs(desk["root"], "so", "audio")) == len(before) + 1

    # 5. Sylheti: Bengali text, and the officer is told there is no Sylheti audio
    choose("Sylheti")
    assert "There is no Sylheti audio" in page.inner_text("main")
    check("copy-sylheti")
    page.select_option("#format", "text")
    page.check("#told")
    with page.expect_download(timeout=300_000) as got:
        page.click("button[value=download]")
    assert got.value.suggested_filename == "RAD_0009-vertebroplasty.bn.txt"
    assert ("RAD_0009", "bn", "text", "", "issued") in log_rows(desk)

    page.goto(url + "/report")
    assert "no speech voice" in page.inner_text("main")
    check("report")


@pytest.mark.slow
def test_issue_28_walk_at_100_and_200_percent(desk, browser):
    found: dict[str, list[str]] = {}
    for zoom, viewport, scale in (
        ("100", {"width": 1280, "height": 900}, 1),
        ("200", {"width": 640, "height": 900}, 2),
    ):
        context = browser.new_context(
            viewport=viewport, device_scale_factor=scale, bypass_csp=True, accept_downloads=True
        )
        _walk(context.new_page(), desk, found, zoom)
        context.close()
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.slow
def test_the_action_is_within_the_first_screen_at_200_percent(desk, browser):
    context = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    page.goto(desk["url"] + "/leaflets/RAD_0009/pl")
    box = page.locator("button[value=download]").bounding_box()
    context.close()
    assert box is not None and box["y"] + box["height"] <= 900
