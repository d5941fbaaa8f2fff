"""A drafting run, all or nothing: check the template, gather the data, render every
letter in memory, then write the files (and, with ``record``, log each letter as an
interaction in the same step). Also :func:`letter_context`, what a template sees."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from .._bulk import collector_paused
from ..bounds import cut
from ..errors import InvalidInput, NotFound, TemplateProblem
from ..followup.clearance import _record as _record_clearance
from ..followup.task import _notice_tasks
from ..i18n import gettext
from ..model import Interaction
from ..plan import ChannelKind
from ..policy import resolve_signer
from .gathering import _Run
from .letters import _Drafter, _Rendered
from .library import _FILE, FORMATS, MARKUPS, LetterFormat, _Library
from .markup import _combine
from .output import DRAFTS_DIR, _Publication, _publish, _sweep_drafts, _write_files, safe_filename
from .recipients import _choose, _skip_reason
from .results import DraftRun, Letter, Skipped

if TYPE_CHECKING:
    from ..followup import Clearance
    from ..model import Stakeholder
    from ..plan import Plan
    from ..policy import Signature
    from ..workspace import Workspace

__all__ = ["draft", "letter_context"]


def _default_topic(library: _Library, name: str) -> str | None:
    declared = {}
    for file in library.files:
        match = _FILE.match(file)
        if match and match.group("name") == name:
            topic = library.meta(file).get("topic")
            if topic:
                declared[file] = topic
    if len(set(declared.values())) > 1:
        listed = ", ".join(f"{f}: {t}" for f, t in sorted(declared.items()))
        raise TemplateProblem(f"the variants of template {name!r} declare different topics "
                              f"({listed}); declare the same topic in each", template=name)
    return next(iter(declared.values()), None)


def _check_serves(library: _Library, name: str, plan: Plan) -> None:
    known = {c.id for c in plan.commitments}
    for file in library.files:
        match = _FILE.match(file)
        if match and match.group("name") == name:
            unknown = [c for c in library.meta(file).get("serves", ()) if c not in known]
            if unknown:
                raise TemplateProblem(
                    f"template {file}: serves unknown commitment "
                    f"{', '.join(map(repr, unknown))} (the plan's: {', '.join(sorted(known))})",
                    template=file, field="serves")


#: The name a template given as a string drafts under: its letters' folder
#: (``utkast/source-<date>``) and the run's :attr:`DraftRun.template`.
SOURCE_NAME = "source"


def draft(
    ws: Workspace,
    template: str | None = None,
    *,
    source: str | None = None,
    groups: Sequence[str] = (),
    stakeholders: Sequence[str] = (),
    uncovered: bool = False,
    leaders: bool = False,
    fmt: LetterFormat = "md",
    out: Path | None = None,
    signer: str | None = None,
    topic: str | None = None,
    cleared_by: str | None = None,
    record: bool = False,
    combined: bool = False,
    as_of: dt.date | None = None,
    event: str | None = None,
    values: Mapping[str, str] | None = None,
    write: bool = True,
    record_as: Literal["interactions", "tasks"] = "interactions",
) -> DraftRun:
    """Draft one letter per recipient from ``template``, the name of a template of the
    workspace (see the module docstring), or from ``source``, a template given as a string
    (drafted under the name ``source``; it may extend and include the workspace's
    templates). Give exactly one of them. A template given as a string goes through the
    same sandbox, declarations (``topic``, ``serves``, ``subject``) and information
    responsibility as a file.

    Recipients are ``stakeholders`` plus the members of ``groups`` — only those not
    reached in the current window (``uncovered``, leaders first) or only the groups'
    opinion leaders (``leaders``). Recipients who opted out, whose data is restricted,
    who sign the letters, or who cannot receive ``fmt`` (no e-mail for ``eml``) are
    returned in ``skipped`` with the reason. ``topic`` (by default the one the template
    declares, else ``daily``), ``signer`` and ``cleared_by`` go through the plan's
    information responsibility (:func:`interessent.policy.resolve_signer`).

    Letters go to ``out`` (default ``<workspace>/utkast/<template>-<as_of>``), one file
    each or one file with all (``combined``). Nothing is written if any letter fails to
    render; with ``record`` each letter is logged as an interaction in the same step (with
    ``record_as="tasks"``, a follow-up task to inform its recipient is created instead,
    owned by the signer's role: see :func:`interessent.complete_task`). A clearance
    (``cleared_by``) is recorded with the letters written (:func:`interessent.clearances`).
    ``write=False`` renders without writing (``record`` is then ignored, and no clearance
    is recorded).
    """
    if record_as not in ("interactions", "tasks"):
        raise InvalidInput(f"record_as: interactions or tasks, not {record_as!r}",
                           field="record_as")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if combined and fmt == "eml":
        raise InvalidInput("a combined file is one file for printing: use md, txt, html or "
                           "docx, not eml", field="combined")
    if (template is None) == (source is None):
        raise InvalidInput("give a template's name or its source as a string, "
                           + ("not both" if source is not None else "one of them"),
                           field="template")
    if source is not None:
        if not isinstance(source, str):
            raise InvalidInput(f"a template's source is text, not {type(source).__name__}",
                               field="source")
        template = SOURCE_NAME
        library = _Library(ws, given={f"{SOURCE_NAME}.j2": source})
    else:
        assert template is not None
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", template):
            raise InvalidInput(f"not a template name: {template!r} (letters, digits, '_' "
                               "and '-')", field="template")
        library = _Library(ws)
    day = as_of or dt.date.today()
    plan = ws.plan
    library.require(template)
    if fmt != "docx" and not any(
            (m := _FILE.match(f)) and m.group("name") == template for f in library.files):
        raise TemplateProblem(f"template {template!r} has only a Word version; draft it as "
                              "docx", template=template)
    _check_serves(library, template, plan)
    chosen_topic = topic or _default_topic(library, template) or "daily"
    with collector_paused():
        return _draft(ws, library, template, day, groups=groups, stakeholders=stakeholders,
                      uncovered=uncovered, leaders=leaders, fmt=fmt, out=out, signer=signer,
                      topic=chosen_topic, cleared_by=cleared_by, record=record,
                      combined=combined, event=event, values=values, write=write,
                      record_as=record_as)


def _draft(ws: Workspace, library: _Library, template: str, day: dt.date, *,
           groups: Sequence[str], stakeholders: Sequence[str], uncovered: bool, leaders: bool,
           fmt: LetterFormat, out: Path | None, signer: str | None, topic: str,
           cleared_by: str | None, record: bool, combined: bool, event: str | None,
           values: Mapping[str, str] | None, write: bool,
           record_as: Literal["interactions", "tasks"] = "interactions") -> DraftRun:
    plan = ws.plan
    run = _Run(ws, day)
    signature = resolve_signer(plan, ws, topic=topic, signer_role=signer, cleared_by=cleared_by)
    registered = ws.store.registered_ids(stakeholders)  # ids in any case or Unicode form
    recipients = _choose(run, groups, [registered.get(i, i) for i in stakeholders],
                         uncovered, leaders)
    skipped: list[Skipped] = []
    ready: list[Stakeholder] = []
    for s in recipients:
        reason = _skip_reason(s, fmt, signature.stakeholder)
        if reason:
            skipped.append(Skipped(s.id, s.name, reason))
        else:
            ready.append(s)
    if not ready:
        detail = "".join(f"\n  {k.id} ({k.name}): {k.reason}" for k in skipped)
        raise InvalidInput(
            "no recipients: " + ("every one of them was skipped" + detail if skipped
                                 else "the selection is empty"))
    run.expect(ready)
    drafter = _Drafter(run, library, name=template, fmt=fmt, signature=signature,
                       combined=combined, event=event, values=values or {})
    rendered = [drafter.render(s) for s in ready]  # all of it before the first write
    # A workspace made from values has no folder: its letters go to ``out`` (rendered
    # only, they name where they would go below the current folder).
    home = ws.root if out is None and (write or ws.folder is not None) else Path()
    folder = out if out is not None else home / DRAFTS_DIR / f"{template}-{day.isoformat()}"

    def letters(paths: Sequence[Path | None]) -> tuple[Letter, ...]:
        return tuple(
            Letter(recipient=r.recipient.id, name=r.recipient.name, path=path,
                   content=r.content, subject=r.subject, language=r.language,
                   template=r.template, commitments=r.serves,
                   wanted_language=r.recipient.language.value)
            for r, path in zip(rendered, paths, strict=True))

    if not write:
        return DraftRun(template=template, format=fmt, out=folder,
                        letters=letters([None] * len(rendered)), skipped=tuple(skipped),
                        signature=signature, combined=combined)
    if combined:
        data = _combine(fmt, [r.content for r in rendered], rendered[0].subject,
                        rendered[0].language)
        items = [(safe_filename(template, fmt), data)]
    else:
        items = [(safe_filename(r.file_stem, r.ext), _bytes(r.content)) for r in rendered]
    if ws.folder is not None:
        _sweep_drafts(ws.root / DRAFTS_DIR)  # what runs killed half-way left
    if record or signature.cleared_by is not None:
        done = _write_and_record(ws, run, folder, items, rendered, signature, fmt,
                                 template=template, event=event,
                                 record=record_as if record else False)
    else:
        done = _Recorded(_write_files(folder, items))
    paths = done.paths
    return DraftRun(template=template, format=fmt, out=folder,
                    letters=letters(paths * len(rendered) if combined else paths),
                    skipped=tuple(skipped), signature=signature, files=tuple(paths),
                    recorded=done.interactions, combined=combined, tasks=done.tasks,
                    clearance=done.clearance, tasks_open=done.tasks_open)


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


@frozen
class _Recorded:
    """What writing a run's letters wrote: the files, and in the database the
    interactions logged, the tasks created and the clearance recorded."""

    paths: list[Path]
    interactions: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    clearance: Clearance | None = None
    tasks_open: tuple[str, ...] = ()


def _write_and_record(ws: Workspace, run: _Run, folder: Path, items: Sequence[tuple[str, bytes]],
                      rendered: Sequence[_Rendered], signature: Signature,
                      fmt: LetterFormat, *, template: str, event: str | None,
                      record: Literal["interactions", "tasks", False]) -> _Recorded:
    """Write the files and, in one transaction, log each letter as an interaction (or
    create a task to inform its recipient) and record the clearance: all or nothing."""
    plan = run.plan
    direct = sorted((c for c in plan.channels if c.kind is ChannelKind.DIRECT),
                    key=lambda c: c.priority)
    channel = direct[0].key if direct else None
    store = ws.store
    publication: _Publication | None = None
    logged: list[Interaction] = []
    tasks: list[str] = []
    still_open: list[str] = []
    try:
        with store.write() as session:
            if record == "interactions":
                first = store.next_interaction_id(run.as_of, session)  # this writer's
                prefix, _, number = first.rpartition("-")
                start = int(number)
                logged = [
                    Interaction(
                        id=f"{prefix}-{start + n:04d}", date=run.as_of,
                        kind="email" if fmt == "eml" else "letter", channel=channel,
                        participants=(r.recipient.id,), topic=r.subject,
                        commitments=r.serves, notes=signature.note,
                    )
                    for n, r in enumerate(rendered)
                ]
                store._save_interactions(session, logged)
            elif record == "tasks":
                store.take_turn(session, "tasks")
                pks = store.pk_map(session, [r.recipient.id for r in rendered])
                tasks, still_open = _notice_tasks(
                    store, session, owner_role=signature.role, due=run.as_of,
                    event=(event or template)[:100],
                    letters=[(pks[r.recipient.id], cut(r.subject or event or template, 1000),
                              r.serves[0] if r.serves else None) for r in rendered])
            clearance = _record_clearance(store, session, signature, template=template,
                                          letters=len(rendered))
            publication = _publish(folder, items)
    except BaseException:
        if publication is not None:
            publication.undo()
        raise
    # committed: a run killed between the commit and here loses its letters to the next
    # run's clean-up, though its interactions stay logged (a moment's window)
    publication.done()
    return _Recorded(publication.paths, tuple(i.id for i in logged), tuple(tasks), clearance,
                     tuple(still_open))


def letter_context(
    ws: Workspace,
    template: str,
    stakeholder: str,
    *,
    fmt: LetterFormat = "md",
    topic: str | None = None,
    signer: str | None = None,
    cleared_by: str | None = None,
    as_of: dt.date | None = None,
    event: str | None = None,
    values: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The variables ``template`` sees when drafted to ``stakeholder`` (what
    ``docs/drafting.md`` describes), for template authors and tests."""
    markup = fmt if fmt in MARKUPS else "txt"
    day = as_of or dt.date.today()
    library = _Library(ws)
    library.require(template)
    run = _Run(ws, day)
    stakeholder = ws.store.registered_ids([stakeholder]).get(stakeholder, stakeholder)
    if not run.load([stakeholder]):
        raise NotFound(gettext("no stakeholder with id {id!r}").format(id=stakeholder))
    signature = resolve_signer(ws.plan, ws,
                               topic=topic or _default_topic(library, template) or "daily",
                               signer_role=signer, cleared_by=cleared_by)
    drafter = _Drafter(run, library, name=template, fmt=fmt, signature=signature,
                       combined=False, event=event, values=values or {}, complete=True)
    person = run.people[stakeholder]
    file = drafter.variant(person.language.value, markup, strict=markup == "html")
    if file is None:
        raise NotFound(gettext("template {template!r} has no {markup} variant").format(
            template=template, markup=markup))
    context = drafter.context(person, file, markup)
    return {k: v for k, v in context.items() if k not in library.env.globals}
