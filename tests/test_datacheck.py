"""The data check (`python -m publishing.translation.datacheck`): each kind of data problem is found and said
in one line with its file, on a project the test makes itself (never the committed samples, whose
state is the data check's business, not a unit test's)."""

from __future__ import annotations

import shutil

from conftest import editing, run_cli
from test_catalogs import _fill_identity

from leaflets import review
from publishing.translation import datacheck

PO = "locales/pl/LC_MESSAGES/RAD_0009.po"
COMMON = "locales/pl/LC_MESSAGES/common.po"


def check(root, capsys) -> tuple[int, list[str], str]:
    code = datacheck.main(["--root", str(root)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out


def only_templates(root):
    for d in (root / "locales").iterdir():
        if d.name != "templates":
            shutil.rmtree(d)


def test_templates_only_is_clean(project_copy, capsys):
    only_templates(project_copy)
    code, problems, summary = check(project_copy, capsys)
    assert (code, problems) == (0, [])
    assert summary == "data check: 0 problem(s) in 1 leaflet(s) x 0 translation(s)\n"


def test_each_kind_of_problem_is_one_line_naming_its_file(project_copy, capsys):
    only_templates(project_copy)
    assert run_cli(project_copy, "init", "pl").returncode == 0
    _fill_identity(project_copy, "pl")
    with editing(project_copy / PO) as po:
        po.find("Further information").flags.append("fuzzy")
        entry = next(e for e in po if "1 in 500" in e.msgid)
        entry.msgstr = entry.msgstr.replace("1 in 500", "1 in 50")
    with editing(project_copy / COMMON) as po:
        po.metadata["Language"] = "ro"
        po.metadata[review.BY] = "Dr A Nowak, consultant radiologist"
        po.header += "\n" + datacheck.SAMPLE + " for testing."
    src = project_copy / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("## Further information", "## More information"))  # no extract

    code, problems, summary = check(project_copy, capsys)
    assert code == 1 and summary.startswith(f"data check: {len(problems)} problem(s) in 1 leaflet(s) x 1 ")

    def said(*words: str) -> list[str]:
        return [p for p in problems if all(w in p for w in words)]

    assert len(said("locales/templates/RAD_0009.pot: out of date", "pipeline.py extract")) == 1
    # "More information" is new (untranslated); "Further information" is fuzzy, and gone from the source
    assert len(said(PO, "0 fuzzy and 1 untranslated entries", "status --locale pl")) == 1
    assert len(said(COMMON, "header Language is 'ro', not 'pl'")) == 1
    assert len(said(COMMON, "unreviewed sample but carries a sign-off by Dr A Nowak")) == 1
    assert len(said(PO, "error [numbers]", "in the source, 50")) == 1
    assert all(": " in p and "\n" not in p for p in problems)


def test_an_unreadable_catalog_is_said_once_and_the_rest_is_still_checked(project_copy, capsys):
    only_templates(project_copy)
    assert run_cli(project_copy, "init", "pl").returncode == 0
    (project_copy / COMMON).write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    src = project_copy / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("## Further information", "## More information"))
    code, problems, _ = check(project_copy, capsys)
    assert code == 1
    assert len([p for p in problems if p.startswith(f"{project_copy / COMMON}:2: not valid UTF-8")]) == 1
    assert any(p.startswith("locales/templates/RAD_0009.pot: out of date") for p in problems)
