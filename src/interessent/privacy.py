"""GDPR: legal bases and consent, access, erasure, restriction, retention, the audit log.

The register holds personal data about real people, so the programme is a controller
under the GDPR. This module does what the regulation asks of the register (see
docs/privacy.md for the why):

- :func:`record_consent` keeps each stakeholder's legal basis (art. 6) with where it came
  from and when it was given, expires or was withdrawn (:func:`withdraw_consent`). Rows
  are history; the newest is current.
- :func:`export_person` answers a request for access (art. 15, 20): everything held about
  one person as JSON, without other people's personal data.
- :func:`erase` (art. 17) anonymises a person in one transaction — record, ties, roles,
  notes, their name in every free text — keeps the counts (participation, group
  membership) and leaves an audit entry without personal data, then rebuilds the SQLite
  file so that no copy survives in free pages or the write-ahead log.
- :func:`restrict` (art. 18) marks a record that must be kept (archive duty) but not used:
  drafting skips it and register exports leave it out. :func:`opt_out` stops letters.
- :func:`retention` lists (and with ``confirm`` erases) people inactive for longer than the
  plan's ``programme.retention_months`` (art. 5(1)(e)).
- :func:`audit_log` reads the audit log every write path fills: who changed what, when.
  People appear there only as their integer key, never by name or name-derived id.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .store import Store
    from .workspace import Workspace

__all__ = [
    "ERASED_NAME",
    "LEGAL_BASES",
    "AuditEntry",
    "Consent",
    "Erasure",
    "RetentionCandidate",
    "RetentionReport",
    "audit_import",
    "audit_log",
    "compact",
    "consents",
    "erase",
    "export_person",
    "is_erased",
    "opt_in",
    "opt_out",
    "parse_basis",
    "record_consent",
    "restrict",
    "restricted_ids",
    "retention",
    "unrestrict",
    "withdraw_consent",
]

#: The legal bases of GDPR art. 6(1), by the Norwegian words the register uses.
LEGAL_BASES: dict[str, str] = {
    "samtykke": "art. 6(1)(a): the person has given consent",
    "avtale": "art. 6(1)(b): a contract with the person",
    "rettslig forpliktelse": "art. 6(1)(c): a legal obligation of the controller",
    "vitale interesser": "art. 6(1)(d): the vital interests of a person",
    "offentlig myndighetsutøvelse": "art. 6(1)(e): a task in the public interest or the "
                                    "exercise of official authority",
    "berettiget interesse": "art. 6(1)(f): the legitimate interests of the controller",
}

_BASIS_WORDS: dict[str, str] = {
    **dict.fromkeys(("samtykke", "consent", "a"), "samtykke"),
    **dict.fromkeys(("avtale", "kontrakt", "contract", "b"), "avtale"),
    **dict.fromkeys(("rettslig forpliktelse", "legal obligation", "c"),
                    "rettslig forpliktelse"),
    **dict.fromkeys(("vitale interesser", "vital interests", "d"), "vitale interesser"),
    **dict.fromkeys(("offentlig myndighetsutøvelse", "offentlig myndighetsutovelse",
                     "myndighetsutøvelse", "offentlig oppgave", "allmennhetens interesse",
                     "public task", "official authority", "e"), "offentlig myndighetsutøvelse"),
    **dict.fromkeys(("berettiget interesse", "legitimate interest", "legitimate interests",
                     "f"), "berettiget interesse"),
}

#: What an erased person's record is called: ``Slettet person #123``.
ERASED_NAME = "Slettet person #{pk}"
_ERASED_ID = "slettet-{pk}"
#: What replaces an erased person's name, id, e-mail, phone or address in free text.
SCRUBBED = "[slettet]"
#: What replaces another person's name in a person's export.
OTHER_PERSON = "[annen person]"

#: Interaction kinds that are letters (what :func:`interessent.drafting.draft` records).
LETTER_KINDS = frozenset({"letter", "email"})


def parse_basis(text: str) -> str:
    """A legal basis from its Norwegian name, its English name or its letter in art. 6(1)
    (``samtykke``, ``consent``, ``a`` …); returns the Norwegian name."""
    key = re.sub(r"[\s_\-]+", " ", text.strip().casefold())
    key = re.sub(r"^(?:art\.? ?6 ?\(1\) ?)?\(?([a-f])\)?$", r"\1", key)
    found = _BASIS_WORDS.get(key)
    if found is None:
        raise InvalidInput(f"unknown legal basis {text!r} (expected one of: "
                           f"{', '.join(LEGAL_BASES)})")
    return found


# --- values -------------------------------------------------------------------------------


@frozen
class Consent:
    """One legal basis for holding a stakeholder's data, as recorded.

    For consent (``samtykke``) ``given`` is when it was given; for the other bases, from
    when the basis applies. It is valid from ``given`` through ``expires`` and ends the
    day it is ``withdrawn``.
    """

    basis: str
    source: str | None
    given: dt.date
    expires: dt.date | None = None
    withdrawn: dt.date | None = None
    recorded_at: dt.datetime | None = None
    recorded_by: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.given <= day and (self.expires is None or day <= self.expires)
                and (self.withdrawn is None or day < self.withdrawn))


@frozen
class AuditEntry:
    """One entry of the audit log. ``subject`` is a stakeholder's current id (an erased
    person's is ``slettet-<pk>``), or a reference such as an interaction id or a file."""

    at: dt.datetime
    actor: str
    action: str
    subject_kind: str
    subject: str | None
    detail: dict[str, Any] = field(factory=dict)


