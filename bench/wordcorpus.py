"""Word leaflets as a trust keeps them, made with python-docx, for the import tests and benchmark.

`leaflet()` writes one .docx the way Word does it: a Title paragraph, Heading 1/2 sections,
bullet lists nested by Word's 'List Bullet 2' style, numbered steps,
bold, italic and real hyperlinks, optionally a table with a repeating header row, a picture
with alt text and a caption, notices (a labelled paragraph, a boxed warning), a 'Contact us' closing block and a footer with the leaflet code,
author and review dates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, RGBColor


@dataclass(frozen=True)
class Spec:
    code: str = "PHY_0012"
    title: str = "Hip replacement: exercises after your operation"
    table: bool = False
    picture: bool = False
    contacts: int = 2  # 1 or 2 contact lines in the closing block
    audit: bool = False  # underline-only, colour-only, "click here" and a picture with no alt text
    notices: bool = False  # an "Important:" paragraph and a boxed warning (a table of one cell)
    references: bool = False  # a closing "References" section (the evidence, for PIF TICK)


def picture_bytes(colour: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def hyperlink(paragraph, text: str, url: str) -> None:
    """A real Word hyperlink (w:hyperlink with an external relationship), as Word writes one."""
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def leaflet(path: Path, spec: Spec = Spec()) -> Path:
    d = docx.Document()
    d.core_properties.title = spec.title
    d.core_properties.author = "Sam Patel, Physiotherapy"
    d.add_paragraph(spec.title, style="Title")
    p = d.add_paragraph("This leaflet explains the exercises you will do after your hip replacement. ")
    p.add_run("Do them every day").bold = True
    p.add_run(", even when it is ")
    p.add_run("uncomfortable").italic = True
    p.add_run(".")
    d.add_paragraph("Your physiotherapist will show you each exercise before you go home.")
    d.add_heading("Before your operation", level=1)
    d.add_paragraph("Bring comfortable shoes with a closed heel.", style="List Bullet")
    d.add_paragraph("Bring loose clothing, for example:", style="List Bullet")
    d.add_paragraph("a tracksuit", style="List Bullet 2")
    d.add_paragraph("shorts", style="List Bullet 2")
    d.add_paragraph("Arrange for someone to help at home for 2 weeks.", style="List Bullet")
    d.add_heading("The exercises", level=1)
    d.add_heading("Ankle pumps", level=2)
    d.add_paragraph("Lie on your back with your legs straight.", style="List Number")
    d.add_paragraph("Move your feet up and down 10 times.", style="List Number")
    d.add_paragraph("Repeat 3 times a day, for 6 weeks.", style="List Number")
    p = d.add_paragraph("Read more about recovery on ")
    hyperlink(p, "the NHS website page on hip replacement", "https://www.nhs.uk/conditions/hip-replacement/recovery/")
    p.add_run(".")
    if spec.table:
        d.add_heading("What to eat", level=2)
        t = d.add_table(rows=3, cols=3)
        rows = (
            ("Food group", "Eat", "Avoid"),
            ("Bread", "White bread", "Wholemeal bread"),
            ("Fruit", "Bananas", "Dried fruit"),
        )
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.rows[r].cells[c].text = text
        header = t.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))
    if spec.picture:
        d.add_heading("Using a walking frame", level=2)
        d.add_picture(io.BytesIO(picture_bytes()), width=Inches(1))
        d.inline_shapes[-1]._inline.docPr.set("descr", "A patient standing with a walking frame")
        d.add_paragraph("Figure 1: standing with the frame", style="Caption")
        d.add_paragraph("Keep the frame close to you when you stand up.")
    if spec.audit:
        d.add_heading("Things to watch", level=2)
        p = d.add_paragraph("Call us at once if your wound ")
        p.add_run("turns red").underline = True
        p.add_run(".")
        p = d.add_paragraph("Stop the exercises if ")
        run = p.add_run("the pain gets worse")
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        p.add_run(".")
        p = d.add_paragraph("Highlighted: ")
        p.add_run("bring your medicines").font.highlight_color = WD_COLOR_INDEX.YELLOW
        p = d.add_paragraph("For the exercise video ")
        hyperlink(p, "click here", "https://www.example.nhs.uk/video")
        d.add_picture(io.BytesIO(picture_bytes("blue")), width=Inches(1))
    if spec.notices:
        d.add_heading("After your operation", level=1)
        p = d.add_paragraph()
        p.add_run("Important:").bold = True
        p.add_run(" do not cross your legs for 6 weeks.")
        box = d.add_table(rows=1, cols=1)
        box.rows[0].cells[0].text = "Warning: call 999 if you have chest pain or feel short of breath."
        box.rows[0].cells[0].add_paragraph("Do not wait until the morning.")
        d.add_paragraph("You will have a check-up after 6 weeks.")
    if spec.references:
        d.add_heading("References", level=1)
        d.add_paragraph("NICE. Hip replacement (NG157), 2020.", style="List Number")
        p = d.add_paragraph("NHS. Recovery after a hip replacement: ", style="List Number")
        hyperlink(p, "nhs.uk", "https://www.nhs.uk/conditions/hip-replacement/recovery/")
    d.add_heading("Contact us", level=1)
    d.add_paragraph("Physiotherapy Department, Tel 0118 322 7811 (Monday to Friday, 8am to 4pm)")
    if spec.contacts > 1:
        d.add_paragraph("Ward 10: 0118 322 7500 (24 hours a day)")
    d.add_paragraph("To find out more about our Trust visit www.royalberkshire.nhs.uk")
    d.add_paragraph("Please ask if you need this information in another language or format.")
    footer = d.sections[0].footer
    footer.paragraphs[0].text = f"Leaflet code: {spec.code}"
    footer.add_paragraph("Royal Berkshire NHS Foundation Trust. Author: Sam Patel, Physiotherapy")
    footer.add_paragraph("Reviewed: May 2024. Next review due: May 2027")
    d.save(str(path))
    return path


def emf_bytes() -> bytes:
    """A small Windows metafile (EMF) of one rectangle: a header, EMR_RECTANGLE and EMR_EOF records."""
    import struct

    def record(kind: int, payload: bytes) -> bytes:
        return struct.pack("<II", kind, 8 + len(payload)) + payload

    body = record(43, struct.pack("<4i", 10, 10, 200, 150)) + record(14, struct.pack("<III", 0, 16, 20))
    header = (
        struct.pack("<II", 1, 88)
        + struct.pack("<4i", 0, 0, 210, 160)  # bounds, device units
        + struct.pack("<4i", 0, 0, 5556, 4233)  # frame, 0.01 mm
        + b" EMF"
        + struct.pack("<IIIHHIII", 0x10000, 88 + len(body), 3, 1, 0, 0, 0, 0)
        + struct.pack("<4i", 1024, 768, 320, 240)  # device size in pixels and millimetres
    )
    return header + body


def swap_media(path: Path, data: bytes) -> None:
    """Replace the bytes of every picture in a .docx (under their names), as a Word file holding an
    EMF drawing where python-docx could only insert a PNG."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, data if name.startswith("word/media/") else content)
