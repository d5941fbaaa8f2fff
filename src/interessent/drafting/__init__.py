"""Letters: tailored drafts from user-editable templates, one per recipient.

A drafting run (:func:`draft`) goes in three steps, so that it is all or nothing:

1. **Gather** everything once, with bulk queries: all stakeholders, the last contact of
   each (one scan of the log up to ``as_of``), the recent success stories, the
   commitments' status, the plan. Nothing is queried per letter.
2. **Render** every letter in memory: each recipient gets a context assembled in plain
   Python (``docs/drafting.md`` lists every variable) and the template, compiled once,
   renders it in Jinja's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``. Any
   template error (a misspelt field, a syntax error, a sandbox escape) stops the run here,
   before a single file exists.
3. **Write** the files (into a hidden stage in the output folder, then each whole letter
   placed under its name; on any error or interruption every file of the run is removed,
   and a run killed outright is undone by the next one: :mod:`.output`) and, with
   ``record``, log each letter as an interaction in the same transaction.

Templates are looked up in the workspace's ``templates/`` folder, then among the
built-in ones (``interessent/templates``). A template named ``NAME`` is ``NAME.j2`` with
optional variants ``NAME.<lang>.<fmt>.j2`` > ``NAME.<lang>.j2`` > ``NAME.<fmt>.j2`` >
``NAME.j2`` (lang ``nb``, ``nn``, ``en``; fmt ``md``, ``txt``, ``html``). What a
template inserts is escaped for the letter's format (``sandbox._finalize``): Markdown
characters in ``md``, HTML in ``.html.j2`` (autoescaping), control characters in all;
the template's own text never. HTML without an ``.html.j2`` variant is made from the text
variant, escaped. ``.docx`` uses ``NAME.docx`` or ``letter.docx`` (docxtpl) when the
workspace has one, else a plain Word document of the text variant.

A template may declare, at its top level, ``{% set subject = "…" %}`` (the subject line,
may use variables), ``{% set topic = "overarching" %}`` (the default topic of the
information responsibility) and ``{% set serves = ["L1", "V4"] %}`` (the commitments a
letter fulfils when ``record`` logs it). ``topic`` and ``serves`` must be written
literally: they are read without rendering.

The errors (:class:`TemplateProblem`, :class:`TemplateSecurityError`,
:class:`DraftWriteError`) live in :mod:`interessent.errors` with the rest of the tree.

What lives where (at run time each module imports only those above it):

=================  ========================================================================
``record``         :class:`Record`, the read-only mapping templates see
``results``        :class:`Letter`, :class:`Skipped`, :class:`DraftRun`, :class:`Notice`,
                   :class:`TemplateInfo`: what the functions return
``text``           the languages, their salutations and closings, dates in the letter's
                   language, text made safe for a mail header, an HTML comment, Word,
                   a Markdown or a text letter
``output``         the output folder: :func:`safe_filename`, writing every file or none,
                   undoing runs killed half-way
``sandbox``        the Jinja sandbox, escaping by format, the filters ``date``, ``lines``,
                   ``listing``
``problems``       where a template went wrong: file, line, the field meant
``library``        the workspace's templates: files, variants, declarations, compiling,
                   template errors; ``FORMATS`` (``LetterFormat``), ``MARKUPS``,
                   ``BUILTIN_TEMPLATES``
``gathering``      the data of a run, gathered once (``_Run``), and its views for a letter
``recipients``     choosing the recipients, and who is skipped and why
``word``           Word letters (``docx``), and several as one document
``markup``         a text letter as HTML, and the letters of a run as one file
``mail``           e-mail letters (``eml``), their headers written token by token
``letters``        a recipient's context, and each letter rendered in the run's format
``run``            :func:`draft` and :func:`letter_context`
``notices``        :func:`notify`: notices of a significant event
``catalogue``      :func:`list_templates` and :func:`template_source`
=================  ========================================================================
"""

from __future__ import annotations

from ..errors import DraftWriteError as DraftWriteError
from ..errors import TemplateProblem as TemplateProblem
from ..errors import TemplateSecurityError as TemplateSecurityError
from .catalogue import list_templates as list_templates
from .catalogue import template_source as template_source
from .gathering import SUCCESS_DAYS as SUCCESS_DAYS
from .library import BUILTIN_TEMPLATES as BUILTIN_TEMPLATES
from .library import FORMATS as FORMATS
from .library import MARKUPS as MARKUPS
from .library import LetterFormat as LetterFormat
from .notices import notify as notify
from .output import DRAFTS_DIR as DRAFTS_DIR
from .output import safe_filename as safe_filename
from .record import Record as Record
from .results import DraftRun as DraftRun
from .results import Fallback as Fallback
from .results import Letter as Letter
from .results import Notice as Notice
from .results import Skipped as Skipped
from .results import TemplateInfo as TemplateInfo
from .run import draft as draft
from .run import letter_context as letter_context
from .text import LANGUAGES as LANGUAGES
from .text import LOCALES as LOCALES

__all__ = [
    "FORMATS",
    "DraftRun",
    "DraftWriteError",
    "Fallback",
    "Letter",
    "LetterFormat",
    "Notice",
    "Record",
    "Skipped",
    "TemplateInfo",
    "TemplateProblem",
    "TemplateSecurityError",
    "draft",
    "letter_context",
    "list_templates",
    "notify",
    "safe_filename",
    "template_source",
]
