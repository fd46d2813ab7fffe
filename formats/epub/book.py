"""Assemble the EPUB 3.3 publication: package document, content, navigation, CSS, fonts, and
for a voiced language the narration and its Media Overlay.

The accessibility metadata says what this build actually made: a language without a voice gets
a text-only book whose metadata says so (no auditory access mode, no synchronised audio). The
bytes are deterministic: fixed zip dates, sorted entries, an identifier derived from the
leaflet and the language.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from importlib.resources import files

from lxml import etree
from lxml.builder import ElementMaker

from leaflets.model import Leaflet

from ..contract import Options
from . import fonts, overlay, xhtml

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
PACKAGE = "package.opf"
A11Y_PREFIX = "a11y: http://www.idpf.org/epub/vocab/package/a11y/#"
CONFORMS = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

OPF = ElementMaker(namespace=OPF_NS, nsmap={None: OPF_NS, "dc": DC_NS})
DC = ElementMaker(namespace=DC_NS)

CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def write(doc: Leaflet, options: Options) -> bytes:
    from ..audio import Audio

    body = xhtml.content(doc)
    embedded = fonts.subsets(doc.locale, "".join(seg.text for seg, _ in body.spoken))
    parts: list[overlay.Par] = []
    mp3 = b""
    if Audio().unavailable(doc.locale) is None:
        from ..audio.narration import narrate

        narration = narrate(doc, Audio().options(options))
        parts = overlay.pars(body.spoken, narration.clips)
        mp3 = narration.mp3
    items = {
        "OEBPS/" + xhtml.CONTENT: body.bytes(),
        "OEBPS/" + xhtml.NAV: xhtml.nav(doc, body.toc),
        "OEBPS/" + xhtml.STYLE: _css(embedded, body.rich),
        **{"OEBPS/" + f.href: f.data for f in embedded},
        **{"OEBPS/" + href: picture.data for href, picture in body.pictures.items()},
    }
    if parts:
        items["OEBPS/" + overlay.SMIL] = overlay.smil(parts)
        items["OEBPS/" + overlay.AUDIO] = mp3
    items["OEBPS/" + PACKAGE] = _package(doc, options, embedded, parts, body.pictures)
    return _zip(items)


def _css(embedded: list[fonts.Embedded], rich: bool = False) -> bytes:
    faces = "".join(
        f'@font-face {{ font-family: "Embedded"; font-weight: {f.weight}; src: url("{f.href}"); }}\n' for f in embedded
    )
    extra = files(__package__).joinpath("rich.css").read_bytes() if rich else b""
    return faces.encode() + files(__package__).joinpath("style.css").read_bytes() + extra


def _package(
    doc: Leaflet, options: Options, embedded: list[fonts.Embedded], parts: list[overlay.Par], pictures: dict
) -> bytes:
    meta = doc.meta
    spoken = bool(parts)
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:leaflet:{meta.organisation}:{meta.id}:{doc.locale.tag}")
    metadata = OPF.metadata(
        DC.identifier(f"urn:uuid:{ident}", id="uid"),
        DC.title(doc.title.text),
        DC.language(doc.locale.tag),
        DC.creator(meta.organisation),
        DC.publisher(meta.organisation),
        OPF.meta(f"{options.build_date:%Y-%m-%d}T00:00:00Z", property="dcterms:modified"),
    )
    for prop, value in _accessibility(doc, spoken, bool(pictures)):
        metadata.append(OPF.meta(value, property=prop))
    if spoken:
        length = overlay.duration(overlay.total(parts))
        metadata.append(OPF.meta(length, property="media:duration", refines="#overlay"))
        metadata.append(OPF.meta(length, property="media:duration"))
        metadata.append(OPF.meta("-epub-media-overlay-active", property="media:active-class"))
    manifest = OPF.manifest(
        OPF.item(id="nav", href=xhtml.NAV, properties="nav", **{"media-type": "application/xhtml+xml"}),
        OPF.item(id="css", href=xhtml.STYLE, **{"media-type": "text/css"}),
    )
    content = OPF.item(id="content", href=xhtml.CONTENT, **{"media-type": "application/xhtml+xml"})
    if spoken:
        content.set("media-overlay", "overlay")
        manifest.append(OPF.item(id="overlay", href=overlay.SMIL, **{"media-type": "application/smil+xml"}))
        manifest.append(OPF.item(id="audio", href=overlay.AUDIO, **{"media-type": "audio/mpeg"}))
    manifest.append(content)
    for n, f in enumerate(embedded, start=1):
        manifest.append(OPF.item(id=f"font{n}", href=f.href, **{"media-type": "font/ttf"}))
    for n, (href, picture) in enumerate(sorted(pictures.items()), start=1):
        manifest.append(OPF.item(id=f"picture{n}", href=href, **{"media-type": picture.media_type}))
    spine = OPF.spine(OPF.itemref(idref="content"))
    if doc.locale.rtl:
        spine.set("page-progression-direction", "rtl")
    root = OPF.package(metadata, manifest, spine, version="3.0", prefix=A11Y_PREFIX, **{"unique-identifier": "uid"})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", doc.locale.tag)
    root.set("dir", doc.locale.direction)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="utf-8", pretty_print=True)


def _accessibility(doc: Leaflet, spoken: bool, pictures: bool = False) -> list[tuple[str, str]]:
    """schema.org accessibility metadata (EPUB Accessibility 1.1) for what this book contains."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if spoken:
        features.append("synchronizedAudioText")
    if pictures:
        features.append("alternativeText")
    out = [("schema:accessMode", "textual")]
    if pictures:
        out.append(("schema:accessMode", "visual"))
    if spoken:
        out.append(("schema:accessMode", "auditory"))
    out.append(("schema:accessModeSufficient", "textual"))
    if spoken:
        out.append(("schema:accessModeSufficient", "auditory"))
    out += [("schema:accessibilityFeature", f) for f in features]
    out += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", _summary(doc, spoken, pictures)),
        ("dcterms:conformsTo", CONFORMS),
        ("a11y:certifiedBy", doc.meta.organisation),
    ]
    return out


def _summary(doc: Leaflet, spoken: bool, pictures: bool = False) -> str:
    name = doc.locale.english_name
    said = (
        f"The whole text is read aloud by a synthetic {name} voice, and each sentence is highlighted as it is read."
        if spoken
        else f"There is no synthetic voice for {name}, so this book is text only: it has no read-aloud audio."
    )
    review = (
        " This translation has not yet been checked by a clinician; the book says so at the start, in text and audio."
        if doc.review.unchecked
        else ""
    )
    return (
        "A patient information leaflet with headings for every section, a table of contents and one logical "
        "reading order. Text size, font, spacing and colours can be changed in the reading system. "
        + ("Every picture has a text description, which is also read aloud. " if pictures and spoken else "")
        + ("Every picture has a text description. " if pictures and not spoken else "")
        + ("It has no images. " if not pictures else "")
        + f"{said}{review}"
    )


def _zip(items: dict[str, bytes]) -> bytes:
    """mimetype first and stored (the EPUB signature), then everything else, compressed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("mimetype", ZIP_DATE)
        z.writestr(info, b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in [("META-INF/container.xml", CONTAINER), *sorted(items.items())]:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()
