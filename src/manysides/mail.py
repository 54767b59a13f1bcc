"""Send the briefing by email: multipart/alternative (text + compact HTML) over SMTP.

Header fields (subject, sender, recipients) are validated before use: any CR, LF or
other control character, or an address that is not exactly one ``local@domain``, raises
``UserError`` instead of reaching the wire. Supports STARTTLS, implicit TLS (``ssl``)
and AUTH; the password comes from ``email.password`` or the ``email.password_env``
environment variable.

Bulk-mail headers: ``List-Id``, ``List-Unsubscribe`` (the ``email.unsubscribe_url`` and
a ``mailto:`` to ``email.unsubscribe_mailto`` or the sender) and, when that URL is
https, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058).
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from urllib.parse import quote, urlsplit

from .config import EmailConfig
from .errors import ConfigError, ManysidesError, UserError

_ADDR = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
MAX_SUBJECT = 200


def _check_header(value: str, what: str) -> str:
    if not isinstance(value, str):
        raise UserError(f"email {what} must be text")
    if any(ord(ch) < 32 or ord(ch) == 127 or ch in "\u2028\u2029\x85" for ch in value):
        raise UserError(f"email {what} contains a line break or control character: {value!r}")
    return value


def check_subject(subject: str) -> str:
    subject = _check_header(subject, "subject").strip()
    if not subject:
        raise UserError("email subject is empty")
    return subject[:MAX_SUBJECT]


def check_address(value: str, what: str = "address") -> str:
    """One address (``a@b.example`` or ``Name <a@b.example>``); returns it normalised."""
    _check_header(value, what)
    parsed = getaddresses([value])
    if len(parsed) != 1 or value.count("@") != 1:
        raise UserError(f"email {what} must be exactly one address: {value!r}")
    name, addr = parsed[0]
    if not _ADDR.match(addr):
        raise UserError(f"email {what} is not a valid address: {value!r}")
    if any(ch in name for ch in '<>"'):
        raise UserError(f"email {what} has a malformed display name: {value!r}")
    return f"{name} <{addr}>" if name else addr


def _addr_spec(value: str) -> str:
    return getaddresses([value])[0][1]


def unsubscribe_mailto(cfg: EmailConfig) -> str:
    """``mailto:`` URL for unsubscribe requests ("" without an address to send them to)."""
    address = cfg.unsubscribe_mailto or cfg.sender
    if not address:
        return ""
    spec = _addr_spec(check_address(address, "unsubscribe_mailto"))
    return f"mailto:{spec}?subject=unsubscribe"


def unsubscribe_link(cfg: EmailConfig) -> str:
    """What the message's unsubscribe text links to: the URL, else the mailto."""
    if cfg.unsubscribe_url:
        _check_url(cfg.unsubscribe_url)
        return cfg.unsubscribe_url
    return unsubscribe_mailto(cfg)


def _check_url(url: str) -> str:
    _check_header(url, "unsubscribe_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in url for c in "<> "):
        raise ConfigError(f"email.unsubscribe_url must be an http(s) URL, not {url!r}")
    return url


def list_id(cfg: EmailConfig, title: str) -> str:
    """``email.list_id``, else ``<title-slug.sender-domain>`` (RFC 2919)."""
    if cfg.list_id:
        value = _check_header(cfg.list_id, "list_id").strip()
        return value if value.startswith("<") else f"<{value}>"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "briefing"
    domain = _addr_spec(cfg.sender).rpartition("@")[2] if cfg.sender else "manysides.local"
    return f"<{slug}.{domain}>"


def list_headers(cfg: EmailConfig, title: str) -> dict[str, str]:
    """List-Id, List-Unsubscribe and (for an https URL) List-Unsubscribe-Post."""
    targets = []
    if cfg.unsubscribe_url:
        targets.append(_check_url(cfg.unsubscribe_url))
    mailto = unsubscribe_mailto(cfg)
    if mailto:
        targets.append(mailto)
    headers = {"List-Id": list_id(cfg, title)}
    if targets:
        headers["List-Unsubscribe"] = ", ".join(
            f"<{quote(t, safe=':/?=&@.-_~%+')}>" for t in targets
        )
    if cfg.unsubscribe_url.startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def build_message(
    *,
    subject: str,
    sender: str,
    recipients: Sequence[str],
    text: str,
    html: str,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message; raises ``UserError`` on unsafe header values.

    ``headers`` adds fields such as ``list_headers`` (checked like the others)."""
    if not recipients:
        raise UserError("no email recipients: pass --to ADDRESS or set email.recipients")
    msg = EmailMessage()
    msg["Subject"] = check_subject(subject)
    msg["From"] = check_address(sender, "sender")
    msg["To"] = ", ".join(check_address(r, "recipient") for r in recipients)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=msg["From"].addresses[0].domain or "manysides.local")
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        msg[name] = _check_header(value, name)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def briefing_subject(cfg: EmailConfig, title: str, date: str) -> str:
    try:
        return cfg.subject.format(title=title, date=date)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"email.subject: bad template {cfg.subject!r} ({exc})") from None


def _password(cfg: EmailConfig) -> str:
    return cfg.password or os.environ.get(cfg.password_env, "")


def send_message(cfg: EmailConfig, msg: EmailMessage) -> list[str]:
    """Deliver ``msg`` to every address in its To header; returns the accepted ones."""
    recipients = [a.addr_spec for a in msg["To"].addresses]
    context = ssl.create_default_context()
    try:
        if cfg.ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        with smtp:
            smtp.ehlo()
            if cfg.starttls and not cfg.ssl:
                smtp.starttls(context=context)
                smtp.ehlo()
            if cfg.username:
                smtp.login(cfg.username, _password(cfg))
            refused = smtp.send_message(msg, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise UserError(f"SMTP login to {cfg.host}:{cfg.port} failed: {exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise ManysidesError(
            f"cannot send email via {cfg.host}:{cfg.port}: {type(exc).__name__}: {exc}"
        ) from None
    return [r for r in recipients if r not in refused]
