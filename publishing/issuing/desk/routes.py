"""The desk's pages: find a leaflet, choose the language, see what can be issued, issue it.

Every page works without JavaScript. A copy is only ever found through the project and the
build engine (never from a path in the request); unchecked translations are issued only after
the officer has been told what to say and has confirmed it. Every need that cannot be met is
recorded as it is met, with its reason: no button to remember to press.
"""

from __future__ import annotations

import time
from concurrent import futures
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

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
from leaflets.errors import Kind, LeafletError
from leaflets.vocabulary import State
from publishing.issuing import asks

from . import mail, report
from .library import SIZES, SPEEDS, Library, Pair
from .patient import Voice
from .requestlog import Need, Outcome, RequestLog
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
# Braille codes a patient may read: uncontracted (grade 1) for new readers and young people.
GRADES = {"contracted": 2, "uncontracted": 1}
# Query keys a copy's address may carry; any other is ignored.
COPY_KEYS = ("size", "speed", "braille", "open", "told", "said", "waiting")
_NEEDS = {Kind.NO_VOICE: Need.NO_VOICE, Kind.NO_CODE: Need.NO_BRAILLE}
_REFUSALS = {Kind.EXPIRED: Need.OVERDUE, Kind.NOT_SIGNED_OFF: Need.UNCHECKED}
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
        abort(404, f'There is no leaflet with the code "{lid[:40]}". Search for it by its title instead.')
    return lid


def _locale_or_404(code: str) -> str:
    if code not in _library().project().locale_codes():
        abort(
            404, f'There is no translation with the code "{code[:20]}". Choose the language from the leaflet\'s page.'
        )
    return code


def _said(code: str) -> asks.Language | None:
    """The name the patient gave (?said=Sylheti), when it leads to this written language."""
    return asks.as_said(_library().project(), request.args.get("said", ""), code)


def record_unmet(lid: str, code: str, fmt: str, size: str, need: str, asked: str = "") -> None:
    """Record a need that could not be met, once however often the officer reloads the page."""
    key = "|".join((lid, code, fmt, size, need, asked))
    now = time.time()
    seen = {k: t for k, t in session.get("unmet", {}).items() if now - t < _AGAIN}
    if key not in seen:
        _log().record(_today(), lid, code, fmt, size, Outcome.UNMET, need, asked)
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
                error = f'No leaflet matches "{words}". Check the spelling, or try fewer words'
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
            record_unmet(lid, lang.code, "any", "", Need.NO_TRANSLATION, lang.asked)
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
    if pair.refusal:
        record_unmet(lid, code, "any", "", Need.NOT_READY, said.asked if said else "")
    return _copy_page(pair, {"said": said.asked if said else ""}, {}, said=said)


def _copy_page(pair: Pair, form: dict, errors: dict, status: int = 200, said: asks.Language | None = None):
    voice = Voice(_library().project(), pair.language.code)
    patient = [c for c in pair.choices if c.format not in STAFF]
    return (
        render_template(
            "copy.html",
            pair=pair,
            form=form,
            errors=errors,
            said=said,
            patient=patient,
            staff=[c for c in pair.choices if c.format in STAFF and c.reason is None],
            plain=PLAIN,
            sizes=SIZES,
            speeds=SPEEDS,
            grades=GRADES,
            default_size=int(formats.Options.size),
            allow_unreviewed=_settings().allow_unreviewed,
            warnings=voice.cautions(pair.leaflet, _today()),
            ask_us=voice.say("other_formats"),
        ),
        status,
    )


@bp.post("/leaflets/<lid>/<code>/issue")
def issue(lid: str, code: str):
    pair = _library().pair(_leaflet_or_404(lid), _locale_or_404(code), _today())
    keys = ("format", "size", "speed", "braille", "told", "action", "address", "said")
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
    if errors and not (choice is not None and choice.reason is not None):
        return _copy_page(pair, form, errors, 400, _said(code))
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
    return _email(pair, choice.format, query, address)


def _options_query(fmt: str, form: dict) -> dict[str, Any]:
    writer = formats.get(fmt)
    query: dict[str, Any] = {}
    if "size" in writer.uses and form.get("size"):
        query["size"] = form["size"]
    if "rate" in writer.uses and form.get("speed"):
        query["speed"] = form["speed"]
    if "braille_grade" in writer.uses and form.get("braille"):
        query["braille"] = form["braille"]
    return query


