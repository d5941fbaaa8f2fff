"""privacy: legal bases, access, erasure, restriction, retention and the audit log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

import interessent

from ..i18n import N_, Np_, gettext, ngettext, pgettext
from ._context import Context, pass_context
from ._language import headers
from ._options import Count, as_of_option, format_option
from ._output import echo, emit

if TYPE_CHECKING:
    from ..privacy import Erasure, ErasurePlan, FileTrace


@click.group(help=N_(
    "GDPR: legal bases and consent, access, erasure, restriction, retention, audit log.\n\n"
    "See docs/privacy.md for what each does to the register and why."))
def privacy() -> None:
    pass


@privacy.command("consent", help=N_(
    "Record the legal basis for holding stakeholder ID's data; it becomes the current one."))
@click.argument("id")
@click.option("--basis", required=True,
              help=N_("samtykke, avtale, rettslig forpliktelse, vitale interesser, offentlig "
              "myndighetsutøvelse or berettiget interesse (or consent … legitimate interest, "
              "or the letter a–f of GDPR art. 6(1))."))
@click.option("--source", required=True,
              help=N_('Where it came from, e.g. "påmeldingsskjema dialogmøte 2026".'))
@click.option("--given", metavar="DATE",
              help=N_("Given (or applying) from this day (default today)."))
@click.option("--expires", metavar="DATE", help=N_("Valid through this day."))
@pass_context
def consent(context: Context, id: str, basis: str, source: str, given: str | None,
            expires: str | None) -> None:
    c = interessent.record_consent(context.workspace, id, basis=basis, source=source,
                                   given=given, expires=expires)
    if c.expires:
        said = gettext("Recorded {basis} for {id}, from {given} through {expires}")
    else:
        said = gettext("Recorded {basis} for {id}, from {given}")
    echo(said.format(basis=c.basis, id=id, given=c.given.isoformat(),
                     expires=c.expires.isoformat() if c.expires else ""))


@privacy.command("withdraw", help=N_(
    "Withdraw stakeholder ID's current consent or legal basis (a withdrawn consent also\n"
    "opts them out of letters)."))
@click.argument("id")
@click.option("--date", "on", metavar="DATE", help=N_("Withdrawn on this day (default today)."))
@pass_context
def withdraw(context: Context, id: str, on: str | None) -> None:
    c = interessent.withdraw_consent(context.workspace, id, on=on)
    assert c.withdrawn is not None
    if c.basis == "samtykke":
        said = gettext("Withdrew {basis} of {id} on {day}; opted out of letters")
    else:
        said = gettext("Withdrew {basis} of {id} on {day}")
    echo(said.format(basis=c.basis, id=id, day=c.withdrawn.isoformat()))


@privacy.command("consents", help=N_(
    "List stakeholder ID's legal bases as recorded, newest (current) first."))
@click.argument("id")
@format_option
@pass_context
def consents_(context: Context, id: str, fmt: str) -> None:
    found = interessent.consents(context.workspace, id)
    emit([c.to_dict() for c in found],
         ["basis", "source", "given", "expires", "withdrawn", "current"], fmt,
         empty=gettext("no consent or legal basis recorded for {id}").format(id=id))


@privacy.command("export", help=N_(
    "Everything held about person ID, as JSON (a request for access, GDPR art. 15).\n\n"
    "Other people are not named: relationships to people and the other participants of an\n"
    "interaction are counted, not shown, and notes of shared interactions are withheld."))
@click.argument("id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("Write to this file instead of standard output."))
@pass_context
def export(context: Context, id: str, out: Path | None) -> None:
    from ..files import write_atomically

    def write(stream: TextIO, data: dict[str, Any]) -> None:
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.write("\n")

    if out is None:
        write(sys.stdout, interessent.export_person(context.workspace, id))
        return
    # The file is written before the export's audit entry commits: no file, no entry.
    interessent.export_person(context.workspace, id,
                  deliver=lambda data: write_atomically(out, lambda f: write(f, data)))
    echo(gettext("Wrote everything held about {id} to {out}").format(id=id, out=out),
         err=True)


def _erasure_line(e: Erasure) -> str:
    parts = [
        ngettext("{n} relationship removed", "{n} relationships removed",
                 e.relationships_removed).format(n=e.relationships_removed),
        ngettext("{n} participation kept", "{n} participations kept",
                 e.participations_kept).format(n=e.participations_kept),
        ngettext("{n} note cleared", "{n} notes cleared",
                 e.notes_cleared).format(n=e.notes_cleared),
        ngettext("{n} text scrubbed", "{n} texts scrubbed",
                 e.texts_scrubbed).format(n=e.texts_scrubbed),
        ngettext("{n} legal basis kept (dates only)", "{n} legal bases kept (dates only)",
                 e.consents_kept).format(n=e.consents_kept),
    ]
    if e.concerns_left or e.tasks_unlinked or e.stances_deleted or e.clearances_unlinked:
        parts += [
            ngettext("removed from {n} concern", "removed from {n} concerns",
                     e.concerns_left).format(n=e.concerns_left),
            ngettext("{n} task unlinked", "{n} tasks unlinked",
                     e.tasks_unlinked).format(n=e.tasks_unlinked),
            ngettext("{n} stance row deleted", "{n} stance rows deleted",
                     e.stances_deleted).format(n=e.stances_deleted),
            ngettext("{n} clearance unlinked", "{n} clearances unlinked",
                     e.clearances_unlinked).format(n=e.clearances_unlinked),
        ]
    return ", ".join(parts)


def _not_compacted(id: str, new_id: str) -> str:
    return gettext(
        "{id} is erased in the database (now {new_id}), but the database file could not be "
        "rebuilt: another process is using it, and the erased data may remain in the file's "
        "free space and write-ahead log until 'interessent privacy compact' succeeds").format(
        id=id, new_id=new_id)


#: The longest text the dry run shows whole.
_SHOWN = 300
#: Characters a terminal would act on or not show: control, format, surrogate, private,
#: unassigned, line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _quoted(text: str | None) -> str:
    """A stored text as a terminal may show it: quoted, control and format characters
    escaped (a name may hold an ESC sequence), a long text shortened."""
    if text is None:
        return gettext("(cleared)")
    return f"«{_escaped(text)}»"


def _escaped(text: str) -> str:
    import unicodedata

    shown = "".join(
        ch if unicodedata.category(ch) not in _HIDDEN
        else "\\n" if ch == "\n" else "\\t" if ch == "\t" else f"\\u{ord(ch):04x}"
        for ch in text)
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"


def _path(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


#: A file's kind (``FileTrace.kind``) in words.
_FILE_KINDS = {"list": N_("a list"), "letter": N_("a letter to them"), "report": N_("a report"),
               "database": N_("a database file"), "file": N_("a file")}
#: What ``--files`` would do to a file (``FileTrace.action``), in words.
_FILE_ACTIONS = {"remove rows": N_("--files removes their rows"),
                 "delete": N_("--files deletes it"),
                 "remake": N_("--files makes it again (or deletes it)"),
                 "none": N_("edit or delete it by hand")}


def _done(t: FileTrace) -> str:
    """What was done to a file (``FileTrace.done``) in words of the current language."""
    if t.done.startswith("removed "):
        return ngettext("removed {n} row", "removed {n} rows", len(t.rows)).format(
            n=len(t.rows))
    if t.done in ("deleted", "made again"):
        return {"deleted": gettext("deleted"), "made again": gettext("made again")}[t.done]
    return t.done


def _file_line(root: Path, t: FileTrace, *, plan: bool) -> str:
    parts = [gettext(_FILE_KINDS[t.kind]) if t.kind in _FILE_KINDS else t.kind]
    if t.rows:
        parts.append(gettext("their rows {rows}").format(rows=", ".join(t.rows)))
    if t.other_rows:
        parts.append(gettext("other rows naming them (kept): {rows}").format(
            rows=", ".join(t.other_rows)))
    if t.note:
        parts.append(t.note)
    if plan:
        parts.append(gettext(_FILE_ACTIONS[t.action]) if t.action in _FILE_ACTIONS
                     else t.action)
    else:
        if t.done:
            parts.append(_done(t))
        parts.append(gettext("still holds them") if t.holds
                     else gettext("no longer holds them"))
    return f"  {_escaped(_path(root, t.path))}: {'; '.join(parts)}"


#: The first words of a text's place (``TextChange.where``: ``record notes``,
#: ``interaction K2026-0004 topic``, ``audit entry #12 detail``) in words; the id and
#: the column after them stay as they are.
_PLACES = {"record": N_("record"), "interaction": N_("interaction"), "concern": N_("concern"),
           "task": N_("task"), "stakeholder": N_("stakeholder"),
           "audit entry": N_("audit entry"), "legal basis": N_("legal basis")}


def _where(where: str) -> str:
    """A text's place in words of the current language."""
    for head, word in _PLACES.items():
        if where.startswith(f"{head} "):
            return f"{gettext(word)}{where[len(head):]}"
    return where


