"""The narration as a WebVTT transcript: what is heard, when, as the leaflet prints it.

For deaf and hard-of-hearing listeners, and for reviewers who want to find a passage without
listening to all of it. One cue per document segment spoken (the title, the notices, every
heading, paragraph and list item, the footer), timed from the narration's sample counts, with
the text as displayed (not the speech spelling) inside a <lang> span of its language; the
recording's own announcements (its length, "a list of 3 points") are not leaflet text and are
left out, so the cues read in order are the plain-text copy. Each chapter is a NOTE block and
the identifier of the cue that opens it ("chapter 3", "chapter 3.1" for a subsection), which
players show in their chapter menus and the read-along reuses.
"""

from __future__ import annotations

from .narration import Clip, Narration


def webvtt(narration: Narration) -> str:
    """The transcript as WebVTT text."""
    out = ["WEBVTT", ""]
    section = subsection = 0
    for clip in narration.clips:
        if clip.segment is None:
            continue
        if clip.level == 1:
            section, subsection = section + 1, 0
            number = f"{section}"
        elif clip.level == 2:
            subsection += 1
            number = f"{section}.{subsection}"
        if clip.level:
            out += [f"NOTE chapter {number}: {_note(clip.chapter)}", "", f"chapter {number}"]
        out += [f"{_time(clip.start)} --> {_time(clip.end)}", _text(clip), ""]
    return "\n".join(out)


def _time(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    return f"{hours:02d}:{minutes:02d}:{ms // 1000:02d}.{ms % 1000:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(clip: Clip) -> str:
    """The cue text: the written text, line breaks kept, in a span naming its language."""
    assert clip.segment is not None
    lines = [_escape(line.strip()) for line in clip.written.splitlines() if line.strip()]
    return f"<lang {clip.segment.lang}>" + "\n".join(lines) + "</lang>"


def _note(title: str) -> str:
    """A chapter title on one NOTE line ("-->" may not appear in a NOTE)."""
    return " ".join(title.split()).replace("-->", "->")
