"""The language of a Word document (``.docx``), for letters and the status report alike.

python-docx's template says ``en-US`` in its styles, its settings (``w:themeFontLang``)
and ``word/stylesWithEffects.xml``; Word then checks the spelling of a nynorsk letter as
American English. :func:`tag_document` tags an open document before it is saved (the
defaults of its styles, every style that names a language, every run of its body, the
core property ``language``), :func:`tag_word_file` the parts of the saved file that
python-docx does not reach.
"""

from __future__ import annotations

import io
import re
import zipfile
from types import MappingProxyType
from typing import Any

__all__ = ["WORD_LANGUAGE_TAGS", "tag_document", "tag_word_file", "word_tag"]

#: The language tag of a Word document in each language (``w:lang``, core properties).
WORD_LANGUAGE_TAGS = MappingProxyType({"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"})

#: The children of a run's properties that come after ``w:lang`` (ECMA-376 CT_RPr).
_AFTER_LANG = frozenset(
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name
    for name in ("eastAsianLayout", "specVanish", "oMath"))

_WORD_LANG_ELEMENT = re.compile(rb"<w:(?:lang|themeFontLang)\b[^>]*>")
_WORD_LANG_PARTS = frozenset(("word/settings.xml", "word/styles.xml",
                              "word/stylesWithEffects.xml"))


def word_tag(language: str) -> str:
    """``nn`` → ``nn-NO``; a language Word has no tag here for is bokmål's."""
    return WORD_LANGUAGE_TAGS.get(language, WORD_LANGUAGE_TAGS["nb"])


def tag_document(doc: Any, language: str) -> None:
    """Tag an open python-docx document as written in ``language`` (``w:lang`` nb-NO,
    nn-NO or en-GB), so Word checks its spelling and reads it aloud in that language:
    the default of its styles, every style that names a language, every run of its body
    (so a combined document keeps each letter's own), and its core property
    ``language``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = word_tag(language)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    if rpr_default.find(qn("w:rPr")) is None:
        rpr_default.append(OxmlElement("w:rPr"))
    runs = list(doc.element.body.iter(qn("w:r")))
    for run in runs:
        run.get_or_add_rPr()
    holders = [rpr_default.find(qn("w:rPr")), *(run.rPr for run in runs)]
    for holder in holders:
        lang = holder.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            after = next((child for child in holder if child.tag in _AFTER_LANG), None)
            if after is None:
                holder.append(lang)
            else:  # the schema's order: lang before these
                after.addprevious(lang)
        lang.set(qn("w:val"), tag)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    doc.core_properties.language = tag


def tag_word_file(data: bytes, tag: str) -> bytes:
    """A saved Word file whose settings and styles no longer name ``en-US`` (python-docx's
    template does, in ``w:themeFontLang`` of ``word/settings.xml`` and ``w:lang`` of
    ``word/stylesWithEffects.xml``) but ``tag``: the document's own language."""

    def retag(match: re.Match[bytes]) -> bytes:
        return match.group(0).replace(b'"en-US"', b'"' + tag.encode("ascii") + b'"')

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename in _WORD_LANG_PARTS:
                part = _WORD_LANG_ELEMENT.sub(retag, part)
            target.writestr(info, part)
    return buffer.getvalue()
