"""The line of a key path in a TOML text, as `plan check` reports it.

Every expected line number below was counted by hand from the text above it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from interessent import PlanError, parse_plan
from interessent.cli import cli
from interessent.tomllines import KeyPath, key_lines, line_of, split_path


def at(text: str, path: str) -> int | None:
    tomllib.loads(text)  # every text here is valid TOML
    return line_of(key_lines(text), path)


def plan_problems(text: str) -> list[tuple[str, str, int | None]]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, source="plan.toml")
    return [(p.path, p.message, p.line) for p in info.value.problems]


# A `[[groups]]` inside a multi-line string is text, not a header: the first group's header
# is on line 9, not line 5.
TRIPLE_QUOTED = '''\
[programme]
name = "Prøveprogrammet"
municipality = "Prøve kommune"
vision = """Slik skriv vi ei målgruppe:
[[groups]]
"""
start = 2026-01-01

[[groups]]
key = "befolkningen"

[[groups]]
key = "naeringslivet"
name = "Næringslivet"
'''


def test_a_header_inside_a_multiline_string_is_text() -> None:
    assert plan_problems(TRIPLE_QUOTED) == [("groups[0].name", "required key is missing", 9)]
    assert at(TRIPLE_QUOTED, "groups[1].name") == 14
    assert at(TRIPLE_QUOTED, "programme.start") == 7
    assert at(TRIPLE_QUOTED, "programme.vision") == 4


def test_plan_check_names_the_line_after_a_multiline_string(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(cli, ["init", str(ws)]).exit_code == 0
    (ws / "interessent.toml").write_text(TRIPLE_QUOTED, encoding="utf-8")
    result = runner.invoke(cli, ["-w", str(ws), "plan", "check"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"Error: {ws / 'interessent.toml'}: 1 problem in the plan",
        "  groups[0].name (line 9): required key is missing",
    ]


# An inline array of tables: each element is placed where it starts.
INLINE_GROUPS = """\
groups = [
  {key = "befolkningen", name = "Befolkningen"},
  {key = "naeringslivet"},
]

[programme]
name = "Prøveprogrammet"
municipality = "Prøve kommune"
start = 2026-01-01
"""


def test_an_inline_array_of_tables() -> None:
    assert plan_problems(INLINE_GROUPS) == [("groups[1].name", "required key is missing", 3)]
    assert at(INLINE_GROUPS, "groups") == 1
    assert at(INLINE_GROUPS, "groups[0].name") == 2
    assert at(INLINE_GROUPS, "programme.start") == 9


def test_an_inline_array_of_tables_on_one_line() -> None:
    text = """\
[programme]
name = "P"

[information]
rules = [{topic = "a", roles = ["x"]}, {topic = "b", roles = "y"}]
notify = ["styreleder"]
"""
    assert at(text, "information.rules[1].roles") == 5
    assert at(text, "information.rules[1]") == 5
    assert at(text, "information.notify[0]") == 6


def test_an_error_in_the_third_element_of_an_inline_array_over_several_lines() -> None:
    text = """\
programme = {name = "Prøveprogrammet", municipality = "Prøve kommune", start = 2026-01-01}
# The groups as one inline array, with comments between its elements: [[groups]]
groups = [ # befolkningen first
  {key = "befolkningen", name = "Befolkningen"},

  # then the businesses, {key = "x"}
  {key = "naeringslivet", name = "Næringslivet"}
  ,
  {key = "ungdom", rule = {tags = [
      "elev",
      "student",
  ]}, name = "Ungdom", members = ["elevrådet"]},
]
"""
    assert plan_problems(text) == [("groups[2].members", "unknown key", 12)]
    assert at(text, "groups[2]") == 9
    assert at(text, "groups[2].rule.tags[1]") == 11
    assert at(text, "groups[2].name") == 12
    assert at(text, "groups[1].key") == 7
    assert at(text, "programme.start") == 1


def test_nested_tables_and_arrays_of_tables() -> None:
    text = """\
