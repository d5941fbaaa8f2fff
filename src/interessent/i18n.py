"""The words a person reads, in bokmål (``nb``), nynorsk (``nn``) or English (``en``).

Messages live in gettext catalogs, ``locale/<language>/LC_MESSAGES/interessent.po`` in
the package, extracted from the source with Babel (``babel.cfg``; see
``docs/languages.md``). A wheel carries them compiled (``.mo``, made by the build hook in
``hatch_build.py``); a source checkout compiles a catalog beside its ``.po`` the first
time it is used, or again when the ``.po`` is newer, so reading one never needs Babel
after that.

The language is chosen per call (``language="nn"``) or for a stretch of work with
:func:`using` (a context variable, so threads and tasks keep their own). The library
reads no locale or environment variable: the command line works out the language and
sets it (``interessent.cli._language``). Without either, messages are English.

The words for a commitment's status and a due item's urgency are one table,
:data:`STATUS_WORDS`, read by the command line, the dashboard and the status report.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path
from types import MappingProxyType

from .errors import InvalidInput, use_catalog

__all__ = [
    "BABEL_LOCALES",
    "DEFAULT_LANGUAGE",
    "Localized",
    "LocalizedText",
    "EXTRACT_KEYWORDS",
    "LANGUAGES",
    "STANCE_WORDS",
    "STATUS_WORDS",
    "N_",
    "Np_",
    "catalog_file",
    "check_language",
    "compile_catalog",
    "current_language",
    "every_text",
    "format_number",
    "gettext",
    "kind_word",
    "language_of",
    "per_unit",
    "localized",
    "ngettext",
    "pgettext",
    "set_language",
    "stance_word",
    "status_word",
    "this_unit",
    "using",
]

#: The languages interessent speaks: bokmål, nynorsk, English.
LANGUAGES = ("nb", "nn", "en")
#: Babel's locale for the dates and numbers of each language.
BABEL_LOCALES = MappingProxyType({"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"})
#: The language of messages when nothing chose one.
DEFAULT_LANGUAGE = "en"
#: The gettext domain: the catalogs' file name.
DOMAIN = "interessent"
#: Where the catalogs are: ``<language>/LC_MESSAGES/interessent.po``.
LOCALE_DIR = Path(__file__).parent / "locale"

#: The markers extraction looks for beyond Babel's own (``_``, ``gettext``, ``ngettext``,
#: ``pgettext``, ``N_``, …): ``Np_(context, message)``.
EXTRACT_KEYWORDS = {"Np_": ((1, "c"), 2)}

_current: ContextVar[str] = ContextVar("interessent_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Marks ``message`` for extraction, translated where it is shown."""
    return message


