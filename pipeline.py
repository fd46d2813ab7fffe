#!/usr/bin/env python3
"""Command line of the leaflet pipeline. Run `python pipeline.py --help`.

Every user mistake ends as one line on stderr ("error: file:line: what (how to fix)") and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

import formats
from formats.options import OptionError, declared
from leaflets.errors import LeafletError
from leaflets.project import Project
from publishing.engine import crashlog
from publishing.translation import workflow

ROOT = Path(__file__).resolve().parent


EX_SOFTWARE = 70  # sysexits.h: an internal error (a bug), not the user's mistake


def main(argv: list[str] | None = None) -> int:
    root = _root(argv)  # a bug's log goes to its .cache/logs/
    try:
        args = _parser().parse_args(argv)  # imports every writer: a broken one is a bug, said in one line
        project = Project(Path(args.root))
        for odd in project.odd_locale_folders():  # said once, then skipped by every command
            print(f"warning: {odd}", file=sys.stderr)
        return args.run(project, args)
    except LeafletError as exc:
        print(("" if getattr(exc, "plain", False) else "error: ") + str(exc), file=sys.stderr)
        return 2 if isinstance(exc, UsageError | OptionError) else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # a folder that cannot be written, a full disk: say which, plainly
        from publishing.engine.output import describe

        print(f"error: {describe(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line; the whole traceback is kept in the build folder's logs
        print(crashlog.line(exc, root), file=sys.stderr)
        return EX_SOFTWARE


def _root(argv: list[str] | None) -> Path:
    """The project root (--root), read before the full parser exists."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--root", default=str(ROOT))
    return Path(early.parse_known_args(argv)[0].root)


