"""Reports: the dashboard (one self-contained HTML page) and the status report (Markdown or
Word) the plan promises to those it names (``[report] recipients``), in the programme's
language (``nb``, ``nn`` or ``en``) or the one asked for (``language=``).

:func:`build_report` gathers everything once into a :class:`Report`, for a period on an
``as_of`` day:

- **coverage over time**: each target group's score, direct and network reach, year to
  date at the end of each month of the period (quarters or years for periods of more than
  two years): what :func:`~interessent.coverage.coverage` gives as it stood on that day
  (``as_of`` the month's last day, or the report's ``as_of`` in its month), computed for
  all months in one pass over the log;
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
draft the status report. A :class:`Report` keeps the language it was gathered in and is
drawn in it; the library reads no locale or environment variable.
:func:`render_report` gathers and renders one in memory; :func:`write_report` writes one
atomically.

What lives where:

=================  ======================================================================
``data``           the values a report holds (:class:`Report`, :class:`Series`,
                   :class:`CalendarRow`, :class:`Network`, …), :data:`NETWORK_LIMIT`,
                   the group colours and the calendar's cell states
``series``         coverage over time, every column in one pass (:func:`coverage_series`)
``gathering``      :func:`build_report`: coverage series, calendar and notes, leaders,
                   power/interest grid, success stories, resources used
``network``        which stakeholders and ties the network shows, and their layout
``dashboard``      :func:`render_html`: the Jinja page (templates in
                   ``interessent/report_templates``) and its SVG geometry
``status``         :func:`render_markdown`, :func:`render_docx`: the status report
``wording``        dates, numbers, status words, cadence units and interaction kinds in
                   the report's language, :func:`period_label`, :func:`period_key`, how a
                   (restricted) stakeholder is named
``writing``        :data:`FORMATS`, :func:`default_path`, :func:`render_report` (in memory),
                   :func:`write_report`
=================  ======================================================================
"""

from __future__ import annotations

from .dashboard import render_html
from .data import (
    NETWORK_LIMIT,
    CalendarCell,
    CalendarRow,
    CellState,
    Column,
    GridCell,
    KeyMessages,
    MessageRow,
    Network,
    NetworkNode,
    Report,
    Resources,
    Series,
    SeriesPoint,
    Story,
)
from .gathering import build_report
from .status import render_docx, render_markdown
from .wording import period_key, period_label
from .writing import FORMATS, ReportFormat, default_path, render_report, write_report

__all__ = [
    "FORMATS",
    "NETWORK_LIMIT",
    "CalendarCell",
    "CalendarRow",
    "CellState",
    "Column",
    "GridCell",
    "KeyMessages",
    "MessageRow",
    "Network",
    "NetworkNode",
    "Report",
    "ReportFormat",
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
    "render_report",
    "write_report",
]
