"""Structural risk: where the programme's reach hangs by a thread.

Three checks, on the relationships active on ``as_of`` and the interactions of the
period up to ``as_of``. The programme's own people are its organisation and everyone
holding a role the plan marks ``programme = true``. A direct contact logged (a kind in the
direct category, the plan's own included) is contact with the programme whether or not
one of its people is listed as taking part — most contacts list only the outside party —
and counts as a tie, as a relationship does.

- **no tie**: a target group none of whose members has a tie to the programme's own
  people, met one of them, or had a direct contact logged in the period. Nobody inside
  can carry the message.
- **single person**: a group the programme reaches through one of its people only —
  the only programme person with a tie to a member or a meeting with one. If that person
  leaves, the group is cut off.
- **unknown leader**: an opinion leader of a group with no tie to any of the programme's
  own people and no direct contact logged in the period (see
  :func:`interessent.graph.leaders_unknown_to_programme`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import bindparam, text

from .coverage import members_sql
from .graph import leaders_unknown_to_programme, rank_leaders
from .i18n import gettext, localized
from .periods import Period
from .plaindata import plain
from .rules import KindCategory, kinds_in
from .store.rules import active_on_sql, programme_people_sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .workspace import Workspace

__all__ = ["Risk", "RiskKind", "structural_risks"]


class RiskKind(enum.StrEnum):
    NO_TIE = "no tie"
    SINGLE_PERSON = "single person"
    UNKNOWN_LEADER = "unknown leader"


@frozen
class Risk:
    """One structural risk, with the group (and the person) it concerns."""

    kind: RiskKind
    group: str
    subject: str | None
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``risks``)."""
        return {"kind": plain(self.kind), "group": self.group, "subject": self.subject,
                "explanation": self.explanation}


def _programme_people(ws: Workspace) -> dict[int, str]:
    sql, params, expanding = programme_people_sql(ws.plan)
    stmt = text(f"SELECT pk, id FROM stakeholders WHERE pk IN ({sql})").bindparams(
        *(bindparam(name, expanding=True) for name in expanding))
    with ws.store.read() as s:
        return {pk: sid for pk, sid in s.execute(stmt, params)}


def structural_risks(ws: Workspace, period: Period, *, as_of: dt.date | None = None) -> list[Risk]:
    """The structural risks of every target group, groups in plan order."""
    day = as_of or dt.date.today()
    plan = ws.plan
    insiders = _programme_people(ws)
    end = min(period.end, day)
    risks: list[Risk] = []
    insiders_known = ws.store.stakeholders(ids=list(insiders.values()))
    names = {s.id: s.name for s in insiders_known}
    hidden = {s.id for s in insiders_known if s.restricted}  # GDPR art. 18: never named
    direct = kinds_in(KindCategory.DIRECT, plan)
    with ws.store.read() as s:
        for n, group in enumerate(plan.groups):
            member_select, params, expanding = members_sql(group, n)
            stmt = text(f"""
                WITH members AS ({member_select}),
                links AS (
                    SELECT rel.target_pk AS insider, rel.source_pk AS member
                        FROM relationships rel WHERE {active_on_sql("rel", ":day")}
                    UNION ALL
                    SELECT rel.source_pk, rel.target_pk FROM relationships rel
                        WHERE {active_on_sql("rel", ":day")}
                    UNION ALL
                    SELECT a.stakeholder_pk, b.stakeholder_pk
                        FROM interaction_participants a
                        JOIN interaction_participants b
                          ON a.interaction_pk = b.interaction_pk
                         AND a.stakeholder_pk <> b.stakeholder_pk
                        JOIN interactions i ON i.pk = a.interaction_pk
                        WHERE i.date >= :start AND i.date <= :end
                )
                SELECT DISTINCT links.insider FROM links
                    JOIN members m ON m.pk = links.member
                    WHERE links.insider IN :insiders
                UNION
                SELECT m.pk FROM members m WHERE m.pk IN :insiders
            """).bindparams(*(bindparam(x, expanding=True) for x in [*expanding, "insiders"]))
            found = [pk for (pk,) in s.execute(stmt, {
                **params, "day": day, "start": period.start, "end": end,
                "insiders": list(insiders) or [-1],
            })]
            people = sorted(insiders[pk] for pk in found if pk in insiders)
            if not people and not _contacted(s, member_select, params, expanding, direct,
                                             period.start, end):
                risks.append(Risk(RiskKind.NO_TIE, group.key, None,
                                  gettext("nobody in {group} has a tie to the programme's "
                                          "people, met one of them or was contacted in the "
                                          "period").format(group=localized(group.name))))
            elif len(people) == 1 and people[0] in hidden:
                risks.append(Risk(RiskKind.SINGLE_PERSON, group.key, None,
                                  gettext("{group} is reached through one person only "
                                          "(whose data is restricted)").format(
                                      group=localized(group.name))))
            elif len(people) == 1:
                who = people[0]
                risks.append(Risk(RiskKind.SINGLE_PERSON, group.key, who,
                                  gettext("{group} is reached through {name} only").format(
                                      group=localized(group.name), name=names.get(who, who))))
    for group in plan.groups:
        leaders = rank_leaders(ws, group=group.key, top=plan.leaders.top, as_of=day)
        for leader in leaders_unknown_to_programme(ws, leaders, as_of=day,
                                                   since=period.start):
            risks.append(Risk(RiskKind.UNKNOWN_LEADER, group.key, leader.id,
                              gettext("{name} (opinion leader no. {rank} in {group}) has no "
                                      "tie to anyone in the programme and no contact with it "
                                      "in the period").format(
                                  name=leader.name, rank=leader.rank,
                                  group=localized(group.name))))
    order = {g.key: i for i, g in enumerate(plan.groups)}
    kinds = list(RiskKind)
    risks.sort(key=lambda r: (kinds.index(r.kind), order[r.group], r.subject or ""))
    return risks



def _contacted(s: Session, member_select: str, params: dict[str, Any], expanding: list[str],
               direct: Sequence[str], start: dt.date, end: dt.date) -> bool:
    """Whether a direct contact (of the kinds ``direct``) with a member of the selection,
    as a participant or as the host, is logged from ``start`` to ``end``."""
    if not direct or end < start:
        return False
    stmt = text(f"""
        WITH members AS ({member_select})
        SELECT 1 FROM interactions i
            JOIN interaction_participants p ON p.interaction_pk = i.pk
            JOIN members m ON m.pk = p.stakeholder_pk
            WHERE i.kind IN :direct AND i.date >= :start AND i.date <= :end
        UNION ALL
        SELECT 1 FROM interactions i JOIN members m ON m.pk = i.host_pk
            WHERE i.kind IN :direct AND i.date >= :start AND i.date <= :end
    """).bindparams(*(bindparam(x, expanding=True) for x in [*expanding, "direct"]))
    found = s.execute(stmt, {**params, "direct": list(direct), "start": start, "end": end})
    return found.first() is not None
