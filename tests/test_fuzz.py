"""Fuzzing the three ways users hand interessent text (issue 6 item 3): CSV files, plan
files and the data letters are drafted from. Whatever hypothesis makes, the answer is a
result or an :class:`~interessent.errors.InteressentError` — never another exception
(which the CLI would show as a traceback) — and a failure writes nothing.

The example counts are bounded so the suite stays fast; ``HYPOTHESIS_PROFILE=fuzz``
runs many more (``HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import email
import email.policy
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import PLAN
from interessent import (
    InteressentError,
    PlanError,
    Stakeholder,
    Workspace,
    export,
    import_file,
    init_workspace,
    parse_plan,
)
from interessent.drafting import LetterFormat
from interessent.importing import COLUMNS, KINDS

settings.register_profile("fuzz", max_examples=2000, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")

FEW = os.environ.get("HYPOTHESIS_PROFILE") != "fuzz"
FAST = settings(max_examples=60 if FEW else 2000, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

MakeWorkspace = Callable[[str], Workspace]


def exports(ws: Workspace) -> dict[str, str]:
    """Everything in the store, as the CSV exports show it."""
    out: dict[str, str] = {}
    for kind in KINDS:
        buffer = io.StringIO()
        export(ws, kind, buffer)
        out[kind] = buffer.getvalue()
    return out


# --- CSV files ----------------------------------------------------------------------------

#: Characters that break naive CSV handling, spreadsheets and databases.
NASTY = (",", ";", "\t", '"', "'", "\n", "\r", "\r\n", "|", "=", "+", "-", "@", "æ", "ø",
         "å", "Æ", "Ø", "Å", "\ufeff", "\x00", "\x1a", "\x0b", "\u2028", "é", " ", "\\",
         "=HYPERLINK(\"http://x\")", "2026-03-05", "05.03.2026", "ja", "x", "1,5", "kari",
         "ola", "osen-sjomat", "befolkningen", "naeringslivet", "daglig_leder", "meeting",
         "knows", "B1", "person", "organisation", "nn", "en")

cells = st.lists(st.sampled_from(NASTY) | st.text(max_size=6), max_size=4).map("".join)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(KINDS))
    names = [*COLUMNS[kind], "navn", "e-post", "målgrupper", "dato", "fra", "til", "Id",
             " NAME ", "ID"]
    headers = draw(st.lists(st.sampled_from(names) | cells, min_size=1, max_size=7))
    width = len(headers)
    rows = draw(st.lists(
        st.lists(cells, min_size=max(0, width - 1), max_size=width + 1),
        max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        quote_all = draw(st.booleans())
        writer = csv.writer(buffer, delimiter=delimiter,
                            quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                            lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
        writer.writerow(headers)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # no quoting at all: delimiters and line breaks inside cells break the rows
        text = "\n".join(delimiter.join(r) for r in [headers, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes no encoding makes
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=20))
    return kind, data


@pytest.fixture
def fuzz_ws(make_workspace: MakeWorkspace) -> Workspace:
    ws = make_workspace("fuzz")
    ws.store._add_stakeholder(Stakeholder("osen-sjomat", "Osen Sjømat AS", kind="organisation"))
    ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", organisation="osen-sjomat"))
    ws.store._add_stakeholder(Stakeholder("ola", "Ola Ås"))
    return ws


@FAST
@given(case=csv_files(), suffix=st.sampled_from([".csv", ".txt", ".CSV"]))
def test_any_csv_file_is_imported_or_refused_whole(
    fuzz_ws: Workspace, tmp_path: Path, case: tuple[str, bytes], suffix: str
) -> None:
    kind, data = case
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    before = exports(fuzz_ws)
    try:
        result = import_file(fuzz_ws, kind, path)
    except InteressentError:
        assert exports(fuzz_ws) == before
    else:
        assert result.rows >= 1
        exports(fuzz_ws)  # what went in comes out again


# --- plan files ---------------------------------------------------------------------------

toml_strings = st.text(max_size=12).map(lambda s: json.dumps(s, ensure_ascii=False))
toml_scalars = st.one_of(
    toml_strings, st.integers(-10**20, 10**20).map(str), st.floats().map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else
                                        "-inf" if f == float("-inf") else repr(f))),
    st.booleans().map(lambda b: str(b).lower()), st.dates().map(dt.date.isoformat),
    st.sampled_from(['"month"', '"quarter"', '"befolkningen"', '"direct"', '"B1"', "0",
                     "-1", "1.5", '""', '"ratio"', '"2026-13-01"']),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3).map(lambda v: "[" + ", ".join(v) + "]")
    | st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=3).map(
        lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"),
    max_leaves=6,
)
keys = st.sampled_from(["name", "key", "id", "groups", "cadence", "count", "channel",
                        "start", "end", "number", "kind", "programme", "ratio", "rule",
                        "phase", "aliases", "language", "top", "weights"]) | st.from_regex(
    r"[a-z_]{1,10}", fullmatch=True)
PLAN_LINES = PLAN.splitlines()


@st.composite
def plan_texts(draw: st.DrawFn) -> str:
    lines = list(PLAN_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "insert", "delete", "table", "raw"]))
        if action == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(toml_values)
        elif action == "insert":
            lines.insert(i, f"{draw(keys)} = {draw(toml_values)}")
        elif action == "delete":
            del lines[i]
        elif action == "table":
            lines.insert(i, draw(st.sampled_from(["[[groups]]", "[[commitments]]", "[programme]",
                                                  "[[roles]]", "[coverage]", "[leaders]",
                                                  "[[phases]]", "[x]", "[[channels]]"])))
        else:
            lines.insert(i, draw(st.text(max_size=20)))
    return "\n".join(lines)


@settings(max_examples=300 if FEW else 5000, deadline=None)
@given(text=plan_texts())
def test_any_plan_text_is_a_plan_or_a_plan_error(text: str) -> None:
    try:
        plan = parse_plan(text, source="fuzz.toml")
    except PlanError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path and problem.message
    else:
        assert plan.groups is not None


@settings(max_examples=100 if FEW else 2000, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_at_all_is_a_plan_or_a_plan_error(text: str) -> None:
    with contextlib.suppress(PlanError):
        parse_plan(text)


# --- template contexts --------------------------------------------------------------------

PAYLOADS = ("{{ 7*7 }}", "{% for x in range(3) %}X{% endfor %}", "{{ recipient.__class__ }}",
            "{# c #}", "<script>alert(1)</script>", "&amp;", "\r\nBcc: victim@example.com",
            "\nSubject: x", "=?utf-8?q?=0D=0ABcc:_x?=", "../../etc/passwd", "\\..\\x",
            "${x}", "%s", "ÆØÅ æøå", "\u202e", "\x0b", "\t", '"', "'", "<", ">", "\x1b[31m")
data_text = st.lists(st.sampled_from(PAYLOADS) | st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]),
    max_size=8), min_size=1, max_size=4).map("".join)
emails = st.one_of(st.none(), st.just("kari@example.no"), data_text,
                   data_text.map(lambda t: f"kari@example.no{t}"))
TEMPLATE = ('{% extends "base.j2" %}{% set subject = "Hei " ~ recipient.name %}'
            "{% block body %}Til {{ recipient.name }} ({{ recipient.id }}), "
            "{{ recipient.address }}. {{ values.get('note', '') }}{% endblock %}")
HEADERS = {"to", "subject", "date", "message-id", "x-unsent", "content-type",
           "content-transfer-encoding", "mime-version"}


@pytest.fixture
def letters_ws(tmp_path: Path) -> Iterator[Workspace]:
    with init_workspace(tmp_path / "ws") as ws:
        (ws.templates_path / "brev.j2").write_text(TEMPLATE, encoding="utf-8")
        ws.store._add_stakeholder(Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",)))
        yield ws


_counter = itertools.count()


@FAST
@given(ident=data_text, name=data_text.filter(str.strip), address=st.none() | data_text,
       mail=emails, note=st.none() | data_text, fmt=st.sampled_from(["md", "txt", "html",
                                                                     "eml", "docx"]),
       record=st.booleans())
def test_any_recipient_data_drafts_letters_or_one_clear_error(
    letters_ws: Workspace, tmp_path: Path, ident: str, name: str, address: str | None,
    mail: str | None, note: str | None, fmt: LetterFormat, record: bool,
) -> None:
    from interessent.drafting import draft

    n = next(_counter)
    sid = f"r{n}-{ident}"
    ws = letters_ws
    ws.store._add_stakeholder(Stakeholder(sid, name, address=address, email=mail,
                                         groups=("befolkningen",)))
    out = tmp_path / f"out{n}"
    before = ws.store.counts()
    try:
        run = draft(ws, "brev", stakeholders=[sid], fmt=fmt, out=out, record=record,
                    as_of=dt.date(2026, 5, 4), values={"note": note} if note else None)
    except InteressentError:
        assert not out.exists()
        assert ws.store.counts() == before
        return
    written = sorted(out.iterdir()) if out.exists() else []
    assert [p.parent for p in written] == [out] * len(written)  # nothing left the folder
    assert len(written) == len(run.letters)
    assume(run.letters)  # a recipient without a valid e-mail is skipped for eml
    assert ws.store.counts()["interactions"] == before["interactions"] + (1 if record else 0)
    data = written[0].read_bytes()
    if fmt == "eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        names = {k.lower() for k in message}
        assert names - HEADERS <= {n for n in names if n.startswith("x-interessent-")}
        assert not re.search(rb"^(Bcc|Cc|Reply-To):", data.split(b"\r\n\r\n")[0],
                             flags=re.IGNORECASE | re.MULTILINE)
    elif fmt == "html":
        assert b"<script>" not in data
    elif fmt == "txt" and "{{ 7*7 }}" in name:
        assert "{{ 7*7 }}" in data.decode("utf-8")  # data is never run as a template
