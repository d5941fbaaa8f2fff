"""The schema: SQLAlchemy 2 typed tables and their Core :class:`~sqlalchemy.Table` objects.

Integer surrogate keys (``pk``) inside, stable text ids (``id``) outside. The Alembic
migrations in ``interessent/migrations`` keep a database at :data:`SCHEMA_HEAD`; this
module is the model they are written against. Queries and bulk writes use the short
Core names (:data:`ST`, :data:`REL`, :data:`INT` …), never one ORM object a row.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AUDIT",
    "CLEARANCES",
    "CONCERNS",
    "CONCERN_PEOPLE",
    "IMESSAGES",
    "STANCES",
    "TASKS",
    "ClearanceRow",
    "ConcernPersonRow",
    "ConcernRow",
    "InteractionMessageRow",
    "StanceRow",
    "TaskRow",
    "CONSENTS",
    "GROUPS",
    "ICOMM",
    "IGROUPS",
    "INT",
    "PART",
    "RANKS",
    "REL",
    "ROLES",
    "SCHEMA_HEAD",
    "ST",
    "STAKEHOLDER_LISTS",
    "STAKEHOLDER_SCALARS",
    "STATE",
    "TAGS",
    "AuditRow",
    "Base",
    "ConsentRow",
    "InteractionCommitmentRow",
    "InteractionGroupRow",
    "InteractionParticipantRow",
    "InteractionRow",
    "RankCacheRow",
    "RelationshipRow",
    "StakeholderGroupRow",
    "StakeholderRoleRow",
    "StakeholderRow",
    "StakeholderTagRow",
    "StoreStateRow",
    "utc_now",
]

#: The newest migration; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0008"

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """Now in UTC, without a time zone: how the database keeps every timestamp."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class StakeholderRow(Base):
    __tablename__ = "stakeholders"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    id_key: Mapped[str | None] = mapped_column(String(800), index=True, unique=True)
    """:func:`interessent.rules.id_key` of ``id``: ids equal but for case or Unicode form
    are one record. NULL only for a look-alike registered before keys were kept (0004)."""
    name: Mapped[str] = mapped_column(String(300))
    first_name: Mapped[str | None] = mapped_column(String(300))
    """What letters call a person (0007); NULL: every name but the last."""
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    organisation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL"), index=True
    )
    influence: Mapped[int | None] = mapped_column(Integer)
    interest: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5))
    legal_basis: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the person's data was erased (GDPR art. 17); the row stays, anonymised."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class StakeholderRoleRow(Base):
    __tablename__ = "stakeholder_roles"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(100), primary_key=True)


class StakeholderGroupRow(Base):
    __tablename__ = "stakeholder_groups"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class StakeholderTagRow(Base):
    __tablename__ = "stakeholder_tags"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class RelationshipRow(Base):
    __tablename__ = "relationships"
    __table_args__ = (UniqueConstraint("source_pk", "target_pk", "kind"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_pk: Mapped[int] = mapped_column(ForeignKey("stakeholders.pk", ondelete="CASCADE"))
    target_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    strength: Mapped[float] = mapped_column(Float)
    directed: Mapped[bool] = mapped_column(Boolean)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)


class InteractionRow(Base):
    __tablename__ = "interactions"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    id_key: Mapped[str | None] = mapped_column(String(800), index=True, unique=True)
    """As :attr:`StakeholderRow.id_key`."""
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(Text)
    host_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL")
    )
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[str | None] = mapped_column(String(20))
    """How the contact went, as the one who logged it saw it: positive, neutral or
    negative (0008); NULL: not said."""
    outlet_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL"), index=True
    )
    """The media outlet that published an article (0008)."""
    tone: Mapped[str | None] = mapped_column(String(20))
    """An article's tone towards the programme: positive, neutral or negative (0008)."""
    story_pk: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.pk", ondelete="SET NULL"), index=True
    )
    """The success story an article tells (0008): the story is published once one does."""
    source_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Where an imported contact came from, hashed (0008): a calendar event's UID and
    occurrence, a mail's Message-ID. Importing the same source again adds nothing."""


class InteractionParticipantRow(Base):
    __tablename__ = "interaction_participants"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )


class InteractionGroupRow(Base):
    __tablename__ = "interaction_groups"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(100), primary_key=True)


class InteractionCommitmentRow(Base):
    __tablename__ = "interaction_commitments"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class InteractionMessageRow(Base):
    """A key message of the plan an article carried (0008)."""

    __tablename__ = "interaction_messages"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    message_key: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class ConcernRow(Base):
    """A concern (innspill) a stakeholder raised, and the answer it got (0008)."""

    __tablename__ = "concerns"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[dt.date] = mapped_column(Date, index=True)
    interaction_pk: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.pk", ondelete="SET NULL"), index=True
    )
    group_key: Mapped[str | None] = mapped_column(String(100))
    answer: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ConcernPersonRow(Base):
    """Who raised a concern (0008)."""

    __tablename__ = "concern_people"

    concern_pk: Mapped[int] = mapped_column(
        ForeignKey("concerns.pk", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True, index=True
    )


class StanceRow(Base):
    """A stakeholder's stance on the programme from a day on: support, neutral or oppose.
    Rows are history; the newest is current (0008)."""

    __tablename__ = "stances"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), index=True
    )
    stance: Mapped[str] = mapped_column(String(20))
    since: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    recorded_by: Mapped[str | None] = mapped_column(String(200))