def _show_plan(root: Path, p: ErasurePlan) -> None:
    click.echo(gettext("Erasing {id} ({name}) would make it {new_id}.").format(
        id=p.id, name=_escaped(p.name), new_id=p.new_id))
    click.echo(gettext("Looked for: {what}").format(
        what=", ".join(_escaped(x) for x in p.looked_for)
        or gettext("nothing: nothing identifies them distinctly")))
    for x in p.not_looked_for:
        click.echo(gettext("Not looked for: {what}").format(what=_escaped(x)))
    click.echo(gettext("{relationships}, {participations}, {consents}.").format(
        relationships=ngettext("{n} relationship removed", "{n} relationships removed",
                               p.relationships).format(n=p.relationships),
        participations=ngettext("{n} participation kept", "{n} participations kept",
                                p.participations).format(n=p.participations),
        consents=ngettext("{n} legal basis kept (dates only)",
                          "{n} legal bases kept (dates only)", p.consents).format(
            n=p.consents)))
    if p.concerns or p.tasks or p.stances or p.clearances:
        click.echo(gettext("{concerns}, {tasks}, {stances}, {clearances}.").format(
            concerns=ngettext("Removed from {n} concern they raised (the concern stays)",
                              "Removed from {n} concerns they raised (the concerns stay)",
                              p.concerns).format(n=p.concerns),
            tasks=ngettext("{n} task about them or theirs unlinked",
                           "{n} tasks about them or theirs unlinked", p.tasks).format(
                n=p.tasks),
            stances=ngettext("{n} stance row deleted", "{n} stance rows deleted",
                             p.stances).format(n=p.stances),
            clearances=ngettext("{n} clearance unlinked", "{n} clearances unlinked",
                                p.clearances).format(n=p.clearances)))
    click.echo(gettext("Texts that change ({count}):").format(count=len(p.changes)))
    for c in p.changes:
        click.echo(f"  {_where(c.where)}: {_quoted(c.before)} → {_quoted(c.after)}")
    if p.untouched:
        click.echo(gettext("Texts that name them but have no link to them, left as they are "
                           "({count}; edit them by hand if they must go):").format(
            count=len(p.untouched)))
        for m in p.untouched:
            click.echo(f"  {_where(m.where)}: {_quoted(m.text)}")
    if p.files:
        click.echo(gettext("Files in the workspace that hold them ({count}):").format(
            count=len(p.files)))
        for t in p.files:
            click.echo(_file_line(root, t, plan=True))
    else:
        click.echo(gettext("No file in the workspace holds them."))
    click.echo(gettext("Dry run: nothing was changed. Repeat with --yes to erase, and --files "
                       "to clean the files.") if p.files else
               gettext("Dry run: nothing was changed. Repeat with --yes to erase."))


