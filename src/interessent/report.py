"""Reports: the dashboard (one self-contained HTML page) and the status report (Markdown or
Word) the plan promises to the municipal council and to TFK, IN and KMD.

:func:`build_report` gathers everything once into a :class:`Report`, for a period on an
``as_of`` day:

- **coverage over time**: each target group's score, direct and network reach, year to
  date at the end of each month of the period (quarters or years for periods of more than
  two years), each computed with :func:`~interessent.coverage.coverage` as it stood on that
  day (``as_of`` the month's last day, or the report's ``as_of`` in its month);
- **the commitment calendar**: each commitment × month, coloured by the state of the
  cadence window that holds the month (met, missed, open, not due yet, not active), from
  :func:`~interessent.coverage.check_commitments`;
- **the network**: the stakeholders and their active ties, laid out by a force-directed
  layout with a fixed seed, coloured by first target group, opinion leaders larger and
  labelled; above :data:`NETWORK_LIMIT` stakeholders only the leaders and their strongest
  ties are drawn (the page says so);
- **the power/interest grid**: declared influence × interest (1–5), the programme's own
  people left out;
- **success stories** (interactions logged with ``success``), **what is due next**
  (:func:`~interessent.coverage.due`) and **resources used** (interactions by kind and
  channel).

:func:`render_html` draws the dashboard with hand-written SVG through Jinja with
autoescape (every name is data and is shown as text), inline CSS, no script and a
Content-Security-Policy that forbids any. :func:`render_markdown` and :func:`render_docx`
draft the status report in Norwegian. :func:`write_report` writes one of them atomically.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from .coverage import CommitmentStatus, Contact, Dues, GroupCoverage, Status, WindowState
from .errors import InvalidInput
from .periods import Period, Unit
from .plan import CommitmentKind

if TYPE_CHECKING:
    from jinja2 import Environment

    from .graph import LeaderScore
    from .model import Stakeholder
    from .plan import Plan
    from .workspace import Workspace

__all__ = [
    "FORMATS",
    "NETWORK_LIMIT",
    "CalendarCell",
    "CalendarRow",
    "CellState",
    "Column",
    "GridCell",
    "Network",
    "NetworkNode",
    "Report",
    "Resources",
    "Series",
    "SeriesPoint",
    "Story",
    "build_report",
    "default_path",
    "period_key",
    "period_label",
    "render_docx",
    "render_html",
    "render_markdown",
    "write_report",
]

#: The formats :func:`write_report` writes: the dashboard and the status report.
FORMATS = ("html", "md", "docx")
#: Networks with more stakeholders than this are drawn as the opinion leaders and their
#: strongest ties only: a picture of thousands of nodes is a hairball nobody can read.
NETWORK_LIMIT = 300
#: Leaders drawn (and labelled) in the network: the plan's ``[leaders] top``, at least.
_LEADERS_SHOWN = 10
_LOCALE = "nb_NO"

#: Colour-blind-safe colours (Okabe & Ito) for target groups, in plan order.
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#8F7A00", "#000000")
NO_GROUP_COLOUR = "#9A9A9A"

STATUS_NB = {
    Status.MET: "oppfylt",
    Status.DUE: "forfaller",
    Status.BEHIND: "henger etter",
    Status.OVERDUE: "forsinket",
    Status.NOT_STARTED: "ikke startet",
    Status.NOT_ACTIVE: "ikke aktiv",
}
URGENCY_NB = {"overdue": "forsinket", "behind": "henger etter", "due soon": "forfaller snart",
              "due": "forfaller"}
UNIT_NB = {Unit.MONTH: "måned", Unit.QUARTER: "kvartal", Unit.HALF_YEAR: "halvår",
           Unit.YEAR: "år"}
#: Interaction kinds that are meetings (the programme met people), and letters sent.
MEETING_KINDS = ("meeting", "board_meeting", "event", "visit", "presentation")
LETTER_KINDS = ("letter", "email")


class CellState(enum.StrEnum):
    """The state of one commitment × month cell of the calendar."""

    MET = "met"
    MISSED = "missed"
    OPEN = "open"
    FUTURE = "future"
    INACTIVE = "inactive"


CELL_NB = {
    CellState.MET: "oppfylt",
    CellState.MISSED: "ikke oppfylt",
    CellState.OPEN: "åpen, forfaller",
    CellState.FUTURE: "ikke forfalt",
    CellState.INACTIVE: "ikke aktiv",
}
_CELL_ORDER = (CellState.MISSED, CellState.OPEN, CellState.MET, CellState.FUTURE,
               CellState.INACTIVE)


# --- the data ---------------------------------------------------------------------------


@frozen
class Column:
    """One column of the time axis: a month (or a quarter or year of a long period)."""

    period: Period
    short: str
    long: str


@frozen
class SeriesPoint:
    """A target group's coverage, year to date, at the end of one column."""

    column: int
    score: float
    direct: float
    network: float


@frozen
class Series:
    key: str
    name: str
    colour: str
    points: tuple[SeriesPoint, ...]


@frozen
class CalendarCell:
    state: CellState
    tip: str


@frozen
class CalendarRow:
    id: str
    title: str
    status: Status
    cells: tuple[CalendarCell, ...]
    note: str


@frozen
class NetworkNode:
    """A stakeholder drawn in the network; ``x`` and ``y`` lie in [0, 1]."""

    id: str
    name: str
    x: float
    y: float
    group: str | None
    leader: int | None
    ties: int


