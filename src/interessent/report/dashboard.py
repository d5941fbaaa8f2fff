"""The dashboard: one self-contained HTML page drawn through Jinja (autoescape) from
``interessent/report_templates``, with hand-written SVG charts, the network and the
power/interest grid, inline CSS and no script, in the report's language: the template's
words come from the catalogs through Jinja's i18n extension (``_()``, ``ngettext``,
``pgettext``), and the page says its language (``<html lang>``)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..coverage import Status
from ..i18n import N_, gettext, ngettext, stance_word, using
from ..stance import STANCE_MARKS, Stance
from .data import CELL_WORDS, NETWORK_LIMIT, NO_GROUP_COLOUR, Report, cell_word
from .wording import _date, _number, _percent, period_label, status_words

if TYPE_CHECKING:
    from jinja2 import Environment


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("interessent", "report_templates"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # the words of the language the page is drawn in (render_html sets the report's)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.gettext(message),
        ngettext=lambda singular, plural, n: i18n.ngettext(singular, plural, n),
        pgettext=lambda context, message: i18n.pgettext(context, message),
        newstyle=True)
    env.filters["date"] = _date
    env.filters["percent"] = _percent
    env.filters["number"] = _number
    env.filters["fixed"] = lambda v: f"{v:.1f}"
    env.filters["score"] = lambda v: _number(round(v, 2), "0.00")
    env.filters["period"] = lambda p: period_label(p)
    # a plan text given once or per language, in the page's language
    env.filters["text"] = lambda t: i18n.localized(t)
    return env


#: Why a contact is listed under a commitment (:class:`~interessent.coverage.CountedContact`),
#: translated where it is shown.
REASON_WORDS = {"tagged": N_("tagged with the commitment"),
                "selector": N_("fits the commitment's selection"),
                "hosted": N_("held at a host the plan accepts"),
                "not hosted": N_("not at a host the plan accepts")}


def render_html(report: Report) -> str:
    """The dashboard: one HTML page with no script, no external reference, inline SVG, in
    the report's language (:attr:`Report.language`)."""
    env = _environment()
    with using(report.language):
        context = {
            "r": report,
            "lang": report.language,
            "status_word": status_words(),
            "cell_word": {s.value: cell_word(s) for s in CELL_WORDS},
            "reason_word": {k: gettext(v) for k, v in REASON_WORDS.items()},
            "charts": _coverage_charts(report),
            "net": _network_drawing(report),
            "grid": _grid_rows(report),
            "stance_legend": _stance_legend(),
            "stances_known": any(c.stances_known for c in report.grid),
            "kpis": _kpis(report),
            "limit": NETWORK_LIMIT,
            "cut": _cut_explanations(report),
        }
        return env.get_template("dashboard.html.j2").render(context)


#: The command a user runs to list a commitment's explanation whole (the dashboard lists
#: the first entries of each list).
EXPLAIN_COMMAND = ("interessent coverage --commitment {id} --period {period} --as-of {day} "
                   "--explain")


def _cut_explanations(report: Report) -> dict[str, str]:
    """The commitments whose explanation lists only the first contacts or members, each
    with the command that lists them all."""
    out = {}
    for e in report.explained:
        if any((w.contact_count or 0) > len(w.contacts) or w.member_count > len(w.members)
               or any(m.reached > len(m.contacts) for m in w.members) for w in e.windows):
            out[e.status.id] = EXPLAIN_COMMAND.format(
                id=e.status.id, period=report.period, day=report.as_of.isoformat())
    return out


def _kpis(report: Report) -> list[dict[str, Any]]:
    active = [c for c in report.commitments if c.status not in (Status.NOT_ACTIVE,)]
    on_track = report.count(Status.MET, Status.DUE, Status.NOT_STARTED)
    behind, overdue = report.count(Status.BEHIND), report.count(Status.OVERDUE)
    return [
        {"value": gettext("{part} of {whole}").format(part=on_track, whole=len(active)),
         "label": ngettext("commitment met or on track", "commitments met or on track",
                           len(active)),
         "tone": "good" if on_track == len(active) else "neutral"},
        {"value": str(behind),
         "label": ngettext("commitment behind", "commitments behind", behind),
         "tone": "warn" if behind else "good"},
        {"value": str(overdue),
         "label": ngettext("commitment overdue", "commitments overdue", overdue),
         "tone": "bad" if overdue else "good"},
        {"value": _number(report.story_count),
         "label": ngettext("success story told", "success stories told", report.story_count),
         "tone": "neutral"},
        {"value": _number(report.resources.total),
         "label": ngettext("contact or activity logged", "contacts and activities logged",
                           report.resources.total),
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
                      "tip": gettext("{column}: coverage {score}, reached directly {direct}, "
                                     "through the network {network}").format(
                          column=report.columns[p.column].long, score=_percent(p.score),
                          direct=_percent(p.direct), network=_percent(p.network))}
                     for p in pts],
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
            "tip": f"{node.name} — "
                   + report.groups.get(node.group or "", gettext("no target group")) + ", "
                   + ngettext("{n} tie", "{n} ties", node.ties).format(n=node.ties)
                   + (", " + gettext("opinion leader no. {rank}").format(rank=node.leader)
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
               "name": report.groups.get(g, g) if g else gettext("No target group")}
              for g in present]
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


#: The power/interest grid's quadrants (high influence?, high interest?); the template
#: names them in the page's language.
_QUADRANTS = {(True, False): "satisfy", (True, True): "manage", (False, False): "monitor",
              (False, True): "inform"}


def _quadrant(influence: int, interest: int) -> str:
    if influence == 3 or interest == 3:
        return "middle"
    return _QUADRANTS[(influence > 3, interest > 3)]


def _stance_legend() -> list[dict[str, str]]:
    """The stances on the power/interest grid: each a mark that reads without colour (and
    in print, :data:`~interessent.stance.STANCE_MARKS`), a class for its colour, and its
    word."""
    return [{"key": key.value, "mark": mark, "word": stance_word(key)}
            for key, mark in STANCE_MARKS.items()]


def _grid_rows(report: Report) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for i in range(5):
        row = []
        for cell in report.grid[i * 5:(i + 1) * 5]:
            more = cell.count - len(cell.names)
            stances = list(cell.stances) + [None] * (len(cell.names) - len(cell.stances))
            people = [{"name": name, "stance": stance,
                       "mark": STANCE_MARKS[Stance(stance)] if stance else None,
                       "word": stance_word(stance) if stance else ""}
                      for name, stance in zip(cell.names, stances, strict=True)]
            held = [{"key": key, "mark": STANCE_MARKS[Stance(key)], "word": stance_word(key),
                     "n": n}
                    for key, n in (("support", cell.supporting), ("neutral", cell.neutral),
                                   ("oppose", cell.opposing)) if n]
            row.append({"cell": cell, "quadrant": _quadrant(cell.influence, cell.interest),
                        "more": more, "people": people, "held": held})
        rows.append(row)
    return rows
