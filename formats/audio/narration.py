"""One leaflet read aloud, once: the audio and exactly when each segment is heard in it.

Every audio product (the MP3 or WAV, the WebVTT transcript, the EPUB read-along) is made from
one `Narration`, so their timings agree to the sample and a leaflet x locale is synthesised
once per worker however many of them a build asks for: `narrate` keeps the last few
narrations, keyed by everything their bytes depend on (the document, the rate, the voices and
the installed speech data), and nothing else.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from leaflets.errors import InstallationError, LeafletError
from leaflets.model import Leaflet, Segment

from . import RATE_RANGE
from . import mp3 as audio_mp3
from . import pcm as audio_pcm
from .engine import engine
from .render import TAIL, Part, Speaker, Spoken, script, synthesise
from .voices import voice_for

CHAPTER_LEAD = 0.3  # a chapter starts this long before its heading is heard
CACHED = 2  # narrations kept per process: the MP3, transcript and EPUB of one document
TARGET_RMS = 0.1  # -20 dBFS speech level ...
CEILING = 0.89  # ... unless that would take a peak above -1 dBFS
SPEECH_DATA = "/usr/lib/*/espeak-ng-data"


@dataclass(frozen=True)
class Clip:
    """One stretch of speech in the final audio, from its first to its last sample."""

    segment: Segment | None  # the document segment spoken; None for the recording's own announcements
    written: str  # the text as displayed ("1. " + the item's text)
    speech: str  # what the voices were given
    voice: str  # espeak-ng voice of the segment's language
    start: float  # seconds in the final audio
    end: float
    chapter: str = ""  # title of the chapter this clip opens, or ""
    level: int = 0  # 1: a section (or the title) chapter, 2: a ### subchapter, 0: no chapter
    runs: tuple[tuple[str, str], ...] = ()  # (speech, voice) of each run: another script, another voice


@dataclass(frozen=True)
class Narration:
    sample_rate: int
    duration: float  # seconds of the final audio (the MP3's, as players report it)
    mp3: bytes  # exactly what the audio writer writes
    clips: tuple[Clip, ...]  # in reading order
    pcm: bytes = field(repr=False, default=b"")  # the final 16-bit mono samples (for WAV)

    def wav(self) -> bytes:
        return audio_pcm.wav(self.pcm, self.sample_rate)

    @property
    def chapters(self) -> tuple[Clip, ...]:
        return tuple(c for c in self.clips if c.chapter)


def narrate(doc: Leaflet, options: object) -> Narration:
    """The leaflet read aloud at options.rate words per minute (LeafletError if it cannot be)."""
    voice = voice_for(doc.locale.code)
    if voice is None:
        raise LeafletError(
            f"audio ({doc.locale.code}): there is no speech voice for {doc.locale.english_name}",
            fix="offer this language in large print or Word; audio needs an espeak-ng voice",
        )
    wpm = int(getattr(options, "rate", 150))
    if not RATE_RANGE[0] <= wpm <= RATE_RANGE[1]:
        raise LeafletError(
            f"audio: speech rate {wpm} words per minute is out of range",
            fix=f"choose a rate from {RATE_RANGE[0]} to {RATE_RANGE[1]} (130-160 is usual)",
        )
    return _narrate(doc, wpm, speech_data())


def speech_data() -> tuple[tuple[str, int, int], ...]:
    """The installed espeak-ng data (phonemes, dictionaries, voices) by name, size and time: a
    change gives new narrations."""
    out = []
    for directory in sorted(glob.glob(SPEECH_DATA)):
        for name in sorted(os.listdir(directory)):
            path = Path(directory, name)
            if path.is_file():
                st = path.stat()
                out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=CACHED)
def _narrate(doc: Leaflet, wpm: int, data: tuple[tuple[str, int, int], ...]) -> Narration:
    if not data:
        raise InstallationError(
            "audio: espeak-ng's speech data is not installed", fix="run `make debs` (Debian package espeak-ng-data)"
        )
    parts = script(doc)
    at = next(i for i, p in enumerate(parts) if p.length)
    rest = parts[:at] + parts[at + 1 :]
    with engine() as eng:
        rate = eng.sample_rate
        spoken = synthesise(eng, doc, rest, wpm)
        spoken.insert(at, _length_announcement(eng, doc, parts[at], spoken, wpm))
    pieces, clips = _timeline(spoken, rate)
    level = sum((audio_pcm.level(s.pcm) for s in spoken), audio_pcm.Level())
    gain = min(TARGET_RMS / max(level.rms, 1e-6), CEILING / max(level.peak, 1 / 128))
    final = audio_pcm.scale(b"".join(pieces), gain)
    try:
        mp3 = audio_mp3.encode([final], rate)
        duration = audio_mp3.frames_ms(mp3, rate) / 1000
    except audio_mp3.EncodeError as exc:
        raise InstallationError(f"audio ({doc.locale.code}): {exc}", fix="run `make debs` to install lame") from None
    tags = audio_mp3.Tags(
        title=doc.title.text,
        organisation=doc.meta.organisation,
        language=voice_for(doc.locale.code).iso639_2,  # type: ignore[union-attr]
        comment=f"{doc.meta.id}; reviewed {doc.meta.reviewed}; next review due {doc.meta.next_review}",
        chapters=_chapters(clips, duration),
    )
    return Narration(rate, duration, audio_mp3.tag(mp3, tags), tuple(clips), final)


def _length_announcement(eng: Speaker, doc: Leaflet, part: Part, spoken: list[Spoken], wpm: int) -> Spoken:
    """ "This recording lasts about N minutes", N counting this announcement itself.

    Spoken with the minutes of the rest, and again if including it changes the rounding.
    """
    rate = eng.sample_rate
    rest = sum(len(s.pcm) // 2 + round(s.part.pause * rate) for s in spoken)
    rest += round((TAIL + part.pause) * rate)
    minutes = _minutes(rest / rate)
    for _ in range(3):
        (said,) = synthesise(eng, doc, [replace(part, segment=doc.label("audio_length", minutes=minutes))], wpm)
        heard = _minutes((rest + len(said.pcm) // 2) / rate)
        if heard == minutes:
            break
        minutes = heard
    return said


def _timeline(spoken: list[Spoken], rate: int) -> tuple[list[bytes], list[Clip]]:
    """The recording as PCM pieces (designed pauses and speech) and a clip for each part,
    placed by sample counts."""
    pieces: list[bytes] = []
    clips: list[Clip] = []
    position = 0  # in samples
    for s in spoken:
        pause = audio_pcm.silence(s.part.pause, rate)
        start = position + len(pause) // 2
        end = start + len(s.pcm) // 2
        part = s.part
        clips.append(
            Clip(
                segment=part.segment if part.shown else None,
                written=part.written,
                speech=s.speech,
                voice=_voice(part.segment),
                start=start / rate,
                end=end / rate,
                chapter=part.chapter,
                level=part.level,
                runs=tuple((r.text, r.voice.espeak) for r in s.runs),
            )
        )
        pieces += [pause, s.pcm]
        position = end
    pieces.append(audio_pcm.silence(TAIL, rate))
    return pieces, clips


def _voice(segment: Segment) -> str:
    voice = voice_for(segment.lang)
    return voice.espeak if voice else ""


def _chapters(clips: list[Clip], duration: float) -> tuple[audio_mp3.Chapter, ...]:
    """A chapter per section (level 1) and ### subsection (level 2), back to back: each starts
    CHAPTER_LEAD before its heading is heard (the first at 0) and ends where the next starts."""
    heads = [c for c in clips if c.chapter]
    starts = [0] + [round(max(0.0, c.start - CHAPTER_LEAD) * 1000) for c in heads[1:]]
    ends = [*starts[1:], round(duration * 1000)]
    return tuple(
        audio_mp3.Chapter(c.chapter, start, end, c.level) for c, start, end in zip(heads, starts, ends, strict=True)
    )


def _minutes(seconds: float) -> int:
    return max(1, int(seconds / 60 + 0.5))
