"""PALS: `request` and `list` in plain words, and the build/index.html catalogue."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli


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
    done = run_cli(project_copy, "request", "vertebroplasty", "English", "text", "--out", str(tmp_path / "usb"))
    copied = Path(done.stdout.strip())
    assert copied == tmp_path / "usb" / first.name and copied.read_bytes() == first.read_bytes()
    assert first.stat().st_mtime_ns == stamp  # reused, not rebuilt


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
        (["vertebroplasty", "Klingon", "word"], 'There is no translation into "Klingon" yet'),
        (["hip replacement", "Polish", "word"], 'No leaflet matches "hip replacement"'),
        (["vertebroplasty", "Polish", "fax"], '"fax" is not a format we make'),
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
    somali = next(l for l in done.stdout.splitlines() if l.strip().startswith("so "))
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

    assert len(page.links) == 11
    for href in page.links:
        assert (index.parent / unquote(href)).is_file(), href


def test_one_broken_leaflet_does_not_stop_requests_for_the_others(project_copy):
    broken = project_copy / "source/RAD_0010-broken.md"
    broken.write_text(
        (project_copy / "source/RAD_0009-vertebroplasty.md").read_text().replace("id: RAD_0009", "id: RAD_0010")
        + "\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    done = run_cli(project_copy, "request", "vertebroplasty repair", "Polish", "text")
    assert done.returncode == 0, done.stderr
    listing = run_cli(project_copy, "list")
    assert listing.returncode == 0 and "RAD_0010  (cannot be issued: its source has an error" in listing.stdout
    status = run_cli(project_copy, "status", "--locale", "pl")
    assert status.returncode == 1 and "RAD_0010   pl       source error" in status.stdout
    assert status.stderr.startswith("error: ") and "RAD_0010-broken.md" in status.stderr
    assert "RAD_0009   pl" in status.stdout
