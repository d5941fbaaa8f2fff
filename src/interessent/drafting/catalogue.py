"""The templates a workspace offers: listing them with their variants, and the file
and text of one as drafting would pick it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bounds import shown
from ..errors import NotFound
from .library import _DOCX, _FILE, DEFAULT_FORMAT, MARKUPS, LetterFormat, _Library
from .results import TemplateInfo
from .text import LANGUAGES

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["list_templates", "template_source"]


def list_templates(ws: Workspace) -> list[TemplateInfo]:
    """Every template the workspace can use, with its variants and where they come from."""
    library = _Library(ws)
    result = []
    for name in library.names():
        files = []
        languages: set[str] = set()
        formats: set[str] = set()
        description = ""
        meta: dict[str, Any] = {}
        ordered = sorted(library.files.items(), key=lambda item: (item[0] != f"{name}.j2",
                                                                  item[0]))
        for file, (_, source) in ordered:
            match = _FILE.match(file) or _DOCX.match(file)
            if not match or match.group("name") != name:
                continue
            files.append((file, source))
            if match.group("lang"):
                languages.add(match.group("lang"))
            if file.endswith(".docx"):
                formats.add("docx")
            else:
                formats.add(match.group("fmt") or "any")
                description = description or library.description(file)
                for key, value in library.meta(file).items():
                    meta.setdefault(key, value)
        result.append(TemplateInfo(
            name=name, files=tuple(sorted(files)), languages=tuple(sorted(languages)),
            formats=tuple(sorted(formats)), description=description,
            topic=meta.get("topic"), serves=tuple(meta.get("serves", ())),
        ))
    return result


def template_source(ws: Workspace, name: str, *, language: str | None = None,
                    fmt: LetterFormat | None = None) -> tuple[Path, str]:
    """The file and text of template ``name`` (or of the exact file ``name.nn.j2``), as
    drafting would pick it for ``language`` and ``fmt``. Without ``fmt``: the variant
    :func:`~interessent.draft` picks by default (Markdown), else the first of text and
    HTML that exists, so that a template written only as ``.html.j2`` can be shown too."""
    library = _Library(ws)
    if name in library.files and name.endswith(".j2"):
        path, _ = library.files[name]
        return path, library.source(name)
    library.require(name)
    home = ws.plan.programme.language
    lang = language or home
    fallback = [home, *LANGUAGES]
    if fmt is None:
        markups = [DEFAULT_FORMAT, *(m for m in MARKUPS if m != DEFAULT_FORMAT)]
    else:
        markups = [fmt if fmt in MARKUPS else "txt"]  # eml and docx: the text letter
    file = next(filter(None, (library.find(name, lang, m, fallback) for m in markups)), None)
    if file is None:
        docx = library.find_docx(name, lang)
        if docx is None:
            wanted = f"{lang} and {markups[0]}" if fmt is not None else lang
            raise NotFound(f"template {shown(name)} has no variant for {wanted}")
        path, _ = library.files[docx]
        return path, f"(a Word template: {path})\n"
    path, _ = library.files[file]
    return path, library.source(file)
