"""Issue 13's promises that an outsider found broken, fixed: each test names what was
found (a plan built in code with text for a date or a kind, an actor with a line feed,
huge values quoted whole in messages, results without ``to_dict()``, templates that
build gigabytes)."""

from __future__ import annotations

import datetime as dt
import inspect
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import interessent
from interessent import InvalidInput, NotFound, PlanError, TemplateSecurityError, Workspace
from interessent.cli import cli
from interessent.drafting.library import DEFAULT_FORMAT
from interessent.store import Store

PLAN = """
[programme]
name = "Verdiprogrammet"
municipality = "Osen kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Folk i Osen"

[[commitments]]
id = "F1"
title = "Møte"
groups = ["folk"]
kind = "cadence"
cadence = "year"
"""


# --- item 1: a plan built in code holds values of their types -----------------------------


def test_text_where_a_kind_or_a_date_is_due_is_a_plan_error_in_code() -> None:
    plan = interessent.parse_plan(PLAN)
    commitment = plan.commitments[0]
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, commitments=(attrs.evolve(
            commitment, kind="cadence", cadence="year"),))  # type: ignore[arg-type]
    # two values given as text: kind and cadence
    assert sorted(p.path for p in caught.value.problems) == [
        "commitments[0].cadence", "commitments[0].kind"]
    assert "not str 'year'" in str(caught.value)
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, programme=attrs.evolve(
            plan.programme, end="2026-12-31"))  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["programme.end"]


def test_a_file_may_still_write_a_date_as_text_and_code_its_types() -> None:
    # A file (or a mapping from JSON) writes what it can: text for a date is read as one.
    plan = interessent.parse_plan(PLAN.replace("start = 2026-01-01",
                                               'start = "2026-01-01"'))
    assert plan.programme.start == dt.date(2026, 1, 1)
    same = attrs.evolve(plan, programme=attrs.evolve(plan.programme, end=dt.date(2026, 12, 31)))
    assert same.programme.end == dt.date(2026, 12, 31)


# --- item 2: the audit log's actor is checked wherever it is given ------------------------

MINIMAL = PLAN.split("[[commitments]]")[0]


@pytest.mark.parametrize(("actor", "says"), [
    ("ola\n2026-01-01 forged entry", "line feed"),
    ("ola\x1b[2J", "ESC"),
    (5, "expected text, not int 5"),
    ("x" * 100_000, "at most 200 characters, not 100,000"),
])
def test_a_bad_actor_is_invalid_input_wherever_it_is_given(
        tmp_path: Path, actor: Any, says: str) -> None:
    makers: list[Callable[[], object]] = [
        lambda: Workspace.from_plan(MINIMAL, actor=actor),
        lambda: Store("sqlite://", actor=actor),
        lambda: interessent.init_workspace(tmp_path / "ny", actor=actor),
    ]
    for make in makers:
        with pytest.raises(InvalidInput) as caught:
            make()
        message = str(caught.value)
        assert message.startswith("actor: ") and says in message and len(message) < 200
    assert not (tmp_path / "ny").exists()  # init made nothing
    interessent.init_workspace(tmp_path / "ok")
    with pytest.raises(InvalidInput, match=r"^actor: "):
        Workspace(tmp_path / "ok", actor=actor)
    with Workspace(tmp_path / "ok") as ws, pytest.raises(InvalidInput, match=r"^actor: "):
        ws.actor = actor


def test_a_good_actor_is_recorded(tmp_path: Path) -> None:
    with Workspace.from_plan(MINIMAL, actor="Kari Aune (intranett)") as ws:
        interessent.add_stakeholder(ws, name="Anne Aas", groups=("folk",))
        actors = {row.actor for row in interessent.audit_log(ws)}
    assert actors == {"Kari Aune (intranett)"}


def test_the_command_line_refuses_a_bad_interessent_user(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "ws")],
                           env={"INTERESSENT_USER": "ola\nforged"})
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: INTERESSENT_USER: ")
    assert result.stderr.count("\n") == 1 and "line feed" in result.stderr
    assert not (tmp_path / "ws").exists()


# --- item 3: a template is shown without a format as draft would pick it ------------------


def test_draft_default_format_is_the_one_shown_without_a_format() -> None:
    assert inspect.signature(interessent.draft).parameters["fmt"].default == DEFAULT_FORMAT


