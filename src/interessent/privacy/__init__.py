"""GDPR: legal bases and consent, access, erasure, restriction, retention, the audit log.

The register holds personal data about real people, so the programme is a controller
under the GDPR. This package does what the regulation asks of the register (see
docs/privacy.md for the why):

- :func:`record_consent` keeps each stakeholder's legal basis (art. 6) with where it came
  from and when it was given, expires or was withdrawn (:func:`withdraw_consent`). Rows
  are history; the newest is current.
- :func:`export_person` answers a request for access (art. 15, 20): everything held about
  one person as JSON, without other people's personal data.
- :func:`erase` (art. 17) anonymises a person in one transaction — record, ties, roles,
  notes, what identifies them in the texts linked to them (and only there) — keeps the
  counts (participation, group membership) and leaves an audit entry without personal
  data, then rebuilds the SQLite file so that no copy survives in free pages or the
  write-ahead log, and names (or with ``files`` cleans) the workspace's files that hold
  them. :func:`plan_erasure` shows all of it first, changing nothing.
- :func:`restrict` (art. 18) marks a record that must be kept (archive duty) but not used:
  drafting skips it and register exports leave it out. :func:`opt_out` stops letters.
- :func:`retention` lists (and with ``confirm`` erases) people inactive for longer than the
  plan's ``programme.retention_months`` (art. 5(1)(e)).
- :func:`audit_log` reads the audit log every write path fills: who changed what, when.
  People appear there only as their integer key, never by name or name-derived id.

What lives where:

====================  ===================================================================
``consent``           :data:`LEGAL_BASES`, :func:`parse_basis`, :class:`Consent`,
                      :func:`record_consent`, :func:`withdraw_consent`, :func:`consents`
``access``            :func:`export_person`
``erasure``           :class:`Erasure`, :func:`erase`, :func:`plan_erasure`,
                      :class:`ErasurePlan`, :class:`TextChange`, :class:`Mention`,
                      :func:`compact`, :func:`is_erased`, :data:`ERASED_NAME`: which
                      texts are linked to a person, and scrubbing them
``copies``            :class:`FileTrace`: the person's copies in the workspace's files
                      (lists, letters, reports, exports, backups), found and removed
``restriction``       :func:`restrict`, :func:`unrestrict`, :func:`restricted_ids`,
                      :func:`opt_out`, :func:`opt_in`
``retention_period``  :func:`retention`, :class:`RetentionReport`,
                      :class:`RetentionCandidate`
``audit``             :class:`AuditEntry`, :func:`audit_log`, :func:`audit_import`,
                      :func:`audit_tie`
``mentions``          finding people in free text by what identifies them (full name,
                      id, e-mail, phone; never one word, never an address)
``records``           a stakeholder's row by id, the refusal of an erased one, dates
====================  ===================================================================
"""

from __future__ import annotations

from .access import export_person
from .audit import AuditEntry, audit_import, audit_log, audit_tie
from .consent import (
    LEGAL_BASES,
    Consent,
    consents,
    parse_basis,
    record_consent,
    withdraw_consent,
)
from .copies import FileTrace
from .erasure import (
    ERASED_NAME,
    Erasure,
    ErasurePlan,
    Mention,
    TextChange,
    compact,
    erase,
    is_erased,
    plan_erasure,
)
from .restriction import opt_in, opt_out, restrict, restricted_ids, unrestrict
from .retention_period import RetentionCandidate, RetentionReport, retention

__all__ = [
    "ERASED_NAME",
    "LEGAL_BASES",
    "AuditEntry",
    "Consent",
    "Erasure",
    "ErasurePlan",
    "FileTrace",
    "Mention",
    "RetentionCandidate",
    "RetentionReport",
    "TextChange",
    "audit_import",
    "audit_log",
    "audit_tie",
    "compact",
    "consents",
    "erase",
    "export_person",
    "is_erased",
    "opt_in",
    "opt_out",
    "parse_basis",
    "plan_erasure",
    "record_consent",
    "restrict",
    "restricted_ids",
    "retention",
    "unrestrict",
    "withdraw_consent",
]
