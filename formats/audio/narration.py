"""One leaflet read aloud, once: the audio and exactly when each segment is heard in it.

Every audio product (the MP3 or WAV, the WebVTT transcript, the EPUB read-along) is made from
one `Narration`, so their timings agree to the sample and a leaflet x locale is narrated once
per build task however many of them the task makes: the narration is a product the task shares
(`contract.shared`), keyed by everything its bytes depend on (the document, the rate, the
voices and the installed speech data), and gone when the task ends. Across builds, what is
reused is kept by content (`speechcache`, `mp3join`), never a narration as a whole.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import struct
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from leaflets.errors import InstallationError, LeafletError
from leaflets.model import Leaflet, Segment

from ..contract import Options, shared, stamp
from . import loudness, mp3join, speechcache
from . import mp3 as audio_mp3
from . import pcm as audio_pcm
from .engine import engine
from .render import TAIL, Part, Speaker, Spoken, script, synthesise
from .store import Store, code_of, opened
from .voices import RATE_RANGE, check_installed, data_files, voice_for

CHAPTER_LEAD = 0.3  # a chapter starts this long before its heading is heard


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
    pcm: bytes = field(repr=False, default=b"")  # 16-bit mono samples as the MP3 plays them, limited, before `gains`
    gains: tuple[tuple[int, float], ...] = ()  # (first sample, gain) of each chapter: lame applies the gain

    def wav(self) -> bytes:
        """The same recording as a WAV file."""
        samples = np.frombuffer(self.pcm, "<i2").astype(np.float32)
        ends = [start for start, _ in self.gains[1:]] + [len(samples)]
        for (start, gain), end in zip(self.gains, ends, strict=True):
            samples[start:end] *= loudness.uncoded(gain)
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
    data = speech_data(doc)
    return _bound(shared("narration", (doc, wpm, data), lambda: _narrate(doc, wpm, data)), doc)


def _bound(narration: Narration, doc: Leaflet) -> Narration:
    """The narration with each clip's segment the caller's own object: a shared narration was
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


def _narrate(doc: Leaflet, wpm: int, data: tuple[tuple[object, ...], ...]) -> Narration:
    parts = script(doc)
    at = next(i for i, p in enumerate(parts) if p.length)
    rest = parts[:at] + parts[at + 1 :]
    with engine() as eng, speechcache.speaker(eng) as speaker:
        rate = speaker.sample_rate
        spoken = synthesise(speaker, doc, rest, wpm)
        spoken.insert(at, _length_announcement(speaker, doc, parts[at], spoken, wpm))
    pieces, starts = _timeline(spoken, rate)
    samples = np.frombuffer(b"".join(pieces), "<i2")
    cuts = _cuts(spoken, starts, len(samples), rate)
    with opened("levels") as store:
        levels = [_levelled(store, samples, a, b, spoken, starts, rate) for a, b in itertools.pairwise(cuts)]
    try:
        joined = mp3join.encode_chapters([(level.samples.tobytes(), level.gain) for level in levels], rate)
        duration = audio_mp3.frames_ms(joined.mp3, rate) / 1000
    except audio_mp3.EncodeError as exc:
        raise InstallationError(f"audio ({doc.locale.code}): {exc}", fix="run `make debs` to install lame") from exc
    heard, moved = _as_heard([level.samples for level in levels], cuts, joined.starts)
    clips = _clips(spoken, [start + moved(start) for start in starts], rate)
    voice = voice_for(doc.locale.code)
    assert voice is not None  # narrate() refuses a locale without one
    tags = audio_mp3.Tags(
        title=doc.title.text,
        organisation=doc.meta.organisation,
        language=voice.iso639_2,
        comment=f"{doc.meta.code}; reviewed {doc.meta.reviewed}; next review due {doc.meta.next_review}",
        chapters=_chapters(clips, duration),
    )
    gains = tuple(zip(joined.starts, (level.gain for level in levels), strict=True))
    return Narration(rate, duration, audio_mp3.tag(joined.mp3, tags), tuple(clips), heard, gains)


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


