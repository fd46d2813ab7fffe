"""The desk's pages: find a leaflet, choose the language, see what can be issued, issue it.

Every page works without JavaScript. Every copy comes from the issuing service
(publishing/issuing/service.py), found through the project and the build engine (never from a
path in the request); unchecked translations are issued only after the officer has been told
what to say and has confirmed it. Every need that cannot be met is recorded through the service
as it is met, with its reason: no button to remember to press.
"""

from __future__ import annotations

import io
import re
import time
from concurrent import futures
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, NoReturn, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

import formats
from formats.options import Declared, OptionError, declared
from leaflets import schedule
from leaflets.errors import LeafletError
from leaflets.words import capital, listing
from publishing.issuing import archive, asks
from publishing.issuing.service import Ask, Issued, Issuing, Refused, Unmet

from . import mail, report
from .library import Library, LogRecorder, Pair
from .patient import Voice
from .requestlog import Need, RequestLog
from .settings import Settings
from .throttle import Throttle

bp = Blueprint("desk", __name__)

# Outputs for staff checking a copy, not for patients: shown apart on the copy page.
STAFF = ("braille-preview", "audio-wav")
# What each patient format is, in the words an officer can say to a patient.
PLAIN = {
    "large-print": "Large print to print out or read on screen (PDF)",
    "word": "Word document: the patient can make the text bigger or have it read aloud",
    "audio": "Audio: the leaflet read aloud (MP3)",
    "transcript": "Audio transcript: the words of the audio, with times (captions)",
    "text": "Plain text: for e-mail, screen readers and braille displays",
    "braille": "Braille, to emboss on the braille printer",
    "epub": "E-book that reads itself aloud (EPUB), for a phone, tablet or e-reader",
}
# Query keys a copy's address may carry (the declared options' and these); any other is ignored.
COPY_KEYS = ("open", "told", "said", "waiting")
_AGAIN = 600  # seconds in which the same unmet need from the same officer is counted once (a reload)
# A copy being made: the first answer comes at once (QUICK); the page then asks again at once (a meta
# refresh of 0 seconds, which WCAG 2.2.1 allows where a timed one fails) and the desk holds each
# look up to WAIT seconds for the build, so the page stays still and the file follows when ready.
QUICK = 0.8
WAIT = 5.0
RETRY_AFTER = 3  # seconds, for programs (Retry-After)


def _desk() -> dict:
    return current_app.extensions["desk"]


def _library() -> Library:
    return _desk()["library"]


def _service() -> Issuing:
    return _library().service


def _log() -> RequestLog:
    return _desk()["log"]


def _settings() -> Settings:
    return _desk()["settings"]


def _throttle() -> Throttle:
    return _desk()["throttle"]


def _today() -> date:
    return _desk()["today"]()


def _leaflet_or_404(lid: str) -> str:
    if lid not in _library().project().leaflet_ids():
        if gone := asks.withdrawn(_library().project(), lid):
            abort(410, gone)
        abort(404, f'There is no leaflet with the code "{lid[:40]}". Search for it by its title instead.')
    return lid


def _locale_or_404(code: str) -> str:
    if code not in _library().project().locale_codes():
        abort(
            404, f'There is no translation with the code "{code[:20]}". Choose the language from the leaflet\'s page.'
        )
    return code


def _said(code: str, words: str | None = None) -> asks.Language | None:
    """The name the patient gave (?said=Sylheti), when it leads to this written language; the
    request log records it beside the language for this request."""
    said = asks.as_said(_library().project(), request.args.get("said", "") if words is None else words, code)
    _desk()["recorder"].asked.name = said.asked if said else ""
    return said


@bp.before_request
def _forget_the_name_asked() -> None:
    """Each request starts with no name asked (the recorder's note is per thread)."""
    _desk()["recorder"].asked.name = ""


