"""The desk's pages: find a leaflet, choose the language, see what can be issued, issue it.

Every page works without JavaScript. A copy is only ever found through the project and the
build engine (never from a path in the request); unchecked translations are issued only after
the officer has been told what to say and has confirmed it.
"""

from __future__ import annotations

import hmac
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, BinaryIO, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

import formats
from formats.options import Declared, OptionError, declared
from leaflets import schedule
from leaflets.errors import LeafletError
from leaflets.words import capital, listing
from publishing.issuing import archive, asks
from publishing.issuing.service import Ask, Issued, Issuing, Refused

from . import mail
from .library import Library, Pair
from .requestlog import Outcome, RequestLog, as_csv
from .settings import Settings

bp = Blueprint("desk", __name__)


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
    if "language" in request.args:
        try:
            lang = asks.understand_language(project, words)
            if lang.translated:
                return redirect(url_for("desk.copy", lid=lid, code=lang.code), 303)
            missing = lang
        except asks.Ambiguous as exc:
            choices = exc.choices
        except asks.NotAvailable as exc:
            error = exc.reason.rstrip(".")
    languages = [asks.language(c, True) for c in project.locale_codes()]
    return render_template(
        "leaflet.html",
        lid=lid,
        title=asks.leaflet_title(project, lid) or lid,
        words=words,
        error=error,
        choices=choices,
        missing=missing,
        languages=languages,
    )


@bp.get("/leaflets/<lid>/<code>")
def copy(lid: str, code: str):
    pair = _library().pair(_leaflet_or_404(lid), _locale_or_404(code), _today())
    return _copy_page(pair, {}, {})


def _copy_page(pair: Pair, form: dict, errors: dict, status: int = 200):
    return (
        render_template(
            "copy.html",
            pair=pair,
            form=form,
            errors=errors,
            fields=_fields(pair),
            review_due=_review_due(pair.leaflet),
        ),
        status,
    )


@bp.post("/leaflets/<lid>/<code>/issue")
def issue(lid: str, code: str):
    pair = _library().pair(_leaflet_or_404(lid), _locale_or_404(code), _today())
    keys = ("format", "told", "action", "address", *(d.key for d in declared(formats.Options)))
    form = {k: request.form.get(k, "") for k in keys}
    errors = {}
    offered = {c.format: c for c in pair.choices if c.reason is None}
    choice = offered.get(form["format"])
    if pair.refusal:
        abort(409, pair.refusal)
    if choice is None:
        errors["format"] = "Choose a format"
    if pair.caution and form["told"] != "yes":
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
    if errors:
        return _copy_page(pair, form, errors, 400)
    assert choice is not None
    query = _options_query(choice.format, form)
    if form["action"] != "email":
        if form["action"] == "open":
            query["open"] = "yes"
        return redirect(url_for("desk.copies", lid=lid, code=code, fmt=choice.format, told="yes", **query), 303)
    return _email(pair, choice.format, query, address)


@dataclass(frozen=True)
class Field:
    """One option the officer may choose on the copy page, as the options record declares it."""

    option: Declared
    formats: str  # the titles of the formats it is for: "large print and Word"
    offered: list[tuple[str, str]]  # (value, label) to choose from; [] = a number box
    usual: str  # the default, as the form sends it


def _fields(pair: Pair) -> list[Field]:
    """A form field for each declared option that a format offered in this language uses."""
    found = []
    for d in declared(formats.Options):
        titles = [c.title for c in pair.choices if c.reason is None and d.name in c.options]
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


def _issued(lid: str, code: str, fmt: str, options: formats.Options, how: str | None) -> Issued:
    """The copy from the issuing service, opened; or a plain page saying why it cannot be had
    (409; 500 when the machine is at fault, which the team must be told)."""
    (result,) = _service().issue(Ask(lid, code, (fmt,), options), _today(), how)
    if isinstance(result, Issued):
        return result
    if result.failed:
        current_app.logger.error("build failed: %s %s %s: %s", lid, code, fmt, result.reason)
        abort(500, result.reason + " Tell the Patient Information team.")
    abort(409, result.reason)


