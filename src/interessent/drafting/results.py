"""What a drafting run, a notice and a template listing return."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from .library import LetterFormat

if TYPE_CHECKING:
    from ..policy import Notifiee, Signature

__all__ = ["DraftRun", "Letter", "Notice", "Skipped", "TemplateInfo"]


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


@frozen
class Skipped:
    """A recipient who got no letter, and why."""

    id: str
    name: str
    reason: str


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


@frozen
class Notice:
    """The outcome of :func:`notify`: whom to tell, and the notices drafted (if any)."""

    event: str
    notifiees: tuple[Notifiee, ...]
    run: DraftRun | None


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