class UsageError(LeafletError):
    """A request the command line cannot carry out as asked."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pipeline.py", description=__doc__.split("\n")[0])
    p.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("extract", help="write the translation templates (locales/templates/*.pot)")
    c.set_defaults(run=cmd_extract)

    c = sub.add_parser("init", help="start a new language: locales/LANG/LC_MESSAGES/*.po")
    c.add_argument("lang", metavar="LANG", help="locale code, e.g. pl, ur, zh_Hans")
    c.set_defaults(run=cmd_init)

    c = sub.add_parser("update", help="merge changed sources into every language's catalogs")
    c.set_defaults(run=cmd_update)

    c = sub.add_parser("memory", help="a language's translation memory as a PO compendium and a TMX file")
    c.add_argument("lang", metavar="LANG")
    c.add_argument("--out", default=None, metavar="DIR", help="output directory (default build/memory/)")
    c.set_defaults(run=cmd_memory)

    c = sub.add_parser("export-xliff", help="a language's catalogs as XLIFF 1.2 for translation agencies")
    c.add_argument("lang", metavar="LANG")
    c.add_argument("--out", default=None, metavar="DIR", help="output directory (default build/xliff/)")
    c.set_defaults(run=cmd_export_xliff)

    c = sub.add_parser("import-xliff", help="bring translated XLIFF files back into their catalogs")
    c.add_argument("files", metavar="FILE", nargs="+")
    c.set_defaults(run=cmd_import_xliff)

    c = sub.add_parser("import", help="bring Word (.docx), ODT and HTML leaflets into source/, one file or folders")
    c.add_argument("paths", metavar="FILE|DIR", nargs="+", help=".docx, .odt or .html files, or folders of them")
    c.add_argument("--id", default=None, metavar="ID", help="the leaflet code (one file; wins over one it gives)")
    c.add_argument("--dry-run", action="store_true", help="convert, check and report; write nothing")
    c.add_argument("--replace", action="store_true", help="import again a leaflet whose code is already in source/")
    c.add_argument(
        "--meta",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a front-matter value for documents that lack it",
    )
    c.set_defaults(run=cmd_import)

    c = sub.add_parser("status", help="how much of each leaflet is translated, per language")
    c.add_argument("--leaflet", action="append", metavar="ID")
    c.add_argument("--locale", action="append", metavar="LANG")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(run=cmd_status)

    c = sub.add_parser("due", help="leaflets whose review falls due soon or is past, with their authors")
    c.add_argument("--within", type=int, default=90, metavar="DAYS", help="how far ahead to look (default 90 days)")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(run=cmd_due)

    c = sub.add_parser("check", help="translation safety: numbers, phone numbers, links, bold, kept terms ...")
    c.add_argument("--leaflet", action="append", metavar="ID", help="only this leaflet and common.po (repeatable)")
    c.add_argument("--locale", action="append", metavar="LANG", help="only this language (repeatable)")
    c.add_argument("--json", action="store_true", help="machine-readable output: a JSON list of findings")
    c.add_argument("--fuzzy", action="store_true", help="check translated fuzzy entries too (suggestions, old English)")
    c.set_defaults(run=cmd_check)

    c = sub.add_parser("build", help="render leaflets into large print, Word, audio ... in build/")
    c.add_argument("--leaflet", action="append", metavar="ID", help="only this leaflet (repeatable)")
    c.add_argument("--locale", action="append", metavar="LANG", help="only this language (repeatable)")
    c.add_argument(
        "--format", action="append", metavar="NAME", help="only this format (repeatable): " + ", ".join(formats.names())
    )
    c.add_argument("--out", default=None, metavar="DIR", help="output directory (default build/)")
    _writer_options(c)
    c.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    c.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: worker processes on this machine (default); dask: a Dask LocalCluster of --jobs workers",
    )
    c.add_argument(
        "--scheduler",
        default="",
        metavar="tcp://HOST:PORT",
        help="run the work on an existing Dask cluster (see README: several machines)",
    )
    mode = c.add_mutually_exclusive_group()
    mode.add_argument(
        "--draft",
        action="store_true",
        help="proof-reading copies: untranslated passages shown in English, marked DRAFT",
    )
    mode.add_argument(
        "--release", action="store_true", help="refuse anything not signed off by a clinician or past its review date"
    )
    c.set_defaults(run=cmd_build)

    c = sub.add_parser("request", help="one copy for a patient: prints the path of a ready file")
    c.add_argument("leaflet", metavar="LEAFLET", help='leaflet code or words of its title, e.g. "vertebroplasty"')
    c.add_argument("language", metavar="LANGUAGE", help="code, English or native name, e.g. pl, Polish, polski")
    c.add_argument(
        "format",
        metavar="FORMAT",
        nargs="+",
        help='one or more: large-print, word, audio ... (or "big print", mp3 ...)',
    )
    _writer_options(c)
    c.add_argument(
        "--out", default=None, metavar="DIR", help="also copy the files into this existing folder (a USB stick)"
    )
    c.set_defaults(run=cmd_request)

    c = sub.add_parser("issued", help="the record of every copy issued; --get gives one back byte for byte")
    c.add_argument("--since", default=None, metavar="DATE", help="only copies issued on or after DATE (YYYY-MM-DD)")
    c.add_argument("--leaflet", default=None, metavar="ID", help="only copies of this leaflet")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.add_argument("--get", default=None, metavar="SHA256", help="write the copy with this sha256 into --out DIR")
    c.add_argument("--out", default=None, metavar="DIR", help="where --get puts the file")
    c.set_defaults(run=cmd_issued)

    c = sub.add_parser("speech-text", help="what the speech voices are given for a leaflet, segment by segment")
    c.add_argument("leaflet", metavar="LEAFLET", help="leaflet code or words of its title")
    c.add_argument("language", metavar="LANGUAGE", help="code, English or native name")
    c.add_argument("--draft", action="store_true", help="an incomplete translation, English where it is missing")
    c.set_defaults(run=cmd_speech_text)

    c = sub.add_parser("list", help="what can be requested: leaflets, languages and formats")
    c.set_defaults(run=cmd_list)

    c = sub.add_parser("serve", help="the PALS desk: a web page for issuing copies (http://127.0.0.1:8080/)")
    c.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    c.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    c.set_defaults(run=cmd_serve)

    c = sub.add_parser("retire", help="withdraw a leaflet: its source and catalogs move to retired/ID/")
    c.add_argument("leaflet", metavar="ID")
    c.add_argument("--why", default="", metavar="TEXT", help="why the trust withdrew it (kept with it)")
    c.set_defaults(run=cmd_retire)

    c = sub.add_parser("signoff", help="record a clinician's review of a translation")
    c.add_argument("lang", metavar="LANG")
    c.add_argument("--leaflet", required=True, metavar="ID")
    c.add_argument("--by", required=True, metavar='"NAME, ROLE"')
    c.add_argument(
        "--pack", default=None, metavar="FILE", help="the review pack the clinician read (its sha256 is recorded)"
    )
    c.set_defaults(run=cmd_signoff)

    c = sub.add_parser("review-pack", help="a bilingual PDF and Word proof for the reviewing clinician")
    c.add_argument("leaflet", metavar="LEAFLET")
    c.add_argument("lang", metavar="LOCALE")
    c.add_argument("--out", default=None, metavar="DIR", help="where to write it (default build/review)")
    c.set_defaults(run=cmd_review_pack)
    return p


def _writer_options(c: argparse.ArgumentParser) -> None:
    """What a copy may be asked to vary, one flag per option the record declares (formats/options.py),
    the same for `build` and `request`. Values are checked by the record, after parsing (one line)."""
    for d in declared(formats.Options):
        c.add_argument(
            d.flag,
            dest=d.name,
            default=None,
            metavar=d.spec.metavar or None,
            help=f"{d.spec.help} ({d.allowed}; default {d.usual})",
        )


def _options(args: argparse.Namespace) -> formats.Options:
    """The writer options a build or request asked for (OptionError, one line, for a value out of range)."""
    chosen = {
        d.name: d.parse(getattr(args, d.name)) for d in declared(formats.Options) if getattr(args, d.name) is not None
    }
    return formats.Options(build_date=date.today(), **chosen)


def cmd_extract(project: Project, args) -> int:
    warnings: list[str] = []
    changed = workflow.extract(project, warnings)
    print(f"{len(changed)} template(s) changed" if changed else "templates up to date")
    for warning in warnings:
        print(warning, file=sys.stderr)
    _say_orphans(project)
    missing = workflow.missing_catalogs(project)
    if missing:
        print(
            f"{len(missing)} catalog(s) do not exist yet, e.g. {missing[0].relative_to(project.root)}: "
            "run `pipeline.py update` to make them"
        )
    return 0


def _say_orphans(project: Project) -> None:
    """Catalogs left behind by a leaflet whose source is gone, named with what to do."""
    from publishing.translation import retired

    for domain, paths in retired.orphans(project).items():
        print(
            f"warning: {len(paths)} catalog(s) of {domain} have no source (e.g. {paths[0].relative_to(project.root)}): "
            f'if the trust withdrew it, run `pipeline.py retire {domain} --why "..."`; otherwise restore '
            f"source/{domain}-*.md",
            file=sys.stderr,
        )


def cmd_init(project: Project, args) -> int:
    done = workflow.init(project, args.lang)
    for path in done.changed:
        print(f"created {path.relative_to(project.root)}")
    _say_suggestions(done)
    _say_unchecked([args.lang])
    return 0


def _say_unchecked(codes) -> None:
    """Locales the checks cannot fully check (no negation data), said on stderr."""
    from leaflets import checks

    for line in checks.unchecked(codes):
        print(f"note: {line}", file=sys.stderr)


def cmd_update(project: Project, args) -> int:
    done = workflow.update(project)
    for path in done.changed:
        print(f"updated {path.relative_to(project.root)}")
    if not done.changed:
        print("catalogs up to date")
    _say_suggestions(done)
    return 0


def _say_suggestions(done: workflow.Updated) -> None:
    found = done.suggested
    if found.exact or found.close:
        print(
            f"translation memory suggested {found.exact} exact and {found.close} close translation(s), "
            "all marked fuzzy: review each and clear its fuzzy flag"
        )
    if found.withheld:
        print(f"translation memory withheld {found.withheld} suggestion(s) whose translation fails the checks")


def cmd_memory(project: Project, args) -> int:
    from publishing.translation import memory

    code = project.resolve_locale(args.lang)
    if code == "en":
        raise UsageError("the English source has no translation memory", fix="name a language, e.g. pl")
    out = Path(args.out) if args.out else _in_build(project, "memory")
    for path in memory.write(project, code, out):
        print(path)
    return 0


def _in_build(project: Project, name: str) -> Path:
    """build/<name>: the project's build folder is claimed (marked as the pipeline's) first, so a
    later `build` into it does not take it for somebody else's folder."""
    from publishing.engine import output

    output.claim(project.root / "build")
    return project.root / "build" / name


