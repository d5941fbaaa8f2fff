"""What stakeholders raise and what follows: concerns, follow-up tasks, clearances.

- :mod:`.concern` — :class:`Concern`, :func:`add_concern`, :func:`concerns`,
  :func:`close_concern`; the checks of texts, days and ids the other two share.
- :mod:`.task` — :class:`Task`, :func:`add_task`, :func:`tasks`, :func:`complete_task`;
  the tasks ``notify --record`` creates, and the contact a done one logs.
- :mod:`.clearance` — :class:`Clearance`, :func:`clearances`: who cleared the letters a
  drafting run wrote.

The modules are named in the singular so that ``interessent.concerns`` and
``interessent.tasks`` stay the functions.
"""

from __future__ import annotations

from .clearance import Clearance, clearances
from .concern import Concern, add_concern, close_concern, concerns
from .task import Task, add_task, complete_task, tasks

__all__ = ["Clearance", "Concern", "Task", "add_concern", "add_task", "clearances",
           "close_concern", "complete_task", "concerns", "tasks"]
