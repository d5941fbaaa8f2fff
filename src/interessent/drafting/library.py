"""The templates of a workspace: which files there are, which variant a letter uses,
what a template declares (``topic``, ``serves``), compiling it once, and turning any
template error into :class:`~interessent.errors.TemplateProblem` or
:class:`~interessent.errors.TemplateSecurityError`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

from ..errors import InteressentError, NotFound, TemplateProblem, TemplateSecurityError
from ..i18n import N_, gettext
from .problems import _field_hint, _source_line, _template_frame, _undefined_name
from .sandbox import _environment

if TYPE_CHECKING:
    from jinja2 import Environment, Template

    from ..workspace import Workspace

__all__ = ["BUILTIN_TEMPLATES", "DEFAULT_FORMAT", "FORMATS", "MARKUPS", "LetterFormat"]

T = TypeVar("T")

#: A letter's format: Markdown, plain text, HTML, e-mail (MIME) or Word.
LetterFormat = Literal["md", "txt", "html", "eml", "docx"]
#: Output formats: Markdown, plain text, HTML, e-mail (MIME) and Word.
FORMATS: tuple[LetterFormat, ...] = ("md", "txt", "html", "eml", "docx")
MARKUPS = ("md", "txt", "html")
#: The format :func:`~interessent.draft` writes unless told (its default, kept equal by a test).
DEFAULT_FORMAT: Final = "md"
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_FILE = re.compile(
    r"^(?P<name>[^.]+)(?:\.(?P<lang>nb|nn|en))?(?:\.(?P<fmt>md|txt|html))?\.j2$")
_DOCX = re.compile(r"^(?P<name>[^.]+)(?:\.(?P<lang>nb|nn|en))?\.docx$")
_COMMENT = re.compile(r"^\s*\{#-?\s*(.*?)\s*-?#\}", re.DOTALL)
_META = ("topic", "serves")


#: What :attr:`_Library.files` names as the source of a template given as a string.
GIVEN = "given"

#: The built-in templates' descriptions, through the catalog (their files' first comment
#: line is the bokmål text for people who read the template itself).
BUILTIN_DESCRIPTIONS: Final = {
    "base.j2": N_("Base layout for letters as text and Markdown (built into interessent)."),
    "base.html.j2": N_("Base layout for letters as HTML (built into interessent). Everything "
                       "inserted is escaped."),
    "hendelse.j2": N_("Notice of a significant event, to those the plan's information "
                      "responsibility says are to be notified"),
}


class _Library:
    """The templates of a workspace: files, variants, compiled templates, errors. Those
    the workspace holds as text (:attr:`Workspace.template_sources`) come before its
    folder's, then the built-in ones.

    ``given`` maps file names (``NAME.j2``) to template text held in memory: they come
    first, and a template given so has no other variant (no file of the same name on disk
    is used, nor a Word template), so what is drafted is the text given. They go through
    the same sandbox, declarations and errors as a file."""

    def __init__(self, ws: Workspace, *, given: Mapping[str, str] | None = None) -> None:
        self._given = dict(given or {})
        self._given_names = {m.group("name") for f in self._given if (m := _FILE.match(f))}
        self.dirs: list[tuple[Path, str]] = [
            (d, source) for d, source in ((ws.templates_folder, "workspace"),
                                          (BUILTIN_TEMPLATES, "built-in"))
            if d is not None and d.is_dir()
        ]
        self.given: dict[str, str] = dict(ws.template_sources)
        for file in self.given:
            if not _FILE.match(file):
                raise TemplateProblem(
                    f"template {file}: not a template name (NAME.j2, NAME.nn.j2, "
                    "NAME.nn.md.j2 …)", template=file)
        self._files: dict[str, tuple[Path, str]] | None = None
        self._env: Environment | None = None
        self._compiled: dict[str, Template] = {}
        self._meta: dict[str, dict[str, Any]] = {}
        self._names: dict[str, frozenset[str] | None] = {}
        self._docx_env: Environment | None = None

    @property
    def files(self) -> dict[str, tuple[Path, str]]:
        """File name → (path, source); the workspace's shadow the built-in ones."""
        if self._files is None:
            files: dict[str, tuple[Path, str]] = {f: (Path(f), GIVEN) for f in self._given}
            for file in self.given:
                match = _FILE.match(file)
                if match and match.group("name") not in self._given_names:
                    files.setdefault(file, (Path(file), "workspace"))
            for folder, source in self.dirs:
                for path in sorted(folder.iterdir()):
                    match = _FILE.match(path.name) or _DOCX.match(path.name)
                    if (path.is_file() and match
                            and match.group("name") not in self._given_names):
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
            raise NotFound(gettext("no template {name!r} in {where} (templates: {known})").format(
                name=name, where=self.where(), known=", ".join(usable) or gettext("none")))

    def where(self) -> str:
        places = (["the templates given"] if self.given else []) + [str(d) for d, _ in self.dirs]
        return " or ".join(places) or "no template folder"

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
        if name in self._given_names:  # a plain Word document of the text given
            return None
        files = self.files
        for candidate in (f"{name}.{language}.docx", f"{name}.docx", "letter.docx"):
            if candidate in files:
                return candidate
        return None

    @property
    def env(self) -> Environment:
        if self._env is None:
            from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, FunctionLoader

            def given(file: str) -> tuple[str, str, Callable[[], bool]] | None:
                # named by its file name, so an error names the line as in a file
                text = self._given.get(file)
                return None if text is None else (text, file, lambda: True)

            loader = ChoiceLoader([FunctionLoader(given), DictLoader(self.given),
                                   *(FileSystemLoader(str(d)) for d, _ in self.dirs)])
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

    def is_given(self, file: str) -> bool:
        """Whether ``file`` is a template held as text (it has no path)."""
        return file in self._given or file in self.given

    def source(self, file: str) -> str:
        if file in self._given:
            return self._given[file]
        if file in self.given:
            return self.given[file]
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

    def variables(self, file: str) -> frozenset[str] | None:
        """Every variable a letter from ``file`` may read: those the file and the templates
        it extends, includes or imports read and do not set themselves (None when one of
        them is named at run time, so any may be read). A run gathers only these."""
        if file not in self._names:
            from jinja2 import meta

            names: set[str] = set()
            seen: set[str] = set()
            todo = [file]
            found: frozenset[str] | None = None
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                if name not in self.files:  # rendering says which template is missing
                    break
                ast = self._parse(name)
                names |= meta.find_undeclared_variables(ast)
                referenced = list(meta.find_referenced_templates(ast))
                if any(r is None for r in referenced):
                    break
                todo += [r for r in referenced if r is not None]
            else:
                found = frozenset(names)
            self._names[file] = found
        return self._names[file]

    def _parse(self, file: str) -> Any:
        return self.call(lambda: self.env.parse(self.source(file), file, file), file, None)

    def description(self, file: str) -> str:
        found = self.files.get(file)
        if found and found[1] == "built-in" and file in BUILTIN_DESCRIPTIONS:
            return gettext(BUILTIN_DESCRIPTIONS[file])
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
                f"({str(exc).rstrip('.')}); templates may only read the letter's data{tail}",
                template=where, line=line)
        if isinstance(exc, UndefinedError):
            field = _undefined_name(str(exc))
            if field and field.startswith("_"):
                return TemplateSecurityError(
                    f"security error: {at} tried to reach the internal attribute {field!r}; "
                    f"templates may only read the letter's data{tail}",
                    template=where, line=line)
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