def _show_erasure(root: Path, id: str, e: Erasure, files: bool) -> None:
    click.echo(gettext("Erased {id}: now {new_id}; {counts}").format(
        id=id, new_id=e.id, counts=_erasure_line(e)))
    if e.untouched:
        click.echo(gettext("Left as they are, no link to them (edit by hand if they must "
                           "go): {places}").format(
            places=", ".join(_where(w) for w in e.untouched)))
    shown = [t for t in e.files if files or t.holds]
    if shown:
        click.echo(gettext("Files in the workspace:") if files else gettext(
            "Files in the workspace that still hold them (--files cleans what it can):"))
        for t in shown:
            click.echo(_file_line(root, t, plan=False))


@privacy.command("erase", help=N_(
    "Erase person ID's personal data (GDPR art. 17); counts and an audit entry stay.\n\n"
    "The record is anonymised (Slettet person #N, id slettet-N), ties, roles and notes go,\n"
    "and their full name, id, e-mail and phone are removed from the texts linked to them\n"
    "(interactions they took part in). Texts with no link to them, and the workspace's\n"
    "files that hold them, are listed. Run with --dry-run first. Cannot be undone: needs\n"
    "--yes. A record that must be kept (archive duty) is restricted instead: `interessent\n"
    "privacy restrict ID`."))