@frozen
class Network:
    nodes: tuple[NetworkNode, ...]
    edges: tuple[tuple[int, int, float], ...]
    total_nodes: int
    total_edges: int
    limited: bool


@frozen
class GridCell:
    influence: int
    interest: int
    count: int
    names: tuple[str, ...]


@frozen
class Story:
    id: str
    date: dt.date
    kind: str
    topic: str
    who: tuple[str, ...]
    notes: str


@frozen
class Resources:
    """What the log says the programme spent its time on, in the period up to ``as_of``."""

    total: int
    by_kind: tuple[tuple[str, int], ...]
    by_channel: tuple[tuple[str, int], ...]
    letters: int
    letter_recipients: int
    meetings: int
    board_meetings: int
    people_met: int


@frozen
class Report:
    """Everything a report shows, gathered once by :func:`build_report`."""

    programme: str
    municipality: str
    website: str | None
    workspace: str
    period: Period
    as_of: dt.date
    columns: tuple[Column, ...]
    coverage: tuple[GroupCoverage, ...]
    series: tuple[Series, ...]
    commitments: tuple[CommitmentStatus, ...]
    notes: Mapping[str, str]
    calendar: tuple[CalendarRow, ...]
    leaders: tuple[LeaderScore, ...]
    network: Network
    grid: tuple[GridCell, ...]
    grid_unknown: int
    stories: tuple[Story, ...]
    dues: Dues
    contact_reasons: Mapping[str, str]
    resources: Resources
    groups: Mapping[str, str]
    colours: Mapping[str, str]

    @property
    def title(self) -> str:
        """«Årsrapport 2026» for a calendar year, else «Statusrapport …»."""
        kind = "Årsrapport" if self.period == Period.year(self.period.start.year) else (
            "Statusrapport")
        return f"{kind} {period_label(self.period)}"

    def count(self, *statuses: Status) -> int:
        return sum(1 for c in self.commitments if c.status in statuses)


# --- dates and periods in Norwegian -------------------------------------------------------


def _date(day: dt.date, fmt: str = "long") -> str:
    from babel.dates import format_date

    return str(format_date(day, format=fmt, locale=_LOCALE))


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    from babel.numbers import format_percent

    return str(format_percent(value, locale=_LOCALE))


def _whole_months(p: Period) -> bool:
    return p.start.day == 1 and (p.end + dt.timedelta(days=1)).day == 1


def period_label(p: Period) -> str:
    """``2026``, ``1. halvår 2026``, ``3. kvartal 2026``, ``november 2026`` or
    ``1. januar 2026–30. juni 2026``."""
    for unit in (Unit.YEAR, Unit.HALF_YEAR, Unit.QUARTER, Unit.MONTH):
        if unit.window(p.start) == p:
            n = (p.start.month - 1) // unit.months + 1
            if unit is Unit.YEAR:
                return str(p.start.year)
            if unit is Unit.MONTH:
                return _date(p.start, "LLLL y")
            return f"{n}. {UNIT_NB[unit]} {p.start.year}"
    return f"{_date(p.start)}–{_date(p.end)}"


def period_key(p: Period) -> str:
    """The period as in a file name: ``2026``, ``2026-H1``, ``2026-Q3``, ``2026-11`` or
    ``2026-01-15--2026-06-30``."""
    y = p.start.year
    if Unit.YEAR.window(p.start) == p:
        return str(y)
    if Unit.HALF_YEAR.window(p.start) == p:
        return f"{y}-H{(p.start.month - 1) // 6 + 1}"
    if Unit.QUARTER.window(p.start) == p:
        return f"{y}-Q{(p.start.month - 1) // 3 + 1}"
    if Unit.MONTH.window(p.start) == p:
        return f"{y}-{p.start.month:02d}"
    return f"{p.start.isoformat()}--{p.end.isoformat()}"


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
            short = f"K{(w.start.month - 1) // 3 + 1} {w.start.year % 100:02d}"
        else:
            short = str(w.start.year)
        out.append(Column(clipped, short, period_label(w)))
    return tuple(out)


# --- gathering ----------------------------------------------------------------------------


def build_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None) -> Report:
    """Everything the dashboard and the status report show, for ``period`` on ``as_of``."""
    from .coverage import check_commitments, coverage, due
    from .graph import rank_leaders

    day = as_of or dt.date.today()
    plan = ws.plan
    columns = _columns(period)
    colours = {g.key: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(plan.groups)}
    headline = tuple(coverage(ws, period, as_of=day))
    points: dict[str, list[SeriesPoint]] = {g.key: [] for g in plan.groups}
    for n, col in enumerate(columns):
        if col.period.start > day:
            break
        end = col.period.end
        for g in coverage(ws, Period(period.start, end), as_of=min(end, day)):
            points[g.key].append(SeriesPoint(n, g.score, g.direct_reach, g.network_reach))
    series = tuple(Series(g.key, g.name, colours[g.key], tuple(points[g.key]))
                   for g in plan.groups)
    commitments = tuple(check_commitments(ws, period, as_of=day))
    people = ws.store.stakeholders()
    by_id = {s.id: s for s in people}
    notes = {c.id: _explain(plan, c, by_id) for c in commitments}
    calendar = tuple(_calendar_row(plan, c, columns, day, notes[c.id]) for c in commitments)
    top = max(plan.leaders.top, _LEADERS_SHOWN)
    leaders = tuple(attrs.evolve(s, name=_shown_name(by_id.get(s.id), s.name))
                    for s in rank_leaders(ws, top=top, as_of=day))
    first_group = _first_groups(plan, people)
    network = _network(ws, day, leaders, first_group, by_id)
    scores = {s.id: s.score for s in rank_leaders(ws, as_of=day)}
    grid, unknown = _grid(plan, people, scores)
    dues = due(ws, as_of=day)
    reasons = {c.id: _reason_nb(c, plan) for c in dues.contacts}
    return Report(
        programme=plan.programme.name, municipality=plan.programme.municipality,
        website=plan.programme.website, workspace=ws.root.name, period=period, as_of=day,
        columns=columns, coverage=headline, series=series, commitments=commitments,
        notes=notes, calendar=calendar, leaders=leaders, network=network, grid=grid,
        grid_unknown=unknown, stories=tuple(_stories(ws, plan, period, day, by_id)),
        dues=dues, contact_reasons=reasons, resources=_resources(ws, plan, period, day),
        groups={g.key: g.name for g in plan.groups}, colours=colours,
    )


