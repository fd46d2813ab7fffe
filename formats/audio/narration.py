"""One leaflet read aloud, once: the audio and exactly when each segment is heard in it.

Every audio product (the MP3 or WAV, the WebVTT transcript, the EPUB read-along) is made from
one `Narration`, so their timings agree to the sample and a leaflet x locale is synthesised
once per worker however many of them a build asks for: `narrate` keeps the last few
narrations, keyed by everything their bytes depend on (the document, the rate, the voices and
the installed speech data), and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from leaflets.errors import InstallationError, LeafletError
from leaflets.model import Leaflet, Segment

from ..contract import Options, stamp
from . import loudness, speechcache
from . import mp3 as audio_mp3
from . import pcm as audio_pcm
from .engine import engine
from .render import TAIL, Part, Speaker, Spoken, script, synthesise
from .voices import RATE_RANGE, check_installed, data_files, voice_for

CHAPTER_LEAD = 0.3  # a chapter starts this long before its heading is heard
CACHED = 2  # narrations kept per process: the MP3, transcript and EPUB of one document


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
    pcm: bytes = field(repr=False, default=b"")  # 16-bit mono samples, limited, before `gain`
    gain: float = 1.0  # to the target loudness in the MP3 (lame applies it)

    def wav(self) -> bytes:
        """The same recording as a WAV file."""
        samples = np.frombuffer(self.pcm, "<i2") * loudness.uncoded(self.gain)
        return audio_pcm.wav(np.clip(np.rint(samples), -32768, 32767).astype("<i2").tobytes(), self.sample_rate)


def narrate(doc: Leaflet, options: Options) -> Narration:
    """The leaflet read aloud at options.rate words per minute (LeafletError if it cannot be)."""
    voice = voice_for(doc.locale.code)
    if voice is None:
        raise LeafletError(
            f"audio ({doc.locale.code}): there is no speech voice for {doc.locale.english_name}",
            fix="offer this language in large print or Word; audio needs an espeak-ng voice",
        )
    wpm = int(options.rate)
    if not RATE_RANGE[0] <= wpm <= RATE_RANGE[1]:
        raise LeafletError(
            f"audio: speech rate {wpm} words per minute is out of range",
            fix=f"choose a rate from {RATE_RANGE[0]} to {RATE_RANGE[1]} (130-160 is usual)",
        )
    return _bound(_narrate(doc, wpm, speech_data(doc)), doc)


def _bound(narration: Narration, doc: Leaflet) -> Narration:
    """The narration with each clip's segment the caller's own object: a cached narration was
    made from an equal document, perhaps not the same one, and a writer may look its segments up
    by identity."""
    own = iter([p.segment for p in script(doc) if p.shown])
    clips = tuple(c if c.segment is None else replace(c, segment=next(own)) for c in narration.clips)
    return replace(narration, clips=clips)


def speech_data(doc: Leaflet) -> tuple[tuple[object, ...], ...]:
    """The espeak-ng files every voice the document needs reads (its languages' and English, for
    Latin-script words), stamped by size and time: a change gives new narrations. A missing one
    is an InstallationError naming the Debian package."""
    voices = {v for v in (voice_for(seg.lang) for seg in doc.all_segments()) if v} | {voice_for("en")}
    files: list[Path] = []
    for voice in sorted((v for v in voices if v), key=lambda v: v.espeak):
        check_installed(voice)
        files += data_files(voice)
    return stamp(*sorted(set(files)))


@lru_cache(maxsize=CACHED)
def _narrate(doc: Leaflet, wpm: int, data: tuple[tuple[object, ...], ...]) -> Narration:
    parts = script(doc)
    at = next(i for i, p in enumerate(parts) if p.length)
    rest = parts[:at] + parts[at + 1 :]
    with engine() as eng, speechcache.speaker(eng) as speaker:
        rate = speaker.sample_rate
        spoken = synthesise(speaker, doc, rest, wpm)
        spoken.insert(at, _length_announcement(speaker, doc, parts[at], spoken, wpm))
    pieces, clips, starts = _timeline(spoken, rate)
    samples = np.frombuffer(b"".join(pieces), "<i2")
    weighed = [(start, s.energy) for start, s in zip(starts, spoken, strict=True)]
    level = loudness.normalise(samples, loudness.integrated(weighed, len(samples), rate), rate)
    try:
        mp3 = audio_mp3.encode([level.samples.tobytes()], rate, level.gain)
        duration = audio_mp3.frames_ms(mp3, rate) / 1000
    except audio_mp3.EncodeError as exc:
        raise InstallationError(f"audio ({doc.locale.code}): {exc}", fix="run `make debs` to install lame") from exc
    voice = voice_for(doc.locale.code)
    assert voice is not None  # narrate() refuses a locale without one
    tags = audio_mp3.Tags(
        title=doc.title.text,
        organisation=doc.meta.organisation,
        language=voice.iso639_2,
        comment=f"{doc.meta.code}; reviewed {doc.meta.reviewed}; next review due {doc.meta.next_review}",
        chapters=_chapters(clips, duration),
    )
    return Narration(rate, duration, audio_mp3.tag(mp3, tags), tuple(clips), level.samples.tobytes(), level.gain)


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


def _timeline(spoken: list[Spoken], rate: int) -> tuple[list[bytes], list[Clip], list[int]]:
    """The recording as PCM pieces (designed pauses and speech), a clip for each part placed by
    sample counts, and the sample each part starts at."""
    pieces: list[bytes] = []
    clips: list[Clip] = []
    starts: list[int] = []
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
        starts.append(start)
        position = end
    pieces.append(audio_pcm.silence(TAIL, rate))
    return pieces, clips, starts


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