def cmd_export_xliff(project: Project, args) -> int:
    from publishing.translation import xliff

    out = Path(args.out) if args.out else _in_build(project, "xliff")
    for path in xliff.export(project, args.lang, out):
        print(path)
    return 0


def cmd_import_xliff(project: Project, args) -> int:
    from publishing.translation import xliff

    for name in args.files:
        done = xliff.import_file(project, Path(name))
        lost = f" ({done.matched_by_text} found by their English: the file had lost their context)"
        print(
            f"{done.path.relative_to(project.root)}: {done.changed} entr{'y' if done.changed == 1 else 'ies'} changed"
            + (lost if done.matched_by_text else "")
        )
        if done.stayed_fuzzy:
            print(
                f"{done.stayed_fuzzy} approved entr{'y' if done.stayed_fuzzy == 1 else 'ies'} stayed fuzzy: "
                "the English changed since the translation was made (review them in the PO file)"
            )
    return 0


def cmd_import(project: Project, args) -> int:
    from publishing.importing import library

    options = library.Options(args.id, args.dry_run, args.replace, library.meta_values(args.meta))
    outcomes = library.Library(project, options).run([Path(p) for p in args.paths])
    print(library.summary_line(outcomes))
    return 1 if any(o.status == library.Status.REFUSED for o in outcomes) else 0


