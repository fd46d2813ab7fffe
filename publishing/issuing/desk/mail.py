"""E-mailing a copy to a patient through the trust's SMTP relay (smtplib; the address is used
for this one message and never stored).

A message that arrives: Date and Message-ID (messages without them are scored as spam),
Content-Language, a plain-text part in the patient's language with the English below it, and the
copy attached under its own file name. Addresses are checked by email-validator (RFC 5322 and
6531's grammar, internationalised addresses included) without looking the domain up: the desk
must not wait on DNS, and the relay says if it cannot deliver.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email

from .settings import Settings


class MailError(Exception):
    """The message could not be handed to the relay: said plainly to the officer."""


def check_address(text: str) -> str:
    """A single plain e-mail address in its normal form, or "" if this is not one (no display
    names, no lists, no trailing dot)."""
    text = text.strip()
    if not text or len(text) > 254:
        return ""
    try:
        return validate_email(text, check_deliverability=False, allow_display_name=False).normalized
    except (EmailNotValidError, ValueError):
        return ""


@dataclass(frozen=True)
class Letter:
    """What the patient reads: in their language (`tag`, a BCP 47 tag), with the English below."""

    tag: str
    subject: str
    body: str
    english_subject: str
    english_body: str

    def text(self) -> str:
        if self.tag.split("-")[0] == "en":
            return self.english_body
        return f"{self.body}\n\n---\n{self.english_body}"

    def subject_line(self) -> str:
        if self.tag.split("-")[0] == "en" or self.subject == self.english_subject:
            return self.english_subject
        return f"{self.subject} / {self.english_subject}"


def compose(settings: Settings, to: str, letter: Letter, data: bytes, filename: str, media_type: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = letter.subject_line()
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(letter.text(), charset="utf-8")
    languages = ", ".join([letter.tag] if letter.tag.split("-")[0] == "en" else [letter.tag, "en-GB"])
    message["Content-Language"] = languages  # moves into the text part with the other content headers
    maintype, _, subtype = media_type.split(";")[0].strip().partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    message["Content-Language"] = languages  # and the message as a whole
    return message


def send(settings: Settings, to: str, letter: Letter, data: bytes, filename: str, media_type: str) -> None:
    message = compose(settings, to, letter, data, filename, media_type)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as relay:
            if settings.smtp_starttls:
                relay.starttls()
            if settings.smtp_user:
                relay.login(settings.smtp_user, settings.smtp_password)
            relay.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"the trust's mail server did not accept the message ({exc.__class__.__name__})") from exc
