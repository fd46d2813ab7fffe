"""Source model + catalogs -> translated model (what every writer reads).

Only translated, non-fuzzy entries are ever used. A locale with missing entries is refused
with the list of what is missing, unless a draft is asked for: then the English text stands
in, marked `fallback` and language-tagged English, so writers can show it as such.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import polib

from . import catalogs, inline, locales, pictures, review
from .catalogs import SharedString
from .errors import LeafletError
from .model import (
    Block,
    Contact,
    Heading,
    Label,
    Leaflet,
    ListBlock,
    ListItem,
    LocaleInfo,
    Notice,
    Paragraph,
    Picture,
    Segment,
    Table,
    Text,
    YearMonth,
    fill,
    map_segments,
    segments,
)
from .reader import SourceError
from .version import version
from .words import excerpt

FOOTER = ("contact", "website", "other_formats", "leaflet_code", "author", "review_dates")
# The shared strings this module fills in itself: source/common.yaml must have them.
REQUIRED_SHARED = ("contact_heading", *FOOTER, "unreviewed", "draft", "untranslated", "notice")
_FIRST_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Shared strings only some leaflets need (a kind of notice, pictures, tables, contacts, sources): a
# translation must have them only for a leaflet that uses them, so adding one to source/common.yaml
# never stops the languages that have not translated it yet from building their other leaflets.
NOTICE_LABELS = {"important": "notice", "warning": "notice_warning", "caution": "notice_caution", "tip": "notice_tip"}
NOTICE_LABELS["note"] = "notice_note"
WHEN_USED = {  # ("Important:" stays needed by every leaflet, as it was before notices had kinds)
    *(key for key in NOTICE_LABELS.values() if key != "notice"),
    "picture",
    "audio_table",
    "audio_table_end",
    "table_cell",
    "check_error",  # drafts only
    "audio_quote",
    "audio_quote_end",
    "contact_person",
    "contact_hours",
    "sources_heading",
}


class MissingTranslations(LeafletError):
    """Some entries a build needs are untranslated or fuzzy."""

    def __init__(
        self,
        code: str,
        domain: str,
        path: Path | str,
        missing: list[tuple[str, str]],
        shared: Sequence[tuple[str, str]] = (),
    ):
        """missing: (state, msgid) of the leaflet's catalog; shared: of common.po, listed in the
        same refusal so that one round of translation fixes both."""
        self.missing = [*missing, *shared]
        listed = "; ".join(
            [f'{state} "{excerpt(msgid)}"' for state, msgid in missing]
            + [f'{state} "{excerpt(msgid)}" ({catalogs.COMMON}.po)' for state, msgid in shared]
        )
        entries = "1 entry" if len(missing) == 1 else f"{len(missing)} entries"
        counted = f"{entries} of {domain}" if missing else ""
        if shared:
            counted += (" and " if missing else "") + f"{len(shared)} of {catalogs.COMMON}.po"
        states = {s for s, _ in self.missing}
        todo = "translate them and clear the fuzzy flags" if "fuzzy" in states else "translate them"
        super().__init__(
            f"{code}: {counted} not ready to publish: {listed}",
            path,
            fix=f"{todo}, or build with --draft to proof-read",
        )


class BadTranslation(LeafletError):
    """A msgstr that cannot be rendered (an image, code or raw HTML in it)."""


class _Catalog:
    """The usable entries of one PO file (or the identity for the source language)."""

    def __init__(self, info: LocaleInfo, path: Path | None, draft: bool, po: polib.POFile | None = None):
        self.info, self.path, self.draft = info, path, draft
        self.po = po if po is not None else catalogs.load(path) if path else None
        self.entries = {catalogs.key(e): e for e in self.po if not e.obsolete} if self.po else {}
        self.missing: list[tuple[str, str]] = []
        self.plural = catalogs.plural_forms(self.po)[1] if self.po else "n != 1"

    def forms(self, msgid: str, context: str = "", plural: str = "", needed: bool = True) -> list[tuple[str, bool]]:
        """(text, is_translated) for each form; English (msgid, msgid_plural) where not ready
        (counted as missing when `needed`)."""
        english = [msgid] + ([plural] if plural else [])
        if self.po is None:
            return [(t, True) for t in english]
        entry = self.entries.get((context, msgid))
        if entry is not None and catalogs.usable(entry):
            if entry.msgid_plural:
                return [(entry.msgstr_plural[i], True) for i in sorted(entry.msgstr_plural)]
            return [(entry.msgstr, True)]
        state = "missing" if entry is None else "fuzzy" if "fuzzy" in entry.flags else "untranslated"
        if needed:
            self.missing.append((state, msgid))
        return [(t, False) for t in english]

    def segment(self, seg: Segment, context: str = "") -> Segment:
        ((text, ok),) = self.forms(seg.source, context)[:1]
        return self._segment(text, ok, seg.source, seg.line, seg.note, context)

    def _segment(self, text, ok, source, line, note, context="") -> Segment:
        if not ok:
            return Segment(inline.glue_numbers(inline.parse(source)), source, "en-GB", line, note, fallback=True)
        entry = self.entries.get((context, source))
        where = f"{self.path}:{entry.linenum}" if entry is not None and self.path else str(self.path or "")
        try:
            runs = inline.parse(text)
        except inline.InlineError as exc:
            raise BadTranslation(
                f'{self.info.code}: translation of "{excerpt(source)}": {exc.reason}', where, fix=exc.fix
            ) from exc
        return Segment(inline.glue_numbers(runs), source, self.info.tag, line, note)

    def check_complete(self, domain: str, shared: _Catalog):
        """Refuse (unless a draft) when this catalog or the shared one lacks an entry: all listed at once."""
        if (self.missing or shared.missing) and not self.draft:
            path = self.path if self.missing or shared.path is None else shared.path
            raise MissingTranslations(self.info.code, domain, path or "", self.missing, shared.missing)


def translate(
    leaflet: Leaflet,
    code: str,
    shared: tuple[SharedString, ...],
    *,
    draft: bool = False,
    locales_dir: Path = Path("locales"),
    parsed: Mapping[str, polib.POFile | None] | None = None,
    flagged: Collection[str] = (),
) -> Leaflet:
    """The translated model of a leaflet for one locale.

    `parsed`: the catalogs already read, by domain (the leaflet's id and "common"; None for one
    that does not exist), so a caller that checks them too reads each once; otherwise they are
    read from `locales_dir`. `flagged`: in a draft, the msgids whose translation has a check
    error, each marked for its label on the page (`Leaflet.draft_label`). Raises MissingTranslations when an entry is missing or fuzzy
    (unless draft), and CatalogError for a PO file that cannot be read.
    """
    _check_own_closing_section(leaflet, shared)
    info = locales.info(code)
    source = code == locales.SOURCE_CODE

    def catalog(domain: str) -> _Catalog:
        if source:
            return _Catalog(info, None, draft)
        if parsed is None:
            return _Catalog(info, _po(locales_dir, code, domain), draft)
        path, po = catalogs.po_path(locales_dir, code, domain), parsed.get(domain)
        if po is None:
            raise _no_catalog(code, domain, path)
        return _Catalog(info, path, draft, po)

    body, common = catalog(leaflet.meta.id), catalog(catalogs.COMMON)

    contacts = tuple(
        replace(c, name=body.segment(c.name), hours=None if c.hours is None else body.segment(c.hours))
        for c in leaflet.meta.contacts
    )
    meta = replace(
        leaflet.meta,
        title=body.segment(leaflet.meta.title),
        department=body.segment(leaflet.meta.department),
        contacts=contacts,
        version=leaflet.meta.version or version(leaflet),
    )
    blocks = map_segments(leaflet.blocks, body.segment)
    if draft and flagged:
        blocks = map_segments(blocks, lambda s: replace(s, flagged=s.source in flagged and not s.fallback))
    if not source:
        blocks = _local_pictures(blocks, Path(locales_dir) / code / pictures.FOLDER)
    digits = _body_digits(blocks)
    used = used_labels(leaflet)
    labels = tuple(  # an optional shared string (the desk's) is said in English until translated: no refusal
        replace(_label(common, s, (s.key in used or s.key not in WHEN_USED) and not s.optional), digits=digits)
        for s in shared
    )
    body.check_complete(leaflet.meta.id, common)

    shown = (*_shown(leaflet.blocks, "source"), *(_shown(blocks, f"locales/{code}") if not source else ()))
    reviewed = review.state(body.po, common.po, shown)
    doc = Leaflet(
        meta=meta, blocks=blocks, locale=info, path=leaflet.path, labels=labels, draft=draft, review=reviewed.state
    )
    return replace(doc, blocks=_label_notices(doc.blocks, doc), footer=_footer(doc), notices=_notices(doc, shared))


def _body_digits(blocks: tuple) -> str:
    """The digits 0-9 of the script a translated body writes its numbers in, so that page numbers
    and counts match it (a Persian or Sorani body with ۱۲ gets "صفحه ۱ از ۴"); "" when the body
    uses Latin digits or none."""
    for seg in segments(blocks):
        if seg.fallback:
            continue
        native = _NATIVE_DIGIT.search(seg.text)
        if native:
            zero = ord(native.group()) - unicodedata.decimal(native.group())
            return "".join(chr(zero + i) for i in range(10))
    return ""


_NATIVE_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit (str.isdecimal: category Nd) that is not ASCII


def _check_own_closing_section(leaflet: Leaflet, shared: tuple[SharedString, ...]) -> None:
    """A body section headed like the closing section ("Contacting us") would print that heading twice:
    the numbers belong in the front matter, which fills the closing section in every language."""
    closing = next((s.text for s in shared if s.key == "contact_heading"), "")
    for block in leaflet.blocks:
        if isinstance(block, Heading) and closing and block.content.text.casefold() == closing.casefold():
            raise SourceError(
                f'a section headed "{block.content.text}": every leaflet ends with that section already',
                leaflet.path,
                block.content.line,
                fix="put the numbers in the front matter (phone:, or contacts: with name, phone and hours) "
                "and remove the section",
            )


def used_labels(leaflet: Leaflet) -> set[str]:
    """The shared strings of WHEN_USED that this leaflet needs."""
    used: set[str] = set()

    def walk(blocks: tuple[Block, ...]) -> None:
        for b in blocks:
            if isinstance(b, Notice):
                used.update(("audio_quote", "audio_quote_end") if b.quotation else (NOTICE_LABELS[b.kind],))
                walk(b.blocks)
            elif isinstance(b, Picture):
                used.add("picture")
            elif isinstance(b, Table):
                used.update(("audio_table", "audio_table_end", "table_cell"))

    walk(leaflet.blocks)
    if leaflet.meta.contacts:
        used.update(("contact_person", "contact_hours"))
    if leaflet.meta.sources:
        used.add("sources_heading")
    return used


def _local_pictures(blocks: tuple[Block, ...], folder: Path) -> tuple[Block, ...]:
    """Pictures with a replacement for this language (locales/<lang>/images/<same name>: a picture
    that holds words) take it; the replacement is checked as strictly as the original."""
    if not folder.is_dir():
        return blocks
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Picture) and os.path.lexists(folder / b.name):
            try:
                got = pictures.load(folder, b.name)
            except pictures.PictureError as exc:
                raise LeafletError(exc.reason, folder / b.name, fix=exc.fix) from exc
            b = replace(b, data=got.data, media_type=got.media_type, width=got.width, height=got.height)
        elif isinstance(b, Notice):
            b = replace(b, blocks=_local_pictures(b.blocks, folder))
        out.append(b)
    return tuple(out)


def _shown(blocks: tuple[Block, ...], folder: str) -> list[tuple[str, bytes]]:
    """The pictures a model shows, as `review.fingerprints` takes them (as if read from
    <folder>/images/: a translation's pictures that are the English ones count as none)."""
    out: list[tuple[str, bytes]] = []
    for b in blocks:
        if isinstance(b, Picture):
            out.append((f"{folder}/{pictures.FOLDER}/{b.name}", b.data))
        elif isinstance(b, Notice):
            out += _shown(b.blocks, folder)
    return out


def _label_notices(blocks: tuple, doc: Leaflet) -> tuple:
    """Each notice gets the label of its kind ("Important:", "Warning:" ...); a quotation none."""
    return tuple(
        replace(b, label=doc.label(NOTICE_LABELS[b.kind])) if isinstance(b, Notice) and not b.quotation else b
        for b in blocks
    )


def _notices(doc: Leaflet, shared) -> tuple[Segment, ...]:
    """DRAFT on drafts; on unreviewed or stale translations the review notice, in the target
    language and in English (the English one language-tagged as such)."""
    notices = [doc.label("draft")] if doc.draft else []
    if doc.review.unchecked:
        notice = doc.label("unreviewed")
        notices.append(notice)
        if not notice.fallback:
            english = next(s for s in shared if s.key == "unreviewed")
            notices.append(Segment(inline.parse(english.text), english.text, "en-GB", english.line))
    return tuple(notices)


def _po(locales_dir: Path, code: str, domain: str) -> Path:
    path = catalogs.po_path(locales_dir, code, domain)
    if not path.exists():
        raise _no_catalog(code, domain, path)
    return path


def _no_catalog(code: str, domain: str, path: Path) -> LeafletError:
    return LeafletError(
        f"{code}: no catalog for {domain}", path, fix="run `pipeline.py update` to create it from the template"
    )


def _label(common: _Catalog, s: SharedString, needed: bool = True) -> Label:
    forms = common.forms(s.text, s.key, s.plural, needed)
    segs = tuple(common._segment(text, ok, s.text, s.line, s.note, s.key) for text, ok in forms)
    count = _FIRST_PLACEHOLDER.search(s.text)
    return Label(s.key, segs, count.group(1) if (s.plural and count) else "", common.plural)


@lru_cache(maxsize=256)
def month_year(ym: YearMonth, code: str) -> str:
    """ "May 2026", "maj 2026", "2026年5月" (CLDR's year-month skeleton, which is safe across locales)."""
    from babel.dates import format_skeleton  # only when translating: extraction needs no CLDR data

    return format_skeleton("yMMMM", date(ym.year, ym.month, 1), locale=code)


def _footer(doc: Leaflet) -> tuple:
    """The trust-wide closing section, filled in at the Markdown level so the website is a link.

    A label still in English (a draft whose shared catalog is unfinished) is filled with
    English values too, so no sentence mixes two languages under one language tag.
    """
    meta = doc.meta
    website = meta.website if "://" in meta.website else "https://" + meta.website

    def values(seg: Segment) -> dict:
        code, department = (
            (locales.SOURCE_CODE, meta.department.source)
            if seg.fallback
            else (doc.locale.code, inline.to_markdown(meta.department.inlines))
        )
        return {
            "department": department,
            "phone": _md(meta.phone.replace(" ", "\u00a0")),
            "website": f"[{_md(meta.website)}]({website})",
            "id": _md(meta.code),
            "author": _md(meta.author),
            "reviewed": _md(month_year(meta.reviewed, code)),
            "next_review": _md(month_year(meta.next_review, code)),
        }

    def paragraph(key: str, contact: Contact | None = None) -> Paragraph:
        seg = next(label for label in doc.labels if label.key == key).forms[0]
        extra = _contact_values(contact, english=seg.fallback) if contact else {}
        filled = fill(inline.to_markdown(seg.inlines), values(seg) | extra)
        return Paragraph(replace(seg, inlines=inline.glue_numbers(inline.parse(filled))))

    blocks: list[Block] = [Heading(2, doc.label("contact_heading"))]
    for key in FOOTER:
        if key == "contact" and not meta.phone:  # only `contacts:` in the front matter
            continue
        if key == "website":
            blocks += [paragraph("contact_person" if c.hours is None else "contact_hours", c) for c in meta.contacts]
        blocks.append(paragraph(key))
    if meta.sources:
        items = tuple(ListItem(s) for s in meta.sources)
        blocks += [Heading(2, doc.label("sources_heading")), ListBlock(True, items)]
    return tuple(blocks)


def _contact_values(contact: Contact, english: bool) -> dict:
    """A contact's name, phone and hours for "Ward 10, Tel 0118 322 7991, 24 hours a day.": in
    English where the sentence itself is still English (a draft), so no line mixes two languages."""

    def text(seg: Segment) -> str:
        return seg.source if english else inline.to_markdown(seg.inlines)

    found = {"name": text(contact.name), "phone": _md(contact.phone.replace(" ", "\u00a0"))}
    return found | ({"hours": text(contact.hours)} if contact.hours is not None else {})


def _md(text: str) -> str:
    return inline.to_markdown((Text(text),))