@click.argument("id")
@click.option("--yes", "--confirm", "yes", is_flag=True,
              help=N_("Yes, erase: it cannot be undone."))
@click.option("--dry-run", is_flag=True,
              help=N_("Show what would change (each text, before and after, and the files "
              "that hold them) and change nothing."))
@click.option("--files", is_flag=True,
              help=N_("Also remove them from the workspace's files: their rows from CSV and "
              "XLSX lists, letters to them, reports that name them (made again)."))
@pass_context
def erase_(context: Context, id: str, yes: bool, dry_run: bool, files: bool) -> None:
    from ..errors import ErasureIncomplete, InvalidInput

    ws = context.workspace
    if dry_run:
        _show_plan(ws.root, interessent.plan_erasure(ws, id))
        return
    if not yes:
        raise InvalidInput(gettext(
            "erasing {id} cannot be undone; repeat with --yes to erase it (or 'privacy "
            "restrict' to keep the record but block its use)").format(id=id))
    try:
        done = interessent.erase(ws, id, files=files)
    except ErasureIncomplete as exc:
        _show_erasure(ws.root, id, exc.erasure, files)  # type: ignore[arg-type]
        raise InvalidInput(gettext("{error}; run 'interessent privacy compact' when there is "
                                   "room").format(error=exc)
                           if "compacted" in str(exc) else str(exc)) from None
    _show_erasure(ws.root, id, done, files)
    if not ws.db_url.startswith("sqlite"):
        click.echo(gettext("Note: the database server keeps old row versions until its "
                           "administrator runs VACUUM FULL (docs/privacy.md)"), err=True)
    elif not done.compacted:
        raise InvalidInput(_not_compacted(id, done.id))


@privacy.command("compact", help=N_(
    "Rebuild the SQLite database file so that nothing deleted survives in it.\n\n"
    "Erasing does this by itself; run it when an erasure warned that it could not (another\n"
    "process had the file open). PostgreSQL needs VACUUM FULL by its administrator."))
@pass_context
def compact_(context: Context) -> None:
    from ..errors import InvalidInput

    ws = context.workspace
    if not ws.db_url.startswith("sqlite"):
        raise InvalidInput(gettext("only a SQLite file is rebuilt here; on PostgreSQL the "
                                   "administrator runs VACUUM FULL (see docs/privacy.md)"))
    if not interessent.compact(ws):
        raise InvalidInput(gettext("the database file could not be rebuilt completely: "
                                   "another process is using it; try again when nobody else "
                                   "is working"))
    click.echo(gettext("Rebuilt the database file: no deleted data is left in it"))


@privacy.command("restrict", help=N_(
    "Restrict processing of ID's data (GDPR art. 18): kept, but skipped by drafting, left\n"
    "out of exports and kept by retention."))
@click.argument("id")
@pass_context
def restrict_(context: Context, id: str) -> None:
    changed = interessent.restrict(context.workspace, id)
    echo((gettext("{id} is now restricted") if changed
          else gettext("{id} was restricted already")).format(id=id))


@privacy.command("unrestrict", help=N_("Lift the restriction on ID (not of an erased record)."))
@click.argument("id")
@pass_context
def unrestrict_(context: Context, id: str) -> None:
    changed = interessent.unrestrict(context.workspace, id)
    echo((gettext("{id} is no longer restricted") if changed
          else gettext("{id} was not restricted")).format(id=id))


@privacy.command("opt-out", help=N_(
    "ID wants no more letters from the programme: drafting skips them."))
@click.argument("id")
@pass_context
def opt_out_(context: Context, id: str) -> None:
    changed = interessent.opt_out(context.workspace, id)
    echo((gettext("{id} has opted out of letters") if changed
          else gettext("{id} had opted out already")).format(id=id))


