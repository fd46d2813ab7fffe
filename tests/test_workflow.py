"""`update` keeps what it does not own; the small things of the translators' workflow."""

from __future__ import annotations

import subprocess

import polib
from conftest import run_cli

from leaflets import catalogs

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
