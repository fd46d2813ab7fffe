"""`pipeline.py retire`: a withdrawn leaflet out of the way, its translations still suggested."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polib
from conftest import run_cli

SEED = "RAD_0009-vertebroplasty.md"


def _successor(root: Path) -> None:
    """RAD_0001, a new leaflet written from the old one (the same sentences, a new title)."""
    text = (root / "source" / SEED).read_text(encoding="utf-8")
    text = text.replace("id: RAD_0009", "id: RAD_0001").replace(
        "title: Vertebroplasty (repair of vertebrae with bone cement)", "title: Spinal cement repair"
    )
    (root / "source/RAD_0001-cement.md").write_text(text, encoding="utf-8")


def test_a_retired_leaflet_is_out_of_the_way_and_its_sentences_still_suggested(project_copy):
    root = project_copy
    before = (root / "locales/pl/LC_MESSAGES/RAD_0009.po").read_bytes()
    _successor(root)
    done = run_cli(root, "retire", "RAD_0009", "--why", "replaced by RAD_0001")
    assert done.returncode == 0, done.stderr
    assert "retired RAD_0009" in done.stdout and "12 file(s)" in done.stdout  # source, template, 10 catalogs
    assert not (root / "source" / SEED).exists() and not (root / "locales/templates/RAD_0009.pot").exists()
    assert not list((root / "locales").glob("*/LC_MESSAGES/RAD_0009.po"))
    kept = root / "retired/RAD_0009"
    assert (kept / "locales/pl/LC_MESSAGES/RAD_0009.po").read_bytes() == before and (kept / "source" / SEED).is_file()
    record = json.loads((kept / "withdrawn.json").read_text(encoding="utf-8"))
    assert record["on"] == date.today().isoformat() and record["why"] == "replaced by RAD_0001"
    assert record["title"].startswith("Vertebroplasty")
    rows = json.loads(run_cli(root, "status", "--json", "--locale", "pl").stdout)
    assert {r["leaflet"] for r in rows} == {"RAD_0001"}
    assert "RAD_0009" not in run_cli(root, "list").stdout
    # the new leaflet's catalogs are filled from the retired one's translations (fuzzy, named)
    update = run_cli(root, "update")
    assert update.returncode == 0, update.stderr
    assert "translation memory suggested" in update.stdout
    po = polib.pofile(str(root / "locales/pl/LC_MESSAGES/RAD_0001.po"))
    old = {e.msgid: e.msgstr for e in polib.pofile(str(kept / "locales/pl/LC_MESSAGES/RAD_0009.po")) if e.msgstr}
    suggested = [e for e in po if "retired/RAD_0009.po" in e.tcomment]
    assert len(suggested) >= 40 and all("fuzzy" in e.flags for e in suggested)
    assert all(e.msgstr == old[e.msgid] for e in suggested if "exact match" in e.tcomment)
    memory = run_cli(root, "memory", "pl", "--out", str(root / "mem"))
    assert memory.returncode == 0 and "from retired/RAD_0009.po" in (root / "mem/pl.po").read_text(encoding="utf-8")


def test_a_retired_leaflet_asked_for_is_withdrawn_in_one_sentence(project_copy):
    root = project_copy
    assert run_cli(root, "retire", "RAD_0009").returncode == 0
    today = date.today().isoformat()
    for words in ("RAD_0009", "vertebroplasty"):
        done = run_cli(root, "request", words, "Polish", "large-print")
        assert done.returncode == 1 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert f"was withdrawn on {today}" in line and "Patient Information team" in line
    from publishing.issuing.desk import create_app
    from publishing.issuing.desk.settings import Settings

    client = create_app(root, Settings()).test_client()
    page = client.get("/leaflets/RAD_0009/pl")
    assert page.status_code == 410 and f"withdrawn on {today}".encode() in page.data
    assert client.get("/copies/RAD_0009/pl/text").status_code == 410
    assert f"withdrawn on {today}".encode() in client.get("/?q=vertebroplasty").data


def test_extract_names_catalogs_whose_source_is_gone_and_retire_clears_them(project_copy):
    root = project_copy
    (root / "source" / SEED).unlink()
    done = run_cli(root, "extract")
    assert done.returncode == 0
    (warning,) = [line for line in done.stderr.splitlines() if "RAD_0009" in line]
    assert "10 catalog(s) of RAD_0009 have no source" in warning and "pipeline.py retire RAD_0009" in warning
    retire = run_cli(root, "retire", "RAD_0009", "--why", "source deleted by mistake? no: withdrawn")
    assert retire.returncode == 0 and "10 file(s)" in retire.stdout
    assert "RAD_0009" not in run_cli(root, "extract").stderr


def test_retire_refuses_in_one_line(project_copy):
    assert run_cli(project_copy, "retire", "RAD_0009").returncode == 0
    for args, said in (
        (("RAD_0009",), "already retired on"),
        (("RAD_0404",), "unknown leaflet"),
        (("../source",), "is not a leaflet code"),
    ):
        done = run_cli(project_copy, "retire", *args)
        assert done.returncode == 1 and said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_interrupted_retire_is_finished_by_running_it_again(project_copy):
    root = project_copy
    staging = root / "retired/.RAD_0009.partial/locales/pl/LC_MESSAGES"
    staging.mkdir(parents=True)
    (root / "locales/pl/LC_MESSAGES/RAD_0009.po").rename(staging / "RAD_0009.po")  # moved before the stop
    assert run_cli(root, "retire", "RAD_0009").returncode == 0
    assert (root / "retired/RAD_0009/locales/pl/LC_MESSAGES/RAD_0009.po").is_file()
    assert len(list((root / "retired/RAD_0009/locales").glob("*/LC_MESSAGES/RAD_0009.po"))) == 10
    assert not (root / "retired/.RAD_0009.partial").exists()
