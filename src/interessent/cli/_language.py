"""The language the command line speaks, and click's own words in it.

The order: ``--lang nb|nn|en``, else ``INTERESSENT_LANG``, else the workspace plan's
``programme.language`` (only when the plan says it), else the system locale
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), else
English. The library reads none of these; the root group works the language out from its
arguments before click parses them, so help and click's errors speak it too.

Click translates its words with :func:`gettext.gettext` (``Usage:``, ``Options``,
``Error: {message}``, …); :func:`translate_click` points click's modules at interessent's
catalog instead, which holds the click messages a user of interessent meets
(:data:`CLICK_MESSAGES`). A message it does not hold stays English.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path

import click

from ..i18n import LANGUAGES, N_, Np_, gettext, language_of, ngettext, pgettext

#: The environment variable that chooses the language when ``--lang`` does not.
LANG_ENV = "INTERESSENT_LANG"
#: The system locale's variables, in gettext's order.
LOCALE_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: The root group's options that take a value (skipped when looking for ``--lang``).
_VALUED = {"-w", "--workspace", "--db", "--lang"}
#: ``workspace.PLAN_FILE``, named again so that help need not import the workspace module
#: (and SQLAlchemy with it); a test keeps the two equal.
PLAN_FILE = "interessent.toml"


def choose_language(args: Sequence[str], environ: Mapping[str, str],
                    cwd: Path | None = None) -> tuple[str, str]:
    """The language for a command line, and what chose it: ``--lang``, ``INTERESSENT_LANG``,
    ``plan``, ``locale`` or ``default``. A ``--lang`` that is not a language is left to
    click to refuse; a bad ``INTERESSENT_LANG`` is refused here."""
    option, workspace = _root_options(args)
    if option in LANGUAGES:
        return option, "--lang"
    env = environ.get(LANG_ENV, "").strip()
    if env:
        if env not in LANGUAGES:
            raise click.ClickException(
                f"{LANG_ENV} must be nb, nn or en, not {env[:20]!r}")
        return env, LANG_ENV
    planned = plan_language(workspace, cwd or Path.cwd())
    if planned:
        return planned, "plan"
    system = system_language(environ)
    if system:
        return system, "locale"
    return "en", "default"


def _root_options(args: Sequence[str]) -> tuple[str | None, Path | None]:
    """``--lang`` and ``--workspace`` as given before the command's name."""
    found: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name.startswith("-w") and name not in ("-w", "--workspace") and \
                not name.startswith("--"):
            name, eq, value = "-w", "=", name[2:]
        if name in _VALUED:
            if not eq:
                i += 1
                value = args[i] if i < len(args) else ""
            found["--workspace" if name == "-w" else name] = value
        i += 1
    folder = found.get("--workspace")
    return found.get("--lang"), Path(folder) if folder else None


def plan_language(workspace: Path | None, cwd: Path) -> str | None:
    """``programme.language`` of the workspace's plan, if the plan says it and it is one
    interessent speaks. The plan is read as TOML only: a plan with mistakes still chooses
    the language of the errors ``plan check`` reports about it."""
    if workspace is not None:
        candidates = [workspace if workspace.is_absolute() else cwd / workspace]
    else:
        candidates = [cwd, *cwd.parents]
    for folder in candidates:
        plan = folder / PLAN_FILE
        try:
            with plan.open("rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            return None
        programme = data.get("programme")
        language = programme.get("language") if isinstance(programme, dict) else None
        return language if language in LANGUAGES else None
    return None


def system_language(environ: Mapping[str, str]) -> str | None:
    """The language of the system locale, read as gettext does: the first of
    ``LANGUAGE`` (a list such as ``nn:nb``), ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that
    is set; ``None`` for one interessent does not speak (``C``, ``de_DE``)."""
    for name in LOCALE_ENV:
        value = environ.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            language = language_of(part)
            if language:
                return language
        if name != "LANGUAGE":
            return None
    return None


#: What chose the language of the command line running in this context (see
#: :func:`choose_language`), for a command whose output follows the plan unless the
#: person asked for another (``report``).
_CHOSEN_BY: ContextVar[str] = ContextVar("interessent_language_chosen_by", default="default")


def language_from(args: Sequence[str], cwd: Path | None = None) -> str:
    """:func:`choose_language` for this process's environment; remembers what chose it
    (:func:`asked_for`)."""
    language, chosen_by = choose_language(args, os.environ, cwd)
    _CHOSEN_BY.set(chosen_by)
    return language


def asked_for() -> bool:
    """Whether the person asked for the language of this command line (``--lang`` or
    ``INTERESSENT_LANG``), rather than the plan, the locale or the default choosing it."""
    return _CHOSEN_BY.get() in ("--lang", LANG_ENV)


#: The messages of click's that interessent's users meet, so that extraction puts them in
#: interessent's catalog (click's own text; the catalog translates them).
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Error: {message}"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value} is not in the range {range}."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
)


