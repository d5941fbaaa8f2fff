"""The Jinja environment letters render in: the immutable sandbox, strict undefined
fields, what a value becomes where it is inserted (:func:`_finalize`: escaped for
Markdown, control characters out of every format, HTML-escaped by autoescaping in
``.html.j2``), and the filters ``date``, ``lines`` and ``listing``.

A template may come from a person a service does not trust (``draft(source=...)``), so
the sandbox also bounds what one expression may build (:func:`_too_big`): ``'x' * 10**10``,
``2 ** 10**8``, ``"%9999999999s" % x``, ``'x'.ljust(10**10)`` and ``range`` beyond
:data:`MAX_RANGE` items are refused with a security error before anything is built.
Time is not bounded: nested loops over ranges still run (docs/drafting.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .record import Record
from .text import _AND, _format_date, _markdown_value, _plain_value, _Prepared

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context


#: The most characters or items one operation of a template may build (a letter is a few
#: thousand characters).
MAX_SIZE = 100_000
#: The most bits a whole number a template computes may have (about 30,000 digits).
MAX_BITS = 100_000
#: The most items ``range`` may give a template (Jinja's own limit is 100,000).
MAX_RANGE = 10_000

#: Attributes of every dict (a key of the same name is read as the attribute, as Jinja does).
_DICT_ATTRIBUTES = frozenset(dir(dict))
#: Values a Record hands a template as they are (never a method Jinja must wrap).
_DATA_TYPES = frozenset({str, int, float, bool, type(None), tuple, list, dict, Record,
                         dt.date, dt.datetime})

#: Widths and precisions in a %-format (``%99999s``, ``%.5f``, ``%*d``).
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
#: The spec of a str.format field (``{:>99999}``, ``{0:.{1}f}``).
_FORMAT_SPEC = re.compile(r"\{[^{}]*:((?:[^{}]|\{[^{}]*\})*)\}")
#: Methods of text that take a width.
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})


def _size(value: Any) -> int | None:
    """How many characters or items ``value`` holds, if it is text or a sequence."""
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _too_big(op: str, left: Any, right: Any) -> str | None:
    """Why ``left op right`` would build too much, or None when it may be computed."""
    if op == "*":
        for seq, times in ((left, right), (right, left)):
            size = _size(seq)
            if size is not None and _whole(times) and size * max(times, 0) > MAX_SIZE:
                return f"repeating {size:,} items {times:,} times makes more than {MAX_SIZE:,}"
        if _whole(left) and _whole(right) \
                and left.bit_length() + right.bit_length() > MAX_BITS:
            return f"the product has more than {MAX_BITS:,} bits"
    elif op == "**":
        if _whole(left) and _whole(right) and abs(left) > 1 and right > 0 \
                and right * math.log2(abs(left)) > MAX_BITS:
            return f"the power has more than {MAX_BITS:,} bits"
    elif op == "+":
        sizes = (_size(left), _size(right))
        if None not in sizes and sum(s for s in sizes if s is not None) > MAX_SIZE:
            return f"joining them makes more than {MAX_SIZE:,} items"
        if _whole(left) and _whole(right) and max(left.bit_length(), right.bit_length()) \
                > MAX_BITS:
            return f"the sum has more than {MAX_BITS:,} bits"
    elif op == "%" and isinstance(left, str):
        return _too_wide(left, right if isinstance(right, tuple) else (right,))
    return None


def _too_wide(text: str, args: tuple[Any, ...], *, braces: bool = False) -> str | None:
    """Why formatting ``text`` (with ``%``, or with ``str.format`` when ``braces``) with
    ``args`` would be too wide: a width or precision over :data:`MAX_SIZE` in it, or
    taken from an argument (``%*d``, ``{:{}}``) that is."""
    if braces:
        specs = [m.group(1) for m in _FORMAT_SPEC.finditer(text)]
        from_args = any("{" in spec for spec in specs)
        numbers = [n for spec in specs for n in re.findall(r"\d+", spec)]
    else:
        groups = [g for m in _PERCENT_SPEC.finditer(text) for g in m.groups() if g]
        from_args = "*" in groups
        numbers = [g for g in groups if g != "*"]
    if any(len(n) > 6 or int(n) > MAX_SIZE for n in numbers) or (from_args and any(
            _whole(v) and abs(v) > MAX_SIZE for v in args)):
        return f"a width over {MAX_SIZE:,} characters"
    return None


def _safe_range(*args: int) -> range:
    """``range`` for templates: at most :data:`MAX_RANGE` items."""
    from jinja2.exceptions import SecurityError

    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"a range of {len(numbers):,} items (at most {MAX_RANGE:,})")
    return numbers


def _bounded_filter(name: str, jinja_filter: Any) -> Any:
    """Jinja's filter ``name`` refusing a width over :data:`MAX_SIZE`, as the text
    methods and ``%`` are refused one (``'x' | center(10**10)``)."""
    from jinja2.exceptions import SecurityError

    @functools.wraps(jinja_filter)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = (*args[1:], *kwargs.values())
        if name == "format" and isinstance(args[0], str):
            reason = _too_wide(args[0], values)
        else:
            reason = f"a width over {MAX_SIZE:,} characters" if any(
                _whole(v) and v > MAX_SIZE for v in values) else None
        if reason is not None:
            raise SecurityError(f"{name}: {reason}")
        return jinja_filter(*args, **kwargs)

    return bounded


def _is_html(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith(".html")


def _letter_of(context: Context) -> Mapping[str, Any]:
    letter = context.parent.get("letter")
    if type(letter) is dict:  # what a run gives; isinstance(…, Mapping) costs more
        return letter
    return letter if isinstance(letter, Mapping) else {}


def _markup_of(context: Context) -> Any:
    """The letter's ``letter.markup`` (md, txt, html), as the run gave it."""
    letter = context.parent.get("letter")
    if type(letter) is dict:
        return letter.get("markup")
    return letter.get("markup") if isinstance(letter, Mapping) else None