def record(refused: Refused, asked: str = "") -> None:
    """Record a need that could not be met (through the issuing service, so every refusal is recorded
    the same way), once however often the officer reloads the page. A failure is not a need."""
    if refused.failed:
        return
    recorder: LogRecorder = _desk()["recorder"]
    if asked:
        recorder.asked.name = asked
    key = "|".join((refused.leaflet, refused.locale, refused.format, str(refused.kind), recorder.asked.name))
    key += (
        "|" + ", ".join(formats.get(refused.format).labels(refused.options))
        if refused.format in formats.names()
        else ""
    )
    now = time.time()
    seen = {k: t for k, t in session.get("unmet", {}).items() if now - t < _AGAIN}
    if key not in seen:
        _service().record(refused, _today(), "desk")
    seen[key] = now
    session["unmet"] = dict(sorted(seen.items(), key=lambda kv: kv[1])[-20:])


# --- finding the leaflet and the language ----------------------------------------------------------


@bp.get("/")
def search():
    words = request.args.get("q", "").strip()
    library = _library()
    error = ""
    matches: list[str] = []
    if "q" in request.args:
        if not words:
            error = "Enter words from the leaflet's title, or its code"
        else:
            matches = asks.find_leaflets(library.project(), words)
            if len(matches) == 1:
                return redirect(url_for("desk.leaflet", lid=matches[0]), 303)
            if not matches:
                error = asks.withdrawn(library.project(), words).rstrip(".") or (
                    f'No leaflet matches "{words}". Check the spelling, or try fewer words'
                )
    titles = dict(library.titles())
    return render_template(
        "search.html", words=words, error=error, matches=[(m, titles[m]) for m in matches], leaflets=titles.items()
    )


@bp.get("/leaflets/<lid>")
def leaflet(lid: str):
    lid = _leaflet_or_404(lid)
    project = _library().project()
    words = request.args.get("language", "").strip()
    error = ""
    choices: tuple[asks.Language, ...] = ()
    missing = None
    unknown = ""
    if "language" in request.args:
        try:
            lang = asks.understand_language(project, words)
            if lang.translated:
                said: dict[str, Any] = {"said": lang.asked} if lang.asked else {}
                return redirect(url_for("desk.copy", lid=lid, code=lang.code, **said), 303)
            missing = lang
            sentence = f"There is no translation into {lang.english} yet."
            record(Refused(lid, lang.code, "", formats.Options(), sentence, Unmet.NO_TRANSLATION), lang.asked)
        except asks.Ambiguous as exc:
            choices = exc.choices
        except asks.Unrecognised as exc:
            error, unknown = exc.reason.split(";")[0], exc.words
        except asks.NotAvailable as exc:
            error = exc.reason.rstrip(".")
    languages = sorted((asks.language(c, True) for c in project.locale_codes()), key=lambda lang: lang.english)
    return render_template(
        "leaflet.html",
        lid=lid,
        title=asks.leaflet_title(project, lid) or lid,
        words=words,
        error=error,
        unknown=unknown,
        choices=choices,
        missing=missing,
        languages=languages,
    )


# --- the copy page and issuing ---------------------------------------------------------------------


@bp.get("/leaflets/<lid>/<code>")
def copy(lid: str, code: str):
    pair = _library().pair(_leaflet_or_404(lid), _locale_or_404(code), _today())
    said = _said(code)
    refusal = _service().readiness(lid, code, _today()).refusal
    if refusal is not None:
        record(refusal)
    return _copy_page(pair, {"said": said.asked if said else ""}, {}, said=said)


def _copy_page(pair: Pair, form: dict, errors: dict, status: int = 200, said: asks.Language | None = None):
    voice = Voice(_library().project(), pair.language.code)
    fields = _fields(pair)
    return (
        render_template(
            "copy.html",
            pair=pair,
            form=form,
            errors=errors,
            said=said,
            patient=[c for c in pair.choices if c.format not in STAFF],
            staff=[c for c in pair.choices if c.format in STAFF and c.reason is None],
            plain=PLAIN,
            fields=[f for f in fields if f.offered],
            more=[f for f in fields if not f.offered],
            warnings=voice.cautions(pair.leaflet, _today()),
            ask_us=voice.say("other_formats"),
            review_due=_review_due(pair.leaflet),
        ),
        status,
    )