@frozen
class Erasure:
    """What :func:`erase` did to one person (counts only: the person is gone)."""

    pk: int
    id: str
    """The record's new, non-personal id (``slettet-<pk>``)."""
    relationships_removed: int
    participations_kept: int
    notes_cleared: int
    texts_scrubbed: int
    consents_kept: int
    compacted: bool = False
    """Whether the SQLite file was rebuilt so no copy is left (see :meth:`Store.compact`)."""


@frozen
class RetentionCandidate:
    """A person whose data is past the retention period."""

    id: str
    name: str
    last_activity: dt.date
    last_interaction: dt.date | None


@frozen
class RetentionReport:
    """The outcome of :func:`retention`: who is past the period, who is kept and why, and
    (with ``confirm``) the erasures."""

    as_of: dt.date
    months: int
    cutoff: dt.date
    """Records whose last activity is before this day are past the period."""
    candidates: tuple[RetentionCandidate, ...]
    kept: dict[str, int]
    """People past the period but kept, by reason: ``restricted`` (archive duty),
    ``programme role``, ``consent`` (a valid consent)."""
    erased: tuple[Erasure, ...] = ()
    compacted: bool = False

    @property
    def confirmed(self) -> bool:
        return bool(self.erased)


# --- small helpers ------------------------------------------------------------------------


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _day(value: str | dt.date | None, default: dt.date | None = None) -> dt.date | None:
    from .periods import parse_date

    if value is None or value == "":
        return default
    return value if isinstance(value, dt.date) else parse_date(value)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _person_row(s: Session, id: str) -> Any:
    """The stakeholder row with id ``id`` (NotFound if there is none)."""
    from sqlalchemy import select

    from .store import ST

    row = s.execute(select(ST).where(ST.c.id == id)).mappings().first()
    if row is None:
        raise NotFound(f"no stakeholder with id {id!r}")
    return row


def _not_erased(row: Any, doing: str) -> None:
    if row["erased_at"] is not None:
        raise InvalidInput(f"{row['id']} was erased on {_date(row['erased_at']).isoformat()}; "
                           f"cannot {doing}")


def _consent_from_row(r: Any) -> Consent:
    return Consent(basis=r["basis"], source=r["source"], given=_date(r["given"]),
                   expires=_date(r["expires"]) if r["expires"] is not None else None,
                   withdrawn=_date(r["withdrawn"]) if r["withdrawn"] is not None else None,
                   recorded_at=r["recorded_at"], recorded_by=r["recorded_by"])


def _consent_rows(s: Session, pk: int) -> list[Any]:
    """A stakeholder's consent rows, newest first."""
    from sqlalchemy import select

    from .store import CONSENTS

    query = (select(CONSENTS).where(CONSENTS.c.stakeholder_pk == pk)
             .order_by(CONSENTS.c.pk.desc()))
    return list(s.execute(query).mappings())


# --- the audit log ------------------------------------------------------------------------