def _options(fmt: str, args) -> tuple[formats.Options, str]:
    """Options from ?size=PT&speed=slower&braille=uncontracted (400 for anything else), and the
    options as logged ("24 pt", "uncontracted")."""
    writer = formats.get(fmt)
    values: dict[str, Any] = {"build_date": _today()}
    logged = []
    if "size" in args:
        if "size" not in writer.uses:
            abort(400, f"{formats.title(fmt).capitalize()} has no print size: leave out ?size.")
        try:
            points = int(args["size"])
        except ValueError:
            points = 0
        if not 16 <= points <= 32:
            abort(400, "The print size must be a whole number of points from 16 to 32.")
        values["size"] = points
        logged.append(f"{points} pt")
    if "speed" in args:
        if "rate" not in writer.uses or args["speed"] not in SPEEDS:
            abort(400, "The speaking speed must be slower, normal or faster.")
        values["rate"] = SPEEDS[args["speed"]]
    if "braille" in args:
        if "braille_grade" not in writer.uses or args["braille"] not in GRADES:
            abort(400, "The braille code must be contracted or uncontracted.")
        values["braille_grade"] = GRADES[args["braille"]]
        logged.append(args["braille"])
    return formats.Options(**values), " ".join(logged)


@bp.get("/copies/<lid>/<code>/<fmt>")
def copies(lid: str, code: str, fmt: str):
    """The stable address of a copy, for bookmarks and the intranet. A copy not made yet is made
    in the background: the page says so and looks again by itself until it can hand the file."""
    lid, code = _leaflet_or_404(lid), _locale_or_404(code)
    args: dict[str, Any] = {k: request.args[k] for k in COPY_KEYS if k in request.args}  # others are ignored
    try:
        name = formats.canonical(fmt)
    except LeafletError:
        abort(404, f'"{fmt[:40]}" is not a format we make.')
    if name != fmt:
        return redirect(url_for("desk.copies", lid=lid, code=code, fmt=name, **args), 301)
    options, size = _options(name, args)
    pair = _library().pair(lid, code, _today())
    said = _said(code)
    asked = said.asked if said else ""
    choice = next(c for c in pair.choices if c.format == name)
    if choice.reason is not None:
        record_unmet(lid, code, name, size, _NEEDS.get(choice.reason.kind, Need.UNAVAILABLE), asked)
        project = _library().project()
        _refusal(pair, asks.explain(project, asks.Resolved(lid, code, name), State.UNAVAILABLE, str(choice.reason)))
    if pair.refusal:
        record_unmet(lid, code, name, size, Need.NOT_READY, asked)
        _refusal(pair, pair.refusal)
    if pair.caution and not _settings().allow_unreviewed:
        overdue = any(c.key == "desk_overdue" for c in asks.cautions(_library().project(), lid, code, _today()))
        record_unmet(lid, code, name, size, Need.OVERDUE if overdue else Need.UNCHECKED, asked)
        _refusal(pair, pair.caution + " The trust does not allow copies like this to be issued.")
    if pair.caution and args.get("told") != "yes":
        voice = Voice(_library().project(), code)
        return render_template(
            "confirm.html",
            pair=pair,
            choice=choice,
            args=args,
            error="told" in args,
            warnings=voice.cautions(lid, _today()),
        )
    stream = _ready_or_making(pair, name, options, size, asked, WAIT if "waiting" in args else QUICK)
    if not isinstance(stream, tuple):
        return stream
    _log().record(_today(), lid, code, name, size, Outcome.ISSUED, asked=asked)
    response = send_file(
        stream[0],
        mimetype=formats.get(name).media_type,
        as_attachment=args.get("open") != "yes",
        download_name=stream[1],
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _ready_or_making(pair: Pair, fmt: str, options: formats.Options, size: str, asked: str, wait: float = QUICK):
    """(the open copy, its file name) when it is ready; else the "being made" page (the build
    started in the background), or the page saying why it could not be made (recorded)."""
    library = _library()
    stream = library.ready(pair.leaflet, pair.language.code, fmt, options)
    if stream is not None:
        return stream, Path(stream.name).name
    outcome = library.settle(pair.leaflet, pair.language.code, fmt, options)
    if outcome is None:
        running = library.making(pair.leaflet, pair.language.code, fmt, options)
        futures.wait([running], timeout=wait)  # text and most print copies take less: no waiting page
        if running.done():
            return _ready_or_making(pair, fmt, options, size, asked, 0)
        response = make_response(
            render_template(
                "making.html",
                pair=pair,
                title=formats.get(fmt).title,
                again=url_for("desk.copies", lid=pair.leaflet, code=pair.language.code, fmt=fmt, **_again()),
            ),
            202,
        )
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    _refused(pair, fmt, size, asked, outcome)


def _again() -> dict[str, Any]:
    """The copy's address as asked, marked as a look again (held until the copy is ready)."""
    return {**{k: request.args[k] for k in COPY_KEYS if k in request.args}, "waiting": "yes"}


def _refused(pair: Pair, fmt: str, size: str, asked: str, outcome) -> NoReturn:
    """The build gave no copy: a fault (500, logged) or a refusal (409, recorded as unmet)."""
    project = _library().project()
    want = asks.Resolved(pair.leaflet, pair.language.code, fmt)
    sentence = asks.explain(project, want, outcome.state, outcome.reason)
    if outcome.state == State.FAILED:
        current_app.logger.error("build failed: %s", outcome.reason)
        abort(500, sentence + " Tell the Patient Information team.")
    need = _REFUSALS.get(outcome.kind) or _NEEDS.get(outcome.kind) or Need.NOT_READY
    record_unmet(pair.leaflet, pair.language.code, fmt, size, need, asked)
    _refusal(pair, sentence)


def _refusal(pair: Pair, sentence: str) -> NoReturn:
    """The 409 page for a need that could not be met (already recorded): why, and what next."""
    abort(make_response(render_template("refused.html", pair=pair, sentence=sentence), 409))


def _made(pair: Pair, fmt: str, options: formats.Options, size: str) -> tuple[BinaryIO, str]:
    """The copy, built now if need be (for e-mail, which cannot come back for it later)."""
    outcome, stream = _library().copy(pair.leaflet, pair.language.code, fmt, options)
    if stream is None:
        _refused(pair, fmt, size, "", outcome)
    assert stream is not None
    return stream, Path(outcome.path).name


def _email(pair: Pair, fmt: str, query: dict, address: str):
    options, size = _options(fmt, query)
    stream, filename = _made(pair, fmt, options, size)
    settings = _settings()
    with stream:
        data = stream.read(settings.mail_max_bytes + 1)
    writer = formats.get(fmt)
    if len(data) > settings.mail_max_bytes:
        record_unmet(pair.leaflet, pair.language.code, fmt, size, Need.TOO_LARGE)
        abort(
            409,
            f"This {writer.title} copy is too large to e-mail ({len(data) // 1_000_000} MB or more): download it instead.",
        )
    voice = Voice(_library().project(), pair.language.code)
    letter = _letter(voice, pair)
    try:
        mail.send(settings, address, letter, data, filename, writer.media_type)
    except mail.MailError as exc:
        current_app.logger.error("mail not sent: %s", exc.__cause__)
        abort(502, f"The e-mail was not sent: {exc}. Download the copy instead, or try again later.")
    _log().record(_today(), pair.leaflet, pair.language.code, fmt, size, Outcome.EMAILED)
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
    need = Need.NO_TRANSLATION if lang is None or not lang.translated else Need.UNAVAILABLE
    if lang is None:
        need = Need.UNKNOWN_LANGUAGE
    if fmt_words:
        try:
            fmt = asks.find_formats(fmt_words.split())[0]
        except asks.FormatNotMade as exc:
            fmt, sentence, need = " ".join(fmt_words.casefold().split())[:40], exc.reason, Need.NOT_MADE
        except asks.NotAvailable as exc:
            abort(400, exc.reason)
    else:
        fmt = "any"
    record_unmet(lid, lang.code if lang else "", fmt, "", need, asked or (lang.asked if lang else ""))
    return render_template(
        "recorded.html",
        lid=lid,
        title=asks.leaflet_title(project, lid) or lid,
        language=lang,
        asked=asked,
        fmt=fmt,
        sentence=sentence,
    )


# --- the report -------------------------------------------------------------------------------------


@bp.get("/report", endpoint="report")
def report_page():
    start, end, errors = report.period(request.args, _today())
    log = _log()
    data = None if errors else report.Report(log, start, end)
    return render_template(
        "report.html", start=start, end=end, errors=errors, report=data, problem=log.problem, lost=log.lost
    )


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