@bp.get("/copies/<lid>/<code>/<fmt>")
def copies(lid: str, code: str, fmt: str):
    """The stable address of a copy, for bookmarks and the intranet. Leaflet, language and format
    are understood as the command line's `request` understands them; other words than the codes
    are sent on to the codes' address."""
    service = _service()
    resolved = service.resolve(Ask(lid, code, (fmt,)))
    if isinstance(resolved, Refused):
        abort(410 if asks.withdrawn(service.project, lid) else 404, resolved.reason)
    found, language, names = resolved
    if len(names) != 1:
        abort(404, "One address is one copy: ask for one format.")
    if (found, language, names[0]) != (lid, code, fmt):
        args: dict[str, Any] = request.args.to_dict()
        return redirect(url_for("desk.copies", lid=found, code=language, fmt=names[0], **args), 301)
    options = _options(fmt, request.args)
    today = _today()
    told = request.args.get("told") == "yes"
    if (
        not told
        and service.refusal(lid, code, fmt, options, today) is None
        and service.readiness(lid, code, today).caution
    ):
        pair = _library().pair(lid, code, today)  # the officer confirms having told the patient first
        choice = next(c for c in pair.choices if c.format == fmt)
        return render_template(
            "confirm.html", pair=pair, choice=choice, args=request.args, error="told" in request.args
        )
    how = "open" if request.args.get("open") == "yes" else "download"
    copy = _issued(lid, code, fmt, options, how)
    response = send_file(
        cast(BinaryIO, copy.stream),
        mimetype=formats.get(fmt).media_type,
        as_attachment=how != "open",
        download_name=copy.path.name,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _email(pair: Pair, fmt: str, query: dict, address: str):
    options = _options(fmt, query)
    copy = _issued(pair.leaflet, pair.language.code, fmt, options, None)  # recorded once it is sent
    settings = _settings()
    with cast(BinaryIO, copy.stream) as stream:
        data = stream.read(settings.mail_max_bytes + 1)
    writer = formats.get(fmt)
    if len(data) > settings.mail_max_bytes:
        abort(
            409,
            f"This {writer.title} copy is too large to e-mail ({len(data) // 1_000_000} MB or more): download it instead.",
        )
    body = (
        f"Here is the leaflet you asked for: {pair.title}, in {pair.language.english}, as {writer.title}.\n\n"
        + (f"{pair.caution}\n\n" if pair.caution else "")
        + "This message was sent by the Patient Advice and Liaison Service. Please do not reply to it.\n"
    )
    try:
        mail.send(settings, address, f"Your leaflet: {pair.title}", body, data, copy.path.name, writer.media_type)
    except mail.MailError as exc:
        current_app.logger.error("mail not sent: %s", exc.__cause__)
        abort(502, f"The e-mail was not sent: {exc}. Download the copy instead, or try again later.")
    _service().record(copy, _today(), "e-mail")
    return render_template("sent.html", pair=pair, title=writer.title, address=address)


@bp.post("/unmet")
def unmet():
    """Record that a language or format we do not have was asked for (no patient data)."""
    project = _library().project()
    lid = _leaflet_or_404(request.form.get("leaflet", ""))
    words = request.form.get("language", "")
    try:
        lang = asks.understand_language(project, words)
    except asks.NotAvailable:
        abort(400, "Choose a language we recognise before recording the request.")
    fmt_words = (request.form.get("format") or request.form.get("format-asked") or "").strip()
    sentence = ""
    if fmt_words:
        try:
            found = asks.find_formats(fmt_words.split())
            fmt = found[0]
        except asks.FormatNotMade as exc:
            fmt, sentence = " ".join(fmt_words.casefold().split())[:40], exc.reason
        except asks.NotAvailable as exc:
            abort(400, exc.reason)
    else:
        fmt = "any"
    _log().record(_today(), lid, lang.code, fmt, "", Outcome.UNMET)
    return render_template(
        "recorded.html",
        lid=lid,
        title=asks.leaflet_title(project, lid) or lid,
        language=lang,
        fmt=fmt,
        sentence=sentence,
        translated=lang.translated,
    )


def _period() -> tuple[date, date, dict[str, str]]:
    today = _today()
    errors = {}
    values = []
    for key, default in (("from", today - timedelta(days=30)), ("to", today)):
        text = request.args.get(key, "")
        try:
            values.append(date.fromisoformat(text) if text else default)
        except ValueError:
            errors[key] = f"Enter the {'start' if key == 'from' else 'end'} date as a date, like {today.isoformat()}"
            values.append(default)
    if not errors and values[0] > values[1]:
        errors["to"] = "The end date must be on or after the start date"
    return values[0], values[1], errors


def _language_name(code: str) -> str:
    try:
        return asks.language(code).english
    except (LeafletError, ValueError):
        return code


@bp.get("/report")
def report():
    start, end, errors = _period()
    rows = [] if errors else _log().summary(start, end)
    handed = [] if errors else [c for c in _archive().copies(start) if c.at[:10] <= end.isoformat()]
    tables = {
        "Copies issued": [r for r in rows if r.outcome in (Outcome.ISSUED, Outcome.EMAILED)],
        "Translations and formats asked for but not available": [r for r in rows if r.outcome == Outcome.UNMET],
        "Asked for but not ready to issue": [r for r in rows if r.outcome == Outcome.REFUSED],
    }
    return render_template(
        "report.html", start=start, end=end, errors=errors, tables=tables, name=_language_name, handed=handed
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
    start, end, errors = _period()
    if errors:
        abort(400, next(iter(errors.values())) + ".")
    response = make_response(as_csv(_log().summary(start, end), _language_name))
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="leaflet-requests-{start}-to-{end}.csv"'
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    settings = _settings()
    error = ""
    if request.method == "POST":
        offered = request.form.get("token", "")
        if settings.access_token and hmac.compare_digest(offered.encode(), settings.access_token.encode()):
            response = redirect(url_for("desk.search"), 303)
            response.set_cookie("desk_token", offered, httponly=True, samesite="Strict", secure=request.is_secure)
            return response
        error = "That access code is not right. Check it with the Patient Information team"
    return render_template("sign_in.html", error=error), 400 if error else 200
