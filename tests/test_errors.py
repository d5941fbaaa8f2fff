"""The errors module holds every exception interessent raises, and draws the tree; none
is an OSError; each carries the fields a caller needs; messages name no CLI option."""

from __future__ import annotations

import ast
import datetime as dt
import errno
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import interessent
from interessent import draft, errors, import_file
from interessent.cli import cli
from interessent.errors import (
    DraftWriteError,
    ImportRejected,
    InteressentError,
    InvalidInput,
    PathError,
    PolicyError,
    RowProblem,
    TemplateSecurityError,
)
from interessent.model import (
    Interaction,
    Relationship,
    RelationshipKind,
    RoleAssignment,
    Stakeholder,
)
from interessent.periods import Days, Period, Unit
from interessent.plan import DueSettings
from interessent.registry import add_stakeholder, edit_stakeholder, log_interaction
from interessent.workspace import Workspace

SRC = Path(interessent.__file__).parent
AS_OF = dt.date(2026, 11, 26)


def _exception_classes() -> set[type[BaseException]]:
    """Every public exception class defined in any module of interessent (the alembic
    scripts under ``migrations`` run on import and define none)."""
    found: set[type[BaseException]] = set()
    names = ["interessent"] + [
        m.name for m in pkgutil.walk_packages(interessent.__path__, "interessent.")
        if not m.name.startswith("interessent.migrations")
    ]
    for name in names:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__.startswith("interessent")
                    and not attr.startswith("_")):
                found.add(value)
    return found


EXCEPTIONS = sorted(_exception_classes(), key=lambda c: c.__name__)


def test_the_walk_finds_the_errors_of_every_module() -> None:
    names = {c.__name__ for c in EXCEPTIONS}
    assert {"InteressentError", "PolicyError", "TemplateProblem", "TemplateSecurityError",
            "DraftWriteError", "PathError", "StoreBusy"} <= names


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_every_exception_lives_in_the_errors_module(cls: type[BaseException]) -> None:
    assert cls.__module__ == "interessent.errors"
    assert getattr(errors, cls.__name__) is cls
    assert cls.__name__ in errors.__all__


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_every_exception_derives_from_the_root(cls: type[BaseException]) -> None:
    assert issubclass(cls, InteressentError)


def test_the_errors_module_is_walked_whole() -> None:
    found = {value for value in vars(errors).values()
             if inspect.isclass(value) and issubclass(value, BaseException)}
    # 14 classes drawn in the tree, counted there; InvalidInput … StoreBusy
    assert len(found) == 14
    assert found == set(EXCEPTIONS)


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_no_error_is_an_os_error(cls: type[BaseException]) -> None:
    assert not issubclass(cls, OSError)


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_every_exception_is_drawn_in_the_tree(cls: type[BaseException]) -> None:
    assert errors.__doc__ is not None
    tree = errors.__doc__.split("::", 1)[1]
    assert f" {cls.__name__} " in tree.replace("\n", " \n")


def test_a_refusal_is_no_permission_error() -> None:
    for cls in (PolicyError, TemplateSecurityError):
        assert not issubclass(cls, PermissionError)
        assert not issubclass(cls, OSError)


def test_a_path_error_names_the_path_and_the_reason(tmp_path: Path) -> None:
    error = PathError(tmp_path / "brev", "Permission denied", errno=13)
    assert str(error) == f"{tmp_path / 'brev'}: Permission denied"
    assert error.path == tmp_path / "brev"
    assert (error.strerror, error.errno, error.filename) == (
        "Permission denied", 13, str(tmp_path / "brev"))
    assert isinstance(error, InteressentError) and not isinstance(error, OSError)
    assert error.args == (f"{tmp_path / 'brev'}: Permission denied",)


def test_draft_write_error_is_a_path_error(tmp_path: Path) -> None:
    error = DraftWriteError(tmp_path, "No space left on device", errno=28,
                            message=f"could not write the letters to {tmp_path}: no space")
    assert isinstance(error, PathError) and not isinstance(error, OSError)
    assert (error.path, error.strerror, error.errno) == (tmp_path, "No space left on device", 28)
    assert str(error) == f"could not write the letters to {tmp_path}: no space"