def Np_(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for extraction (``pgettext`` translates it)."""
    return message


#: A commitment's status and a due item's urgency (the English values of
#: ``coverage.Status`` and ``DueItem.urgency``, which JSON and CSV keep), translated in the
#: context ``status``: one table for the command line, the dashboard and the status report.
STATUS_WORDS = (
    Np_("status", "met"),
    Np_("status", "due"),
    Np_("status", "behind"),
    Np_("status", "overdue"),
    Np_("status", "not started"),
    Np_("status", "not active"),
    Np_("status", "start now"),
    Np_("status", "due soon"),
)

#: A stakeholder's stance in words (the English values of ``model.Stance``, which JSON
#: and CSV keep, → the word people read, translated in the context ``stance``).
STANCE_WORDS = MappingProxyType({
    "support": Np_("stance", "supports"),
    "neutral": Np_("stance", "neutral"),
    "oppose": Np_("stance", "opposes"),
})


def check_language(language: str) -> str:
    """``language`` if interessent speaks it, else :class:`InvalidInput`."""
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r} (nb, nn or en)", field="language")
    return language


def language_of(tag: str | None) -> str | None:
    """The language of a locale name or language tag, if interessent speaks it:
    ``nb_NO.UTF-8``, ``no``, ``nb-NO`` → ``nb``; ``nn_NO`` → ``nn``; ``en_GB`` → ``en``;
    ``de_DE``, ``C``, ``POSIX`` → ``None``.

    >>> [language_of(t) for t in ("nb_NO.UTF-8", "no", "nn-NO", "en_US", "C", "")]
    ['nb', 'nb', 'nn', 'en', None, None]
    """
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return {"nb": "nb", "no": "nb", "nob": "nb", "nn": "nn", "nno": "nn", "en": "en",
            "eng": "en"}.get(base)


#: A text of the plan given once (``"Næringsutvikling i Osen"``) or per language
#: (``{"nb": "…", "nn": "…", "en": "…"}``).
Localized = str | Mapping[str, str]


class LocalizedText(str):
    """A plan text given per language (``name = { nb = "…", nn = "…", en = "…" }``) that
    is still the string code shows where it asks for no language: the text in the plan's
    own language (else as :func:`localized` falls back). :func:`localized` reads its other
    languages; ``translations`` holds them all.

    >>> t = LocalizedText.of({"nb": "Daglig leder", "nn": "Dagleg leiar"}, "nb")
    >>> t, localized(t, "nn"), t.upper()
    ('Daglig leder', 'Dagleg leiar', 'DAGLIG LEDER')
    """

    translations: Mapping[str, str] = MappingProxyType({})

    @classmethod
    def of(cls, text: Localized, language: str = "nb") -> str:
        """``text`` as a plan holds it: a plain string stays one; a table becomes a
        :class:`LocalizedText` shown in ``language``."""
        if isinstance(text, LocalizedText):
            return text if text.translations else str(text)
        if isinstance(text, str):
            return text
        translations = MappingProxyType(dict(text))
        made = cls(localized(translations, language))
        made.translations = translations
        return made

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LocalizedText):
            return str.__eq__(self, other) and self.translations == other.translations
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __reduce__(self) -> tuple[object, ...]:
        return (_localized_text, (str(self), dict(self.translations)))


def _localized_text(shown: str, translations: Mapping[str, str]) -> LocalizedText:
    made = LocalizedText(shown)
    made.translations = MappingProxyType(dict(translations))
    return made


def localized(text: Localized, language: str | None = None) -> str:
    """The text of ``text`` in ``language`` (else the current one).

    A plain string is the same in every language. A mapping gives the language's own
    text, else bokmål for nynorsk and nynorsk for bokmål (a Norwegian reader reads both),
    else English, else its first text.

    >>> localized({"nb": "Daglig leder", "nn": "Dagleg leiar"}, "nn")
    'Dagleg leiar'
    >>> localized({"nb": "Daglig leder"}, "en")
    'Daglig leder'
    >>> localized("Osen kommune", "en")
    'Osen kommune'
    """
    if isinstance(text, LocalizedText):
        text = text.translations
    elif isinstance(text, str):
        return text
    language = language or current_language()
    fallbacks = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}
    for candidate in fallbacks.get(language, (language, "en")):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()), "")


def every_text(text: Localized) -> tuple[str, ...]:
    """Every language's text of ``text`` (a plain string: itself), the one shown first:
    what a name given per language may be written as.

    >>> every_text({"nb": "Gründer", "nn": "Gründar"})
    ('Gründer', 'Gründar')
    """
    if isinstance(text, str) and not isinstance(text, LocalizedText):
        return (text,)
    values = text.translations if isinstance(text, LocalizedText) else text
    return tuple(dict.fromkeys([*([str(text)] if isinstance(text, str) else []),
                                *values.values()]))


def current_language() -> str:
    """The language set by :func:`using` or :func:`set_language`, else English."""
    return _current.get()


def set_language(language: str) -> Token[str]:
    """Make ``language`` the current one in this context (the command line does, once)."""
    return _current.set(check_language(language))


@contextmanager
def using(language: str) -> Iterator[str]:
    """Speak ``language`` within the ``with`` block."""
    token = set_language(language)
    try:
        yield language
    finally:
        _current.reset(token)


def catalog_file(language: str, suffix: str = ".po", root: Path = LOCALE_DIR) -> Path:
    """The catalog of ``language``: ``.po`` (the source) or ``.mo`` (compiled)."""
    return root / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _compiled(po: Path) -> bytes:
    """The ``.po`` catalog ``po`` compiled (the bytes of its ``.mo``)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_catalog(po: Path, mo: Path) -> None:
    """Compile the ``.po`` catalog ``po`` into ``mo`` (written whole, or not at all)."""
    data = _compiled(po)
    part = mo.with_name(f".{mo.name}.{os.getpid()}.part")
    part.write_bytes(data)
    part.replace(mo)


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    import io

    po, mo = catalog_file(language), catalog_file(language, ".mo")
    if po.is_file() and (not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime):
        try:  # a source checkout: compile once, beside the source
            compile_catalog(po, mo)
        except OSError:  # a folder we may not write to: read it without keeping it
            return _gettext.GNUTranslations(io.BytesIO(_compiled(po)))
    if not mo.is_file():
        return _gettext.NullTranslations()
    with mo.open("rb") as compiled:
        return _gettext.GNUTranslations(compiled)


def _catalog(language: str | None) -> _gettext.NullTranslations:
    return _translations(check_language(language) if language else _current.get())


def gettext(message: str, language: str | None = None) -> str:
    """``message`` in ``language`` (default: the current language)."""
    return _catalog(language).gettext(message)


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    """``singular`` or ``plural``, as ``n`` asks, in ``language``."""
    return _catalog(language).ngettext(singular, plural, n)


def pgettext(context: str, message: str, language: str | None = None) -> str:
    """``message`` in ``context`` (``status``, ``column``, …) in ``language``: the same
    English word may need different words in another language."""
    return _catalog(language).pgettext(context, message)


def format_number(value: int | float, language: str | None = None,
                  fmt: str | None = None) -> str:
    """``value`` as ``language`` (default: the current one) writes it: ``100 000`` in
    bokmål and nynorsk, ``100,000`` in English (Babel's ``format_decimal``, in its number
    pattern ``fmt`` if given)."""
    from babel.numbers import format_decimal

    locale = BABEL_LOCALES[check_language(language) if language else _current.get()]
    return str(format_decimal(value, format=fmt, locale=locale))


def stance_word(stance: str, language: str | None = None) -> str:
    """A stance in words (``support`` → ``supports``, «støtter» in bokmål), from
    :data:`STANCE_WORDS`; one not in the table is returned as it is."""
    value = str(stance)
    word = STANCE_WORDS.get(value)
    return value if word is None else pgettext("stance", word, language)


def status_word(status: str, language: str | None = None) -> str:
    """The word for a status or urgency (``behind`` → ``henger etter`` in bokmål), from
    :data:`STATUS_WORDS`; one not in the table is returned as it is."""
    return pgettext("status", str(status), language)


#: A cadence unit (``periods.Unit``) in words: ``per half_year`` is «per halvår», and
#: «this half-year» «dette halvåret».
UNIT_WORDS = (
    Np_("per", "month"), Np_("per", "quarter"), Np_("per", "half_year"), Np_("per", "year"),
    Np_("this", "month"), Np_("this", "quarter"), Np_("this", "half_year"),
    Np_("this", "year"),
)


def per_unit(unit: str, language: str | None = None) -> str:
    """«per month», «per halvår»: how often, for a cadence unit's value."""
    return pgettext("per", str(unit), language)


def this_unit(unit: str, language: str | None = None) -> str:
    """«this month», «i år»: the current window of a cadence unit's value."""
    return pgettext("this", str(unit), language)


#: The built-in interaction kinds (``model.BUILTIN_INTERACTION_KINDS``) in words; a
#: kind of the plan's own is named by the plan.
KIND_WORDS = (
    Np_("kind", "meeting"), Np_("kind", "letter"), Np_("kind", "email"),
    Np_("kind", "call"), Np_("kind", "article"), Np_("kind", "post"), Np_("kind", "web"),
    Np_("kind", "board_meeting"), Np_("kind", "report"), Np_("kind", "annual_report"),
    Np_("kind", "event"), Np_("kind", "visit"), Np_("kind", "presentation"),
    Np_("kind", "mailing"),
)


def kind_word(kind: str, names: Mapping[str, Localized] | None = None,
              language: str | None = None) -> str:
    """An interaction kind in words: a built-in one from the catalog (``annual_report``
    → «årsrapport»), else its name in ``names`` (the plan's), else the key."""
    word = pgettext("kind", kind, language)
    if word != kind or kind in KIND_WORDS:
        return word
    if names and kind in names:
        return localized(names[kind], language)
    return kind


#: The built-in relationship kinds (``model.BUILTIN_RELATIONSHIP_KINDS``) in words; a
#: kind of the plan's own is named by the plan.
RELATIONSHIP_WORDS = (
    Np_("relationship", "works_for"), Np_("relationship", "board_member"),
    Np_("relationship", "board_chair"), Np_("relationship", "observer"),
    Np_("relationship", "member_of"), Np_("relationship", "owner_of"),
    Np_("relationship", "leads"), Np_("relationship", "knows"),
    Np_("relationship", "family"), Np_("relationship", "media_contact"),
    Np_("relationship", "partner"), Np_("relationship", "advises"),
    Np_("relationship", "funds"),
)


def relationship_word(kind: str, names: Mapping[str, Localized] | None = None,
                      language: str | None = None) -> str:
    """A relationship kind in words: a built-in one from the catalog (``works_for`` →
    «arbeider for»), else its name in ``names`` (the plan's), else the key."""
    word = pgettext("relationship", kind, language)
    if word != kind or kind in RELATIONSHIP_WORDS:
        return word
    if names and kind in names:
        return localized(names[kind], language)
    return kind


# errors.py speaks through the catalog from here on (it cannot import this module).
use_catalog(gettext, ngettext)
