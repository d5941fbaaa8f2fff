"""leaders, coverage, due and risks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

import interessent

from ..i18n import N_, Np_, gettext, kind_word, localized, ngettext, pgettext, status_word
from ._context import Context, pass_context
from ._language import headers
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
from ._output import echo, emit, machine

if TYPE_CHECKING:
    import datetime as dt

    from ..coverage import CommitmentExplanation, CommitmentStatus, CountedContact
    from ..periods import Period


@click.command(help=N_(
    "Rank the opinion leaders, overall or within a target group."))
@click.option("--group", "-g", help=N_("Rank within this target group."))
@click.option("--top", type=Count(1, 100_000), help=N_("How many (default: the plan's)."))
@click.option("--explain", is_flag=True, help=N_(
    "Say in words why each ranks where they do (the numbers are in JSON and CSV)."))
@as_of_option()
@format_option
@pass_context
def leaders(context: Context, group: str | None, top: int | None, explain: bool,
            as_of: str | None, fmt: str) -> None:
    ws = context.workspace
    with machine(fmt):
        ranked = interessent.rank_leaders(ws, group=group, top=top or ws.plan.leaders.top,
                                          as_of=as_of_day(as_of))
    rows = [s.to_dict(explanation=explain) for s in ranked]
    columns = ["rank", "id", "name", "score"]
    if explain and fmt == "table":  # words for people; the numbers stay in JSON and CSV
        reasons = interessent.leader_reasons(ws, ranked, group=group, as_of=as_of_day(as_of))
        rows = [{**r, "explanation": reasons[r["id"]]} for r in rows]
        columns = ["rank", "id", "name", "explanation"]
    elif explain:
        columns += [*ranked[0].components, "explanation"] if ranked else []
    emit(rows, columns, fmt, headers=headers(columns), empty=N_("no stakeholders to rank"))


#: The columns of a commitment's status in a table or CSV.
COMMITMENT_COLUMNS = ["id", "title", "status", "expected", "actual", "due", "explanation"]


def _worded(rows: list[dict[str, Any]], fmt: str, *keys: str) -> list[dict[str, Any]]:
    """``rows`` with the statuses under ``keys`` in words of the current language, for a
    table; JSON and CSV keep the English values."""
    if fmt != "table":
        return rows
    return [{**r, **{k: status_word(r[k]) for k in keys if r.get(k) is not None}}
            for r in rows]


def _emit_commitments(statuses: list[CommitmentStatus], fmt: str) -> None:
    rows = _worded([c.to_dict() for c in statuses], fmt, "status")
    emit(rows, COMMITMENT_COLUMNS, fmt, headers=headers(COMMITMENT_COLUMNS))


@click.command(help=N_(
    "How well each target group was reached, and how its commitments stand.\n\n"
    "Each commitment is judged on its own windows (a yearly one on the whole year), with\n"
    "the contacts up to --as-of; the period chooses which windows are shown."))
@period_option
@as_of_option()
@click.option("--group", "-g", "groups", multiple=True, help=N_("Only this group (repeatable)."))
@click.option("--commitment", "-c", "commitments", multiple=True, metavar="ID",
              help=N_("Only this commitment's status (repeatable)."))
@click.option("--explain", is_flag=True,
              help=N_("List each window with the contacts counted in it (and, per member, "
              "the contacts that reached them)."))
@format_option
@pass_context
def coverage(context: Context, period: str | None, as_of: str | None, groups: tuple[str, ...],
             commitments: tuple[str, ...], explain: bool, fmt: str) -> None:
    ws = context.workspace
    day = as_of_day(as_of)
    span = period_or_year(period, day)
    ids = list(commitments) or None
    if explain:
        with machine(fmt):
            explained = interessent.explain_commitments(ws, span, as_of=day, ids=ids)
        _show_explained(explained, span, day, fmt, ws.plan.all_interaction_kinds,
                        _names(context, explained) if fmt == "table" else {})
        return
    if commitments:
        with machine(fmt):
            checked = interessent.check_commitments(ws, span, as_of=day, ids=ids)
        _emit_commitments(checked, fmt)
        return
    with machine(fmt):
        result = interessent.measure_coverage(ws, span, as_of=day,
                                              groups=list(groups) or None)
    rows = [g.to_dict() for g in result]
    if fmt != "table":
        columns = ["key", "name", "score", "members", "reached_directly",
                   "reached_through_network", "direct_reach", "network_reach", "leaders",
                   "leaders_informed", "touchpoints", "acceptance", "stances_known",
                   "supporting"]
        emit(rows, columns, fmt)
        return
    click.echo(gettext("Coverage {period} as of {day}").format(period=span,
                                                               day=day.isoformat()) + "\n")
    named = _group_names(context)
    table = [
        {**r, "name": named.get(r["key"], localized(r["name"])),
         "direct": f"{r['direct_reach']:.0%}", "network": f"{r['network_reach']:.0%}",
         "reached": f"{r['reached_directly']}/{r['members']}",
         "leaders_": f"{r['leaders_informed']}/{r['leaders']}", "score_": f"{r['score']:.2f}"}
        for r in rows
    ]
    shown = ["key", "name", "reached", "direct", "network", "leaders_", "touchpoints", "score_"]
    if any(r["stances_known"] for r in rows):  # acceptance, once anyone's stance is known
        for row in table:
            row["acceptance"] = _acceptance(row)
        shown.insert(-1, "acceptance")
    emit(table, shown, fmt, headers=headers(shown, {"leaders_": "leaders", "score_": "score"}))
    seen: dict[str, CommitmentStatus] = {}
    for g in result:
        for c in g.commitments:
            seen.setdefault(c.id, c)
    if seen:
        click.echo("")
        _emit_commitments(list(seen.values()), fmt)


def _acceptance(row: Mapping[str, Any]) -> str:
    """A group's acceptance for people: «50 % (2/4)», or «–» when no member's stance is
    known."""
    if not row["stances_known"]:
        return "–"
    return gettext("{share} ({supporting}/{known})").format(
        share=f"{row['supporting'] / row['stances_known']:.0%}", supporting=row["supporting"],
        known=row["stances_known"])


def _names(context: Context, explained: list[CommitmentExplanation]) -> dict[str, str]:
    """The names of the hosts in ``explained``, by id: a table people read shows them
    (JSON and CSV keep the ids; members and the people a contact counted through keep
    theirs, the ids ``stakeholder show`` takes)."""
    ids = {x.host for e in explained for w in e.windows
           for x in (*w.contacts, *(y for m in w.members for y in m.contacts)) if x.host}
    found = context.workspace.store.stakeholders(ids=sorted(ids)) if ids else []
    return {s.id: s.name for s in found}


def _show_explained(explained: list[CommitmentExplanation], span: Period, day: dt.date,
                    fmt: str, kinds: Mapping[str, str],
                    names: Mapping[str, str] | None = None) -> None:
    """``coverage --explain``: each window with the contacts counted in it."""
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in explained], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit([row for e in explained for row in _explained_rows(e)], EXPLAIN_COLUMNS, fmt)
        return
    click.echo(gettext("Commitments {period} as of {day}").format(period=span,
                                                                  day=day.isoformat()))
    for e in explained:
        _echo_explained(e, kinds, names or {})


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


def _echo_explained(e: CommitmentExplanation, kinds: Mapping[str, str],
                    names: Mapping[str, str]) -> None:
    s = e.status
    of = gettext("{actual} of {expected}")
    done = of.format(actual=s.actual, expected=s.expected)
    if s.due:
        done = gettext("{done}, due {day}").format(done=done, day=s.due.isoformat())
    echo(f"\n{s.id}  {localized(s.title)}: {status_word(s.status.value)} ({done})")
    echo(gettext("  counts: {counts}").format(counts=e.counts))
    for tie, ok in e.ties:
        echo(f"  {tie}: " + (gettext("exists") if ok else gettext("missing")))
    for w in e.windows:
        r = w.result
        echo(f"  {r.period}  {pgettext('window', r.state.value)}  "
             + of.format(actual=r.actual, expected=r.expected)
             + (gettext("  (logged {logged})").format(logged=r.logged)
                if r.logged != r.actual else ""))
        if w.members:
            for m in w.members:
                echo(f"    {m.id}: " + of.format(actual=m.reached, expected=m.needed))
                for x in m.contacts:
                    echo(f"      {_contact_line(x, kinds, names)}")
        else:
            for x in w.contacts:
                echo(f"    {_contact_line(x, kinds, names)}")


def _contact_line(x: CountedContact, kinds: Mapping[str, str],
                  names: Mapping[str, str]) -> str:
    parts = [x.date.isoformat(), x.id, kind_word(x.kind, kinds), pgettext("counted", x.reason)]
    if x.via:
        parts.append(gettext("via {ids}").format(ids=", ".join(x.via)))
    if x.host:
        # the message's placeholder says id; people read the host's name there
        parts.append(gettext("host {id}").format(id=names.get(x.host, x.host)))
    return "  ".join(parts) + (f"  {x.topic}" if x.topic else "")


@click.command(help=N_(
    "What needs action now, and whom to contact next.\n\n"
    "Lists the commitments whose current window is not met yet: overdue or behind, those\n"
    "whose work must start now (the window's last day less the lead time has come), and\n"
    "those whose start falls within --within days."))
@as_of_option()
@within_option
@click.option("--contacts", default=10, show_default=True, type=Count(0, 10_000),
              help=N_("How many people to suggest contacting next."))
@format_option
@pass_context
def due(context: Context, as_of: str | None, within: str, contacts: int, fmt: str) -> None:
    day = as_of_day(as_of)
    with machine(fmt):
        result = interessent.due(context.workspace, as_of=day,
                                 within_days=within_days(within), contacts=contacts)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    items = [i.to_dict() for i in result.items]
    people = [c.to_dict() for c in result.contacts]
    if fmt == "csv":
        emit(items, ["urgency", "id", "title", "status", "expected", "actual", "start_by",
                     "due"], fmt)
        return
    click.echo(ngettext("As of {day}, within {days} day:", "As of {day}, within {days} days:",
                        result.within).format(day=day.isoformat(), days=result.within) + "\n")
    columns = ["urgency", "id", "title", "expected", "actual", "start_by", "due", "explanation"]
    emit(_worded(items, fmt, "urgency"), columns, fmt,
         headers=headers(columns, {"start_by": "start by"}),
         empty=N_("Nothing needs action now."))
    if people:
        named = _group_names(context)
        people = [{**p, "group": named.get(p["group"], p["group"])} for p in people]
        click.echo("\n" + gettext("Contact next:"))
        emit(people, ["id", "name", "group", "reason"], fmt,
             headers=headers(["id", "name", "group", "reason"]))
    if result.concerns:
        click.echo("\n" + gettext("Concerns raised by opinion leaders, still open:"))
        rows = [{**c.to_dict(), "leaders": ", ".join(
            dict(zip(c.concern.raised_by, c.concern.raised_by_names, strict=True)).get(i, i)
            for i in c.leaders)} for c in result.concerns]
        emit(rows, ["id", "raised_on", "title", "leaders"], fmt,
             headers=headers(["id", "raised_on", "title", "leaders"],
                             {"raised_on": "raised on", "leaders": "raised by"}))
    if result.tasks:
        click.echo("\n" + gettext("Open tasks:"))
        late = status_word("overdue")

        plan = context.workspace.plan
        rows = [{**t.to_dict(), "overdue": late if t.overdue(day) else "",
                 "owner": t.owner_in_words(plan),
                 "stakeholder": t.stakeholder_name or t.stakeholder}
                for t in result.tasks]
        emit(rows, ["id", "due", "overdue", "title", "owner", "stakeholder"], fmt,
             headers=headers(["id", "due", "overdue", "title", "owner", "stakeholder"]))


COMMANDS = [leaders, coverage, due]


@click.command(help=N_(
    "Where reach hangs by a thread: groups with no tie to the programme's people,\n"
    "groups reached through one person only, leaders nobody in the programme knows."))
@period_option
@as_of_option()
@format_option
@pass_context
def risks(context: Context, period: str | None, as_of: str | None, fmt: str) -> None:
    day = as_of_day(as_of)
    with machine(fmt):
        found = interessent.structural_risks(context.workspace, period_or_year(period, day),
                                             as_of=day)
    columns = ["kind", "group", "subject", "explanation"]
    rows = [r.to_dict() for r in found]
    if fmt == "table":
        named = _group_names(context)
        rows = [{**r, "kind": pgettext("risk", r["kind"]),
                 "group": named.get(r["group"], r["group"])} for r in rows]
    emit(rows, columns, fmt,
         headers=headers(columns), empty=N_("No structural risks found."))


COMMANDS.append(risks)

#: The states of a commitment's window (``coverage --explain``), and the kinds of
#: structural risk, in words; JSON and CSV keep the English values.
WORDS = (Np_("window", "met"), Np_("window", "missed"), Np_("window", "open"),
         Np_("window", "future"), Np_("risk", "no tie"), Np_("risk", "single person"),
         Np_("risk", "unknown leader"), Np_("counted", "tagged"), Np_("counted", "selector"),
         Np_("counted", "hosted"), Np_("counted", "not hosted"))


def _group_names(context: Context) -> dict[str, str]:
    """Each target group's name by key, for a table people read (JSON and CSV keep the
    key, which ``--group`` takes)."""
    return {g.key: localized(g.name) for g in context.workspace.plan.groups}
