"""Language names UK patients and interpreters use (publishing/issuing/language_names.yaml), as
the desk and `pipeline.py request` understand them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leaflets.project import Project
from publishing.issuing import asks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project():
    return Project(ROOT)


@pytest.mark.parametrize(
    ("said", "code", "spoken"),
    [
        ("Sylheti", "bn", "Sylheti"),
        ("sylhetti", "bn", "Sylheti"),  # a common misspelling
        ("সিলেটি", "bn", "Sylheti"),  # in Bengali script
        ("ꠍꠤꠟꠐꠤ", "bn", "Sylheti"),  # in Syloti Nagri
        ("Mirpuri", "ur", "Mirpuri (Pahari-Pothwari)"),
        ("Mirpoori", "ur", "Mirpuri (Pahari-Pothwari)"),  # a near miss still lands on Mirpuri
        ("Pahari", "ur", "Pahari-Pothwari"),
        ("Pothwari", "ur", "Pahari-Pothwari"),
        ("Cantonese", "zh_Hant", "Cantonese"),
        ("廣東話", "zh_Hant", "Cantonese"),
        ("Dari", "fa", "Dari"),
        ("Farsi", "fa", ""),
        ("Sorani", "ckb", ""),
        ("Kurmanji", "kmr", ""),
        ("Tigrigna", "ti", ""),
        ("Portugese", "pt", ""),
    ],
)
def test_names_people_say_lead_to_the_text_they_read(project, said, code, spoken):
    lang = asks.understand_language(project, said)
    assert lang.code == code
    assert lang.spoken == spoken
    if spoken:  # the officer is told what the name means and that there is no audio in it
        assert lang.asked and lang.note


def test_mirpuri_is_never_manipuri(project):
    assert asks.understand_language(project, "Mirpuri").code == "ur"
    assert asks.understand_language(project, "Manipuri").code == "mni"  # Manipuri itself still works


def test_kurdish_asks_sorani_or_kurmanji(project):
    with pytest.raises(asks.Ambiguous) as asked:
        asks.understand_language(project, "Kurdish")
    assert [c.code for c in asked.value.choices] == ["ckb", "kmr"]
    assert "Sorani" in asked.value.choices[0].english and "Kurmanji" in asked.value.choices[1].english


def test_a_name_not_known_at_all_can_still_be_recorded(project):
    with pytest.raises(asks.Unrecognised) as unknown:
        asks.understand_language(project, "Klingonese dialect")
    assert unknown.value.words == "Klingonese dialect"


def test_every_entry_names_a_language_babel_knows():
    data = yaml.safe_load(asks.NAMES_FILE.read_text(encoding="utf-8"))
    for key, entry in data.items():
        written = entry["written"] if isinstance(entry["written"], list) else [entry["written"]]
        for code in written:
            lang = asks.language(code)
            assert lang.english and lang.native and lang.tag, (key, code)
        assert set(entry) <= {"english", "names", "written", "spoken", "note"}, key


def test_the_said_name_leads_only_to_its_own_written_language(project):
    assert asks.as_said(project, "Sylheti", "bn") is not None
    assert asks.as_said(project, "Sylheti", "ur") is None  # ?said=Sylheti on the Urdu page means nothing
    assert asks.as_said(project, "nonsense", "bn") is None


@pytest.mark.parametrize(
    ("said", "code"),
    [("Urdo", "ur"), ("Polsih", "pl"), ("Arabik", "ar"), ("Welsch", "cy"), ("Nepalese", "ne"), ("Somalian", "so")],
)
def test_a_slip_of_the_keys_is_forgiven(project, said, code):
    assert asks.understand_language(project, said).code == code


@pytest.mark.parametrize("said", ["Elvish", "Engrish Creole", "Klingon", "Plish Sign"])
def test_a_name_merely_like_one_of_ours_is_not_taken_for_it(project, said):
    """ "Elvish" is as alike to "English" by difflib's ratio as "Urdo" to "Urdu", but three letters
    away: a patient asking for it must never be handed English."""
    with pytest.raises(asks.Unrecognised):
        asks.understand_language(project, said)


def test_the_command_line_says_what_the_desk_says_of_a_spoken_language(project_copy):
    from conftest import run_cli

    done = run_cli(project_copy, "request", "vertebroplasty", "Sylheti", "text")
    assert done.returncode == 0, done.stderr
    assert "the patient asked for Sylheti" in done.stderr and "there is no Sylheti audio" in done.stderr
    assert done.stdout.strip().endswith(".bn.txt")
    refused = run_cli(project_copy, "request", "vertebroplasty", "Elvish", "text")
    assert refused.returncode != 0 and '"Elvish" is not a language we recognise' in refused.stderr
