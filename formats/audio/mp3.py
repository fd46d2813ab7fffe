"""PCM -> MP3 with the lame CLI, then ID3v2.3 tags with chapters (CTOC + CHAP) by mutagen.

lame reads and writes files in a private temporary directory (removed afterwards) rather than
pipes: the input needs no joined copy of the PCM, and on a file lame can go back and
write its Info (LAME) header: with it, gapless players know the exact duration and ffprobe
the exact frame count, where the last chapter ends. lame leaves that header out below
56 kbit/s at 22 kHz, hence 64. The tags carry no timestamps, so identical input gives
identical bytes.

ID3v2.3, not v2.4: FFmpeg (so ffprobe and the players built on it) drops every v2.4 chapter
whose title sub-frame is over 127 bytes (it reads v2.4 sub-frame sizes as syncsafe), which in
Bengali, Nepali or Punjabi is a title of 40-odd letters; it reads v2.3 chapters of any length
(measured with ffprobe 5.1 on titles of 40-200 characters, UTF-16 and UTF-8), and v2.3 is what
most other players read best. Titles stay whole.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import CHAP, COMM, CTOC, ID3, TCON, TIT2, TLAN, TPE1, CTOCFlags
from mutagen.id3._tags import save_frame

BITRATE_KBPS = 64  # constant bit rate, mono: the usual rate for spoken word
LAME_TIMEOUT = 60.0  # seconds, plus 1 s per minute of audio
NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: times only
UTF16 = 1  # ID3v2.3 text encoding (v2.3 has no UTF-8)


class _InOrderID3(ID3):
    """mutagen sorts frames by size when saving, which scatters the CHAP frames; players that
    read chapters in file order (and ffprobe's listing) need them in time order, as added."""

    def _write(self, config):
        return b"".join(save_frame(frame, config=config) for frame in self.values())


class EncodeError(Exception):
    """lame is missing, failed or overran its timeout."""


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int
    level: int = 1  # 1: a section, 2: a subsection, nested under the section before it


@dataclass(frozen=True)
class Tags:
    title: str
    organisation: str
    language: str  # ISO 639-2
    comment: str
    chapters: tuple[Chapter, ...]


def lame_command(rate: int, gain: float = 1.0) -> list[str]:
    """The lame invocation for raw 16-bit little-endian mono PCM (shared with the benchmark)."""
    return [
        "lame",
        "--silent",
        "-r",
        "-s",
        f"{rate / 1000:g}",
        "--bitwidth",
        "16",
        "--signed",
        "--little-endian",
        "-m",
        "m",
        "-b",
        str(BITRATE_KBPS),
        "--noreplaygain",
        "--scale",
        f"{gain:.4f}",
    ]


def encode(pieces: Iterable[bytes], rate: int, gain: float = 1.0) -> bytes:
    """MP3 bytes of the PCM pieces played one after another, every sample times `gain`."""
    if shutil.which("lame") is None:
        raise EncodeError("the lame MP3 encoder is not installed (Debian package lame)")
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as tmp:
        raw, out = Path(tmp) / "speech.raw", Path(tmp) / "speech.mp3"
        with raw.open("wb") as f:
            f.writelines(pieces)
        timeout = LAME_TIMEOUT + raw.stat().st_size / 2 / rate / 60
        try:
            done = subprocess.run([*lame_command(rate, gain), str(raw), str(out)], capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise EncodeError(f"lame took longer than {timeout:.0f} s and was stopped") from None
        if done.returncode != 0 or not out.exists():
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise EncodeError(f"lame failed: {reason[0]}")
        return out.read_bytes()


def tag(mp3: bytes, tags: Tags) -> bytes:
    """The MP3 with an ID3v2.3 tag: title, organisation, language, comment and chapters, the
    subsections' chapters in a table of contents of their own under their section's."""
    id3 = _InOrderID3()
    id3.add(TIT2(encoding=UTF16, text=[tags.title]))
    id3.add(TPE1(encoding=UTF16, text=[tags.organisation]))
    id3.add(TLAN(encoding=UTF16, text=[tags.language]))
    id3.add(TCON(encoding=UTF16, text=["Speech"]))
    id3.add(COMM(encoding=UTF16, lang=tags.language, desc="", text=[tags.comment]))
    ids = [f"chp{n}" for n in range(len(tags.chapters))]
    top: list[str] = []  # the sections' chapters, in order
    nested: dict[str, list[str]] = {}  # a section with subsections -> its chapter and theirs
    for element_id, ch in zip(ids, tags.chapters, strict=True):
        if ch.level > 1 and top:
            nested.setdefault(top[-1], [top[-1]]).append(element_id)
        else:
            top.append(element_id)
    titles = dict(zip(ids, (ch.title for ch in tags.chapters), strict=True))
    entries = [f"toc-{e}" if e in nested else e for e in top]
    id3.add(_toc("toc", tags.title, entries, CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED))
    for section, children in nested.items():
        id3.add(_toc(f"toc-{section}", titles[section], children, CTOCFlags.ORDERED))
    for element_id, ch in zip(ids, tags.chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=ch.start_ms,
                end_time=ch.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=UTF16, text=[ch.title])],
            )
        )
    id3.update_to_v23()
    buf = io.BytesIO(mp3)
    id3.save(buf, v2_version=3, padding=lambda info: 0)
    return buf.getvalue()


def _toc(element_id: str, title: str, children: list[str], flags: int) -> CTOC:
    return CTOC(
        element_id=element_id, flags=flags, child_element_ids=children, sub_frames=[TIT2(encoding=UTF16, text=[title])]
    )


def frames_ms(mp3: bytes, rate: int) -> int:
    """Length of all MPEG frames (what ffprobe reports), from the Info header lame wrote."""
    at = max(mp3.find(b"Info", 0, 512), mp3.find(b"Xing", 0, 512))
    if at < 0:
        raise EncodeError("lame wrote no Info header, so the duration is unknown")
    flags, frames = struct.unpack(">II", mp3[at + 4 : at + 12])
    if not flags & 1:
        raise EncodeError("lame's Info header has no frame count")
    samples_per_frame = 1152 if rate > 24000 else 576  # MPEG-1 vs MPEG-2 layer III
    return round(frames * samples_per_frame / rate * 1000)
