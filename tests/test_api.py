"""The public API is what interessent/__init__.py re-exports."""

import subprocess
import sys

import interessent


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert interessent.__all__ == sorted(interessent.__all__)
    for name in interessent.__all__:
        assert getattr(interessent, name) is not None, name


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(interessent) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(interessent, n)).__name__ == "module"}
    assert public - modules - {"annotations", "importlib", "TYPE_CHECKING", "Any"} == set(
        interessent.__all__
    )


def test_every_error_derives_from_the_root() -> None:
    errors = [getattr(interessent, n) for n in interessent.__all__
              if isinstance(getattr(interessent, n), type)
              and issubclass(getattr(interessent, n), Exception)]
    assert errors and all(issubclass(e, interessent.InteressentError) for e in errors)
    assert issubclass(interessent.NotFound, LookupError)
    assert issubclass(interessent.InvalidInput, ValueError)


def test_the_cli_does_not_import_heavy_libraries_to_show_help() -> None:
    code = (
        "import sys, interessent.cli\n"
        "heavy = ['sqlalchemy', 'alembic', 'networkx', 'jinja2', 'scipy', 'numpy', 'openpyxl',"
        " 'cattrs', 'babel']\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