def audit_import(
    store: Store,
    s: Session,
    kind: str,
    *,
    source: str,
    action: str,
    subject: str | None,
    rows: int,
    added: int,
    updated: int,
    columns: Sequence[str],
) -> None:
    """The audit entry of an import (one per file or typed-in row, not one per row).

    A file is referred to by its name; a typed-in stakeholder (``subject``) by its key,
    an interaction by its id."""
    detail: dict[str, Any] = {"rows": rows, "added": added, "updated": updated}
    if subject is None:
        store.audit(s, action, kind, source, detail)
        return
    detail["columns"] = sorted(c for c in columns if c != "id")
    one = {"stakeholders": "stakeholder", "interactions": "interaction"}.get(kind, kind)
    store.audit(s, action, one, subject, detail)


def audit_log(
    ws: Workspace,
    *,
    subject: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The audit log, oldest first; only entries about stakeholder ``subject`` (by id) or
    of one ``action``, and only the newest ``limit``, when given."""
    from sqlalchemy import select

    from .store import AUDIT, ST, _chunks

    query = select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.pk.desc())
    with ws.store.read() as s:
        if subject is not None:
            pk = _person_row(s, subject)["pk"]
            query = query.where((AUDIT.c.subject_kind == "stakeholder")
                                & (AUDIT.c.subject_pk == pk))
        if action is not None:
            query = query.where(AUDIT.c.action == action)
        if limit is not None:
            query = query.limit(limit)
        rows = list(s.execute(query).mappings())
        pks = {r["subject_pk"] for r in rows if r["subject_pk"] is not None}
        ids: dict[int, str] = {}
        for chunk in _chunks(sorted(pks), 400):
            ids.update((k, v) for k, v in s.execute(
                select(ST.c.pk, ST.c.id).where(ST.c.pk.in_(chunk))))
    return [_entry(r, ids) for r in reversed(rows)]


def _entry(r: Any, ids: Mapping[int, str]) -> AuditEntry:
    pk = r["subject_pk"]
    subject = ids.get(pk, f"#{pk}") if pk is not None else r["subject_ref"]
    detail = json.loads(r["detail"]) if r["detail"] else {}
    return AuditEntry(at=r["at"], actor=r["actor"], action=r["action"],
                      subject_kind=r["subject_kind"], subject=subject, detail=detail)


# --- consent ------------------------------------------------------------------------------


def record_consent(
    ws: Workspace,
    id: str,
    *,
    basis: str,
    source: str,
    given: str | dt.date | None = None,
    expires: str | dt.date | None = None,
) -> Consent:
    """Record the legal basis for holding stakeholder ``id``'s data: ``basis`` (see
    :data:`LEGAL_BASES`), ``source`` (where it came from: "påmeldingsskjema dialogmøte
    2026"), from ``given`` (default today) until ``expires`` (if it does). It becomes the
    current basis, and the stakeholder's ``legal_basis``. Opting in again after an opt-out
    is separate (:func:`opt_in`)."""
    from sqlalchemy import insert, update

    from .store import CONSENTS, ST, _now, current_actor

    name = parse_basis(basis)
    where = (source or "").strip()
    if not where:
        raise InvalidInput("say where the consent or legal basis came from (source)")
    since = _day(given, dt.date.today())
    assert since is not None
    until = _day(expires)
    if until is not None and until < since:
        raise InvalidInput(f"expires ({until}) before it is given ({since})")
    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        _not_erased(row, "record a legal basis")
        s.execute(insert(CONSENTS).values(
            stakeholder_pk=row["pk"], basis=name, source=where, given=since, expires=until,
            withdrawn=None, recorded_at=_now(), recorded_by=current_actor()))
        s.execute(update(ST).where(ST.c.pk == row["pk"])
                  .values(legal_basis=name, updated_at=_now()))
        store.audit(s, "consent", "stakeholder", row["pk"],
                    {"basis": name, "given": since.isoformat(),
                     **({"expires": until.isoformat()} if until else {})})
        current = _consent_from_row(_consent_rows(s, row["pk"])[0])
    return current


def withdraw_consent(ws: Workspace, id: str, *, on: str | dt.date | None = None) -> Consent:
    """Mark the current consent or basis of stakeholder ``id`` withdrawn ``on`` (default
    today). The stakeholder no longer has a legal basis recorded; withdrawn consent also
    opts them out of letters (art. 7(3): as easy to withdraw as to give)."""
    from sqlalchemy import update

    from .store import CONSENTS, ST, _now

    day = _day(on, dt.date.today())
    assert day is not None
    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        _not_erased(row, "withdraw a consent")
        rows = _consent_rows(s, row["pk"])
        if not rows:
            raise InvalidInput(f"no consent or legal basis is recorded for {id}")
        current = rows[0]
        if current["withdrawn"] is not None:
            raise InvalidInput(f"the current {current['basis']} of {id} was withdrawn already "
                               f"on {_date(current['withdrawn']).isoformat()}")
        if day < _date(current["given"]):
            raise InvalidInput(f"withdrawn ({day}) before it was given "
                               f"({_date(current['given'])})")
        s.execute(update(CONSENTS).where(CONSENTS.c.pk == current["pk"]).values(withdrawn=day))
        values: dict[str, Any] = {"legal_basis": None, "updated_at": _now()}
        if current["basis"] == "samtykke":
            values["opted_out"] = True
        s.execute(update(ST).where(ST.c.pk == row["pk"]).values(values))
        store.audit(s, "withdraw", "stakeholder", row["pk"],
                    {"basis": current["basis"], "withdrawn": day.isoformat()})
        result = _consent_from_row(_consent_rows(s, row["pk"])[0])
    return result


def consents(ws: Workspace, id: str) -> list[Consent]:
    """Stakeholder ``id``'s legal bases as recorded, newest (the current one) first."""
    with ws.store.read() as s:
        row = _person_row(s, id)
        return [_consent_from_row(r) for r in _consent_rows(s, row["pk"])]


# --- flags --------------------------------------------------------------------------------


def _set_flag(ws: Workspace, id: str, column: str, value: bool, action: str) -> bool:
    from sqlalchemy import update

    from .store import ST, _now

    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        if row["erased_at"] is not None and not value:
            _not_erased(row, action.replace("_", "-"))
        if bool(row[column]) == value:
            return False
        s.execute(update(ST).where(ST.c.pk == row["pk"])
                  .values({column: value, "updated_at": _now()}))
        store.audit(s, action, "stakeholder", row["pk"])
    return True


def opt_out(ws: Workspace, id: str) -> bool:
    """Stakeholder ``id`` wants no more letters from the programme; drafting skips them.
    Returns whether that changed anything."""
    return _set_flag(ws, id, "opted_out", True, "opt_out")


def opt_in(ws: Workspace, id: str) -> bool:
    """Undo :func:`opt_out`; returns whether that changed anything."""
    return _set_flag(ws, id, "opted_out", False, "opt_in")


def restrict(ws: Workspace, id: str) -> bool:
    """Restrict processing of stakeholder ``id``'s data (GDPR art. 18), for a record that
    must be kept (archive duty) but not used: drafting skips it, register exports leave it
    out, retention keeps it. Returns whether that changed anything."""
    return _set_flag(ws, id, "restricted", True, "restrict")


def unrestrict(ws: Workspace, id: str) -> bool:
    """Lift a restriction (not of an erased record); returns whether that changed anything."""
    return _set_flag(ws, id, "restricted", False, "unrestrict")


# --- finding people in free text ----------------------------------------------------------

_WORD = re.compile(r"\w+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t.\-]{3,}\d(?!\w)")


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def _national(digits: str) -> str:
    if digits.startswith("0047") and len(digits) >= 12:
        return digits[4:]
    if digits.startswith("47") and len(digits) == 10:
        return digits[2:]
    return digits


class _People:
    """Finds people in free text by their full name, id, e-mail, phone or address.

    Word sequences are looked up in a table, so the cost is one pass over the text however
    many people are looked for. Letter case, accents written as composed or decomposed
    characters, and the spacing of phone numbers do not matter. A first name or a surname
    alone is not found: it is not unique enough to remove (docs/privacy.md)."""

    def __init__(self, people: Iterable[tuple[Any, Iterable[str | None], str | None]]) -> None:
        self.sequences: dict[tuple[str, ...], Any] = {}
        self.phones: dict[str, Any] = {}
        for key, texts, phone in people:
            for text in texts:
                words = _words(text or "")
                if words:
                    self.sequences.setdefault(words, key)
            digits = re.sub(r"\D", "", phone or "")
            if len(digits) >= 5:
                self.phones.setdefault(_national(digits), key)
        self.lengths = sorted({len(w) for w in self.sequences}, reverse=True)
        self.firsts = {w[0] for w in self.sequences}

    def __bool__(self) -> bool:
        return bool(self.sequences or self.phones)

    def find(self, text: str) -> list[tuple[int, int, Any]]:
        """(start, end, key) of every mention in ``text`` (NFC-normalised), in order."""
        text = unicodedata.normalize("NFC", text)
        spans: list[tuple[int, int, Any]] = []
        if self.sequences:
            matches = list(_WORD.finditer(text))
            words = [m.group().casefold() for m in matches]
            i = 0
            while i < len(words):
                hit = None
                if words[i] in self.firsts:
                    for n in self.lengths:
                        key = self.sequences.get(tuple(words[i:i + n]))
                        if key is not None and i + n <= len(words):
                            hit = (n, key)
                            break
                if hit is None:
                    i += 1
                    continue
                n, key = hit
                spans.append((matches[i].start(), matches[i + n - 1].end(), key))
                i += n
        if self.phones:
            for m in _PHONE.finditer(text):
                key = self.phones.get(_national(re.sub(r"\D", "", m.group())))
                if key is not None:
                    spans.append((m.start(), m.end(), key))
        spans.sort()
        merged: list[tuple[int, int, Any]] = []
        for span in spans:
            if merged and span[0] < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], span[1]), last[2])
            else:
                merged.append(span)
        return merged

    def replace(self, text: str, by: str) -> tuple[str, set[Any]]:
        """``text`` with every mention replaced by ``by``, and whose mentions they were."""
        spans = self.find(text)
        if not spans:
            return text, set()
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        at = 0
        for start, end, _key in spans:
            out += [text[at:start], by]
            at = end
        out.append(text[at:])
        return "".join(out), {key for _s, _e, key in spans}


