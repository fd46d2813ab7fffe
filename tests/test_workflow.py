"""`update` keeps what it does not own; the small things of the translators' workflow."""

from __future__ import annotations

import subprocess

import polib
from conftest import run_cli

from leaflets import catalogs
from leaflets.files import write_atomic

PL = "locales/pl/LC_MESSAGES/RAD_0009.po"
SEED = "source/RAD_0009-vertebroplasty.md"


def _flag(path, msgid_start: str, flags: str) -> None:
    text = path.read_text(encoding="utf-8")
    at = text.index(f'msgid "{msgid_start}')
    path.write_text(text[:at] + f"#, {flags}\n" + text[at:], encoding="utf-8")


def test_update_keeps_foreign_flags_and_the_translators_wrapping(project_copy):
    path = project_copy / PL
    _flag(path, "What is a vertebroplasty?", "max-length:40, reviewed")
    _flag(path, "Vertebroplasty is accomplished", "max-length:400, reviewed, ignore-unchanged")
    polib.pofile(path.read_text(encoding="utf-8"), wrapwidth=79).save(str(path))  # as Poedit wraps
    wrapped = path.read_bytes()
    assert run_cli(project_copy, "update").returncode == 0
    assert path.read_bytes() == wrapped  # nothing changed: not a byte rewritten

    src = project_copy / SEED
    src.write_text(src.read_text(encoding="utf-8").replace("orthopaedic cement", "bone cement"), encoding="utf-8")
    assert run_cli(project_copy, "update").returncode == 0
    po = catalogs.load(path)
    assert po.find("What is a vertebroplasty?").flags == ["max-length:40", "reviewed"]
    changed = next(e for e in po if e.msgid.startswith("Vertebroplasty is accomplished"))
    assert changed.flags == ["fuzzy", "max-length:400"]  # a judgement of the old English goes
    old, new = wrapped.decode("utf-8").split("\n\n"), path.read_text(encoding="utf-8").split("\n\n")
    assert [b for b in new if b not in old] == [b for b in new if "Vertebroplasty is accomplished" in b]
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0


def _new_leaflet(root, body: str, front_extra: str = "", lid: str = "RAD_0010") -> None:
    text = (root / SEED).read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].replace("id: RAD_0009", f"id: {lid}")
    (root / f"source/{lid}-new.md").write_text(front + front_extra + "\n---\n\n" + body, encoding="utf-8")


def test_extract_says_update_makes_the_new_leaflets_catalogs_and_status_says_not_started(project_copy):
    import json

    _new_leaflet(project_copy, "Some new text.\n")
    done = run_cli(project_copy, "extract")
    assert "10 catalog(s) do not exist yet" in done.stdout and "run `pipeline.py update`" in done.stdout
    rows = json.loads(run_cli(project_copy, "status", "--json", "--locale", "pl").stdout)
    new = next(r for r in rows if r["leaflet"] == "RAD_0010")
    assert new["started"] is False and (new["errors"], new["warnings"]) == (0, 0)
    text = run_cli(project_copy, "status", "--locale", "pl").stdout
    assert "RAD_0010   pl       not started" in text and "checks" in text.splitlines()[0]
    run_cli(project_copy, "update")
    assert "do not exist" not in run_cli(project_copy, "extract").stdout


def test_status_counts_check_errors_and_warnings(project_copy):
    import json

    path = project_copy / PL
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Czym jest wertebroplastyka?"', '" Czym jest wertebroplastyka?"')
    )
    text = path.read_text(encoding="utf-8")
    at = text.index("5 dni")  # "at least 5 days": a changed number is an error
    path.write_text(text[:at] + "6 dni" + text[at + 5 :], encoding="utf-8")
    (row,) = json.loads(run_cli(project_copy, "status", "--json", "--locale", "pl").stdout)
    assert row["errors"] == 1 and row["warnings"] >= 1 and row["started"] is True


def test_init_suggests_a_code_for_a_language_name(project_copy):
    done = run_cli(project_copy, "init", "Farsi")
    assert done.returncode == 1 and "did you mean fa (Persian)?" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_refusals_say_what_to_do_and_count_in_english(project_copy):
    from leaflets.project import Project
    from leaflets.translate import MissingTranslations, translate

    project = Project(project_copy)
    with_one = MissingTranslations("pl", "RAD_0009", project_copy / PL, [("untranslated", "Further information")])
    assert "1 entry of RAD_0009" in str(with_one) and "fuzzy" not in str(with_one)
    fuzzy = MissingTranslations("pl", "RAD_0009", project_copy / PL, [("fuzzy", "a"), ("untranslated", "b")])
    assert "2 entries" in str(fuzzy) and "clear the fuzzy flags" in str(fuzzy)
    run_cli(project_copy, "init", "fa")
    try:
        translate(project.leaflet("RAD_0009"), "fa", project.shared_strings, locales_dir=project.locales_dir)
    except MissingTranslations as exc:
        assert "fuzzy" not in str(exc)


