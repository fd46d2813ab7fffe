"""PALS: `request` and `list` in plain words, and the build/index.html catalogue."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli

from leaflets.project import Project


@pytest.mark.parametrize(
    "leaflet,language",
    [
        ("vertebroplasty", "Polish"),
        ("RAD_0009", "polski"),
        ("rad_0009", "pl"),
        ("Vertebroplasty bone cement", "POLISH"),
    ],
)
def test_request_finds_leaflet_and_language_by_words(project_copy, leaflet, language):
    done = run_cli(project_copy, "request", leaflet, language, "plain", "text")
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.exists() and path.name == "RAD_0009-vertebroplasty.pl.txt"


@pytest.mark.parametrize(
    "language,code",
    [
        ("اردو", "ur"),
        ("Urdu", "ur"),
        ("Bengali", "bn"),
        ("বাংলা", "bn"),
        ("Mandarin", "zh_Hans"),
        ("romana", "ro"),
        ("Cymraeg", "cy"),
    ],
)
def test_request_by_native_and_common_names(project_copy, language, code):
    done = run_cli(project_copy, "request", "vertebroplasty", language, "txt")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).parent.name == code


def test_request_reuses_a_ready_copy_and_copies_to_out(project_copy, tmp_path):
    first = Path(run_cli(project_copy, "request", "vertebroplasty", "English", "text").stdout.strip())
    stamp = first.stat().st_mtime_ns
    (tmp_path / "usb").mkdir()
    done = run_cli(project_copy, "request", "vertebroplasty", "English", "text", "--out", str(tmp_path / "usb"))
    copied = Path(done.stdout.strip())
    assert copied == tmp_path / "usb" / first.name and copied.read_bytes() == first.read_bytes()
    assert first.stat().st_mtime_ns == stamp  # reused, not rebuilt


@pytest.mark.parametrize(
    "leaflet,language,words,code,names",
    [
        ("the vertebroplasty leaflet", "in Polsh", ["big", "print", "and", "text"], "pl", ["pdf", "txt"]),
        ("vertebroplsty", "pl_PL", ["plain", "text"], "pl", ["txt"]),
        ("vertebroplasty", "zh-Hans-CN", ["txt"], "zh_Hans", ["txt"]),
        ("RAD_0009", "Urdo", ["text"], "ur", ["txt"]),
    ],
)
def test_request_understands_phrases_typos_and_several_formats(project_copy, leaflet, language, words, code, names):
    done = run_cli(project_copy, "request", leaflet, language, *words)
    assert done.returncode == 0, done.stderr
    paths = [Path(line) for line in done.stdout.split()]
    assert [p.suffix[1:] for p in paths] == names and all(p.parent.name == code and p.is_file() for p in paths)


def test_request_warns_that_an_unchecked_translation_must_be_explained(project_copy):
    done = run_cli(project_copy, "request", "vertebroplasty", "Polish", "text")
    assert done.returncode == 0
    assert done.stderr.startswith("warning: This Polish translation has not yet been checked by a clinician.")
    english = run_cli(project_copy, "request", "vertebroplasty", "English", "text")
    assert english.returncode == 0 and english.stderr == ""


def test_out_never_follows_a_link_and_refuses_a_missing_folder(project_copy, tmp_path):
    usb, victim = tmp_path / "usb", tmp_path / "unrelated.txt"
    usb.mkdir()
    victim.write_text("keep me")
    (usb / "RAD_0009-vertebroplasty.en.txt").symlink_to(victim)
    done = run_cli(project_copy, "request", "vertebroplasty", "English", "text", "--out", str(usb))
    assert done.returncode == 0, done.stderr
    copied = usb / "RAD_0009-vertebroplasty.en.txt"
    assert victim.read_text() == "keep me" and not copied.is_symlink() and copied.stat().st_size > 1000
    assert [p.name for p in usb.iterdir()] == [copied.name]  # no temporary file left behind
    missing = run_cli(project_copy, "request", "vertebroplasty", "English", "text", "--out", str(tmp_path / "nope"))
    assert missing.returncode == 1 and str(tmp_path / "nope") in missing.stderr and "does not exist" in missing.stderr
    assert not (tmp_path / "nope").exists()


def test_deliver_leaves_nothing_when_the_copy_fails(tmp_path):
    from publishing.issuing import asks

    folder = tmp_path / "usb"
    folder.mkdir()
    with pytest.raises(asks.NotAvailable, match=str(folder)):
        asks.deliver(tmp_path / "absent.mp3", folder)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "words,code",
    [("Polsh", "pl"), ("in Polish", "pl"), ("pl_PL", "pl"), ("POLSKI", "pl"), ("Sorani", "ckb"), ("Farsi", "fa")],
)
def test_languages_are_understood_by_any_name(project_copy, words, code):
    from leaflets.project import Project
    from publishing.issuing import asks

    assert asks.understand_language(Project(project_copy), words).code == code


def test_formats_are_understood_by_phrases():
    from publishing.issuing import asks

    assert asks.find_formats(["big", "print"]) == ["large-print"]
    assert asks.find_formats(["audio", "CD"]) == ["audio"]
    assert asks.find_formats(["mp3,", "docx"]) == ["audio", "word"]


def test_audio_in_somali_is_refused_in_one_plain_sentence(project_copy):
    done = run_cli(project_copy, "request", "vertebroplasty", "Somali", "audio")
    assert done.returncode == 1
    line = done.stderr.strip()
    assert line.startswith("Audio is not available in Somali; ") and line.endswith(" are.")
    instead = line.split("; ", 1)[1]
    assert "Word" in instead and "audio" not in instead and len(line.splitlines()) == 1
    import formats

    if "large-print" in formats.names():
        assert "large print" in instead


@pytest.mark.parametrize(
    "args,sentence",
    [
        (["vertebroplasty", "Klingon", "word"], '"Klingon" is not a language we recognise'),
        (["vertebroplasty", "Tigrinya", "word"], "There is no translation into Tigrinya yet"),
        (["vertebroplasty", "Kurdish", "word"], '"Kurdish" could mean Kurdish (Sorani) and Kurdish (Kurmanji)'),
        (["vertebroplasty", "Chinese", "word"], '"Chinese" could mean Chinese (Simplified) and Chinese (Traditional)'),
        (["hip replacement", "Polish", "word"], 'No leaflet matches "hip replacement"'),
        (["vertebroplasty", "Polish", "easy", "read"], "We do not make easy read versions"),
        (["vertebroplasty", "Polish", "hologram"], '"hologram" is not a format we make; we make large print'),
    ],
)
def test_requests_that_cannot_be_met_say_why(project_copy, args, sentence):
    done = run_cli(project_copy, "request", *args)
    assert done.returncode != 0 and done.stderr.startswith(sentence)
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_unfinished_translation_is_explained_with_alternatives(project_copy):
    po = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    text = po.read_text()
    start = text.index('msgid "Further information"')
    end = text.index("\n\n", start)
    po.write_text(text[:start] + 'msgid "Further information"\nmsgstr ""' + text[end:])
    done = run_cli(project_copy, "request", "vertebroplasty", "Polish", "text")
    assert done.returncode == 1
    line = done.stderr.strip()
    assert line.startswith(
        "The Polish copy of RAD_0009 cannot be issued yet: the translation is not finished (1 passages"
    )
    assert "It is available in English" in line and "Urdu" in line and "Polish" not in line.split("available in")[1]


def test_list_shows_what_can_be_asked_for(project_copy):
    done = run_cli(project_copy, "list")
    assert done.returncode == 0
    assert "RAD_0009  Vertebroplasty" in done.stdout
    assert "اردو" in done.stdout and "polski" in done.stdout
    somali = next(line for line in done.stdout.splitlines() if line.strip().startswith("so "))
    assert "no audio" in somali


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.links, self.langs, self.external = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a":
            self.links.append(attrs["href"])
        if "lang" in attrs:
            self.langs.append((attrs["lang"], attrs.get("dir")))
        for key in ("src", "href"):
            if "://" in (attrs.get(key) or ""):
                self.external.append(attrs[key])


def test_catalogue_is_accessible_and_its_links_work(project_copy):
    assert run_cli(project_copy, "build", "--format", "text", "--jobs", "1").returncode == 0
    index = project_copy / "build/index.html"
    page = _Page()
    page.feed(index.read_text(encoding="utf-8"))
    tags = [t for t, _ in page.tags]
    assert tags.count("h1") == 1 and "table" in tags and "caption" in tags
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    assert ("ur", "rtl") in page.langs and ("ar", "rtl") in page.langs and ("pl", "ltr") in page.langs
    assert ("zh-Hans", "ltr") in page.langs and page.tags[0] == ("html", {"lang": "en-GB"})
    assert not page.external
    from urllib.parse import unquote

    assert len(page.links) == len(Project(project_copy).locale_codes())  # one plain-text copy per language
    for href in page.links:
        assert (index.parent / unquote(href)).is_file(), href


def test_one_broken_leaflet_does_not_stop_requests_for_the_others(project_copy):
    broken = project_copy / "source/RAD_0010-broken.md"
    broken.write_text(
        (project_copy / "source/RAD_0009-vertebroplasty.md").read_text().replace("id: RAD_0009", "id: RAD_0010")
        + "\n| a | b |\n|---|---|\n| 1 |\n"  # a row shorter than the header
    )
    done = run_cli(project_copy, "request", "vertebroplasty repair", "Polish", "text")
    assert done.returncode == 0, done.stderr
    listing = run_cli(project_copy, "list")
    assert listing.returncode == 0 and "RAD_0010  (cannot be issued: its source has an error" in listing.stdout
    status = run_cli(project_copy, "status", "--locale", "pl")
    assert status.returncode == 1 and "RAD_0010   pl       source error" in status.stdout
    assert status.stderr.startswith("error: ") and "RAD_0010-broken.md" in status.stderr
    assert "RAD_0009   pl" in status.stdout


def test_catalogue_labels_sizes_and_does_not_link_out_of_date_copies(project_copy):
    for args in (["--locale", "pl", "--format", "text"], ["--locale", "en", "--format", "large-print"]):
        assert run_cli(project_copy, "build", "--jobs", "1", *args).returncode == 0
    po = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"  # the Polish translation changes after its copy
    po.write_text(po.read_text(encoding="utf-8").replace("kręgosłup", "kręgosłupa", 1), encoding="utf-8")
    assert (
        run_cli(
            project_copy, "build", "--jobs", "1", "--locale", "en", "--format", "large-print", "--size", "24"
        ).returncode
        == 0
    )
    page = (project_copy / "build/index.html").read_text(encoding="utf-8")
    assert ">Large print, 18 pt</a>" in page and ">Large print, 24 pt</a>" in page
    assert "Plain text: <strong>out of date</strong>" in page and "RAD_0009-vertebroplasty.pl.txt" not in page
    assert str(project_copy) not in page and "pipeline.py" not in page and "`" not in page


def test_caution_says_what_the_patient_must_be_told(project_copy):
    from datetime import date

    from leaflets.project import Project
    from publishing.issuing import asks

    project = Project(project_copy)
    today = date(2026, 12, 1)
    assert asks.caution(project, "RAD_0009", "en", today) == ""
    assert asks.caution(project, "RAD_0009", "pl", today) == (
        "This Polish translation has not yet been checked by a clinician."
    )
    assert (
        run_cli(project_copy, "signoff", "pl", "--leaflet", "RAD_0009", "--by", "Dr A Nowak, radiologist").returncode
        == 0
    )
    assert asks.caution(project, "RAD_0009", "pl", today) == ""
    po = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    po.write_text(po.read_text(encoding="utf-8").replace("kręgosłup", "kręgosłupa", 1), encoding="utf-8")
    stale = asks.caution(project, "RAD_0009", "pl", today)
    assert (
        stale.startswith("This Polish translation was checked by a clinician on ")
        and "the translation changed" in stale
    )
    expired = asks.caution(project, "RAD_0009", "en", date(2031, 1, 1))
    assert expired.startswith("This leaflet was due for review in ") and "out of date" in expired
