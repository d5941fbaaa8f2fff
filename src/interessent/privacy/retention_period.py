"""Storage limitation (GDPR art. 5(1)(e)): :func:`retention` lists, and with
``confirm`` erases, people inactive for longer than the plan's
``programme.retention_months``."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..errors import ErasureIncomplete, InvalidInput, StoreError
from ..i18n import gettext
from ..plaindata import plain
from ..store import CONSENTS, INT, PART, ST
from ..store.rules import as_query, programme_people_sql
from .consent import Consent, _consent_from_row
from .erasure import Erasure, _erase_rows, _reason, _with_compacted
from .records import _date, _day

if TYPE_CHECKING:
    from ..workspace import Workspace


@frozen
class RetentionCandidate:
    """A person whose data is past the retention period."""

    id: str
    name: str
    last_activity: dt.date
    last_interaction: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``privacy retention``)."""
        return {"id": self.id, "name": self.name, "last_activity": plain(self.last_activity),
                "last_interaction": plain(self.last_interaction)}


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

    def to_dict(self) -> dict[str, Any]:
        """Plain data. ``candidates`` and ``erased`` are exactly the JSON lists of
        ``privacy retention`` and ``privacy retention --confirm``."""
        return {"as_of": plain(self.as_of), "months": self.months,
                "cutoff": plain(self.cutoff),
                "candidates": [c.to_dict() for c in self.candidates],
                "kept": dict(self.kept), "erased": [e.to_dict() for e in self.erased],
                "compacted": self.compacted}


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
    unless ``confirm``: then each is erased (:func:`erase`) in one transaction, and
    ``as_of`` may not be after today."""
    from sqlalchemy import func, select

    plan = ws.plan
    months = plan.programme.retention_months
    if months is None:
        raise InvalidInput(gettext(
            "the plan sets no retention period: add retention_months to [programme] in "
            "interessent.toml (months to keep the data of people the programme no longer "
            "has contact with)"))
    today = dt.date.today()
    day = _day(as_of, today, "as-of day")
    assert day is not None
    if confirm and day > today:  # people whose time has not come; a dry run may look ahead
        raise InvalidInput(gettext(
            "as-of day: {day} is after today ({today}); people are erased only when their "
            "time has come (a dry run may look ahead)").format(
            day=day.isoformat(), today=today.isoformat()))
    cutoff = _months_before(day, months)
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
        roles = set(s.scalars(as_query(programme_people_sql(plan))))
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
    compacted = False
    problem: StoreError | None = None
    if erased:
        try:
            compacted = store.compact()
        except StoreError as exc:  # erased and committed: say so, not "nothing written"
            problem = exc
    report = RetentionReport(
        as_of=day, months=months, cutoff=cutoff, candidates=tuple(c for _, c in due),
        kept=kept, erased=tuple(_with_compacted(e, compacted) for e in erased),
        compacted=compacted)
    if problem is not None:
        raise ErasureIncomplete(
            f"{len(erased)} people are erased in the database, but the database file could "
            f"not be rebuilt ({_reason(problem)}), so the erased data may remain in it until "
            "it is compacted", report)
    return report
