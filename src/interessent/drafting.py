"""Letters: tailored drafts from user-editable templates, one per recipient.

A drafting run (:func:`draft`) goes in three steps, so that it is all or nothing:

1. **Gather** everything once, with bulk queries: all stakeholders, the last contact of
   each (one scan of the log up to ``as_of``), the recent success stories, the
   commitments' status, the plan. Nothing is queried per letter.
2. **Render** every letter in memory: each recipient gets a context assembled in plain
   Python (``docs/drafting.md`` lists every variable) and the template, compiled once,
   renders it in Jinja's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``. Any
   template error (a misspelt field, a syntax error, a sandbox escape) stops the run here,
   before a single file exists.
3. **Write** the files (a new folder filled under a temporary name and renamed into place;
   into an existing folder, each file under a temporary name, renamed when all are
   written; on any error every file of the run is removed) and, with ``record``, log each
   letter as an interaction in the same transaction.

Templates are looked up in the workspace's ``templates/`` folder, then among the
built-in ones (``interessent/templates``). A template named ``NAME`` is ``NAME.j2`` with
optional variants ``NAME.<lang>.<fmt>.j2`` > ``NAME.<lang>.j2`` > ``NAME.<fmt>.j2`` >
``NAME.j2`` (lang ``nb``, ``nn``, ``en``; fmt ``md``, ``txt``, ``html``). Only
``.html.j2`` templates autoescape; HTML without such a variant is made from the text
variant, escaped. ``.docx`` uses ``NAME.docx`` or ``letter.docx`` (docxtpl) when the
workspace has one, else a plain Word document of the text variant.

A template may declare, at its top level, ``{% set subject = "…" %}`` (the subject line,
may use variables), ``{% set topic = "overarching" %}`` (the default topic of the
information responsibility) and ``{% set serves = ["L1", "V4"] %}`` (the commitments a
letter fulfils when ``record`` logs it). ``topic`` and ``serves`` must be written
literally: they are read without rendering.

The errors (:class:`TemplateProblem`, :class:`TemplateSecurityError`,
:class:`DraftWriteError`) live in :mod:`interessent.errors` with the rest of the tree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import io
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import frozen

from ._bulk import collector_paused
from .errors import (
    DraftWriteError,
    InteressentError,
    InvalidInput,
    NotFound,
    TemplateProblem,
    TemplateSecurityError,
)

if TYPE_CHECKING:
    from jinja2 import Environment, Template
    from jinja2.runtime import Context

    from .coverage import CommitmentStatus
    from .model import Stakeholder
    from .plan import Plan
    from .policy import Notifiee, Signature
    from .workspace import Workspace

__all__ = [
    "FORMATS",
    "DraftRun",
    "DraftWriteError",
    "Letter",
    "Notice",
    "Record",
    "Skipped",
    "TemplateInfo",
    "TemplateProblem",
    "TemplateSecurityError",
    "draft",
    "letter_context",
    "list_templates",
    "notify",
    "safe_filename",
    "template_source",
]

T = TypeVar("T")

#: Output formats: Markdown, plain text, HTML, e-mail (MIME) and Word.
FORMATS = ("md", "txt", "html", "eml", "docx")
MARKUPS = ("md", "txt", "html")
LANGUAGES = ("nb", "nn", "en")
LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"
DRAFTS_DIR = "utkast"
#: How far back a success story is recent enough to tell.
SUCCESS_DAYS = 365

_SALUTATION = {"nb": "Hei", "nn": "Hei", "en": "Dear"}
_TO = {"nb": "Til", "nn": "Til", "en": "To"}
_CLOSING = {"nb": "Med vennlig hilsen", "nn": "Med venleg helsing", "en": "Kind regards"}
_AND = {"nb": "og", "nn": "og", "en": "and"}


# --- values templates see -----------------------------------------------------------------


class Record:
    """A read-only mapping whose keys read as attributes in templates (``in_group.x``).

    Unlike a dict it has no methods, so a key such as ``items`` or ``keys`` means the
    key, and a key that does not exist is an error under ``StrictUndefined``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Record is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:
        return bool(self._data)

    def __repr__(self) -> str:
        return f"Record({self._data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]


# --- results ------------------------------------------------------------------------------


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
    format: str
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


# --- file names ---------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
             *(f"COM{c}" for c in "¹²³"), *(f"LPT{c}" for c in "¹²³")}
_FORBIDDEN_CHARS = set('<>:"/\\|?*')
_NAME_LIMIT = 100
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*")


def safe_filename(stem: str, ext: str, *, limit: int = _NAME_LIMIT) -> str:
    """A file name for ``stem`` that stays inside its folder on every system.

    Path separators, ``..``, control and format characters, characters Windows forbids,
    leading and trailing dots and spaces and Windows-reserved names (CON, NUL, COM1 …,
    also with an extension) are neutralised; the result is at most ``limit`` characters
    (and 200 bytes), leaving room for a collision number.
    """
    if _PLAIN_NAME.fullmatch(stem) and len(stem) + len(ext) + 5 <= limit and (
            stem.split(".")[0].upper() not in _RESERVED):
        return f"{stem}.{ext}"
    text = unicodedata.normalize("NFC", stem)
    text = "".join(
        "-" if ch in _FORBIDDEN_CHARS or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co",
                                                                       "Zl", "Zp")
        else ch
        for ch in text
    )
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    if not text:
        text = "brev"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    room = limit - len(ext) - 1 - 4  # "-999"
    while len(text) > room or len(text.encode("utf-8")) > 200:
        text = text[:-1]
    text = text.rstrip(" .") or "brev"
    return f"{text}.{ext}"


def _allocate(folder: Path, names: Sequence[str]) -> list[str]:
    """``names`` made unique against each other and the files already in ``folder``,
    case-insensitively, by numbering: ``kari.md``, ``kari-2.md`` …"""
    taken = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}"
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def _write_new(path: str | Path, data: bytes) -> None:
    """Write a file that must not exist yet (mode 0666 less the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o666)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


def _write_files(folder: Path, items: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every file, or none.

    A new folder is filled under a temporary name beside it and renamed into place once
    every file is written, so the whole run appears at once. Into an existing folder each
    file goes to a temporary file first, renamed into place when all are written; files
    already there are never overwritten (new ones are numbered). On any error every file
    of the run is removed.

    Nothing is fsynced: renaming is what makes a file appear whole, and a draft lost to a
    power cut can be made again. (Syncing the folder would flush every new file to disk
    and take longer than the whole run on a busy disk.)
    """
    for name, _ in items:
        if name in ("", ".", "..") or "/" in name or "\\" in name or os.sep in name:
            raise DraftWriteError(folder, f"refusing to write {name!r} outside it",
                                  message=f"refusing to write {name!r} outside {folder}")
    token = secrets.token_hex(4)
    temps: list[Path] = []
    done: list[Path] = []
    staging: Path | None = None
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = folder.parent / f".{folder.name}.{token}.tmp"
            staging.mkdir()
            names = _allocate(staging, [name for name, _ in items])
            where = f"{staging}{os.sep}"
            for name, (_, data) in zip(names, items, strict=True):
                _write_new(where + name, data)
            staging.rename(folder)
            staging = None
            return [folder / name for name in names]
        names = _allocate(folder, [name for name, _ in items])
        for n, (name, (_, data)) in enumerate(zip(names, items, strict=True)):
            tmp = folder / f".{name}.{token}-{n}.tmp"
            temps.append(tmp)
            _write_new(tmp, data)
        for tmp, name in zip(temps, names, strict=True):
            target = folder / name
            tmp.replace(target)
            done.append(target)
        return done
    except OSError as exc:
        _remove([*temps, *done])
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise DraftWriteError(
            folder, reason, errno=exc.errno,
            message=f"could not write the letters to {folder}: {reason}; no letter was written",
        ) from exc


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