@privacy.command("opt-in", help=N_("Undo an opt-out of ID."))
@click.argument("id")
@pass_context
def opt_in_(context: Context, id: str) -> None:
    changed = interessent.opt_in(context.workspace, id)
    echo((gettext("{id} receives letters again") if changed
          else gettext("{id} had not opted out")).format(id=id))


@privacy.command("retention", help=N_(
    "List people past the plan's retention period (programme.retention_months); erase\n"
    "them with --confirm.\n\n"
    "Past the period: no interaction, registration or legal basis since the cut-off. Kept:\n"
    "restricted records, holders of a programme role, people with a valid consent."))
@click.option("--confirm", is_flag=True, help=N_("Erase them (default: only list them)."))
@as_of_option(N_("Count back from this day (default today)."))
@format_option
@pass_context
def retention_(context: Context, confirm: bool, as_of: str | None, fmt: str) -> None:
    from ..errors import ErasureIncomplete, InvalidInput

    ws = context.workspace
    try:
        report = interessent.retention(ws, as_of=as_of, confirm=confirm)
    except ErasureIncomplete as exc:
        raise InvalidInput(f"{exc}; run 'interessent privacy compact' when there is "
                           "room") from None
    kept = ", ".join(f"{n} {pgettext('kept', why)}" for why, n in report.kept.items() if n)
    head = ngettext("{count} past the retention period of {months} months "
                    "(no activity since {day})",
                    "{count} past the retention period of {months} months "
                    "(no activity since {day})", len(report.candidates)).format(
        count=len(report.candidates), months=report.months, day=report.cutoff.isoformat())
    if kept:
        head += gettext("; kept: {kept}").format(kept=kept)
    if not confirm:
        emit([c.to_dict() for c in report.candidates],
             ["id", "name", "last_activity", "last_interaction"], fmt,
             headers=headers(["id", "name", "last_activity", "last_interaction"],
                             {"last_activity": "last activity",
                              "last_interaction": "last interaction"}),
             empty=N_("nobody is past the retention period"))
        click.echo(head + (gettext("; dry run: repeat with --confirm to erase them")
                           if report.candidates else ""), err=True)
        return
    emit([e.to_dict() for e in report.erased],
         ["id", "relationships_removed", "participations_kept", "notes_cleared"], fmt,
         empty=N_("nobody is past the retention period; nothing erased"))
    click.echo(head + gettext("; erased {count}").format(count=len(report.erased)), err=True)
    if report.erased and ws.db_url.startswith("sqlite") and not report.compacted:
        raise InvalidInput(
            f"{len(report.erased)} people are erased in the database, but the database "
            "file could not be rebuilt: another process is using it, and the erased data "
            "may remain in the file's free space and write-ahead log until 'interessent "
            "privacy compact' succeeds")


@privacy.command("audit", help=N_(
    "The audit log: who changed what, when (people by key, never by name)."))
@click.option("--subject", metavar="ID", help=N_("Only entries about this stakeholder."))
@click.option("--action", help=N_("Only this action (import, add, edit, log, consent, erase …)."))
@click.option("--limit", type=Count(1, 1_000_000), help=N_("Only the newest N entries."))
@format_option
@pass_context
def audit(context: Context, subject: str | None, action: str | None, limit: int | None,
          fmt: str) -> None:
    entries = interessent.audit_log(context.workspace, subject=subject, action=action,
                                    limit=limit)
    rows = [e.to_dict() for e in entries]
    if fmt != "json":
        for row in rows:
            row["detail"] = ", ".join(f"{k}={_text(v)}" for k, v in row["detail"].items())
    # the action stays its key: --action takes it
    emit(rows, ["at", "actor", "action", "subject", "detail"], fmt,
         headers=headers(["at", "actor", "action", "subject", "detail"]),
         empty=N_("the audit log is empty") if not (subject or action)
         else N_("no entries match"))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "|".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


#: Why a person past the retention period is kept, and the audit log's and the
#: retention list's headers, in words; JSON and CSV keep the English keys.
WORDS = (Np_("kept", "restricted"), Np_("kept", "programme role"), Np_("kept", "consent"),
         Np_("column", "at"), Np_("column", "actor"), Np_("column", "action"),
         Np_("column", "detail"), Np_("column", "last activity"),
         Np_("column", "last interaction"))

COMMANDS = [privacy]
