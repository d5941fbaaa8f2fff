"""How a letter is rendered quickly (issue 10, item 9): the sandbox's quick reading of a
dict's or Record's key, the escaping remembered for values every letter repeats, Jinja's
filters called without their async check, letters placed with text paths. Each must give
what Jinja's own way gives, hostile templates included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from interessent.drafting import LetterFormat, TemplateProblem, TemplateSecurityError, draft
from interessent.drafting.output import _write_files
from interessent.workspace import Workspace

AS_OF = dt.date(2026, 11, 26)
#: the first person of the Osen example by id
FIRST = "anders-aune"


def _letter(ws: Workspace, source: str, fmt: LetterFormat = "md", **values: str) -> str:
    run = draft(ws, source=source, stakeholders=[FIRST], values=values, as_of=AS_OF,
                fmt=fmt, write=False)
    [letter] = run.letters
    text = str(letter.content)
    # no provenance line or comment in a letter (its run keeps who signed)
    return text if fmt == "md" else text.rstrip("\n")


def test_a_dict_key_reads_as_jinja_reads_it_and_a_dict_method_stays_a_method(
        osen: Workspace) -> None:
    # signer is a dict: "name" is a key, "items" is dict's method (Jinja prefers the
    # attribute); values is a Record: its key "items" is the key
    text = _letter(osen, "{{ signer.items is callable }}|{{ values.items }}|{{ letter.markup }}",
                   items="Eple")
    assert text == "True|Eple|md"


@pytest.mark.parametrize(("source", "error", "words"), [
    ("{{ signer.nope }}", TemplateProblem, "unknown field 'signer.nope'"),
    ("{{ values.nope }}", TemplateProblem, "unknown field 'values.nope'"),
    ("{{ signer.__class__ }}", TemplateSecurityError, "'__class__' of 'dict'"),
    ("{{ values.__class__ }}", TemplateSecurityError, "'__class__' of 'Record'"),
    ("{{ values._data }}", TemplateSecurityError, "'_data'"),
    ("{{ recipient.__init__.__globals__ }}", TemplateSecurityError, "'__init__'"),
])
def test_what_is_not_a_key_is_refused_as_before(osen: Workspace, source: str,
                                                error: type[Exception], words: str) -> None:
    with pytest.raises(error, match="no letter was written") as caught:
        _letter(osen, source, x="1")
    assert words in str(caught.value)


def test_the_sandbox_bounds_still_hold(osen: Workspace) -> None:
    for source in ("{{ 'x' * 10**9 }}", "{{ 2 ** (10 ** 8) }}", "{{ range(10**6) | list }}",
                   "{{ 'x' | center(10**9) }}", "{{ '%99999999s' % 'x' }}"):
        with pytest.raises(TemplateSecurityError):
            _letter(osen, source)


def test_a_value_every_letter_repeats_is_escaped_for_each_format(osen: Workspace) -> None:
    short = "*Eple* & <b>"            # remembered once escaped for Markdown
    long = "*Eple* " + "x" * 300     # escaped each time
    source = "{{ values.short }}|{{ values.short }}|{{ values.long | length }}"
    md = _letter(osen, source, short=short, long=long)
    assert md == r"\*Eple\* & \<b\>|\*Eple\* & \<b\>|307"  # 7 + 300 characters
    txt = _letter(osen, source, "txt", short=short, long=long)
    assert txt == "*Eple* & <b>|*Eple* & <b>|307"  # a text letter shows it as it is
    md_long = _letter(osen, "{{ values.long }}", long=long)
    assert md_long == r"\*Eple\* " + "x" * 300


def test_a_control_character_is_replaced_in_a_repeated_value(osen: Workspace) -> None:
    source = "{{ values.v }}/{{ values.v }}"
    assert _letter(osen, source, v="a\x1bb") == "a\ufffdb/a\ufffdb"
    assert _letter(osen, source, "txt", v="a\x1bb") == "a\ufffdb/a\ufffdb"


def test_jinjas_list_filters_give_what_they_gave(osen: Workspace) -> None:
    source = ("{{ [1, 0, 2] | select | list }}|{{ ['a', 'b'] | join('+') }}|"
              "{{ [1, 2] | sum }}|{{ [{'a': 1}] | map(attribute='a') | list }}|"
              "{{ [3, 1] | sort | first }}|{{ ['x', ''] | reject | list | length }}")
    # md escapes the brackets of a printed list
    assert _letter(osen, source) == r"\[1, 2\]|a+b|3|\[1\]|1|1"


def test_a_big_letter_is_written_whole(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40_000  # 10,240,000 bytes, more than one write may take
    [path] = _write_files(tmp_path / "out", [("stor.docx", data)])
    assert path == tmp_path / "out" / "stor.docx"
    assert path.read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["stor.docx"]


def test_letters_are_placed_under_their_names_beside_what_is_there(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kari.md").write_bytes(b"mine")
    paths = _write_files(out, [("kari.md", b"1"), ("ola.md", b"2"), ("KARI.md", b"3")])
    # kari.md is taken (kept), so the first is numbered; KARI.md is kari.md to Windows
    assert [p.name for p in paths] == ["kari-2.md", "ola.md", "KARI-3.md"]
    assert [p.read_bytes() for p in paths] == [b"1", b"2", b"3"]
    assert (out / "kari.md").read_bytes() == b"mine"
    assert sorted(p.name for p in out.iterdir()) == ["KARI-3.md", "kari-2.md", "kari.md",
                                                     "ola.md"]
