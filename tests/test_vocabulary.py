"""The shared vocabulary: outcome states as one enum that reads and writes as plain words, and
one rule for "past its review date", written nowhere else."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from leaflets.model import YearMonth
from leaflets.vocabulary import NOT_MADE, State, past_review
from publishing.engine import build, buildstate


@pytest.mark.parametrize(
    ("due", "today", "past"),
    [
        (YearMonth(2026, 5), date(2026, 5, 1), False),
        (YearMonth(2026, 5), date(2026, 5, 31), False),  # current throughout its month
        (YearMonth(2026, 5), date(2026, 6, 1), True),
        (YearMonth(2025, 12), date(2026, 1, 1), True),  # across a year
        (YearMonth(2027, 1), date(2026, 12, 31), False),
        ("2026-05", date(2026, 6, 1), True),  # as the build state keeps it
        ("2026-05", date(2026, 5, 31), False),
    ],
)
def test_past_review_is_judged_by_the_month(due, today, past):
    assert past_review(due, today) is past


def test_states_read_and_write_as_plain_words():
    assert json.dumps({"state": State.UP_TO_DATE}) == '{"state": "up to date"}'
    assert State("unavailable") is State.UNAVAILABLE and State.FAILED == "failed"
    assert [s for s in State if s.ready] == [State.BUILT, State.UP_TO_DATE]
    assert set(NOT_MADE) | {State.BUILT, State.UP_TO_DATE} == set(State)
    # the engine's names are the vocabulary's, not copies of it
    assert build.State is State and build.Outcome is buildstate.Outcome


def test_a_build_state_with_an_unknown_state_is_discarded(tmp_path):
    said: list[str] = []
    record = {"fingerprint": "f", "state": "half built", "size": 0, "mtime_ns": 0, "sha256": ""}
    record |= {"reason": "", "target": "A en text", "kind": ""}
    data = {"format": buildstate.FORMAT, "artifacts": {"a": record}, "hashes": {}, "reviews": {}, "writers": {}}
    (tmp_path / buildstate.STATE).write_text(json.dumps(data))
    state = buildstate.BuildState(tmp_path, said.append)
    assert state.records == {} and "not in the expected form" in said[0]
    record["state"] = "up to date"
    (tmp_path / buildstate.STATE).write_text(json.dumps(data))
    assert buildstate.BuildState(tmp_path, said.append).records["a"].state is State.UP_TO_DATE


def _code() -> list[Path]:
    rooms = [p for room in ("leaflets", "formats", "publishing") for p in (ROOT / room).rglob("*.py")]
    return [*sorted(rooms), ROOT / "pipeline.py"]


def _literals() -> list[str]:
    """Every string constant spelling an outcome state in the code, docstrings left out."""
    words = {str(s) for s in State}
    found = []
    for path in _code():
        if path.name == "vocabulary.py" and path.parent.name == "leaflets":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in words and id(node) not in docs:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


def test_no_outcome_state_is_written_as_a_string():
    assert _literals() == []


def test_review_dates_are_judged_in_one_place():
    """No other module compares review months itself (as three did: a string compare and two tuples)."""
    offenders = []
    for path in _code():
        text = path.read_text(encoding="utf-8")
        if path.name != "vocabulary.py" and ("due.year, due.month" in text or "due < f" in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
