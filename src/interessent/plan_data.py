"""A plan as plain data and back: the cattrs converter that structures parsed TOML (or
any mapping) into the plan's attrs classes with interessent's rules for each type, its
errors as (key path, message) pairs, and :func:`plain_data`, which turns a plan built in
code back into the data a file would hold, so that it is checked as a file is, and
:func:`type_problems`, which finds the values of such a plan that a file may write as
text but code must give as their type (a date as text).

It knows the plan's classes only through their attrs fields, so :mod:`interessent.plan`
can use it without a cycle.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NewType

import attrs

from .bounds import shown, text_problem
from .i18n import LANGUAGES, Localized, LocalizedText, gettext
from .periods import Days, Unit, check_date, parse_days

__all__ = ["PlanText", "cattrs_problems", "converter", "plain_data", "plan_text",
           "plan_texts", "type_problems"]

#: A plan text that reaches letters and reports (the programme's name, vision and goals,
#: role and group names, commitment titles): a plain string, or a
#: :class:`~interessent.i18n.LocalizedText` given per language. Either is a ``str``, shown
#: in the plan's language; :func:`interessent.i18n.localized` reads it in another.
PlanText = NewType("PlanText", str)

#: The language a plan being read shows its per-language texts in (its
#: ``programme.language``).
plan_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "plan_language", default="nb")


def plan_text(value: Localized) -> PlanText:
    """A plan text as a plan holds it (the converter of its fields): a string stays one,
    a table ``{nb = "…", nn = "…"}`` becomes a :class:`LocalizedText` shown in the plan's
    language. The table is checked when the plan is (:func:`converter`)."""
    if isinstance(value, Mapping) and not isinstance(value, str):
        return PlanText(LocalizedText.of(value, plan_language.get()))
    return PlanText(value)


def plan_texts(value: Iterable[Localized] | Localized | None) -> tuple[PlanText, ...]:
    """A list of plan texts (the goals); one text alone is a list of one."""
    if value is None:
        return ()
    if isinstance(value, str | Mapping):
        return (plan_text(value),)
    return tuple(plan_text(v) for v in value)


def _text_table_problem(value: Mapping[Any, Any]) -> str | None:
    """Why a table of texts per language is not one, or None."""
    if not value:
        return "give the text in at least one language ({nb = \"…\", nn = \"…\", en = \"…\"})"
    for language, text in value.items():
        if language not in LANGUAGES:
            return f"unknown language {language!r} in the table (nb, nn or en)"
        if not isinstance(text, str):
            return f"expected text for {language}, not {type(text).__name__} {text!r}"
        if not text.strip():
            return f"the {language} text is empty"
        problem = text_problem(text, lines=True)
        if problem is not None:
            return f"{language}: {problem}"
    return None


@functools.cache  # its hooks never change; cattrs keeps what it generates per class
def converter() -> Any:
    """The converter that structures plan data: unknown keys are errors, and each value
    is checked as its type in a plan requires (texts without control characters, whole
    numbers that are not booleans, known enum values …)."""
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def date_hook(value: Any, _: Any) -> dt.date:
        if isinstance(value, dt.date):  # a datetime too: its day
            return check_date(value)
        if isinstance(value, str):
            return check_date(dt.date.fromisoformat(value))
        raise ValueError(f"expected a date (YYYY-MM-DD), not {value!r}")

    def unit_hook(value: Any, _: Any) -> Unit:
        if not isinstance(value, str):
            raise ValueError(f"expected a period name, not {value!r}")
        return Unit.parse(value)

    def enum_hook(value: Any, cls: type[enum.StrEnum]) -> enum.StrEnum:
        try:
            return cls(value)
        except ValueError:
            expected = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown value {value!r} (expected one of {expected})") from None

    def str_hook(value: Any, cls: Any) -> str:
        if cls is not str and isinstance(cls, type) and issubclass(cls, enum.StrEnum):
            return enum_hook(value, cls)  # a subclass of str: its hook is this one
        if not isinstance(value, str):
            raise ValueError(f"expected text, not {type(value).__name__} {value!r}")
        problem = text_problem(value, lines=True)  # a plan's texts may span lines
        if problem is not None:
            raise ValueError(problem)
        return value

    def text_hook(value: Any, _: Any) -> PlanText:
        if isinstance(value, Mapping):
            problem = _text_table_problem(value)
            if problem is not None:
                raise ValueError(problem)
            return plan_text(value)
        if not isinstance(value, str):
            raise ValueError(f"expected text, or a table of texts per language, not "
                             f"{type(value).__name__} {value!r}")
        return PlanText(str_hook(value, str))

    def texts_hook(value: Any, _: Any) -> tuple[PlanText, ...]:
        if isinstance(value, str | Mapping):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list of texts, not {value!r}")
        problems = []
        found = []
        for index, item in enumerate(value):
            try:
                found.append(text_hook(item, PlanText))
            except ValueError as exc:
                problems.append(f"[{index}]: {exc}")
        if problems:
            raise ValueError("; ".join(problems))
        return tuple(found)

    def strs_hook(value: Any, _: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of text, not {value!r}")
        return tuple(str_hook(v, str) for v in value)

    def float_hook(value: Any, _: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(gettext("expected a number, not {value!r}").format(value=value))
        return float(value)

    def int_hook(value: Any, _: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(gettext("expected a whole number, not {value!r}").format(
                value=value))
        return value

    def bool_hook(value: Any, _: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, not {value!r}")
        return value

    conv.register_structure_hook(dt.date, date_hook)
    conv.register_structure_hook(Unit, unit_hook)
    conv.register_structure_hook(str, str_hook)
    conv.register_structure_hook(PlanText, text_hook)
    conv.register_structure_hook_func(lambda t: t == tuple[PlanText, ...], texts_hook)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], strs_hook)
    conv.register_structure_hook(float, float_hook)
    conv.register_structure_hook(int, int_hook)
    conv.register_structure_hook(bool, bool_hook)
    conv.register_structure_hook(Days, lambda value, _: parse_days(value))
    return conv


def cattrs_problems(exc: BaseException, path: str = "") -> Iterator[tuple[str, str]]:
    """Walk a cattrs validation error into (key path, message) pairs."""
    from cattrs.errors import (
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
    )

    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, inote in with_notes:
            yield from cattrs_problems(sub, f"{path}[{inote.index}]")
        for sub in without:
            yield from cattrs_problems(sub, path)
    elif isinstance(exc, ClassValidationError):
        with_cnotes, without = exc.group_exceptions()
        for sub, cnote in with_cnotes:
            yield from cattrs_problems(sub, f"{path}.{cnote.name}" if path else cnote.name)
        for sub in without:
            yield from cattrs_problems(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield (f"{path}.{key}" if path else key, "unknown key")
    elif isinstance(exc, KeyError):
        key = str(exc.args[0])
        if not (path == key or path.endswith(f".{key}")):
            path = f"{path}.{key}" if path else key
        yield (path, "required key is missing")
    elif isinstance(exc, TypeError) and "missing" in str(exc) and "argument" in str(exc):
        names = re.findall(r"'(\w+)'", str(exc))
        for name in names or ["?"]:
            yield (f"{path}.{name}" if path else name, "required key is missing")
    elif isinstance(exc, AttributeError) and "keys" in str(exc):  # a value for a table
        yield (path or "(plan)", "expected a table of keys and values, not a single value")
    else:
        yield (path or "(plan)", str(exc))


def plain_data(value: Any, *, leave_out: tuple[str, ...] = ()) -> Any:
    """``value`` (a plan, or any tree of attrs values) as the data a plan file holds:
    attrs values as mappings (without the fields ``leave_out`` names at the top), tuples
    as lists, enum members as their values. Anything else stays as it is, for the
    converter to judge: a number where text belongs is reported, not turned into text."""
    if attrs.has(type(value)):
        return {f.name: plain_data(getattr(value, f.name))
                for f in attrs.fields(type(value)) if f.name not in leave_out}
    if isinstance(value, tuple | list):
        return [plain_data(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, LocalizedText):
        return dict(value.translations) if value.translations else str(value)
    if isinstance(value, Days):
        return int(value)
    return value


def type_problems(built: Any, checked: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Where ``built`` (a plan built in code) holds a value of another type than the one
    the converter made of it in ``checked``: text where a date, a period name or a list is
    due passes :func:`plain_data` and the converter, as a file's text does, but the plan
    built in code would keep the text. A whole number where a number is due is fine."""
    if attrs.has(type(checked)) and type(built) is type(checked):
        for f in attrs.fields(type(checked)):
            if f.name != "source":
                name = f"{path}.{f.name}" if path else f.name
                yield from type_problems(getattr(built, f.name), getattr(checked, f.name), name)
    elif isinstance(checked, tuple) and isinstance(built, tuple | list) \
            and len(built) == len(checked):
        for index, (one, other) in enumerate(zip(built, checked, strict=True)):
            yield from type_problems(one, other, f"{path}[{index}]")
    elif checked is not None and not isinstance(built, type(checked)) \
            and not _widens(built, checked):
        yield (path or "(plan)", f"expected {_type_name(checked)}, not "
                                 f"{type(built).__name__} {shown(built)}")


def _widens(built: Any, checked: Any) -> bool:
    """A whole number where a number or a count of days is due."""
    return isinstance(checked, float | Days) and isinstance(built, int) \
        and not isinstance(built, bool)


def _type_name(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in type(value))
    if isinstance(value, dt.date):
        return "a date (datetime.date)"
    if isinstance(value, tuple):
        return "a tuple"
    return type(value).__name__
