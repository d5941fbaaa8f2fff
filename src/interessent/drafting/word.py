"""Word letters (``.docx``): filled from a docxtpl template (``NAME.docx`` or
``letter.docx``) when the workspace has one, else a plain document of the text variant;
and several of them as one document for printing."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InteressentError
from ..wordfile import tag_document, tag_word_file, word_tag
from .text import _header_text, _Prepared, _xml_text

if TYPE_CHECKING:
    from ..model import Stakeholder
    from ..policy import Signature
    from .letters import _Drafter


def render_docx(drafter: _Drafter, s: Stakeholder) -> tuple[bytes, str, str]:
    """(document, subject, the text template it was made from, else the Word one)."""
    docx_file = drafter.library.find_docx(drafter.name, s.language.value)
    plain = drafter.render_text(s, "txt")
    if plain is None:  # only a Word template
        assert docx_file is not None
        ctx = drafter.context(s, docx_file, "txt")
        subject = drafter.subject_default()
        data = _docx_template(drafter, docx_file, {**ctx, "subject": subject, "text": "",
                                                    "body": ""},
                              drafter.language_of(docx_file))
        return data, subject, docx_file
    text, found, file, ctx = plain
    subject = found or drafter.subject_default()
    language = drafter.language_of(file)
    if docx_file is None:
        return (_plain_docx(text, subject, drafter.signature, drafter.name, language), subject,
                file)
    body = _body_block(drafter, file, ctx, subject)
    data = _docx_template(drafter, docx_file, {
        **ctx, "subject": subject, "text": _docx_text(text), "body": _docx_text(body)},
        language)
    return data, subject, file


def _body_block(drafter: _Drafter, file: str, ctx: dict[str, Any], subject: str) -> str:
    template = drafter.library.template(file)
    if "body" not in template.blocks:
        return ""
    local = {**ctx, "subject": subject}
    block = template.blocks["body"]
    return drafter.library.call(
        lambda: "".join(block(template.new_context(local))), file, local).strip("\n")


def _docx_template(drafter: _Drafter, file: str, ctx: dict[str, Any], language: str) -> bytes:
    from docxtpl import DocxTemplate

    if file not in drafter.docx_sources:
        path, _ = drafter.library.files[file]
        drafter.docx_sources[file] = path.read_bytes()
    doc = DocxTemplate(io.BytesIO(drafter.docx_sources[file]))
    env = drafter.library.docx_env

    def render() -> None:
        doc.render(ctx, jinja_env=env, autoescape=True)

    try:
        render()
    except InteressentError:
        raise
    except Exception as exc:
        raise drafter.library.problem(exc, file, ctx, text=_docx_plain_text(
            drafter.docx_sources[file])) from exc
    tag_document(doc.docx, language)
    props = doc.docx.core_properties
    props.author = _core(drafter.signature.name)
    props.comments = ""  # who signed under which rule is the run's, never the reader's
    props.keywords = _core(f"interessent; {drafter.name}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return tag_word_file(buffer.getvalue(), word_tag(language))


def _docx_plain_text(data: bytes) -> str:
    """The text of a Word file's document, headers and footers, tags stripped (to find
    where a misspelt field is)."""
    import zipfile

    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                parts.append(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", "replace")))
    return "\n".join(parts)


def _docx_text(text: str) -> str:
    """Text for docxtpl: a blank line starts a new paragraph (``\\a``), a newline breaks."""
    return _Prepared(re.sub(r"\n{2,}", "\a", _xml_text(text).strip("\n")))


def _core(text: str) -> str:
    """A Word document property: XML-safe, at most 255 characters."""
    value = _xml_text(_header_text(text))
    return value if len(value) <= 255 else value[:254] + "…"


def _plain_docx(text: str, subject: str, signature: Signature, template: str,
                language: str) -> bytes:
    from docx import Document

    doc = Document()
    _fill_docx(doc, text, subject)
    tag_document(doc, language)
    props = doc.core_properties
    props.author = _core(signature.name)
    props.comments = ""  # who signed under which rule is the run's, never the reader's
    props.title = _core(subject)
    props.subject = _core(subject)
    props.keywords = _core(f"interessent; {template}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return tag_word_file(buffer.getvalue(), word_tag(language))


def _fill_docx(doc: Any, text: str, subject: str) -> None:
    for block in re.split(r"\n\s*\n", _xml_text(text).strip("\n")):
        lines = block.split("\n")
        paragraph = doc.add_paragraph()
        heading = block.strip() == subject.strip()
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = heading
            if n < len(lines) - 1:
                run.add_break()


def _combine_docx(parts: Sequence[bytes]) -> bytes:
    """One Word document of several, a page break between them (the first one's
    letterhead, headers and styles are kept)."""
    import copy

    from docx import Document
    from docx.enum.text import WD_BREAK

    first = Document(io.BytesIO(parts[0]))
    body = first.element.body
    for data in parts[1:]:
        other = Document(io.BytesIO(data))
        first.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        sect = body.sectPr
        for element in other.element.body.iterchildren():
            if element.tag.endswith("}sectPr"):
                continue
            clone = copy.deepcopy(element)
            if sect is not None:
                sect.addprevious(clone)
            else:
                body.append(clone)
    buffer = io.BytesIO()
    first.save(buffer)
    return buffer.getvalue()  # the parts were tagged each; the first one's settings stay
