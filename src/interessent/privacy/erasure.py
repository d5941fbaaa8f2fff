"""Erasure (GDPR art. 17): :func:`erase` anonymises a person in one transaction, keeps
the counts and scrubs them from the texts linked to them; :func:`plan_erasure` shows
first what it will change, in the database and in the workspace's files; :func:`compact`
rebuilds the SQLite file so no copy survives.

Which texts are linked to a person: their own record and its notes, the interactions
they took part in or hosted (topic and notes), the concerns they raised (title and
answer), the tasks about them or owned by them (title and event), the audit entries about
them and their consents' sources. Only those change, and in them only what identifies the
person (see :mod:`.mentions`). A text with no link to them that still names them is left
as it is and listed (:attr:`ErasurePlan.untouched`), for a person to judge.

Their links go: they are removed from the concerns they raised (a concern left with
nobody stays, anonymous), the tasks about them or owned by them lose that link, the
clearances they gave or signed lose their name, and their stance history is deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
from attrs import define, field, frozen

from ..errors import ErasureIncomplete, InvalidInput, StoreError
from ..i18n import N_, gettext
from ..periods import parse_date, parse_period
from ..report import ReportFormat, write_report
from ..rules import id_key
from ..store import (
    AUDIT,
    CLEARANCES,
    CONCERN_PEOPLE,
    CONCERNS,
    CONSENTS,
    INT,
    PART,
    REL,
    ROLES,
    ST,
    STANCES,
    TAGS,
    TASKS,
    Store,
    _chunks,
    _now,
)
from .copies import _REPORT, FileTrace, _clean_copies, _find_copies, _recheck, _Seeker, _Who
from .mentions import _email_key, _People, _phone_key, _sequence
from .records import _not_erased, _person_row

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

#: What an erased person's record is called: ``Slettet person #123``.
ERASED_NAME = "Slettet person #{pk}"
_ERASED_ID = "slettet-{pk}"
#: What replaces an erased person's name, id, e-mail or phone in the texts linked to them.
SCRUBBED = "[slettet]"


@frozen
class TextChange:
    """A text erasure changes (in a plan: would change)."""

    where: str
    """``record notes`` (the person's own), ``interaction K2026-0004 topic``, ``audit entry
    #12 detail``, ``legal basis #3 source``."""
    before: str
    after: str | None
    """The new text; None when the text is cleared."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``where``, ``before`` and ``after`` (None: cleared)."""
        return {"where": self.where, "before": self.before, "after": self.after}


@frozen
class Mention:
    """A text that names the person but has no link to them: erasure leaves it as it is
    (another person's notes, an interaction they did not take part in)."""

    where: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``where`` and ``text``."""
        return {"where": self.where, "text": self.text}


@frozen
class ErasurePlan:
    """What :func:`erase` would do to one person, from :func:`plan_erasure`: nothing of it
    is done yet."""

    pk: int
    id: str
    name: str
    new_id: str
    looked_for: tuple[str, ...]
    """What identifies them in texts and files (``full name «Kari Aune»``, ``e-mail …``)."""
    not_looked_for: tuple[str, ...]
    """What does not, and why: their address, a one-word name, an e-mail another
    stakeholder has too."""
    relationships: int
    """Relationships that are removed."""
    participations: int
    """Participations in interactions that are kept (under the anonymous record)."""
    consents: int
    """Legal-basis rows that are kept (their source cleared)."""
    changes: tuple[TextChange, ...]
    """Every text that changes: the record's fields, linked texts, consent sources."""
    untouched: tuple[Mention, ...]
    """Texts that name them but have no link to them: left as they are."""
    files: tuple[FileTrace, ...] = ()
    """Files in the workspace that hold them, and what ``files=True`` would do to each."""
    concerns: int = 0
    """Concerns they raised, that they are removed from (the concerns stay)."""
    tasks: int = 0
    """Tasks about them or owned by them, that lose the link (the tasks stay)."""
    stances: int = 0
    """Rows of their stance history, that are deleted."""
    clearances: int = 0
    """Clearances they gave or signed, that lose their name (roles and times stay)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: everything a dry run of the erasure shows (it names the person: it
        is their data, before it is erased)."""
        return {"id": self.id, "name": self.name, "new_id": self.new_id,
                "looked_for": list(self.looked_for),
                "not_looked_for": list(self.not_looked_for),
                "relationships": self.relationships, "participations": self.participations,
                "consents": self.consents, "concerns": self.concerns, "tasks": self.tasks,
                "stances": self.stances, "clearances": self.clearances,
                "changes": [c.to_dict() for c in self.changes],
                "untouched": [m.to_dict() for m in self.untouched],
                "files": [f.to_dict() for f in self.files]}


@frozen
class Erasure:
    """What :func:`erase` did to one person (no personal data: the person is gone)."""

    pk: int
    id: str
    """The record's new, non-personal id (``slettet-<pk>``)."""
    relationships_removed: int
    participations_kept: int
    notes_cleared: int
    texts_scrubbed: int
    consents_kept: int
    compacted: bool = False
    """Whether the SQLite file was rebuilt so no copy is left (see :meth:`Store.compact`)."""
    texts: tuple[str, ...] = ()
    """Where each text it changed is (:attr:`TextChange.where`)."""
    untouched: tuple[str, ...] = ()
    """Where each text is that names them but has no link to them (left as it was)."""
    files: tuple[FileTrace, ...] = ()
    """The workspace's files that held them: what was done to each, and whether it still
    holds them (:attr:`FileTrace.holds`)."""
    concerns_left: int = 0
    """Concerns they were removed from."""
    tasks_unlinked: int = 0
    """Tasks about them or owned by them that lost the link."""
    stances_deleted: int = 0
    clearances_unlinked: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``privacy retention --confirm``): the new id and the
        counts; no personal data."""
        return {"id": self.id, "relationships_removed": self.relationships_removed,
                "participations_kept": self.participations_kept,
                "notes_cleared": self.notes_cleared, "texts_scrubbed": self.texts_scrubbed,
                "concerns_left": self.concerns_left, "tasks_unlinked": self.tasks_unlinked,
                "stances_deleted": self.stances_deleted,
                "clearances_unlinked": self.clearances_unlinked}


@define
class _Target:
    """A person about to be erased, with what identifies them."""

    row: Any
    new_id: str
    texts: list[str] = field(factory=list)
    phone: str | None = None
    looked_for: list[str] = field(factory=list)
    not_looked_for: list[str] = field(factory=list)

    @property
    def pk(self) -> int:
        return int(self.row["pk"])

    @property
    def who(self) -> _Who:
        email = next((_email_key(t) for t in self.texts if _email_key(t)), None)
        return _Who(id=self.row["id"], texts=tuple(self.texts), email=email)


@define
class _Work:
    """What erasing some targets changes, found in one session."""

    updates: list[tuple[Table, str, int, str | None]] = field(factory=list)
    changes: dict[int, list[TextChange]] = field(factory=dict)
    untouched: dict[int, list[Mention]] = field(factory=dict)
    stats: dict[int, dict[str, int]] = field(factory=dict)


def plan_erasure(ws: Workspace, id: str, *, files: bool = True) -> ErasurePlan:
    """What :func:`erase` would do to person ``id``, changing nothing: each text it would
    change (before and after), the texts that name them but are left as they are, what
    identifies them and what does not, and (``files``) the workspace's files that hold
    them."""
    with ws.store.read() as s:
        row = _person_row(s, id)
        _check_erasable(row)
        [target], other_ids = _targets(s, [row])
        people = _people([target])
        work = _collect(s, [target], people)
    pk = target.pk
    stats = work.stats[pk]
    traces = (_find_copies(ws.root, _seeker([target], other_ids), _live_files(ws))
              if files and ws.folder is not None else [])  # from values: no files
    return ErasurePlan(
        pk=pk, id=row["id"], name=row["name"], new_id=target.new_id,
        looked_for=tuple(target.looked_for), not_looked_for=tuple(target.not_looked_for),
        relationships=stats["relationships_removed"],
        participations=stats["participations_kept"], consents=stats["consents_kept"],
        changes=tuple(work.changes[pk]), untouched=tuple(work.untouched[pk]),
        files=tuple(traces), concerns=stats["concerns_left"], tasks=stats["tasks_unlinked"],
        stances=stats["stances_deleted"], clearances=stats["clearances_unlinked"])


def erase(ws: Workspace, id: str, *, compact: bool = True, files: bool = False) -> Erasure:
    """Erase person ``id``'s personal data (GDPR art. 17), in one transaction.

    The record stays, anonymised, so that counts (participation in interactions, group
    membership, coverage) still add up: its name becomes ``Slettet person #<pk>``, its id
    ``slettet-<pk>`` (ids are made from names), contact data, notes, legal basis, roles,
    tags and organisation are cleared, and it is restricted and opted out. Its
    relationships are removed; its consent rows keep their basis and dates only. In the
    texts linked to them — interactions they took part in or hosted (the notes of one they
    were the only participant of are cleared), audit entries about them — their full name,
    id, e-mail and phone become ``[slettet]``; texts with no link to them are left as they
    are (:func:`plan_erasure` lists both first). One audit entry records the counts.

    Then (``compact``) the SQLite file is rebuilt, so no copy survives in free pages or
    the write-ahead log, and the workspace's files are searched for the person
    (:attr:`Erasure.files`); with ``files`` their rows are removed from CSV and XLSX lists,
    letters to them deleted and reports that name them made again.

    If the transaction fails, nothing is erased (a :class:`StoreError` says so). If what
    follows it fails — the file cannot be rebuilt (a full disk), a file cannot be changed
    — the rest still goes ahead and :class:`ErasureIncomplete` says what state the record
    and each file are in. A record that must be kept is :func:`restrict`-ed instead.
    """
    try:
        store = ws.store
        with store.write() as s:
            store.take_turn(s, "stakeholders")  # no edit writes to them while erased
            row = _person_row(s, id)
            _check_erasable(row)
            store.secure_delete(s)
            [target], other_ids = _targets(s, [row])
            [done] = _erase_targets(store, s, [target], "erase")
    except StoreError as exc:
        raise type(exc)(f"{id} was not erased, the register is as it was: {exc}") from None
    problems: list[str] = []
    compacted = False
    if compact:
        try:
            compacted = store.compact()
        except StoreError as exc:
            problems.append(f"the database file could not be rebuilt ({_reason(exc)}), so "
                            "the erased data may remain in it until it is compacted")
    seeker = _seeker([target], other_ids)
    traces: list[FileTrace] = []
    try:
        # a workspace made from values has no folder, so no files to search
        traces = _find_copies(ws.root, seeker, _live_files(ws)) if ws.folder else []
        if files:
            traces = _clean_copies(traces, seeker, _remaker(ws))
            traces = [_recheck(t, seeker) for t in traces]
    except Exception as exc:  # committed already: say what state it is in, not a traceback
        problems.append(f"the workspace's files could not be searched ({exc}): some may "
                        "still hold them")
    failed = [t for t in traces if t.note.startswith("could not be changed")]
    if failed:
        problems.append("; ".join(f"{_shown(ws, t.path)} {t.note}, it still holds them"
                                  for t in failed))
    done = attrs.evolve(done, compacted=compacted, files=tuple(traces))
    if problems:
        raise ErasureIncomplete(
            f"{id} is erased in the database (now {done.id}), but "
            + "; and ".join(problems), done)
    return done


def _with_compacted(e: Erasure, compacted: bool) -> Erasure:
    return attrs.evolve(e, compacted=compacted)


def _reason(exc: StoreError) -> str:
    return str(exc).replace(", nothing was written", "")


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return str(path)


def _live_files(ws: Workspace) -> frozenset[Path]:
    """The workspace's own SQLite database and its companions (never searched)."""
    from sqlalchemy.engine import make_url

    url = make_url(ws.db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return frozenset()
    db = Path(url.database).resolve()
    return frozenset(db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm",
                                                                   "-journal"))


