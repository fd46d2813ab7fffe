"""Catalog integrity (as msgfmt -c) and hostile input: a catalog gettext would refuse is an error in
`check` and refused by `build` for the same reason; markup nested or unbalanced to any length
is one clear error, never a RecursionError; invisible characters are errors with the PO line."""

import json
import shutil
import subprocess
import time

import pytest

from leaflets import catalogs, checks
from leaflets.checks import check_entry
from leaflets.files import write_atomic
from tests.conftest import run_cli


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _drop_third_plural_form(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("msgstr[2]"))
    path.write_text("\n".join(lines[:i] + lines[i + 1 :]), encoding="utf-8")
    return i


FAULTS = {
    "duplicate": lambda p: _append(p, '\nmsgctxt "audio_end"\nmsgid "End of the leaflet."\nmsgstr "Koniec."\n'),
    "plural": _drop_third_plural_form,
    "newline": lambda p: _append(p, '\nmsgctxt "x"\nmsgid "Page"\nmsgstr "Strona\\n"\n'),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_check_and_build_agree_on_a_broken_catalog(project_copy, fault):
    path = catalogs.po_path(project_copy / "locales", "pl", catalogs.COMMON)
    FAULTS[fault](path)
    if shutil.which("msgfmt"):  # the reference: gettext refuses it too
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0
    checked = run_cli(project_copy, "check", "--locale", "pl", "--json")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    (finding,) = [f for f in json.loads(checked.stdout) if f["check"] == "catalog"]
    assert finding["path"].endswith("pl/LC_MESSAGES/common.po") and finding["line"] > 0
    built = run_cli(project_copy, "build", "--locale", "pl", "--format", "text", "--leaflet", "RAD_0009")
    assert built.returncode == 1 and "refused" in built.stdout + built.stderr
    assert "Traceback" not in built.stderr


def test_a_correct_plural_catalog_passes():
    from pathlib import Path

    for code in ("pl", "ar", "cy", "zh_Hans"):
        catalogs.load(catalogs.po_path(Path(__file__).resolve().parent.parent / "locales", code, catalogs.COMMON))


def test_untranslated_and_fuzzy_plurals_are_not_faults(tmp_path):
    """As msgfmt: an entry not yet translated may have any number of empty forms."""
    path = tmp_path / "pl.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "{n} point"\nmsgid_plural "{n} points"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} dzień"\nmsgstr[1] "{n} dni"\n',
        encoding="utf-8",
    )
    catalogs.load(path)


@pytest.mark.parametrize(
    "msgstr",
    [
        "**" * 2000 + "x" + "**" * 2000,
        "**a" * 1400 + "x" + "a**" * 1400,
        "*a" * 2000,
        "[" * 2000 + "x" + "](u)" * 2000,
        "**[*" * 1000,
        "_" * 4000,
    ],
    ids=["nested-strong", "nested-text", "emphasis", "links", "mixed", "underscores"],
)
def test_hostile_markup_is_one_clear_error(msgstr):
    start = time.perf_counter()
    found = [f for f in check_entry("Hello **world**.", msgstr, "pl") if f.check == "markup"]
    assert time.perf_counter() - start < 2
    assert [f.severity for f in found] == ["error"]


def test_hostile_markup_in_a_catalog_breaks_no_command(project_copy):
    path = catalogs.po_path(project_copy / "locales", "pl", "RAD_0009")
    po = catalogs.load(path)
    entry = next(e for e in po if e.msgid.startswith("**Patients"))
    entry.msgstr = "**" * 2000 + "x" + "**" * 2000
    write_atomic(path, catalogs.po_bytes(po))
    for command in (["check", "--locale", "pl"], ["status"], ["list"]):
        done = run_cli(project_copy, *command)
        assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr, command


def test_characters_are_errors_with_the_po_line(tmp_path):
    path = tmp_path / "pl.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. a paragraph\nmsgid "Risks:"\nmsgstr "Zagro\x07żenia:"\n\n'
        'msgid "Benefits:"\nmsgstr "\u2067Korzyści:\u2069"\n',
        encoding="utf-8",
    )
    po = catalogs.load(path)
    assert po[0].msgstr == "Zagro\x07żenia:"
    found = [(f.line, f.severity) for f in checks.check_catalog(path, "pl") if f.check == "characters"]
    assert found == [(6, "error"), (9, "error")]