def cmd_status(project: Project, args) -> int:
    leaflets, codes = _chosen(project, args)
    rows = workflow.status(project, leaflets, codes)
    _say_unchecked(sorted({r.locale for r in rows}))
    if args.json:
        print(json.dumps([dict(vars(r), total=r.total, percent=r.percent) for r in rows], indent=2, ensure_ascii=False))
        return _source_errors(rows)
    print(
        f"{'leaflet':<10} {'locale':<8} {'version':<8} {'translated':>10} {'fuzzy':>6} {'untransl.':>9} {'words':>11} {'%':>6}"
        f"  {'checks':<11} review"
    )
    for r in rows:
        if r.error:
            print(f"{r.leaflet:<10} {r.locale:<8} source error (see below)")
            continue
        if not r.started:
            print(f"{r.leaflet:<10} {r.locale:<8} not started (no catalog yet: run `pipeline.py update`)")
            continue
        print(
            f"{r.leaflet:<10} {r.locale:<8} {r.version:<8} {r.translated:>10} {r.fuzzy:>6} {r.untranslated:>9} "
            f"{r.translated_words:>5}/{r.total_words:<5} {r.percent:>6}  {f'{r.errors}E {r.warnings}W':<11} {r.review}"
            + (f" ({r.suppressed} check finding(s) suppressed by ignore-* flags)" if r.suppressed else "")
        )
    shared = {r.locale: r for r in rows if r.started and not r.error}
    for code, r in shared.items():
        print(f"{'(shared)':<10} {code:<8} {r.shared_translated:>10} of {r.shared_total} entries of common.po")
    for code, keys in {r.locale: r.missing_shared for r in rows if r.missing_shared}.items():
        print(f"{code}: missing shared strings (said in English until translated in common.po): {keys}")
    return _source_errors(rows)


def cmd_due(project: Project, args) -> int:
    if args.within < 0:
        raise UsageError(f"--within {args.within} must be a number of days, 0 or more")
    found, broken = workflow.due(project, date.today(), args.within)
    if args.json:
        print(json.dumps([vars(d) for d in found], indent=2, ensure_ascii=False))
    else:
        for d in found:
            languages = ", ".join(d.languages) or "none"
            print(f"{d.leaflet}  {d.said}  author: {d.author}  translations to review again after it: {languages}")
        if not found:
            print(f"no leaflet's review falls due within {args.within} days")
    for exc in broken:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
    return 1 if broken else 0


def _chosen(project: Project, args: argparse.Namespace) -> tuple[list[str] | None, list[str] | None]:
    """The leaflets and locales named by --leaflet and --locale (checked), or None for all."""
    leaflets = [project.resolve_leaflet(lid) for lid in args.leaflet] if args.leaflet else None
    codes = [project.resolve_locale(code) for code in args.locale] if args.locale else None
    return leaflets, codes


def _source_errors(rows) -> int:
    """Each broken leaflet source said once on stderr; non-zero exit if there was one."""
    errors = dict.fromkeys(r.error for r in rows if r.error)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


def cmd_check(project: Project, args) -> int:
    from leaflets import checks
    from publishing.engine.checkcache import FindingsCache

    leaflets, codes = _chosen(project, args)
    memo = FindingsCache(project.root)  # what `status` and `build` found is not sought again
    found = checks.run(project, leaflets, codes, include_suppressed=True, memo=memo, fuzzy=args.fuzzy)
    memo.save()
    _say_unchecked(codes or project.locale_codes())
    shown = [f for f in found if not f.suppressed]
    if args.json:
        print(json.dumps([f.as_json() for f in shown], indent=2, ensure_ascii=False))
    else:
        for finding in shown:
            print(finding)
        print(checks.summary(shown, len(found) - len(shown)))
    return 1 if any(f.severity == checks.ERROR for f in shown) else 0