def _shown_name(s: Stakeholder | None, fallback: str = "") -> str:
    """A stakeholder's name; those whose processing is restricted (GDPR art. 18) are not
    named in reports."""
    if s is None:
        return fallback
    return "(begrenset behandling)" if s.restricted else s.name


def _first_groups(plan: Plan, people: Sequence[Stakeholder]) -> dict[str, str]:
    """Each stakeholder's first target group in plan order (registered or by rule)."""
    from .workspace import is_member

    first: dict[str, str] = {}
    for g in plan.groups:
        for s in people:
            if s.id not in first and is_member(s, g):
                first[s.id] = g.key
    return first


def _calendar_row(plan: Plan, c: CommitmentStatus, columns: Sequence[Column], as_of: dt.date,
                  note: str) -> CalendarRow:
    commitment = plan.commitment(c.id)
    cells = []
    for col in columns:
        label = col.long
        if c.status is Status.NOT_ACTIVE:
            cells.append(CalendarCell(CellState.INACTIVE, f"{c.id} {label}: ikke aktiv i perioden"))
            continue
        if c.kind is CommitmentKind.STRUCTURAL:
            if col.period.start > as_of:
                state = CellState.FUTURE
                tip = "ikke forfalt"
            elif c.status is Status.MET:
                state, tip = CellState.MET, "oppfylt: " + note
            else:
                state, tip = CellState.MISSED, "ikke oppfylt: " + note
            cells.append(CalendarCell(state, f"{c.id} {label}: {tip}"))
            continue
        windows = [w for w in c.windows if w.period.overlaps(col.period)]
        if not windows:
            cells.append(CalendarCell(CellState.INACTIVE, f"{c.id} {label}: ikke aktiv"))
            continue
        states = [CellState(w.state.value) for w in windows]
        state = min(states, key=_CELL_ORDER.index)
        parts = []
        for w in windows:
            window = period_label(w.period)
            if w.state is WindowState.FUTURE:
                parts.append(f"vinduet {window} har ikke begynt")
            elif commitment.kind is CommitmentKind.RATIO:
                parts.append(f"{w.actual} av {w.logged} holdt hos en vert planen godtar i "
                             f"{window}, minst {w.expected} kreves")
            else:
                parts.append(f"{w.actual} av {w.expected} i {window}")
        cells.append(CalendarCell(state, f"{c.id} {label}: {CELL_NB[state]} ({'; '.join(parts)})"))
    return CalendarRow(c.id, c.title, c.status, tuple(cells), note)


def _names(ids: Iterable[str], by_id: Mapping[str, Stakeholder]) -> list[str]:
    return [_shown_name(by_id.get(i), i) for i in ids]


def _explain(plan: Plan, c: CommitmentStatus, by_id: Mapping[str, Stakeholder]) -> str:
    """What a commitment asks and how it stands, in Norwegian."""
    commitment = plan.commitment(c.id)
    unit = UNIT_NB[commitment.cadence or Unit.YEAR]
    if c.status is Status.NOT_ACTIVE:
        return "ikke aktiv i perioden"
    if c.kind is CommitmentKind.STRUCTURAL:
        return "alle påkrevde bånd finnes" if not c.missing else (
            "mangler: " + "; ".join(c.missing))
    if c.kind is CommitmentKind.RATIO:
        of = plan.all_interaction_kinds.get(commitment.of or "", commitment.of or "")
        return (f"{c.actual} av {c.logged} av typen «{of}» holdt hos en vert planen godtar; "
                f"minst {_percent(commitment.ratio or 0)} skal være det")
    if c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        who = "opinionsdannerne" if c.kind is CommitmentKind.LEADERS else "hver enkelt"
        times = "1 gang" if commitment.count == 1 else f"{commitment.count} ganger"
        text = f"{who}, {times} per {unit}; {c.actual} av {c.expected} så langt"
        if c.missing:
            names = _names(c.missing, by_id)
            shown = ", ".join(names[:8]) + (f" og {len(names) - 8} til" if len(names) > 8 else "")
            text += f"; ikke nådd ennå: {shown}"
        return text
    text = f"minst {commitment.count} per {unit}; {c.actual} av {c.expected} så langt"
    missed = [w for w in c.windows if w.state is WindowState.MISSED]
    if missed:
        text += "; ikke oppfylt i " + ", ".join(period_label(w.period) for w in missed)
    if commitment.including:
        kinds = plan.all_interaction_kinds
        text += "; må omfatte " + ", ".join(kinds.get(k, k) for k in commitment.including)
    if commitment.phase:
        text += f" ({plan.phase(commitment.phase).name.lower()})"
    return text