def _identifiers(row: Any) -> tuple[list[str | None], str | None]:
    """The texts that identify a stakeholder row in free text, and its phone."""
    return [row["name"], row["id"], row["email"], row["address"]], row["phone"]


# --- access -------------------------------------------------------------------------------


def export_person(ws: Workspace, id: str) -> dict[str, Any]:
    """Everything the register holds about one person, for a request for access (GDPR
    art. 15) or portability (art. 20): the record, legal bases, relationships,
    interactions, letters and audit entries, as JSON-ready values.

    Other people's personal data does not leak through: the other end of a relationship
    is named only when it is an organisation; an interaction shows the number of other
    participants, not who they were; notes are included only for interactions the person
    was the sole participant of, and other registered people's names, ids, e-mails,
    phones and addresses are replaced by ``[annen person]`` in every text shown (notes,
    topics, consent sources). The export is an audit entry.
    """
    from sqlalchemy import select

    from .store import AUDIT, ST, _now

    store = ws.store
    plan = ws.plan
    with store.write() as s:
        row = _person_row(s, id)
        pk = row["pk"]
        store.audit(s, "export", "stakeholder", pk)
        consent_rows = _consent_rows(s, pk)
        audit_rows = list(s.execute(
            select(AUDIT).where((AUDIT.c.subject_kind == "stakeholder")
                                & (AUDIT.c.subject_pk == pk))
            .order_by(AUDIT.c.at, AUDIT.c.pk)).mappings())
        others = list(s.execute(
            select(ST.c.pk, ST.c.id, ST.c.name, ST.c.email, ST.c.address, ST.c.phone)
            .where((ST.c.kind == "person") & (ST.c.pk != pk))).mappings())
    me = store.stakeholder(row["id"])
    redact = _People((r["pk"], *_identifiers(r)) for r in others)

    def clean(text: str | None) -> str | None:
        return redact.replace(text, OTHER_PERSON)[0] if text and redact else text

    rels = store.relationships(stakeholder=me.id)
    ends = {r.target if r.source == me.id else r.source for r in rels}
    interactions = store.interactions(stakeholder=me.id)
    ends |= {i.host for i in interactions if i.host}
    if me.organisation:
        ends.add(me.organisation)
    known = {o.id: o for o in store.stakeholders(ids=sorted(ends))}

    def party(other: str | None) -> dict[str, Any] | None:
        if other is None:
            return None
        if other == me.id:
            return {"kind": "person", "description": "the person"}
        found = known.get(other)
        if found is not None and not found.is_person:
            return {"kind": "organisation", "id": found.id, "name": found.name}
        return {"kind": "person", "description": "another person"}

    groups = {g.key: g.name for g in plan.groups}
    record = {
        "id": me.id, "name": me.name, "kind": me.kind.value, "email": me.email,
        "phone": me.phone, "address": me.address, "organisation": party(me.organisation),
        "roles": list(me.roles),
        "groups": [{"key": g, "name": groups.get(g, g)} for g in me.groups],
        "influence": me.influence, "interest": me.interest, "language": me.language.value,
        "legal_basis": me.legal_basis, "tags": list(me.tags), "notes": clean(me.notes),
        "opted_out": me.opted_out, "restricted": me.restricted,
        "erased_at": _iso(row["erased_at"]), "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
    }
    today = dt.date.today()
    consent_list = []
    for n, r in enumerate(consent_rows):
        c = _consent_from_row(r)
        consent_list.append({
            "basis": c.basis, "article": LEGAL_BASES.get(c.basis), "source": clean(c.source),
            "given": _iso(c.given), "expires": _iso(c.expires), "withdrawn": _iso(c.withdrawn),
            "recorded_at": _iso(c.recorded_at), "current": n == 0,
            "valid_today": c.valid_on(today),
        })
    relationships = []
    for r in rels:
        outgoing = r.source == me.id
        relationships.append({
            "kind": r.kind,
            "direction": "mutual" if not r.directed else "from" if outgoing else "to",
            "other": party(r.target if outgoing else r.source),
            "strength": r.strength, "start": _iso(r.start), "end": _iso(r.end),
        })
    contacts: list[dict[str, Any]] = []
    letters: list[dict[str, Any]] = []
    for i in interactions:
        shared = len([p for p in i.participants if p != me.id])
        item: dict[str, Any] = {
            "id": i.id, "date": i.date.isoformat(), "kind": i.kind, "channel": i.channel,
            "topic": clean(i.topic), "commitments": list(i.commitments),
            "audience_groups": list(i.groups),
            "took_part": me.id in i.participants, "host": party(i.host),
            "other_participants": shared, "success_story": i.success,
        }
        if i.notes and shared == 0:
            item["notes"] = clean(i.notes)
        elif i.notes:
            item["notes"] = None
            item["notes_withheld"] = ("the notes of an interaction with other participants "
                                      "are about them too")
        (letters if i.kind in LETTER_KINDS and me.id in i.participants
         else contacts).append(item)
    return {
        "exported_at": _now().replace(microsecond=0).isoformat() + "Z",
        "controller": {"programme": plan.programme.name,
                       "municipality": plan.programme.municipality,
                       "email": plan.programme.email},
        "retention_months": plan.programme.retention_months,
        "stakeholder": record,
        "consents": consent_list,
        "relationships": relationships,
        "interactions": contacts,
        "letters": letters,
        "audit": [{"at": _iso(r["at"]), "action": r["action"],
                   "detail": json.loads(r["detail"]) if r["detail"] else {}}
                  for r in audit_rows],
    }


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- erasure ------------------------------------------------------------------------------


