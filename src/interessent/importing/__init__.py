"""Import stakeholders, relationships and interactions from CSV and Excel (XLSX) files,
and log the contacts of calendars and mail (:func:`import_calendar`, :func:`import_mail`).

The file formats are those of SPEC §4: one header row, then one row per record.

- **CSV**: separated by ``,``, ``;`` or tab (found from the header row, or given);
  UTF-8 with or without a byte-order mark, else Windows-1252 (cp1252), which is what
  Norwegian Excel writes (or the encoding given). **XLSX**: the sheet named after the
  kind (``stakeholders``, ``interessenter`` …) if there is one, else the first sheet.
- Headers are matched case-insensitively, ``_``, ``-`` and spaces alike; the Norwegian
  names work (``navn``, ``e-post``, ``målgrupper`` …). An unknown or repeated column
  rejects the file.
- Cells with several values (roles, groups, tags, participants, commitments) separate
  them with ``|``. Booleans take ``ja``/``nei``, ``yes``/``no``, ``true``/``false``,
  ``1``/``0``, ``x``; dates ``2026-03-05`` or ``05.03.2026``; numbers a decimal comma.
- A cell that :func:`interessent.exporting.neutralise` protected against formula
  injection (``'+47 912 34 567``) loses exactly that one leading apostrophe again.

Ids
---
A stakeholder row without an id gets one made from its name: lower case, ``æ``→``ae``,
``ø``→``o``, ``å``→``a``, other accents dropped, anything else ``-`` (``Kari Nordmann`` →
``kari-nordmann``). When that id is already taken by another row of the file, or by a
stakeholder in the store with another name, ``-2``, ``-3`` … is added; a stakeholder in
the store with that id *and* the same name is the same stakeholder, so importing a list
without ids twice updates instead of duplicating. Interactions without an id get the
next free ``K2026-0001``-style id of their year. Ids are made and checked in the
transaction that writes the rows, so two imports (or adds, or logs) at once never choose
the same one.

Every cell is read in Unicode NFC, and an id finds a stored record in any case or form
(:func:`interessent.rules.id_key`): a row with ``KARI-NORDMANN`` updates
``Kari-Nordmann``, which keeps its spelling; the same id twice in a file in two cases is
an error on both rows.

Duplicate policy
----------------
The file is authoritative for the columns it has:

- A stakeholder row whose id exists updates that stakeholder: every column present in
  the file is replaced (an empty cell clears the value; for ``kind`` and ``language`` an
  empty cell means the default, a person and the plan's language), columns absent from
  the file keep their values. A row with a new id adds a stakeholder.
- Relationships are the same tie when source, target and kind are the same: an existing
  one gets the file's strength, directedness, start and end.
- An interaction whose id exists is replaced whole, participants, groups and
  commitments included.
- The same id (for relationships: the same source, target and kind) twice in one file
  is an error on both rows.

The ``organisation`` column names an organisation by id or, as Excel lists do, by name.
A name that is no stakeholder's id and no organisation's name creates that organisation
(once, however many rows name it); a name shared by several organisations is an error.

All or nothing
--------------
Every row is checked (values, plan keys, references to stakeholders) before anything
is written; a file with any bad row raises :class:`~interessent.errors.ImportRejected`
listing every bad row by its spreadsheet row number (the header is row 1) and column,
and the store is exactly as it was. A good file is written in one transaction.

Where things live
-----------------
=====================  ==================================================================
``columns``            the three kinds of list (:func:`parse_kind`), their columns and
                       required columns, bokmål/nynorsk header aliases, name folding
``tables``             reading CSV (encoding, delimiter) and XLSX (zip-bomb guard) into a
                       :class:`Table`, size limits, matching the header row to columns
``values``             cell parsers (dates, numbers, booleans, kinds, ``|`` lists), plan
                       keys and stakeholders by name, :func:`unneutralise`, :func:`slugify`
``job``                the import job: every row checked per kind, ids and organisations
                       made, the duplicate policy, the writes to the store
``transaction``        :func:`import_file`, :func:`import_rows`, :class:`ImportResult`:
                       all or nothing in one transaction, dry runs, the audit entry
``capture``            contacts from outside: addresses matched to stakeholders, the
                       participants, logging each contact once by its hashed key,
                       :class:`CaptureResult`
``calendar``           :func:`import_calendar`: ``.ics`` events, recurring ones expanded
``mail``               :func:`import_mail`: ``.eml`` and ``.mbox`` files, folders of them
=====================  ==================================================================
"""

from __future__ import annotations

from .calendar import import_calendar
from .capture import CaptureResult
from .columns import COLUMNS, KINDS, Kind, parse_kind
from .mail import import_mail
from .tables import MAX_BYTES, MAX_ROWS, Table, read_table
from .transaction import ImportResult, import_file, import_rows
from .values import FORMULA_TRIGGERS, slugify, unneutralise

__all__ = [
    "COLUMNS",
    "FORMULA_TRIGGERS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "CaptureResult",
    "ImportResult",
    "Kind",
    "Table",
    "import_calendar",
    "import_file",
    "import_mail",
    "import_rows",
    "parse_kind",
    "read_table",
    "slugify",
    "unneutralise",
]
