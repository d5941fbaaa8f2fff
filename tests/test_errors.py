"""The errors module holds every exception interessent raises, and draws the tree."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import interessent
from interessent import errors
from interessent.errors import (
    DraftWriteError,
    InteressentError,
    PathError,
    PolicyError,
    TemplateSecurityError,
)


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