def erase(ws: Workspace, id: str, *, compact: bool = True) -> Erasure:
    """Erase person ``id``'s personal data (GDPR art. 17), in one transaction.

    The record stays, anonymised, so that counts (participation in interactions, group
    membership, coverage) still add up: its name becomes ``Slettet person #<pk>``, its id
    ``slettet-<pk>`` (ids are made from names), contact data, notes, legal basis, roles,
    tags and organisation are cleared, and it is restricted and opted out. Its
    relationships are removed; its consent rows keep their basis and dates only. Notes of
    interactions it was the only participant of are cleared; its name, id, e-mail, phone
    and address are replaced by ``[slettet]`` in every other free text (interaction
    topics and notes, other stakeholders' notes, the audit log). One audit entry records
    the counts. Then (``compact``) the SQLite file is rebuilt, so no copy survives in free
    pages or the write-ahead log. A record that must be kept is :func:`restrict`-ed instead.
    """
    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        _check_erasable(row)
        store.secure_delete(s)
        [done] = _erase_rows(store, s, [row], "erase")
    compacted = store.compact() if compact else False
    return _with_compacted(done, compacted)


def _with_compacted(e: Erasure, compacted: bool) -> Erasure:
    import attrs

    return attrs.evolve(e, compacted=compacted)


