"""Markdown, text and HTML: a text letter as an HTML page, and the letters of a run as
one file for printing (``combined``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .word import _combine_docx


def _text_to_html(text: str, title: str, language: str) -> str:
    """A plain-text letter as a small HTML page, every character escaped."""
    from markupsafe import escape

    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(str(escape(line)) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>(.*)</head>", re.DOTALL | re.IGNORECASE)
_PAGE_BREAK_MD = '\n\n<div style="page-break-after: always;"></div>\n\n'


def _combine(fmt: str, parts: Sequence[str | bytes], title: str, language: str) -> bytes:
    if fmt == "docx":
        return _combine_docx([p for p in parts if isinstance(p, bytes)])
    texts = [p if isinstance(p, str) else p.decode("utf-8") for p in parts]
    if fmt == "md":
        return _PAGE_BREAK_MD.join(t.strip("\n") for t in texts).encode("utf-8") + b"\n"
    if fmt == "txt":
        return "\n\f\n".join(t.strip("\n") for t in texts).encode("utf-8") + b"\n"
    from markupsafe import escape

    head_match = _HEAD.search(texts[0])
    head = (head_match.group(1) if head_match
            else f'<meta charset="utf-8">\n<title>{escape(title)}</title>')
    sections = []
    for t in texts:
        comment = t.split("\n", 1)[0] if t.startswith("<!--") else ""
        match = _BODY.search(t)
        inner = match.group(1) if match else t
        sections.append(f'<section class="letter" style="page-break-after: always;">\n'
                        f"{comment}\n{inner.strip()}\n</section>")
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n{head.strip()}\n'
            f"</head>\n<body>\n" + "\n".join(sections) + "\n</body>\n</html>\n").encode("utf-8")
