"""E-mailing a copy to a patient through the trust's SMTP relay (smtplib; the address is used
for this one message and never stored)."""

from __future__ import annotations

import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

from .settings import Settings


class MailError(Exception):
    """The message could not be handed to the relay: said plainly to the officer."""


def check_address(text: str) -> str:
    """A single plain e-mail address, or "" if this is not one (no display names, no lists)."""
    text = text.strip()
    name, address = parseaddr(text)
    if name or address != text or len(address) > 254 or address.count("@") != 1:
        return ""
    local, domain = address.split("@")
    if not local or "." not in domain or any(c.isspace() or c in "<>,;\"'" for c in address):
        return ""
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return ""
    return address


def send(settings: Settings, to: str, subject: str, body: str, data: bytes, filename: str, media_type: str) -> None:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    maintype, _, subtype = media_type.split(";")[0].strip().partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as relay:
            if settings.smtp_starttls:
                relay.starttls()
            if settings.smtp_user:
                relay.login(settings.smtp_user, settings.smtp_password)
            relay.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"the trust's mail server did not accept the message ({exc.__class__.__name__})") from exc
