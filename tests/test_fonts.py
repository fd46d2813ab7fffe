"""One script-to-font table (formats/fonts.py) for the large print, Word and the e-book: a
language is set in the same family in all three, and no writer names a Noto family of its own."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from formats import fonts as shared
from formats.docx import fonts as docx_fonts
from formats.epub import fonts as epub_fonts
from formats.pdf import fonts as pdf_fonts
from leaflets import locales
from leaflets.project import Project

EXTRA = ("fa", "hi", "gu", "ta", "am", "ti", "he", "th", "si", "ka", "hy", "ps", "ckb", "ru", "el")


def _codes() -> list[str]:
    return sorted({*Project(ROOT).locale_codes(), *EXTRA})


@pytest.mark.parametrize("code", _codes())
def test_each_writer_sets_a_language_in_the_shared_family(code):
    info = locales.info(code)
    family = shared.family(info)
    word = dict(docx_fonts.script(info).fonts)
    if family:
        assert word[docx_fonts.script(info).slot] == family
    chain = pdf_fonts.chain_names(info.language, info.script)
    if chain is not None and family:
        assert chain[: len(shared.families(info.language, info.script))] == tuple(
            shared.stem(f) for f in shared.families(info.language, info.script)
        )
        assert not pdf_fonts.missing_files(chain)  # what the table names is installed
    embedded = epub_fonts.family_for(info)
    assert embedded is None or embedded == shared.stem(family or "")


def test_urdu_is_nastaliq_everywhere_with_naskh_behind_it_in_print():
    urdu = locales.info("ur")
    assert dict(docx_fonts.script(urdu).fonts)["cs"] == "Noto Nastaliq Urdu"
    assert epub_fonts.family_for(urdu) == "NotoNastaliqUrdu"
    assert pdf_fonts.chain_names("ur", "Arab")[:2] == ("NotoNastaliqUrdu", "NotoNaskhArabic")


def test_no_writer_keeps_a_script_table_of_its_own():
    """The families of the scripts are named in the shared table only (what drifted apart)."""
    names = {*shared.SCRIPTS.values(), *(shared.stem(f) for f in shared.SCRIPTS.values())}
    for path in (ROOT / "formats").glob("*/fonts.py"):
        quoted = set(re.findall(r'"([^"]+)"', path.read_text(encoding="utf-8")))
        assert quoted & names == set(), path
