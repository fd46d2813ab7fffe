"""Picture files of a leaflet: where they may live, what they may be, and what their alt text must say.

A picture is `![alt](images/<file> "caption")` in the source, with the file in `source/images/`
(or a per-language replacement in `locales/<lang>/images/`, for pictures that hold words). Every
file is checked before any writer sees it: PNG, JPEG or SVG by its bytes (not its name), at most
10 MB, never a symlink, an SVG with no script, event attribute or external reference (a reader's
app could run or fetch them). Pillow reads PNG and JPEG sizes; lxml parses SVG without entities or
network access.
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import LeafletError

FOLDER = "images"
MAX_BYTES = 10 * 1024 * 1024
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
_NAME = re.compile(r"^images/([A-Za-z0-9][A-Za-z0-9._-]*)$")
_REFERENCE = re.compile(rb"\]\(\s*<?images/([A-Za-z0-9][A-Za-z0-9._-]*)")

# Alt text that says nothing about what the picture shows.
_EMPTY_WORDS = {
    "image",
    "picture",
    "photo",
    "photograph",
    "img",
    "figure",
    "graphic",
    "illustration",
    "diagram",
    "icon",
    "logo",
    "screenshot",
    "alt",
    "alt text",
    "an image",
    "a picture",
    "a photo",
    "image of",
    "picture of",
    "photo of",
}
_FILE_LIKE = re.compile(
    r"^(?:[\w.-]+\.(?:png|jpe?g|gif|svg|bmp|tiff?|webp|emf|wmf)|(?:img|dsc|dscn|pxl|image|picture|photo)[ _-]?\d+|[\w]+[_-][\w_-]*\d[\w_-]*)$",
    re.I,
)


class PictureError(LeafletError):
    """A picture that cannot be used (missing, too big, not PNG/JPEG/SVG, an unsafe SVG)."""


@dataclass(frozen=True)
class Loaded:
    data: bytes
    media_type: str
    width: int
    height: int


def file_name(src: str) -> str | None:
    """The file name of an `images/<file>` reference, or None if the reference is anything else."""
    m = _NAME.match(src)
    return m.group(1) if m and Path(m.group(1)).suffix.lower() in TYPES else None


def referenced(source: bytes) -> list[str]:
    """The picture file names a source text refers to (cheap, no parsing: for planning a build)."""
    return sorted({m.decode("ascii") for m in _REFERENCE.findall(source)})


def paths(root: Path, names: list[str], code: str) -> list[str]:
    """The picture files (relative to the project root) a leaflet's build in one locale reads: each
    picture the source names (`referenced`), in source/images/ and, for a translation, in
    locales/<code>/images/ if the language has its own."""
    found = [f"source/{FOLDER}/{n}" for n in names]
    if code != "en":
        found += [
            f"locales/{code}/{FOLDER}/{n}" for n in names if os.path.lexists(Path(root, "locales", code, FOLDER, n))
        ]
    return found


def files(root: Path, source: bytes, code: str) -> tuple[tuple[str, bytes], ...]:
    """Those files' bytes, for a build task that runs elsewhere. Only plain files: a symlink or a
    missing file is left out (the reader then refuses the picture), and at most MAX_BYTES + 1 bytes
    are read of a file (enough for the reader to refuse it as too big)."""
    out = []
    for relative in paths(root, referenced(source), code):
        path = Path(root, relative)
        try:
            if os.path.islink(path.parent) or not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as f:
                out.append((relative, f.read(MAX_BYTES + 1)))
        except OSError:
            continue
    return tuple(out)


def alt_problem(alt: str, name: str) -> str:
    """Why some alt text does not say what a picture shows, or ""."""
    words = re.sub(r"[\s.:;,!]+", " ", alt).strip().casefold()
    if not words:
        return "has no alt text"
    stem = re.sub(r"[_\s-]+", " ", Path(name).stem).casefold()
    if words in _EMPTY_WORDS:
        return f"alt text {alt!r} does not say what the picture shows"
    if _FILE_LIKE.match(alt.strip()) or words == stem:
        return f"alt text {alt!r} looks like a file name"
    return ""


def load(folder: Path, name: str) -> Loaded:
    """Read and check one picture file `folder/name`; PictureError says what is wrong and how to fix it."""
    path = Path(folder) / name
    if os.path.islink(folder):
        raise PictureError(
            f"{folder} is a link to another folder", fix="make it a folder of its own, with the pictures in it"
        )
    try:
        st = os.lstat(path)
    except FileNotFoundError as exc:
        raise PictureError(f"picture file {path} is missing", fix=f"put the picture in {folder}/") from exc
    except OSError as exc:
        raise PictureError(f"picture file {path} cannot be read: {exc.strerror}", fix="check its permissions") from exc
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise PictureError(f"picture file {path} is not a plain file", fix="copy the picture itself there, not a link")
    if st.st_size > MAX_BYTES:
        raise PictureError(
            f"picture file {path} is {st.st_size / 1024 / 1024:.1f} MB, over the 10 MB limit",
            fix="save it smaller (a leaflet picture needs at most 2000 pixels across)",
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PictureError(f"picture file {path} cannot be read: {exc.strerror}", fix="check its permissions") from exc
    media_type = TYPES[Path(name).suffix.lower()]
    sniffed = sniff(data)
    if sniffed != media_type:
        what = {"image/png": "PNG", "image/jpeg": "JPEG", "image/svg+xml": "SVG"}.get(sniffed or "", "")
        raise PictureError(
            f"picture file {path} is not a {Path(name).suffix[1:].upper()} file"
            + (f" (it is {what})" if what else " (nor PNG, JPEG or SVG)"),
            fix="save it as PNG, JPEG or SVG with the matching file name ending",
        )
    if media_type == "image/svg+xml":
        width, height = _svg(data, path)
    else:
        width, height = _raster(data, path)
    return Loaded(data, media_type, width, height)


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None


def _raster(data: bytes, path: Path) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            size = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PictureError(f"picture file {path} is damaged: {exc}", fix="export the picture again") from exc
    if Image.MAX_IMAGE_PIXELS and size[0] * size[1] > Image.MAX_IMAGE_PIXELS:
        raise PictureError(f"picture file {path} is {size[0]}x{size[1]} pixels", fix="save it smaller")
    return size


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.I)


def _svg(data: bytes, path: Path) -> tuple[int, int]:
    """Parse an SVG safely and refuse anything a viewer would run or fetch."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PictureError(f"picture file {path} is not well-formed SVG: {exc}", fix="export it again") from exc
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        raise PictureError(f"picture file {path} declares entities", fix="export it again as plain SVG")
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise PictureError(f"picture file {path} is not SVG (its root is {root.tag})", fix="export it as SVG")

    def unsafe(what: str) -> PictureError:
        return PictureError(f"picture file {path}: SVG with {what}", fix="remove it (or export the picture as PNG)")

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in ("script", "foreignObject", "iframe", "embed", "object"):
            raise unsafe(f"<{local}> (line {el.sourceline})")
        for attr, value in el.attrib.items():
            name = etree.QName(attr).localname
            if name.lower().startswith("on"):
                raise unsafe(f"an event attribute {name} (line {el.sourceline})")
            if attr in ("href", _XLINK) and not value.strip().startswith(("#", "data:image/")):
                raise unsafe(f"an external reference {value!r} (line {el.sourceline})")
            for url in _URL.findall(value):
                if url and not url.startswith("#"):
                    raise unsafe(f"an external reference {url!r} (line {el.sourceline})")
        if local == "style" and any(u and not u.startswith("#") for u in _URL.findall(el.text or "")):
            raise unsafe(f"an external reference in <style> (line {el.sourceline})")
        if local == "style" and "@import" in (el.text or ""):
            raise unsafe(f"@import in <style> (line {el.sourceline})")
    return _svg_size(root)


