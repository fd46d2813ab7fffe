"""A draft prints its check findings on the page (issue 27, item 5): in a draft, a translation the
checks found an error in carries the "Check this translation:" label (a shared string, like "Not
yet translated:") in every format that shows draft labels, before the passage, so a proof-reader
sees the problem where it is; an entry without an error carries none."""

from __future__ import annotations

import io
import subprocess
import zipfile

import polib
import pytest
from conftest import run_cli
from lxml import etree

LABEL = "Check this translation:"
OUT = "build/RAD_0009/pl/RAD_0009-vertebroplasty.pl.draft"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _draft_with_an_error(root, checked_first: bool) -> str:
    """A Polish draft whose "less than 60 minutes" says 90: the text of that translation
    (`checked_first`: `check` ran before, so the build takes its findings from the cache)."""
    path = root / "locales/pl/LC_MESSAGES/RAD_0009.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if "less than 60 minutes" in e.msgid)
    entry.msgstr = entry.msgstr.replace("60", "90")
    po.save(str(path))
    if checked_first:
        assert run_cli(root, "check", "--locale", "pl").returncode == 1
    done = run_cli(root, "build", "--locale", "pl", "--draft", "--jobs", "1", *_formats())
    assert done.returncode == 0, done.stderr
    assert "60 in the source, 90 in the translation" in done.stdout  # still said on the command line
    return entry.msgstr


def _formats() -> list[str]:
    return ["--format", "text", "--format", "word", "--format", "large-print"]


@pytest.mark.parametrize("checked_first", [False, True], ids=["checked-by-the-build", "findings-cached"])
def test_a_draft_labels_the_translation_with_a_check_error_in_text_word_and_large_print(project_copy, checked_first):
    wrong = _draft_with_an_error(project_copy, checked_first)
    start = wrong.split()[0]

    text = (project_copy / f"{OUT}.txt").read_text(encoding="utf-8")
    assert text.count(f"[{LABEL}]") == 1
    assert f"[{LABEL}] {start}" in text and "90" in text.split(f"[{LABEL}]")[1].split("\n\n")[0]

    with zipfile.ZipFile(io.BytesIO((project_copy / f"{OUT}.docx").read_bytes())) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    labelled = [p for p in paragraphs if LABEL in p]
    assert len(labelled) == 1 and labelled[0].startswith(f"{LABEL} {start}") and "90" in labelled[0]

    pdf = subprocess.run(
        ["pdftotext", str(project_copy / f"{OUT}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert pdf.count(LABEL) == 1
    after = " ".join(pdf.split(LABEL)[1].split())
    assert after.startswith(start) and "90" in after[: len(wrong) + 20]
