"""User-facing errors and reasons: each prints as one line saying where, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LeafletError(Exception):
    """A mistake in the user's input or request. The command line prints it without a traceback."""

    def __init__(self, message: str, path: str | object = "", line: int = 0, fix: str = ""):
        self.path, self.line, self.fix, self.reason = str(path), line, fix, message
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(f"{where}{message}" + (f" ({fix})" if fix else ""))

    def __reduce__(self):
        """Keep path, line and fix when raised in a worker process (a subclass with its own
        constructor arrives as a plain LeafletError with the same message)."""
        cls = type(self) if type(self).__init__ is LeafletError.__init__ else LeafletError
        return (cls, (self.reason, self.path, self.line, self.fix))


class InstallationError(LeafletError):
    """A missing font, voice, table or program: the machine is broken, not the leaflet.
    A build fails (non-zero exit) with the package to install, instead of calling it unavailable."""


class Kind(StrEnum):
    """Why something cannot be made, in the words the desk, `request` and the manifest group by."""

    NO_VOICE = "no voice"  # the language has no speech voice we trust
    NO_FONT = "no font"  # no fonts for the script
    NO_CODE = "no braille code"  # no braille table for the language
    NOT_TRANSLATED = "not translated"
    CHECK_ERRORS = "check errors"
    NOT_SIGNED_OFF = "not signed off"
    EXPIRED = "past review date"
    SOURCE_ERROR = "source error"
    INSTALLATION = "installation"
    INTERNAL = "internal error"
    OTHER = "other"


@dataclass(frozen=True)
class Reason:
    """A structured refusal or unavailability: what kind, about what, a plain sentence, and the fix.

    `str()` is the sentence, so it reads naturally in messages; the fields are for code that
    groups or explains reasons (the desk, the manifest), never parsed back out of the text.
    """

    kind: Kind
    subject: str  # e.g. "Somali", "RAD_0009 pl"
    sentence: str  # plain English, mid-sentence case, no trailing full stop
    fix: str = ""

    def __str__(self) -> str:
        return self.sentence + (f" ({self.fix})" if self.fix else "")