# --- templates ----------------------------------------------------------------------------

_FILE = re.compile(
    r"^(?P<name>[^.]+)(?:\.(?P<lang>nb|nn|en))?(?:\.(?P<fmt>md|txt|html))?\.j2$")
_DOCX = re.compile(r"^(?P<name>[^.]+)(?:\.(?P<lang>nb|nn|en))?\.docx$")
_COMMENT = re.compile(r"^\s*\{#-?\s*(.*?)\s*-?#\}", re.DOTALL)
_META = ("topic", "serves")


def _is_html(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith(".html")


@functools.lru_cache(maxsize=8192)
def _format_date(day: dt.date, fmt: str, locale: str) -> str:
    from babel.dates import format_date

    return str(format_date(day, format=fmt, locale=locale))


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


class _Library:
    """The templates of a workspace: files, variants, compiled templates, errors."""

    def __init__(self, ws: Workspace) -> None:
        self.dirs: list[tuple[Path, str]] = [
            (d, source) for d, source in ((ws.templates_path, "workspace"),
                                          (BUILTIN_TEMPLATES, "built-in"))
            if d.is_dir()
        ]
        self._files: dict[str, tuple[Path, str]] | None = None
        self._env: Environment | None = None
        self._compiled: dict[str, Template] = {}
        self._meta: dict[str, dict[str, Any]] = {}
        self._docx_env: Environment | None = None

    @property
    def files(self) -> dict[str, tuple[Path, str]]:
        """File name → (path, source); the workspace's shadow the built-in ones."""
        if self._files is None:
            files: dict[str, tuple[Path, str]] = {}
            for folder, source in self.dirs:
                for path in sorted(folder.iterdir()):
                    if path.is_file() and (_FILE.match(path.name) or _DOCX.match(path.name)):
                        files.setdefault(path.name, (path, source))
            self._files = files
        return self._files

    def names(self) -> list[str]:
        found = set()
        for name in self.files:
            match = _FILE.match(name) or _DOCX.match(name)
            if match:
                found.add(match.group("name"))
        return sorted(found)

    def require(self, name: str) -> None:
        if name not in self.names():
            usable = [n for n in self.names() if n not in ("base", "letter")
                      and not n.startswith("_")]
            raise NotFound(
                f"no template {name!r} in {self.where()} (templates: "
                f"{', '.join(usable) or 'none'})"
            )

    def where(self) -> str:
        return " or ".join(str(d) for d, _ in self.dirs) or "no template folder"

    def find(self, name: str, language: str, markup: str, fallback_languages: Sequence[str],
             *, strict: bool = False) -> str | None:
        """The variant of ``name`` for ``language`` and ``markup`` (md, txt, html).

        ``strict``: only variants written for ``markup`` (HTML needs an ``.html.j2``).
        """
        files = self.files
        order = [language, *(lang for lang in fallback_languages if lang != language)]
        candidates: list[str] = [f"{name}.{language}.{markup}.j2"]
        if not strict:
            candidates.append(f"{name}.{language}.j2")
        candidates.append(f"{name}.{markup}.j2")
        if not strict:
            candidates.append(f"{name}.j2")
        for other in order[1:]:
            candidates.append(f"{name}.{other}.{markup}.j2")
            if not strict:
                candidates.append(f"{name}.{other}.j2")
        return next((c for c in candidates if c in files), None)

    def find_docx(self, name: str, language: str) -> str | None:
        files = self.files
        for candidate in (f"{name}.{language}.docx", f"{name}.docx", "letter.docx"):
            if candidate in files:
                return candidate
        return None

    @property
    def env(self) -> Environment:
        if self._env is None:
            from jinja2 import ChoiceLoader, FileSystemLoader

            loader = ChoiceLoader([FileSystemLoader(str(d)) for d, _ in self.dirs])
            self._env = _environment(loader)
        return self._env

    @property
    def docx_env(self) -> Environment:
        if self._docx_env is None:
            self._docx_env = _environment(None, caching=True)
        return self._docx_env

    def template(self, file: str) -> Template:
        """The compiled template (compiled once per run)."""
        if file not in self._compiled:
            self._compiled[file] = self.call(lambda: self.env.get_template(file), file, None)
        return self._compiled[file]

    def source(self, file: str) -> str:
        path, _ = self.files[file]
        return path.read_text(encoding="utf-8")

    def meta(self, file: str) -> dict[str, Any]:
        """The literal top-level ``{% set topic/serves = … %}`` of a template file."""
        if not file.endswith(".j2"):
            return {}
        if file not in self._meta:
            from jinja2 import nodes

            ast = self.call(lambda: self.env.parse(self.source(file), file, file), file, None)
            found: dict[str, Any] = {}
            for node in ast.body:
                if (isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name)
                        and node.target.name in _META):
                    key = node.target.name
                    try:
                        value = cast("nodes.Expr", node.node).as_const()
                    except nodes.Impossible:
                        example = '["B5"]' if key == "serves" else '"daily"'
                        raise TemplateProblem(
                            f"template {file}, line {node.lineno}: {key} must be written "
                            f"literally (e.g. {{% set {key} = {example} %}})",
                            template=file, line=node.lineno, field=key,
                        ) from None
                    if key == "serves":
                        if isinstance(value, str):
                            value = [value]
                        if not isinstance(value, list | tuple) or not all(
                                isinstance(v, str) for v in value):
                            raise TemplateProblem(
                                f"template {file}, line {node.lineno}: serves must be a list "
                                "of commitment ids", template=file, line=node.lineno,
                                field=key)
                        value = tuple(value)
                    elif not isinstance(value, str):
                        raise TemplateProblem(
                            f"template {file}, line {node.lineno}: topic must be text",
                            template=file, line=node.lineno, field=key)
                    found[key] = value
            self._meta[file] = found
        return self._meta[file]

    def description(self, file: str) -> str:
        match = _COMMENT.match(self.source(file))
        if not match:
            return ""
        lines = [line.strip() for line in match.group(1).splitlines() if line.strip()]
        return lines[0] if lines else ""

    # --- errors ---------------------------------------------------------------------------

    def call(self, fn: Callable[[], T], file: str, context: Mapping[str, Any] | None) -> T:
        """Run ``fn`` (compile or render), turning any template error into an
        :class:`InteressentError` that names the file, the line and the field."""
        try:
            try:
                return fn()
            except Exception:
                self.env.handle_exception()  # rewrites the traceback to template lines
        except InteressentError:
            raise
        except Exception as exc:
            raise self.problem(exc, file, context) from exc

    def problem(self, exc: BaseException, file: str, context: Mapping[str, Any] | None, *,
                text: str | None = None) -> InteressentError:
        """The error to raise for ``exc``; ``text`` is the template's text where its lines
        mean nothing to a person (a Word template's XML)."""
        from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        where, line = _template_frame(exc, file)
        if text is not None:
            where, line = file, None
        elif isinstance(exc, TemplateSyntaxError):
            where = Path(exc.filename).name if exc.filename else (exc.name or where)
            line = exc.lineno
        at = f"template {where}" + (f", line {line}" if line else "")
        tail = "; no letter was written"
        if isinstance(exc, SecurityError):
            return TemplateSecurityError(
                f"security error: {at} tried to do something the sandbox forbids "
                f"({str(exc).rstrip('.')}); templates may only read the letter's data{tail}")
        if isinstance(exc, UndefinedError):
            field = _undefined_name(str(exc))
            if field and field.startswith("_"):
                return TemplateSecurityError(
                    f"security error: {at} tried to reach the internal attribute {field!r}; "
                    f"templates may only read the letter's data{tail}")
            source = text if text is not None else _source_line(exc, where, line, self)
            path, hint = _field_hint(field, source, context)
            shown = path or field or str(exc)
            return TemplateProblem(f"{at}: unknown field {shown!r}{hint}{tail}",
                                   template=where, line=line, field=shown)
        if isinstance(exc, TemplateNotFound):
            return TemplateProblem(
                f"{at}: there is no template {exc.name!r} to extend or include "
                f"(looked in {self.where()}){tail}", template=where, line=line)
        if isinstance(exc, TemplateSyntaxError):
            return TemplateProblem(f"{at}: {exc.message}{tail}", template=where, line=line)
        return TemplateProblem(f"{at}: {type(exc).__name__}: {exc}{tail}", template=where,
                               line=line)


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost traceback frame that is a template line: (file name, line)."""
    found: tuple[str, int | None] = (default, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".docx")) or name == "<template>":
            found = (Path(name).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(message: str) -> str | None:
    for pattern in (r"has no attribute '([^']+)'", r"^'([^']+)' is undefined",
                    r"has no element '?([^']+?)'?$"):
        match = re.search(pattern, message)
        if match:
            return match.group(1)
    return None


def _source_line(exc: BaseException, where: str, line: int | None, library: _Library) -> str:
    if not line:
        return ""
    tb = exc.__traceback__
    path: str | None = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if Path(name).name == where:
            path = name
        tb = tb.tb_next
    try:
        text = Path(path).read_text(encoding="utf-8") if path else library.source(where)
        return text.splitlines()[line - 1]
    except (OSError, IndexError, KeyError):
        return ""


def _field_hint(field: str | None, line: str,
                context: Mapping[str, Any] | None) -> tuple[str | None, str]:
    """The dotted path of a misspelt field as written on ``line``, and a hint naming the
    fields that do exist there."""
    if not field or context is None:
        return None, ""
    match = re.search(rf"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.{re.escape(field)}\b", line)
    owner: Any = context
    path = field
    if match:
        path = f"{match.group(1)}.{field}"
        for part in match.group(1).split("."):
            try:
                owner = owner[part] if isinstance(owner, Mapping | Record) else getattr(
                    owner, part)
            except (KeyError, AttributeError, TypeError):
                return path, ""
    if isinstance(owner, Mapping | Record):
        # Jinja's own globals (range, namespace …) are not the letter's fields
        known = sorted(str(k) for k in owner if not callable(owner[k]))
    else:
        return path, ""
    close = difflib.get_close_matches(field, known, n=1)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    where = match.group(1) if match else "the letter"
    shown = ", ".join(known) if len(known) <= 30 else ", ".join(known[:30]) + ", …"
    return path, f"{hint} ({where} has: {shown})"


# --- the data of a run --------------------------------------------------------------------


def _address_lines(address: str | None) -> tuple[str, ...]:
    if not address:
        return ()
    return tuple(stripped for part in address.split(",") if (stripped := part.strip()))


def _place(address: str | None, municipality: str) -> str:
    lines = _address_lines(address)
    if lines:
        last = re.sub(r"^\d{4}\s+", "", lines[-1]).strip()
        if last:
            return last
    return re.sub(r"\s+kommune$", "", municipality, flags=re.IGNORECASE)


def _valid_email(value: str | None) -> bool:
    if not value or len(value) > 254 or any(
            ch.isspace() or unicodedata.category(ch).startswith("C") for ch in value):
        return False
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        return Address(addr_spec=value).addr_spec == value and "@" in value
    except (ValueError, HeaderParseError, IndexError, TypeError):
        return False


@functools.lru_cache(maxsize=4096)
def _header_text(value: str) -> str:
    """One line of text for a mail header: no control characters, no line breaks."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    return " ".join(text.split())