def _reason_nb(contact: Contact, plan: Plan) -> str:
    """Why :func:`~interessent.coverage.due` suggests a contact, in Norwegian."""
    name = next((g.name for g in plan.groups if g.key == contact.group), contact.group)
    when = {Unit.MONTH: "denne måneden", Unit.QUARTER: "dette kvartalet",
            Unit.HALF_YEAR: "dette halvåret", Unit.YEAR: "i år"}[contact.window]
    role = "Opinionsdanner" if contact.leader else "Medlem"
    return f"{role} i {name}, ikke kontaktet {when}"


def _network(ws: Workspace, as_of: dt.date, leaders: Sequence[LeaderScore],
             first_group: Mapping[str, str], by_id: Mapping[str, Stakeholder]) -> Network:
    """The network as drawn: everyone, or above :data:`NETWORK_LIMIT` the leaders and their
    strongest ties; positions from a seeded spring layout."""
    import networkx as nx

    from .graph import build_graph

    graph = build_graph(ws, as_of=as_of, co_participation=False)
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    ranks = {s.id: s.rank for s in leaders[:_LEADERS_SHOWN] if s.id in graph}
    limited = total_nodes > NETWORK_LIMIT
    if limited:
        keep = dict.fromkeys(ranks)
        budget = NETWORK_LIMIT - len(keep)
        each = max(1, budget // max(1, len(ranks)))
        for leader in ranks:
            ties = graph[leader]
            near = sorted(ties, key=lambda n: (-float(ties[n].get("weight", 0.0)),
                                               -int(graph.degree(n)), n))
            for n in [n for n in near if n not in keep][:each]:
                keep[n] = None
        nodes = list(keep)
    else:
        nodes = sorted(graph)
    sub = graph.subgraph(nodes)
    positions = _layout(nx, sub) if nodes else {}
    index = {n: i for i, n in enumerate(nodes)}
    drawn = tuple(
        NetworkNode(id=n, name=_shown_name(by_id.get(n), n), x=positions[n][0],
                    y=positions[n][1], group=first_group.get(n), leader=ranks.get(n),
                    ties=graph.degree(n))
        for n in nodes
    )
    edges = tuple(sorted((index[a], index[b], float(d.get("weight", 0.0)))
                         for a, b, d in sub.edges(data=True)))
    return Network(drawn, edges, total_nodes, total_edges, limited)


def _layout(nx: Any, graph: Any) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] × [0, 1]: each larger connected part of the network by a spring
    layout with a fixed seed, side by side, widths by size; pairs and loners in a row along
    the bottom (a spring layout flings them to the corners and squeezes the rest)."""
    parts = sorted((sorted(c) for c in nx.connected_components(graph)),
                   key=lambda c: (-len(c), c[0]))
    big = [c for c in parts if len(c) >= 3]
    small = [c for c in parts if len(c) < 3]
    height = 0.9 if small and big else 1.0
    out: dict[str, tuple[float, float]] = {}
    total = sum(math.sqrt(len(c)) for c in big)
    left = 0.0
    for part in big:
        width = math.sqrt(len(part)) / total
        raw = nx.spring_layout(graph.subgraph(part), seed=7, weight="weight", iterations=120)
        for n, (x, y) in _spread(raw).items():
            out[n] = (left + (0.03 + 0.94 * x) * width if len(big) > 1 else left + x * width,
                      y * height)
        left += width
    # a pair sits close together, with room between one pair and the next
    slots = sum(len(c) for c in small) + 2 * (len(small) - 1)
    step = min(0.04, 1.0 / max(1, slots))
    x = 0.5 - step * (slots - 1) / 2
    for c in small:
        for n in c:
            out[n] = (x, 1.0 if big else 0.5)
            x += step
        x += 2 * step
    return out


def _spread(raw: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Positions pushed out from their centre (distance ** 0.6, a fish-eye), then scaled to
    [0, 1]: a spring layout packs the well-connected core, where the leaders are, tight."""
    if len(raw) == 1:
        return {n: (0.5, 0.5) for n in raw}
    cx = sum(float(p[0]) for p in raw.values()) / len(raw)
    cy = sum(float(p[1]) for p in raw.values()) / len(raw)
    moved = {}
    for n, p in raw.items():
        dx, dy = float(p[0]) - cx, float(p[1]) - cy
        r = math.hypot(dx, dy)
        f = r ** 0.6 / r if r > 0 else 0.0
        moved[n] = (dx * f, dy * f)
    x0, x1 = _range([p[0] for p in moved.values()])
    y0, y1 = _range([p[1] for p in moved.values()])

    def scale(v: float, lo: float, hi: float) -> float:
        return min(1.0, max(0.0, (v - lo) / (hi - lo))) if hi > lo else 0.5

    return {n: (scale(x, x0, x1), scale(y, y0, y1)) for n, (x, y) in moved.items()}


def _range(values: Sequence[float]) -> tuple[float, float]:
    """The span that maps to the drawing: the 2nd to the 98th percentile, widened a little,
    so one far-flung stakeholder does not shrink everyone else (it is drawn at the edge)."""
    ordered = sorted(values)
    if len(ordered) < 20:
        return ordered[0], ordered[-1]
    lo = ordered[int(0.02 * (len(ordered) - 1))]
    hi = ordered[math.ceil(0.98 * (len(ordered) - 1))]
    pad = (hi - lo) * 0.04
    return max(ordered[0], lo - pad), min(ordered[-1], hi + pad)