def _timeline(spoken: list[Spoken], rate: int) -> tuple[list[bytes], list[int]]:
    """The recording as PCM pieces (designed pauses and speech) and the sample each part's
    speech starts at."""
    pieces: list[bytes] = []
    starts: list[int] = []
    position = 0  # in samples
    for s in spoken:
        pause = audio_pcm.silence(s.part.pause, rate)
        starts.append(position + len(pause) // 2)
        pieces += [pause, s.pcm]
        position = starts[-1] + len(s.pcm) // 2
    pieces.append(audio_pcm.silence(TAIL, rate))
    return pieces, starts


def _cuts(spoken: list[Spoken], starts: list[int], length: int, rate: int) -> list[int]:
    """Where the recording is cut into chapters, each encoded on its own: before the pause that
    opens each chapter after the first (in silence, where a join cannot be heard), and its ends."""
    inner = [start - round(s.part.pause * rate) for s, start in zip(spoken, starts, strict=True) if s.part.chapter]
    return [0, *(cut for cut in inner[1:] if cut > 0), length]


def _levelled(
    store: Store | None, samples: np.ndarray, a: int, b: int, spoken: list[Spoken], starts: list[int], rate: int
) -> loudness.Levelled:
    """The chapter from sample a to b brought to the target loudness on its own (as audiobook
    chapters are), so its audio depends on its own words alone and an edit elsewhere leaves it
    byte for byte as it was. Kept (the writers' `levels` folder) by its samples, where its parts
    start (each is K-weighted from rest) and the code that levels it (loudness.py and this file):
    the gain and the samples the limiter changed (about a tenth of the chapter's bytes)."""
    inside = [(start - a, s) for start, s in zip(starts, spoken, strict=True) if a <= start < b]
    raw = samples[a:b]
    made_of = repr((code_of(loudness.__file__, __file__), rate, [(at, len(s.pcm)) for at, s in inside])).encode()
    key = hashlib.blake2b(made_of + raw.tobytes(), digest_size=20).hexdigest()
    kept = store.get(key) if store else None
    if kept is not None:
        (gain, count), rest = struct.unpack("<dq", kept[:16]), kept[16:]
        limited = raw.copy()
        limited[np.frombuffer(rest[: 4 * count], "<i4")] = np.frombuffer(rest[4 * count :], "<i2")
        return loudness.Levelled(limited, gain)
    weighed = [(at, loudness.energy(s.pcm, rate)) for at, s in inside]
    level = loudness.normalise(raw, loudness.integrated(weighed, b - a, rate) if weighed else -np.inf, rate)
    if store:
        changed = np.flatnonzero(level.samples != raw).astype("<i4")
        record = struct.pack("<dq", level.gain, len(changed)) + changed.tobytes()
        store.put(key, record + level.samples[changed].astype("<i2").tobytes())
    return level


def _as_heard(
    chapters: list[np.ndarray], cuts: list[int], placed: tuple[int, ...]
) -> tuple[bytes, Callable[[int], int]]:
    """The chapters' samples as a player plays the joined MP3, where chapter k starts at
    `placed[k]` (each join adds the encoder's delay and padding, a few hundredths of a second, to
    the pause there), and how far a sample of the recording moves."""
    out: list[bytes] = []
    at = 0
    for k, chapter in enumerate(chapters):
        if placed[k] < at:
            raise audio_mp3.EncodeError(f"chapter {k + 1} of the MP3 starts before the one before it ends")
        out += [bytes(2 * (placed[k] - at)), chapter.tobytes()]
        at = placed[k] + len(chapter)

    def moved(sample: int) -> int:
        k = bisect.bisect_right(cuts, sample) - 1
        return placed[min(k, len(placed) - 1)] - cuts[min(k, len(placed) - 1)]

    return b"".join(out), moved


def _clips(spoken: list[Spoken], starts: list[int], rate: int) -> list[Clip]:
    """A clip for each part, placed by the sample its speech starts at."""
    return [
        Clip(
            segment=s.part.segment if s.part.shown else None,
            written=s.part.written,
            speech=s.speech,
            voice=_voice(s.part.segment),
            start=start / rate,
            end=(start + len(s.pcm) // 2) / rate,
            chapter=s.part.chapter,
            level=s.part.level,
            runs=tuple((r.text, r.voice.espeak) for r in s.runs),
        )
        for s, start in zip(spoken, starts, strict=True)
    ]


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