def _svg_size(root) -> tuple[int, int]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4:
            return max(1, round(float(box[2]))), max(1, round(float(box[3])))
        return (
            max(1, round(float(re.sub(r"(px)?$", "", root.get("width", "300"))))),
            max(1, round(float(re.sub(r"(px)?$", "", root.get("height", "150"))))),
        )
    except ValueError:
        return 300, 150


RASTER_PACKAGE = "librsvg2-bin"


def raster(data: bytes, width: int) -> bytes:
    """An SVG as a PNG `width` pixels wide (for the large print and Word, which cannot draw SVG), by
    librsvg's rsvg-convert: the picture was checked when read, so it has no scripts or references
    to fetch; it is read from standard input, so no file beside it is either."""
    import subprocess

    from .errors import InstallationError

    try:
        done = subprocess.run(
            ["rsvg-convert", "--format", "png", "--width", str(width), "--keep-aspect-ratio"],
            input=data,
            capture_output=True,
            timeout=60,
        )
    except FileNotFoundError as exc:
        raise InstallationError(
            "rsvg-convert is not installed: SVG pictures cannot be drawn",
            fix=f"run `make debs` (Debian package {RASTER_PACKAGE})",
        ) from exc
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise PictureError(
            f"an SVG picture cannot be drawn: {why[0] if why else 'rsvg-convert failed'}",
            fix="open it in an SVG editor and save it again, or use a PNG",
        )
    return done.stdout