class TaskRow(Base):
    """A follow-up task: what must be done, by whom (a role or a stakeholder), by when
    (0008). ``event`` is set on the tasks ``notify --record`` creates."""

    __tablename__ = "tasks"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    owner_role: Mapped[str | None] = mapped_column(String(100))
    owner_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL"), index=True
    )
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    stakeholder_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL"), index=True
    )
    commitment_id: Mapped[str | None] = mapped_column(String(100))
    event: Mapped[str | None] = mapped_column(String(100))
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    interaction_pk: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.pk", ondelete="SET NULL")
    )
    """The contact logged when the task was done (a notify task marks its person informed)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ClearanceRow(Base):
    """A clearance given for a letter (``draft --cleared-by``): who gave it and when (0008)."""

    __tablename__ = "clearances"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    template: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(100))
    signer_role: Mapped[str] = mapped_column(String(100))
    signer_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL")
    )
    cleared_by_role: Mapped[str] = mapped_column(String(100))
    cleared_by_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL")
    )
    recorded_by: Mapped[str | None] = mapped_column(String(200))


class ConsentRow(Base):
    """A legal basis (consent or another basis of GDPR art. 6) for holding a stakeholder's
    data: where it came from, from when, until when. Rows are history; the newest is current."""

    __tablename__ = "consents"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), index=True
    )
    basis: Mapped[str] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(Text)
    given: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String(200))


class AuditRow(Base):
    """Who changed what, when. Never personal data: a stakeholder is referred to by its
    integer ``subject_pk`` (not its name-derived id), ``detail`` holds counts and keys."""

    __tablename__ = "audit_log"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    subject_kind: Mapped[str] = mapped_column(String(50))
    subject_pk: Mapped[int | None] = mapped_column(Integer, index=True)
    subject_ref: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


class StoreStateRow(Base):
    """One row: the change counter, bumped by every write transaction, so that results
    computed from the data (see :mod:`.cache`) know across processes when they are stale."""

    __tablename__ = "store_state"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_counter: Mapped[int] = mapped_column(BigInteger)


class RankCacheRow(Base):
    """A stored network ranking (see :mod:`.cache`), valid while the change counter is
    ``counter``. Every write deletes them all, so nothing about an erased person stays."""

    __tablename__ = "rank_cache"
    __table_args__ = (UniqueConstraint("key", "counter"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(500))
    counter: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


Index("ix_relationships_source_kind", RelationshipRow.source_pk, RelationshipRow.kind)
# A member's party's participations, the contacts they hosted, and the contacts of the kinds
# a commitment counts (migration 0006).
Index("ix_interaction_participants_stakeholder_interaction",
      InteractionParticipantRow.stakeholder_pk, InteractionParticipantRow.interaction_pk)
Index("ix_interactions_host_pk", InteractionRow.host_pk,
      sqlite_where=text("host_pk IS NOT NULL"), postgresql_where=text("host_pk IS NOT NULL"))
Index("ix_interactions_kind_date", InteractionRow.kind, InteractionRow.date)

ST: Table = cast("Table", StakeholderRow.__table__)
ROLES: Table = cast("Table", StakeholderRoleRow.__table__)
GROUPS: Table = cast("Table", StakeholderGroupRow.__table__)
TAGS: Table = cast("Table", StakeholderTagRow.__table__)
REL: Table = cast("Table", RelationshipRow.__table__)
INT: Table = cast("Table", InteractionRow.__table__)
PART: Table = cast("Table", InteractionParticipantRow.__table__)
IGROUPS: Table = cast("Table", InteractionGroupRow.__table__)
ICOMM: Table = cast("Table", InteractionCommitmentRow.__table__)
CONSENTS: Table = cast("Table", ConsentRow.__table__)
AUDIT: Table = cast("Table", AuditRow.__table__)
STATE: Table = cast("Table", StoreStateRow.__table__)
IMESSAGES: Table = cast("Table", InteractionMessageRow.__table__)
CONCERNS: Table = cast("Table", ConcernRow.__table__)
CONCERN_PEOPLE: Table = cast("Table", ConcernPersonRow.__table__)
STANCES: Table = cast("Table", StanceRow.__table__)
TASKS: Table = cast("Table", TaskRow.__table__)
CLEARANCES: Table = cast("Table", ClearanceRow.__table__)
RANKS: Table = cast("Table", RankCacheRow.__table__)

#: Stakeholder columns that hold one value each (the rest are child tables).
STAKEHOLDER_SCALARS = (
    "name", "first_name", "kind", "email", "phone", "address", "organisation", "influence",
    "interest", "language", "legal_basis", "notes",
)
STAKEHOLDER_LISTS = {"roles": (ROLES, "role"), "groups": (GROUPS, "group_key"),
                     "tags": (TAGS, "tag")}