def test_a_template_is_shown_in_the_variant_draft_uses_by_default(tmp_path: Path) -> None:
    templates = {"hei.md": "Hei *{{ recipient.name }}*", "hei.txt": "Hei {{ recipient.name }}",
                 "bare.html": "<p>Hei</p>", "tekst.txt": "Hei"}
    with Workspace.from_plan(MINIMAL, templates=templates) as ws:
        assert interessent.template_source(ws, "hei")[1] == "Hei *{{ recipient.name }}*"
        assert interessent.template_source(ws, "hei", fmt="txt")[1] == "Hei {{ recipient.name }}"
        assert interessent.template_source(ws, "bare")[1] == "<p>Hei</p>"  # the only one
        assert interessent.template_source(ws, "tekst")[1] == "Hei"
        with pytest.raises(NotFound, match="no variant for nb and html"):
            interessent.template_source(ws, "tekst", fmt="html")
    # the command line, on a folder with a template written only in Markdown
    interessent.init_workspace(tmp_path / "ws")
    (tmp_path / "ws" / "templates" / "hei.md.j2").write_text("Hei **{{ recipient.name }}**\n",
                                                         encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "ws"), "templates",
                                      "show", "hei"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Hei **{{ recipient.name }}**\n"


# --- item 6: a hostile source cannot build gigabytes ---------------------------------------


HOSTILE = [
    "'x' * 10**10",               # 10 GB of text (and Jinja folded constants at compile)
    "2 ** (10**8)",               # a number of 100 million bits
    "[0] * 10**9",
    "'%9999999999s' % 'x'",
    "'x' | center(10**10)",
    "'x'.ljust(10**10)",
    "'{:>9999999999}'.format(1)",
    "'{:>{}}'.format(1, 10**10)",
    "range(10**6) | list",        # beyond the letters' 10,000
]


def test_an_expression_that_would_build_too_much_is_refused_at_once(osen: Workspace) -> None:
    anne = interessent.add_stakeholder(osen, name="Anne Aas").id
    for expression in HOSTILE:
        started = time.perf_counter()
        with pytest.raises(TemplateSecurityError) as caught:
            interessent.draft(osen, source=f"Hei\n{{{{ {expression} }}}}\n",
                              stakeholders=[anne], write=False)
        assert time.perf_counter() - started < 1.0, expression
        assert (caught.value.template, caught.value.line) == ("source.j2", 2), expression
        assert str(caught.value).startswith("security error: template source.j2, line 2")
    # ordinary arithmetic and formatting still work
    source = ("{{ 2 ** 10 }} {{ 6 * 7 }} {{ 'ab' + 'c' }} {{ '-' * 5 }} {{ [1] + [2] }} "
              "{{ '%05.1f' % 3.14159 }} {{ '{:>6}'.format(42) }} {{ 10 % 3 }} "
              "{{ '{} innbyggere'.format(1234567) }} {{ range(3) | list }}"
              "{% for i in range(10000) %}{% endfor %}")
    run = interessent.draft(osen, source=source, stakeholders=[anne], fmt="txt", write=False)
    assert str(run.letters[0].content).splitlines()[0] == (
        "1024 42 abc ----- [1, 2] 003.1     42 1 1234567 innbyggere [0, 1, 2]")


# --- item 4: a message never repeats a huge input whole -----------------------------------

HUGE = "x" * 100_000


@pytest.mark.parametrize("args", [
    ["stakeholder", "show", HUGE],
    ["stakeholder", "edit", HUGE, "--name", "Ny"],
    ["relationship", "add", "anne-aas", "bo-bo", HUGE],   # the kind, named twice
    ["relationship", "add", HUGE, "bo-bo", "knows"],
    ["log", "meeting", "--with", HUGE],
    ["interaction", "remove", HUGE],
    ["templates", "show", HUGE],
    ["coverage", "--group", HUGE],
    ["privacy", "consents", HUGE],
])
def test_a_huge_value_is_cut_in_the_error_line(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(folder)]).exit_code == 0
    for name in ("Anne Aas", "Bo Bø"):
        assert runner.invoke(cli, ["-w", str(folder), "stakeholder", "add", name]).exit_code == 0
    result = runner.invoke(cli, ["-w", str(folder), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    # 80 characters of the value at most, once or twice, and the list of known kinds
    assert "x" * 81 not in result.stderr and len(result.stderr) < 400, result.stderr
    assert "100,000 characters" in result.stderr or "x" * 80 + "…" in result.stderr


def test_the_library_error_keeps_the_value_in_its_fields() -> None:
    problem = interessent.errors.TemplateProblem(f"unknown field {HUGE!r}", field=HUGE)
    assert problem.field == HUGE and len(str(problem)) < 150
    # a path in a message stays whole up to 200 characters
    path = "/" + "/".join(["mappe"] * 30)  # 180 characters
    assert str(interessent.errors.PathError(path, "no space left")) == f"{path}: no space left"
