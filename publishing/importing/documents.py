"""Reading one document: what kind it is (refusing what is not one we read), pandoc's syntax tree,
and, for Word files, what pandoc does not read: core properties, footers and headers, and the
formatting an author must be told about (colour, charts, comments, tracked changes).

pandoc runs with `--sandbox`: a document cannot make it read other files or fetch from the
network (an HTML page's pictures are read by `pictures`, from the page's own folder only).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.errors import InstallationError, LeafletError

from .report import quote

READERS = {".docx": "docx+styles", ".odt": "odt", ".html": "html", ".htm": "html"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files, and encrypted (password) OOXML
PANDOC_TIMEOUT = 300  # seconds; a document pandoc cannot read in that time is refused, never a hang
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}


class BadDocument(LeafletError):
    """A file the importer cannot read: not a document, old .doc, password-protected, corrupt."""


@dataclass
class Document:
    path: Path
    meta: dict
    blocks: list
    side_texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text) of footers and headers
    properties: dict[str, str] = field(default_factory=dict)  # core properties: title, author, category ...
    notes: list[str] = field(default_factory=list)  # what the raw file holds that the import cannot keep
    texts: list[str] = field(default_factory=list)  # every paragraph and cell as the file holds it (not pandoc)


def kind(path: Path) -> str:
    """pandoc's reader for the file, or BadDocument saying what it is and how to make it readable."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise BadDocument(f"cannot be read: {exc.strerror}", path) from exc
    if head.startswith(_OLE):
        if suffix in (".docx", ".odt"):
            raise BadDocument(
                "is password-protected (encrypted)", path, fix="open it, remove the password (File > Info), save again"
            )
        raise BadDocument(
            "is an old binary Word (.doc) or Office file",
            path,
            fix=f"save it as .docx in Word, or: soffice --headless --convert-to docx '{path.name}'",
        )
    if suffix not in READERS:
        raise BadDocument(
            f"is not a document the importer reads ({suffix or 'no extension'})",
            path,
            fix="import .docx, .odt or .html files",
        )
    if suffix in (".docx", ".odt"):
        if not zipfile.is_zipfile(path):
            raise BadDocument("is damaged (not a valid Word or ODT package)", path, fix="open and save it again")
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                bad = z.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BadDocument(f"is damaged ({exc})", path, fix="open and save it again") from exc
        wanted = "word/document.xml" if suffix == ".docx" else "content.xml"
        if bad is not None or wanted not in names:
            raise BadDocument(
                f"is damaged ({'a broken part ' + bad if bad else 'no ' + wanted})",
                path,
                fix="open it in Word or LibreOffice and save it again",
            )
    return READERS[suffix]


