"""Plural headers: what `init` writes agrees with GNU gettext (msginit's table) and translate-toolkit
(the table Weblate's derives from, with CLDR), except where the README says which was chosen and why."""

from __future__ import annotations

import gettext
import re
import subprocess

import pytest
from test_samples import TRANSLATIONS as SAMPLES
from translate.lang.data import languages

from leaflets import catalogs, locales

# Where GNU msginit's table says otherwise, and what we follow instead (README, "Plural forms").
GNU_DIFFERS = {
    "ga": "CLDR's and translate-toolkit's five Irish forms, not msginit's three",
    "lv": "CLDR's order (zero, one, other), as translate-toolkit and Weblate, not msginit's",
    "pt": "CLDR's pt (one for 0 and 1), as translate-toolkit and Weblate; pt_PT has n != 1",
}
TT_DIFFERS = {"cy": "CLDR's six Welsh forms, not translate-toolkit's two"}


def _meaning(header: str) -> tuple[int, tuple[int, ...]]:
    fields = dict(p.strip().split("=", 1) for p in header.split(";") if "=" in p)
    choose = gettext.c2py(fields["plural"].strip())
    return int(fields["nplurals"]), tuple(choose(n) for n in range(1001))


def _msginit(code: str, tmp_path) -> str | None:
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    out = subprocess.run(
        ["msginit", "--no-translator", "-l", code, "-i", str(pot), "-o", "-"], capture_output=True, text=True
    ).stdout
    found = re.search(r"Plural-Forms: (.*?)\\n", out.replace('"\n"', ""))
    return found.group(1) if found else None


def _disagreements(codes, tmp_path) -> tuple[set[str], set[str]]:
    gnu, tt = set(), set()
    for code in codes:
        ours = _meaning(locales.plural_forms(code))
        theirs = _msginit(code, tmp_path)
        if theirs and _meaning(theirs) != ours:
            gnu.add(code)
        if code in languages and _meaning(f"nplurals={languages[code][1]}; plural={languages[code][2]}") != ours:
            tt.add(code)
    return gnu, tt


def test_sample_languages_agree_with_gnu_and_translate_toolkit(tmp_path):
    gnu, tt = _disagreements(SAMPLES, tmp_path)
    assert gnu == set() and tt == set(TT_DIFFERS) & set(SAMPLES)


@pytest.mark.slow
def test_every_language_either_table_knows(tmp_path):
    gnu, tt = _disagreements(sorted(languages), tmp_path)
    assert gnu == set(GNU_DIFFERS) and tt == set(TT_DIFFERS)


@pytest.mark.parametrize("code,forms", [("tr", 2), ("fa", 2), ("cy", 6), ("ar", 6), ("zh_Hans", 1), ("pt_PT", 2)])
def test_babels_departures_are_not_used(code, forms):
    assert _meaning(locales.plural_forms(code))[0] == forms
    if code == "ar":  # CLDR's order: 11-99 ("many") is form 4, 100-102 ("other") form 5
        assert _meaning(locales.plural_forms(code))[1][11] == 4 and _meaning(locales.plural_forms(code))[1][100] == 5


@pytest.mark.parametrize("code", SAMPLES)
def test_sample_catalogs_carry_the_header_init_writes(code):
    from conftest import ROOT

    for path in (ROOT / "locales" / code / "LC_MESSAGES").glob("*.po"):
        assert catalogs.load(path).metadata["Plural-Forms"] == locales.plural_forms(code), path