def _check_erasable(row: Any) -> None:
    if row["kind"] != "person":
        raise InvalidInput(f"{row['id']} is an organisation, not a person; its data is not "
                           "personal data (edit it, or erase its contact people)")
    _not_erased(row, "erase it again")


def _erase_rows(store: Store, s: Session, rows: Sequence[Any], action: str) -> list[Erasure]:
    """Anonymise the given stakeholder rows (persons, not erased) and scrub every free text
    of them; one audit entry each."""
    from sqlalchemy import delete, func, select, update

    from .store import (
        AUDIT,
        CONSENTS,
        INT,
        PART,
        REL,
        ROLES,
        ST,
        TAGS,
        _chunks,
        _now,
    )

    if not rows:
        return []
    people = _People((r["pk"], *_identifiers(r)) for r in rows)
    pks = [r["pk"] for r in rows]
    now = _now()
    stats: dict[int, dict[str, int]] = {
        pk: {"relationships_removed": 0, "participations_kept": 0, "notes_cleared": 0,
             "texts_scrubbed": 0, "consents_kept": 0} for pk in pks}

    for chunk in _chunks(pks, 400):
        for a, b in s.execute(select(REL.c.source_pk, REL.c.target_pk).where(
                REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk))):
            for end in {a, b} & set(chunk):
                stats[end]["relationships_removed"] += 1
        s.execute(delete(REL).where(REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk)))
        for table in (ROLES, TAGS):
            s.execute(delete(table).where(table.c.stakeholder_pk.in_(chunk)))
        for pk, n in s.execute(select(PART.c.stakeholder_pk, func.count())
                               .where(PART.c.stakeholder_pk.in_(chunk))
                               .group_by(PART.c.stakeholder_pk)):
            stats[pk]["participations_kept"] = n
        for pk, n in s.execute(select(CONSENTS.c.stakeholder_pk, func.count())
                               .where(CONSENTS.c.stakeholder_pk.in_(chunk))
                               .group_by(CONSENTS.c.stakeholder_pk)):
            stats[pk]["consents_kept"] = n
        s.execute(update(CONSENTS).where(CONSENTS.c.stakeholder_pk.in_(chunk))
                  .values(source=None))
        # Notes of interactions they were the only participant of are about them alone.
        alone = (select(PART.c.interaction_pk).group_by(PART.c.interaction_pk)
                 .having(func.count() == 1))
        sole = list(s.execute(
            select(PART.c.interaction_pk, PART.c.stakeholder_pk)
            .join(INT, INT.c.pk == PART.c.interaction_pk)
            .where(PART.c.stakeholder_pk.in_(chunk) & PART.c.interaction_pk.in_(alone)
                   & INT.c.notes.is_not(None))))
        for _ipk, pk in sole:
            stats[pk]["notes_cleared"] += 1
        for part in _chunks([ipk for ipk, _ in sole], 400):
            s.execute(update(INT).where(INT.c.pk.in_(part)).values(notes=None))

    for r in rows:
        pk = r["pk"]
        new_id = _ERASED_ID.format(pk=pk)
        taken = s.scalar(select(ST.c.pk).where((ST.c.id == new_id) & (ST.c.pk != pk)))
        if taken is not None:
            new_id = f"{new_id}-{taken}"
        s.execute(update(ST).where(ST.c.pk == pk).values(
            id=new_id, name=ERASED_NAME.format(pk=pk), email=None, phone=None, address=None,
            organisation_pk=None, legal_basis=None, notes=None, opted_out=True,
            restricted=True, erased_at=now, updated_at=now))

    # Their name, id, e-mail, phone and address in every other free text.
    texts = [(INT, ("topic", "notes")), (ST, ("notes",)), (AUDIT, ("subject_ref", "detail"))]
    for table, columns in texts:
        for column in columns:
            col = table.c[column]
            changed: list[tuple[int, str]] = []
            for tpk, value in s.execute(select(table.c.pk, col).where(col.is_not(None))):
                new, whose = people.replace(value, SCRUBBED)
                if whose:
                    changed.append((tpk, new))
                    for pk in whose:
                        stats[pk]["texts_scrubbed"] += 1
            for tpk, new in changed:
                s.execute(update(table).where(table.c.pk == tpk).values({column: new}))

    result = []
    for r in rows:
        pk = r["pk"]
        store.audit(s, action, "stakeholder", pk, stats[pk])
        n = stats[pk]
        result.append(Erasure(
            pk=pk, id=s.scalar(select(ST.c.id).where(ST.c.pk == pk)) or "",
            relationships_removed=n["relationships_removed"],
            participations_kept=n["participations_kept"], notes_cleared=n["notes_cleared"],
            texts_scrubbed=n["texts_scrubbed"], consents_kept=n["consents_kept"]))
    return result