def cmd_build(project: Project, args) -> int:
    from publishing.engine.build import Request, build, default_jobs

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs} must be at least 1")
    chosen_leaflets, chosen_codes = _chosen(project, args)
    leaflets = chosen_leaflets or project.leaflet_ids()
    codes = chosen_codes or project.locale_codes()
    names = [formats.canonical(f) for f in args.format] if args.format else formats.default_names()
    out = Path(args.out) if args.out else project.root / "build"
    request = Request(
        out_dir=str(out.resolve()),
        options=_options(args),
        draft=args.draft,
        release=args.release,
    )
    summary = build(
        project,
        leaflets,
        codes,
        names,
        request,
        jobs=args.jobs or default_jobs(),
        executor=args.executor,
        scheduler=args.scheduler,
    )
    print(summary.line())
    if args.draft:
        _say_draft_findings(project, leaflets, codes)
    return 0 if summary.ok else 1


def _say_draft_findings(project: Project, leaflets: list[str], codes: list[str]) -> None:
    """A draft is for proof-reading, mistakes included: it says what the checks find in it."""
    from leaflets import checks

    found = [f for f in checks.run(project, leaflets, [c for c in codes if c != "en"]) if not f.suppressed]
    for finding in found:
        print(f"draft: {finding}")
    print(f"draft: {checks.summary(found)} in what the drafts show (`pipeline.py check` for the list)")


def cmd_request(project: Project, args) -> int:
    """One copy for a patient, from the issuing service the desk uses too: the same answers, the
    same sentences, recorded in the same request log."""
    from publishing.issuing import archive, asks
    from publishing.issuing.desk.library import LogRecorder
    from publishing.issuing.desk.requestlog import RequestLog
    from publishing.issuing.desk.settings import load
    from publishing.issuing.service import Ask, Issued, Issuing, Policy

    options = _options(args)
    folder = Path(args.out) if args.out else None
    if folder is not None:  # before building: an unmounted USB stick is said at once
        asks.require_folder(folder)
    _say_spoken(project, args.language)
    settings = load(project.root)
    requests = RequestLog(project.root / settings.request_log)
    service = Issuing(
        project,
        project.root / "build",
        Policy(settings.allow_unreviewed, refuse_overdue=settings.overdue_leaflets == "refuse"),
        archive.Keeper(
            lambda: project,
            then=LogRecorder(requests),
            report=lambda said: print(f"warning: {said}", file=sys.stderr),
        ),
    )
    results = service.issue(Ask(args.leaflet, args.language, tuple(args.format), options), date.today(), "command line")
    if not requests.flush(5):  # the log is written by a background thread: its rows before the answer
        print(f"warning: {requests.problem or 'the request log was not written in time'}", file=sys.stderr)
    refusals, caution = [], ""
    for result in results:
        if isinstance(result, Issued):
            if result.stream is not None:
                result.stream.close()
            print(asks.deliver(result.path, folder) if folder is not None else result.path)
            caution = result.caution
        else:
            refusals.append(result.reason + (f" ({result.fix})" if result.fix else ""))
    if caution:
        print(f"warning: {caution} Tell the patient before you hand it over.", file=sys.stderr)
    if refusals:
        raise asks.NotAvailable("\n".join(dict.fromkeys(refusals)))
    return 0


def _say_spoken(project: Project, words: str) -> None:
    """What the desk tells the officer when the patient named a spoken language ("Sylheti"): which
    written language the copy is in, and that no audio is in the spoken one. The service refuses
    what cannot be had; a name it cannot place is left to it."""
    from publishing.issuing import asks

    try:
        lang = asks.understand_language(project, words)
    except asks.NotAvailable:
        return
    if lang.spoken:
        print(
            f"note: the patient asked for {lang.asked}. {lang.note} This is the {lang.english} text; "
            f"there is no {lang.spoken} audio: audio is read in {lang.english}.",
            file=sys.stderr,
        )


