"""leaders, coverage, due and risks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ._context import Context, pass_context
from ._options import (
    Count,
    as_of_day,
    as_of_option,
    format_option,
    period_option,
    period_or_year,
    within_days,
    within_option,
)
from ._output import emit

if TYPE_CHECKING:
    import datetime as dt

    from ..coverage import CommitmentExplanation, CommitmentStatus, CountedContact
    from ..periods import Period


@click.command()
@click.option("--group", "-g", help="Rank within this target group.")
@click.option("--top", type=Count(1, 100_000), help="How many (default: the plan's).")
@click.option("--explain", is_flag=True, help="Show each component of each score.")
@as_of_option()
@format_option
@pass_context
def leaders(context: Context, group: str | None, top: int | None, explain: bool,
            as_of: str | None, fmt: str) -> None:
    """Rank the opinion leaders, overall or within a target group."""
    from ..graph import explain as explain_score
    from ..graph import rank_leaders

    ws = context.workspace
    ranked = rank_leaders(ws, group=group, top=top or ws.plan.leaders.top,
                          as_of=as_of_day(as_of))
    rows = []
    for s in ranked:
        row: dict[str, Any] = {"rank": s.rank, "id": s.id, "name": s.name,
                               "score": round(s.score, 4), "pinned": s.pinned,
                               **{k: round(v, 4) for k, v in s.components.items()}}
        if explain:
            row["explanation"] = explain_score(s)
        rows.append(row)
    columns = ["rank", "id", "name", "score"]
    if explain:
        columns += [*ranked[0].components, "explanation"] if ranked else []
    emit(rows, columns, fmt, empty="no stakeholders to rank")


def _commitment_row(c: CommitmentStatus) -> dict[str, Any]:
    return {"id": c.id, "title": c.title, "status": c.status.value, "expected": c.expected,
            "actual": c.actual, "logged": c.logged, "due": c.due,
            "responsible": c.responsible, "missing": list(c.missing),
            "explanation": c.explanation}


@click.command()
@period_option
@as_of_option()
@click.option("--group", "-g", "groups", multiple=True, help="Only this group (repeatable).")
@click.option("--commitment", "-c", "commitments", multiple=True, metavar="ID",
              help="Only this commitment's status (repeatable).")
@click.option("--explain", is_flag=True,
              help="List each window with the contacts counted in it (and, per member, "
              "the contacts that reached them).")
@format_option
@pass_context
def coverage(context: Context, period: str | None, as_of: str | None, groups: tuple[str, ...],
             commitments: tuple[str, ...], explain: bool, fmt: str) -> None:
    """How well each target group was reached, and how its commitments stand.

    Each commitment is judged on its own windows (a yearly one on the whole year), with
    the contacts up to --as-of; the period chooses which windows are shown."""
    from ..coverage import coverage as compute

    day = as_of_day(as_of)
    span = period_or_year(period, day)
    if commitments or explain:
        _commitments(context, span, day, list(commitments) or None, explain, fmt)
        return
    result = compute(context.workspace, span, as_of=day, groups=list(groups) or None)
    rows = [
        {
            "key": g.key, "name": g.name, "period": str(g.period), "as_of": g.as_of,
            "score": round(g.score, 4), "members": g.members,
            "reached_directly": g.reached_directly,
            "reached_through_network": g.reached_through_network,
            "direct_reach": round(g.direct_reach, 4), "network_reach": round(g.network_reach, 4),
            "leaders": g.leaders, "leaders_informed": g.leaders_informed,
            "touchpoints": g.touchpoints, "broadcasts": dict(g.broadcasts),
            "components": {k: None if v is None else round(v, 4)
                           for k, v in g.components.items()},
            "commitments": [_commitment_row(c) for c in g.commitments],
        }
        for g in result
    ]
    if fmt != "table":
        columns = ["key", "name", "score", "members", "reached_directly",
                   "reached_through_network", "direct_reach", "network_reach", "leaders",
                   "leaders_informed", "touchpoints"]
        emit(rows, columns, fmt)
        return
    click.echo(f"Coverage {span} as of {day.isoformat()}\n")
    table = [
        {**r, "direct": f"{r['direct_reach']:.0%}", "network": f"{r['network_reach']:.0%}",
         "reached": f"{r['reached_directly']}/{r['members']}",
         "leaders_": f"{r['leaders_informed']}/{r['leaders']}", "score_": f"{r['score']:.2f}"}
        for r in rows
    ]
    emit(table, ["key", "name", "reached", "direct", "network", "leaders_", "touchpoints",
                 "score_"], fmt,
         headers={"leaders_": "leaders", "score_": "score", "reached": "reached"})
    seen: dict[str, CommitmentStatus] = {}
    for g in result:
        for c in g.commitments:
            seen.setdefault(c.id, c)
    if seen:
        click.echo("")
        emit([_commitment_row(c) for c in seen.values()],
             ["id", "title", "status", "expected", "actual", "due", "explanation"], fmt)


def _commitments(context: Context, span: Period, day: dt.date, ids: list[str] | None,
                 explain: bool, fmt: str) -> None:
    """``coverage --commitment ID [--explain]``: the commitments' status, and with
    ``explain`` each window with the contacts counted in it."""
    from ..coverage import check_commitments, explain_commitments

    ws = context.workspace
    if not explain:
        rows = [_commitment_row(c) for c in check_commitments(ws, span, as_of=day, ids=ids)]
        emit(rows, ["id", "title", "status", "expected", "actual", "due", "explanation"], fmt)
        return
    explained = explain_commitments(ws, span, as_of=day, ids=ids)
    if fmt == "json":
        import json

        click.echo(json.dumps([e.to_dict() for e in explained], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit([row for e in explained for row in _explained_rows(e)], EXPLAIN_COLUMNS, fmt)
        return
    click.echo(f"Commitments {span} as of {day.isoformat()}")
    for e in explained:
        _echo_explained(e)


#: The columns of ``coverage --explain --format csv``: one row per contact counted (or
#: per window, or member, with none).
EXPLAIN_COLUMNS = ["commitment", "status", "window", "state", "expected", "actual", "member",
                   "reached", "needed", "contact", "date", "kind", "reason", "via", "topic"]


def _explained_rows(e: CommitmentExplanation) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for w in e.windows:
        r = w.result
        base = {"commitment": e.status.id, "status": e.status.status.value,
                "window": str(r.period), "state": r.state.value, "expected": r.expected,
                "actual": r.actual}
        groups: list[tuple[dict[str, Any], tuple[CountedContact, ...]]] = [
            ({**base, "member": m.id, "reached": m.reached, "needed": m.needed}, m.contacts)
            for m in w.members] or [(base, w.contacts)]
        for head, contacts in groups:
            out += [{**head, "contact": x.id, "date": x.date, "kind": x.kind,
                     "reason": x.reason, "via": list(x.via), "topic": x.topic}
                    for x in contacts] or [head]
    if not e.windows:
        out += [{"commitment": e.status.id, "status": e.status.status.value,
                 "reason": f"{tie}: {'exists' if ok else 'missing'}"} for tie, ok in e.ties]
    return out


def _echo_explained(e: CommitmentExplanation) -> None:
    s = e.status
    due = f", due {s.due.isoformat()}" if s.due else ""
    click.echo(f"\n{s.id}  {s.title}: {s.status.value} ({s.actual} of {s.expected}{due})")
    click.echo(f"  counts: {e.counts}")
    for tie, ok in e.ties:
        click.echo(f"  {tie}: {'exists' if ok else 'missing'}")
    for w in e.windows:
        r = w.result
        click.echo(f"  {r.period}  {r.state.value}  {r.actual} of {r.expected}"
                   + (f"  (logged {r.logged})" if r.logged != r.actual else ""))
        if w.members:
            for m in w.members:
                click.echo(f"    {m.id}: {m.reached} of {m.needed}")
                for x in m.contacts:
                    click.echo(f"      {_contact_line(x)}")
        else:
            for x in w.contacts:
                click.echo(f"    {_contact_line(x)}")


def _contact_line(x: CountedContact) -> str:
    parts = [x.date.isoformat(), x.id, x.kind, x.reason]
    if x.via:
        parts.append("via " + ", ".join(x.via))
    if x.host:
        parts.append(f"host {x.host}")
    return "  ".join(parts) + (f"  {x.topic}" if x.topic else "")


@click.command()
@as_of_option()
@within_option
@click.option("--contacts", default=10, show_default=True, type=Count(0, 10_000),
              help="How many people to suggest contacting next.")
@format_option
@pass_context
def due(context: Context, as_of: str | None, within: str, contacts: int, fmt: str) -> None:
    """What needs action now, and whom to contact next.

    Lists the commitments whose current window is not met yet: overdue or behind, those
    whose work must start now (the window's last day less the lead time has come), and
    those whose start falls within --within days.
    """
    from ..coverage import due as compute

    day = as_of_day(as_of)
    result = compute(context.workspace, as_of=day, within_days=within_days(within),
                     contacts=contacts)
    items = [{"urgency": i.urgency, **_commitment_row(i.commitment), "start_by": i.start_by,
              "lead_time": i.lead_time} for i in result.items]
    people = [{"id": c.id, "name": c.name, "group": c.group, "value": round(c.value, 4),
               "reason": c.reason, "leader": c.leader, "window": c.window.value,
               "commitment": c.commitment, "count": c.count} for c in result.contacts]
    if fmt == "json":
        import json

        click.echo(json.dumps({"as_of": day.isoformat(), "within_days": result.within,
                               "commitments": items, "contacts": people},
                              ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        emit(items, ["urgency", "id", "title", "status", "expected", "actual", "start_by",
                     "due"], fmt)
        return
    click.echo(f"As of {day.isoformat()}, within {result.within} days:\n")
    emit(items, ["urgency", "id", "title", "expected", "actual", "start_by", "due",
                 "explanation"], fmt, headers={"start_by": "start by"},
         empty="Nothing needs action now.")
    if people:
        click.echo("\nContact next:")
        emit(people, ["id", "name", "group", "reason"], fmt)


COMMANDS = [leaders, coverage, due]


@click.command()
@period_option
@as_of_option()
@format_option
@pass_context
def risks(context: Context, period: str | None, as_of: str | None, fmt: str) -> None:
    """Where reach hangs by a thread: groups with no tie to the programme's people,
    groups reached through one person only, leaders nobody in the programme knows."""
    from ..risk import structural_risks

    day = as_of_day(as_of)
    found = structural_risks(context.workspace, period_or_year(period, day), as_of=day)
    rows = [{"kind": r.kind.value, "group": r.group, "subject": r.subject,
             "explanation": r.explanation} for r in found]
    emit(rows, ["kind", "group", "subject", "explanation"], fmt,
         empty="No structural risks found.")


COMMANDS.append(risks)