def _comment_text(value: str) -> str:
    """Text safe inside an HTML comment."""
    return _header_text(value).replace("--", "–").replace(">", "›").replace("<", "‹")


def _xml_text(value: str) -> str:
    """Text Word can hold: no characters XML 1.0 forbids."""
    return "".join(ch for ch in value if ch in "\t\n\r" or (
        ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff"))


@frozen
class _Event:
    """An interaction as a letter mentions it (the last contact, a success story)."""

    id: str
    date: dt.date
    kind: str
    channel: str | None
    topic: str | None
    notes: str | None
    success: bool


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_CONTACTS = """
    SELECT s.id, i.date, i.id, i.kind, i.channel, i.topic, i.notes, i.success
        FROM interaction_participants p
        JOIN interactions i ON i.pk = p.interaction_pk
        JOIN stakeholders s ON s.pk = p.stakeholder_pk
        WHERE i.date <= :end
    UNION ALL
    SELECT h.id, i.date, i.id, i.kind, i.channel, i.topic, i.notes, i.success
        FROM interactions i JOIN stakeholders h ON h.pk = i.host_pk
        WHERE i.date <= :end"""

_STORIES = """SELECT id FROM interactions WHERE success = :yes AND date >= :start
    AND date <= :end ORDER BY date DESC, id DESC"""


class _Run:
    """Everything a drafting run needs, gathered once with bulk queries."""

    def __init__(self, ws: Workspace, as_of: dt.date) -> None:
        from sqlalchemy import text

        from .workspace import is_member

        self.ws = ws
        self.plan: Plan = ws.plan
        self.as_of = as_of
        store = ws.store
        groups = self.plan.groups
        since = as_of - dt.timedelta(days=SUCCESS_DAYS)
        everyone = store.stakeholders()
        with store.read() as session:
            last: dict[str, tuple[Any, ...]] = {}
            latest: dict[str, tuple[Any, Any]] = {}
            for row in session.execute(text(_CONTACTS), {"end": as_of}).fetchall():
                who = row[0]
                key = (row[1], row[2])  # (date, id): the same type in every row
                best = latest.get(who)
                if best is None or key > best:
                    latest[who] = key
                    last[who] = row
            story_ids = list(session.scalars(
                text(_STORIES), {"yes": True, "start": since, "end": as_of}))
        self.people: dict[str, Stakeholder] = {s.id: s for s in everyone}
        self.groups_of: dict[str, tuple[str, ...]] = {}
        for s in everyone:
            mine = tuple(g.key for g in groups if (g.key in s.groups if not g.rule
                                                    else is_member(s, g)))
            self.groups_of[s.id] = mine
        self._last_rows = last
        stories = store.interactions(ids=story_ids) if story_ids else []
        stories.sort(key=lambda i: (i.date, i.id), reverse=True)
        self.stories = [_Event(id=i.id, date=i.date, kind=i.kind, channel=i.channel,
                               topic=i.topic, notes=i.notes, success=True) for i in stories]
        self._story_groups: dict[str, frozenset[str]] = {}
        self._stories_of: dict[str, list[_Event]] = {}
        for story, item in zip(self.stories, stories, strict=True):
            direct = {*item.participants, *([item.host] if item.host else [])}
            near = set(direct)
            touched = set(item.groups)
            for who in direct:
                touched.update(self.groups_of.get(who, ()))
                org = self.people[who].organisation if who in self.people else None
                if org:
                    near.add(org)
            self._story_groups[story.id] = frozenset(touched)
            for who in near:
                self._stories_of.setdefault(who, []).append(story)
        self.roles = {r.key: r for r in self.plan.roles}
        self.group_names = {g.key: g.name for g in groups}
        self.kinds = self.plan.all_interaction_kinds
        self.channels = {c.key: c.name for c in self.plan.channels}
        self.notify_roles = tuple(
            {"role": role, "title": self.roles[role].name if role in self.roles else role,
             "names": tuple(s.name for s in everyone if role in s.roles)}
            for role in self.plan.information.notify
        )
        self._statuses: list[CommitmentStatus] | None = None
        self._cache: dict[Any, Any] = {}

    # --- commitments ----------------------------------------------------------------------

    @property
    def statuses(self) -> list[CommitmentStatus]:
        if self._statuses is None:
            from .coverage import check_commitments
            from .periods import Period

            self._statuses = check_commitments(self.ws, Period.year(self.as_of.year),
                                               as_of=self.as_of)
        return self._statuses

    def _next_due(self, st: CommitmentStatus) -> tuple[dt.date, dt.date | None] | None:
        """(date by which it is next due, start of that window) for one commitment: the
        end of its open window when that is still to do, else its next window."""
        from .coverage import Status
        from .plan import CommitmentKind

        c = self.plan.commitment(st.id)
        if c.kind in (CommitmentKind.RATIO, CommitmentKind.STRUCTURAL):
            return None
        if st.status in (Status.DUE, Status.BEHIND, Status.OVERDUE) and st.due is not None:
            return (st.due, None)
        if st.status is Status.OVERDUE:
            return (self.as_of, None)  # missed, and nothing open: act now
        if st.status is Status.NOT_STARTED:
            ahead = [w for w in st.windows if w.period.start > self.as_of]
            return (ahead[0].period.end, ahead[0].period.start) if ahead else None
        if st.status in (Status.MET, Status.BEHIND) and c.cadence is not None:
            current = c.cadence.window(self.as_of)
            nxt = c.cadence.window(current.end + dt.timedelta(days=1))
            end = self.plan.programme.end
            if c.phase:
                phase_end = self.plan.phase(c.phase).end
                end = min(end, phase_end) if end else phase_end
            if end is not None and nxt.start > end:
                return None
            return (nxt.end, nxt.start)
        return None

    def commitments(self, locale: str) -> Record:
        key = ("commitments", locale)
        if key not in self._cache:
            views = {}
            for st in self.statuses:
                c = self.plan.commitment(st.id)
                nxt = self._next_due(st)
                due = nxt[0] if nxt else None
                start = nxt[1] if nxt else None
                responsible = self.roles.get(c.responsible or "")
                views[st.id] = {
                    "id": st.id, "title": st.title, "text": c.text, "status": st.status.value,
                    "groups": tuple(c.groups), "channel": c.channel,
                    "responsible": c.responsible,
                    "responsible_title": responsible.name if responsible else None,
                    "due": due, "due_text": _format_date(due, "long", locale) if due else None,
                    "window_start": start,
                    "window_start_text": _format_date(start, "long", locale) if start else None,
                    "explanation": st.explanation,
                }
            self._cache[key] = Record(views)
        result: Record = self._cache[key]
        return result

    def next_commitment(self, groups: tuple[str, ...], locale: str) -> dict[str, Any] | None:
        key = ("next", groups, locale)
        if key not in self._cache:
            views = self.commitments(locale)
            wanted = set(groups)
            mine = [st for st in self.statuses
                    if set(st.groups) & wanted and views[st.id]["due"] is not None]
            # what is to do in an open window (or overdue) first, then the next windows
            urgent = [views[st.id] for st in mine if st.status.value == "overdue" or (
                st.due is not None and st.status.value in ("due", "behind"))]
            pool = urgent or [views[st.id] for st in mine]
            self._cache[key] = min(pool, key=lambda v: v["due"]) if pool else None
        found: dict[str, Any] | None = self._cache[key]
        return found

    # --- people ---------------------------------------------------------------------------

    def flags(self, kind: str, keys: tuple[str, ...]) -> Record:
        cache_key = (kind, keys)
        if cache_key not in self._cache:
            every = self.group_names if kind == "group" else self.roles
            self._cache[cache_key] = Record({k: k in keys for k in every})
        result: Record = self._cache[cache_key]
        return result

    def _names(self, kind: str, keys: tuple[str, ...]) -> tuple[str, ...]:
        cache_key = (kind, "names", keys)
        names: tuple[str, ...] | None = self._cache.get(cache_key)
        if names is None:
            if kind == "group":
                names = tuple(self.group_names[k] for k in keys)
            else:
                names = tuple(self.roles[k].name if k in self.roles else k for k in keys)
            self._cache[cache_key] = names
        return names

    def recipient(self, s: Stakeholder) -> dict[str, Any]:
        groups = self.groups_of.get(s.id, ())
        org = self.people.get(s.organisation) if s.organisation else None
        parts = s.name.split()
        lines = _address_lines(s.address)
        person = s.is_person
        org_name = org.name if org else None
        return {
            "id": s.id,
            "name": s.name,
            "first_name": parts[0] if person and parts else s.name,
            "last_name": parts[-1] if person and len(parts) > 1 else "",
            "kind": s.kind.value,
            "is_person": person,
            "is_organisation": not person,
            "organisation": org_name,
            "organisation_id": s.organisation,
            "email": s.email,
            "phone": s.phone,
            "address": s.address,
            "address_lines": lines,
            "address_block": (s.name, org_name, *lines) if org_name and person
            else (s.name, *lines),
            "roles": self._names("role", s.roles),
            "role_keys": s.roles,
            "groups": self._names("group", groups),
            "group_keys": groups,
            "in_group": self.flags("group", groups),
            "has_role": self.flags("role", s.roles),
            "language": s.language.value,
            "influence": s.influence,
            "interest": s.interest,
            "tags": s.tags,
        }

    def last_interaction(self, sid: str, locale: str) -> dict[str, Any] | None:
        """The recipient's last contact with the programme (taking part or hosting)."""
        row = self._last_rows.get(sid)
        if row is None:
            return None
        key = ("event", row[2], locale)
        view: dict[str, Any] | None = self._cache.get(key)
        if view is None:
            item = _Event(id=row[2], date=_day(row[1]), kind=row[3], channel=row[4],
                          topic=row[5], notes=row[6], success=bool(row[7]))
            view = self.event_view(item, locale)
        return view

    def event_view(self, item: _Event, locale: str) -> dict[str, Any]:
        key = ("event", item.id, locale)
        view: dict[str, Any] | None = self._cache.get(key)
        if view is None:
            view = self._cache[key] = {
                "id": item.id, "date": item.date,
                "date_text": _format_date(item.date, "long", locale),
                "kind": item.kind, "kind_name": self.kinds.get(item.kind, item.kind),
                "channel": item.channel,
                "channel_name": self.channels.get(item.channel or "", item.channel),
                "topic": item.topic, "title": item.topic, "notes": item.notes,
                "success": item.success,
            }
        return view

    def success_stories(self, s: Stakeholder, locale: str) -> tuple[dict[str, Any], ...]:
        """The recent success stories that share a target group with ``s`` or involve
        ``s`` or their organisation, newest first."""
        groups = self.groups_of.get(s.id, ())
        key = ("stories", groups, locale)
        by_group: tuple[dict[str, Any], ...] | None = self._cache.get(key)
        if by_group is None:
            wanted = set(groups)
            by_group = self._cache[key] = tuple(
                self.event_view(st, locale) for st in self.stories
                if self._story_groups[st.id] & wanted)
        if not self._stories_of:
            return by_group
        extra = [*self._stories_of.get(s.id, ()),
                 *(self._stories_of.get(s.organisation, ()) if s.organisation else ())]
        if not extra:
            return by_group
        seen = {v["id"] for v in by_group}
        views = [*by_group, *(self.event_view(st, locale) for st in extra
                              if st.id not in seen)]
        views = list({v["id"]: v for v in views}.values())
        views.sort(key=lambda v: (v["date"], v["id"]), reverse=True)
        return tuple(views)

    def programme(self, locale: str) -> dict[str, Any]:
        key = ("programme", locale)
        if key not in self._cache:
            p = self.plan.programme
            org = self.people.get(p.organisation) if p.organisation else None
            self._cache[key] = {
                "name": p.name, "municipality": p.municipality, "vision": p.vision,
                "goals": p.goals, "website": p.website, "email": p.email or (
                    org.email if org else None),
                "organisation": org.name if org else p.name,
                "organisation_id": p.organisation,
                "address": org.address if org else None,
                "address_lines": _address_lines(org.address if org else None),
                "phone": org.phone if org else None,
                "place": _place(org.address if org else None, p.municipality),
                "letterhead": tuple(line for line in (
                    org.name if org else p.name, *_address_lines(org.address if org else None),
                    " · ".join(x for x in (org.phone if org else None, p.email, p.website) if x),
                ) if line),
                "start": p.start, "end": p.end,
                "start_text": _format_date(p.start, "long", locale),
                "end_text": _format_date(p.end, "long", locale) if p.end else None,
            }
        view: dict[str, Any] = self._cache[key]
        return view

    # --- choosing recipients --------------------------------------------------------------

    def members(self, group: str) -> list[Stakeholder]:
        return [s for sid, s in sorted(self.people.items()) if group in self.groups_of[sid]]

    def reached(self, start: dt.date, end: dt.date) -> set[str]:
        """Stakeholders reached directly between ``start`` and ``end``: participants,
        hosts, and the organisations of participants."""
        from sqlalchemy import text

        from .coverage import reached_sql

        with self.ws.store.read() as session:
            dialect = session.get_bind().dialect.name
            query = text(f"WITH {reached_sql(dialect)} SELECT s.id FROM reached "  # noqa: S608 - fixed SQL
                         "JOIN stakeholders s ON s.pk = reached.pk")
            return set(session.scalars(query, {"start": start, "end": end}))

    def window(self, group: str) -> tuple[dt.date, dt.date]:
        """The current window of the group's shortest commitment cadence (a year if none)."""
        from .periods import Unit

        cadences = [c.cadence for c in self.plan.commitments if group in c.groups and c.cadence]
        unit = min(cadences, key=lambda u: u.months) if cadences else Unit.YEAR
        window = unit.window(self.as_of)
        return window.start, self.as_of


def _rank(ws: Workspace, group: str | None, as_of: dt.date) -> list[str]:
    from .graph import rank_leaders

    top = ws.plan.leaders.top
    return [score.id for score in rank_leaders(ws, group=group, top=top, as_of=as_of)]


def _choose(run: _Run, groups: Sequence[str], stakeholders: Sequence[str], uncovered: bool,
            leaders: bool) -> list[Stakeholder]:
    """Explicit stakeholders first, then the members of the groups (only their leaders
    with ``leaders``, only those not reached in the current window with ``uncovered``,
    leaders first)."""
    plan = run.plan
    missing = [i for i in stakeholders if i not in run.people]
    if missing:
        raise NotFound(f"no stakeholder with id {', '.join(map(repr, missing))}")
    chosen = [plan.group(g).key for g in groups]
    if not chosen and not stakeholders:
        if not (uncovered or leaders):
            raise InvalidInput(
                "choose the recipients: --group, --stakeholder, --uncovered or --leaders")
        chosen = [g.key for g in plan.groups]
    picked: list[Stakeholder] = [run.people[i] for i in stakeholders]
    if chosen:
        ranked: dict[str, list[str]] = {}
        if leaders or uncovered:
            ranked = {g: _rank(run.ws, g, run.as_of) for g in chosen}
        leader_order: list[str] = list(dict.fromkeys(i for g in chosen for i in ranked.get(g, ())))
        pool: list[Stakeholder]
        if leaders:
            pool = [run.people[i] for i in leader_order if i in run.people]
        else:
            pool = list({s.id: s for g in chosen for s in run.members(g)}.values())
        if uncovered:
            keep = set()
            for g in chosen:
                start, end = run.window(g)
                reached = run.reached(start, end)
                keep |= {s.id for s in pool if g in run.groups_of[s.id] and s.id not in reached}
            pool = [s for s in pool if s.id in keep]
            rank = {sid: n for n, sid in enumerate(leader_order)}
            pool.sort(key=lambda s: (rank.get(s.id, len(rank)), -(s.influence or 3), s.name,
                                     s.id))
        picked += pool
    return list({s.id: s for s in picked}.values())


def _skip_reason(s: Stakeholder, fmt: str, signer: str) -> str | None:
    if s.opted_out:
        return "opted out of communication from the programme"
    if s.restricted:
        return "processing of their data is restricted (GDPR)"
    if s.id == signer:
        return "is the signer of the letters"
    if fmt == "eml":
        if not s.email:
            return "no e-mail address"
        if not _valid_email(s.email):
            return f"invalid e-mail address {_header_text(s.email)!r}"
    return None


# --- rendering ----------------------------------------------------------------------------


@frozen
class _Rendered:
    recipient: Stakeholder
    file_stem: str
    ext: str
    content: str | bytes
    subject: str
    language: str
    template: str
    serves: tuple[str, ...]


class _Drafter:
    def __init__(self, run: _Run, library: _Library, *, name: str, fmt: str,
                 signature: Signature, combined: bool, event: str | None,
                 values: Mapping[str, str]) -> None:
        self.run = run
        self.library = library
        self.name = name
        self.fmt = fmt
        self.signature = signature
        self.combined = combined
        plan = run.plan
        self.home = plan.programme.language if plan.programme.language in LANGUAGES else "nb"
        self.fallback = [self.home, *(lang for lang in LANGUAGES if lang != self.home)]
        sig = signature
        self.signer = {
            "name": sig.name, "title": sig.title, "role": sig.role, "stakeholder": sig.stakeholder,
            "email": sig.email, "phone": sig.phone, "organisation": sig.organisation,
            "topic": sig.topic, "topic_name": sig.topic_name, "rule": sig.rule,
            "cleared_by": sig.cleared_by, "cleared_by_title": sig.cleared_by_title,
            "note": sig.note,
        }
        self.event = event
        self.values = Record(dict(values))
        self.groups = Record({
            g.key: {"key": g.key, "name": g.name, "number": g.number,
                    "description": g.description}
            for g in plan.groups
        })
        self._shared: dict[str, dict[str, Any]] = {}
        self._bases: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
        self._comments: dict[str, str] = {}
        self._languages: dict[str, str] = {}
        self._variants: dict[tuple[str, str, bool], str | None] = {}
        self._docx_source: dict[str, bytes] = {}

    def variant(self, language: str, markup: str, *, strict: bool = False) -> str | None:
        key = (language, markup, strict)
        if key not in self._variants:
            self._variants[key] = self.library.find(self.name, language, markup, self.fallback,
                                                    strict=strict)
        return self._variants[key]

    def language_of(self, file: str) -> str:
        """The language a template file is written in (its ``.nn`` part, else the
        programme's)."""
        found = self._languages.get(file)
        if found is None:
            match = _FILE.match(file) or _DOCX.match(file)
            found = self._languages[file] = (match.group("lang") if match else None) or self.home
        return found

    def shared(self, locale: str) -> dict[str, Any]:
        if locale not in self._shared:
            run = self.run
            self._shared[locale] = {
                "programme": run.programme(locale),
                "signer": self.signer,
                "commitments": run.commitments(locale),
                "groups": self.groups,
                "notify_roles": run.notify_roles,
                "all_success_stories": tuple(
                    run.event_view(i, locale) for i in run.stories),
                "event": self.event,
                "values": self.values,
                "today": run.as_of,
                "as_of": run.as_of,
                "today_text": _format_date(run.as_of, "long", locale),
                "subject": None,
            }
        return self._shared[locale]

    def _base(self, file: str, markup: str) -> tuple[dict[str, Any], str, str]:
        """What every letter rendered from ``file`` as ``markup`` shares."""
        key = (file, markup)
        found = self._bases.get(key)
        if found is None:
            run = self.run
            language = self.language_of(file)
            locale = LOCALES[language]
            commitments = run.commitments(locale)
            served = self.library.meta(file).get("serves", ())
            base = {**self.library.env.globals, **self.shared(locale)}
            base.update(
                closing=_CLOSING[language],
                served=tuple(commitments[c] for c in served if c in commitments),
                letter={
                    "template": self.name, "file": file, "topic": self.signature.topic,
                    "topic_name": self.signature.topic_name, "format": self.fmt,
                    "markup": markup, "language": language, "locale": locale,
                    "combined": self.combined, "date": run.as_of,
                    "date_text": _format_date(run.as_of, "long", locale),
                },
            )
            found = self._bases[key] = (base, language, locale)
        return found

    def context(self, s: Stakeholder, file: str, markup: str) -> dict[str, Any]:
        """The variables a template sees for one recipient (docs/drafting.md)."""
        run = self.run
        base, language, locale = self._base(file, markup)
        recipient = run.recipient(s)
        ctx = base.copy()
        ctx["recipient"] = recipient
        ctx["salutation"] = (f"{_SALUTATION[language]} {recipient['first_name']},"
                             if s.is_person else f"{_TO[language]} {s.name}")
        ctx["last_interaction"] = run.last_interaction(s.id, locale)
        ctx["success_stories"] = run.success_stories(s, locale)
        ctx["next_commitment"] = run.next_commitment(recipient["group_keys"], locale)
        return ctx

    def render_text(self, s: Stakeholder, markup: str, *,
                    strict: bool = False) -> tuple[str, str | None, str, dict[str, Any]] | None:
        """(text, subject, file, context) of the variant for ``markup``, or None. The
        context includes what the template set at its top level (``subject`` …)."""
        file = self.variant(s.language.value, markup, strict=strict)
        if file is None:
            return None
        ctx = self.context(s, file, markup)
        template = self.library.template(file)
        # ``shared``: the context is the letter's own copy (with Jinja's globals), so Jinja
        # need not copy it again
        module = self.library.call(lambda: template.make_module(ctx, shared=True), file, ctx)
        exported = {k: v for k, v in vars(module).items() if not k.startswith("_")}
        if exported:
            ctx.update(exported)
        subject = exported.get("subject")
        return str(module), (_header_text(str(subject)) if subject else None), file, ctx

    def subject_default(self) -> str:
        return f"{self.run.plan.programme.name}: {self.name}"

    def served_for(self, s: Stakeholder, file: str) -> tuple[str, ...]:
        """The commitments the template serves that concern the recipient's groups."""
        serves = self.library.meta(file).get("serves", ())
        if not serves:
            return ()
        groups = set(self.run.groups_of.get(s.id, ()))
        plan = self.run.plan
        return tuple(c for c in serves if set(plan.commitment(c).groups) & groups)

    def render(self, s: Stakeholder) -> _Rendered:
        fmt = self.fmt
        if fmt in ("md", "txt"):
            text_result = self.render_text(s, fmt)
            assert text_result is not None
            text, subject, file, _ = text_result
            subject = subject or self.subject_default()
            if fmt == "md":
                content: str | bytes = self._comment(file) + text
            else:
                content = f"{text.rstrip()}\n\n[{self._provenance(file)}]\n"
        elif fmt == "html":
            result = self.render_text(s, "html", strict=True)
            if result is None:
                plain = self.render_text(s, "txt")
                assert plain is not None
                text, subject, file, _ = plain
                subject = subject or self.subject_default()
                html = _text_to_html(text, subject, self.language_of(file))
            else:
                html, subject, file, _ = result
                subject = subject or self.subject_default()
            content = self._comment(file) + html
        elif fmt == "eml":
            content, subject, file = self._eml(s)
        else:
            content, subject, file = self._docx(s)
        return _Rendered(
            recipient=s, file_stem=s.id, ext=fmt, content=content, subject=subject,
            language=self.language_of(file), template=file, serves=self.served_for(s, file),
        )

    def _provenance(self, file: str) -> str:
        return f"interessent: mal {file}; {self.signature.note}"

    def _comment(self, file: str) -> str:
        """The provenance as an HTML comment (Markdown and HTML letters), once per file."""
        found = self._comments.get(file)
        if found is None:
            found = self._comments[file] = f"<!-- {_comment_text(self._provenance(file))} -->\n"
        return found

    def _eml(self, s: Stakeholder) -> tuple[bytes, str, str]:
        from email import policy
        from email.headerregistry import Address
        from email.message import EmailMessage
        from email.utils import format_datetime, make_msgid

        plain = self.render_text(s, "txt")
        assert plain is not None
        text, subject, file, _ = plain
        subject = subject or self.subject_default()
        html_result = self.render_text(s, "html", strict=True)
        if html_result is not None and self.language_of(html_result[2]) != self.language_of(
                file):
            html_result = None
        sig = self.signature
        programme = self.run.plan.programme
        sender = sig.email if _valid_email(sig.email) else (
            programme.email if _valid_email(programme.email) else None)
        msg = EmailMessage(policy=policy.SMTP)
        if sender:
            msg["From"] = Address(display_name=_header_text(sig.name), addr_spec=sender)
        assert s.email is not None
        msg["To"] = Address(display_name=_header_text(s.name), addr_spec=s.email)
        msg["Subject"] = subject
        when = dt.datetime.combine(self.run.as_of, dt.time(9, 0)).astimezone()
        msg["Date"] = format_datetime(when)
        domain = sender.rsplit("@", 1)[1] if sender else "interessent.invalid"
        msg["Message-ID"] = make_msgid(domain=domain)
        msg["X-Unsent"] = "1"
        msg["X-Interessent-Template"] = file
        msg["X-Interessent-Signer"] = _header_text(f"{sig.name} ({sig.title})")
        msg["X-Interessent-Rule"] = _header_text(sig.rule)
        if sig.cleared_by_title:
            msg["X-Interessent-Cleared-By"] = _header_text(sig.cleared_by_title)
        msg.set_content(text)
        if html_result is not None:
            msg.add_alternative(html_result[0], subtype="html")
        return msg.as_bytes(), subject, file

    def _docx(self, s: Stakeholder) -> tuple[bytes, str, str]:
        """(document, subject, the text template it was made from, else the Word one)."""
        docx_file = self.library.find_docx(self.name, s.language.value)
        plain = self.render_text(s, "txt")
        if plain is None:  # only a Word template
            assert docx_file is not None
            ctx = self.context(s, docx_file, "txt")
            subject = self.subject_default()
            data = self._docx_template(docx_file, {**ctx, "subject": subject, "text": "",
                                                   "body": ""})
            return data, subject, docx_file
        text, found, file, ctx = plain
        subject = found or self.subject_default()
        if docx_file is None:
            return _plain_docx(text, subject, self.signature, self.name), subject, file
        body = self._body_block(file, ctx, subject)
        data = self._docx_template(docx_file, {
            **ctx, "subject": subject, "text": _docx_text(text), "body": _docx_text(body)})
        return data, subject, file

    def _body_block(self, file: str, ctx: dict[str, Any], subject: str) -> str:
        template = self.library.template(file)
        if "body" not in template.blocks:
            return ""
        local = {**ctx, "subject": subject}
        block = template.blocks["body"]
        return self.library.call(
            lambda: "".join(block(template.new_context(local))), file, local).strip("\n")

    def _docx_template(self, file: str, ctx: dict[str, Any]) -> bytes:
        from docxtpl import DocxTemplate

        if file not in self._docx_source:
            path, _ = self.library.files[file]
            self._docx_source[file] = path.read_bytes()
        doc = DocxTemplate(io.BytesIO(self._docx_source[file]))
        env = self.library.docx_env

        def render() -> None:
            doc.render(ctx, jinja_env=env, autoescape=True)

        try:
            render()
        except InteressentError:
            raise
        except Exception as exc:
            raise self.library.problem(exc, file, ctx, text=_docx_plain_text(
                self._docx_source[file])) from exc
        props = doc.docx.core_properties
        props.author = _core(self.signature.name)
        props.comments = _core(self.signature.note)
        props.keywords = _core(f"interessent; {self.name}")
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


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
    return re.sub(r"\n{2,}", "\a", _xml_text(text).strip("\n"))


def _core(text: str) -> str:
    """A Word document property: XML-safe, at most 255 characters."""
    value = _xml_text(_header_text(text))
    return value if len(value) <= 255 else value[:254] + "…"


def _plain_docx(text: str, subject: str, signature: Signature, template: str) -> bytes:
    from docx import Document

    doc = Document()
    _fill_docx(doc, text, subject)
    props = doc.core_properties
    props.author = _core(signature.name)
    props.title = _core(subject)
    props.subject = _core(subject)
    props.comments = _core(signature.note)
    props.keywords = _core(f"interessent; {template}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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
    return buffer.getvalue()


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


# --- the run ------------------------------------------------------------------------------


def _default_topic(library: _Library, name: str) -> str | None:
    declared = {}
    for file in library.files:
        match = _FILE.match(file)
        if match and match.group("name") == name:
            topic = library.meta(file).get("topic")
            if topic:
                declared[file] = topic
    if len(set(declared.values())) > 1:
        listed = ", ".join(f"{f}: {t}" for f, t in sorted(declared.items()))
        raise TemplateProblem(f"the variants of template {name!r} declare different topics "
                              f"({listed}); declare the same topic in each", template=name)
    return next(iter(declared.values()), None)


def _check_serves(library: _Library, name: str, plan: Plan) -> None:
    known = {c.id for c in plan.commitments}
    for file in library.files:
        match = _FILE.match(file)
        if match and match.group("name") == name:
            unknown = [c for c in library.meta(file).get("serves", ()) if c not in known]
            if unknown:
                raise TemplateProblem(
                    f"template {file}: serves unknown commitment "
                    f"{', '.join(map(repr, unknown))} (the plan's: {', '.join(sorted(known))})",
                    template=file, field="serves")


def draft(
    ws: Workspace,
    template: str,
    *,
    groups: Sequence[str] = (),
    stakeholders: Sequence[str] = (),
    uncovered: bool = False,
    leaders: bool = False,
    fmt: str = "md",
    out: Path | None = None,
    signer: str | None = None,
    topic: str | None = None,
    cleared_by: str | None = None,
    record: bool = False,
    combined: bool = False,
    as_of: dt.date | None = None,
    event: str | None = None,
    values: Mapping[str, str] | None = None,
    write: bool = True,
) -> DraftRun:
    """Draft one letter per recipient from ``template`` (see the module docstring).

    Recipients are ``stakeholders`` plus the members of ``groups`` — only those not
    reached in the current window (``uncovered``, leaders first) or only the groups'
    opinion leaders (``leaders``). Recipients who opted out, whose data is restricted,
    who sign the letters, or who cannot receive ``fmt`` (no e-mail for ``eml``) are
    returned in ``skipped`` with the reason. ``topic`` (by default the one the template
    declares, else ``daily``), ``signer`` and ``cleared_by`` go through the plan's
    information responsibility (:func:`interessent.policy.resolve_signer`).

    Letters go to ``out`` (default ``<workspace>/utkast/<template>-<as_of>``), one file
    each or one file with all (``combined``). Nothing is written if any letter fails to
    render; with ``record`` each letter is logged as an interaction in the same step.
    ``write=False`` renders without writing (``record`` is then ignored).
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if combined and fmt == "eml":
        raise InvalidInput("--combined makes one file for printing: use md, txt, html or docx, "
                           "not eml")
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", template):
        raise InvalidInput(f"not a template name: {template!r} (letters, digits, '_' and '-')")
    day = as_of or dt.date.today()
    plan = ws.plan
    library = _Library(ws)
    library.require(template)
    if fmt != "docx" and not any(
            (m := _FILE.match(f)) and m.group("name") == template for f in library.files):
        raise TemplateProblem(f"template {template!r} has only a Word version; use --format "
                              "docx", template=template)
    _check_serves(library, template, plan)
    chosen_topic = topic or _default_topic(library, template) or "daily"
    with collector_paused():
        return _draft(ws, library, template, day, groups=groups, stakeholders=stakeholders,
                      uncovered=uncovered, leaders=leaders, fmt=fmt, out=out, signer=signer,
                      topic=chosen_topic, cleared_by=cleared_by, record=record,
                      combined=combined, event=event, values=values, write=write)


def _draft(ws: Workspace, library: _Library, template: str, day: dt.date, *,
           groups: Sequence[str], stakeholders: Sequence[str], uncovered: bool, leaders: bool,
           fmt: str, out: Path | None, signer: str | None, topic: str,
           cleared_by: str | None, record: bool, combined: bool, event: str | None,
           values: Mapping[str, str] | None, write: bool) -> DraftRun:
    from .policy import resolve_signer

    plan = ws.plan
    run = _Run(ws, day)
    signature = resolve_signer(plan, run.people.values(), topic=topic,
                               signer_role=signer, cleared_by=cleared_by)
    recipients = _choose(run, groups, stakeholders, uncovered, leaders)
    skipped: list[Skipped] = []
    ready: list[Stakeholder] = []
    for s in recipients:
        reason = _skip_reason(s, fmt, signature.stakeholder)
        if reason:
            skipped.append(Skipped(s.id, s.name, reason))
        else:
            ready.append(s)
    if not ready:
        detail = "".join(f"\n  {k.id} ({k.name}): {k.reason}" for k in skipped)
        raise InvalidInput(
            "no recipients: " + ("every one of them was skipped" + detail if skipped
                                 else "the selection is empty"))
    drafter = _Drafter(run, library, name=template, fmt=fmt, signature=signature,
                       combined=combined, event=event, values=values or {})
    rendered = [drafter.render(s) for s in ready]  # all of it before the first write
    folder = out if out is not None else ws.root / DRAFTS_DIR / f"{template}-{day.isoformat()}"

    def letters(paths: Sequence[Path | None]) -> tuple[Letter, ...]:
        return tuple(
            Letter(recipient=r.recipient.id, name=r.recipient.name, path=path,
                   content=r.content, subject=r.subject, language=r.language,
                   template=r.template, commitments=r.serves)
            for r, path in zip(rendered, paths, strict=True))

    if not write:
        return DraftRun(template=template, format=fmt, out=folder,
                        letters=letters([None] * len(rendered)), skipped=tuple(skipped),
                        signature=signature, combined=combined)
    if combined:
        data = _combine(fmt, [r.content for r in rendered], rendered[0].subject,
                        rendered[0].language)
        items = [(safe_filename(template, fmt), data)]
    else:
        items = [(safe_filename(r.file_stem, r.ext), _bytes(r.content)) for r in rendered]
    recorded: tuple[str, ...] = ()
    if record:
        paths, recorded = _write_and_record(ws, run, folder, items, rendered, signature, fmt)
    else:
        paths = _write_files(folder, items)
    return DraftRun(template=template, format=fmt, out=folder,
                    letters=letters(paths * len(rendered) if combined else paths),
                    skipped=tuple(skipped), signature=signature, files=tuple(paths),
                    recorded=recorded, combined=combined)


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _write_and_record(ws: Workspace, run: _Run, folder: Path, items: Sequence[tuple[str, bytes]],
                      rendered: Sequence[_Rendered], signature: Signature,
                      fmt: str) -> tuple[list[Path], tuple[str, ...]]:
    """Log each letter as an interaction and write the files, both or neither."""
    from .model import Interaction
    from .plan import ChannelKind

    plan = run.plan
    direct = sorted((c for c in plan.channels if c.kind is ChannelKind.DIRECT),
                    key=lambda c: c.priority)
    channel = direct[0].key if direct else None
    store = ws.store
    paths: list[Path] = []
    try:
        with store.write() as session:
            session.connection()  # take the write lock before choosing ids
            first = store.next_interaction_id(run.as_of)
            prefix, _, number = first.rpartition("-")
            start = int(number)
            logged = [
                Interaction(
                    id=f"{prefix}-{start + n:04d}", date=run.as_of,
                    kind="email" if fmt == "eml" else "letter", channel=channel,
                    participants=(r.recipient.id,), topic=r.subject,
                    commitments=r.serves, notes=signature.note,
                )
                for n, r in enumerate(rendered)
            ]
            store.save_interactions(session, logged)
            paths = _write_files(folder, items)
    except BaseException:
        _remove(paths)
        raise
    return paths, tuple(i.id for i in logged)


def letter_context(
    ws: Workspace,
    template: str,
    stakeholder: str,
    *,
    fmt: str = "md",
    topic: str | None = None,
    signer: str | None = None,
    cleared_by: str | None = None,
    as_of: dt.date | None = None,
    event: str | None = None,
    values: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The variables ``template`` sees when drafted to ``stakeholder`` (what
    ``docs/drafting.md`` describes), for template authors and tests."""
    from .policy import resolve_signer

    markup = fmt if fmt in MARKUPS else "txt"
    day = as_of or dt.date.today()
    library = _Library(ws)
    library.require(template)
    run = _Run(ws, day)
    if stakeholder not in run.people:
        raise NotFound(f"no stakeholder with id {stakeholder!r}")
    signature = resolve_signer(ws.plan, run.people.values(),
                               topic=topic or _default_topic(library, template) or "daily",
                               signer_role=signer, cleared_by=cleared_by)
    drafter = _Drafter(run, library, name=template, fmt=fmt, signature=signature,
                       combined=False, event=event, values=values or {})
    person = run.people[stakeholder]
    file = drafter.variant(person.language.value, markup, strict=markup == "html")
    if file is None:
        raise NotFound(f"template {template!r} has no {markup} variant")
    context = drafter.context(person, file, markup)
    return {k: v for k, v in context.items() if k not in library.env.globals}


# --- notices of significant events --------------------------------------------------------


def notify(
    ws: Workspace,
    event: str,
    *,
    out: Path | None = None,
    template: str = "hendelse",
    fmt: str = "md",
    signer: str | None = None,
    topic: str | None = None,
    cleared_by: str | None = None,
    record: bool = False,
    as_of: dt.date | None = None,
    write: bool = True,
) -> Notice:
    """Whom to notify of a significant event, in the plan's order; with ``write`` a notice
    to each of them from ``template`` (the signer excepted, listed as skipped)."""
    from .policy import notification_list

    if not event.strip():
        raise InvalidInput("describe the event, e.g. interessent notify \"Brann hos …\"")
    notifiees = tuple(notification_list(ws))
    ids = list(dict.fromkeys(p.id for n in notifiees for p in n.people))
    run = None
    if write:
        if not ids:
            raise InvalidInput("nobody to notify: no stakeholder holds the roles in the "
                               "plan's information.notify")
        day = as_of or dt.date.today()
        folder = out if out is not None else (
            ws.root / DRAFTS_DIR / f"{template}-{day.isoformat()}")
        run = draft(ws, template, stakeholders=ids, fmt=fmt, out=folder, signer=signer,
                    topic=topic, cleared_by=cleared_by, record=record, as_of=day,
                    event=event.strip())
    return Notice(event=event.strip(), notifiees=notifiees, run=run)


# --- listing templates --------------------------------------------------------------------


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
                    fmt: str | None = None) -> tuple[Path, str]:
    """The file and text of template ``name`` (or of the exact file ``name.nn.j2``), as
    drafting would pick it for ``language`` and ``fmt``."""
    library = _Library(ws)
    if name in library.files and name.endswith(".j2"):
        path, _ = library.files[name]
        return path, path.read_text(encoding="utf-8")
    library.require(name)
    home = ws.plan.programme.language
    lang = language or home
    markup = fmt if fmt in MARKUPS else "txt"
    fallback = [home, *LANGUAGES]
    file = library.find(name, lang, markup, fallback)
    if file is None:
        docx = library.find_docx(name, lang)
        if docx is None:
            raise NotFound(f"template {name!r} has no variant for {lang} and {markup}")
        path, _ = library.files[docx]
        return path, f"(a Word template: {path})\n"
    path, _ = library.files[file]
    return path, path.read_text(encoding="utf-8")