def test_old_import_paths_still_work() -> None:
    from interessent.drafting import DraftWriteError as from_drafting
    from interessent.drafting import TemplateProblem as problem_from_drafting
    from interessent.policy import PolicyError as from_policy

    assert from_drafting is DraftWriteError
    assert problem_from_drafting is errors.TemplateProblem
    assert from_policy is PolicyError
    assert interessent.PolicyError is PolicyError
    assert interessent.TemplateProblem is errors.TemplateProblem


# --- none is an OSError -------------------------------------------------------------------


def _escape(ws: Workspace) -> None:
    (ws.templates_path / "lekk.j2").write_text(
        '{% extends "base.j2" %}{% block body %}\n'
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n{% endblock %}\n", encoding="utf-8")


CALLS: dict[str, Callable[[Workspace, Path], object]] = {
    "a sandbox escape": lambda ws, out: draft(ws, "lekk", stakeholders=["astrid-lian"],
                                              out=out, as_of=AS_OF),
    "a political topic": lambda ws, out: draft(ws, "dialogmote", stakeholders=["astrid-lian"],
                                               topic="political", out=out, as_of=AS_OF),
    "a folder that is a file": lambda ws, out: draft(ws, "dialogmote", out=out, as_of=AS_OF,
                                                     stakeholders=["astrid-lian"]),
}


@pytest.mark.parametrize("case", list(CALLS))
def test_except_os_error_around_a_draft_write_catches_none_of_ours(
        osen: Workspace, tmp_path: Path, case: str) -> None:
    _escape(osen)
    out = tmp_path / "brev"
    if case == "a folder that is a file":
        out.write_text("not a folder")
    caught: list[BaseException] = []
    with pytest.raises(InteressentError) as raised:
        try:
            CALLS[case](osen, out)
        except OSError as exc:  # what a caller writes around a file write
            caught.append(exc)
    assert caught == []
    expected = {"a sandbox escape": TemplateSecurityError, "a political topic": PolicyError,
                "a folder that is a file": DraftWriteError}[case]
    assert type(raised.value) is expected


def test_a_failed_draft_write_keeps_the_fields_of_an_os_error(osen: Workspace,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "brev"
    out.write_text("not a folder")
    with pytest.raises(PathError) as caught:
        draft(osen, "dialogmote", stakeholders=["astrid-lian"], out=out, as_of=AS_OF)
    assert (caught.value.path, caught.value.errno) == (out, errno.EEXIST)
    assert caught.value.strerror == "File exists"
    assert out.read_text() == "not a folder"


# --- fields ---------------------------------------------------------------------------------


def test_a_sandbox_escape_names_its_template_and_line(osen: Workspace) -> None:
    # line 1 opens the block, line 2 greets, line 3 reaches for Python's internals
    (osen.templates_path / "lekk.j2").write_text(
        '{% extends "base.j2" %}{% block body %}\nHei.\n'
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateSecurityError) as caught:
        draft(osen, "lekk", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)
    assert (caught.value.template, caught.value.line) == ("lekk.j2", 3)


def test_an_internal_attribute_names_its_template_and_line(osen: Workspace) -> None:
    # four lines: the block, two of text, then the internal attribute on line 4
    (osen.templates_path / "indre.j2").write_text(
        '{% extends "base.j2" %}{% block body %}\nHei.\nHallo.\n'
        "{{ recipient.has_role._data }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateSecurityError) as caught:
        draft(osen, "indre", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)
    assert (caught.value.template, caught.value.line) == ("indre.j2", 4)


def test_a_policy_error_says_which_rule_topic_and_signer(osen: Workspace) -> None:
    # dialogmote speaks on daily matters; the daily rule names the daglig leder alone, who
    # must clear what the styreleder (the other spokesperson) says on them
    with pytest.raises(PolicyError) as caught:
        draft(osen, "dialogmote", stakeholders=["astrid-lian"], signer="styreleder",
              as_of=AS_OF, write=False)
    error = caught.value
    assert (error.rule, error.topic, error.signer, error.cleared_by) == (
        "needs clearance", "daily", "styreleder", ("daglig_leder",))
    with pytest.raises(PolicyError) as caught:
        draft(osen, "dialogmote", stakeholders=["astrid-lian"], topic="political",
              as_of=AS_OF, write=False)
    assert (caught.value.rule, caught.value.topic, caught.value.signer) == (
        "forbidden topic", "political", None)
    with pytest.raises(PolicyError) as caught:  # astrid-lian, the ordfører, is no signer
        draft(osen, "dialogmote", stakeholders=["turid-lund"], signer="astrid-lian",
              cleared_by="daglig_leder", as_of=AS_OF, write=False)
    assert (caught.value.rule, caught.value.topic, caught.value.signer) == (
        "not the programme's own", "daily", "astrid-lian")


def test_a_bad_row_names_its_column_as_the_file_writes_it(workspace: Workspace,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "folk.csv"
    # row 1 the header, row 2 Kari (fine), row 3 Ola with innflytelse 9 (1 to 5)
    path.write_text("Navn,Innflytelse\nKari Aune,3\nOla Berg,9\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "Innflytelse")]
    path.write_text("Navn,Fødselsdato\nKari Aune,1970\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "Fødselsdato")]


# --- the register's errors keep their problems ----------------------------------------------


def test_adding_a_stakeholder_keeps_the_problems(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_stakeholder(workspace, name="Kari Aune", influence=9)
    # one record typed in: row 2 of a table of one, as an import counts
    assert caught.value.problems == [
        RowProblem(2, "influence: 9 is not from 1 to 5", column="influence")]


def test_editing_a_stakeholder_keeps_the_problems(workspace: Workspace) -> None:
    kari = add_stakeholder(workspace, name="Kari Aune")
    with pytest.raises(InvalidInput) as caught:
        edit_stakeholder(workspace, kari.id, name="  ")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "name")]
    with pytest.raises(InvalidInput) as caught:
        edit_stakeholder(workspace, kari.id, groups=["befolkningen"], clear=["groups"])
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "groups")]
    with pytest.raises(InvalidInput) as caught:
        edit_stakeholder(workspace, kari.id)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, None)]


def test_logging_an_interaction_keeps_the_problems(workspace: Workspace) -> None:
    kari = add_stakeholder(workspace, name="Kari Aune")
    with pytest.raises(InvalidInput) as caught:
        log_interaction(workspace, kind="meeting", date="2026-03-05")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "participants")]
    with pytest.raises(InvalidInput) as caught:
        log_interaction(workspace, kind="meeting", date="2026-03-05",
                        participants=[kari.id, "nobody"])
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "participants")]
    assert "nobody" in caught.value.problems[0].message
    assert workspace.store.interactions() == []


