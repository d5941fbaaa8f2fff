"""E-mail letters (``.eml``): an unsent MIME message with the text variant, the HTML
variant as its alternative, and headers that say who signed under which rule."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .text import _header_text, _valid_email

if TYPE_CHECKING:
    from ..model import Stakeholder
    from .letters import _Drafter


def render_eml(drafter: _Drafter, s: Stakeholder) -> tuple[bytes, str, str]:
    from email import policy
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    plain = drafter.render_text(s, "txt")
    assert plain is not None
    text, subject, file, _ = plain
    subject = subject or drafter.subject_default()
    html_result = drafter.render_text(s, "html", strict=True)
    if html_result is not None and drafter.language_of(html_result[2]) != drafter.language_of(
            file):
        html_result = None
    sig = drafter.signature
    programme = drafter.run.plan.programme
    sender = sig.email if _valid_email(sig.email) else (
        programme.email if _valid_email(programme.email) else None)
    msg = EmailMessage(policy=policy.SMTP)
    if sender:
        msg["From"] = Address(display_name=_header_text(sig.name), addr_spec=sender)
    assert s.email is not None
    msg["To"] = Address(display_name=_header_text(s.name), addr_spec=s.email)
    msg["Subject"] = subject
    when = dt.datetime.combine(drafter.run.as_of, dt.time(9, 0)).astimezone()
    msg["Date"] = format_datetime(when)
    domain = sender.rsplit("@", 1)[1] if sender else "interessent.invalid"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["X-Unsent"] = "1"
    msg["X-Interessent-Template"] = file
    msg["X-Interessent-Signer"] = _header_text(f"{sig.name} ({sig.title})")
    msg["X-Interessent-Rule"] = _header_text(sig.rule)
    if sig.cleared_by_title:
        msg["X-Interessent-Cleared-By"] = _header_text(sig.cleared_by_title)
    msg.set_content(text)
    if html_result is not None:
        msg.add_alternative(html_result[0], subtype="html")
    return msg.as_bytes(), subject, file
