"""Hostile text (issue 27): hidden direction overrides and YAML alias bombs in the English source,
impossible Plural-Forms headers, doubled braces; and the counts a translator is shown: status
per leaflet without the shared catalog, one refusal listing every missing entry."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import run_cli

from leaflets import reader
from leaflets.checks import ERROR, check_entry

SOURCE = "source/RAD_0009-vertebroplasty.md"
PL = "locales/pl/LC_MESSAGES/RAD_0009.po"


@pytest.mark.parametrize(
    "hidden,name",
    [("\u202e", "U+202E"), ("\u2066", "U+2066"), ("\x07", "U+0007"), ("\U000e0041", "U+E0041"), ("\u2062", "U+2062")],
)
def test_hidden_characters_in_the_english_are_refused_with_their_line(project_copy, hidden, name):
    path = project_copy / SOURCE
    text = path.read_text(encoding="utf-8")
    at = text.index("10 tablets") if "10 tablets" in text else text.index("vertebroplasty", text.index("---", 3))
    path.write_text(text[:at] + hidden + text[at:], encoding="utf-8")
    with pytest.raises(reader.SourceError) as caught:
        reader.read(path)
    line = text[:at].count("\n") + 1
    assert f":{line}: invisible {name}" in str(caught.value)
    done = run_cli(project_copy, "extract")
    assert done.returncode == 1 and name in done.stderr and "Traceback" not in done.stderr


def test_joiners_that_scripts_need_are_allowed_in_the_english(project_copy):
    path = project_copy / SOURCE
    text = path.read_text(encoding="utf-8")
    joined = "vertebroplasty (র\u200d্যাপিড, آرام\u200cکریں)"  # a Bengali ra-phala, an Urdu non-joiner
    path.write_text(text.replace("vertebroplasty", joined, 1), encoding="utf-8")
    assert reader.read(path).meta.id == "RAD_0009"


def test_yaml_aliases_in_front_matter_are_refused_before_they_expand(project_copy):
    path = project_copy / SOURCE
    bomb = "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(1, 12))
    path.write_text(path.read_text().replace("---\n", '---\nb: &b ["lol"]\n' + bomb, 1), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(reader.SourceError, match=r":2: front matter: YAML anchors and aliases"):
        reader.read(path)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    "header,why",
    [
        ("nplurals=3; plural=n/0;", "divides by zero"),
        ("nplurals=3; plural=n%0;", "divides by zero"),
        ("nplurals=99999999999; plural=(n != 1);", "nplurals=99999999999 is not a number from 1 to 6"),
        ("nplurals=3; plural=" + "(" * 300 + "n" + ")" * 300 + ";", "too complex"),
        ("nplurals=3; plural=" + "n*" * 400 + "n;", "outside nplurals=3"),
        ("nplurals=3; plural=n+;", "Plural-Forms header is not valid"),
    ],
)
def test_impossible_plural_forms_are_one_clear_error(project_copy, header, why):
    path = project_copy / PL
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'"Plural-Forms: [^"]*"', f'"Plural-Forms: {header}\\\\n"', text, count=1), encoding="utf-8")
    for command in (
        ["check", "--locale", "pl"],
        ["status"],
        ["update"],
        ["build", "--locale", "pl", "--format", "text"],
    ):
        start = time.perf_counter()
        done = run_cli(project_copy, *command, timeout=120)
        assert done.returncode == 1, command
        assert "Traceback" not in done.stderr + done.stdout and "internal error" not in done.stderr, command
        assert "Plural-Forms header is not valid" in done.stderr + done.stdout and why in done.stderr + done.stdout
        assert "RAD_0009.po:" in done.stderr + done.stdout
        assert time.perf_counter() - start < 60


def test_doubled_braces_are_an_error():
    found = check_entry("Call us on {phone}.", "Proszę dzwonić pod numer {{phone}}.", "pl")
    assert [(f.check, f.severity) for f in found] == [("placeholders", ERROR)] and "{{phone}}" in found[0].message
    assert check_entry("Call us on {phone}.", "Proszę dzwonić pod numer {phone}.", "pl") == []


def _init_fresh(project_copy, code: str = "pl"):
    for d in (project_copy / "locales").iterdir():
        if d.name != "templates":
            __import__("shutil").rmtree(d)
    assert run_cli(project_copy, "init", code).returncode == 0


def test_status_of_an_untouched_leaflet_is_zero_percent_and_the_shared_catalog_is_apart(project_copy):
    _init_fresh(project_copy)
    common = project_copy / "locales/pl/LC_MESSAGES/common.po"
    import polib

    po = polib.pofile(str(common))
    for e in po:  # the shared catalog done (identity will do for counting)
        if e.msgid_plural:
            e.msgstr_plural = dict.fromkeys(e.msgstr_plural, e.msgid_plural)
        else:
            e.msgstr = e.msgid
    po.save(str(common))
    (row,) = json.loads(run_cli(project_copy, "status", "--json", "--locale", "pl").stdout)
    assert row["percent"] == 0.0 and row["translated"] == 0
    assert 0 < row["shared_translated"] == row["shared_total"] <= len([e for e in po if not e.obsolete])
    text = run_cli(project_copy, "status", "--locale", "pl").stdout
    assert re.search(r"\(shared\)\s+pl\s+\d+ of \d+ entries of common.po", text)


def test_a_refusal_lists_every_missing_entry_of_the_leaflet_and_the_shared_catalog(project_copy):
    _init_fresh(project_copy)
    done = run_cli(project_copy, "build", "--locale", "pl", "--format", "text")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    import polib

    leaflet = [e for e in polib.pofile(str(project_copy / PL)) if not e.obsolete]
    shared = done.stderr.count("(common.po)")  # the shared strings this leaflet uses
    assert shared > 0
    assert f"{len(leaflet)} entries of RAD_0009 and {shared} of common.po not ready to publish" in done.stderr


def test_a_zero_width_character_inside_a_latin_word_or_number_is_refused(project_copy):
    found = check_entry("Stop taking Warfarin.", "Przestań brać Warf\u200darin.", "pl", ("Warfarin",))
    assert ("characters", ERROR) in [(f.check, f.severity) for f in found]
    assert check_entry("Rest for 2 days.", "2 دن آرام\u200cکریں۔", "ur") == []
    path = project_copy / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("cement", "cem\u200bent", 1), encoding="utf-8")
    with pytest.raises(reader.SourceError, match=r"U\+200B"):
        reader.read(path)
