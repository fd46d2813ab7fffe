"""The desk's Flask application: settings, security and error pages around the routes.

Flask (with Jinja2's autoescaping) because it is the smallest well-kept framework that gives
server-rendered pages, sessions and a test client; waitress serves it (pure Python, no C
build, production-grade threads). Nothing here takes a file path from a request: leaflets,
languages and formats are looked up in the project and the writer registry.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
from datetime import date
from pathlib import Path

from flask import Flask, abort, g, render_template, request, session
from werkzeug.exceptions import HTTPException

import formats
from leaflets.words import capital

from ..archive import Keeper
from ..service import Policy
from . import routes
from .library import Library, LogRecorder
from .requestlog import RequestLog
from .settings import Settings

MAX_URL = 2000  # characters: longer addresses are refused (414), never parsed
MAX_FIELD = 300  # characters in any one form or query value
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
TOKEN_COOKIE = "desk_token"
log = logging.getLogger("leaflet-desk")


def format_title(name: str) -> str:
    """A format's name for people ("large-print" -> "Large print"); words asked for stay as they are."""
    return capital(formats.title(name)) if name in formats.names() else name


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def create_app(root: Path, settings: Settings, host: str = "127.0.0.1", today=date.today) -> Flask:
    """The application for one project root. `today` is a function so tests can set the date."""
    if not is_loopback(host) and not (settings.access_token or settings.proxy_user_header):
        from leaflets.errors import LeafletError

        raise LeafletError(
            f"the desk would be open to anyone who can reach {host}",
            fix="set access_token or proxy_user_header in desk.toml (see README, For PALS staff), "
            "or serve on 127.0.0.1",
        )
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True
    app.jinja_env.filters["capital"] = capital
    app.jinja_env.filters["format_title"] = format_title
    root = Path(root).resolve()
    requests = RequestLog(root / settings.request_log)
    policy = Policy(settings.allow_unreviewed, refuse_overdue=settings.overdue_leaflets == "refuse")
    # every copy handed over is kept in the record of copies issued, then counted in the request log
    keeper = Keeper(lambda: library.project(), then=LogRecorder(requests), report=lambda said: log.error("%s", said))
    library = Library(root, (root / settings.build_dir).resolve(), policy, keeper)
    app.extensions["desk"] = {
        "settings": settings,
        "library": library,
        "log": requests,
        "today": today,
    }
    app.register_blueprint(routes.bp)

    @app.before_request
    def guard():
        if len(request.url) > MAX_URL:
            abort(414)
        for value in (*request.args.values(), *(request.form.values() if request.method == "POST" else ())):
            if len(value) > MAX_FIELD or "\x00" in value:
                abort(400)
        _authenticate(settings)
        if request.method == "POST":
            sent = request.form.get("csrf_token", "")
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                abort(400, "This form has expired. Go back, reload the page and try again.")

    @app.context_processor
    def csrf():
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return {"csrf_token": session["csrf"], "mail_configured": settings.mail_configured}

    @app.after_request
    def headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CSP
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_template(
            "error.html", code=exc.code, title=_TITLES.get(exc.code or 500, exc.name), message=_message(exc)
        ), exc.code

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("internal error")  # the trace goes to the log, never to the page
        return render_template(
            "error.html",
            code=500,
            title="Something went wrong",
            message="The desk could not do that. Try again; if it happens again, "
            "tell the Patient Information team the time and what you asked for.",
        ), 500

    return app


_TITLES = {
    400: "That request could not be understood",
    403: "You need the desk's access code",
    404: "Page not found",
    405: "That cannot be done here",
    409: "This copy cannot be issued",
    410: "This leaflet has been withdrawn",
    413: "That was too much to send",
    414: "That address is too long",
    500: "Something went wrong",
    502: "The e-mail was not sent",
}


def _message(exc: HTTPException) -> str:
    default = type(exc).description
    if exc.description and exc.description != default:
        return exc.description
    return {
        404: "There is nothing at this address. Check it, or start again from the search page.",
        400: "Something in the address or the form was not as expected. Start again from the search page.",
        414: "Start again from the search page.",
        405: "Start again from the search page.",
        413: "Start again from the search page.",
    }.get(exc.code or 0, "Start again from the search page.")


def _authenticate(settings: Settings) -> None:
    """The access token (once, then a cookie) or the reverse proxy's user header, when configured."""
    if request.endpoint in ("static", "desk.sign_in"):
        return
    if settings.proxy_user_header:
        user = request.headers.get(settings.proxy_user_header, "").strip()
        if not user or request.remote_addr not in settings.trusted_proxies:
            abort(403, "Sign in through the trust's intranet to use the desk.")
        g.user = user
        return
    if settings.access_token:
        offered = request.cookies.get(TOKEN_COOKIE, "") or request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        if not hmac.compare_digest(offered.encode(), settings.access_token.encode()):
            abort(403, "This desk needs its access code: ask the Patient Information team for it, then sign in.")
