"""`pipeline.py due`: leaflets whose review is near or past, and how the catalogue says it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import ROOT, run_cli

from leaflets import schedule
from leaflets.model import YearMonth

SOURCE = ROOT / "source" / "RAD_0009-vertebroplasty.md"


def _month(offset: int) -> str:
    today = date.today()
    n = today.year * 12 + today.month - 1 + offset
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _leaflet(root, lid: str, next_review: str, reviewed: str = "2019-01", author: str = "Dr A Author, Radiology"):
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace("id: RAD_0009", f"id: {lid}").replace("next_review: '2028-05'", f"next_review: '{next_review}'")
    text = text.replace("reviewed: '2026-05'", f"reviewed: '{reviewed}'")
    text = text.replace("author: Dr Archie Speirs, RBFT Interventional Radiology", f"author: {author}")
    (root / "source" / f"{lid}-test.md").write_text(text, encoding="utf-8")


@pytest.fixture
def library(project_copy):
    (project_copy / "source" / SOURCE.name).unlink()
    _leaflet(project_copy, "RAD_0001", _month(-5), author="Dr Past, Radiology")
    _leaflet(project_copy, "RAD_0002", _month(1), author="Dr Near, Radiology")
    _leaflet(project_copy, "RAD_0003", _month(36), author="Dr Far, Radiology")
    _leaflet(project_copy, "RAD_0004", _month(-1), author="Dr Lately, Radiology")
    return project_copy


def test_due_lists_past_and_near_reviews_with_authors_and_languages(library):
    done = run_cli(library, "due")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["RAD_0001", "RAD_0004", "RAD_0002"]  # most overdue first
    assert "overdue" in lines[0] and "Dr Past, Radiology" in lines[0] and "months ago" in lines[0]
    assert "overdue" in lines[1] and "days ago" in lines[1]
    assert "review due" in lines[2] and "Dr Near" in lines[2] and "overdue" not in lines[2]
    assert "RAD_0003" not in done.stdout
    rows = json.loads(run_cli(library, "due", "--json").stdout)
    assert [r["standing"] for r in rows] == ["overdue", "overdue", "review due"]
    assert rows[0]["languages"] == {}  # no catalogs for a new leaflet yet
    run_cli(library, "update")
    rows = json.loads(run_cli(library, "due", "--json").stdout)
    assert set(rows[0]["languages"]) == {"ar", "bn", "cy", "ne", "pa", "pl", "ro", "so", "ur", "zh_Hans"}
    assert set(rows[0]["languages"].values()) == {"unreviewed"}
    far = json.loads(run_cli(library, "due", "--within", "1200", "--json").stdout)
    assert [r["leaflet"] for r in far] == ["RAD_0001", "RAD_0004", "RAD_0002", "RAD_0003"]
    assert run_cli(library, "due", "--within", "0").stdout.split()[0:1] == ["RAD_0001"]


def test_bad_dates_are_one_line_each_and_the_others_still_listed(library):
    _leaflet(library, "RAD_0005", "2028-13")
    _leaflet(library, "RAD_0006", "2018-01", reviewed="2020-05")  # next review before the last one
    done = run_cli(library, "due")
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 2 and "Traceback" not in done.stderr
    assert "RAD_0005-test.md" in errors[0] and "'2028-13' is not a year and month" in errors[0]
    assert "RAD_0006-test.md" in errors[1] and "must be after 'reviewed'" in errors[1]
    assert "RAD_0001" in done.stdout and "RAD_0002" in done.stdout
    assert run_cli(library, "due", "--within", "-3").returncode == 2


@pytest.mark.parametrize(
    ("today", "standing", "days"),
    [
        (date(2028, 2, 1), schedule.Standing.DUE, 90),
        (date(2028, 1, 31), schedule.Standing.CURRENT, 91),
        (date(2028, 5, 31), schedule.Standing.DUE, 0),
        (date(2028, 6, 1), schedule.Standing.OVERDUE, 1),
        (date(2029, 6, 1), schedule.Standing.OVERDUE, 366),
    ],
)
def test_the_review_rule(today, standing, days):
    got = schedule.review(YearMonth(2028, 5), today)
    assert (got.standing, got.days) == (standing, days)


def test_the_catalogue_says_review_due_and_overdue(library):
    assert run_cli(library, "build", "--format", "text", "--locale", "en", "--jobs", "1").returncode == 0
    page = (library / "build/index.html").read_text(encoding="utf-8")
    sections = {part.split('"', 1)[0]: part for part in page.split('<h2 id="')[1:]}
    assert "<strong>Overdue</strong>" in sections["RAD_0001"] and "months ago" in sections["RAD_0001"]
    assert "<strong>Review due</strong>" in sections["RAD_0002"] and "Overdue" not in sections["RAD_0002"]
    assert "Review due" not in sections["RAD_0003"] and "Overdue" not in sections["RAD_0003"]


def test_the_desk_warns_of_an_overdue_leaflet_or_refuses_it_as_set(project_copy, tmp_path):
    from publishing.issuing.desk import create_app
    from publishing.issuing.desk.settings import Settings, load

    later = lambda: date(2029, 1, 15)  # noqa: E731  RAD_0009 was due for review in 2028-05
    warned = create_app(project_copy, Settings(), today=later).test_client()
    assert b"Overdue: review was due 2028-05" in warned.get("/leaflets/RAD_0009/en").data
    soon = create_app(project_copy, Settings(), today=lambda: date(2028, 4, 20)).test_client()
    assert b"Review due 2028-05, in 11 days." in soon.get("/leaflets/RAD_0009/pl").data
    assert b"review-due" not in create_app(project_copy, Settings()).test_client().get("/leaflets/RAD_0009/pl").data
    confirm = warned.get("/copies/RAD_0009/en/text")
    assert confirm.status_code == 200 and b"due for review in 2028-05" in confirm.data
    assert warned.get("/copies/RAD_0009/en/text?told=yes").status_code == 200
    (copy,) = json.loads(run_cli(project_copy, "issued", "--json").stdout)
    assert "due for review in 2028-05" in copy["note"]  # the warning is logged with the issue
    refused = create_app(project_copy, Settings(overdue_leaflets="refuse"), today=later).test_client()
    answer = refused.get("/copies/RAD_0009/en/text?told=yes")
    assert answer.status_code == 409 and b"does not issue leaflets past their review date" in answer.data
    current = create_app(project_copy, Settings(overdue_leaflets="refuse")).test_client()
    assert current.get("/copies/RAD_0009/en/text").status_code == 200  # within its review date
    (tmp_path / "desk.toml").write_text('overdue_leaflets = "ignore"\n')
    with pytest.raises(Exception, match="overdue_leaflets"):
        load(tmp_path, {})


def test_request_refuses_an_overdue_leaflet_where_the_trust_says_so(library):
    assert run_cli(library, "update").returncode == 0
    warned = run_cli(library, "request", "RAD_0001", "en", "text")
    assert warned.returncode == 0 and "was due for review in" in warned.stderr
    (library / "desk.toml").write_text('overdue_leaflets = "refuse"\n')
    refused = run_cli(library, "request", "RAD_0001", "en", "text")
    assert refused.returncode == 1 and refused.stdout == ""
    (line,) = refused.stderr.strip().splitlines()
    assert f"was due for review in {_month(-5)}" in line and "does not issue leaflets past their review date" in line
    assert run_cli(library, "request", "RAD_0003", "en", "text").returncode == 0  # within its date: issued
