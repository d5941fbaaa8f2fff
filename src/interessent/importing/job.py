"""The import job: every row of one table checked against the plan and the store, kind
by kind, and how the good rows are written.

:class:`_Job` gathers every problem of every row before anything is written; each of its
checks (``stakeholders``, ``relationships``, ``interactions``) returns a
:class:`_Checked`: the counts and the function that writes the rows. Here too: ids made
from names (:func:`_fresh_id`), organisations named by name, ``K2026-0001``-style ids
for interactions, and the duplicate policy.

Ids are chosen and checked in the transaction that writes them, after the store gave it
its turn (:meth:`interessent.store.Store.take_turn`), so two processes never choose the
same id. An id in a row finds a stored record when it equals that record's id but for
case or Unicode form (:func:`interessent.rules.id_key`); every cell is read in NFC.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..errors import RowProblem
from ..i18n import N_, every_text, gettext
from ..model import Interaction, Relationship
from ..rules import KindCategory, id_key, kind_categories, nfc
from ..store import (
    INT,
    PART,
    REL,
    ST,
    interaction_numbers,
    last_interaction_number,
    resolve_ids,
    stored_interactions,
)
from .columns import _name_key
from .tables import Table
from .values import (
    _Bad,
    _control_characters,
    _date,
    _language,
    _Lookup,
    _name,
    _optional,
    _optional_bool,
    _optional_date,
    _optional_id,
    _People,
    _required,
    _score,
    _sentiment,
    _stakeholder_kind,
    _strength,
    _tags,
    _text,
    slugify,
    unneutralise,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..plan import Plan
    from ..store import Store

Progress = Callable[[int, int], None]
Mode = Literal["import", "new", "edit"]


@attrs.define
class _Checked:
    """Rows ready to write, and how to write them."""

    added: int
    updated: int
    write: Callable[[Session], None]
    created: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    """The id of each row, as it is stored (stakeholders and interactions)."""
    ties: tuple[tuple[str, str, str], ...] = ()
    """The (source, target, kind) of each relationship row, by the ids as stored."""


@attrs.define
class _Job:
    """One import: the table, what its columns are, and every problem found so far."""

    table: Table
    cols: dict[str, int]
    labels: dict[str, str]
    plan: Plan
    store: Store
    source: str
    progress: Progress | None
    total: int
    mode: Mode = "import"
    """``import``: the duplicate policy. ``new`` (add, log): rows are new records, an id
    that exists is a problem, never an update, and an id made from a name is never a
    stored stakeholder's, whatever their name. ``edit``: rows change stored stakeholders,
    an id that does not exist (any more) is a problem, and an empty name keeps theirs."""

    @property
    def only_new(self) -> bool:
        return self.mode == "new"
    problems: list[RowProblem] = attrs.Factory(list)
    checked_columns: int = 0
    source_keys: Sequence[str | None] | None = None
    """Interactions: each row's hashed outside key (a calendar occurrence, a message), to
    store in ``interactions.source_key``; see :func:`.transaction.import_rows`."""

    def tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)

    def bad(self, row: int, column: str, message: str) -> None:
        label = self.labels.get(column, column)
        self.problems.append(RowProblem(row, f"{label}: {message}", column=label))

    def writing(self, done: int) -> None:
        self.tick(len(self.table) + done)

    def cells(self) -> dict[str, list[str]]:
        """Canonical column → its cells, trimmed, un-neutralised and in NFC, one per row."""
        table = self.table
        width = len(table.headers)
        rows = table.rows
        if any(len(r) != width for r in rows):
            fixed: list[list[str]] = []
            for number, raw in zip(table.row_numbers, rows, strict=True):
                n = len(raw)
                if n > width and any(c.strip() for c in raw[width:]):
                    self.problems.append(RowProblem(
                        number, f"{n} cells, but the header has only {width} columns"))
                fixed.append(raw if n == width else
                             raw[:width] if n > width else raw + [""] * (width - n))
            rows = fixed
        result: dict[str, list[str]] = {}
        for col, i in self.cols.items():
            values = list(map(str.strip, map(operator.itemgetter(i), rows)))
            if not "".join(values).isascii():  # NFC changes nothing in plain ASCII
                values = [v if v.isascii() else nfc(v) for v in values]
            if "\n'" in "\n" + "\n".join(values):  # any cell may start with an apostrophe
                values = [v if v[:1] != "'" else unneutralise(v) for v in values]
            result[col] = values
            for i, problem in _control_characters(col, values):
                self.bad(table.row_numbers[i], col, problem)
        return result

    def parse(self, col: str, values: list[str], parse: Callable[[str], Any]) -> list[Any]:
        """``parse`` applied to a column: once per distinct value, with every bad cell
        recorded by row (its value becomes None)."""
        found: dict[str, Any] = {}
        wrong: dict[str, str] = {}
        for value in set(values):
            try:
                found[value] = parse(value)
            except _Bad as exc:
                found[value] = None
                wrong[value] = str(exc)
        if wrong:
            for number, value in zip(self.table.row_numbers, values, strict=True):
                if value in wrong:
                    self.bad(number, col, wrong[value])
        self.checked_columns += 1
        self.tick(len(self.table) * self.checked_columns // max(len(self.cols), 1))
        return list(map(found.__getitem__, values))

    def column(self, cells: dict[str, list[str]], col: str, parse: Callable[[str], Any],
               default: Any = None) -> list[Any]:
        """A column parsed, or ``default`` for every row when the file lacks it."""
        if col in cells:
            return self.parse(col, cells[col], parse)
        return [default] * len(self.table)

    def repeated(self, col: str, keys: Sequence[Any], what: Callable[[Any], str],
                 noun: str) -> None:
        """Every row whose key another row has too is a problem naming all those rows."""
        present = [k for k in keys if k is not None]
        if len(set(present)) == len(present):
            return
        rows: dict[Any, list[int]] = {}
        for number, key in zip(self.table.row_numbers, keys, strict=True):
            if key is not None:
                rows.setdefault(key, []).append(number)
        for key, numbers in rows.items():
            if len(numbers) > 1:
                listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
                for number in numbers:
                    self.bad(number, col, f"{what(key)} is in rows {listed}; {noun} may appear "
                                          "only once in a file")

    # --- stakeholders ---------------------------------------------------------------------

    def stakeholders(self, s: Session) -> _Checked:
        plan = self.plan
        known, by_key = _known_people(s)
        roles = _Lookup("role", ((r.key, (*every_text(r.name), *r.aliases))
                                 for r in plan.roles))
        groups = _Lookup("target group", ((g.key, every_text(g.name)) for g in plan.groups))
        language = plan.programme.language
        cells = self.cells()

        # an id in the file finds the stored stakeholder in any case: it keeps its spelling
        given: list[str | None] = [
            None if i is None else i if i in known else by_key.get(id_key(i), i)
            for i in self.column(cells, "id", _optional_id)]
        if self.mode == "edit":  # what is stored now, read in this transaction
            for number, id_ in zip(self.table.row_numbers, given, strict=True):
                if id_ not in known:
                    self.bad(number, "id", f"no stakeholder with id {id_!r}")
            cells["name"] = [n or known.get(i or "", ("",))[0]
                             for n, i in zip(cells["name"], given, strict=True)]
        fields: dict[str, list[Any]] = {"name": self.parse("name", cells["name"], _name)}
        if "kind" in cells:
            fields["kind"] = self.parse("kind", cells["kind"], _stakeholder_kind)
        for col, limit in (("first_name", 300), ("email", 320), ("phone", 50), ("address", None),
                           ("legal_basis", 200), ("notes", None)):
            if col not in cells:
                continue
            if limit is None or max(map(len, cells[col])) <= limit:  # plain text, no checks
                fields[col] = [v or None for v in cells[col]]
            else:
                fields[col] = self.parse(col, cells[col], functools.partial(_text, limit=limit))
        for col, parse in (("roles", roles.many), ("groups", groups.many), ("tags", _tags),
                           ("influence", _score), ("interest", _score)):
            if col in cells:
                fields[col] = self.parse(col, cells[col], parse)
        if "language" in cells:
            fields["language"] = self.parse(
                "language", cells["language"], functools.partial(_language, default=language))

        # ids: the file's own first, then those made from names
        self._repeated_ids(given)
        if self.only_new:
            for number, id_ in zip(self.table.row_numbers, given, strict=True):
                if id_ is not None and id_ in known:
                    self.bad(number, "id", gettext(
                        "a stakeholder with id {id} already exists; edit it instead").format(
                            id=repr(id_)))
        taken = {id_key(i) for i in given if i is not None}
        ids: list[str] = []
        for id_, name in zip(given, fields["name"], strict=True):
            if id_ is None:
                id_ = _fresh_id(name or "", taken, known, by_key, same_name=not self.only_new)
                taken.add(id_key(id_))
            ids.append(id_)

        created: dict[str, dict[str, Any]] = {}
        if "organisation" in cells:
            kinds = fields.get("kind") or [known.get(i, ("", "person"))[1] for i in ids]
            fields["organisation"] = self._organisations(
                cells["organisation"], ids, fields["name"], kinds, known, by_key, taken,
                created, language)

        if self.problems:
            return _Checked(0, 0, lambda s: None)
        columns = list(fields)
        records = [dict(zip(columns, values, strict=False))  # equal lengths, by construction
                   for values in zip(*fields.values(), strict=False)]
        added = 0
        for id_, rec in zip(ids, records, strict=True):
            rec["id"] = id_
            if id_ not in known:
                added += 1
                rec.setdefault("kind", "person")
                rec.setdefault("language", language)

        def write(s: Session) -> None:
            # One batch: the store links organisations across it, so a row may name an
            # organisation made from a name or listed further down.
            self.store._save_stakeholders(s, [*created.values(), *records], columns=columns)
            self.writing(len(records))

        return _Checked(added, len(records) - added, write,
                        tuple(r["id"] for r in created.values()), tuple(ids))

    def _repeated_ids(self, ids: Sequence[str | None]) -> None:
        """The same id twice in a file, also in another case or Unicode form, is a problem
        on each of its rows."""
        keys = [None if i is None else id_key(i) for i in ids]
        spellings: dict[str, list[str]] = {}
        for key, id_ in zip(keys, ids, strict=True):
            if key is not None and id_ is not None and id_ not in spellings.get(key, []):
                spellings.setdefault(key, []).append(id_)
        self.repeated("id", keys, lambda key: " = ".join(map(repr, spellings[key])),
                      "an id")

    def _organisations(
        self,
        values: list[str],
        ids: list[str],
        names: list[str | None],
        kinds: list[str | None],
        known: dict[str, tuple[str, str]],
        by_key: dict[str, str],
        taken: set[str],
        created: dict[str, dict[str, Any]],
        language: str,
    ) -> list[str | None]:
        """The ``organisation`` column as ids: a stakeholder's id (in any case), else the
        name of exactly one organisation (in the store or the file), else a new
        organisation. ``taken`` holds the keys of the file's ids."""
        org_names = {i: _name_key(n) for i, (n, k) in known.items() if k == "organisation"}
        for id_, name, kind in zip(ids, names, kinds, strict=True):
            if kind == "organisation" and name:
                org_names[id_] = _name_key(name)
            else:
                org_names.pop(id_, None)
        by_name: dict[str, list[str]] = {}
        for id_, key in org_names.items():
            by_name.setdefault(key, []).append(id_)
        everyone = {**by_key, **{id_key(i): i for i in ids}}
        result: list[str | None] = []
        for number, id_, org in zip(self.table.row_numbers, ids, values, strict=True):
            if not org:
                result.append(None)
            elif org in known or id_key(org) in everyone:
                hit = org if org in known else everyone[id_key(org)]
                if hit == id_:
                    self.bad(number, "organisation", "a stakeholder cannot be its own "
                                                     "organisation")
                result.append(hit)
            elif len(found := by_name.get(_name_key(org), [])) == 1:
                result.append(found[0])
            elif found:
                listed = ", ".join(sorted(found)[:5])
                self.bad(number, "organisation", f"{org!r} is the name of {len(found)} "
                                                 f"organisations ({listed}); use the id")
                result.append(None)
            elif len(org) > 300:
                self.bad(number, "organisation", "longer than 300 characters")
                result.append(None)
            else:
                made = created.get(_name_key(org))
                if made is None:
                    new_id = _fresh_id(org, set(everyone) | taken, known, by_key,
                                       same_name=False)
                    everyone[id_key(new_id)] = new_id
                    made = created[_name_key(org)] = {
                        "id": new_id, "name": org, "kind": "organisation", "language": language}
                result.append(made["id"])
        return result

    # --- relationships --------------------------------------------------------------------

    def relationships(self, s: Session) -> _Checked:
        all_kinds = self.plan.all_relationship_kinds
        kinds = _Lookup("relationship kind", ((k.key, (k.name,)) for k in all_kinds.values()))
        people = _People(*_known_people(s))
        cells = self.cells()
        sources = self.parse("source", cells["source"], _required(people, "name a stakeholder"))
        targets = self.parse("target", cells["target"], _required(people, "name a stakeholder"))
        kind = self.parse("kind", cells["kind"], _required(kinds, "name a relationship kind"))
        strength = self.column(cells, "strength", _strength, 1.0)
        directed = self.column(cells, "directed", _optional_bool)
        starts = self.column(cells, "start", _optional_date)
        ends = self.column(cells, "end", _optional_date)
        existing = _stored_ties(s)
        rels: list[Relationship] = []
        for number, a, b, k, weight, way, start, end in zip(
            self.table.row_numbers, sources, targets, kind, strength, directed, starts, ends,
            strict=True,
        ):
            old = existing.get((a, b, k))
            if old is None and self.mode != "import" and _mutual(existing.get((b, a, k))):
                old = existing[(b, a, k)]  # a mutual tie named from its other end
                a, b = b, a
            if self.mode == "edit" and a and b and k:
                if old is None:
                    self.bad(number, "kind", f"no {k} relationship {a} → {b}")
                    continue
                # what the row does not name keeps its stored value
                weight = weight if "strength" in cells else old[0]
                way = way if "directed" in cells else old[1]
                start = start if "start" in cells else old[2]
                end = end if "end" in cells else old[3]
            elif self.only_new and old is not None:
                self.bad(number, "kind", gettext(
                    "the {kind} relationship {source} → {target} already exists; edit it "
                    "instead").format(kind=k, source=a, target=b))
                continue
            if a is not None and a == b:
                self.bad(number, "target", "a stakeholder cannot be related to itself")
            elif start is not None and end is not None and end < start:
                self.bad(number, "end", f"{end} comes before the start {start}")
            elif a is not None and b is not None and k is not None and weight is not None:
                rels.append(Relationship(
                    source=a, target=b, kind=k, strength=weight, start=start, end=end,
                    directed=all_kinds[k].directed if way is None else way))
        ties = [(a, b, k) if a and b and k else None
                for a, b, k in zip(sources, targets, kind, strict=True)]
        self.repeated("kind", ties,
                      lambda key: f"the {key[2]} relationship {key[0]} → {key[1]}",
                      "a relationship")
        if self.problems:
            return _Checked(0, 0, lambda s: None)
        updated = sum(1 for r in rels if r.key in existing)

        def write(s: Session) -> None:
            self.store._save_relationships(s, rels)  # one batch: it reads all existing ties
            self.writing(len(rels))

        return _Checked(len(rels) - updated, updated, write, ties=tuple(r.key for r in rels))

    # --- interactions ---------------------------------------------------------------------

    def interactions(self, s: Session) -> _Checked:
        plan = self.plan
        aliases = {k.key: k.aliases for k in plan.interaction_kinds}
        kinds = _Lookup("interaction kind", ((key, (name, *aliases.get(key, ())))
                                             for key, name in plan.all_interaction_kinds.items()))
        channels = _Lookup("channel", ((c.key, every_text(c.name)) for c in plan.channels))
        groups = _Lookup("target group", ((g.key, every_text(g.name)) for g in plan.groups))
        commitments = _Lookup("commitment", ((c.id, ()) for c in plan.commitments))
        messages = _Lookup("key message", ((m.key, every_text(m.text)) for m in plan.messages))
        people = _People(*_known_people(s))
        cells = self.cells()
        written = self.column(cells, "id", _optional_id)
        # an id in the file finds the stored interaction in any case: it keeps its spelling
        stored = resolve_ids(s, INT, [i for i in written if i is not None])
        given: list[str | None] = [None if i is None else stored[i][1] if i in stored else i
                                   for i in written]
        before: dict[str, Interaction] = {}
        if self.mode == "edit":
            before = self._stored_interactions(s, cells, given, [f[1] for f in stored.values()])
        fields: dict[str, list[Any]] = {
            "date": self.parse("date", cells["date"], _required(_date, "every interaction has "
                                                                       "a date")),
            "kind": self.parse("kind", cells["kind"], _required(kinds, "name an interaction "
                                                                       "kind")),
            "channel": self.column(cells, "channel", _optional(channels)),
            "participants": self.column(cells, "participants", people.many, ()),
            "groups": self.column(cells, "groups", groups.many, ()),
            "topic": self.column(cells, "topic", _text),
            "commitments": self.column(cells, "commitments", commitments.many, ()),
            "host": self.column(cells, "host", _optional(people)),
            "success": self.column(cells, "success", _optional_bool),
            "notes": self.column(cells, "notes", _text),
            "sentiment": self.column(cells, "sentiment", _sentiment),
            "outlet": self.column(cells, "outlet", _optional(people)),
            "tone": self.column(cells, "tone", _sentiment),
            "story": self.column(cells, "story", _optional_id),
            "messages": self.column(cells, "messages", messages.many, ()),
        }
        if self.mode == "edit":  # what the row does not name keeps its stored value
            for col, parsed in fields.items():
                if col not in cells:
                    fields[col] = [getattr(before[i], col) if i in before else v
                                   for i, v in zip(given, parsed, strict=True)]
            for number, people, audience in zip(self.table.row_numbers, fields["participants"],
                                                fields["groups"], strict=True):
                if not people and not audience:
                    self.bad(number, "participants", "it would reach nobody: keep a "
                                                     "participant or an audience group")
        self._media(s, fields, given, checked="story" in cells)
        self._repeated_ids(given)
        if self.only_new:
            for number, id_ in zip(self.table.row_numbers, written, strict=True):
                if id_ is not None and id_ in stored:
                    self.bad(number, "id", f"an interaction with id {stored[id_][1]!r} "
                                           "already exists")
        if self.problems:
            return _Checked(0, 0, lambda s: None)

        # rows without an id: the next K<year>-<nnnn> after the store's and the file's
        last: dict[int, int] = {}
        for year in sorted({d.year for i, d in zip(given, fields["date"], strict=True)
                            if i is None}):
            in_file = interaction_numbers(year, (g for g in given if g))
            last[year] = max(last_interaction_number(s, year), *in_file, 0)
        items: list[Interaction] = []
        columns = list(fields)
        for id_, values in zip(given, zip(*fields.values(), strict=True), strict=True):
            rec = dict(zip(columns, values, strict=True))
            if id_ is None:
                year = rec["date"].year
                last[year] += 1
                id_ = f"K{year}-{last[year]:04d}"
            rec["success"] = bool(rec["success"])
            items.append(Interaction(id=id_, **rec))
        existing = len(stored)
        items = _keeping_restricted(s, items, {found[1] for found in stored.values()})

        def write(s: Session) -> None:
            self.store._save_interactions(s, items, self.source_keys)
            self.writing(len(items))

        return _Checked(len(items) - existing, existing, write, ids=tuple(i.id for i in items))

    def _media(self, s: Session, fields: dict[str, list[Any]], given: list[str | None],
               *, checked: bool) -> None:
        """What only the media publish (an outlet, a tone, a story, key messages) belongs
        to a broadcast kind (an article, a post …), and the story an article tells must be
        a success story: a stored one, or one of these rows (which replace stored ones).
        The story is ``checked`` where the rows name it; an edit that does not keeps the
        story it had (checked when it was set)."""
        media = ("outlet", "tone", "story", "messages")
        rows = zip(self.table.row_numbers, given, fields["kind"], fields["story"],
                   *(fields[col] for col in media), strict=True)
        told: list[tuple[int, str | None, str]] = []
        for number, id_, kind, story, *values in rows:
            named = [col for col, value in zip(media, values, strict=True) if value]
            if kind and named and KindCategory.BROADCAST not in kind_categories(kind, self.plan):
                self.bad(number, named[0], gettext(
                    "only what the media published (a broadcast kind such as article, post "
                    "or web) has an outlet, a tone, a story or key messages; {kind} is not "
                    "one").format(kind=kind))
            if story and checked:
                told.append((number, id_, story))
        if not told:
            return
        from sqlalchemy import select

        in_file = {id_key(i): bool(ok) for i, ok in zip(given, fields["success"], strict=True)
                   if i}
        stored = resolve_ids(s, INT, [story for _, _, story in told])
        success = {pk: ok for pk, ok in s.execute(select(INT.c.pk, INT.c.success).where(
            INT.c.pk.in_([pk for pk, _ in stored.values()])))} if stored else {}
        for number, id_, story in told:
            key = id_key(story)
            if id_ is not None and id_key(id_) == key:
                self.bad(number, "story", gettext("an article cannot tell itself as its story"))
            elif key in in_file:
                if not in_file[key]:
                    self.bad(number, "story", gettext(_NOT_A_STORY).format(id=repr(story)))
            elif story not in stored:
                self.bad(number, "story", gettext("no interaction with id {id!r}").format(
                    id=story))
            elif not success[stored[story][0]]:
                self.bad(number, "story", gettext(_NOT_A_STORY).format(id=repr(stored[story][1])))
        fixed = {story: stored[story][1] for _, _, story in told
                 if story in stored and id_key(story) not in in_file}
        fields["story"] = [fixed.get(v, v) if v else v for v in fields["story"]]

    def _stored_interactions(self, s: Session, cells: dict[str, list[str]],
                             given: list[str | None], ids: list[str]) -> dict[str, Interaction]:
        """Edit: the stored interactions the rows name, read in this transaction; a row
        naming none is a problem, and an empty date or kind keeps the stored one."""
        before = {i.id: i for i in stored_interactions(s, ids=ids)} if ids else {}
        for number, id_ in zip(self.table.row_numbers, given, strict=True):
            if id_ not in before:
                self.bad(number, "id", f"no interaction with id {id_!r}")
        kept = {i: (old.date.isoformat(), old.kind) for i, old in before.items()}
        for n, col in enumerate(("date", "kind")):
            if col in cells:
                cells[col] = [v or (kept[i][n] if i in kept else "")
                              for v, i in zip(cells[col], given, strict=True)]
        return before