def _click_plurals() -> None:  # never called: marks click's plural messages for extraction
    ngettext("Got unexpected extra argument ({args})",
             "Got unexpected extra arguments ({args})", 1)
    ngettext("Option {name!r} requires an argument.",
             "Option {name!r} requires {nargs} arguments.", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)


#: Click's modules that translate their words.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types", "utils")


def _click_gettext(message: str) -> str:
    return gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


_HELP_HELP = "Show this message and exit."


def translate_click() -> None:
    """Make click's words come from interessent's catalog, in the current language.

    Click makes a command's ``--help`` option once and keeps it, its help text in the
    language of the first run in the process; the option's text is set again each time
    it is asked for, so a second run in another language (a test, a caller of ``main``)
    reads its own."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]
    if getattr(click.Command.get_help_option, "_translated", False):
        return
    original = click.Command.get_help_option

    def get_help_option(self: click.Command, ctx: click.Context) -> click.Option | None:
        option = original(self, ctx)
        if option is not None:
            option.help = gettext(_HELP_HELP)
        return option

    get_help_option._translated = True  # type: ignore[attr-defined]
    click.Command.get_help_option = get_help_option  # type: ignore[method-assign]


def translate_help(command: click.Command) -> None:
    """Every help text under ``command`` (its own, its options', its subcommands') in the
    current language.

    Help is written in English where a command is defined, marked ``N_("…")`` for
    extraction (click writes ``--version``'s, one of :data:`CLICK_MESSAGES`); the English
    text is kept on the object (``_help_en``), so each run in the
    process (a test, a caller of ``main``) reads its own language."""
    for item in _helped(command):
        english = item.__dict__.setdefault("_help_en", item.help)
        item.help = gettext(english) if english else english


def _helped(command: click.Command) -> list[click.Command | click.Option]:
    found: list[click.Command | click.Option] = [command]
    found += [p for p in command.params if isinstance(p, click.Option)]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _helped(sub)
    return found


#: The headers of the tables of ``coverage``, ``due`` and ``leaders`` (by column key,
#: which JSON and CSV keep in English).
COLUMNS = (
    Np_("column", "key"), Np_("column", "name"), Np_("column", "reached"),
    Np_("column", "direct"), Np_("column", "network"), Np_("column", "leaders"),
    Np_("column", "touchpoints"), Np_("column", "score"), Np_("column", "id"),
    Np_("column", "title"), Np_("column", "status"), Np_("column", "expected"),
    Np_("column", "actual"), Np_("column", "due"), Np_("column", "explanation"),
    Np_("column", "urgency"), Np_("column", "start by"), Np_("column", "group"),
    Np_("column", "reason"), Np_("column", "rank"), Np_("column", "kind"),
    Np_("column", "languages"), Np_("column", "formats"), Np_("column", "source"),
    Np_("column", "serves"), Np_("column", "description"), Np_("column", "organisation"),
    Np_("column", "roles"), Np_("column", "groups"), Np_("column", "influence"),
    Np_("column", "interest"), Np_("column", "language"), Np_("column", "subject"),
    Np_("column", "acceptance"), Np_("column", "raised on"), Np_("column", "raised by"),
    Np_("column", "closed on"), Np_("column", "answer"), Np_("column", "owner"),
    Np_("column", "stakeholder"), Np_("column", "commitment"), Np_("column", "done on"),
    Np_("column", "overdue"),
)


def headers(columns: Sequence[str], shown: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each column's header in the current language; ``shown`` names the header of a
    column whose key is not its English header (``start_by`` → ``start by``)."""
    named = shown or {}
    return {c: pgettext("column", named.get(c, c)) for c in columns}
