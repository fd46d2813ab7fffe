"""Shared fixtures: a throw-away copy of the project, and a way to run the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """source/ and locales/ copied to a temporary project root (the real tree is never touched)."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    return root


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run pipeline.py against a project root; returns the completed process (text mode)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "pipeline.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove a failing command changed nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@contextmanager
def editing(po_file: Path):
    """Load a PO file, let the test change its entries, write it back (as a translator's tool would)."""
    from leaflets import catalogs

    po = catalogs.load(po_file)
    yield po
    catalogs.write_atomic(po_file, catalogs.po_bytes(po))