def _remaker(ws: Workspace) -> Callable[[Path], None]:
    """Makes a report (``rapport-<period>-<day>.<format>``) again, for the same period and
    day."""
    def remake(path: Path) -> None:
        match = _REPORT.fullmatch(path.name)
        if match is None:
            raise InvalidInput(gettext("{name} is not named as interessent names reports").format(
                name=path.name))
        period = parse_period(match["period"].replace("--", ".."))
        fmt = cast(ReportFormat, path.suffix[1:])  # html, md or docx: the pattern says
        write_report(ws, period, as_of=parse_date(match["day"]), fmt=fmt, out=path)
    return remake


def _check_erasable(row: Any) -> None:
    if row["kind"] != "person":
        raise InvalidInput(gettext("{id} is an organisation, not a person; its data is not "
                                   "personal data (edit it, or erase its contact "
                                   "people)").format(id=row["id"]))
    _not_erased(row, gettext("erase them again"))


# --- who they are -------------------------------------------------------------------------


def _targets(s: Session, rows: Sequence[Any]) -> tuple[list[_Target], frozenset[str]]:
    """The people in ``rows`` with what identifies them: a full name or id of two or more
    words, an e-mail address, a phone number, each only if no other stakeholder has it
    too (it would not say whom a text means). Also the other stakeholders' ids."""
    from sqlalchemy import select

    pks = {r["pk"] for r in rows}
    sequences: dict[tuple[str, ...], str] = {}
    emails: dict[str, str] = {}
    phones: dict[str, str] = {}
    other_ids: set[str] = set()
    for o in s.execute(select(ST.c.pk, ST.c.id, ST.c.name, ST.c.email, ST.c.phone)
                       ).mappings():
        if o["pk"] in pks:
            continue
        other_ids.add(o["id"].casefold())
        for text in (o["name"], o["id"]):
            if (seq := _sequence(text)) is not None:
                sequences.setdefault(seq, o["id"])
        if (key := _email_key(o["email"])) is not None:
            emails.setdefault(key, o["id"])
        if (key := _phone_key(o["phone"])) is not None:
            phones.setdefault(key, o["id"])

    targets = []
    for r in rows:
        t = _Target(row=r, new_id=_new_id(s, r["pk"]))
        name_words = _sequence(r["name"])
        for label, value in (("full name", r["name"]), ("id", r["id"])):
            seq = _sequence(value)
            if label == "id" and seq is not None and seq == name_words:
                if r["name"] in t.texts:
                    t.texts.append(value)  # looked for as their name already
                continue
            shown = _what(label, value)
            if seq is None:
                t.not_looked_for.append(_why(shown, gettext("one word is not a person")))
            elif seq in sequences:
                t.not_looked_for.append(_why(shown, _too(sequences[seq])))
            else:
                t.texts.append(value)
                t.looked_for.append(shown)
        if r["email"]:
            key, shown = _email_key(r["email"]), _what("e-mail", r["email"])
            if key is None:
                t.not_looked_for.append(_why(shown, gettext("not an e-mail address")))
            elif key in emails:
                t.not_looked_for.append(_why(shown, _too(emails[key])))
            else:
                t.texts.append(r["email"])
                t.looked_for.append(shown)
        if r["phone"]:
            key, shown = _phone_key(r["phone"]), _what("phone", r["phone"])
            if key is None:
                t.not_looked_for.append(_why(shown, gettext("too few digits")))
            elif key in phones:
                t.not_looked_for.append(_why(shown, _too(phones[key])))
            else:
                t.phone = r["phone"]
                t.looked_for.append(shown)
        if r["address"]:
            t.not_looked_for.append(_why(_what("address", r["address"]),
                                         gettext("a place is not a person")))
        targets.append(t)
    return targets, frozenset(other_ids)


