"""Pictures of an imported leaflet: into source/images/, named after the leaflet, one file per content.

The source holds PNG, JPEG and SVG. GIF, BMP and TIFF become PNG (Pillow); Word's EMF and WMF
drawings become PNG through LibreOffice Draw, all of one document in one run, cut to what is
drawn (Draw exports the page); a picture that cannot
be converted refuses the document with its name. A picture whose content is already in
source/images/ (a trust's logo, a diagram shared by leaflets) reuses that file.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .documents import BadDocument
from .markdown import Picture
from .report import Report, quote

KEEP = {"png": ".png", "jpeg": ".jpg", "svg": ".svg"}
BITMAPS = ("gif", "bmp", "tiff", "webp")  # converted to PNG with Pillow
DRAWINGS = ("emf", "wmf")  # converted to PNG with LibreOffice
MAX_BYTES = 10 * 1024 * 1024  # what the reader accepts for one picture
SOFFICE_TIMEOUT = 180
TRIM_MARGIN = 8  # pixels kept around a converted drawing
NO_ALT = "A picture the imported document did not describe (the author must describe it)"
_WORD_ALT = re.compile(
    r"\s*(?:\n|\s)*description automatically generated(?: with (?:low|medium|high) confidence)?\.?\s*$", re.I
)
_FILE_LIKE = re.compile(
    r"^(?:image|picture|img|photo|figure|graphic|chart)?[\s_-]*\d*(?:\.\w{2,4})?$|^[\w-]+\.(?:png|jpe?g|gif|bmp|emf|wmf|svg|tiff?)$",
    re.I,
)


def sniff(data: bytes) -> str:
    """The picture format, from its first bytes (names and pandoc's extensions are not to be trusted)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"GIF8"):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[40:44] == b" EMF":
        return "emf"
    if data.startswith(b"\xd7\xcd\xc6\x9a") or data[:4] in (b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"):
        return "wmf"
    if b"<svg" in data[:4096]:
        return "svg"
    return "unknown"


def _trimmed(png: bytes) -> bytes | None:
    """A drawing LibreOffice exported as a whole page, cut to what is drawn on it (plus a margin);
    None when nothing is drawn (LibreOffice exports a blank page for a drawing it cannot read)."""
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(png))
    rgb = image.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, (255, 255, 255))).getbbox()
    if box is None:
        return None
    margin = TRIM_MARGIN
    box = (
        max(0, box[0] - margin),
        max(0, box[1] - margin),
        min(rgb.width, box[2] + margin),
        min(rgb.height, box[3] + margin),
    )
    out = io.BytesIO()
    image.crop(box).save(out, "PNG")
    return out.getvalue()


def content_index(images: Path) -> dict[str, str]:
    """sha256 -> file name of every picture already in source/images/ (links are not followed)."""
    out: dict[str, str] = {}
    if images.is_dir() and not images.is_symlink():
        for path in sorted(images.iterdir()):
            if path.is_file() and not path.is_symlink():
                out.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
    return out


