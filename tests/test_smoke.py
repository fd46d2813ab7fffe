"""Smoke tests of the real entry point, each in its own process (most tests call `pipeline.main`
in-process through conftest.run_cli): the script starts, fails in one line, builds with worker
processes, and works from a clean clone of the repository with nothing but what git tracks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, counts, run_subprocess

pytestmark = pytest.mark.subprocess


def test_help_lists_the_commands():
    done = run_subprocess(ROOT, "--help")
    assert done.returncode == 0 and done.stderr == ""
    for command in ("extract", "init", "update", "status", "check", "build", "request", "list", "signoff"):
        assert command in done.stdout


def test_a_user_mistake_is_one_line_and_a_non_zero_exit(project_copy):
    done = run_subprocess(project_copy, "build", "--format", "text", "--locale", "klingon")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: 'klingon' is not a locale") and len(done.stderr.splitlines()) == 1
    assert not (project_copy / "build").exists()


def test_a_parallel_build_in_worker_processes(project_copy):
    done = run_subprocess(project_copy, "build", "--format", "text", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    n = len(list((project_copy / "locales").glob("*/LC_MESSAGES"))) + 1  # every translation and the English
    assert counts(done.stdout) == {"built": n} and len(list((project_copy / "build").glob("*/*/*.txt"))) == n


def test_a_clean_clone_runs_and_stays_clean(tmp_path):
    """What git tracks is enough to run: no file of the working tree, no generated file, is needed."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, capture_output=True)
    tracked = subprocess.run(["git", "ls-files"], cwd=clone, check=True, capture_output=True, text=True).stdout
    assert not [f for f in tracked.splitlines() if f.split("/")[0] in (".venv", "build", ".cache")]

    where = subprocess.run(
        [sys.executable, "-c", "import leaflets, formats, publishing; print(leaflets.__file__)"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(clone)  # the clone's own code, not an installed copy
    assert run_subprocess(clone, "--help", cwd=clone).returncode == 0
    done = run_subprocess(clone, "build", "--format", "text", "--locale", "en", "--jobs", "1", cwd=clone)
    assert done.returncode == 0 and counts(done.stdout) == {"built": 1}, done.stderr
    assert (clone / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt").is_file()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, check=True, capture_output=True, text=True)
    assert status.stdout == ""  # the build's output is ignored, nothing tracked was touched
