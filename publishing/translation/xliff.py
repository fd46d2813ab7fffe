"""XLIFF interchange with translation agencies (memoQ, Trados, Phrase ... read XLIFF 1.2).

Export is translate-toolkit's po2xliff unit by unit (its structure: plural groups, notes,
locations, `#|` as alt-trans), plus what po2xliff leaves out: the msgctxt (as the unit's
`resname` and an `x-po-msgctxt` context, both kept by CAT tools) and the flags (`x-po-flags`).

Import never rebuilds a catalog from the XLIFF (xliff2po's way, which loses every msgctxt, flag
and obsolete entry): it writes each unit's translation into the catalog that exists, entry by
entry, and leaves every other line as it was, so an untouched file round-trips byte for byte.
A unit is found by msgctxt and English; a unit whose context was lost by a tool (po2xliff,
or an agency's) is found by its English alone when that is unambiguous. Anything that cannot
be placed is listed and nothing is written. A target the agency changed comes in as it says
(approved: translated; not approved: fuzzy); an unchanged target keeps the catalog's state,
so a tool that marks every unit "not approved" cannot quietly fuzzy a finished catalog, and
one that marks every unit "approved" cannot quietly clear the fuzzy flag of an entry whose
English changed since it was translated (msgmerge's `#|`, or a translation-memory suggestion):
it stays fuzzy and is counted, unless the agency changed the target itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from lxml import etree

from leaflets import catalogs, locales
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.project import Project
from leaflets.words import excerpt

from . import memory

CONTEXT = "x-po-msgctxt"
FLAGS = "x-po-flags"
_LISTED = 20  # problems named in a refusal


def _store_bytes(store) -> bytes:
    """translate-toolkit writes the 1.1 namespace; the units are the same in XLIFF 1.2."""
    data = bytes(store)
    head, sep, rest = data.partition(b">")  # the XML declaration
    root, sep2, body = rest.partition(b">")
    root = root.replace(b"xliff:document:1.1", b"xliff:document:1.2").replace(b'version="1.1"', b'version="1.2"')
    return head + sep + root + sep2 + body


def export(project: Project, code: str, out_dir: Path) -> list[Path]:
    """One XLIFF per catalog of a locale: out_dir/<code>/<domain>.xlf."""
    from translate.convert.po2xliff import po2xliff
    from translate.storage import po, poxliff

    code = project.resolve_locale(code)
    if code == locales.SOURCE_CODE:
        raise LeafletError("the English source has no catalogs to export", fix="name a language, e.g. pl")
    tag = locales.info(code).tag
    written = []
    for domain in project.domains():
        path = catalogs.po_path(project.locales_dir, code, domain)
        if not path.exists():
            continue
        catalogs.load(path)  # a clear file:line error for a damaged catalog
        source = po.pofile.parsestring(path.read_bytes())
        store: poxliff.PoXliffFile = poxliff.PoXliffFile(sourcelanguage=locales.SOURCE_LOCALE.tag, targetlanguage=tag)
        convert = po2xliff()
        original = path.relative_to(project.root).as_posix()
        for unit in source.units:
            if unit.isblank() or unit.isobsolete():
                continue
            made = convert.convertunit(store, unit, original)
            context = unit.getcontext()
            if context:
                made.xmlelement.set("resname", context)
                made.createcontextgroup("po-entry", [(CONTEXT, context)], purpose="information")
            flags = _flags(unit)
            if flags:
                made.createcontextgroup("po-entry", [(FLAGS, ", ".join(flags))], purpose="information")
        target = Path(out_dir) / code / f"{domain}.xlf"
        write_atomic(target, _store_bytes(store))
        written.append(target)
    return written


def _flags(unit) -> list[str]:
    """A PO unit's flags but fuzzy (which XLIFF says with approved="no")."""
    flags = [f.strip() for line in unit.typecomments for f in line.lstrip("#,").split(",")]
    return [f for f in flags if f and f != "fuzzy"]


@dataclass
class Imported:
    path: Path
    changed: int = 0  # entries whose translation or state changed
    matched_by_text: int = 0  # units without a context, found by their English
    stayed_fuzzy: int = 0  # approved units left fuzzy: their English changed since they were translated
    problems: list[str] = field(default_factory=list)


def import_file(project: Project, xliff_file: Path) -> Imported:
    """Write the translations of one XLIFF file into its catalog (see the module's docstring)."""
    from translate.storage import poxliff

    xliff_file = Path(xliff_file)
    try:
        store = poxliff.PoXliffFile.parsestring(xliff_file.read_bytes())
    except FileNotFoundError as exc:
        raise LeafletError("no such file", xliff_file) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and translate-toolkit's own errors
        raise LeafletError(f"not an XLIFF file: {exc}", xliff_file, fix="export it again from the tool") from exc
    code, domain = _target(project, store, xliff_file)
    path = catalogs.po_path(project.locales_dir, code, domain)
    if not path.exists():
        raise LeafletError(
            f"no catalog {domain} for {code}", xliff_file, fix="run `pipeline.py update` first, then import again"
        )
    with catalogs.locked(path):  # from reading the catalog to writing it back: no other writer in between
        return _import(project, store, xliff_file, path)