def _programme_people(plan: Plan, s: Stakeholder) -> bool:
    return s.id == plan.programme.organisation or bool(set(s.roles) & plan.programme_roles)


def _grid(plan: Plan, people: Sequence[Stakeholder], scores: Mapping[str, float]) -> tuple[
    tuple[GridCell, ...], int
]:
    """The 5 × 5 power/interest grid, most influential row first; and how many have no
    declared influence or interest."""
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    unknown = 0
    for s in people:
        if _programme_people(plan, s):
            continue
        if s.influence is None or s.interest is None:
            unknown += 1
            continue
        cells.setdefault((s.influence, s.interest), []).append(s)
    out = []
    for influence in range(5, 0, -1):
        for interest in range(1, 6):
            members = sorted(cells.get((influence, interest), []),
                             key=lambda s: (-scores.get(s.id, 0.0), s.name))
            named = [s for s in members if not s.restricted]
            out.append(GridCell(influence, interest, len(members),
                                tuple(s.name for s in named[:3])))
    return tuple(out), unknown


def _stories(ws: Workspace, plan: Plan, period: Period, as_of: dt.date,
             by_id: Mapping[str, Stakeholder]) -> list[Story]:
    from sqlalchemy import select

    from .store import INT

    end = min(period.end, as_of)
    if end < period.start:
        return []
    with ws.store.read() as s:
        ids = list(s.scalars(select(INT.c.id).where(
            INT.c.success.is_(True), INT.c.date >= period.start, INT.c.date <= end)))
    kinds = plan.all_interaction_kinds
    found = ws.store.interactions(ids=ids) if ids else []
    found.sort(key=lambda i: (i.date, i.id), reverse=True)
    return [Story(i.id, i.date, kinds.get(i.kind, i.kind), i.topic or "",
                  tuple(_names(i.participants, by_id)), i.notes or "") for i in found]


def _resources(ws: Workspace, plan: Plan, period: Period, as_of: dt.date) -> Resources:
    from sqlalchemy import distinct, func, select

    from .store import INT, PART

    end = min(period.end, as_of)
    if end < period.start:
        return Resources(0, (), (), 0, 0, 0, 0, 0)
    span = (INT.c.date >= period.start, INT.c.date <= end)
    with ws.store.read() as s:
        rows = s.execute(select(INT.c.kind, INT.c.channel, func.count()).where(*span)
                         .group_by(INT.c.kind, INT.c.channel)).all()
        recipients = s.scalar(select(func.count()).select_from(
            PART.join(INT, INT.c.pk == PART.c.interaction_pk)).where(
            *span, INT.c.kind.in_(LETTER_KINDS))) or 0
        met = s.scalar(select(func.count(distinct(PART.c.stakeholder_pk))).select_from(
            PART.join(INT, INT.c.pk == PART.c.interaction_pk)).where(
            *span, INT.c.kind.in_(MEETING_KINDS))) or 0
    kinds: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    for kind, channel, n in rows:
        kinds[str(kind)] += int(n)
        channels[str(channel or "")] += int(n)
    kind_names = plan.all_interaction_kinds
    channel_names = {c.key: c.name for c in plan.channels}
    return Resources(
        total=sum(kinds.values()),
        by_kind=tuple((_upfirst(kind_names.get(k, k)), n) for k, n in
                      sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_channel=tuple((channel_names.get(k, k) if k else "(ingen kanal)", n) for k, n in
                         sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))),
        letters=sum(kinds[k] for k in LETTER_KINDS), letter_recipients=int(recipients),
        meetings=sum(kinds[k] for k in MEETING_KINDS), board_meetings=kinds["board_meeting"],
        people_met=int(met),
    )


def _upfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the dashboard ------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("interessent", "report_templates"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["date"] = _date
    env.filters["percent"] = _percent
    env.filters["number"] = _number
    env.filters["fixed"] = lambda v: f"{v:.1f}"
    return env


def _number(value: int | float) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_LOCALE))


def render_html(report: Report) -> str:
    """The dashboard: one HTML page with no script, no external reference, inline SVG."""
    env = _environment()
    context = {
        "r": report,
        "status_nb": {s.value: t for s, t in STATUS_NB.items()},
        "cell_nb": {s.value: t for s, t in CELL_NB.items()},
        "urgency_nb": URGENCY_NB,
        "charts": _coverage_charts(report),
        "net": _network_drawing(report),
        "grid": _grid_rows(report),
        "kpis": _kpis(report),
        "limit": NETWORK_LIMIT,
    }
    return env.get_template("dashboard.html.j2").render(context)


def _kpis(report: Report) -> list[dict[str, Any]]:
    active = [c for c in report.commitments if c.status not in (Status.NOT_ACTIVE,)]
    on_track = report.count(Status.MET, Status.DUE, Status.NOT_STARTED)
    return [
        {"value": f"{on_track} av {len(active)}", "label": "tiltak oppfylt eller i rute",
         "tone": "good" if on_track == len(active) else "neutral"},
        {"value": str(report.count(Status.BEHIND)), "label": "tiltak henger etter",
         "tone": "warn" if report.count(Status.BEHIND) else "good"},
        {"value": str(report.count(Status.OVERDUE)), "label": "tiltak forsinket",
         "tone": "bad" if report.count(Status.OVERDUE) else "good"},
        {"value": str(len(report.stories)), "label": "suksesshistorier fortalt",
         "tone": "neutral"},
        {"value": _number(report.resources.total), "label": "kontakter og aktiviteter logget",
         "tone": "neutral"},
    ]


