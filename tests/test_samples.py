"""Every translation in the tree goes through the model and the text writer faithfully.

These test behaviour for whatever translations are committed (the list is read from locales/).
Whether those translations are complete, free of check findings, well-headed and honestly
labelled is the data check's business (`make datacheck`, publishing/datacheck.py), so that
committing real work, a clinician's sign-off for one, never breaks a unit test.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

import formats
from leaflets.model import segments
from leaflets.project import Project
from leaflets.review import Review
from leaflets.translate import MissingTranslations, translate

PROJECT = Project(ROOT)
TRANSLATIONS = PROJECT.locale_codes()[1:]


def test_the_tree_has_translations_to_test():
    assert TRANSLATIONS and "en" not in TRANSLATIONS


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_every_segment_is_in_its_language_or_a_marked_stand_in(code):
    leaflet = PROJECT.leaflet(PROJECT.leaflet_ids()[0])
    try:
        doc = translate(leaflet, code, PROJECT.shared_strings, locales_dir=PROJECT.locales_dir)
    except MissingTranslations:  # an unfinished translation: its proof-reading copy
        doc = translate(leaflet, code, PROJECT.shared_strings, locales_dir=PROJECT.locales_dir, draft=True)
    body = [*segments(doc.blocks), *segments(doc.footer), doc.title]
    assert all((s.lang, s.fallback) in {(doc.locale.tag, False), ("en-GB", True)} for s in body)
    assert doc.draft or not any(s.fallback for s in body)  # an English stand-in only ever in a draft
    said = [doc.locale.tag] if doc.draft else []  # DRAFT, then the review notice in the language and in English
    said += [doc.locale.tag, "en-GB"] if doc.review in (Review.UNREVIEWED, Review.STALE) else []
    assert [s.lang for s in doc.notices] == said
    text = formats.get("text").write(doc, formats.Options()).decode("utf-8")
    for seg in [*body, *doc.notices]:
        assert seg.text.split("\n")[0] in text
