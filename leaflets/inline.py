"""Inline Markdown <-> inline runs, the one place msgids are made and msgstrs are read.

A msgid is the canonical Markdown of a segment's runs: whitespace folded, `**` for strong,
`*` for emphasis, `[text](url)` for links, a backslash-newline for a hard break. Because
msgids are made from the parsed runs rather than cut from the source, rewrapping a paragraph
or writing `__x__` for `**x**` changes no msgid, and parsing a msgid gives back its runs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import LeafletError
from .model import Emphasis, Inline, LineBreak, Link, Strong, Text

# Translators' text is text: with html off, "<b>" in a msgstr stays the four characters.
_TEXT_PARSER = MarkdownIt("commonmark", {"html": False})

_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not NBSP: a translator's no-break space is meant
_ESCAPE = re.compile(r"([\\*_`\[\]])|(&(?=#?\w+;))")
MAX_DEPTH = 4
"""How deep bold, emphasis and links may nest ("**[*x*](url)**" is 3). Deeper is never meant,
and refusing it keeps every walk over the runs (here, the checks, the writers) shallow: a
translator's 4 KB of "**" is one clear error, not a RecursionError."""


class InlineError(LeafletError):
    """Markdown the leaflet format does not allow (an image, code, raw HTML) in inline text."""


def from_tokens(tokens: list[Token], refuse) -> tuple[Inline, ...]:
    """Build runs from markdown-it inline tokens; `refuse(what)` raises for forbidden ones."""
    stack: list[tuple[str, list, str]] = [("root", [], "")]
    for tok in tokens:
        kind = tok.type
        if kind == "text":
            stack[-1][1].append(Text(tok.content))
        elif kind == "softbreak":
            stack[-1][1].append(Text(" "))
        elif kind == "hardbreak":
            stack[-1][1].append(LineBreak())
        elif kind in ("strong_open", "em_open", "link_open"):
            if len(stack) > MAX_DEPTH:
                refuse(
                    f"nesting bold, emphasis and links more than {MAX_DEPTH} deep",
                    "check the ** and * pairs: each **text** closes before the next opens",
                )
            stack.append((kind, [], str(tok.attrGet("href") or "")))
        elif kind in ("strong_close", "em_close", "link_close"):
            _, children, url = stack.pop()
            node_children = _fold(children)
            node = (
                Strong(node_children)
                if kind == "strong_close"
                else Emphasis(node_children)
                if kind == "em_close"
                else Link(url, node_children)
            )
            stack[-1][1].append(node)
        elif kind == "image":
            refuse(
                "an image inside a sentence",
                "put ![what it shows](images/file.png) on a line of its own, with a blank line before and after",
            )
        elif kind == "s_open":
            refuse("~~strike-through~~", "delete the words instead: a reader cannot hear or feel a line through them")
        elif kind == "code_inline":
            refuse("inline code (`...`)", "remove the backticks")
        elif kind == "html_inline":
            refuse(f"raw HTML {tok.content!r}", "use Markdown: **bold**, [text](url)")
        else:
            refuse(f"unsupported inline Markdown ({kind})", "use plain text, **bold** or [text](url)")
    return _strip(_fold(stack[0][1]))


# The characters markdown-it acts on in inline text (escapes, emphasis, links, images, autolinks,
# raw HTML, entities, code, line breaks; NUL, which it replaces). A text without any is one text
# run, as the parser would make it: most of a leaflet's sentences.
_ACTIVE = re.compile(r"[\\*_`\[\]<>&!\n\r\x00]")


def parse(markdown: str, where: str = "") -> tuple[Inline, ...]:
    """Runs of a msgid or msgstr. Raises InlineError for anything but text, bold, emphasis,
    links and hard breaks."""
    if not _ACTIVE.search(markdown):  # as _strip(_fold([Text(markdown)])) would make it
        text = _SPACE.sub(" ", markdown).strip(" ")
        return (Text(text),) if text else ()
    return _parse(markdown, where)


@lru_cache(maxsize=4096)
def _parse(markdown: str, where: str) -> tuple[Inline, ...]:
    """parse, once per text in a process (a shared string in every leaflet): runs are immutable."""

    def refuse(what, fix):
        raise InlineError(f"{what} is not allowed here" + (f" in {where}" if where else ""), fix=fix)

    tokens = _TEXT_PARSER.parseInline(markdown)
    return from_tokens(tokens[0].children or [] if tokens else [], refuse)


def to_markdown(inlines: tuple[Inline, ...]) -> str:
    """The canonical inline Markdown of some runs (their msgid)."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(_ESCAPE.sub(lambda m: "\\" + m.group(0), node.text))
        elif isinstance(node, LineBreak):
            out.append("\\\n")
        elif isinstance(node, Strong):
            out.append("**" + to_markdown(node.children) + "**")
        elif isinstance(node, Emphasis):
            out.append("*" + to_markdown(node.children) + "*")
        elif isinstance(node, Link):
            out.append("[" + to_markdown(node.children) + "](" + node.url + ")")
    return "".join(out)


def _fold(nodes: list) -> tuple[Inline, ...]:
    """Merge adjacent text runs and fold white space, so equal text gives equal runs."""
    out: list = []
    for node in nodes:
        if isinstance(node, Text):
            text = _SPACE.sub(" ", node.text)
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
            elif text:
                out.append(Text(text))
        else:
            out.append(node)
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


def _strip(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """No white space at the ends of a segment, nor around a hard break."""
    out = list(nodes)
    for i, node in enumerate(out):
        if isinstance(node, Text):
            text = node.text
            if i == 0 or isinstance(out[i - 1], LineBreak):
                text = text.lstrip(" ")
            if i == len(out) - 1 or isinstance(out[i + 1], LineBreak):
                text = text.rstrip(" ")
            out[i] = Text(text)
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")


def glue_numbers(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Digit groups separated by spaces ("0118 322 7991", "1 000") joined with no-break spaces.

    No writer may break a line inside them, and in right-to-left text the bidi algorithm
    keeps them as one left-to-right number (a no-break space between digits is a common
    separator; a plain space would let "0118 322 7991" display as "7991 322 0118").
    """
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            glued = _DIGIT_SPACE.sub("\u00a0", node.text)
            out.append(node if glued == node.text else Text(glued))
        elif isinstance(node, (Strong, Emphasis, Link)):
            out.append(replace(node, children=glue_numbers(node.children)))
        else:
            out.append(node)
    return tuple(out)
