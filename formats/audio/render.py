"""What the recording says, in order, and the synthesis of each part (see `narration` for the whole).

For patients who are blind, partially sighted or cannot read their language's script (UKAAF
MS01, NHS Accessible Information Standard). The recording opens with the title, the
organisation, its length and its sections (named, when they are few and short); each section
is announced by its heading after a pause; lists are announced with their length; the
trust-wide footer is read last. Every run of speech is synthesised on its own, checked for
sound of a plausible length and trimmed, so no segment can go missing silently and the
narration can place each one exactly.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Protocol

from formats.contract import cell_joint
from leaflets.errors import LeafletError
from leaflets.model import Block, Heading, Leaflet, ListBlock, Notice, Paragraph, Picture, Segment, Table, Text
from leaflets.words import excerpt

from . import pcm as audio_pcm
from .engine import SynthesisError
from .speech import Run, runs

ESPEAK_VOLUME = 60  # espeak's amplitude (default 100 clips): `loudness` sets the level afterwards

# Designed pauses in seconds. SECTION is the longest silence the recording may contain.
LEAD_IN, INTRO, NOTICE, SECTION, SUBSECTION = 0.3, 0.5, 0.8, 1.6, 1.0
AFTER_HEADING, PARAGRAPH, ITEM, ENDING, TAIL = 0.7, 0.7, 0.5, 1.2, 0.5
NAMED = 0.4  # between the section names of the introduction
JOIN = 0.25  # between the title and the rest of the sentence that introduces it
RUN_GAP = 0.08  # between runs of one segment read by different voices (a word gap)
PLAUSIBLE = (0.25, 4.0, 2.0)  # run duration vs words at the rate: >= 0.25x, <= 4x + 2 s
# The introduction names the sections when there are at most this many, this many words in all
NAMED_SECTIONS, NAMED_WORDS = 12, 80


@dataclass(frozen=True)
class Part:
    """One synthesised stretch: a segment, the pause before it, and the chapter it opens."""

    segment: Segment
    pause: float
    chapter: str = ""  # title of the chapter this part opens, if any
    level: int = 0  # 1: a section (or the title) chapter, 2: a ### subchapter
    prefix: str = ""  # e.g. the number of an ordered list item
    shown: bool = True  # document text (in every format), not an announcement of the recording's
    length: bool = False  # the length announcement, filled in once the rest is timed

    @property
    def written(self) -> str:
        return f"{self.prefix}{self.segment.text}"


class Speaker(Protocol):
    """What synthesis needs of the speech engine (engine.Engine)."""

    sample_rate: int

    def say_all(self, requests: Iterable[tuple[str, str]], wpm: int, volume: int) -> Generator[bytes, None, None]: ...


def script(doc: Leaflet) -> list[Part]:
    """What is read, in order: the title in the introduction, the length, the sections, the
    notices, the body, the footer, the end."""
    headings = [b for b in doc.blocks + doc.footer if isinstance(b, Heading) and b.level == 2]
    return [
        *_introduction(doc),
        Part(doc.label("audio_length", minutes=1), INTRO, shown=False, length=True),
        Part(doc.label("audio_sections", sections=len(headings)), INTRO, shown=False),
        *_section_names(headings),
        *(Part(seg, NOTICE) for seg in doc.notices),
        *_blocks(doc, doc.blocks + doc.footer),
        Part(doc.label("audio_end"), ENDING, shown=False),
    ]


_TITLE = "\x00"  # stands for the title while the introduction is split around it


def _introduction(doc: Leaflet) -> list[Part]:
    """ "{title}. An audio leaflet from {organisation}." as the title itself (a document segment,
    timed on its own for transcripts and read-along) and the rest of the sentence around it."""
    intro = doc.label("audio_intro", title=_TITLE, organisation=doc.meta.organisation)
    before, found, after = intro.text.partition(_TITLE)
    title = Part(doc.title, LEAD_IN, chapter=doc.title.text, level=1)
    if not found:  # a translation without {title} (the checks refuse it): title, then the sentence
        return [title, Part(intro, INTRO, shown=False)]
    said = [_words(intro, before, LEAD_IN)] if before.strip() else []
    said.append(replace(title, pause=JOIN if said else LEAD_IN))
    rest = after.lstrip(".。।۔ ")
    return said + ([_words(intro, rest, JOIN)] if rest.strip() else [])


def _words(like: Segment, text: str, pause: float) -> Part:
    return Part(replace(like, inlines=(Text(text.strip()),)), pause, shown=False)


def _section_names(headings: list[Heading]) -> list[Part]:
    """The section headings read out after their count, if they are few and short."""
    words = sum(len(h.content.text.split()) for h in headings)
    if not headings or len(headings) > NAMED_SECTIONS or words > NAMED_WORDS:
        return []
    return [Part(h.content, NAMED, shown=False) for h in headings]


def _blocks(doc: Leaflet, blocks: Iterable[Block]) -> list[Part]:
    parts: list[Part] = []
    after_heading = False
    for block in blocks:
        new: list[Part]
        if isinstance(block, Heading):
            section = block.level <= 2
            new = [
                Part(
                    block.content,
                    SECTION if section else SUBSECTION,
                    chapter=block.content.text,
                    level=1 if section else 2,
                )
            ]
        elif isinstance(block, Paragraph):
            new = [Part(block.content, PARAGRAPH)]
        elif isinstance(block, ListBlock):
            new = _list(doc, block)
        elif isinstance(block, Notice) and block.quotation:  # its start and end said, as print indents it
            quote = _blocks(doc, block.blocks)
            new = [Part(doc.label("audio_quote"), NOTICE, shown=False), *quote]
            new.append(Part(doc.label("audio_quote_end"), ITEM, shown=False))
        elif isinstance(block, Notice):  # announced, as print sets it off with a box
            new = ([Part(block.label, NOTICE)] if block.label else []) + _blocks(doc, block.blocks)
        elif isinstance(block, Table):
            new = _table(doc, block)
        elif isinstance(block, Picture):  # announced as a picture and read as its description
            new = [Part(doc.label("picture", alt=block.alt.text), PARAGRAPH)]
            new += [Part(block.caption, ITEM)] if block.caption is not None else []
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
    parts = [Part(doc.label("audio_list", count=len(block.items)), PARAGRAPH, shown=False)]
    for n, item in enumerate(block.items, start=block.start):
        parts.append(Part(item.content, ITEM, prefix=f"{n}. " if block.ordered else ""))
        for child in item.children:
            parts += _list(doc, child)
    return parts


def _table(doc: Leaflet, table: Table) -> list[Part]:
    """A table as DAISY readers present one: announced with its size and column headers, then
    read row by row, each cell after its column's header ("Avoid: milk"); an empty cell is not
    read. The end is announced, so a listener knows the body text goes on."""
    headers = ", ".join(h.text for h in table.header)
    parts = [Part(doc.label("audio_table", count=len(table.rows), headers=headers), PARAGRAPH, shown=False)]
    joint = cell_joint(doc)
    for row in table.rows:
        pause = PARAGRAPH
        for head, cell in zip(table.header, row, strict=True):
            if cell is not None:
                parts.append(Part(cell, pause, prefix=f"{head.text}{joint}"))
                pause = ITEM
    return [*parts, Part(doc.label("audio_table_end"), ITEM, shown=False)]


@dataclass(frozen=True, eq=False)
class Spoken:
    part: Part
    runs: tuple[Run, ...]  # what the synthesiser was given, voice by voice
    pcm: bytes  # the runs trimmed of leading and trailing silence, joined by RUN_GAP

    @property
    def speech(self) -> str:
        return " ".join(run.text for run in self.runs)


def synthesise(eng: Speaker, doc: Leaflet, parts: list[Part], wpm: int) -> list[Spoken]:
    """Each part synthesised run by run, trimmed and checked: never silent, never implausibly
    short or long. A failure raises LeafletError naming the segment."""
    jobs = [(part, _runs(doc, part)) for part in parts]
    requests = [(run.text, run.voice.espeak) for _, said in jobs for run in said]
    gap = audio_pcm.silence(RUN_GAP, eng.sample_rate)
    out: list[Spoken] = []
    with closing(eng.say_all(requests, wpm, ESPEAK_VOLUME)) as stream:
        for part, said in jobs:
            pieces = []
            for run in said:
                try:
                    pcm = audio_pcm.trim(next(stream))
                except SynthesisError as exc:
                    raise _failure(doc, part, f"speech synthesis failed ({exc})") from exc
                _check(doc, part, run, pcm, eng.sample_rate, wpm)
                pieces.append(pcm)
            out.append(Spoken(part, said, gap.join(pieces)))
    return out


def _check(doc: Leaflet, part: Part, run: Run, pcm: bytes, rate: int, wpm: int) -> None:
    seconds, expected = audio_pcm.seconds(pcm, rate), expected_seconds(run.text, wpm)
    low, high, slack = PLAUSIBLE
    if not pcm:
        raise _failure(doc, part, "speech synthesis gave no sound")
    if not low * expected <= seconds <= high * expected + slack:
        raise _failure(
            doc, part, f"speech synthesis gave {seconds:.1f} s of sound where about {expected:.1f} s was expected"
        )


def _runs(doc: Leaflet, part: Part) -> tuple[Run, ...]:
    """The speech text of a part, run by run, each with the voice of the language it is in."""
    seg = part.segment
    try:
        said = runs(part.written, seg.lang)
    except LookupError as exc:
        raise _failure(doc, part, str(exc)) from exc
    if not said:
        raise _failure(doc, part, "nothing to say")
    return said


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


def said(doc: Leaflet) -> list[tuple[Part, tuple[Run, ...]]]:
    """Each part of the script with what its voices are given, without synthesis (for a native
    speaker's review: `pipeline.py speech-text`). The length announcement says 1 minute here: the
    real length is only known once the rest is synthesised."""
    return [(part, _runs(doc, part)) for part in script(doc)]
