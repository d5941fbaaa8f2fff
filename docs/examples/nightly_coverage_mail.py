"""A nightly job that e-mails the coverage summary.

Every target group with its reach and its opinion leaders, then every commitment that is
not met, sent as a plain-text e-mail through an SMTP server. A crontab line that sends
it at 06:30 every morning (one line)::

    30 6 * * * python nightly_coverage_mail.py /srv/osen --smtp-host smtp.osen.example
    --from interessent@osen.example --to leiar@osen.example

It opens the workspace, reads, and closes it again: nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from interessent import (
    InteressentError,
    Period,
    Status,
    Workspace,
    measure_coverage,
    parse_date,
    parse_period,
)


def summary(ws: Workspace, period: Period, as_of: dt.date) -> str:
    """The coverage of ``period`` as known on ``as_of``, as plain text."""
    results = measure_coverage(ws, period, as_of=as_of)
    lines = [f"{ws.plan.programme.name}: coverage {period} as of {as_of.isoformat()}", ""]
    for g in results:
        lines.append(
            f"{g.name} ({g.key}): {g.reached_directly} of {g.members} members reached "
            f"directly, {g.leaders_informed} of {g.leaders} opinion leaders informed, "
            f"{g.touchpoints} touchpoints, score {g.score:.2f}")
    open_ones = {c.id: c for g in results for c in g.commitments if c.status != Status.MET}
    lines += ["", f"Commitments not met: {len(open_ones)}"]
    for c in sorted(open_ones.values(), key=lambda c: c.id):
        due = f", due {c.due.isoformat()}" if c.due else ""
        lines.append(f"{c.id} {c.status.value}: {c.actual} of {c.expected}{due} – {c.title}")
    return "\n".join(lines) + "\n"


def build_message(ws: Workspace, period: Period, as_of: dt.date, *, sender: str,
                  recipients: Sequence[str]) -> EmailMessage:
    """The e-mail: subject, addresses, and the summary as its text."""
    message = EmailMessage()
    message["Subject"] = f"Coverage {period} as of {as_of.isoformat()}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message.set_content(summary(ws, period, as_of))
    return message


def send(message: EmailMessage, host: str, port: int) -> None:
    """Hands the message to the SMTP server at ``host``:``port``."""
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        smtp.send_message(message)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("workspace", type=Path, help="the folder with interessent.toml")
    parser.add_argument("--db", help="the database URL, when not the folder's SQLite file")
    parser.add_argument("--period", help="e.g. 2026, 2026-H2 (default: this year)")
    parser.add_argument("--as-of", help="the day to judge on (default: today)")
    parser.add_argument("--smtp-host", default="localhost")
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument("--from", dest="sender", required=True)
    parser.add_argument("--to", dest="recipients", action="append", required=True)
    args = parser.parse_args(argv)
    try:
        as_of = parse_date(args.as_of, field="as-of") if args.as_of else dt.date.today()
        period = (parse_period(args.period, field="period") if args.period
                  else Period.year(as_of.year))
        with Workspace(args.workspace, db=args.db) as ws:
            message = build_message(ws, period, as_of, sender=args.sender,
                                    recipients=args.recipients)
    except InteressentError as exc:
        parser.exit(1, f"Error: {exc}\n")
    try:
        send(message, args.smtp_host, args.smtp_port)
    except (OSError, smtplib.SMTPException) as exc:
        parser.exit(1, f"Error: could not send through {args.smtp_host}:{args.smtp_port}: "
                       f"{exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
