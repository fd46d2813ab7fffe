"""The trust's settings for the desk: a small TOML file (`desk.toml` at the project root, or the
file named by LEAFLET_DESK_SETTINGS), each value overridable by an environment variable
LEAFLET_DESK_<NAME> (upper case), so secrets can stay out of files."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from leaflets.errors import LeafletError

FILE = "desk.toml"
ENV = "LEAFLET_DESK_"
OVERDUE_CHOICES = ("warn", "refuse")


@dataclass(frozen=True)
class Settings:
    allow_unreviewed: bool = True  # may copies not yet checked by a clinician be issued (after the warning)?
    overdue_leaflets: str = "warn"  # past their review date: "warn" (told, logged with the copy) or "refuse"
    access_token: str = ""  # required of every browser when set (and when the desk is not on loopback)
    proxy_user_header: str = ""  # e.g. "X-Remote-User": set by the trust's authenticating reverse proxy
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # addresses whose proxy_user_header is believed
    smtp_host: str = ""  # the trust's mail relay; empty: e-mail is not offered
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = ""  # e.g. "Patient Information <patient.information@example.nhs.uk>"
    mail_max_bytes: int = 10_000_000  # larger copies are not e-mailed (many mailboxes refuse them)
    request_log: str = ".desk/requests.sqlite"  # relative to the project root
    build_dir: str = "build"  # relative to the project root
    secret_key: str = ""  # signs the session cookie; a random one per start when empty

    @property
    def mail_configured(self) -> bool:
        return bool(self.smtp_host and self.mail_from)


def load(root: Path, environ: dict[str, str] | None = None) -> Settings:
    """Settings from the TOML file (if any), then the environment; unknown names are refused."""
    environ = dict(os.environ if environ is None else environ)
    path = Path(environ.get(ENV + "SETTINGS") or Path(root) / FILE)
    values: dict[str, object] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise LeafletError(f"cannot read the desk settings: {exc}", path) from exc
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise LeafletError(f"unknown setting {unknown[0]!r}", path, fix="known: " + ", ".join(known))
    for name in known:
        if ENV + name.upper() in environ:
            values[name] = environ[ENV + name.upper()]
    typed: dict[str, Any] = {name: _typed(name, value, known[name].type, path) for name, value in values.items()}
    if typed.get("overdue_leaflets", "warn") not in OVERDUE_CHOICES:
        raise LeafletError(
            f"setting overdue_leaflets = {typed['overdue_leaflets']!r} is not one of the choices",
            path,
            fix='write overdue_leaflets = "warn" or "refuse"',
        )
    return Settings(**typed)


def _typed(name: str, value: object, kind: object, path: Path) -> object:
    kind = str(kind)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return str(value).lower() in ("1", "true", "yes", "on")
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if str(value).isdigit():
            return int(str(value))
    elif kind.startswith("tuple"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
    elif isinstance(value, str):
        return value
    raise LeafletError(f"setting {name} = {value!r} is not a {kind}", path)
