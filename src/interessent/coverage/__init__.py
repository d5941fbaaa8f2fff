"""Coverage and compliance: whom the programme reached, and which promises it keeps.

Where things live (each module imports only from those above it):

===================  =====================================================================
``interaction_log``  ``_Log``: the queries over the interaction log that the others share
                     (what counts for a commitment, whom a selector picks, which contacts
                     reached which member, by party)
``commitments``      :func:`check_commitments`, :class:`CommitmentStatus`, :class:`Status`,
                     :class:`WindowState`, :class:`WindowResult`: each commitment checked
                     on its own windows, and what its status means
``explaining``       :func:`explain_commitment`, :class:`CommitmentExplanation`: each
                     window of a commitment with the contacts counted in it, and for
                     per-member commitments each member with the contacts that reached it
``acceptance``       :func:`acceptance_by_group`, :class:`Acceptance`: of each group's
                     members with a known stance on a day, how many support the
                     programme (one SQL query for all groups)
``kept``             the coverage of a period kept in the store under the change counter
                     (until the next write), as exact JSON, and the key it is kept under
``reach``            :func:`measure_coverage` (formerly ``coverage``), :class:`GroupCoverage`,
                     :func:`score`: each target group's reach (one SQL query for all
                     groups, :func:`reached_sql`), leaders informed, broadcasts, and the
                     coverage score
``dues``             :func:`due`, :class:`Dues`, :class:`DueItem`, :class:`Contact`: what
                     to do next and whom to contact
===================  =====================================================================

Coverage uses the leader ranking of :mod:`interessent.graph`; the graph never imports
coverage. The SQL form of group membership, :func:`members_sql`, lives in
:mod:`interessent.membership_sql` (both use it) and is re-exported here.
"""

from __future__ import annotations

from ..store.rules import members_sql as members_sql
from .acceptance import Acceptance as Acceptance
from .acceptance import acceptance_by_group as acceptance_by_group
from .commitments import CommitmentStatus, Status, WindowResult, check_commitments
from .commitments import WindowState as WindowState
from .dues import Contact, DueItem, Dues, due
from .explaining import (
    CommitmentExplanation,
    CountedContact,
    MemberContacts,
    WindowExplanation,
    explain_commitment,
    explain_commitments,
)
from .reach import NEUTRAL_INFLUENCE as NEUTRAL_INFLUENCE
from .reach import GroupCoverage, coverage, measure_coverage
from .reach import reached_sql as reached_sql
from .reach import score as score

__all__ = [
    "CommitmentExplanation",
    "CommitmentStatus",
    "Contact",
    "CountedContact",
    "DueItem",
    "Dues",
    "GroupCoverage",
    "MemberContacts",
    "Status",
    "WindowExplanation",
    "WindowResult",
    "check_commitments",
    "coverage",
    "due",
    "explain_commitment",
    "explain_commitments",
    "measure_coverage",
]
