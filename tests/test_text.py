"""Plain-text (e-mail) writer: every word and every link address survives."""

from __future__ import annotations

from dataclasses import replace

from conftest import ROOT

import formats
from leaflets.model import Link, Paragraph, Segment, Text, segments
from leaflets.project import Project
from leaflets.translate import translate


def test_every_block_and_link_address_is_in_the_text():
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings)
    extra = Paragraph(
        Segment((Text("See "), Link("https://www.nice.org.uk/guidance/ipg12", (Text("NICE guidance"),))), "x")
    )
    doc = replace(doc, blocks=(*doc.blocks, extra))
    text = formats.get("text").write(doc, formats.Options()).decode("utf-8")
    for seg in segments(doc.blocks + doc.footer):
        for line in seg.text.splitlines():
            assert line.replace("NICE guidance", "NICE guidance (https://www.nice.org.uk/guidance/ipg12)") in text
    assert "See NICE guidance (https://www.nice.org.uk/guidance/ipg12)" in text
    assert "www.nice.org.uk/guidance/IPG12\nPercutaneous" in text  # the shown address is not repeated
    assert "**" not in text and "](" not in text
