"""The measure of the checks: a corpus of realistic one-entry translator mistakes in the ten
sample languages (tests/data/mistakes.yaml) must be caught, and correct variations (native
digits, number words, fractions, reordering, inflected drug names) must not be errors.

Goals (issue 18): at least 90% of the mistakes flagged, at least 75% as errors, at most 2 errors
on the correct variations. The figures are printed (`pytest -s tests/test_mistakes.py`)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from leaflets import catalogs, checks
from leaflets.project import Project

ROOT = Path(__file__).resolve().parent.parent
CORPUS = yaml.safe_load((Path(__file__).with_name("data") / "mistakes.yaml").read_text(encoding="utf-8"))
LEAFLET = "RAD_0009"


@cache
def _catalogs(code: str):
    locales_dir = ROOT / "locales"
    return catalogs.load(catalogs.po_path(locales_dir, code, LEAFLET)), catalogs.load(
        catalogs.po_path(locales_dir, code, catalogs.COMMON)
    )


@cache
def _keep() -> tuple[str, ...]:
    return tuple(Project(ROOT).leaflet(LEAFLET).meta.keep)


def _entry(item: dict) -> tuple[str, str]:
    """(msgid, msgstr) of a corpus item: a sample entry with one change, or its own text."""
    if "msgid" in item:
        return item["msgid"], item["msgstr"]
    po, _ = _catalogs(item["lang"])
    entry = next(e for e in po if e.msgid.startswith(item["entry"]))
    assert item["from"] in entry.msgstr, f"{item['lang']}: {item['from']!r} is not in the sample translation"
    return entry.msgid, entry.msgstr.replace(item["from"], item["to"], 1)


def _findings(item: dict) -> list[checks.Finding]:
    code = item["lang"]
    po, common = _catalogs(code)
    known = checks.spellings(common, po)
    keep = {t: known.get(t.casefold(), ()) for t in _keep()}
    msgid, msgstr = _entry(item)
    return checks.check_entry(msgid, msgstr, code, keep)


def test_corpus_is_broad():
    mistakes, correct = CORPUS["mistakes"], CORPUS["correct"]
    assert len(mistakes) >= 100 and len(correct) >= 30
    assert {m["lang"] for m in mistakes} == {"pl", "ro", "cy", "so", "ur", "ar", "bn", "pa", "ne", "zh_Hans"}
    assert len({m["class"] for m in mistakes}) >= 10


def test_sample_entries_are_clean_before_the_change():
    """A mistake only counts if the unchanged sample entry passes."""
    for item in CORPUS["mistakes"]:
        if "entry" in item:
            assert not [f for f in _findings({**item, "to": item["from"]}) if f.severity == checks.ERROR], item


def test_mistakes_are_caught_and_correct_variations_pass(capsys):
    flagged, errors, by_class, missed = 0, 0, Counter(), []
    for item in CORPUS["mistakes"]:
        found = _findings(item)
        is_error = any(f.severity == checks.ERROR for f in found)
        flagged += bool(found)
        errors += is_error
        by_class[item["class"], "all"] += 1
        by_class[item["class"], "flagged"] += bool(found)
        by_class[item["class"], "errors"] += is_error
        if not found:
            missed.append(f"{item['lang']} {item['class']}: {item.get('to', item.get('msgstr'))[:50]!r}")
    false_errors = []
    for item in CORPUS["correct"]:
        wrong = [str(f) for f in _findings(item) if f.severity == checks.ERROR]
        if wrong:
            false_errors.append((item, wrong))
    n = len(CORPUS["mistakes"])
    with capsys.disabled():
        print(
            f"\nmistakes: {n}, flagged {flagged} ({flagged / n:.0%}), as errors {errors} ({errors / n:.0%}); "
            f"correct variations: {len(CORPUS['correct'])}, errors on them: {len(false_errors)}"
        )
        for kind in sorted({k for k, _ in by_class}):
            print(
                f"  {kind:<11} {by_class[kind, 'all']:>3}: flagged {by_class[kind, 'flagged']:>3}, "
                f"errors {by_class[kind, 'errors']:>3}"
            )
        for line in missed:
            print("  missed:", line)
        for item, found in false_errors:
            print("  false error:", item, found)
    assert flagged / n >= 0.90
    assert errors / n >= 0.75
    assert len(false_errors) <= 2


# Issue 27: the classes whose every mistake must be an error, each in Polish, Urdu, Welsh and Bengali.
ERROR_CLASSES = ("typography", "concord", "times", "comparison", "words", "braces", "characters")


@pytest.mark.parametrize("kind", ERROR_CLASSES)
def test_every_mistake_of_the_error_classes_is_an_error(kind):
    items = [m for m in CORPUS["mistakes"] if m["class"] == kind]
    assert {"pl", "ur", "cy", "bn"} <= {m["lang"] for m in items}
    not_errors = [m for m in items if not any(f.severity == checks.ERROR for f in _findings(m))]
    assert not not_errors


@pytest.mark.parametrize("item", CORPUS["correct"], ids=lambda i: f"{i['lang']}")
def test_no_correct_variation_is_an_error(item):
    assert not [str(f) for f in _findings(item) if f.severity == checks.ERROR]
