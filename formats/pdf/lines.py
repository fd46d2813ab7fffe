"""Shaped, broken and bidi-ordered lines of one segment for the large-print PDF.

reportlab's Paragraph cannot set right-to-left text (its RTL mode needs rlbidi, which is not
installable) nor switch fonts per character, so a segment is laid out here: each character
gets the first font of its chain that has it, runs are shaped by HarfBuzz, lines are broken
in logical order by the shaped widths, and each line is put in visual order by the Unicode
bidi algorithm (python-bidi: levels for the paragraph, rule L2 for each line).

Lines break only at spaces and, in Chinese and Japanese, between characters (never before
closing or after opening punctuation). A number is glued to the words on both sides of it,
so a phone number ("0118 322 7991"), a date ("12 May 2026") or a dose ("500 mg", "500毫克")
is never split, in any language. No hyphen is ever added; soft hyphens are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from itertools import pairwise

from bidi import algorithm as uba
from reportlab.pdfbase.ttfonts import ShapedStr

from leaflets.model import Emphasis, LineBreak, Link, Strong, Text

from .fonts import Chain, Face, face

# Line-breaking rules for Chinese and Japanese (kinsoku): never at the start of a line ...
NO_BREAK_BEFORE = set(
    "!%),.:;?]}¢°·’”‰′″℃、。〉》」』】〕〗〙〛〜〞・ー々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "！％），．：；？］｝～｡｣､･ｰ"
)
# ... and never at the end of one.
NO_BREAK_AFTER = set("([{£¥‘“〈《「『【〔〖〘〚〝（［｛｢")
SPACE = " "
SOFT_HYPHEN = "\u00ad"
LINE_SEPARATOR = "\u2028"  # a hard line break, for the bidi algorithm (white space, not a new paragraph)
_SPACES = re.compile(" +|\n")
_WORD = re.compile("[^ ]+")
URL_JOINTS = "/.?&=_"
NUMBER_GROUPS = re.compile(r"\d+(?:[ \u00a0\u202f]\d+)+")


@dataclass(frozen=True)
class Span:
    """Some characters of a segment with the look they share."""

    text: str
    bold: bool = False
    url: str = ""
    link: int = 0  # which link of the segment (1, 2, ...) the text is in; 0: none


@dataclass(frozen=True)
class Piece:
    """A run of glyphs in one font, at `x` points from the left end of its line; `text` is the
    logical text the glyphs stand for. A run of nothing but spaces has no glyphs to draw."""

    text: str
    glyphs: ShapedStr | None
    face: Face
    level: int
    width: float
    url: str = ""
    x: float = 0.0
    link: int = 0

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]  # in logical (reading) order, each placed at its x
    width: float


@dataclass(frozen=True)
class Lines:
    """A laid-out segment: its lines, the distance between baselines and where the first
    baseline sits below the top of a line (all in points)."""

    lines: tuple[Line, ...]
    pitch: float
    baseline: float
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.pitch


def spans(inlines, bold: bool = False) -> list[Span]:
    """The inline runs of a segment as spans. Emphasis is bold (clear print has no italics);
    a link whose text does not show its address gets the address after it."""
    return _spans(inlines, bold, "", 0, [0])


def _spans(inlines, bold: bool, url: str, link: int, links: list[int]) -> list[Span]:
    out: list[Span] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Span(node.text, bold, url, link))
        elif isinstance(node, LineBreak):
            out.append(Span("\n", bold, url, link))
        elif isinstance(node, (Strong, Emphasis)):
            out += _spans(node.children, True, url, link, links)
        elif isinstance(node, Link):
            links[0] += 1
            number = links[0]
            inner = _spans(node.children, bold, node.url, number, links)
            shown = re.sub(r"^(https?://|mailto:|tel:)", "", node.url).rstrip("/")
            out += inner
            if shown not in "".join(s.text for s in inner):
                out.append(Span(f" ({shown})", bold, node.url, number))
    return out


def lay_out(parts: list[Span], chain: Chain, lang: str, rtl: bool, size: float, width: float) -> Lines:
    """Set some spans in lines at most `width` points long, each line in visual order."""
    text = "".join(s.text for s in parts).replace(SOFT_HYPHEN, "")
    style = [(s.bold, s.url, s.link) for s in parts for ch in s.text if ch != SOFT_HYPHEN]
    setter = _Setter(text, style, chain, lang, rtl, size)
    lines = tuple(setter.line(words) for words in setter.break_lines(width))
    faces = {p.face for line in lines for p in line.pieces} or {face(chain.names[0], False)}
    pitch = max(f.pitch for f in faces) * size
    ascent = max(f.extent[0] for f in faces) * size
    descent = max(f.extent[1] for f in faces) * size
    return Lines(lines, pitch, (pitch - ascent - descent) / 2 + ascent, size)


class _Setter:
    """The working state of lay_out for one segment."""

    def __init__(self, text: str, style: list, chain: Chain, lang: str, rtl: bool, size: float):
        self.text, self.lang, self.size = text, lang, size
        self.keys = list(zip(chain.families(text), style, bidi_levels(text, rtl), strict=True))
        # where a new run starts: the font, weight, link or bidi level changes
        self.bounds = [i for i in range(1, len(text)) if self.keys[i] != self.keys[i - 1]]
        self.words = _words(text)

    def runs(self, start: int, end: int) -> list[Piece]:
        """Shaped pieces for text[start:end]: one per stretch of equal font, weight, link and
        bidi level."""
        out = []
        for a, b in self._stretches(start, end):
            (family, (bold, url, link), level), chunk = self.keys[a], self.text[a:b]
            f = face(family, bold)
            glyphs, ems = f.shape(chunk, level % 2 == 1, self.lang)
            drawn = None if chunk.strip(SPACE) == "" else glyphs
            out.append(Piece(chunk, drawn, f, level, ems * self.size, url, link=link))
        return out

    def _stretches(self, start: int, end: int) -> list[tuple[int, int]]:
        cuts = [start, *self.bounds[bisect_right(self.bounds, start) : bisect_left(self.bounds, end)], end]
        return [(a, b) for a, b in pairwise(cuts) if b > a]

    def width(self, start: int, end: int) -> float:
        ems = 0.0
        for a, b in self._stretches(start, end):
            family, (bold, _, _), level = self.keys[a]
            ems += face(family, bold).shape(self.text[a:b], level % 2 == 1, self.lang)[1]
        return ems * self.size

    def break_lines(self, width: float) -> list[list[tuple[int, int]]]:
        """Greedy first fit over the words; a word longer than a line is cut."""
        lines: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        used = 0.0
        for start, end, hard in self._fitting_words(width):
            w = self.width(start, end)
            gap = self.width(current[-1][1], start) if current else 0.0
            if current and used + gap + w > width:
                lines.append(current)
                current, used, gap = [], 0.0, 0.0
            current.append((start, end))
            used += gap + w
            if hard:
                lines.append(current)
                current, used = [], 0.0
        if current or not lines:
            lines.append(current)
        return lines

    def _fitting_words(self, width: float):
        """The words, those wider than a line cut: first where a number meets a word, then
        anywhere (see _cuts)."""
        for start, end, hard in self.words:
            if self.width(start, end) <= width:
                yield start, end, hard
                continue
            cuts = [
                cut
                for a, b in _unglue(self.text, start, end)
                for cut in ([(a, b)] if self.width(a, b) <= width else _cuts(self.text, a, b, self.width, width))
            ]
            for k, (a, b) in enumerate(cuts):
                yield a, b, hard and k == len(cuts) - 1

    def line(self, words: list[tuple[int, int]]) -> Line:
        """One line: its words and the spaces between them, each placed from the left."""
        if not words:
            return Line((), 0.0)
        pieces = self.runs(words[0][0], words[-1][1])
        xs, x = [0.0] * len(pieces), 0.0
        for i in visual_order([p.level for p in pieces]):
            xs[i] = x
            x += pieces[i].width
        return Line(tuple(replace(p, x=xp) for p, xp in zip(pieces, xs, strict=True)), x)


def _digit(word: str) -> bool:
    return any(unicodedata.category(ch) == "Nd" for ch in word)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _cjk_break(a: str, b: str) -> bool:
    """May a line break between a and b, neither of them a space?"""
    return (
        (_wide(a) or _wide(b))
        and not (a.isdigit() or b.isdigit())
        and b not in NO_BREAK_BEFORE
        and a not in NO_BREAK_AFTER
        and unicodedata.category(b)[0] != "M"
    )


def _words(text: str) -> list[tuple[int, int, bool]]:
    """The unbreakable stretches of text: (start, end, ends with a hard break). Spaces next
    to a word with a digit in it are kept inside the stretch."""
    chunks = []  # (start, end) of the text between spaces and hard breaks
    seps = []  # whether each chunk ends with a hard break
    pos = 0
    for m in _SPACES.finditer(text):
        chunks.append((pos, m.start()))
        seps.append(m.group() == "\n")
        pos = m.end()
    chunks.append((pos, len(text)))
    seps.append(False)
    merged: list[list] = []  # [start, end, start of its last chunk, ends with a hard break]
    for k, (a, b) in enumerate(chunks):
        glue = (
            merged
            and not seps[k - 1]
            and a > merged[-1][1]
            and (_digit(text[a:b]) or _digit(text[merged[-1][2] : merged[-1][1]]))
        )
        if glue:
            merged[-1][1] = b
            merged[-1][2] = a
            merged[-1][3] = seps[k]
        else:
            merged.append([a, b, a, seps[k]])
    words = []
    cjk = any(_wide(ch) for ch in text)
    for a, b, _, hard in merged:
        cut = a
        for i in range(a + 1, b) if cjk else ():
            if text[i - 1] != SPACE and text[i] != SPACE and _cjk_break(text[i - 1], text[i]):
                words.append((cut, i, False))
                cut = i
        if b > cut or hard:
            words.append((cut, b, hard))
    return [w for w in words if w[1] > w[0] or w[2]]


def _unglue(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A glued stretch without the number-less words at its ends, which only the glue holds
    to it ("on 12 May 2026 or" -> "on", "12 May 2026", "or")."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    head = [words.pop(0)] if len(words) > 1 and not _digit(text[slice(*words[0])]) else []
    tail = [words.pop()] if len(words) > 1 and not _digit(text[slice(*words[-1])]) else []
    return [*head, (words[0][0], words[-1][1]), *tail]


def _cuts(text: str, start: int, end: int, measure, width: float) -> list[tuple[int, int]]:
    """Cut a stretch wider than a line: at its last space that fits, else after its last
    '/' or '.' that fits, else after the last character that fits (never before a combining
    mark). Only a very long address or a long run of numbers needs this."""
    out: list[tuple[int, int]] = []
    a = start
    while a < end:
        best = 0  # none yet: the first character always goes (with its combining marks)
        for b in range(a + 1, end + 1):
            if b < end and unicodedata.category(text[b])[0] == "M":
                continue
            if best and measure(a, b) > width:
                break
            best = b
        if best < end:  # prefer a space, then a point where an address can break
            space = text.rfind(SPACE, a + 1, best)
            joints = [i for i in range(a + 1, best) if text[i - 1] in URL_JOINTS]
            best = space if space > a else joints[-1] if joints else best
        out.append((a, best))
        a = best
        while a < end and text[a] == SPACE:
            a += 1
    return out


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Resolved Unicode bidi embedding level of each character of a paragraph (rules up to
    I2 of UAX #9, by python-bidi). Left-to-right text without any right-to-left letter is all 0."""
    if not rtl and not any(unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO") for c in text):
        return [0] * len(text)
    storage = uba.get_empty_storage()
    storage["base_level"] = int(rtl)
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text.replace("\n", LINE_SEPARATOR), storage)
    for i, ch in enumerate(storage["chars"]):
        ch["index"] = i
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = [-1] * len(text)
    for ch in storage["chars"]:
        levels[ch["index"]] = ch["level"]
    # characters rule X9 took out (joiners, embedding codes) go with the one before them
    for i, level in enumerate(levels):
        if level < 0:
            levels[i] = levels[i - 1] if i else int(rtl)
    # A number written in groups ("0118 322 7991") reads left to right as a whole: plain UBA
    # would order its groups right to left in right-to-left text, as if they were words.
    for m in NUMBER_GROUPS.finditer(text):
        span = range(m.start(), m.end())
        digit_levels = {levels[i] for i in span if text[i].isdigit()}
        if len(digit_levels) == 1 and min(digit_levels) % 2 == 0:
            for i in span:
                levels[i] = min(digit_levels)
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Indices of a line's pieces in visual order, left to right (rule L2 of UAX #9): from the
    highest level down to the lowest odd one, reverse every stretch at that level or above.
    A right-to-left piece is already in visual order inside: HarfBuzz shaped it so."""
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return list(range(len(levels)))
    items = [{"level": lv, "index": i} for i, lv in enumerate(levels)]
    uba.reverse_contiguous_sequence(items, 0, len(items) - 1, max(levels), min(odd))
    return [item["index"] for item in items]
