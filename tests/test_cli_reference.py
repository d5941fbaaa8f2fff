"""docs/cli.md is generated from the click commands and cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from interessent.cli import cli
from interessent.cli._reference import reference, walk

CLI_MD = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
REGENERATE = "python -m interessent.cli._reference --write"


def test_the_reference_is_up_to_date() -> None:
    written = CLI_MD.read_text(encoding="utf-8")
    assert written == reference(), (
        f"docs/cli.md is out of date with the commands; regenerate it with `{REGENERATE}` "
        "(from the repository root) and commit the result")


def test_every_command_has_help() -> None:
    missing = [ctx.command_path for ctx, command in walk(cli) if not (command.help or "").strip()]
    assert not missing, f"commands without help text: {missing}"


def test_every_command_and_option_is_in_the_reference() -> None:
    text = reference()
    for ctx, command in walk(cli):
        assert f"`{ctx.command_path}`" in text
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(f"`{name}" in text for name in param.opts), (ctx.command_path, param)


def test_the_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    first = reference()
    monkeypatch.setenv("COLUMNS", "37")
    assert reference() == first


def test_help_text_is_escaped_for_markdown() -> None:
    @click.group()
    def root() -> None:
        """Root."""

    @root.command()
    @click.option("--id", help="An id like K<year>-<nnnn>, a|b or *this*.")
    def thing(id: str | None) -> None:
        """Do a thing.

        \b
        thing --id K2026-0001 \\
            --more
        """

    text = reference(root)
    assert "K&lt;year&gt;-&lt;nnnn&gt;, a\\|b or \\*this\\*." in text
    assert "```text\nthing --id K2026-0001 \\\n    --more\n```" in text
