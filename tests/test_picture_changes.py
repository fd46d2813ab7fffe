"""A picture is content: changing one (the English picture in source/images/, or a language's own
replacement in locales/<lang>/images/) marks the copies that show it out of date (`plan.text_hash`)
and a clinician's sign-off of the language as no longer current (`review.fingerprints`), the same
way in `status`, in the translated model and in the files the build reads."""

from __future__ import annotations

import json

from conftest import run_cli

from leaflets import catalogs, review, translate
from leaflets.project import Project
from publishing.engine import plan, stamps
from tests import rich_leaflet

LID = rich_leaflet.ID
BY = ("--by", "Dr A Nowak, consultant gastroenterologist")


def _hash(root, code: str) -> str:
    return plan.text_hash(stamps.Hashes(), Project(root), LID, code)


def _review(root) -> str:
    rows = json.loads(run_cli(root, "status", "--json", "--locale", "pl").stdout)
    return next(r["review"] for r in rows if r["leaflet"] == LID)


def _model_review(root) -> review.Review:
    """The review state the translated model carries (what a build prints its notice from)."""
    project = Project(root)
    doc = translate.translate(project.leaflet(LID), "pl", project.shared_strings, locales_dir=project.locales_dir)
    return doc.review


def test_a_changed_picture_marks_the_copy_out_of_date(project_copy):
    rich_leaflet.make(project_copy, ("en", "pl"))
    english, polish = _hash(project_copy, "en"), _hash(project_copy, "pl")
    rich_leaflet.picture_png(project_copy / "source/images/drinks.png", colour="#a01f1f")
    assert _hash(project_copy, "en") != english and _hash(project_copy, "pl") != polish
    english, polish = _hash(project_copy, "en"), _hash(project_copy, "pl")
    own = project_copy / "locales/pl/images/drinks.png"  # Polish gets a picture of its own
    rich_leaflet.picture_png(own, colour="#1fa05f")
    assert _hash(project_copy, "pl") != polish and _hash(project_copy, "en") == english
    polish = _hash(project_copy, "pl")
    rich_leaflet.picture_png(own, colour="#5f1fa0")
    assert _hash(project_copy, "pl") != polish


def test_a_leaflet_without_pictures_keeps_its_text_hash(project_copy):
    """Copies made before pictures counted are still vouched for."""
    project = Project(project_copy)
    hashes = stamps.Hashes()
    assert plan.text_hash(hashes, project, "RAD_0009", "pl") == hashes.of_files(
        plan.text_files(project, "RAD_0009", "pl")
    )


def test_a_changed_picture_makes_a_signoff_stale(project_copy):
    rich_leaflet.make(project_copy, ("en", "pl"))
    done = run_cli(project_copy, "signoff", "pl", "--leaflet", LID, *BY)
    assert done.returncode == 0, done.stderr
    assert _review(project_copy).startswith("reviewed by Dr A Nowak")
    assert _model_review(project_copy) == review.Review.REVIEWED

    rich_leaflet.picture_png(project_copy / "source/images/drinks.png", colour="#a01f1f")
    assert _review(project_copy).startswith("stale: the English text changed")
    assert _model_review(project_copy) == review.Review.STALE

    assert run_cli(project_copy, "signoff", "pl", "--leaflet", LID, *BY).returncode == 0
    assert _review(project_copy).startswith("reviewed by")
    own = project_copy / "locales/pl/images/drinks.png"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes((project_copy / "source/images/drinks.png").read_bytes())  # the same picture: no change
    assert _review(project_copy).startswith("reviewed by")
    assert _model_review(project_copy) == review.Review.REVIEWED
    rich_leaflet.picture_png(own, colour="#1fa05f")  # a Polish picture with other content
    assert _review(project_copy).startswith("stale: the translation changed")
    assert _model_review(project_copy) == review.Review.STALE


def test_a_leaflet_without_pictures_keeps_its_signoff_fingerprints(project_copy):
    po, common = (catalogs.load(catalogs.po_path(project_copy / "locales", "pl", d)) for d in ("RAD_0009", "common"))
    shown = review.pictures_of(Project(project_copy), "RAD_0009", "pl")
    assert shown == () and review.fingerprints(po, common, shown) == review.fingerprints(po, common)


def test_the_catalogue_page_says_a_copy_is_out_of_date_once_its_picture_changed(project_copy):
    rich_leaflet.make(project_copy, ("en", "pl"))
    build = ("build", "--jobs", "1", "--leaflet", LID, "--format", "text")
    assert run_cli(project_copy, *build, "--locale", "pl").returncode == 0
    own = project_copy / "locales/pl/images/drinks.png"  # Polish gets its own picture (one with words)
    rich_leaflet.picture_png(own, colour="#1fa05f")
    (project_copy / "build/index.html").unlink()  # the next build writes the page again
    assert run_cli(project_copy, *build, "--locale", "en").returncode == 0
    page = (project_copy / "build/index.html").read_text(encoding="utf-8")
    assert "Plain text: <strong>out of date</strong>" in page