def read(path: Path, media: Path) -> Document:
    """The document's syntax tree (pictures extracted into `media`) and, for .docx, its side facts."""
    reader = kind(path)
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise InstallationError("pandoc is not installed", fix="apt-get install pandoc (it is in the Makefile's DEBS)")
    page = _html_text(path) if reader == "html" else None  # pandoc reads only UTF-8: a page is given to it so
    given = _odt_with_header_rows_unwrapped(path, media) if reader == "odt" else path
    try:
        done = subprocess.run(
            [pandoc, "--sandbox", "-f", reader, "-t", "json", f"--extract-media={media}"]
            + ([] if page is not None else [str(given)]),
            input=page,
            capture_output=True,
            timeout=PANDOC_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BadDocument(f"pandoc did not finish reading it in {PANDOC_TIMEOUT} s", path) from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BadDocument(
            f"pandoc could not read it: {said[-1] if said else 'exit status ' + str(done.returncode)}",
            path,
            fix="open it in Word or LibreOffice and save it again",
        )
    tree = json.loads(done.stdout)
    doc = Document(path, tree.get("meta", {}), tree.get("blocks", []))
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("[WARNING]"):
            doc.notes.append("pandoc: " + line.removeprefix("[WARNING]").strip())
    if path.suffix.lower() == ".docx":
        _word(doc)
    elif path.suffix.lower() == ".odt":
        _odt(doc)
        if given != path:
            given.unlink()
            doc.notes.append("each table's first row was taken as its header row (pandoc's ODT reader marks none)")
    return doc


def _odf_text(element) -> str:
    """A paragraph's text as LibreOffice shows it: spaces, tabs and line breaks as spaces, notes left out
    (they are paragraphs of their own)."""
    out = [element.text or ""]
    for child in element:
        name = child.tag.rpartition("}")[2]
        if name in ("s", "tab", "line-break"):
            out.append(" ")
        elif name not in ("note", "annotation"):
            out.append(_odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _odt_with_header_rows_unwrapped(path: Path, folder: Path) -> Path:
    """pandoc 2.17's ODT reader empties a table's header rows (table:table-header-rows), losing their
    words: a copy with those rows made ordinary first rows is what it is given (the original if none)."""
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml")
        if b"<table:table-header-rows>" not in content:
            return path
        copy = folder / ("header-rows-" + path.name)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
            for item in z.infolist():
                data = z.read(item.filename)
                if item.filename == "content.xml":
                    data = data.replace(b"<table:table-header-rows>", b"").replace(b"</table:table-header-rows>", b"")
                out.writestr(item, data)
    return copy


_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _odt(doc: Document) -> None:
    """An ODT's properties (meta.xml) and footers and headers (styles.xml), which pandoc leaves out."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(doc.path) as z:
        meta = etree.fromstring(z.read("meta.xml"), parser) if "meta.xml" in z.namelist() else None
        styles = etree.fromstring(z.read("styles.xml"), parser) if "styles.xml" in z.namelist() else None
    if meta is not None:
        for key, xpath in (
            ("title", "//dc:title"),
            ("author", "//meta:initial-creator | //dc:creator"),
            ("subject", "//dc:subject"),
        ):
            found = meta.xpath(xpath, namespaces=_ODF)
            if found and (found[0].text or "").strip():
                doc.properties[key] = found[0].text.strip()
    with zipfile.ZipFile(doc.path) as z:
        content = etree.fromstring(z.read("content.xml"), parser)
    doc.texts = [_odf_text(p) for p in content.xpath("//office:text//text:p | //office:text//text:h", namespaces=_ODF)]
    if styles is not None:
        for where in ("footer", "header"):
            for para in styles.xpath(f"//style:master-page/style:{where}//text:p", namespaces=_ODF):
                text = "".join(para.itertext()).strip()
                if text and (where, text) not in doc.side_texts:
                    doc.side_texts.append((where, text))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _html_text(path: Path) -> bytes:
    """An HTML page as UTF-8: in the charset its <meta> names, else UTF-8, else Windows-1252 (what
    Word's "Save as Web Page" and old intranets write)."""
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    for charset in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace").encode("utf-8")  # the five bytes cp1252 leaves undefined become U+FFFD


def _word(doc: Document) -> None:
    """Core properties, footers and headers, and an audit of what pandoc silently drops."""
    import docx  # python-docx: only for Word files, and only here
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(str(doc.path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BadDocument(f"is damaged ({exc})", doc.path, fix="open it in Word and save it again") from exc
    props = word.core_properties
    doc.properties = {
        key: str(getattr(props, key) or "").strip() for key in ("title", "author", "category", "subject", "keywords")
    }
    seen: set[str] = set()
    for n, section in enumerate(word.sections, start=1):
        for where in (
            "footer",
            "first_page_footer",
            "even_page_footer",
            "header",
            "first_page_header",
            "even_page_header",
        ):
            part = getattr(section, where)
            if part.is_linked_to_previous and n > 1:
                continue
            texts = [p.text for p in part.paragraphs] + [
                cell.text for table in part.tables for row in table.rows for cell in row.cells
            ]
            for text in texts:
                if text.strip() and text not in seen:
                    seen.add(text)
                    doc.side_texts.append((where.replace("_", " "), text))
    doc.texts = [p.text for p in word.paragraphs] + [
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    ]
    body = word.element.body
    coloured = _xpath(
        body,
        ".//w:r[w:rPr/w:color[@w:val!='auto' and @w:val!='000000'] or w:rPr/w:highlight or w:rPr/w:shd]"
        "[not(ancestor::w:hyperlink)]",
    )
    texts = [t for t in ("".join(_xpath(r, ".//w:t/text()")).strip() for r in coloured) if t]
    if texts:
        doc.notes.append(
            f"{len(texts)} coloured or highlighted run(s), e.g. {quote(texts[0])}: the colour is not kept; "
            "if it carries meaning (red = danger), say it in words or make it a notice"
        )
    for xpath, what in (
        (".//c:chart", "chart(s) were not imported: describe what each shows in words or a picture"),
        (".//dgm:relIds", "SmartArt diagram(s) were not imported: write their text as a list"),
        (".//w:object", "embedded object(s) (OLE) were not imported"),
        (".//w:commentReference", "comment(s) in the document were not imported"),
        (".//w:ins | .//w:del", "tracked change(s) were accepted as they stand: check the text"),
    ):
        found = len(_xpath(body, xpath))
        if found:
            doc.notes.append(f"{found} {what}")


def _xpath(element, expression: str) -> list:
    """lxml's XPath with our prefixes (python-docx's own `xpath` knows only its own)."""
    from lxml import etree

    return etree.XPath(expression, namespaces=_NS)(element)