#: What may identify a person in texts (:attr:`ErasurePlan.looked_for`), in words.
_LABELS = {"full name": N_("full name"), "id": N_("id"), "e-mail": N_("e-mail"),
           "phone": N_("phone"), "address": N_("address")}


def _what(label: str, value: str) -> str:
    """``full name «Kari Aune»`` in the current language."""
    return gettext("{label} «{value}»").format(label=gettext(_LABELS[label]), value=value)


def _why(what: str, reason: str) -> str:
    """Why ``what`` is not looked for: ``phone «12»: too few digits``."""
    return gettext("{what}: {reason}").format(what=what, reason=reason)


def _too(other: str) -> str:
    return gettext("{other} has it too").format(other=other)


def _new_id(s: Session, pk: int) -> str:
    from sqlalchemy import select

    new_id = _ERASED_ID.format(pk=pk)
    taken = s.scalar(select(ST.c.pk).where(
        ((ST.c.id == new_id) | (ST.c.id_key == id_key(new_id))) & (ST.c.pk != pk)))
    return new_id if taken is None else f"{new_id}-{taken}"


def _people(targets: Sequence[_Target]) -> _People:
    return _People((t.pk, t.texts, t.phone) for t in targets)


def _seeker(targets: Sequence[_Target], other_ids: frozenset[str]) -> _Seeker:
    return _Seeker(_people(targets), [t.who for t in targets], other_ids)


