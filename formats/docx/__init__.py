"""Accessible Word document: the declaration; the document is made in `render`."""

from __future__ import annotations

from leaflets.model import Leaflet

from ..contract import Options, Writer


class Word(Writer):
    name = "word"
    extension = "docx"
    title = "Word"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    aliases = ("doc", "word document", "microsoft word")
    depends_on = ("fonts",)  # the shared script-to-font table
    uses = ("size",)

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from . import render

        return render.write(doc, options)


WRITERS = (Word(),)
