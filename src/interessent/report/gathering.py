"""Gathering a report: :func:`build_report` computes coverage over time, the commitment
calendar and its notes, the leaders, the network, the power/interest grid, success stories,
what is due and the resources used (activity counts), once, for a period on a day."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from sqlalchemy import text

from ..coverage import (
    CommitmentExplanation,
    CommitmentStatus,
    Contact,
    GroupCoverage,
    Status,
    WindowState,
    due,
    explain_commitments,
)
from ..coverage.explaining import Shown
from ..coverage.interaction_log import keeping
from ..coverage.reach import _coverage
from ..followup import concerns
from ..graph import rank_leaders
from ..graph.leaders import leader_scores
from ..i18n import check_language, current_language, gettext, localized, ngettext, using
from ..periods import Period, Unit
from ..plan import CommitmentKind
from ..rules import KindCategory, kinds_in
from ..store import IMESSAGES, INT, PART, ST
from ..store.rules import as_query, members_sql, programme_people_sql, stance_as_of_sql
from .data import (
    _CELL_ORDER,
    _LEADERS_SHOWN,
    GROUP_COLOURS,
    STORIES_SHOWN,
    CalendarCell,
    CalendarRow,
    CellState,
    Column,
    ConcernGroup,
    GridCell,
    KeyMessages,
    MessageRow,
    Report,
    Resources,
    Story,
    cell_word,
)
from .network import _network
from .series import first_reached, series_and_reach, series_ends
from .wording import (
    _date,
    _names,
    _percent,
    _shown_name,
    _upfirst,
    kind_names,
    period_label,
    unit_word,
)

if TYPE_CHECKING:
    from ..plan import Plan
    from ..workspace import Workspace

#: What the dashboard lists of each explanation: a window's first 200 contacts and
#: members, a member's first 20 contacts (it says how many more there are, and that
#: ``coverage --commitment ID --explain`` lists them all).
EXPLAINED_SHOWN = Shown(contacts=200, members=200, per_member=20)

def _columns(p: Period) -> tuple[Column, ...]:
    """Months of the period; quarters above two years, years above six."""
    months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1
    unit = Unit.MONTH if months <= 24 else Unit.QUARTER if months <= 72 else Unit.YEAR
    out = []
    for w in unit.windows(p):
        clipped = w.clip(p) or w
        if unit is Unit.MONTH:
            short = _date(w.start, "LLL").rstrip(".")
            if months > 12:
                short += f" {w.start.year % 100:02d}"
        elif unit is Unit.QUARTER:
            short = gettext("Q{n} {yy}").format(n=(w.start.month - 1) // 3 + 1,
                                                yy=f"{w.start.year % 100:02d}")
        else:
            short = str(w.start.year)
        out.append(Column(clipped, short, period_label(w)))
    return tuple(out)


def build_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                 language: str | None = None) -> Report:
    """Everything the dashboard and the status report show, for ``period`` on ``as_of``
    (the commitments' contacts read once for all its parts, see
    :func:`~interessent.coverage.interaction_log.keeping`), in ``language`` (``nb``,
    ``nn`` or ``en``; default: the plan's ``programme.language``). Nothing here reads the
    locale or the environment."""
    chosen = check_language(language or ws.plan.programme.language)
    with keeping(), using(chosen), ws.store.steady():
        return _build_report(ws, period, as_of)


def _build_report(ws: Workspace, period: Period, as_of: dt.date | None) -> Report:
    day = as_of or dt.date.today()
    plan = ws.plan
    columns = _columns(period)
    colours = {g.key: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(plan.groups)}
    # Long queries that return few rows for their work run in a thread of their own while
    # this one works in Python: whom the series reached first while the commitments are
    # explained; then what the period used and the headline's broadcasts while the
    # network, the grid and what is due are gathered here.
    ends = series_ends(period, columns, day)
    reached = (ws.store.meanwhile(lambda: _first_reached(ws, period.start, ends[-1]))
               if ends else None)
    used: Callable[[], tuple[Resources, tuple[GroupCoverage, ...]]] | None = None
    try:
        # Explained first: the contacts it reads answer the statuses that follow.
        explained = tuple(explain_commitments(ws, period, as_of=day, shown=EXPLAINED_SHOWN))
        # The series' last point is the period's reach up to the day: the headline takes
        # it from there rather than asking the reach query again.
        series, totals = series_and_reach(ws, period, columns, day, colours, reached=reached)
        used = ws.store.meanwhile(lambda: (
            _resources(ws, plan, period, day),
            tuple(_coverage(ws, period, day, None, lambda: totals))))
        commitments = tuple(e.status for e in explained)
        people = _people(ws)
        by_id = {s.id: s for s in people.values()}
        notes = {c.id: _explain(plan, c, by_id) for c in commitments}
        calendar = tuple(_calendar_row(plan, c, columns, day, notes[c.id])
                         for c in commitments)
        top = max(plan.leaders.top, _LEADERS_SHOWN)
        leaders = tuple(attrs.evolve(s, name=_shown_name(by_id.get(s.id), s.name))
                        for s in rank_leaders(ws, top=top, as_of=day))
        first_group = _first_groups(ws, plan, people)
        network = _network(ws, day, leaders, first_group, by_id,
                           {pk: p.id for pk, p in people.items()})
        grid, unknown = _grid(ws, plan, people, day)
        dues = due(ws, as_of=day)
        reasons = {c.id: _reason(c, plan) for c in dues.contacts}
        stories, stories_total = _stories(ws, plan, period, day, by_id)
    except BaseException:  # no query of this report goes on after it fails
        for wait in (reached, used):
            with contextlib.suppress(Exception):
                if wait:
                    wait()
        raise
    resources, headline = used()
    return Report(
        programme=localized(plan.programme.name),
        municipality=localized(plan.programme.municipality),
        website=plan.programme.website, workspace=ws.name, period=period, as_of=day,
        columns=columns, coverage=headline, series=series, commitments=commitments,
        notes=notes, calendar=calendar, leaders=leaders, network=network, grid=grid,
        grid_unknown=unknown, stories=tuple(stories), stories_total=stories_total,
        dues=dues, contact_reasons=reasons, resources=resources,
        groups={g.key: localized(g.name) for g in plan.groups}, colours=colours,
        explained=explained, names=_explained_names(explained, by_id),
        kind_names=kind_names(plan),
        language=current_language(), finance_by=_finance_by(plan),
        recipients=localized(plan.report.recipients),
        open_concerns=_open_concerns(ws, plan, day),
        role_names={r.key: localized(r.name) for r in plan.roles},
        acceptance_weight=plan.coverage.acceptance,
        messages=_key_messages(ws, plan, period, day),
    )


def _open_concerns(ws: Workspace, plan: Plan, day: dt.date) -> tuple[ConcernGroup, ...]:
    """The concerns open on ``day``, per target group (the plan's order, then those of
    no group)."""
    still = [c for c in concerns(ws)
             if c.raised_on <= day and (c.closed_on is None or c.closed_on > day)]
    found = [ConcernGroup(g.key, localized(g.name),
                          tuple(c for c in still if g.key in c.groups)) for g in plan.groups]
    none = tuple(c for c in still if not c.groups)
    if none:
        found.append(ConcernGroup("", gettext("No target group"), none))
    return tuple(g for g in found if g.concerns)


def _finance_by(plan: Plan) -> str:
    """The title of the role the plan names to fill in the finance figures, if any."""
    key = plan.report.finance_role
    return localized(plan.role(key).name) if key else ""


def _explained_names(explained: Sequence[CommitmentExplanation],
                     by_id: Mapping[str, _Person]) -> dict[str, str]:
    """The shown name of everyone the commitments' explanations list."""
    ids = {i for e in explained for w in e.windows for i in (
        *(m.id for m in w.members),
        *(x for m in w.members for c in m.contacts for x in (*c.via, c.host or "")),
        *(c.host or "" for c in w.contacts))}
    return {i: _shown_name(by_id.get(i), i) for i in ids if i}


@attrs.frozen
class _Person:
    """What a report reads of a stakeholder: a few columns, not the whole record."""

    id: str
    name: str
    restricted: bool
    influence: int | None
    interest: int | None


def _people(ws: Workspace) -> dict[int, _Person]:
    """Every stakeholder by pk, in id order (as the register lists them)."""
    from sqlalchemy import select

    query = select(ST.c.pk, ST.c.id, ST.c.name, ST.c.restricted, ST.c.influence,
                   ST.c.interest).order_by(ST.c.id)
    with ws.store.read() as s:
        result = s.connection().execute(query)
        try:
            cursor = getattr(result, "cursor", None)
            rows = list(cursor) if cursor is not None else [tuple(r) for r in result]
        finally:
            result.close()
    return {int(pk): _Person(id_, name, bool(restricted), influence, interest)
            for pk, id_, name, restricted, influence, interest in rows}


def _first_groups(ws: Workspace, plan: Plan, people: Mapping[int, _Person]) -> dict[str, str]:
    """Each stakeholder's first target group in plan order (registered or by rule: the SQL
    form of :func:`~interessent.rules.is_member`)."""
    first: dict[str, str] = {}
    with ws.store.read() as s:
        for g in plan.groups:
            for pk in s.scalars(as_query(members_sql(g, 0))):
                person = people.get(int(pk))
                if person is not None and person.id not in first:
                    first[person.id] = g.key
    return first


def _calendar_row(plan: Plan, c: CommitmentStatus, columns: Sequence[Column], as_of: dt.date,
                  note: str) -> CalendarRow:
    commitment = plan.commitment(c.id)
    cells = []
    for col in columns:
        label = col.long
        if c.status is Status.NOT_ACTIVE:
            cells.append(CalendarCell(CellState.INACTIVE, f"{c.id} {label}: "
                                      + gettext("not active in the period")))
            continue
        if c.kind is CommitmentKind.STRUCTURAL:
            if col.period.start > as_of:
                state = CellState.FUTURE
                tip = cell_word(state)
            elif c.status is Status.MET:
                state, tip = CellState.MET, f"{cell_word(CellState.MET)}: {note}"
            else:
                state, tip = CellState.MISSED, f"{cell_word(CellState.MISSED)}: {note}"
            cells.append(CalendarCell(state, f"{c.id} {label}: {tip}"))
            continue
        windows = [w for w in c.windows if w.period.overlaps(col.period)]
        if not windows:
            cells.append(CalendarCell(CellState.INACTIVE,
                                      f"{c.id} {label}: {cell_word(CellState.INACTIVE)}"))
            continue
        states = [CellState(w.state.value) for w in windows]
        state = min(states, key=_CELL_ORDER.index)
        parts = []
        for w in windows:
            window = period_label(w.period)
            if w.state is WindowState.FUTURE:
                parts.append(gettext("the window {window} has not begun").format(window=window))
            elif commitment.kind is CommitmentKind.RATIO:
                parts.append(gettext("{actual} of {logged} held at a host the plan accepts in "
                                     "{window}, at least {expected} required").format(
                    actual=w.actual, logged=w.logged, window=window, expected=w.expected))
            else:
                parts.append(gettext("{actual} of {expected} in {window}").format(
                    actual=w.actual, expected=w.expected, window=window))
        cells.append(CalendarCell(state, f"{c.id} {label}: {cell_word(state)} "
                                         f"({'; '.join(parts)})"))
    return CalendarRow(c.id, localized(c.title), c.status, tuple(cells), note)


def _explain(plan: Plan, c: CommitmentStatus, by_id: Mapping[str, _Person]) -> str:
    """What a commitment asks and how it stands, in the report's language."""
    commitment = plan.commitment(c.id)
    unit = unit_word(commitment.cadence or Unit.YEAR)
    kinds = kind_names(plan)
    if c.status is Status.NOT_ACTIVE:
        return gettext("not active in the period")
    if c.kind is CommitmentKind.STRUCTURAL:
        return gettext("every required tie exists") if not c.missing else (
            gettext("missing: {ties}").format(ties="; ".join(c.missing)))
    if c.kind is CommitmentKind.RATIO:
        of = kinds.get(commitment.of or "", commitment.of or "")
        return gettext("{actual} of {logged} of the kind «{kind}» held at a host the plan "
                       "accepts; at least {ratio} should be").format(
            actual=c.actual, logged=c.logged, kind=of, ratio=_percent(commitment.ratio or 0))
    if c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        text = (gettext("the opinion leaders, {times} per {unit}; {actual} of {expected} so "
                        "far") if c.kind is CommitmentKind.LEADERS else
                gettext("each one, {times} per {unit}; {actual} of {expected} so far")).format(
            times=ngettext("{n} time", "{n} times", commitment.count).format(
                n=commitment.count), unit=unit, actual=c.actual, expected=c.expected)
        if c.missing:
            names = _names(c.missing, by_id)
            shown = ", ".join(names[:8])
            if len(names) > 8:
                shown = gettext("{names} and {n} more").format(names=shown, n=len(names) - 8)
            text += "; " + gettext("not reached yet: {names}").format(names=shown)
        return text
    text = gettext("at least {count} per {unit}; {actual} of {expected} so far").format(
        count=commitment.count, unit=unit, actual=c.actual, expected=c.expected)
    missed = [w for w in c.windows if w.state is WindowState.MISSED]
    if missed:
        text += "; " + gettext("not met in {periods}").format(
            periods=", ".join(period_label(w.period) for w in missed))
    if commitment.including:
        text += "; " + gettext("must include {kinds}").format(
            kinds=", ".join(kinds.get(k, k) for k in commitment.including))
    if commitment.phase:
        text += f" ({localized(plan.phase(commitment.phase).name).lower()})"
    return text


def _reason(contact: Contact, plan: Plan) -> str:
    """Why :func:`~interessent.coverage.due` suggests a contact, in the report's language."""
    name = next((localized(g.name) for g in plan.groups if g.key == contact.group),
                contact.group)
    when = {Unit.MONTH: gettext("this month"), Unit.QUARTER: gettext("this quarter"),
            Unit.HALF_YEAR: gettext("this half-year"), Unit.YEAR: gettext("this year")
            }[contact.window]
    if contact.leader:
        return gettext("Opinion leader in {group}, not contacted {when}").format(
            group=name, when=when)
    return gettext("Member of {group}, not contacted {when}").format(group=name, when=when)


def _grid(ws: Workspace, plan: Plan, people: Mapping[int, _Person],
          day: dt.date) -> tuple[tuple[GridCell, ...], int]:
    """The 5 × 5 power/interest grid, most influential row first, each cell naming its
    three strongest leaders (by the ranking's score, then name) with the stance each holds
    on ``day``, and counting the stances of all in it; and how many have no declared
    influence or interest."""
    with ws.store.read() as s:
        own = set(s.scalars(as_query(programme_people_sql(plan))))
        stances = {int(pk): str(stance) for pk, stance in
                   s.execute(text(stance_as_of_sql()), {"day": day})}
    cells: dict[tuple[int, int], list[tuple[_Person, str | None]]] = {}
    unknown = 0
    for pk, person in people.items():
        if pk in own:
            continue
        if person.influence is None or person.interest is None:
            unknown += 1
            continue
        cells.setdefault((person.influence, person.interest), []).append(
            (person, stances.get(pk)))
    scores = leader_scores(ws, as_of=day)
    out = []
    for influence in range(5, 0, -1):
        for interest in range(1, 6):
            members = sorted(cells.get((influence, interest), []),
                             key=lambda p: (-scores.get(p[0].id, 0.0), p[0].name))
            named = [p for p in members if not p[0].restricted][:3]
            held = Counter(stance for _, stance in members if stance is not None)
            marks = tuple(stance for _, stance in named)
            out.append(GridCell(influence, interest, len(members),
                                tuple(p.name for p, _ in named),
                                stances=marks if any(marks) else (),
                                supporting=held["support"], neutral=held["neutral"],
                                opposing=held["oppose"]))
    return tuple(out), unknown


def _stories(ws: Workspace, plan: Plan, period: Period, as_of: dt.date,
             by_id: Mapping[str, _Person]) -> tuple[list[Story], int]:
    """The :data:`~.data.STORIES_SHOWN` newest success stories of the period up to
    ``as_of`` (newest first, then by id, last first), and how many there are in all: read
    in SQL with their participants' ids (sorted, as an interaction holds them), not as
    whole interactions."""
    from sqlalchemy import func, select

    end = min(period.end, as_of)
    if end < period.start:
        return [], 0
    chosen = (INT.c.success.is_(True), INT.c.date >= period.start, INT.c.date <= end)
    with ws.store.read() as s:
        total = int(s.scalar(select(func.count()).select_from(INT).where(*chosen)) or 0)
        rows = list(s.execute(
            select(INT.c.pk, INT.c.id, INT.c.date, INT.c.kind, INT.c.topic, INT.c.notes)
            .where(*chosen).order_by(INT.c.date.desc(), INT.c.id.desc())
            .limit(STORIES_SHOWN)).all())
        taking: dict[int, list[str]] = {}
        if rows:
            for ipk, sid in s.execute(
                    select(PART.c.interaction_pk, ST.c.id)
                    .join(ST, ST.c.pk == PART.c.stakeholder_pk)
                    .where(PART.c.interaction_pk.in_([r.pk for r in rows]))):
                taking.setdefault(ipk, []).append(sid)
        told = _published(s, [r.pk for r in rows], as_of)
    kinds = kind_names(plan)
    return [Story(r.id, r.date, kinds.get(r.kind, r.kind), r.topic or "",
                  tuple(_names(sorted(set(taking.get(r.pk, ()))), by_id)), r.notes or "",
                  published=r.pk in told,
                  outlets=tuple(sorted(set(_names(told.get(r.pk, ()), by_id)))))
            for r in rows], total


def _first_reached(ws: Workspace, start: dt.date, end: dt.date) -> list[Any]:
    with ws.store.read() as session:
        return first_reached(session, start, end)


def _published(s: Any, stories: Sequence[int], as_of: dt.date) -> dict[int, list[str]]:
    """Story pk → the ids of the outlets whose articles (up to ``as_of``) told it; a
    story told only by articles naming no outlet maps to an empty list."""
    from sqlalchemy import select

    told: dict[int, list[str]] = {}
    if not stories:
        return told
    for story, outlet in s.execute(
            select(INT.c.story_pk, ST.c.id).outerjoin(ST, ST.c.pk == INT.c.outlet_pk)
            .where(INT.c.story_pk.in_(list(stories)), INT.c.date <= as_of)):
        told.setdefault(story, [])
        if outlet is not None:
            told[story].append(outlet)
    return told


def _key_messages(ws: Workspace, plan: Plan, period: Period,
                  as_of: dt.date) -> KeyMessages | None:
    """How many articles carried each of the plan's key messages in each quarter of the
    period's year, up to ``as_of`` (None when the plan lists no key messages)."""
    from sqlalchemy import select

    if not plan.messages:
        return None
    year = period.start.year
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    counts: dict[str, list[int]] = {m.key: [0, 0, 0, 0] for m in plan.messages}
    articles: set[int] = set()
    if start <= end:
        with ws.store.read() as s:
            for pk, key, day in s.execute(
                    select(INT.c.pk, IMESSAGES.c.message_key, INT.c.date)
                    .join(INT, INT.c.pk == IMESSAGES.c.interaction_pk)
                    .where(INT.c.date >= start, INT.c.date <= end)):
                if key in counts:
                    counts[key][(day.month - 1) // 3] += 1
                    articles.add(pk)
    return KeyMessages(
        year=year, quarters=tuple(period_label(Period(dt.date(year, m, 1), dt.date(
            year, m + 2, 30 if m + 2 in (6, 9) else 31))) for m in (1, 4, 7, 10)),
        rows=tuple(MessageRow(m.key, localized(m.text), tuple(counts[m.key]))
                   for m in plan.messages),
        articles=len(articles))


def _resources(ws: Workspace, plan: Plan, period: Period, as_of: dt.date) -> Resources:
    from sqlalchemy import distinct, func, select

    end = min(period.end, as_of)
    if end < period.start:
        return Resources(0, (), (), 0, 0, 0, 0, 0)
    # where the programme met people (gatherings) and what it sent in writing (letters,
    # e-mails, reports): the categories of interessent.rules, the plan's own kinds included
    meeting_kinds = kinds_in(KindCategory.GATHERING, plan)
    letter_kinds = kinds_in(KindCategory.WRITTEN, plan)
    span = (INT.c.date >= period.start, INT.c.date <= end)
    with ws.store.read() as s:
        rows = s.execute(select(INT.c.kind, INT.c.channel, func.count()).where(*span)
                         .group_by(INT.c.kind, INT.c.channel)).all()
        recipients = s.scalar(select(func.count()).select_from(
            PART.join(INT, INT.c.pk == PART.c.interaction_pk)).where(
            *span, INT.c.kind.in_(letter_kinds))) or 0
        met = s.scalar(select(func.count(distinct(PART.c.stakeholder_pk))).select_from(
            PART.join(INT, INT.c.pk == PART.c.interaction_pk)).where(
            *span, INT.c.kind.in_(meeting_kinds))) or 0
    kinds: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    for kind, channel, n in rows:
        kinds[str(kind)] += int(n)
        channels[str(channel or "")] += int(n)
    kind_word = kind_names(plan)
    channel_names = {c.key: localized(c.name) for c in plan.channels}
    return Resources(
        total=sum(kinds.values()),
        by_kind=tuple((_upfirst(kind_word.get(k, k)), n) for k, n in
                      sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_channel=tuple((channel_names.get(k, k) if k else gettext("(no channel)"), n)
                         for k, n in
                         sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))),
        letters=sum(kinds[k] for k in letter_kinds), letter_recipients=int(recipients),
        meetings=sum(kinds[k] for k in meeting_kinds), board_meetings=kinds["board_meeting"],
        people_met=int(met),
    )
