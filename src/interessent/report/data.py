"""What a report shows, as values: the time axis, coverage series, the commitment
calendar, the network as drawn, the power/interest grid, success stories, resources used,
and the :class:`Report` that holds them all."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING

from attrs import field, frozen

from ..coverage import CommitmentExplanation, CommitmentStatus, Dues, GroupCoverage, Status
from ..i18n import N_, gettext, using
from ..periods import Period
from .wording import LANGUAGE, period_label

if TYPE_CHECKING:
    from ..followup import Concern
    from ..graph import LeaderScore

#: Networks with more stakeholders than this are drawn as the opinion leaders and their
#: strongest ties only: a picture of thousands of nodes is a hairball nobody can read.
NETWORK_LIMIT = 300
#: Leaders drawn (and labelled) in the network: the plan's ``[leaders] top``, at least.
_LEADERS_SHOWN = 10

#: Success stories a report lists, the newest: it says how many there are in all.
STORIES_SHOWN = 50

#: Colour-blind-safe colours (Okabe & Ito) for target groups, in plan order.
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#8F7A00", "#000000")
NO_GROUP_COLOUR = "#9A9A9A"


class CellState(enum.StrEnum):
    """The state of one commitment × month cell of the calendar."""

    MET = "met"
    MISSED = "missed"
    OPEN = "open"
    FUTURE = "future"
    INACTIVE = "inactive"


#: The words for a calendar cell's state, translated where they are shown (:func:`cell_word`).
CELL_WORDS = {
    CellState.MET: N_("met"),
    CellState.MISSED: N_("not met"),
    CellState.OPEN: N_("open, due"),
    CellState.FUTURE: N_("not due yet"),
    CellState.INACTIVE: N_("not active"),
}


def cell_word(state: CellState | str) -> str:
    """A calendar cell's state in the current language (:func:`interessent.i18n.using`)."""
    return gettext(CELL_WORDS[CellState(state)])


_CELL_ORDER = (CellState.MISSED, CellState.OPEN, CellState.MET, CellState.FUTURE,
               CellState.INACTIVE)


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
    stances: tuple[str | None, ...] = ()
    """The stance on the as-of day of each of ``names`` (``support``, ``neutral``,
    ``oppose``; None: not known); empty when none of them is known."""
    supporting: int = 0
    neutral: int = 0
    opposing: int = 0
    """How many in the cell (named or not) support, are neutral, oppose."""

    @property
    def stances_known(self) -> int:
        return self.supporting + self.neutral + self.opposing


@frozen
class Story:
    id: str
    date: dt.date
    kind: str
    topic: str
    who: tuple[str, ...]
    notes: str
    published: bool = False
    """Whether an article telling it is logged (up to the report's day)."""
    outlets: tuple[str, ...] = ()
    """The names of the outlets that ran it, in name order (an article may name none)."""


@frozen
class MessageRow:
    """One key message of the plan and the articles that carried it, per quarter."""

    key: str
    text: str
    counts: tuple[int, ...]
    """Articles carrying it in each of the year's quarters, Q1 to Q4."""

    @property
    def total(self) -> int:
        return sum(self.counts)


@frozen
class KeyMessages:
    """The plan's key messages carried in the media in the quarters of one year, up to
    the report's day: a table of message × quarter → number of articles."""

    year: int
    quarters: tuple[str, ...]
    rows: tuple[MessageRow, ...]
    articles: int
    """Articles of the year (up to the report's day) that carried any key message."""


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
class ConcernGroup:
    """The concerns of one target group still open on the report's day, oldest first
    (``key`` ``""``: concerns that belong to no group). A concern of several groups is
    under each."""

    key: str
    name: str
    concerns: tuple[Concern, ...]


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
    explained: tuple[CommitmentExplanation, ...] = ()
    """Why each commitment stands as it does: its windows and the contacts counted."""
    names: Mapping[str, str] = field(factory=dict)
    """How the dashboard names the stakeholders ``explained`` lists (restricted ones not)."""
    kind_names: Mapping[str, str] = field(factory=dict)
    """The interaction kinds' names, in the report's language."""
    language: str = LANGUAGE
    """The language the report was gathered in, and is drawn in: ``nb``, ``nn`` or ``en``."""
    finance_by: str = ""
    """Who fills in the finance figures (the title of the plan's ``report.finance_role``)."""
    recipients: str = ""
    """Whom the status report goes to (the plan's ``report.recipients``)."""
    stories_total: int | None = None
    """How many success stories the period holds up to ``as_of``; ``stories`` lists the
    newest :data:`STORIES_SHOWN` of them (None: all are listed)."""
    open_concerns: tuple[ConcernGroup, ...] = ()
    """The concerns open on ``as_of``, per target group in the plan's order. The open
    tasks are ``dues.tasks`` (soonest due first: the overdue ones first)."""
    role_names: Mapping[str, str] = field(factory=dict)
    """The roles' names, in the report's language (a task's owner)."""
    acceptance_weight: float = 0.0
    """The weight the plan gives acceptance in the coverage score (``[coverage]``)."""
    messages: KeyMessages | None = None
    """The key messages carried in the media per quarter (None: the plan lists none)."""

    @property
    def story_count(self) -> int:
        """How many success stories the period holds, listed or not."""
        return len(self.stories) if self.stories_total is None else self.stories_total

    @property
    def title(self) -> str:
        """«Årsrapport 2026» for a calendar year, else «Statusrapport …», in the report's
        language."""
        with using(self.language):
            if self.period == Period.year(self.period.start.year):
                return gettext("Annual report {period}").format(
                    period=period_label(self.period))
            return gettext("Status report {period}").format(period=period_label(self.period))

    def count(self, *statuses: Status) -> int:
        return sum(1 for c in self.commitments if c.status in statuses)
