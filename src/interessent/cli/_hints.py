"""The command line's hints: the option to use, added to a library error's message.

The library's messages speak the domain ("name the person who signs"), since a caller
in Python has no options to pass; the command line knows its own, and adds them from the
error's fields (``field``, ``rule``, ``cleared_by``), never by reading its words.
"""

from __future__ import annotations

import click

from ..errors import ImportRejected, InteressentError, InvalidInput, PolicyError
from ..i18n import N_, gettext

__all__ = ["with_hint"]

#: The option that gives the value of a library parameter named in ``InvalidInput.field``.
_OPTIONS = {
    "cleared_by": "--cleared-by ROLE",
    "clear": "--clear FIELD",
    "encoding": "--encoding",
    "force": "--force",
    "participants": N_("--with ID or --group KEY"),
    "recipients": N_("--group, --stakeholder, --uncovered or --leaders"),
    "signer": "--signer ID",
}


#: The names a command's parameter may have for a library parameter named otherwise
#: (``add_concern(on=…)`` is ``concern add --date``, whose parameter is ``day``).
_PARAMS = {
    "on": ("day", "date"),
    "since": ("stance_since", "day", "date"),
    "date": ("day",),
    "withdrawn": ("on",),
}


def with_hint(exc: InteressentError, command: click.Command | None = None) -> str:
    """The message of ``exc``, with the option that answers it where there is one: the
    library parameter it names (``on: not a date``) written as ``command``'s option or
    argument (``--date: not a date``), else the option added in brackets."""
    message = str(exc)
    if isinstance(exc, InvalidInput) and command is not None:
        named = _named_as_option(exc, message, command)
        if named is not None:
            return named
    if isinstance(exc, PolicyError):
        return message + _policy_hint(exc)
    if isinstance(exc, ImportRejected):
        from ..importing.tables import NO_SEPARATOR

        return message.replace(NO_SEPARATOR, f"{NO_SEPARATOR} (--delimiter)")
    if isinstance(exc, InvalidInput) and exc.field in _OPTIONS:
        return f"{message} ({gettext(_OPTIONS[exc.field])})"
    return message


def _named_as_option(exc: InvalidInput, message: str, command: click.Command) -> str | None:
    """``message`` with the library parameter it names first (``title: …``, or after
    what it is about: ``interaction: topic: …``) written as ``command`` names it (``TITLE:
    …``, ``--topic: …``); None when ``command`` has no such parameter."""
    field = exc.field
    if field is None and len(exc.problems) == 1:
        field = exc.problems[0].column
    if not field:
        return None
    by_name = {p.name: p for p in command.params if p.name}
    param = next((by_name[n] for n in (field, *_PARAMS.get(field, ())) if n in by_name), None)
    if param is None:
        return None
    if isinstance(param, click.Option):
        name = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    else:
        name = param.human_readable_name
    if message.startswith(f"{field}: "):
        return f"{name}: {message[len(field) + 2:]}"
    head, sep, rest = message.partition(f": {field}: ")
    if sep and ": " not in head:
        return f"{head}: {name}: {rest}"
    return None


def _policy_hint(exc: PolicyError) -> str:
    roles = gettext(" or ").join(exc.cleared_by)
    if exc.rule == "needs clearance" and roles:
        return gettext(": add --cleared-by {roles}").format(roles=roles)
    if exc.rule in ("clears own statement", "not a clearing role") and roles:
        return f" (--cleared-by {roles})"
    if exc.rule == "no own authority":
        return gettext(" (--signer ROLE and --cleared-by ROLE)")
    if exc.rule == "restricted":
        return " (--signer)"
    return ""