# --- what changes -------------------------------------------------------------------------


def _collect(s: Session, targets: Sequence[_Target], people: _People) -> _Work:
    """Every change erasing ``targets`` makes, and every text that names them but has no
    link to them; nothing is written."""
    from sqlalchemy import func, select

    by_pk = {t.pk: t for t in targets}
    pks = list(by_pk)
    work = _Work()
    for pk in pks:
        work.changes[pk] = []
        work.untouched[pk] = []
        work.stats[pk] = {"relationships_removed": 0, "participations_kept": 0,
                          "notes_cleared": 0, "texts_scrubbed": 0, "consents_kept": 0,
                          "concerns_left": 0, "tasks_unlinked": 0, "stances_deleted": 0,
                          "clearances_unlinked": 0}
    linked: dict[int, set[int]] = {}  # interaction → targets who took part or hosted
    sole: dict[int, int] = {}  # interaction → its only participant, a target
    about: dict[int, int] = {}  # audit entry → the target it is about
    raised: dict[int, set[int]] = {}  # concern → targets who raised it
    tasked: dict[int, set[int]] = {}  # task → targets it is about or owned by
    for chunk in _chunks(pks, 400):
        for a, b in s.execute(select(REL.c.source_pk, REL.c.target_pk).where(
                REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk))):
            for end in {a, b} & set(chunk):
                work.stats[end]["relationships_removed"] += 1
        for ipk, pk in s.execute(select(PART.c.interaction_pk, PART.c.stakeholder_pk)
                                 .where(PART.c.stakeholder_pk.in_(chunk))):
            linked.setdefault(ipk, set()).add(pk)
            work.stats[pk]["participations_kept"] += 1
        for ipk, pk in s.execute(select(INT.c.pk, INT.c.host_pk)
                                 .where(INT.c.host_pk.in_(chunk))):
            linked.setdefault(ipk, set()).add(pk)
        alone = (select(PART.c.interaction_pk).group_by(PART.c.interaction_pk)
                 .having(func.count() == 1))
        for ipk, pk in s.execute(select(PART.c.interaction_pk, PART.c.stakeholder_pk)
                                 .where(PART.c.stakeholder_pk.in_(chunk)
                                        & PART.c.interaction_pk.in_(alone))):
            sole[ipk] = pk
        for apk, pk in s.execute(select(AUDIT.c.pk, AUDIT.c.subject_pk).where(
                (AUDIT.c.subject_kind == "stakeholder") & AUDIT.c.subject_pk.in_(chunk))):
            about[apk] = pk
        for cpk, pk in s.execute(select(CONCERN_PEOPLE.c.concern_pk,
                                        CONCERN_PEOPLE.c.stakeholder_pk)
                                 .where(CONCERN_PEOPLE.c.stakeholder_pk.in_(chunk))):
            raised.setdefault(cpk, set()).add(pk)
            work.stats[pk]["concerns_left"] += 1
        for tpk, owner, person in s.execute(
                select(TASKS.c.pk, TASKS.c.owner_pk, TASKS.c.stakeholder_pk)
                .where(TASKS.c.owner_pk.in_(chunk) | TASKS.c.stakeholder_pk.in_(chunk))):
            for pk in {owner, person} & set(chunk):
                tasked.setdefault(tpk, set()).add(pk)
                work.stats[pk]["tasks_unlinked"] += 1
        for (pk,) in s.execute(select(STANCES.c.stakeholder_pk)
                               .where(STANCES.c.stakeholder_pk.in_(chunk))):
            work.stats[pk]["stances_deleted"] += 1
        for signer, giver in s.execute(
                select(CLEARANCES.c.signer_pk, CLEARANCES.c.cleared_by_pk)
                .where(CLEARANCES.c.signer_pk.in_(chunk)
                       | CLEARANCES.c.cleared_by_pk.in_(chunk))):
            for pk in {signer, giver} & set(chunk):
                work.stats[pk]["clearances_unlinked"] += 1
        for r in s.execute(select(ST).where(ST.c.pk.in_(chunk))).mappings():
            _record_changes(s, work, by_pk[r["pk"]], r)
        for cpk, pk, source in s.execute(select(CONSENTS.c.pk, CONSENTS.c.stakeholder_pk,
                                                CONSENTS.c.source)
                                         .where(CONSENTS.c.stakeholder_pk.in_(chunk))
                                         .order_by(CONSENTS.c.pk)):
            work.stats[pk]["consents_kept"] += 1
            if source:
                _change(work, pk, CONSENTS, "source", cpk, f"legal basis #{cpk} source",
                        source, None)

    for ipk, iid, topic, notes in s.execute(
            select(INT.c.pk, INT.c.id, INT.c.topic, INT.c.notes).order_by(INT.c.pk)):
        owners = linked.get(ipk, set())
        for column, value in (("topic", topic), ("notes", notes)):
            where = f"interaction {iid} {column}"
            if value and column == "notes" and ipk in sole:
                _change(work, sole[ipk], INT, "notes", ipk, where, value, None)
                work.stats[sole[ipk]]["notes_cleared"] += 1
                continue
            _scrub(work, people, INT, column, ipk, where, value, owners)
    for cpk, cid, title, answer in s.execute(
            select(CONCERNS.c.pk, CONCERNS.c.id, CONCERNS.c.title, CONCERNS.c.answer)
            .order_by(CONCERNS.c.pk)):
        for column, value in (("title", title), ("answer", answer)):
            _scrub(work, people, CONCERNS, column, cpk, f"concern {cid} {column}", value,
                   raised.get(cpk, set()))
    for tpk, tid, title, event in s.execute(
            select(TASKS.c.pk, TASKS.c.id, TASKS.c.title, TASKS.c.event)
            .order_by(TASKS.c.pk)):
        for column, value in (("title", title), ("event", event)):
            _scrub(work, people, TASKS, column, tpk, f"task {tid} {column}", value,
                   tasked.get(tpk, set()))
    for spk, sid, notes in s.execute(select(ST.c.pk, ST.c.id, ST.c.notes)
                                     .where(ST.c.notes.is_not(None)).order_by(ST.c.pk)):
        if spk not in by_pk:
            _scrub(work, people, ST, "notes", spk, f"stakeholder {sid} notes", notes, set())
    for apk, ref, detail in s.execute(
            select(AUDIT.c.pk, AUDIT.c.subject_ref, AUDIT.c.detail).order_by(AUDIT.c.pk)):
        owners = {about[apk]} if apk in about else set()
        for column, value in (("subject_ref", ref), ("detail", detail)):
            _scrub(work, people, AUDIT, column, apk, f"audit entry #{apk} {column}", value,
                   owners)
    for cpk, pk, source in s.execute(select(CONSENTS.c.pk, CONSENTS.c.stakeholder_pk,
                                            CONSENTS.c.source)
                                     .where(CONSENTS.c.source.is_not(None))):
        if pk not in by_pk:
            _scrub(work, people, CONSENTS, "source", cpk, f"legal basis #{cpk} source",
                   source, set())
    return work