def _import(project: Project, store, xliff_file: Path, path: Path) -> Imported:
    old = catalogs.load(path)
    po = catalogs.load(path)
    done = Imported(path)
    by_key = {catalogs.key(e): e for e in po if not e.obsolete and e.msgid}
    by_text: dict[str, list[polib.POEntry]] = {}
    for e in by_key.values():
        by_text.setdefault(e.msgid, []).append(e)
    nplurals = catalogs.plural_forms(po)[0]
    for unit in store.units:
        if unit.isheader() or not unit.source:
            continue
        entry = _entry(unit, by_key, by_text, done)
        if entry is not None:
            _apply(unit, entry, nplurals, done)
    if done.problems:
        listed = "; ".join(done.problems[:_LISTED])
        more = f" and {len(done.problems) - _LISTED} more" if len(done.problems) > _LISTED else ""
        raise LeafletError(
            f"{len(done.problems)} unit(s) cannot be placed in {path.relative_to(project.root)}, nothing imported: "
            f"{listed}{more}",
            xliff_file,
            fix="export the catalog again (`pipeline.py export-xliff`) and translate that file",
        )
    write_atomic(path, catalogs.po_bytes_keeping_layout(po, old, path.read_text(encoding="utf-8")))
    return done


def _target(project: Project, store, xliff_file: Path) -> tuple[str, str]:
    """(locale, domain) of an XLIFF file: its <file original="..."> names the PO file, its
    target-language (or the header's Language:) the locale."""
    files = store.getfilenames()
    if len(files) != 1:
        raise LeafletError(
            f"the file holds {len(files)} documents, not one", xliff_file, fix="import one exported file at a time"
        )
    domain = Path(files[0]).stem
    header = next((u for u in store.units if u.isheader()), None)
    language = store.gettargetlanguage() or ""
    if not language and header is not None:
        named = re.search(r"^Language:\s*(\S+)", str(header.target or ""), re.M)
        language = named.group(1) if named else ""
    if not language:
        raise LeafletError("the file names no target language", xliff_file, fix="export it again from the tool")
    code = locales.from_tag(language).code
    known = project.locale_codes()
    if code not in known and code.split("_")[0] in known:  # a tool's "pl-PL" for the catalogs' "pl"
        code = code.split("_")[0]
    project.resolve_locale(code)
    if domain not in (*project.leaflet_ids(), catalogs.COMMON):
        raise LeafletError(
            f"the file is for {files[0]!r}, not a catalog of this project",
            xliff_file,
            fix="its <file original=...> must name a leaflet's PO file or common.po",
        )
    return code, domain


def _context(unit) -> str | None:
    """The unit's own msgctxt: its resname, or a context in its own po-entry group. Never one
    inside an <alt-trans> (po2xliff writes the previous msgctxt of a fuzzy entry there, and
    translate-toolkit's getcontextgroups reads those too)."""
    resname = unit.xmlelement.get("resname")
    if resname:
        return resname
    for group in unit.xmlelement:
        if etree.QName(group).localname == "context-group" and group.get("name") == "po-entry":
            for context in group:
                if context.get("context-type") == CONTEXT:
                    return context.text or ""
    return None


def _entry(unit, by_key, by_text, done: Imported) -> polib.POEntry | None:
    sources = unit.source.strings if unit.hasplural() else [str(unit.source)]
    msgid = sources[0]
    context = _context(unit)
    if context is not None:
        entry = by_key.get((context, msgid))
        if entry is None:
            done.problems.append(f'"{excerpt(msgid)}" (context {context}) is not in the catalog')
        return entry
    if ("", msgid) in by_key:  # an entry without a context: nothing was lost
        return by_key["", msgid]
    found = by_text.get(msgid, [])
    if len(found) == 1:
        done.matched_by_text += 1
        return found[0]
    if not found:
        done.problems.append(f'"{excerpt(msgid)}" is not in the catalog')
    else:
        contexts = ", ".join(e.msgctxt or "(none)" for e in found)
        done.problems.append(f'"{excerpt(msgid)}" lost its context and is in {len(found)} ({contexts})')
    return None


def _english_changed(entry: polib.POEntry) -> bool:
    """Whether a fuzzy entry's translation was made for other English: msgmerge's previous
    msgid (#|), or a translation-memory suggestion (made for another entry's English)."""
    return bool(entry.previous_msgid or entry.previous_msgid_plural) or memory.COMMENT in (entry.tcomment or "")


def _apply(unit, entry: polib.POEntry, nplurals: int, done: Imported) -> None:
    if entry.msgid_plural:
        targets = list(unit.target.strings) if unit.target and unit.hasplural() else []
        if not any(t.strip() for t in targets):
            return  # no translation in the file: the catalog's stays
        if not any(t.strip() for t in targets[nplurals:]):
            targets = targets[:nplurals]  # a one-form language: the group has both English forms
        if len(targets) != nplurals:
            done.problems.append(f'"{excerpt(entry.msgid)}" has {len(targets)} plural forms, the language {nplurals}')
            return
        new = dict(enumerate(targets))
        changed = new != entry.msgstr_plural
        if changed:
            entry.msgstr_plural = new
    else:
        target = str(unit.target or "")
        if not target.strip():
            return
        changed = target != entry.msgstr
        if changed:
            entry.msgstr = target
    fuzzy = not unit.isapproved()
    if not fuzzy and not changed and "fuzzy" in entry.flags and _english_changed(entry):
        done.stayed_fuzzy += 1  # "approved" on a translation of the old English launders it
        return
    if changed or not fuzzy:
        was = "fuzzy" in entry.flags
        if fuzzy and not was:
            entry.flags.insert(0, "fuzzy")
        elif not fuzzy and was:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        changed = changed or fuzzy != was
    done.changed += changed
