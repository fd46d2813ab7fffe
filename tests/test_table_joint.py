"""The words between a column's heading and a cell when a table is shown row by row ("Avoid: milk")
are the shared string `table_cell`, in the document's language (Chinese "避免：牛奶", a full-width
colon and no space), in every writer that stacks a table: plain text, speech, braille, large print."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace

import pikepdf
import pytest

import formats
from formats.audio.render import script
from formats.braille import louis, tables
from formats.braille.render import render as braille_render
from leaflets.errors import LeafletError
from leaflets.model import Leaflet, Table
from leaflets.project import Project
from leaflets.translate import translate
from tests import pdfua, rich_leaflet
from tests.conftest import ROOT

OPTIONS = formats.Options()
JOINT = " ⇒ "  # a joint no writer would make up: each must take it from the catalog


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Leaflet]:
    root = tmp_path_factory.mktemp("joint") / "proj"
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    rich_leaflet.make(root, ("en", "ur", "zh_Hans"))
    project = Project(root)
    leaflet = project.leaflet(rich_leaflet.ID)
    return {
        c: translate(leaflet, c, project.shared_strings, locales_dir=project.locales_dir) for c in ("ur", "zh_Hans")
    }


def _with_joint(doc: Leaflet, template: str) -> Leaflet:
    """The document with its `table_cell` translated as `template` (as a translator's catalog would)."""
    labels = tuple(
        replace(lab, forms=tuple(replace(f, source=template, inlines=_text(template)) for f in lab.forms))
        if lab.key == "table_cell"
        else lab
        for lab in doc.labels
    )
    return replace(doc, labels=labels)


def _text(template: str) -> tuple:
    from leaflets import inline

    return inline.parse(template)


def _pairs(doc: Leaflet) -> list[tuple[str, str]]:
    t = next(b for b in doc.blocks if isinstance(b, Table))
    return [(h.text, c.text) for row in t.rows for h, c in zip(t.header, row, strict=True) if c is not None]


def test_chinese_speech_joins_heading_and_cell_with_a_full_width_colon(docs):
    said = [part.written for part in script(docs["zh_Hans"])]
    assert "食物类别：面包" in said and "避免：牛奶" in said
    assert not any(": " in s for s in said if s.startswith("食物类别"))


def test_every_stacking_writer_takes_the_joint_from_the_catalog(docs):
    doc = _with_joint(docs["ur"], "{header}" + JOINT + "{cell}")  # Urdu: the text lists rows (right-to-left)
    pairs = _pairs(doc)
    text = formats.get("text").write(doc, OPTIONS).decode()
    assert all(f"{h}{JOINT}{c}" in text for h, c in pairs) and ": " + pairs[0][1] not in text
    said = [part.written for part in script(doc)]
    assert all(f"{h}{JOINT}{c}" in said for h, c in pairs)
    data = formats.get("large-print").write(doc, replace(OPTIONS, size=32.0))  # narrow: stacked
    (found,) = pdfua.table_cells(pikepdf.Pdf.open(io.BytesIO(data)))
    heads = [text.strip() for row in found for role, _, text in row if role == "TH" and text.strip()]
    assert heads and all(h.endswith(JOINT.strip()) for h in heads)

    zh = _with_joint(docs["zh_Hans"], "{header}" + JOINT + "{cell}")
    code = tables.code_for(zh.locale, 2)
    assert code is not None
    flat = "".join("".join(line.split("\u2800")) for page in braille_render(zh, OPTIONS).pages for line in page)
    joint = louis.translate(code.tables, JOINT.strip()).replace("\u2800", "")
    usual = louis.translate(code.tables, "：").replace("\u2800", "")
    assert flat.count(joint) >= len(_pairs(zh)) and joint != usual


@pytest.mark.parametrize("template", ["{cell}: {header}", "{header}", "Avoid {header}: {cell}", "{header}: {cell}."])
def test_a_joint_that_is_not_between_heading_and_cell_is_refused_in_one_line(docs, template):
    with pytest.raises(LeafletError) as caught:
        formats.get("text").write(_with_joint(docs["ur"], template), OPTIONS)
    assert "table_cell" in str(caught.value) and "\n" not in str(caught.value)