def _change(work: _Work, pk: int, table: Table, column: str, row: int, where: str,
            before: str, after: str | None) -> None:
    work.updates.append((table, column, row, after))
    work.changes[pk].append(TextChange(where=where, before=before, after=after))


def _scrub(work: _Work, people: _People, table: Table, column: str, row: int, where: str,
           value: str | None, owners: set[int]) -> None:
    """Scrub ``owners`` from a text linked to them; list it for the others it names."""
    if not value:
        return
    named = people.keys(value)
    if not named:
        return
    mine = named & owners
    if mine:
        new, _ = people.replace(value, SCRUBBED, only=mine)
        work.updates.append((table, column, row, new))
        for pk in sorted(mine):
            work.changes[pk].append(TextChange(where=where, before=value, after=new))
            work.stats[pk]["texts_scrubbed"] += 1
    for pk in sorted(named - owners):
        work.untouched[pk].append(Mention(where=where, text=value))


def _record_changes(s: Session, work: _Work, t: _Target, r: Any) -> None:
    """The person's own record: every field that identifies them or says something
    about them."""
    from sqlalchemy import select

    work.changes[t.pk] += [
        TextChange("record name", r["name"], ERASED_NAME.format(pk=t.pk)),
        TextChange("record id", r["id"], t.new_id),
    ]
    for column in ("first_name", "email", "phone", "address", "legal_basis", "notes"):
        if r[column]:
            work.changes[t.pk].append(TextChange(f"record {column}", r[column], None))
    if r["organisation_pk"] is not None:
        org = s.scalar(select(ST.c.id).where(ST.c.pk == r["organisation_pk"]))
        work.changes[t.pk].append(TextChange("record organisation", org or "", None))
    for table, label, column in ((ROLES, "roles", "role"), (TAGS, "tags", "tag")):
        values = sorted(s.scalars(select(table.c[column]).where(
            table.c.stakeholder_pk == t.pk)))
        if values:
            work.changes[t.pk].append(TextChange(f"record {label}", "|".join(values), None))