# --- domain constructors ----------------------------------------------------------------------

DAY = dt.date(2026, 3, 5)

BAD_VALUES: dict[str, tuple[Callable[[], object], str | None]] = {
    "Stakeholder empty id": (lambda: Stakeholder("", "Kari"), "id"),
    "Stakeholder name not text": (lambda: Stakeholder("kari", None), "name"),  # type: ignore[arg-type]
    "Stakeholder influence 9": (lambda: Stakeholder("kari", "Kari", influence=9), "influence"),
    "Stakeholder interest '3'": (
        lambda: Stakeholder("kari", "Kari", interest="3"), "interest"),  # type: ignore[arg-type]
    "Stakeholder kind robot": (lambda: Stakeholder("kari", "Kari", kind="robot"), "kind"),
    "Stakeholder language de": (
        lambda: Stakeholder("kari", "Kari", language="de"), "language"),
    "Stakeholder roles one string": (
        lambda: Stakeholder("kari", "Kari", roles="styreleder"), None),
    "Stakeholder groups of numbers": (
        lambda: Stakeholder("kari", "Kari", groups=[1]), None),  # type: ignore[list-item]
    "RelationshipKind empty key": (lambda: RelationshipKind("", "kjenner"), "key"),
    "Relationship to itself": (lambda: Relationship("kari", "kari", "knows"), "target"),
    "Relationship strength 1.5": (
        lambda: Relationship("kari", "ola", "knows", strength=1.5), "strength"),
    "Relationship strength strong": (
        lambda: Relationship("kari", "ola", "knows", strength="strong"), None),
    "Relationship end before start": (
        lambda: Relationship("kari", "ola", "knows", start=DAY, end=dt.date(2026, 3, 4)), "end"),
    "Relationship start as text": (
        lambda: Relationship("kari", "ola", "knows", start="2026-03-05"), "start"),  # type: ignore[arg-type]
    "Interaction date as text": (
        lambda: Interaction("K1", "2026-03-05", "meeting"), "date"),  # type: ignore[arg-type]
    "Interaction empty kind": (lambda: Interaction("K1", DAY, " "), "kind"),
    "RoleAssignment empty role": (lambda: RoleAssignment("kari", ""), "role"),
    "Period ends before it starts": (lambda: Period(DAY, dt.date(2026, 3, 4)), None),
    "Period start as text": (
        lambda: Period("2026-01-01", DAY), "start"),  # type: ignore[arg-type]
    "Unit fortnight": (lambda: Unit.parse("fortnight"), None),
    "Days minus one": (lambda: Days(-1), None),
    "Days as text": (lambda: Days("ten"), None),  # type: ignore[arg-type]
    "DueSettings lead time soon": (lambda: DueSettings(lead_time="soon"), None),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_a_domain_class_refuses_a_bad_value_as_invalid_input(case: str) -> None:
    make, field = BAD_VALUES[case]
    with pytest.raises(InvalidInput) as caught:
        make()
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)  # `except ValueError` still catches it


