"""Legal bases and consent (GDPR art. 6, 7): :func:`record_consent`,
:func:`withdraw_consent` and :func:`consents`, the history of each stakeholder's bases
(rows are history; the newest is current)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..bounds import check_text
from ..errors import InvalidInput
from ..i18n import gettext
from ..plaindata import plain
from ..store import CONSENTS, ST, _now, current_actor
from .records import _date, _day, _not_erased, _person_row

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

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


def parse_basis(text: str) -> str:
    """A legal basis from its Norwegian name, its English name or its letter in art. 6(1)
    (``samtykke``, ``consent``, ``a`` …); returns the Norwegian name."""
    key = re.sub(r"[\s_\-]+", " ", text.strip().casefold())
    key = re.sub(r"^(?:art\.? ?6 ?\(1\) ?)?\(?([a-f])\)?$", r"\1", key)
    found = _BASIS_WORDS.get(key)
    if found is None:
        raise InvalidInput(gettext("unknown legal basis {basis} (expected one of: "
                                   "{bases})").format(basis=repr(text),
                                                      bases=", ".join(LEGAL_BASES)))
    return found


@frozen
class Consent:
    """One legal basis for holding a stakeholder's data, as recorded.

    For consent (``samtykke``) ``given`` is when it was given; for the other bases, from
    when the basis applies. It is valid from ``given`` through ``expires`` and ends the
    day it is ``withdrawn``. ``current``: it is the stakeholder's newest row, the one in
    force unless withdrawn or expired.
    """

    basis: str
    source: str | None
    given: dt.date
    expires: dt.date | None = None
    withdrawn: dt.date | None = None
    recorded_at: dt.datetime | None = None
    recorded_by: str | None = None
    current: bool = False

    def valid_on(self, day: dt.date) -> bool:
        return (self.given <= day and (self.expires is None or day <= self.expires)
                and (self.withdrawn is None or day < self.withdrawn))

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``privacy consents``): dates as ISO text."""
        return {"basis": self.basis, "source": self.source, "given": plain(self.given),
                "expires": plain(self.expires), "withdrawn": plain(self.withdrawn),
                "current": self.current, "recorded_at": plain(self.recorded_at),
                "recorded_by": self.recorded_by}


def _consent_from_row(r: Any, *, current: bool = False) -> Consent:
    return Consent(basis=r["basis"], source=r["source"], given=_date(r["given"]),
                   expires=_date(r["expires"]) if r["expires"] is not None else None,
                   withdrawn=_date(r["withdrawn"]) if r["withdrawn"] is not None else None,
                   recorded_at=r["recorded_at"], recorded_by=r["recorded_by"],
                   current=current)


def _consent_rows(s: Session, pk: int) -> list[Any]:
    """A stakeholder's consent rows, newest first."""
    from sqlalchemy import select

    query = (select(CONSENTS).where(CONSENTS.c.stakeholder_pk == pk)
             .order_by(CONSENTS.c.pk.desc()))
    return list(s.execute(query).mappings())


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

    name = parse_basis(basis)
    where = check_text((source or "").strip(), "source")
    if not where:
        raise InvalidInput(gettext("say where the consent or legal basis came from "
                                   "(source)"))
    since = _day(given, dt.date.today(), "given")
    assert since is not None
    until = _day(expires, field="expires")
    if until is not None and until < since:
        raise InvalidInput(gettext("expires ({until}) before it is given ({since})").format(
            until=until, since=since))
    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        _not_erased(row, gettext("record a legal basis"))
        s.execute(insert(CONSENTS).values(
            stakeholder_pk=row["pk"], basis=name, source=where, given=since, expires=until,
            withdrawn=None, recorded_at=_now(), recorded_by=current_actor(s)))
        s.execute(update(ST).where(ST.c.pk == row["pk"])
                  .values(legal_basis=name, updated_at=_now()))
        store.audit(s, "consent", "stakeholder", row["pk"],
                    {"basis": name, "given": since.isoformat(),
                     **({"expires": until.isoformat()} if until else {})})
        current = _consent_from_row(_consent_rows(s, row["pk"])[0], current=True)
    return current


def withdraw_consent(ws: Workspace, id: str, *, on: str | dt.date | None = None) -> Consent:
    """Mark the current consent or basis of stakeholder ``id`` withdrawn ``on`` (default
    today). The stakeholder no longer has a legal basis recorded; withdrawn consent also
    opts them out of letters (art. 7(3): as easy to withdraw as to give)."""
    from sqlalchemy import update

    day = _day(on, dt.date.today(), "withdrawn")
    assert day is not None
    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        _not_erased(row, gettext("withdraw a consent"))
        rows = _consent_rows(s, row["pk"])
        if not rows:
            raise InvalidInput(gettext("no consent or legal basis is recorded for {id}").format(
                id=id))
        current = rows[0]
        if current["withdrawn"] is not None:
            raise InvalidInput(gettext("the current {basis} of {id} was withdrawn already "
                                       "on {day}").format(
                basis=current["basis"], id=id, day=_date(current["withdrawn"]).isoformat()))
        if day < _date(current["given"]):
            raise InvalidInput(gettext("withdrawn ({day}) before it was given "
                                       "({given})").format(
                day=day, given=_date(current["given"])))
        s.execute(update(CONSENTS).where(CONSENTS.c.pk == current["pk"]).values(withdrawn=day))
        values: dict[str, Any] = {"legal_basis": None, "updated_at": _now()}
        if current["basis"] == "samtykke":
            values["opted_out"] = True
        s.execute(update(ST).where(ST.c.pk == row["pk"]).values(values))
        store.audit(s, "withdraw", "stakeholder", row["pk"],
                    {"basis": current["basis"], "withdrawn": day.isoformat()})
        result = _consent_from_row(_consent_rows(s, row["pk"])[0], current=True)
    return result


def consents(ws: Workspace, id: str) -> list[Consent]:
    """Stakeholder ``id``'s legal bases as recorded, newest (the current one) first."""
    with ws.store.read() as s:
        row = _person_row(s, id)
        return [_consent_from_row(r, current=n == 0)
                for n, r in enumerate(_consent_rows(s, row["pk"]))]