# --- doing it -----------------------------------------------------------------------------


def _erase_rows(store: Store, s: Session, rows: Sequence[Any], action: str) -> list[Erasure]:
    """Erase the given stakeholder rows (persons, not erased) in the caller's transaction;
    one audit entry each."""
    if not rows:
        return []
    targets, _ = _targets(s, rows)
    return _erase_targets(store, s, targets, action)


def _erase_targets(store: Store, s: Session, targets: Sequence[_Target],
                   action: str) -> list[Erasure]:
    from sqlalchemy import delete, update

    store.take_turn(s, "stakeholders")  # no edit writes to them while they are erased
    work = _collect(s, targets, _people(targets))
    pks = [t.pk for t in targets]
    for chunk in _chunks(pks, 400):
        s.execute(delete(REL).where(REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk)))
        for table in (ROLES, TAGS, CONCERN_PEOPLE, STANCES):
            s.execute(delete(table).where(table.c.stakeholder_pk.in_(chunk)))
        for table, column in ((TASKS, "owner_pk"), (TASKS, "stakeholder_pk"),
                              (CLEARANCES, "signer_pk"), (CLEARANCES, "cleared_by_pk")):
            s.execute(update(table).where(table.c[column].in_(chunk)).values({column: None}))
    for table, column, row, value in work.updates:
        s.execute(update(table).where(table.c.pk == row).values({column: value}))
    now = _now()
    for t in targets:
        s.execute(update(ST).where(ST.c.pk == t.pk).values(
            id=t.new_id, name=ERASED_NAME.format(pk=t.pk), email=None, phone=None,
            address=None, organisation_pk=None, legal_basis=None, notes=None, opted_out=True,
            first_name=None,
            restricted=True, erased_at=now, updated_at=now, id_key=id_key(t.new_id)))
    result = []
    for t in targets:
        n = work.stats[t.pk]
        store.audit(s, action, "stakeholder", t.pk, n)
        result.append(Erasure(
            pk=t.pk, id=t.new_id, relationships_removed=n["relationships_removed"],
            participations_kept=n["participations_kept"], notes_cleared=n["notes_cleared"],
            texts_scrubbed=n["texts_scrubbed"], consents_kept=n["consents_kept"],
            concerns_left=n["concerns_left"], tasks_unlinked=n["tasks_unlinked"],
            stances_deleted=n["stances_deleted"],
            clearances_unlinked=n["clearances_unlinked"],
            texts=tuple(c.where for c in work.changes[t.pk]),
            untouched=tuple(m.where for m in work.untouched[t.pk])))
    return result


def compact(ws: Workspace) -> bool:
    """Rebuild the workspace's SQLite file so nothing deleted or overwritten survives in it
    (what :func:`erase` does after each erasure); returns whether it completed (False on
    PostgreSQL, see docs/privacy.md, or while another process still reads the file)."""
    return ws.store.compact()


def is_erased(ws: Workspace, id: str) -> bool:
    """Whether stakeholder ``id`` is an erased person's anonymised record."""
    with ws.store.read() as s:
        return _person_row(s, id)["erased_at"] is not None