@bp.post("/leaflets/<lid>/<code>/issue")
def issue(lid: str, code: str):
    pair = _library().pair(_leaflet_or_404(lid), _locale_or_404(code), _today())
    keys = ("format", "told", "action", "address", "said", *(d.key for d in declared(formats.Options)))
    form = {k: request.form.get(k, "")[:300] for k in keys}
    errors = {}
    choice = next((c for c in pair.choices if c.format == form["format"]), None)
    if pair.refusal:
        abort(409, pair.refusal)
    if choice is None:
        errors["format"] = "Choose a format"
    elif choice.reason is None and pair.caution and form["told"] != "yes":
        errors["told"] = "Confirm that you have told the patient what the warning says"
    if form["action"] not in ("download", "open", "email"):
        errors["action"] = "Choose Download, Open to print or E-mail"
    address = ""
    if form["action"] == "email":
        address = mail.check_address(form["address"])
        if not _settings().mail_configured:
            errors["address"] = "E-mail is not set up on this desk: download the copy instead"
        elif not address:
            errors["address"] = "Enter the patient’s e-mail address, like name@example.com"
    if choice is not None:
        errors.update(_option_errors(choice.format, form))
    if errors and not (choice is not None and choice.reason is not None):
        return _copy_page(pair, form, errors, 400, _said(code, form["said"]))
    assert choice is not None
    query = _options_query(choice.format, form)
    if form["said"]:
        query["said"] = form["said"]
    if choice.reason is not None or form["action"] != "email":  # a refusal is said (and recorded) there
        if form["action"] == "open":
            query["open"] = "yes"
        if form["told"] == "yes":
            query["told"] = "yes"
        return redirect(url_for("desk.copies", lid=lid, code=code, fmt=choice.format, **query), 303)
    _said(code, form["said"])
    return _email(pair, choice.format, query, address)


@dataclass(frozen=True)
class Field:
    """One option the officer may choose on the copy page, as the options record declares it."""

    option: Declared
    formats: str  # the titles of the formats it is for: "large print and Word"
    offered: list[tuple[str, str]]  # (value, label) to choose from; [] = a number box
    usual: str  # the default, as the form sends it


def _fields(pair: Pair) -> list[Field]:
    """A form field for each declared option that a patient format offered in this language uses."""
    found = []
    for d in declared(formats.Options):
        titles = [c.title for c in pair.choices if c.reason is None and d.name in c.options and c.format not in STAFF]
        if titles:
            offered = d.offered()
            usual = next((v for v, _ in offered if d.parse(v) == d.default), str(d.default))
            found.append(Field(d, listing(titles), offered, usual))
    return found


def _review_due(lid: str) -> str:
    """ "Review due 2028-05, in 26 days" or "Overdue: ..." for the copy page; "" when not soon."""
    due = schedule.review(_library().project().leaflet(lid).meta.next_review, _today())
    return "" if due.standing == schedule.Standing.CURRENT else str(due)[:1].upper() + str(due)[1:] + "."


def _options_query(fmt: str, form: dict) -> dict[str, Any]:
    """The chosen options the format uses, as the copy's address carries them."""
    writer = formats.get(fmt)
    return {d.key: form[d.key] for d in declared(formats.Options) if d.name in writer.uses and form.get(d.key)}


