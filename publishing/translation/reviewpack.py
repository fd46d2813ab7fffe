"""The bilingual review pack: what a clinician reads before signing a translation off.

English and translation side by side, entry by entry (the leaflet's catalog, then the shared
strings), with numbers, units, drug names, negations and comparisons marked in both columns
(bold plus an underline style per kind, and a light tint: never colour alone), every check
finding beside its entry, the fingerprints `signoff` records, and a sign-off box. Written as
Word (python-docx, right-to-left paragraphs as the Word writer makes them) and converted to PDF
by LibreOffice, which lays out Arabic-script and Indic text correctly (reportlab would need the
PDF writer's own line layout for that); `signoff --pack FILE` records which pack was signed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_UNDERLINE
from docx.shared import Inches, Pt

from formats.docx import fonts as word_fonts
from formats.docx import ooxml
from leaflets import catalogs, checks, highlights, locales, review
from leaflets.checks.chars import visible
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.inline import InlineError, parse
from leaflets.integrity import msgid_lines
from leaflets.model import plain_text
from leaflets.project import Project

from . import signoffs

# kind -> (underline, tint, legend); the tints are light enough for black text (contrast > 12:1)
STYLE = {
    highlights.NUMBER: (WD_UNDERLINE.SINGLE, "FFF2CC", "number: bold, underlined"),
    highlights.UNIT: (WD_UNDERLINE.SINGLE, "FFF2CC", "unit: bold, underlined"),
    highlights.DRUG: (WD_UNDERLINE.DOUBLE, "E2EFDA", "drug name: bold, double underline"),
    highlights.NEGATION: (WD_UNDERLINE.WAVY, "DDEBF7", "negation: bold, wavy underline"),
    highlights.COMPARISON: (WD_UNDERLINE.DASH, "DDEBF7", "comparison: bold, dashed underline"),
}
FONT_SIZE = 10
WIDTHS = (0.6, 3.8, 3.8, 2.1)  # inches: #, English, translation, findings (landscape A4 less margins)


@dataclass(frozen=True)
class Entry:
    number: int
    domain: str
    line: int
    english: str
    translation: str  # "" if not translated
    state: str  # "translated", "fuzzy" or "not translated"
    findings: tuple[checks.Finding, ...]


def _plain(markdown: str) -> str:
    try:
        return plain_text(parse(markdown))
    except InlineError:
        return markdown


def entries(project: Project, lid: str, code: str) -> list[Entry]:
    """Every entry of the leaflet's catalog and of common.po, with its findings."""
    findings: dict[tuple[str, int], list[checks.Finding]] = {}
    for f in checks.run(project, [lid], [code], include_suppressed=True):  # the clinician sees what was silenced
        findings.setdefault((f.domain, f.line), []).append(f)
    out: list[Entry] = []
    for domain in (lid, catalogs.COMMON):
        path = catalogs.po_path(project.locales_dir, code, domain)
        lines = msgid_lines(path.read_text(encoding="utf-8"))
        for e in catalogs.load(path):
            if e.obsolete:
                continue
            line = lines.get(e.linenum, e.linenum)
            forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else [e.msgstr]
            state = "fuzzy" if "fuzzy" in e.flags else "translated" if catalogs.usable(e) else "not translated"
            english = _plain(e.msgid) + (f"\n(plural) {_plain(e.msgid_plural)}" if e.msgid_plural else "")
            translation = "\n".join((f"[{i}] " if len(forms) > 1 else "") + _plain(s) for i, s in enumerate(forms) if s)
            out.append(
                Entry(len(out) + 1, domain, line, english, translation, state, tuple(findings.get((domain, line), ())))
            )
    return out


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _paragraph(cell, text: str, code: str, keep, script: word_fonts.Script) -> None:
    """One cell's text with its marks, in the script's fonts and direction."""
    par = cell.paragraphs[0]
    if script.rtl:
        par._p.get_or_add_pPr().append(ooxml.bidi())
    pieces, pos = [], 0
    for mark in highlights.marks(text, code, keep):
        pieces += [(text[pos : mark.start], ""), (text[mark.start : mark.end], mark.kind)]
        pos = mark.end
    pieces.append((text[pos:], ""))
    for piece, kind in pieces:
        if not piece:
            continue
        run = par.add_run(visible(piece))
        run.font.size = Pt(FONT_SIZE)
        rpr = run._r.get_or_add_rPr()
        rpr.append(ooxml.fonts(dict(script.fonts)))
        rpr.append(ooxml.lang(script.lang))
        if _is_rtl(piece):
            run.font.rtl = True
        if kind:
            underline, tint, _ = STYLE[kind]
            run.bold, run.font.cs_bold, run.underline = True, True, underline
            rpr.append(ooxml.el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": tint}))


def _keep(project: Project, lid: str, code: str) -> dict[str, tuple[str, ...]]:
    po, common = (catalogs.load(catalogs.po_path(project.locales_dir, code, d)) for d in (lid, catalogs.COMMON))
    known = checks.spellings(common, po)
    return {t: known.get(t.casefold(), ()) for t in project.leaflet(lid).meta.keep}


def word(project: Project, lid: str, code: str, pack_id: str = "") -> bytes:
    """The pack as a .docx (pack_id: the id `write` records it under, printed in it)."""
    info = locales.info(code)
    english, target = word_fonts.for_tag(locales.SOURCE_LOCALE.tag), word_fonts.script(info)
    keep = _keep(project, lid, code)
    po, common = (catalogs.load(catalogs.po_path(project.locales_dir, code, d)) for d in (lid, catalogs.COMMON))
    shown = review.pictures_of(project, lid, code)
    source_hash, translation_hash = review.fingerprints(po, common, shown)
    state = review.state(po, common, shown)
    title = project.leaflet(lid).meta.title.text
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Pt(40))
    document.core_properties.title = f"Review pack {lid} {code}"
    document.core_properties.keywords = " ".join(
        [h.replace("sha256:", "sha256-") for h in (source_hash, translation_hash)] + [f"pack-{pack_id}"] * bool(pack_id)
    )
    document.add_heading(f"Bilingual review pack: {lid} in {info.english_name} ({info.native_name})", level=1)
    document.add_paragraph(f"{title}. Review state now: {state}.")
    document.add_paragraph(
        "Compare every entry with the English. Marked in both columns: "
        + "; ".join(dict.fromkeys(s[2] for s in STYLE.values()))
        + ". Check findings are listed beside their entry: every error must be fixed before the"
        " translation can be published."
    )
    document.add_paragraph(
        f"Fingerprint of the English: {source_hash}\nFingerprint of the translation: {translation_hash}"
        + (f"\nPack id: {pack_id} (recorded by the project when this pack was made)" if pack_id else "")
    )
    rows = entries(project, lid, code)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, head in zip(
        table.rows[0].cells, ("#", "English", f"{info.english_name} ({info.native_name})", "Checks"), strict=True
    ):
        cell.paragraphs[0].add_run(head).bold = True
    for e in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(f"{e.number}\n{e.domain}:{e.line}").font.size = Pt(8)
        _paragraph(cells[1], e.english, locales.SOURCE_CODE, dict.fromkeys(keep, ()), english)
        if e.translation:
            _paragraph(cells[2], e.translation, code, keep, target)
        note = [] if e.state == "translated" else [f"{e.state}: the English is printed instead"]
        note += [
            f"{f.severity.upper()} [{f.check}]{' (silenced by ignore-' + f.check + ')' if f.suppressed else ''}: "
            f"{f.message}"
            for f in e.findings
        ]
        cells[3].paragraphs[0].add_run("\n".join(note) or "no findings").font.size = Pt(8)
    table.autofit = False
    for i, width in enumerate(WIDTHS):
        table.columns[i].width = Inches(width)
        for cell in table.columns[i].cells:
            cell.width = Inches(width)
    document.add_heading("Clinical sign-off", level=2)
    box = document.add_table(rows=4, cols=2)
    box.style = "Table Grid"
    for row, label in zip(
        box.rows,
        ("Reviewer (name, role)", "Signature", "Date", "I have compared every entry above with the English"),
        strict=True,
    ):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(" " * 60)
    document.add_paragraph(
        f'Then record it: pipeline.py signoff {code} --leaflet {lid} --by "Name, role" --pack THIS-FILE'
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(docx_path: Path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        raise LeafletError(
            "LibreOffice is not installed: the pack is in Word only", fix="apt-get install libreoffice-writer"
        )
    with tempfile.TemporaryDirectory() as profile:  # a private profile: another user's office cannot take the job
        done = subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(docx_path.parent),
                str(docx_path),
            ],
            capture_output=True,
            timeout=180,
        )
    pdf = docx_path.with_suffix(".pdf")
    if done.returncode or not pdf.exists():
        raise LeafletError(f"LibreOffice could not convert {docx_path.name} to PDF", fix="open the Word file instead")
    return pdf


def write(project: Project, lid: str, code: str, out_dir: Path, pdf: bool = True) -> list[Path]:
    """Write the pack into out_dir: the .docx, and the .pdf made from it; both recorded as issued
    (reviews/packs.jsonl), which is what lets `signoff --pack` tell them from a forgery."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{lid}.{code}.review-pack.docx"
    pack_id = signoffs.new_id()
    write_atomic(path, word(project, lid, code, pack_id))
    written = [path]
    try:
        if pdf:
            written.append(_pdf(path))
    finally:
        po, common = (catalogs.load(catalogs.po_path(project.locales_dir, code, d)) for d in (lid, catalogs.COMMON))
        source, translation = review.fingerprints(po, common, review.pictures_of(project, lid, code))
        made = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        files = {p.name: signoffs.sha256(p) for p in written}
        signoffs.record_pack(project, signoffs.Pack(pack_id, lid, code, made, source, translation, files))
    return written


def check_pack(project: Project, lid: str, code: str, path: Path) -> str:
    """The pack's sha256 if this project issued exactly that file for the translation as it is
    now (see signoffs: what a pack says about itself proves nothing); else a LeafletError."""
    return "sha256:" + signoffs.issued_pack(project, lid, code, path)[1]
