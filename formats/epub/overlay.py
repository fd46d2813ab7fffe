"""The Media Overlay: one SMIL document pairing each spoken segment's text with its clip.

Clip times come from the synthesis itself (the narration's sample counts), not from aligning
audio to text afterwards: each `par` plays exactly the stretch in which that segment is heard.
Spoken text that is not in the document (the length announcement, "a list of 5 items") has no
element to highlight and is left out, so a reading system moves from one sentence to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from lxml import etree
from lxml.builder import ElementMaker

from leaflets.errors import LeafletError
from leaflets.model import Segment
from leaflets.words import excerpt

from .xhtml import CONTENT, OPS

SMIL_NS = "http://www.w3.org/ns/SMIL"
SMIL = "leaflet.smil"
AUDIO = "audio/leaflet.mp3"

S = ElementMaker(namespace=SMIL_NS, nsmap={None: SMIL_NS, "epub": OPS})


class Heard(Protocol):
    """What the overlay needs of a narration clip (formats.audio.narration.Clip)."""

    @property
    def segment(self) -> Segment | None: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


@dataclass(frozen=True)
class Par:
    ident: str  # the text element's id in the content document
    begin: float  # seconds
    end: float


def pars(spoken: Sequence[tuple[Segment, str]], clips: Sequence[Heard]) -> list[Par]:
    """Match the narration's clips to the content document's spoken elements, both in reading
    order. Every element must be heard, once, in order: otherwise the read-along would skip or
    highlight the wrong sentence, so that is an error, never a silent gap."""
    out: list[Par] = []
    heard = [c for c in clips if c.segment is not None]
    if len(heard) != len(spoken):
        raise LeafletError(
            f"epub: the narration reads {len(heard)} passages but the text has {len(spoken)}",
            fix="the audio script and the EPUB must walk the leaflet alike: update formats/audio or formats/epub",
        )
    for (seg, ident), clip in zip(spoken, heard, strict=True):
        if clip.segment != seg:
            said = clip.segment.text if clip.segment else ""
            raise LeafletError(
                f"epub: the narration reads {excerpt(said)!r} where the text has {excerpt(seg.text)!r}",
                fix="the audio script and the EPUB must walk the leaflet in the same order",
            )
        begin, end = clip.start, clip.end
        if (out and begin < out[-1].end - 1e-6) or end <= begin:
            raise LeafletError(f"epub: clip for {excerpt(seg.text)!r} overlaps or is empty", fix="report it")
        out.append(Par(ident, begin, end))
    return out


def clock(seconds: float) -> str:
    """A SMIL clock value with millisecond precision, e.g. "12.345s"."""
    return f"{seconds:.3f}s"


def duration(seconds: float) -> str:
    """An EPUB media:duration value: "h:mm:ss.fff"."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def total(parts: Sequence[Par]) -> float:
    """The overlay's duration: the sum of its clips (rounded to the millisecond as written)."""
    return sum(round(p.end, 3) - round(p.begin, 3) for p in parts)


def smil(parts: Sequence[Par]) -> bytes:
    seq = S.seq(id="seq1")
    seq.set(f"{{{OPS}}}textref", CONTENT)
    for n, p in enumerate(parts, start=1):
        seq.append(
            S.par(
                S.text(src=f"{CONTENT}#{p.ident}"),
                S.audio(src=AUDIO, clipBegin=clock(p.begin), clipEnd=clock(p.end)),
                id=f"par{n}",
            )
        )
    root = S.smil(S.body(seq), version="3.0")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="utf-8") + b"\n"