# --- retention ----------------------------------------------------------------------------


def retention(
    ws: Workspace,
    *,
    as_of: str | dt.date | None = None,
    confirm: bool = False,
) -> RetentionReport:
    """People whose data is past the plan's ``programme.retention_months``: no activity
    (an interaction they took part in or hosted, being registered, a legal basis given)
    since ``as_of`` minus that many months. Kept are restricted records (archive duty),
    holders of a programme role, and people with a valid consent (``samtykke``). A dry run
    unless ``confirm``: then each is erased (:func:`erase`) in one transaction."""
    from sqlalchemy import func, select

    from .store import CONSENTS, INT, PART, ROLES, ST

    plan = ws.plan
    months = plan.programme.retention_months
    if months is None:
        raise InvalidInput("the plan sets no retention period: add retention_months to "
                           "[programme] in interessent.toml (months to keep the data of "
                           "people the programme no longer has contact with)")
    day = _day(as_of, dt.date.today())
    assert day is not None
    cutoff = _months_before(day, months)
    programme_roles = [r.key for r in plan.roles if r.programme]
    store = ws.store
    opened = store.write() if confirm else store.read()
    with opened as s:
        people = list(s.execute(select(ST).where((ST.c.kind == "person")
                                                 & ST.c.erased_at.is_(None))).mappings())
        last: dict[int, dt.date] = {}
        for pk, when in s.execute(
                select(PART.c.stakeholder_pk, func.max(INT.c.date))
                .join(INT, INT.c.pk == PART.c.interaction_pk)
                .group_by(PART.c.stakeholder_pk)):
            last[pk] = _date(when)
        for pk, when in s.execute(select(INT.c.host_pk, func.max(INT.c.date))
                                  .where(INT.c.host_pk.is_not(None))
                                  .group_by(INT.c.host_pk)):
            last[pk] = max(last.get(pk, _date(when)), _date(when))
        roles = set(s.scalars(select(ROLES.c.stakeholder_pk)
                              .where(ROLES.c.role.in_(programme_roles)))) \
            if programme_roles else set()
        newest: dict[int, Consent] = {}
        for r in s.execute(select(CONSENTS).order_by(CONSENTS.c.pk)).mappings():
            newest[r["stakeholder_pk"]] = _consent_from_row(r)
        kept = {"restricted": 0, "programme role": 0, "consent": 0}
        due: list[tuple[Any, RetentionCandidate]] = []
        for p in people:
            pk = p["pk"]
            consent = newest.get(pk)
            dates = [_date(p["created_at"]), *([last[pk]] if pk in last else []),
                     *([consent.given] if consent else [])]
            activity = max(dates)
            if activity >= cutoff:
                continue
            if p["restricted"]:
                kept["restricted"] += 1
            elif pk in roles:
                kept["programme role"] += 1
            elif consent is not None and consent.basis == "samtykke" and consent.valid_on(day):
                kept["consent"] += 1
            else:
                due.append((p, RetentionCandidate(id=p["id"], name=p["name"],
                                                  last_activity=activity,
                                                  last_interaction=last.get(pk))))
        due.sort(key=lambda d: (d[1].last_activity, d[1].id))
        erased: list[Erasure] = []
        if confirm and due:
            store.secure_delete(s)
            erased = _erase_rows(store, s, [p for p, _ in due], "retention_delete")
    compacted = store.compact() if erased else False
    return RetentionReport(
        as_of=day, months=months, cutoff=cutoff, candidates=tuple(c for _, c in due),
        kept=kept, erased=tuple(_with_compacted(e, compacted) for e in erased),
        compacted=compacted)


def compact(ws: Workspace) -> bool:
    """Rebuild the workspace's SQLite file so nothing deleted or overwritten survives in it
    (what :func:`erase` does after each erasure); returns whether it completed (False on
    PostgreSQL, see docs/privacy.md, or while another process still reads the file)."""
    return ws.store.compact()


def restricted_ids(ws: Workspace) -> set[str]:
    """The ids of stakeholders whose processing is restricted (erased people included)."""
    from sqlalchemy import select

    from .store import ST

    with ws.store.read() as s:
        return set(s.scalars(select(ST.c.id).where(ST.c.restricted.is_(True))))


def is_erased(ws: Workspace, id: str) -> bool:
    """Whether stakeholder ``id`` is an erased person's anonymised record."""
    with ws.store.read() as s:
        return _person_row(s, id)["erased_at"] is not None
