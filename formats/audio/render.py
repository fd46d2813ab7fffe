"""Spoken-audio writer: the leaflet read aloud by espeak-ng (through pyttsx3's binding) as MP3.

For patients who are blind, partially sighted or cannot read their language's script (UKAAF
MS01, NHS Accessible Information Standard). The recording opens with the title, the
organisation, its length and number of sections; each section is announced by its heading
after a pause; lists are announced with their length; the trust-wide footer is read last.
Every spoken segment is synthesised on its own, checked for sound of a plausible length,
trimmed, and joined with designed pauses, so the pauses are exact and no segment can go
missing silently. MP3 (mono, 64 kbit/s) carries ID3v2.4 tags with one chapter per section;
options.audio_container == "wav" gives a plain WAV instead.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, replace

from leaflets.errors import LeafletError
from leaflets.model import Heading, Leaflet, ListBlock, Notice, Paragraph, Segment
from leaflets.words import excerpt

from . import mp3 as audio_mp3
from . import pcm as audio_pcm
from .engine import SynthesisError, engine
from .speech import speech_text
from .voices import Voice, voice_for

CONTAINERS = ("mp3", "wav")
RATE_RANGE = (80, 450)  # words per minute espeak-ng accepts
ESPEAK_VOLUME = 60  # espeak's amplitude (default 100 clips): headroom for the gain below
TARGET_RMS = 0.1  # -20 dBFS speech level ...
CEILING = 0.89  # ... unless that would take a peak above -1 dBFS

# Designed pauses in seconds. SECTION is the longest silence the recording may contain.
LEAD_IN, INTRO, NOTICE, SECTION, SUBSECTION = 0.3, 0.5, 0.8, 1.6, 1.0
AFTER_HEADING, PARAGRAPH, ITEM, ENDING, TAIL = 0.7, 0.7, 0.5, 1.2, 0.5
CHAPTER_LEAD = 0.3  # a chapter starts this long before its heading is heard
PLAUSIBLE = (0.25, 4.0, 2.0)  # segment duration vs words at the rate: >= 0.25x, <= 4x + 2 s


@dataclass(frozen=True)
class Part:
    """One synthesised stretch: a segment, the pause before it, and the chapter it opens."""

    segment: Segment
    pause: float
    chapter: str = ""  # title of the chapter this part opens, if any
    prefix: str = ""  # e.g. the number of an ordered list item

    @property
    def written(self) -> str:
        return f"{self.prefix}{self.segment.text}"


def write(doc: Leaflet, options) -> bytes:
    container = _container(options)
    if voice_for(doc.locale.code) is None:
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
    length_part, *parts = script(doc)
    with engine() as eng:
        sample_rate = eng.sample_rate
        spoken = synthesise(eng, doc, parts, wpm)
        length = _length_announcement(eng, doc, length_part, spoken, wpm)
    spoken.insert(1, length)
    pieces, starts = _timeline(spoken, sample_rate)
    level = sum((s.level for s in spoken), audio_pcm.Level())
    gain = min(TARGET_RMS / max(level.rms, 1e-6), CEILING / max(level.peak, 1 / 128))
    if container == "wav":
        return audio_pcm.wav(audio_pcm.scale(b"".join(pieces), gain), sample_rate)
    try:
        mp3 = audio_mp3.encode(pieces, sample_rate, gain)
        ends = [ms for _, ms in starts[1:]] + [audio_mp3.frames_ms(mp3, sample_rate)]
    except audio_mp3.EncodeError as exc:
        raise LeafletError(f"audio ({doc.locale.code}): {exc}", fix="run `make debs` to install lame") from exc
    meta = doc.meta
    tags = audio_mp3.Tags(
        title=doc.title.text,
        organisation=meta.organisation,
        language=voice_for(doc.locale.code).iso639_2,
        comment=f"{meta.id}; reviewed {meta.reviewed}; next review due {meta.next_review}",
        chapters=tuple(audio_mp3.Chapter(title, start, end) for (title, start), end in zip(starts, ends)),
    )
    return audio_mp3.tag(mp3, tags)


def script(doc: Leaflet) -> list[Part]:
    """What is read, in order, except that the first part, the length announcement, is
    filled in once the rest is timed and then read second, after the title."""
    sections = sum(1 for b in doc.blocks + doc.footer if isinstance(b, Heading) and b.level == 2)
    intro = [
        Part(doc.label("audio_length", minutes=1), INTRO),
        Part(
            doc.label("audio_intro", title=doc.title.text, organisation=doc.meta.organisation),
            LEAD_IN,
            chapter=doc.title.text,
        ),
        Part(doc.label("audio_sections", sections=sections), INTRO),
    ]
    intro += [Part(seg, NOTICE) for seg in doc.notices]
    return intro + _blocks(doc, doc.blocks + doc.footer) + [Part(doc.label("audio_end"), ENDING)]


def _blocks(doc: Leaflet, blocks) -> list[Part]:
    parts: list[Part] = []
    after_heading = False
    for block in blocks:
        if isinstance(block, Heading):
            section = block.level <= 2
            new = [
                Part(block.content, SECTION if section else SUBSECTION, chapter=block.content.text if section else "")
            ]
        elif isinstance(block, Paragraph):
            new = [Part(block.content, PARAGRAPH)]
        elif isinstance(block, ListBlock):
            new = _list(doc, block)
        elif isinstance(block, Notice):  # announced, as print sets it off with a box
            new = ([Part(block.label, NOTICE)] if block.label else []) + _blocks(doc, block.blocks)
        else:
            raise LeafletError(
                f"audio: cannot read a {type(block).__name__} block aloud",
                fix="update the audio writer for this block type",
            )
        if after_heading and new:
            new[0] = replace(new[0], pause=AFTER_HEADING)
        after_heading = isinstance(block, Heading)
        parts += new
    return parts


def _list(doc: Leaflet, block: ListBlock) -> list[Part]:
    parts = [Part(doc.label("audio_list", count=len(block.items)), PARAGRAPH)]
    for n, item in enumerate(block.items, start=block.start):
        parts.append(Part(item.content, ITEM, prefix=f"{n}. " if block.ordered else ""))
        for child in item.children:
            parts += _list(doc, child)
    return parts


@dataclass(frozen=True)
class Spoken:
    part: Part
    text: str  # what the synthesiser was given
    pcm: bytes  # trimmed of leading and trailing silence
    level: audio_pcm.Level


def synthesise(eng, doc: Leaflet, parts: list[Part], wpm: int) -> list[Spoken]:
    """Each part synthesised, trimmed and checked: never silent, never implausibly short or long.

    A failure raises LeafletError naming the segment.
    """
    jobs = [(part, *_speech(doc, part)) for part in parts]
    out = []
    requests = [(text, voice.espeak) for _, text, voice in jobs]
    with closing(eng.say_all(requests, wpm, ESPEAK_VOLUME)) as stream:
        for part, text, _ in jobs:
            try:
                pcm = audio_pcm.trim(next(stream))
            except SynthesisError as exc:
                raise _failure(doc, part, f"speech synthesis failed ({exc})") from exc
            seconds, expected = audio_pcm.seconds(pcm, eng.sample_rate), expected_seconds(text, wpm)
            low, high, slack = PLAUSIBLE
            if not pcm:
                raise _failure(doc, part, "speech synthesis gave no sound")
            if not low * expected <= seconds <= high * expected + slack:
                raise _failure(
                    doc,
                    part,
                    f"speech synthesis gave {seconds:.1f} s of sound where about {expected:.1f} s was expected",
                )
            out.append(Spoken(part, text, pcm, audio_pcm.level(pcm)))
    return out


def _speech(doc: Leaflet, part: Part) -> tuple[str, Voice]:
    """The speech text of a part and the voice for the language it is really in."""
    seg = part.segment
    voice = voice_for(seg.lang)
    if voice is None:
        raise _failure(doc, part, f"no speech voice for its language ({seg.lang})")
    text = speech_text(part.written, seg.lang, voice.romanise)
    if not text:
        raise _failure(doc, part, "nothing to say")
    return text, voice


def _failure(doc: Leaflet, part: Part, why: str) -> LeafletError:
    return LeafletError(
        f'audio ({doc.locale.code}): {why} for "{excerpt(part.segment.source, 60)}"',
        fix="check the text of this segment; if it reads correctly, report the espeak-ng problem",
    )


def expected_seconds(text: str, wpm: int) -> float:
    """Roughly how long `text` takes at `wpm` words per minute (scripts without spaces count
    one word per eight characters)."""
    words = max(len(text.split()), len(text.replace(" ", "")) / 8)
    return words / wpm * 60


def _length_announcement(eng, doc: Leaflet, part: Part, spoken: list[Spoken], wpm: int) -> Spoken:
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


def _timeline(spoken: list[Spoken], rate: int) -> tuple[list[bytes], list[tuple[str, int]]]:
    """The recording as PCM pieces (designed pauses and speech) and (title, start ms) of each
    chapter; a chapter starts CHAPTER_LEAD before its heading is heard, the first at 0."""
    pieces, starts, position = [], [], 0
    for s in spoken:
        pause = audio_pcm.silence(s.part.pause, rate)
        if s.part.chapter:
            at = position + len(pause) // 2 - round(min(CHAPTER_LEAD, s.part.pause) * rate)
            starts.append((s.part.chapter, round(at / rate * 1000) if starts else 0))
        pieces += [pause, s.pcm]
        position += (len(pause) + len(s.pcm)) // 2
    pieces.append(audio_pcm.silence(TAIL, rate))
    return pieces, starts


def _minutes(seconds: float) -> int:
    return max(1, int(seconds / 60 + 0.5))


def _container(options) -> str:
    name = str(getattr(options, "audio_container", "mp3")).lower()
    if name not in CONTAINERS:
        raise LeafletError(f"audio: unknown container {name!r}", fix="use mp3 or wav")
    return name
