"""The seed leaflet's recording in every voiced sample locale, heard back with FFmpeg's tools:
chapters every player sees, spoken-word loudness, and a transcript that is the leaflet's text.

Each locale is synthesised once for the session (tests/narrated.py) and everything is asserted on it.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from formats import text as plain_text
from formats.audio.transcript import webvtt
from leaflets.model import Heading
from tests.narrated import LOCALES, document, narrations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mp3s(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("narrated")
    paths = {}
    for code, narration in narrations().items():
        paths[code] = folder / f"RAD_0009.{code}.mp3"
        paths[code].write_bytes(narration.mp3)
    return paths


def headings(code: str) -> list[str]:
    doc = document(code)
    return [b.content.text for b in doc.blocks + doc.footer if isinstance(b, Heading)]


@pytest.mark.parametrize("code", LOCALES)
def test_ffprobe_lists_every_chapter_back_to_back(mp3s, code):
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(mp3s[code])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    chapters = probe["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [document(code).title.text, *headings(code)]
    assert float(chapters[0]["start_time"]) == 0
    for before, after in itertools.pairwise(chapters):
        assert before["end_time"] == after["start_time"] and float(after["start_time"]) > float(before["start_time"])
    duration = float(probe["format"]["duration"])
    assert float(chapters[-1]["end_time"]) == pytest.approx(duration, abs=0.002)
    assert narrations()[code].duration == pytest.approx(duration, abs=0.002)


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of a file, as FFmpeg's ebur128 measures it."""
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    summary = log[log.rindex("Summary:") :]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return loudness, peak


def test_loudness_is_spoken_word_level_in_every_locale(mp3s):
    """EBU R128 integrated loudness -19 LUFS +-1 LU and true peak <= -1 dBTP, as FFmpeg's ebur128
    measures the MP3 a listener gets (two files at a time: one FFmpeg per core)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        measured = dict(zip(mp3s, pool.map(ebur128, mp3s.values()), strict=True))
    wrong = {code: m for code, m in measured.items() if not (-20 <= m[0] <= -18 and m[1] <= -1.0)}
    assert not wrong, measured


# --- the transcript ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    identifier: str
    start: float
    end: float
    text: str  # the cue text without its tags, entities decoded


_TIMING = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})")
_TAG = re.compile(r"</?lang(?: [A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)?>")


def parse_webvtt(source: str) -> tuple[list[Cue], list[str]]:
    """A strict reading of the WebVTT we write: the header, NOTE blocks, cues with an optional
    identifier, hh:mm:ss.mmm timings, and cue text whose only markup is <lang> spans and the
    three entities. Anything else fails."""
    blocks = source.split("\n\n")
    assert blocks[0] == "WEBVTT", blocks[0]
    cues, notes = [], []
    for block in filter(None, (b.strip("\n") for b in blocks[1:])):
        lines = block.split("\n")
        if lines[0].startswith("NOTE"):
            assert "-->" not in block
            notes.append(lines[0].removeprefix("NOTE").strip())
            continue
        identifier = "" if "-->" in lines[0] else lines.pop(0)
        timing = _TIMING.fullmatch(lines[0])
        assert timing, lines[0]
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in timing.groups())
        payload = "\n".join(lines[1:])
        assert payload and "-->" not in payload
        opened = _TAG.findall(payload)
        assert len([t for t in opened if t.startswith("<lang")]) == len([t for t in opened if t == "</lang>"])
        bare = _TAG.sub("", payload)
        assert not re.search(r"<|>|&(?!amp;|lt;|gt;)", bare), bare
        cues.append(
            Cue(
                identifier,
                h1 * 3600 + m1 * 60 + s1 + ms1 / 1000,
                h2 * 3600 + m2 * 60 + s2 + ms2 / 1000,
                html.unescape(bare),
            )
        )
    return cues, notes


def words(text: str) -> str:
    return " ".join(text.split())


def printed(code: str) -> str:
    """The plain-text copy's words, without its list and notice markers (a "- " before a bullet,
    "| " before each line of a notice), which are layout, not text the recording says."""
    lines = plain_text.write(document(code)).decode("utf-8").splitlines()
    return words(" ".join(re.sub(r"^\s*(?:- |\| ?)", "", line) for line in lines))


@pytest.mark.parametrize("code", LOCALES)
def test_transcript_parses_in_order_and_is_the_leaflets_text(code):
    narration = narrations()[code]
    cues, notes = parse_webvtt(webvtt(narration))
    assert cues and all(c.start < c.end for c in cues)
    assert all(a.end < b.start for a, b in itertools.pairwise(cues)), "cues overlap or are out of order"
    assert words(" ".join(c.text for c in cues)) == printed(code)
    # exact times: the narration's clips of document text, to the millisecond
    shown = [clip for clip in narration.clips if clip.segment is not None]
    assert [(c.start, c.end) for c in cues] == [(round(k.start, 3), round(k.end, 3)) for k in shown]
    # the chapters: a NOTE and a cue identifier each, sections numbered, subsections under them
    chapters = [document(code).title.text, *headings(code)]
    assert [n.split(": ", 1)[1] for n in notes] == [words(t) for t in chapters]
    ids = [c.identifier for c in cues if c.identifier]
    assert ids[0] == "chapter 1" and len(ids) == len(chapters)
    assert any(re.fullmatch(r"chapter \d+\.1", i) for i in ids)


@pytest.mark.parametrize("code", LOCALES)
def test_clips_cover_every_spoken_segment_in_reading_order(code):
    narration = narrations()[code]
    doc = document(code)
    clips = narration.clips
    assert all(a.end <= b.start for a, b in itertools.pairwise(clips))
    assert clips[-1].end < narration.duration
    shown = [c.segment for c in clips if c.segment is not None]
    from leaflets.model import segments

    assert shown == [doc.title, *doc.notices, *segments(doc.blocks), *segments(doc.footer)]
    assert all(c.speech and c.runs and c.voice for c in clips)
    # every Latin-script name in another script is a run for the English voice
    if code in ("ur", "ar", "bn", "pa", "ne", "zh_Hans"):
        assert any(voice == "gmw/en" for c in clips for _, voice in c.runs)
