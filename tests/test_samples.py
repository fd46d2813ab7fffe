"""The ten sample translations (issue 7): complete against the current source, clean, unreviewed.

A later change to the English source that leaves a catalog stale fails here, naming the locale.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT

import formats
from leaflets import catalogs, checks, review
from leaflets.model import segments
from leaflets.project import Project
from leaflets.translate import translate
from publishing.workflow import status

SAMPLES = ["pl", "ro", "ur", "ar", "bn", "pa", "ne", "zh_Hans", "so", "cy"]
PROJECT = Project(ROOT)


def test_every_sample_language_is_present():
    assert sorted(PROJECT.locale_codes()[1:]) == sorted(SAMPLES)


@pytest.mark.parametrize("code", SAMPLES)
def test_complete_against_the_current_source(code):
    for row in status(PROJECT, codes=[code]):
        assert (row.fuzzy, row.untranslated, row.percent) == (0, 0, 100.0), (row.leaflet, code)


@pytest.mark.parametrize("code", SAMPLES)
def test_no_check_findings_at_all(code):
    assert [str(f) for f in checks.run(PROJECT, codes=[code])] == []


@pytest.mark.parametrize("code", SAMPLES)
def test_headers_and_msgfmt(code):
    for domain in PROJECT.leaflet_ids() + [catalogs.COMMON]:
        path = catalogs.po_path(PROJECT.locales_dir, code, domain)
        po = catalogs.load(path)
        assert po.metadata["Language"] == code
        assert "charset=UTF-8" in po.metadata["Content-Type"]
        assert po.metadata["Plural-Forms"].startswith("nplurals=")
        assert po.metadata["Language-Team"]
        assert "Unreviewed sample translation" in po.header
        assert review.BY not in po.metadata  # never presented as clinically reviewed
        done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("code", SAMPLES)
def test_translates_fully_and_says_it_is_unreviewed(code):
    doc = translate(PROJECT.leaflet("RAD_0009"), code, PROJECT.shared_strings, locales_dir=PROJECT.locales_dir)
    body = list(segments(doc.blocks)) + list(segments(doc.footer)) + [doc.title]
    assert all(s.lang == doc.locale.tag and not s.fallback for s in body)
    assert doc.review == "unreviewed" and [s.lang for s in doc.notices] == [doc.locale.tag, "en-GB"]
    text = formats.get("text").write(doc, formats.Options()).decode("utf-8")
    for seg in body:
        assert seg.text.split("\n")[0] in text