def test_good_values_are_still_taken() -> None:
    kari = Stakeholder("kari", "Kari", kind="organisation", language="nn",
                       roles=["b", "a", "a"], influence=5)
    assert (kari.kind.value, kari.language.value, kari.roles) == ("organisation", "nn",
                                                                  ("a", "b"))
    assert Relationship("kari", "ola", "knows", strength="0.5").strength == 0.5
    assert Days(14) == 14 and DueSettings(lead_time="2w").lead_time == 14


# --- messages name no CLI option --------------------------------------------------------------

#: Texts outside cli/ that may hold an option: not interessent's, or not a message.
NOT_MESSAGES = {
    ("store/database.py", "pg_dump"),   # pg_dump's own command line, to copy and run
    ("workspace.py", "# The plan of your programme"),  # the plan file init writes
    ("report/dashboard.py", "interessent coverage --commitment"),  # the command it names
}
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module (parts of f-strings too) but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_the_walk_finds_options_where_they_are() -> None:
    found = [text for _, text in _string_literals(SRC / "cli" / "_hints.py")
             if OPTION.search(text)]
    assert "--force" in found and "--signer ID" in found


def test_no_message_outside_the_cli_names_an_option() -> None:
    named = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where.startswith(("cli/", "migrations/")):
            continue
        for line, text in _string_literals(path):
            if OPTION.search(text) and not any(
                    where == module and marker in text for module, marker in NOT_MESSAGES):
                named.append(f"{where}:{line}: {text[:60]!r}")
    assert named == []


# --- the command line adds its own hints ------------------------------------------------------


def _error(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_the_cli_hints_the_option_for_a_clearance(osen: Workspace) -> None:
    line = _error(["-w", str(osen.root), "draft", "dialogmote", "-s", "astrid-lian",
                   "--signer", "styreleder", "--dry-run"])
    # in English, the roles and the topic by the English names the Osen plan gives them
    assert line == ("Error: Chair of the board may speak on day-to-day activities only after "
                    "conferring with managing director: add --cleared-by daglig_leder\n")


def test_the_cli_hints_the_options_of_a_log_that_reached_nobody(osen: Workspace) -> None:
    line = _error(["-w", str(osen.root), "log", "meeting"])
    assert line.endswith("(--with ID or --group KEY)\n")
    assert line.startswith("Error: say whom it reached")


def test_the_cli_hints_the_other_options(osen: Workspace, tmp_path: Path) -> None:
    root = str(osen.root)
    assert _error(["-w", root, "draft", "dialogmote", "--dry-run"]).endswith(
        "(--group, --stakeholder, --uncovered or --leaders)\n")
    assert _error(["-w", root, "stakeholder", "edit", "astrid-lian"]).endswith(
        "(--clear FIELD)\n")
    assert _error(["-w", root, "draft", "dialogmote", "-s", "astrid-lian", "--signer",
                   "liv-orsjodal", "--cleared-by", "kongen", "--dry-run"]).endswith(
        "(--cleared-by ROLE)\n")
    flat = tmp_path / "flat.csv"
    flat.write_text("navn|gruppe\nKari|befolkningen\n", encoding="utf-8")
    assert "give the separator (--delimiter)" in CliRunner().invoke(
        cli, ["-w", root, "import", "stakeholders", str(flat)]).stderr
