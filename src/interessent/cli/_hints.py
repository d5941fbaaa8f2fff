"""The command line's hints: the option to use, added to a library error's message.

The library's messages speak the domain ("name the person who signs"), since a caller
in Python has no options to pass; the command line knows its own, and adds them from the
error's fields (``field``, ``rule``, ``cleared_by``), never by reading its words.
"""

from __future__ import annotations

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


def with_hint(exc: InteressentError) -> str:
    """The message of ``exc``, with the option that answers it where there is one."""
    message = str(exc)
    if isinstance(exc, PolicyError):
        return message + _policy_hint(exc)
    if isinstance(exc, ImportRejected):
        from ..importing.tables import NO_SEPARATOR

        return message.replace(NO_SEPARATOR, f"{NO_SEPARATOR} (--delimiter)")
    if isinstance(exc, InvalidInput) and exc.field in _OPTIONS:
        return f"{message} ({gettext(_OPTIONS[exc.field])})"
    return message


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