def test_a_plain_text_draft_marks_every_english_passage(project_copy):
    run_cli(project_copy, "init", "fa")
    done = run_cli(project_copy, "build", "--draft", "--locale", "fa", "--format", "text", "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = (project_copy / "build/RAD_0009/fa").glob("*.draft.txt")
    lines = [line for line in path.read_text(encoding="utf-8").split("\n\n") if line.strip()]
    assert lines and all("[Not yet translated:] " in block for block in lines if not block.startswith("DRAFT")), lines[
        :3
    ]


def test_page_numbers_use_the_digits_the_body_uses(project_copy):
    from leaflets.project import Project
    from leaflets.translate import translate

    run_cli(project_copy, "init", "fa")
    from conftest import ROOT

    fa = project_copy / "locales/fa/LC_MESSAGES"
    for domain, sample in (("RAD_0009", "RAD_0009"), ("common", "common")):
        po = catalogs.load(fa / f"{domain}.po")
        urdu = catalogs.load(ROOT / f"locales/ur/LC_MESSAGES/{sample}.po")
        for entry in po:  # the Urdu sample's text stands in for a Persian translation
            theirs = urdu.find(entry.msgid, msgctxt=entry.msgctxt)
            if theirs is None:  # a shared string the Urdu sample has not translated yet (a table's, a picture's)
                continue
            entry.msgstr, entry.msgstr_plural = theirs.msgstr, dict(theirs.msgstr_plural)
        write_atomic(fa / f"{domain}.po", catalogs.po_bytes(po))
    project = Project(project_copy)
    latin = translate(project.leaflet("RAD_0009"), "fa", project.shared_strings, locales_dir=project.locales_dir)
    assert latin.label("page", page=3, pages=12).text.count("3") == 1
    path = fa / "RAD_0009.po"
    lines = path.read_text(encoding="utf-8").split("\n")  # the body now writes 500 as ۵۰۰
    path.write_text(
        "\n".join(s.replace("500", "۵۰۰") if s.startswith("msgstr") else s for s in lines), encoding="utf-8"
    )
    native = translate(project.leaflet("RAD_0009"), "fa", project.shared_strings, locales_dir=project.locales_dir)
    page = native.label("page", page=3, pages=12).text
    assert "۳" in page and "۱۲" in page and "3" not in page


def test_a_large_librarys_status_counted_on_two_cores_is_what_one_process_counts(tmp_path, monkeypatch):
    """Past PARALLEL_FROM leaflets `status` forks a worker per core, each counting every n-th
    leaflet: the rows are the same, and every catalog's findings are kept for the next run."""
    import shutil

    from bench.generate import generate
    from leaflets.project import Project
    from publishing.engine.checkcache import FindingsCache
    from publishing.translation import workflow

    root = generate(tmp_path / "lib", workflow.PARALLEL_FROM, ("pl",))
    po = root / "locales/pl/LC_MESSAGES/GEN_0003.po"  # one row with a check error, one with a fuzzy entry
    po.write_text(po.read_text(encoding="utf-8").replace("(leaflet 3)", "(leaflet 8)", 1), encoding="utf-8")
    po = root / "locales/pl/LC_MESSAGES/GEN_0007.po"
    po.write_text(po.read_text(encoding="utf-8").replace("#: ", "#, fuzzy\n#: ", 1), encoding="utf-8")
    monkeypatch.setattr(workflow.os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setattr(workflow.threading, "active_count", lambda: 1)  # other tests may leave threads behind
    forked = []
    real = workflow.multiprocessing.get_context
    monkeypatch.setattr(workflow.multiprocessing, "get_context", lambda kind: forked.append(kind) or real(kind))
    parallel = workflow._status(Project(root))
    assert forked == ["fork"]
    assert len(FindingsCache(root).table) == workflow.PARALLEL_FROM + 1  # each leaflet's catalog and common.po
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(workflow.os, "sched_getaffinity", lambda _: {0})
    serial = workflow._status(Project(root))
    assert parallel == serial and len(serial) == workflow.PARALLEL_FROM
    assert serial[2].errors == 1 and serial[6].fuzzy == 1 and serial[0].errors == 0