#: Why an article cannot tell an interaction as its story.
_NOT_A_STORY = N_("{id} is not a success story (its success is not set); an article tells "
                  "a success story")


_Stored = tuple[float, bool, Any, Any]
"""A stored tie's strength, directedness, start and end."""


def _mutual(tie: _Stored | None) -> bool:
    return tie is not None and not tie[1]


def _stored_ties(s: Session) -> dict[tuple[str, str, str], _Stored]:
    """Every stored tie by (source id, target id, kind)."""
    from sqlalchemy import select

    src, dst = ST.alias("src"), ST.alias("dst")
    return {(a, b, k): (w, bool(d), start, end)
            for a, b, k, w, d, start, end in s.execute(
                select(src.c.id, dst.c.id, REL.c.kind, REL.c.strength, REL.c.directed,
                       REL.c.start, REL.c.end)
                .join(src, src.c.pk == REL.c.source_pk).join(dst, dst.c.pk == REL.c.target_pk))}


def _keeping_restricted(s: Session, items: list[Interaction],
                        existing: set[str]) -> list[Interaction]:
    """``items`` with the restricted participants and host of the interactions they
    replace kept: exports leave restricted people out (GDPR art. 18), so a file exported
    and imported again must not lose their participation."""
    from sqlalchemy import select

    kept: dict[str, tuple[set[str], str | None]] = {}
    for chunk in _chunks(sorted(existing), 500):
        for iid, who in s.execute(
                select(INT.c.id, ST.c.id).join(PART, PART.c.interaction_pk == INT.c.pk)
                .join(ST, ST.c.pk == PART.c.stakeholder_pk)
                .where(INT.c.id.in_(chunk) & ST.c.restricted.is_(True))):
            kept.setdefault(iid, (set(), None))[0].add(who)
        for iid, host in s.execute(
                select(INT.c.id, ST.c.id).join(ST, ST.c.pk == INT.c.host_pk)
                .where(INT.c.id.in_(chunk) & ST.c.restricted.is_(True))):
            kept[iid] = (kept.get(iid, (set(), None))[0], host)
    if not kept:
        return items
    return [attrs.evolve(i, participants=(*i.participants, *sorted(
                kept[i.id][0] - set(i.participants))),
            host=i.host or kept[i.id][1]) if i.id in kept else i for i in items]


def _fresh_id(name: str, taken: set[str], known: dict[str, tuple[str, str]],
              by_key: dict[str, str], *, same_name: bool) -> str:
    """The id made from ``name``, or with ``-2``, ``-3`` … the first one free: not among
    the ``taken`` keys of the file's ids, and no stored stakeholder's id in any case. With
    ``same_name`` a stored stakeholder with that id and name is free (it is them), and
    their id is returned as it is stored."""
    base = slugify(name)
    key = _name_key(name)
    candidate, n = base, 1
    while True:
        if id_key(candidate) not in taken:
            stored = by_key.get(id_key(candidate))
            if stored is None:
                return candidate
            if same_name and _name_key(known[stored][0]) == key:
                return stored
        n += 1
        candidate = f"{base}-{n}"


def _known_people(s: Session) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every stakeholder's id → (name, kind), and id key → id."""
    known: dict[str, tuple[str, str]] = {}
    by_key: dict[str, str] = {}
    for id_, key, name, kind in s.execute(
            ST.select().with_only_columns(ST.c.id, ST.c.id_key, ST.c.name, ST.c.kind)):
        known[id_] = (name, kind)
        if key is not None:  # None: a look-alike from before 0004, found by its exact id
            by_key[key] = id_
    return known, by_key


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