def _options(fmt: str, args) -> formats.Options:
    """Options from the address (?size=24&speed=slower ...), each checked by the options record;
    a plain 400 page for an option the format does not use or a value it cannot take."""
    writer = formats.get(fmt)
    chosen = {}
    for d in declared(formats.Options):
        if d.key not in args:
            continue
        if d.name not in writer.uses:
            abort(400, f"{capital(formats.title(fmt))} has no {d.spec.label}: leave out ?{d.key}.")
        try:
            chosen[d.name] = d.parse(args[d.key])
        except OptionError as exc:
            abort(400, capital(str(exc)) + ".")
    return formats.Options(build_date=_today(), **chosen)


def _option_errors(fmt: str, form: dict) -> dict[str, str]:
    """A plain form error for each chosen option the record refuses."""
    errors = {}
    for key, value in _options_query(fmt, form).items():
        try:
            next(d for d in declared(formats.Options) if d.key == key).parse(value)
        except OptionError as exc:
            errors[key] = capital(str(exc))
    return errors


@bp.get("/copies/<lid>/<code>/<fmt>")
def copies(lid: str, code: str, fmt: str):
    """The stable address of a copy, for bookmarks and the intranet. Leaflet, language and format
    are understood as the command line's `request` understands them; other words than the codes
    are sent on to the codes' address. A copy not made yet is made in the background: the page
    says so and looks again by itself until it can hand the file."""
    service = _service()
    keys = (*COPY_KEYS, *(d.key for d in declared(formats.Options)))
    args: dict[str, Any] = {k: request.args[k] for k in keys if k in request.args}  # others are ignored
    resolved = service.resolve(Ask(lid, code, (fmt,)))
    if isinstance(resolved, Refused):
        if resolved.kind in (Unmet.NO_TRANSLATION, Unmet.FORMAT_NOT_MADE):  # a real need, not a typo
            record(resolved)
        abort(410 if asks.withdrawn(service.project, lid) else 404, resolved.reason)
    found, language, names = resolved
    if len(names) != 1:
        abort(404, "One address is one copy: ask for one format.")
    if (found, language, names[0]) != (lid, code, fmt):
        return redirect(url_for("desk.copies", lid=found, code=language, fmt=names[0], **args), 301)
    options = _options(fmt, args)
    today = _today()
    said = _said(code)
    refused = service.refusal(lid, code, fmt, options, today)
    if refused is not None:
        record(refused)
        _refusal(_library().pair(lid, code, today), refused.reason)
    if args.get("told") != "yes" and service.readiness(lid, code, today).caution:
        pair = _library().pair(lid, code, today)  # the officer confirms having told the patient first
        choice = next(c for c in pair.choices if c.format == fmt)
        voice = Voice(_library().project(), code)
        return render_template(
            "confirm.html",
            pair=pair,
            choice=choice,
            args=args,
            error="told" in args,
            warnings=voice.cautions(lid, today),
        )
    how = "open" if args.get("open") == "yes" else "download"
    copy = _ready_or_making(lid, code, fmt, options, WAIT if "waiting" in args else QUICK, said)
    if not isinstance(copy, Issued):
        return copy
    service.record(copy, today, how)
    response = send_file(
        cast(BinaryIO, copy.stream),
        mimetype=formats.get(fmt).media_type,
        as_attachment=how != "open",
        download_name=copy.path.name,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _ready_or_making(lid: str, code: str, fmt: str, options: formats.Options, wait: float, said=None):
    """The copy, opened, when it is ready; else the "being made" page (the build started in the
    background), or the page saying why it could not be made (recorded)."""
    library, today = _library(), _today()
    copy = library.ready(lid, code, fmt, options, today)
    if copy is not None:
        return copy
    refused = library.settle(lid, code, fmt, options)
    if refused is not None:
        _refused(lid, code, refused)
    running = library.making(lid, code, fmt, options, today)
    futures.wait([running], timeout=wait)  # text and most print copies take less: no waiting page
    if running.done():
        return _ready_or_making(lid, code, fmt, options, 0, said)
    pair = library.pair(lid, code, today)
    response = make_response(
        render_template(
            "making.html",
            pair=pair,
            title=formats.get(fmt).title,
            again=url_for("desk.copies", lid=lid, code=code, fmt=fmt, **_again()),
        ),
        202,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _again() -> dict[str, Any]:
    """The copy's address as asked, marked as a look again (held until the copy is ready)."""
    keys = (*COPY_KEYS, *(d.key for d in declared(formats.Options)))
    return {**{k: request.args[k] for k in keys if k in request.args}, "waiting": "yes"}


def _refused(lid: str, code: str, refused: Refused) -> NoReturn:
    """The build gave no copy: a fault (500, logged) or a refusal (409, recorded as unmet)."""
    if refused.failed:
        current_app.logger.error("build failed: %s %s %s: %s", lid, code, refused.format, refused.reason)
        abort(500, refused.reason + " Tell the Patient Information team.")
    record(refused)
    _refusal(_library().pair(lid, code, _today()), refused.reason)


def _refusal(pair: Pair, sentence: str) -> NoReturn:
    """The 409 page for a need that could not be met (already recorded): why, and what next."""
    abort(make_response(render_template("refused.html", pair=pair, sentence=sentence), 409))


def _email(pair: Pair, fmt: str, query: dict, address: str):
    """The copy by e-mail, made now if need be (an e-mail cannot come back for it later), recorded
    once it is sent."""
    options = _options(fmt, query)
    (copy,) = _service().issue(Ask(pair.leaflet, pair.language.code, (fmt,), options), _today(), None)
    if isinstance(copy, Refused):
        _refused(pair.leaflet, pair.language.code, copy)
    settings = _settings()
    with cast(BinaryIO, copy.stream) as stream:
        data = stream.read(settings.mail_max_bytes + 1)
    writer = formats.get(fmt)
    if len(data) > settings.mail_max_bytes:
        sentence = f"This {writer.title} copy is too large to e-mail ({len(data) // 1_000_000} MB or more): download it instead."
        record(Refused(pair.leaflet, pair.language.code, fmt, options, sentence, Need.TOO_LARGE))
        _refusal(pair, sentence)
    voice = Voice(_library().project(), pair.language.code)
    try:
        mail.send(settings, address, _letter(voice, pair), data, copy.path.name, writer.media_type)
    except mail.MailError as exc:
        current_app.logger.error("mail not sent: %s", exc.__cause__)
        abort(502, f"The e-mail was not sent: {exc}. Download the copy instead, or try again later.")
    _service().record(copy, _today(), "e-mail")
    return render_template("sent.html", pair=pair, title=writer.title, address=address)


def _letter(voice: Voice, pair: Pair) -> mail.Letter:
    """The e-mail's words: the patient's language above, the English below."""
    title = voice.title(pair.leaflet)
    parts = [
        voice.say("desk_mail_body", title=title),
        *voice.cautions(pair.leaflet, _today()),
        voice.say("other_formats"),
        voice.say("desk_mail_footer"),
    ]
    english_parts = [
        voice.say("desk_mail_body", title=pair.title).english,
        *(p.english for p in parts[1:]),
    ]
    subject = voice.say("desk_mail_subject", title=title)
    return mail.Letter(
        voice.info.tag if any(p.translated for p in parts) else "en-GB",
        subject.text,
        "\n\n".join(p.text for p in parts),
        Voice(_library().project(), "en").say("desk_mail_subject", title=pair.title).text,
        "\n\n".join(english_parts),
    )


@bp.post("/unmet")
def unmet():
    """Record a language (even one we do not recognise) or a format we do not make, as asked for."""
    project = _library().project()
    lid = _leaflet_or_404(request.form.get("leaflet", ""))
    words = request.form.get("language", "").strip()
    asked = ""
    try:
        lang: asks.Language | None = asks.understand_language(project, words)
    except asks.Unrecognised as exc:
        lang, asked = None, exc.words
    except asks.NotAvailable:
        abort(400, "Choose a language before recording the request.")
    fmt_words = (request.form.get("format") or request.form.get("format-asked") or "").strip()
    sentence = ""
    kind: str = (
        Unmet.UNKNOWN_LANGUAGE if lang is None else Need.UNAVAILABLE if lang.translated else Unmet.NO_TRANSLATION
    )
    fmt = ""
    if fmt_words:
        try:
            fmt = asks.find_formats(fmt_words.split())[0]
        except asks.FormatNotMade as exc:
            fmt, sentence, kind = " ".join(fmt_words.casefold().split())[:40], exc.reason, Unmet.FORMAT_NOT_MADE
        except asks.NotAvailable as exc:
            abort(400, exc.reason)
    said = sentence or f"{fmt or 'A copy'} in {lang.english if lang else asked} was asked for."
    record(
        Refused(lid, lang.code if lang else "", fmt, formats.Options(), said, kind),
        asked or (lang.asked if lang else ""),
    )
    return render_template(
        "recorded.html",
        lid=lid,
        title=asks.leaflet_title(project, lid) or lid,
        language=lang,
        asked=asked,
        fmt=fmt or "any",
        sentence=sentence,
    )


# --- the report -------------------------------------------------------------------------------------


@bp.get("/report", endpoint="report")
def report_page():
    start, end, errors = report.period(request.args, _today())
    log = _log()
    data = None if errors else report.Report(log, start, end)
    handed = [] if errors else [c for c in _archive().copies(start) if c.at[:10] <= end.isoformat()]
    return render_template(
        "report.html",
        start=start,
        end=end,
        errors=errors,
        report=data,
        problem=log.problem,
        lost=log.lost,
        handed=handed,
        name=report.language_name,
    )


def _archive() -> archive.Archive:
    return archive.Archive(_library().root)


@bp.get("/issued/<sha>")
def issued_copy(sha: str):
    """The exact bytes of a copy issued, from the archive (for the information team's report)."""
    copy = _archive().named(sha) if re.fullmatch("[0-9a-f]{64}", sha) else None
    if copy is None:
        abort(404, "No copy with that fingerprint was issued. Start again from the report.")
    try:
        data = _archive().read(sha)
    except LeafletError as exc:
        current_app.logger.error("archive: %s", exc)
        abort(404, "That copy was issued but is not in the archive. Tell the Patient Information team.")
    media = formats.get(copy.format).media_type if copy.format in formats.names() else "application/octet-stream"
    response = send_file(io.BytesIO(data), mimetype=media, as_attachment=True, download_name=copy.name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/report.csv")
def report_csv():
    start, end, errors = report.period(request.args, _today())
    if errors:
        abort(400, next(iter(errors.values())) + ".")
    response = make_response(report.Report(_log(), start, end).csv())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="leaflet-requests-{start}-to-{end}.csv"'
    return response


# --- signing in -------------------------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    settings = _settings()
    error = ""
    if request.method == "POST":
        client = request.remote_addr or ""
        wait = _throttle().wait(client)
        if wait:
            return too_many(wait)
        offered = request.form.get("token", "")
        if settings.access_token and check_token(offered, settings.access_token):
            response = redirect(url_for("desk.search"), 303)
            response.set_cookie("desk_token", offered, httponly=True, samesite="Strict", secure=request.is_secure)
            return response
        _throttle().failed(client)
        error = "That access code is not right. Check it with the Patient Information team"
    return render_template("sign_in.html", error=error), 400 if error else 200


def check_token(offered: str, token: str) -> bool:
    import hmac

    return hmac.compare_digest(offered.encode(), token.encode())


def too_many(wait: int):
    minutes = max(1, round(wait / 60))
    response = make_response(
        render_template(
            "error.html",
            code=429,
            title="Too many wrong access codes",
            message=f"Wait {minutes} minute{'s' if minutes != 1 else ''} before trying again. If you have "
            "forgotten the code, ask the Patient Information team.",
        ),
        429,
    )
    response.headers["Retry-After"] = str(wait)
    return response