class Pictures:
    """The writer's picture callback for one document: files are staged in `stage`, not yet in source/."""

    def __init__(self, stem: str, stage: Path, known: dict[str, str], document: Path, media: Path, report: Report):
        self.stem, self.stage, self.known = stem, stage, known
        self.document, self.media, self.report = document, media, report
        self.new: dict[str, bytes] = {}  # file name -> bytes, written when the leaflet is
        self.converted: dict[Path, bytes] = {}
        self.count = 0

    def convert_drawings(self) -> None:
        """Every EMF/WMF picture pandoc extracted, as PNG, in one LibreOffice run (it is slow to start)."""
        drawings = {
            p: kind
            for p in sorted(self.media.rglob("*"))
            if p.is_file() and (kind := sniff(p.read_bytes()[:64])) in DRAWINGS
        }
        if not drawings:
            return
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise BadDocument(
                f"holds {len(drawings)} EMF/WMF drawing(s) and LibreOffice is not installed to convert them",
                self.document,
                fix="apt-get install libreoffice-draw-nogui, or save the pictures as PNG in Word",
            )
        with tempfile.TemporaryDirectory(prefix="import-soffice-") as tmp:
            inputs = Path(tmp) / "in"
            inputs.mkdir()
            named = {}  # LibreOffice goes by the name's extension: each drawing under its real one
            for n, (drawing, kind) in enumerate(drawings.items()):
                named[drawing] = inputs / f"drawing{n}.{kind}"
                shutil.copyfile(drawing, named[drawing])
            out = Path(tmp) / "out"
            command = [soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless"]
            try:
                subprocess.run(
                    [*command, "--convert-to", "png", "--outdir", str(out), *map(str, named.values())],
                    capture_output=True,
                    timeout=SOFFICE_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise BadDocument("LibreOffice did not convert its EMF/WMF drawings in time", self.document) from exc
            for drawing, copy in named.items():
                png = out / (copy.stem + ".png")
                trimmed = (
                    _trimmed(png.read_bytes()) if png.is_file() and sniff(png.read_bytes()[:16]) == "png" else None
                )
                if trimmed is None:
                    raise BadDocument(
                        f"its drawing {drawing.name} ({drawings[drawing].upper()}) could not be converted to PNG",
                        self.document,
                        fix="in Word: right-click the picture, Save as Picture... PNG, and insert that instead",
                    )
                self.converted[drawing.resolve()] = trimmed
                self.report.check(
                    f"the drawing {drawing.name} ({drawings[drawing].upper()}) was converted to PNG: check it looks right"
                )

    def __call__(self, picture: Picture) -> str | None:
        self.count += 1
        picture.alt = self._alt(picture)
        data = self._bytes(picture.src)
        if data is None:
            self.report.check(
                f"picture {self.count} ({quote(picture.src)}) could not be read: its alt text was kept as text"
            )
            return None
        kind = sniff(data)
        if kind in BITMAPS:
            from PIL import Image

            out = io.BytesIO()
            Image.open(io.BytesIO(data)).save(out, "PNG")
            data, kind = out.getvalue(), "png"
        if kind not in KEEP:
            raise BadDocument(
                f"its picture {Path(picture.src).name} is in a format the source cannot hold ({kind})",
                self.document,
                fix="save the picture as PNG or JPEG and insert that instead",
            )
        if len(data) > MAX_BYTES:
            self.report.check(f"picture {self.count} is over {MAX_BYTES // 2**20} MB: make it smaller")
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.known:
            name = self.known[digest]
        else:
            n = len(self.new) + 1
            while (name := f"{self.stem}-{n}{KEEP[kind]}") in self.known.values():
                n += 1
            self.known[digest] = name
            self.new[name] = data
        (self.stage / name).write_bytes(data)  # the staged copy the reader checks
        return f"images/{name}"

    def _alt(self, picture: Picture) -> str:
        alt = picture.alt
        if _WORD_ALT.search(alt):
            alt = _WORD_ALT.sub("", alt).strip()
            self.report.check(f"picture {self.count}'s alt text was written by Word's guesser: {quote(alt)}: check it")
        if not alt or _FILE_LIKE.match(alt):
            self.report.check(
                f"picture {self.count} has no alt text{' (only ' + quote(alt) + ')' if alt else ''}: "
                "describe what it shows (in Word: right-click > Edit Alt Text)"
            )
            return picture.caption or NO_ALT
        return alt

    def _bytes(self, src: str) -> bytes | None:
        """A picture's bytes: extracted by pandoc, or beside an HTML page (never outside its folder)."""
        path = Path(src)
        if not path.is_absolute():
            if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
                return None  # a web address: nothing is downloaded
            path = self.document.parent / src
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        inside = any(real.is_relative_to(base.resolve()) for base in (self.media, self.document.parent))
        if not inside or path.is_symlink() or not real.is_file():
            return None
        return self.converted.get(real) or real.read_bytes()
