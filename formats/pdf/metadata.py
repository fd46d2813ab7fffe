"""XMP metadata for the large-print PDF (PDF/UA-1 clause 5 and 7.1): the title in the
document's language, its language, the organisation, and the PDF/UA identifier."""

from __future__ import annotations

from pikepdf import Pdf


def write(pdf: Pdf, title: str, lang: str, organisation: str) -> None:
    # set_pikepdf_as_editor=False: no time stamp or tool name, so the bytes stay the same
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:language"] = [lang]
        xmp["dc:creator"] = [organisation]
        xmp["pdfuaid:part"] = "1"
