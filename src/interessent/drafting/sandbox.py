"""The Jinja environment letters render in: the immutable sandbox, strict undefined
fields, what a value becomes where it is inserted (:func:`_finalize`: escaped for
Markdown, control characters out of every format, HTML-escaped by autoescaping in
``.html.j2``), and the filters ``date``, ``lines`` and ``listing``."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .record import Record
from .text import _AND, _format_date, _markdown_value, _plain_value, _Prepared

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context


def _is_html(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith(".html")


def _letter_of(context: Context) -> Mapping[str, Any]:
    letter = context.parent.get("letter")
    return letter if isinstance(letter, Mapping) else {}


def _date_filter(context: Context, value: Any, fmt: str = "long") -> str:
    """``{{ some_date | date }}``: the date in the letter's language, "26. november 2026";
    ``| date("full")`` adds the weekday, ``| date("short")`` gives "26.11.2026"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"date expects a date, not {type(value).__name__}")
    return _format_date(value, fmt, str(_letter_of(context).get("locale", "nb_NO")))


def _lines_filter(context: Context, value: Any) -> Any:
    """``{{ [a, b, c] | lines }}``: non-empty items on lines of their own, as hard line
    breaks in Markdown ("  " before the newline) and ``<br>`` in HTML."""
    items = [str(v) for v in (value.split("\n") if isinstance(value, str) else value) if v]
    markup = _letter_of(context).get("markup")
    if markup == "html":
        from markupsafe import Markup, escape

        return Markup("<br>\n").join(escape(v) for v in items)
    return ("  \n" if markup == "md" else "\n").join(items)


def _listing_filter(context: Context, value: Any) -> str:
    """``{{ names | listing }}``: "A, B og C" (nb, nn) or "A, B and C" (en)."""
    items = [str(v) for v in value if v]
    word = _AND.get(str(_letter_of(context).get("language", "nb")), "og")
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _finalize(context: Context, value: Any) -> Any:
    """What every ``{{ value }}`` becomes, by the letter's markup (``letter.markup``):

    - ``md``: Markdown-escaped (:func:`.text._markdown_value`) — a value is text, never a
      link, an image, HTML, a heading, a list or a table;
    - ``txt`` (also the text of e-mail and Word letters) and ``html``: control characters
      and bidirectional overrides replaced (:func:`.text._plain_value`); HTML is then
      escaped by autoescaping.

    Markup (``| safe``, or what an HTML filter made) goes in as it is: that is the
    template's choice. The template's own text is never touched.
    """
    if hasattr(value, "__html__"):
        return value
    if type(value) is _Prepared:
        return str(value)
    text = value if isinstance(value, str) else str(value)
    if _letter_of(context).get("markup") == "md":
        return _markdown_value(text)
    return _plain_value(text)


def _environment(loader: Any, *, caching: bool = False) -> Environment:
    from jinja2 import StrictUndefined, pass_context

    cls = _CachingSandbox() if caching else _Sandbox()
    env: Environment = cls(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=_is_html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=pass_context(_finalize),
    )
    env.filters["date"] = pass_context(_date_filter)
    env.filters["lines"] = pass_context(_lines_filter)
    env.filters["listing"] = pass_context(_listing_filter)
    return env


@functools.cache
def _Sandbox() -> type[Any]:
    """Jinja's ``ImmutableSandboxedEnvironment``, with a quick answer for :class:`Record`
    keys (which are data, never Python attributes) so tailored letters render fast."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if type(obj) is Record and not attr.startswith("_"):
                return True
            return bool(super().is_safe_attribute(obj, attr, value))

    return Sandbox


@functools.cache
def _CachingSandbox() -> type[Any]:
    """A sandbox that compiles each source once: docxtpl calls ``from_string`` for every
    document it renders, and a run renders the same template for every recipient."""

    class CachingSandbox(_Sandbox()):  # type: ignore[misc]
        _compiled: dict[str, Any]

        def from_string(self, source: Any, globals: Any = None,
                        template_class: Any = None) -> Any:
            cache = self.__dict__.setdefault("_compiled", {})
            key = str(source)
            if globals is not None or template_class is not None or key not in cache:
                compiled = super().from_string(source, globals, template_class)
                if globals is not None or template_class is not None:
                    return compiled
                cache[key] = compiled
            return cache[key]

    return CachingSandbox
