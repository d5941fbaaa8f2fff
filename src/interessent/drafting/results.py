"""What a drafting run, a notice and a template listing return."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from ..plaindata import plain
from .library import LetterFormat

if TYPE_CHECKING:
    from ..followup import Clearance
    from ..policy import Notifiee, Signature

__all__ = ["DraftRun", "Fallback", "Letter", "Notice", "Skipped", "TemplateInfo"]


@frozen
class Fallback:
    """Letters that go out in another language than their recipients', because the
    template has no variant in theirs: ``count`` letters from ``template`` wanted in
    ``wanted`` and written in ``used``."""

    template: str
    wanted: str
    used: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "wanted": self.wanted, "used": self.used,
                "count": self.count}


@frozen
class Letter:
    """One drafted letter: to whom, where it was written, and what it says.

    ``content`` is text for md, txt, html and eml, bytes for docx. With ``combined`` every
    letter has the same ``path``.
    """

    recipient: str
    name: str
    path: Path | None
    content: str | bytes
    subject: str
    language: str
    template: str
    commitments: tuple[str, ...] = ()
    #: the recipient's own language; ``language`` differs when the template has no
    #: variant in it (see :attr:`DraftRun.fallbacks`)
    wanted_language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``content`` is the letter's text, or for docx its bytes as base64
        text; ``path`` is text, or None when nothing was written."""
        return {"recipient": self.recipient, "name": self.name, "path": plain(self.path),
                "subject": self.subject, "language": self.language,
                "template": self.template, "commitments": list(self.commitments),
                "content": plain(self.content)}


@frozen
class Skipped:
    """A recipient who got no letter, and why."""

    id: str
    name: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "reason": self.reason}


@frozen
class DraftRun:
    """The outcome of :func:`draft`."""

    template: str
    format: LetterFormat
    out: Path
    letters: tuple[Letter, ...]
    skipped: tuple[Skipped, ...]
    signature: Signature
    files: tuple[Path, ...] = ()
    recorded: tuple[str, ...] = ()
    combined: bool = False
    tasks: tuple[str, ...] = ()
    """The follow-up tasks ``record`` created instead of logging (:func:`notify`)."""
    tasks_open: tuple[str, ...] = ()
    """The tasks for the same event still open, whose people ``record`` made no second
    task for (:func:`notify`)."""
    clearance: Clearance | None = None
    """The clearance recorded with the letters written (``cleared_by``)."""

    @property
    def fallbacks(self) -> tuple[Fallback, ...]:
        """Each template file and recipients' language it had no variant for, with the
        language it was written in instead and how many letters: in order of template,
        wanted language, used language."""
        counts: dict[tuple[str, str, str], int] = {}
        for x in self.letters:
            if x.wanted_language is not None and x.wanted_language != x.language:
                key = (x.template, x.wanted_language, x.language)
                counts[key] = counts.get(key, 0) + 1
        return tuple(Fallback(t, w, u, n) for (t, w, u), n in sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``draft --json``): paths as text, each letter as
        :meth:`Letter.to_dict`, the signature's fields, the ids of the interactions
        ``record`` logged (or of the ``tasks`` it created), the ``clearance`` recorded,
        and the language fallbacks (:attr:`fallbacks`)."""
        return {"template": self.template, "format": self.format, "out": plain(self.out),
                "combined": self.combined, "letters": [x.to_dict() for x in self.letters],
                "skipped": [s.to_dict() for s in self.skipped],
                "signature": plain(attrs.asdict(self.signature)),
                "files": plain(self.files), "recorded": list(self.recorded),
                "tasks": list(self.tasks),
                "clearance": self.clearance.to_dict() if self.clearance else None,
                "fallbacks": [f.to_dict() for f in self.fallbacks]}


@frozen
class Notice:
    """The outcome of :func:`notify`: whom to tell, and the notices drafted (if any)."""

    event: str
    notifiees: tuple[Notifiee, ...]
    run: DraftRun | None
    tasks: tuple[str, ...] = ()
    """The follow-up tasks ``record`` created, one per person (with letters or without)."""
    tasks_open: tuple[str, ...] = ()
    """The tasks for the event still open, whose people got no second task."""


@frozen
class TemplateInfo:
    """A template as :func:`list_templates` sees it: its files and where they come from."""

    name: str
    files: tuple[tuple[str, str], ...]
    """(file name, source) pairs; source is ``workspace`` or ``built-in``."""
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    description: str
    topic: str | None
    serves: tuple[str, ...]

    @property
    def source(self) -> str:
        sources = {s for _, s in self.files}
        return "workspace" if "workspace" in sources else "built-in"

    @property
    def layout(self) -> bool:
        """Layouts (``base``) are extended by purpose templates, not drafted on their own."""
        return self.name == "base" or self.name.startswith("_")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``templates list``): ``kind`` is ``layout`` or
        ``letter``; ``files`` reads ``name (source)``."""
        return {"name": self.name, "kind": "layout" if self.layout else "letter",
                "languages": list(self.languages), "formats": list(self.formats),
                "source": self.source, "topic": self.topic or "", "serves": list(self.serves),
                "files": [f"{name} ({source})" for name, source in self.files],
                "description": self.description}