# chart geometry, in SVG user units (the SVGs scale to their box)
_CW, _CH = 360, 190
_CL, _CR, _CT, _CB = 44, 16, 14, 28


def _coverage_charts(report: Report) -> list[dict[str, Any]]:
    """One small chart per target group: score (solid) and direct reach (dashed)."""
    n = len(report.columns)
    width = _CW - _CL - _CR
    height = _CH - _CT - _CB

    def x(i: int) -> float:
        return _CL + (width * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return _CT + height * (1.0 - max(0.0, min(1.0, v)))

    step = max(1, math.ceil(n / 12))
    shown = [i for i in range(n) if i % step == 0]
    if shown and shown[-1] != n - 1 and n - 1 - shown[-1] >= step / 2:
        shown.append(n - 1)
    ticks = [{"x": x(i), "label": report.columns[i].short} for i in shown]
    grid = [{"y": y(v), "label": _percent(v)} for v in (0.0, 0.25, 0.5, 0.75, 1.0)]
    by_key = {g.key: g for g in report.coverage}
    charts = []
    for s in report.series:
        g = by_key.get(s.key)
        pts = s.points
        charts.append({
            "key": s.key, "name": s.name, "colour": s.colour,
            "score": g.score if g else None, "direct": g.direct_reach if g else None,
            "members": g.members if g else 0, "reached": g.reached_directly if g else 0,
            "score_path": " ".join(f"{x(p.column):.1f},{y(p.score):.1f}" for p in pts),
            "direct_path": " ".join(f"{x(p.column):.1f},{y(p.direct):.1f}" for p in pts),
            "dots": [{"x": x(p.column), "y": y(p.score),
                      "tip": f"{report.columns[p.column].long}: dekning {_percent(p.score)}, "
                             f"nådd direkte {_percent(p.direct)}, via nettverket "
                             f"{_percent(p.network)}"} for p in pts],
            "last": ({"x": x(pts[-1].column), "y": y(pts[-1].score)} if pts else None),
        })
    return [{"charts": charts, "ticks": ticks, "grid": grid, "w": _CW, "h": _CH,
             "left": _CL, "right": _CW - _CR, "top": _CT, "bottom": _CH - _CB,
             "empty": not any(s.points for s in report.series)}]


_NW, _NH, _NM = 960, 640, 34


def _network_drawing(report: Report) -> dict[str, Any]:
    """Pixel positions, sizes, colours and non-overlapping labels for the network SVG."""
    net = report.network
    nodes: list[dict[str, Any]] = []
    for node in net.nodes:
        colour = report.colours.get(node.group or "", NO_GROUP_COLOUR)
        radius = 10.0 if node.leader else 3.0 + min(3.0, math.sqrt(node.ties) / 2)
        nodes.append({
            "x": _NM + node.x * (_NW - 2 * _NM), "y": _NM + node.y * (_NH - 2 * _NM),
            "r": radius, "colour": colour, "leader": node.leader, "name": node.name,
            "tip": f"{node.name} — {report.groups.get(node.group or '', 'ingen målgruppe')}"
                   f", {node.ties} bånd" + (f", opinionsdanner nr. {node.leader}"
                                            if node.leader else ""),
        })
    edges = [{"x1": nodes[a]["x"], "y1": nodes[a]["y"], "x2": nodes[b]["x"],
              "y2": nodes[b]["y"], "w": 0.4 + 1.4 * w,
              "strong": bool(nodes[a]["leader"] or nodes[b]["leader"])}
             for a, b, w in net.edges]
    leaders = sorted((n for n in nodes if n["leader"]), key=lambda n: n["leader"])
    labels = _place_labels(leaders, nodes)
    present = sorted({n.group for n in net.nodes}, key=lambda g: (
        list(report.groups).index(g) if g in report.groups else len(report.groups)) if g else (
        len(report.groups) + 1))
    legend = [{"colour": report.colours.get(g or "", NO_GROUP_COLOUR),
               "name": report.groups.get(g, g) if g else "Ingen målgruppe"} for g in present]
    return {"w": _NW, "h": _NH, "nodes": [n for n in nodes if not n["leader"]],
            "leaders": leaders, "edges": edges, "labels": labels, "legend": legend}


_FONT = 13.0
_CHAR = 0.62  # average glyph width, in em, of a wide sans-serif (DejaVu Sans)


def _place_labels(leaders: Sequence[dict[str, Any]], nodes: Sequence[dict[str, Any]]) -> list[
    dict[str, Any]
]:
    """Each leader's name beside its node, on the first side (right, left, below, above,
    then further out) where it overlaps no label placed before and no other leader; left
    out where there is no such place."""
    boxes: list[tuple[float, float, float, float]] = [
        (n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"]) for n in leaders]
    out = []
    for n in leaders:
        text = n["name"] if len(n["name"]) <= 28 else n["name"][:27] + "…"
        w, h = len(text) * _FONT * _CHAR, _FONT * 1.25
        r = n["r"] + 3
        options = [(n["x"] + r, n["y"] - h / 2, "start"), (n["x"] - r - w, n["y"] - h / 2, "end"),
                   (n["x"] - w / 2, n["y"] + r, "middle"), (n["x"] - w / 2, n["y"] - r - h,
                                                            "middle")]
        for k in (1.8, 2.8):
            options += [(n["x"] + r * k, n["y"] - h / 2 - r * (k - 1), "start"),
                        (n["x"] - r * k - w, n["y"] - h / 2 + r * (k - 1), "end"),
                        (n["x"] - w / 2, n["y"] + r * k, "middle"),
                        (n["x"] - w / 2, n["y"] - r * k - h, "middle")]
        own = (n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"], n["y"] + n["r"])
        chosen = None
        for left, top, anchor in options:
            box = (left, top, left + w, top + h)
            inside = left >= 0 and top >= 0 and left + w <= _NW and top + h <= _NH
            if inside and not any(_overlap(box, b) for b in boxes if b != own):
                chosen = (left, top, anchor)
                break
        if chosen is None:  # no room: the number in the circle and the list must do
            continue
        left, top, anchor = chosen
        boxes.append((left, top, left + w, top + h))
        tx = left if anchor == "start" else left + w if anchor == "end" else left + w / 2
        out.append({"x": tx, "y": top + h * 0.78, "anchor": anchor, "text": text,
                    "rank": n["leader"]})
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_QUADRANTS = {(True, False): "Hold tilfreds", (True, True): "Tett oppfølging",
              (False, False): "Overvåk", (False, True): "Hold informert"}


def _quadrant(influence: int, interest: int) -> str:
    if influence == 3 or interest == 3:
        return "middle"
    return {"Hold tilfreds": "satisfy", "Tett oppfølging": "manage", "Overvåk": "monitor",
            "Hold informert": "inform"}[_QUADRANTS[(influence > 3, interest > 3)]]


def _grid_rows(report: Report) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for i in range(5):
        row = []
        for cell in report.grid[i * 5:(i + 1) * 5]:
            more = cell.count - len(cell.names)
            row.append({"cell": cell, "quadrant": _quadrant(cell.influence, cell.interest),
                        "more": more})
        rows.append(row)
    return rows


# --- the status report --------------------------------------------------------------------


@frozen
class _Heading:
    level: int
    text: str


@frozen
class _Para:
    text: str
    italic: bool = False


@frozen
class _Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@frozen
class _Bullets:
    items: tuple[str, ...]


_Block = _Heading | _Para | _Table | _Bullets


def _status_blocks(r: Report) -> list[_Block]:
    """The status report to the council (and TFK, IN, KMD), as headings, paragraphs and
    tables both writers share."""
    blocks: list[_Block] = [
        _Heading(0, f"{r.title} – {r.programme}"),
        _Para(f"{r.municipality} · per {_date(r.as_of)} · utkast laget med interessent "
              f"fra kommunikasjonsloggen", italic=True),
        _Heading(1, "Sammendrag"),
        _Para(_summary(r)),
        _Heading(1, "Dekning per målgruppe"),
        _Para("Dekningen veier sammen hvor mange i målgruppen som er nådd direkte og "
              "gjennom nettverket (vektet etter innflytelse), hvor mange av "
              "opinionsdannerne som er informert, og hvor godt tiltakene er holdt."),
        _Table(("Målgruppe", "Medlemmer", "Nådd direkte", "Direkte dekning",
                "Via nettverket", "Opinionsdannere informert", "Dekning"),
               tuple((g.name, _number(g.members), _number(g.reached_directly),
                      _percent(g.direct_reach), _percent(g.network_reach),
                      f"{g.leaders_informed} av {g.leaders}" if g.leaders else "–",
                      _percent(g.score)) for g in r.coverage)),
        _Heading(1, "Tiltak i kommunikasjonsstrategien"),
    ]
    kept = [c for c in r.commitments if c.status in (Status.MET, Status.DUE, Status.NOT_STARTED)]
    missed = [c for c in r.commitments if c.status in (Status.BEHIND, Status.OVERDUE)]
    idle = [c for c in r.commitments if c.status is Status.NOT_ACTIVE]
    headers = ("Tiltak", "Status", "Gjort", "Forklaring")

    def row(c: CommitmentStatus) -> tuple[str, ...]:
        done = f"{c.actual} av {c.expected}" if c.expected else "–"
        return (f"{c.id} {c.title}", STATUS_NB[c.status], done, r.notes[c.id])

    blocks.append(_Heading(2, f"Holdt eller i rute ({len(kept)})"))
    blocks.append(_Table(headers, tuple(row(c) for c in kept)) if kept else
                  _Para("Ingen."))
    blocks.append(_Heading(2, f"Ikke holdt ({len(missed)})"))
    blocks.append(_Table(headers, tuple(row(c) for c in missed)) if missed else
                  _Para("Alle tiltak som har begynt, er holdt."))
    if idle:
        blocks.append(_Para("Ikke aktive i perioden: " + ", ".join(
            f"{c.id} {c.title}" for c in idle) + "."))
    blocks.append(_Heading(1, "Suksesshistorier"))
    if r.stories:
        blocks.append(_Bullets(tuple(_story_line(s) for s in r.stories)))
    else:
        blocks.append(_Para("Ingen kontakter er logget som suksesshistorie i perioden. "
                            "Strategien sier at suksesshistorier skal kommuniseres aktivt."))
    res = r.resources
    blocks += [
        _Heading(1, "Ressursbruk"),
        _Para(f"Kommunikasjonsloggen viser {_number(res.total)} kontakter og aktiviteter i "
              f"perioden fram til {_date(min(r.as_of, r.period.end))}: "
              f"{_number(res.letters)} brev og e-poster (til {_number(res.letter_recipients)} "
              f"mottakere), {_number(res.meetings)} møter og arrangementer, herav "
              f"{_number(res.board_meetings)} styremøter, og {_number(res.people_met)} "
              "ulike interessenter møtt."),
        _Table(("Type", "Antall"), tuple((k, _number(n)) for k, n in res.by_kind)),
        _Table(("Kanal", "Antall"), tuple((k, _number(n)) for k, n in res.by_channel)),
        _Para("Økonomi: interessent fører ikke regnskap. Daglig leder fyller inn: brukt "
              "hittil i perioden ______ kr av et budsjett på ______ kr; "
              "herav til kommunikasjon ______ kr.", italic=True),
        _Heading(1, "Dette forfaller fremover"),
    ]
    if r.dues.items:
        blocks.append(_Table(
            ("Tiltak", "Hastegrad", "Frist", "Forklaring"),
            tuple((f"{i.commitment.id} {i.commitment.title}",
                   URGENCY_NB.get(i.urgency, i.urgency),
                   _date(i.commitment.due) if i.commitment.due else "–",
                   r.notes.get(i.commitment.id, "")) for i in r.dues.items)))
    else:
        blocks.append(_Para(f"Ingenting er forsinket eller forfaller de neste "
                            f"{r.dues.within} dagene."))
    return blocks


def _story_line(s: Story) -> str:
    who = f" ({', '.join(s.who)})" if s.who else ""
    notes = f" {s.notes}" if s.notes else ""
    return f"{_date(s.date)}: {s.topic or s.kind}{who}.{notes}".replace("..", ".")


def _summary(r: Report) -> str:
    active = [c for c in r.commitments if c.status is not Status.NOT_ACTIVE]
    on_track = r.count(Status.MET, Status.DUE, Status.NOT_STARTED)
    behind, overdue = r.count(Status.BEHIND), r.count(Status.OVERDUE)
    parts = [f"{on_track} av {len(active)} tiltak i kommunikasjonsstrategien holdt eller i "
             "rute"]
    if behind:
        parts.append(f"{behind} henger etter")
    if overdue:
        parts.append(f"{overdue} er forsinket")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    text = f"Per {_date(r.as_of)} er {listed}."
    scored = [g for g in r.coverage if g.members]
    if scored:
        best = max(scored, key=lambda g: g.score)
        worst = min(scored, key=lambda g: g.score)
        text += (f" Dekningen er best for {best.name} ({_percent(best.score)}) og svakest "
                 f"for {worst.name} ({_percent(worst.score)}).")
    n = len(r.stories)
    text += (f" {n} suksesshistorie{'' if n == 1 else 'r'} er fortalt." if n else
             " Ingen suksesshistorier er logget i perioden.")
    return text


def _md(text: str) -> str:
    """Markdown-safe text: punctuation that means something is escaped, so a name can
    neither start a table cell, a link nor raw HTML."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]{}<>#|!~])", r"\\\1", text)


def render_markdown(report: Report) -> str:
    """The status report as Markdown."""
    lines: list[str] = []
    for block in _status_blocks(report):
        if isinstance(block, _Heading):
            lines += ["#" * (block.level + 1) + " " + _md(block.text), ""]
        elif isinstance(block, _Para):
            lines += [f"*{_md(block.text)}*" if block.italic else _md(block.text), ""]
        elif isinstance(block, _Bullets):
            lines += [f"- {_md(item)}" for item in block.items] + [""]
        else:
            lines.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            lines.append("|" + "|".join("---" for _ in block.headers) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_docx(report: Report) -> bytes:
    """The status report as a Word document."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    props = doc.core_properties
    props.title = _xml(f"{report.title} – {report.programme}")[:255]
    props.subject = "Status for kommunikasjonsstrategien"
    props.author = "interessent"
    props.language = "nb-NO"
    for block in _status_blocks(report):
        if isinstance(block, _Heading):
            doc.add_heading(_xml(block.text), level=block.level)
        elif isinstance(block, _Para):
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(_xml(block.text))
            run.italic = block.italic
        elif isinstance(block, _Bullets):
            for item in block.items:
                doc.add_paragraph(_xml(item), style="List Bullet")
        else:
            table = doc.add_table(rows=1, cols=len(block.headers))
            table.style = "Light List Accent 1"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = _xml(text)
            for values in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=True):
                    cell.text = _xml(text)
            doc.add_paragraph()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text Word can hold: control characters XML forbids are dropped."""
    return _XML_BAD.sub("", text)


# --- writing ------------------------------------------------------------------------------

REPORTS_DIR = "rapporter"


def default_path(ws: Workspace, period: Period, as_of: dt.date, fmt: str) -> Path:
    """``<workspace>/rapporter/rapport-<period>-<as_of>.<fmt>``."""
    return ws.root / REPORTS_DIR / f"rapport-{period_key(period)}-{as_of.isoformat()}.{fmt}"


def write_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                 fmt: str = "html", out: Path | None = None) -> Path:
    """Write the dashboard (``html``) or the status report (``md``, ``docx``) atomically to
    ``out`` (default :func:`default_path`); returns its absolute path."""
    from .files import write_atomically

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format {fmt!r} (expected one of "
                           f"{', '.join(FORMATS)})")
    day = as_of or dt.date.today()
    if out is None:
        path = default_path(ws, period, day, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(out)
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give the report's file name")
        if not path.parent.is_dir():  # before the work, not after it
            raise InvalidInput(f"no such folder: {path.parent}")
    report = build_report(ws, period, as_of=day)
    if fmt == "docx":
        data = render_docx(report)
        write_atomically(path, lambda stream: stream.buffer.write(data))
    else:
        text = render_html(report) if fmt == "html" else render_markdown(report)
        write_atomically(path, lambda stream: stream.write(text))
    return path.resolve()