def cmd_issued(project: Project, args) -> int:
    from publishing.issuing import archive

    store = archive.Archive(project.root)
    if args.get:
        if not args.out:
            raise UsageError("--get needs --out DIR: the folder to put the file in")
        print(store.get(args.get, Path(args.out)))
        return 0
    since = archive.parse_day(args.since) if args.since else None
    leaflet = args.leaflet.strip() if args.leaflet else None
    copies = store.copies(since, leaflet)
    if not copies and leaflet:
        _known_or_retired(project, leaflet)
    if args.json:
        print(json.dumps([vars(c) for c in copies], indent=2, ensure_ascii=False))
    for c in [] if args.json else copies:
        options = " ".join(f"{k}={v}" for k, v in c.options.items()) or "-"
        kept = "" if c.archived else f"  NOT ARCHIVED: {c.problem}"
        print(
            f"{c.at[:16].replace('T', ' ')}  {c.leaflet} {c.version}  {c.language:<7} {c.format:<11} {options}  "
            f"{c.via}  {c.sha256}  {c.review}{'  (' + c.note + ')' if c.note else ''}{kept}"
        )
    if not copies and not args.json:
        print("no copies issued" + (f" since {since}" if since else "") + (f" of {leaflet}" if leaflet else ""))
    return 0


def _known_or_retired(project: Project, lid: str) -> None:
    """A leaflet id that is in source/ or retired/; otherwise the one-line "unknown leaflet" error."""
    from publishing.translation import retired

    if lid not in project.leaflet_ids() and lid not in retired.withdrawn(project):
        project.resolve_leaflet(lid)


def cmd_speech_text(project: Project, args) -> int:
    from formats.audio.render import said
    from leaflets.translate import translate
    from publishing.issuing import asks

    lid, code = asks.find_leaflet(project, args.leaflet), asks.find_locale(project, args.language)
    writer = formats.get("audio")
    doc = translate(
        project.leaflet(lid), code, project.shared_strings, draft=args.draft, locales_dir=project.locales_dir
    )
    reason = writer.unavailable(doc.locale)
    if reason:
        raise UsageError(f"{lid} {code}: {reason}")
    for n, (part, runs) in enumerate(said(doc), start=1):
        kind = (
            ""
            if part.shown
            else "  (announcement: the length is the recording's own)"
            if part.length
            else "  (announcement)"
        )
        print(f"{n}. {' / '.join(part.written.splitlines())}{kind}")
        for run in runs:
            print(f"   {run.voice.espeak}: {run.text}")
    return 0


def cmd_list(project: Project, args) -> int:
    from leaflets import locales

    for lid in project.leaflet_ids():
        try:
            print(f"{lid}  {project.leaflet(lid).meta.title.text}")
        except LeafletError as exc:
            print(f"{lid}  (cannot be issued: its source has an error: {exc.reason})")
    print()
    print("Languages:")
    for code in project.locale_codes():
        info = locales.info(code)
        gaps = [formats.title(f) for f in formats.default_names() if formats.get(f).unavailable(info)]
        note = f"  (no {', '.join(gaps)})" if gaps else ""
        print(f"  {code:<8} {info.english_name} - {info.native_name}{note}")
    print()
    print("Formats: " + ", ".join(formats.names()))
    print("Example: pipeline.py request vertebroplasty Polish large-print")
    return 0


def cmd_serve(project: Project, args) -> int:
    from publishing.issuing import desk

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number (1-65535)")
    desk.serve(project.root, args.host, args.port)
    return 0


def cmd_retire(project: Project, args) -> int:
    from publishing.translation import retired

    entry = retired.retire(project, args.leaflet, args.why, date.today())
    print(f"retired {entry.id} on {entry.on}: {len(entry.files)} file(s) moved to {retired.FOLDER}/{entry.id}/")
    return 0


def cmd_signoff(project: Project, args) -> int:
    from leaflets.translate import translate
    from publishing.translation import signoffs

    code, lid = project.resolve_locale(args.lang), project.resolve_leaflet(args.leaflet)
    if code == "en":
        raise UsageError("the English source needs no translation sign-off")
    translate(project.leaflet(lid), code, project.shared_strings, locales_dir=project.locales_dir)  # complete?
    entry = signoffs.sign(project, lid, code, args.by, date.today(), Path(args.pack) if args.pack else None)
    pack = entry["pack"]
    said = f" with review pack {pack['id']}" if isinstance(pack, dict) else ""
    print(f"signed off {lid} in {code} by {' '.join(args.by.split())}{said}")
    return 0


def cmd_review_pack(project: Project, args) -> int:
    from publishing.translation import reviewpack

    code, lid = project.resolve_locale(args.lang), project.resolve_leaflet(args.leaflet)
    if code == "en":
        raise UsageError("the English source has no translation to review")
    for path in reviewpack.write(project, lid, code, Path(args.out) if args.out else _in_build(project, "review")):
        print(path)
    return 0


def cli() -> None:
    """The `leaflets` console script: the same commands as `pipeline.py`."""
    sys.exit(main())


if __name__ == "__main__":
    cli()