#: Values this long or shorter are escaped once and remembered: most of what a run's
#: letters insert (the letterhead, the signer, the programme's texts) is the same in
#: every letter.
_REMEMBERED = 200


@functools.lru_cache(maxsize=4096)
def _markdown_remembered(text: str) -> str:
    return _markdown_value(text)


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
    markup = _markup_of(context)
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
    kind = type(value)
    if kind is str:
        text = value
    elif kind is _Prepared:
        return str(value)
    elif hasattr(value, "__html__"):
        return value
    else:
        text = value if isinstance(value, str) else str(value)
    if _markup_of(context) == "md":
        return _markdown_remembered(text) if len(text) <= _REMEMBERED else _markdown_value(text)
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
    env.globals["range"] = _safe_range
    for name, jinja_filter in list(env.filters.items()):
        # Jinja's filters with an async twin check on every call which to run; these
        # environments never run async, so they call the sync one directly.
        if getattr(jinja_filter, "jinja_async_variant", False):
            env.filters[name] = jinja_filter.__wrapped__
    for name in ("center", "format", "indent"):
        env.filters[name] = _bounded_filter(name, env.filters[name])
    env.filters["date"] = pass_context(_date_filter)
    env.filters["lines"] = pass_context(_lines_filter)
    env.filters["listing"] = pass_context(_listing_filter)
    return env


@functools.cache
def _Sandbox() -> type[Any]:
    """Jinja's ``ImmutableSandboxedEnvironment``, with a quick answer for :class:`Record`
    keys (which are data, never Python attributes) so tailored letters render fast, and
    the operators and text methods that could build gigabytes checked first
    (:func:`_too_big`). Intercepted operators are never folded at compile time either."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def getattr(self, obj: Any, attribute: str) -> Any:
            # The letter's data first, as Jinja would find it, without the AttributeError
            # Jinja's way raises for every key of a dict: a key of a plain dict that no
            # attribute of dict shadows, a key of a Record.
            kind = type(obj)
            if kind is dict and attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            if kind is Record and attribute in obj and not attribute.startswith("_"):
                value = obj[attribute]
                if type(value) in _DATA_TYPES:
                    return value
            return super().getattr(obj, attribute)

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if type(obj) is Record and not attr.startswith("_"):
                return True
            return bool(super().is_safe_attribute(obj, attr, value))

        def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
            reason = _too_big(op, left, right)
            if reason is not None:
                raise SecurityError(f"{op!r}: {reason}")
            return super().call_binop(context, op, left, right)

        def call(__self, __context: Context, __obj: Any,
                 *args: Any, **kwargs: Any) -> Any:
            name = getattr(__obj, "__name__", "")
            if name in _WIDTH_METHODS and isinstance(getattr(__obj, "__self__", None), str) \
                    and any(_whole(v) and v > MAX_SIZE for v in (*args, *kwargs.values())):
                raise SecurityError(f"{name}: a width over {MAX_SIZE:,} characters")
            return super().call(__context, __obj, *args, **kwargs)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)  # str.format, sandboxed by Jinja
            if wrapped is None:
                return None
            text: str = value.__self__

            @functools.wraps(wrapped)
            def bounded(*args: Any, **kwargs: Any) -> Any:
                values = (*args, *kwargs.values(), *(
                    v for a in args if isinstance(a, Mapping) for v in a.values()))
                reason = _too_wide(text, values, braces=True)
                if reason is not None:
                    raise SecurityError(f"{value.__name__}: {reason}")
                return wrapped(*args, **kwargs)

            return bounded

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