[a]
x = 1
[[a.items]]
name = "first"
[a.items.detail]
y = 2
[[a.items]]
name = "second"
[[a.items.parts]]
z = 3
[[a.items.parts]]
z = 4
[a.items.detail]
y = 5
[a.b.c]
w = 6
"""
    assert at(text, "a") == 1
    assert at(text, "a.items") == 3
    assert at(text, "a.items[0].detail.y") == 6
    assert at(text, "a.items[1]") == 7
    assert at(text, "a.items[1].parts[0].z") == 10
    assert at(text, "a.items[1].parts[1]") == 11
    assert at(text, "a.items[1].parts[1].z") == 12
    assert at(text, "a.items[1].detail.y") == 14
    assert at(text, "a.b") == 15  # implicit table: its first header
    assert at(text, "a.b.c.w") == 16
    # a missing key is placed on its table's header; a path the text lacks on nothing
    assert at(text, "a.items[1].parts[1].missing") == 11
    assert at(text, "nowhere.at.all") is None
    assert at(text, "(toml)") is None


def test_dotted_keys() -> None:
    text = """\
programme.name = "P"
programme . "municipality" = "M"

[[groups]]
key = "g"
rule.ids = ["kari", "ola"]
rule.'tags' = ["a.b"]
"quoted.key".inner = 1
"""
    assert at(text, "programme") == 1
    assert at(text, "programme.municipality") == 2
    assert at(text, "groups[0].rule") == 6
    assert at(text, "groups[0].rule.ids[1]") == 6
    assert at(text, "groups[0].rule.tags") == 7
    assert key_lines(text)[("groups", 0, "quoted.key", "inner")] == 8


def test_comments_with_brackets_are_not_headers() -> None:
    text = """\
# [[groups]]
[programme] # [other]
#[[groups]]
name = "P" # [[groups]]
    # [channels]

[[groups]] # [[phases]]
key = "g"
"""
    assert at(text, "groups[0].key") == 8
    assert at(text, "groups[0]") == 7
    assert at(text, "programme.name") == 4
    assert at(text, "channels") is None
    assert at(text, "phases") is None


def test_strings_with_hash_and_equals() -> None:
    text = """\
[programme]
name = "a # b = c"
vision = 'x = [[groups]] # y'
goals = ["# one", "= two", '[[three]]']
email = "post@osen.kommune.no" # a comment = not a key
website = "https://x.no/#a=b"
"""
    assert at(text, "programme.vision") == 3
    assert at(text, "programme.goals[2]") == 4
    assert at(text, "programme.email") == 5
    assert at(text, "programme.website") == 6
    assert set(key_lines(text)) == {
        ("programme",), *(("programme", key) for key in (
            "name", "vision", "goals", "email", "website")),
        ("programme", "goals", 0), ("programme", "goals", 1), ("programme", "goals", 2),
    }


def test_backslashes_in_literal_and_basic_strings() -> None:
    text = "\n".join([
        r"",
        r"[paths]",
        r"windows = 'C:\Users\'",
        r'quote = "say \"[[groups]]\" and \\"',
        r'unicode = "\u00e5 \U0001F600"',
        r"block = '''",
        r'C:\Temp\ """ [[groups]]',
        r"'''",
        r'escaped = """',
        r'a \""" [[groups]] still inside \ ',
        r'  and this too """',
        r"after = 1",
        r"",
    ])
    assert tomllib.loads(text)["paths"]["windows"] == "C:\\Users\\"
    assert at(text, "paths") == 2
    assert at(text, "paths.windows") == 3
    assert at(text, "paths.quote") == 4
    assert at(text, "paths.unicode") == 5
    assert at(text, "paths.escaped") == 9
    assert at(text, "paths.after") == 12
    assert at(text, "groups") is None


def test_quotes_right_before_the_closing_ones_belong_to_the_string() -> None:
    text = (
        'a = """one ""quoted"" end"""""\n'
        "b = '''it''s'''''\n"
        "[[groups]]\n"
        "c = 1\n"
    )
    assert tomllib.loads(text)["a"].endswith('end""')
    assert at(text, "b") == 2
    assert at(text, "groups[0].c") == 4


def test_crlf_line_endings() -> None:
    text = '[programme]\r\nname = """x\r\n[[groups]]\r\n"""\r\n\r\n[[groups]]\r\nkey = 1\r\n'
    assert at(text, "groups[0].key") == 7


def test_text_the_scanner_cannot_follow_keeps_what_came_before() -> None:
    text = '[a]\nb = 1\nc = "no end\n[d]\n'  # tomllib would refuse it
    lines = key_lines(text)
    assert lines[("a", "b")] == 2
    assert ("d",) not in lines


def test_split_path() -> None:
    assert split_path("commitments[3].cadence") == ("commitments", 3, "cadence")
    assert split_path("a[1][2].b") == ("a", 1, 2, "b")
    assert split_path("programme") == ("programme",)


# --- generated plans ----------------------------------------------------------------------

# Strings made of what TOML gives meaning to, so any that fools the scanner shows up.
tricky = st.lists(st.sampled_from(
    [*"ab =#[]{}.,\"'\\\n\t\u00e5", "[[groups]]", "\n[[groups]]\n", '"""', "\'\'\'"]),
).map("".join)


def _basic(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


@st.composite
def toml_strings(draw: st.DrawFn) -> tuple[str, str]:
    """A string and one way of writing it in TOML."""
    value = draw(tricky)
    multiline = value.replace("\\", "\\\\").replace('"', '\\"')
    if multiline.startswith("\n"):  # a newline right after the opening quotes is dropped
        multiline = "\\n" + multiline[1:]
    ways = [_basic(value), f'"""{multiline}"""']
    if "'" not in value and "\n" not in value:
        ways.append(f"'{value}'")
    if "'" not in value and not value.startswith("\n"):
        ways.append(f"'''{value}'''")
    return value, draw(st.sampled_from(ways))


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, list[dict[str, str]], int]:
    """A plan text with 1–4 groups whose names and descriptions are tricky strings, as
    headers or as an inline array; one group has a key ``bogus``. Returns the text, the
    groups' string values and the index of the bogus group."""
    count = draw(st.integers(1, 4))
    bogus = draw(st.integers(0, count - 1))
    inline = draw(st.booleans())
    groups: list[dict[str, str]] = []
    written: list[list[str]] = []
    for i in range(count):
        (name, name_toml), (desc, desc_toml) = draw(toml_strings()), draw(toml_strings())
        groups.append({"name": name, "description": desc})
        pairs = [f'key = "g{i}"', f"description = {desc_toml}", f"name = {name_toml}"]
        if i == bogus:
            pairs.insert(draw(st.integers(0, 3)), "bogus = 1")
        written.append(pairs)
    head = ('[programme]\nname = "P"\nmunicipality = "M"\nstart = 2026-01-01\n'
            f"vision = {draw(toml_strings())[1]}\n")
    if inline:
        body = "groups = [\n" + "".join(
            "  {" + ", ".join(pairs) + "},\n" for pairs in written) + "]\n"
        text = body + "\n" + head
    else:
        text = head + "".join("\n[[groups]]\n" + "\n".join(pairs) + "\n" for pairs in written)
    return text, groups, bogus


def _paths(value: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_a_problem_is_reported_on_the_line_that_holds_its_key(
    plan: tuple[str, list[dict[str, str]], int],
) -> None:
    text, groups, bogus = plan
    data = tomllib.loads(text)
    assert [{k: g[k] for k in ("name", "description")} for g in data["groups"]] == groups
    [(path, message, line)] = plan_problems(text)
    assert (path, message) == (f"groups[{bogus}].bogus", "unknown key")
    assert line is not None
    assert "bogus = 1" in text.splitlines()[line - 1]
    lines = key_lines(text)
    # every key path tomllib finds, the scanner finds; each key on a line that names it
    assert set(_paths(data)) <= set(lines)
    for i in range(len(groups)):
        assert f'key = "g{i}"' in text.splitlines()[lines[("groups", i, "key")] - 1]
