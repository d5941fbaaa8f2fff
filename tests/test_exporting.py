"""Exporting CSV and JSON, formula neutralisation, and lossless round trips with import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interessent.errors import InvalidInput
from interessent.exporting import ExportFormat, export, neutralise
from interessent.importing import FORMULA_TRIGGERS, import_file, unneutralise
from interessent.model import Interaction, Kind, Language, Relationship, Stakeholder
from interessent.workspace import Workspace

MakeWorkspace = Callable[[str], Workspace]

TRICKY = [
    "=cmd|' /C calc'!A0",
    "+47 912 34 567",
    "-1",
    "@SUM(A1:A9)",
    "\tindented",
    "\rcarriage",
    "'=already quoted",
]


def exported(ws: Workspace, kind: str, fmt: ExportFormat = "csv") -> str:
    out = io.StringIO()
    export(ws, kind, out, fmt=fmt)
    return out.getvalue()


def fill(ws: Workspace) -> None:
    """Stakeholders, relationships and interactions with every awkward value we know of."""
    people = [
        Stakeholder(id="osen-sjomat", name="Osen Sjømat AS", kind=Kind.ORGANISATION,
                    email="post@osensjomat.no", address="Kaia 1\n7740 Steinsdalen",
                    groups=("naeringslivet",), influence=4, interest=3,
                    legal_basis="berettiget interesse", tags=("sjømat", "eksport")),
        Stakeholder(id="kari", name="Kari \"Kua\" Nordmann, jr.", phone="+47 912 34 567",
                    organisation="osen-sjomat", roles=("daglig_leder", "styreleder"),
                    groups=("befolkningen", "naeringslivet"), influence=5, interest=1,
                    language=Language.EN, notes="=HYPERLINK(\"http://x\")\r\nline two; ja",
                    tags=("-minus", "@at")),
        Stakeholder(id="ola", name="Ola Ås", email="@ola", language=Language.NN,
                    notes="'quoted' and 'fine'", organisation="osen-sjomat"),
        # a leading tab (a formula trigger) where text may hold tabs: not in a name
        Stakeholder(id="tab", name="Tab Bed", phone="-1", address="\tTabbed",
                    notes="'=already quoted"),
    ]
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people)
        ws.store._save_relationships(s, [
            Relationship("kari", "osen-sjomat", "works_for", 0.35, True,
                         dt.date(2020, 1, 1), None),
            Relationship("kari", "ola", "knows", 1e-05, False),
            Relationship("ola", "kari", "knows", 1.0, True, None, dt.date(2026, 12, 31)),
            Relationship("ola", "osen-sjomat", "board_member", 0.1 + 0.2, True),
        ])
        ws.store._save_interactions(s, [
            Interaction(id="K2026-0001", date=dt.date(2026, 3, 5), kind="board_meeting",
                        channel="direkte", participants=("kari", "ola"), topic="=1+1",
                        commitments=("B5",), host="osen-sjomat", success=True,
                        notes="Møte hos\nOsen Sjømat"),
            Interaction(id="K2026-0002", date=dt.date(2026, 3, 6), kind="article",
                        channel="media", groups=("befolkningen", "naeringslivet"),
                        commitments=("B1",), topic="+ nytt anlegg"),
            Interaction(id="egen-id", date=dt.date(2025, 12, 31), kind="call"),
        ])


# --- neutralisation -----------------------------------------------------------------------


def test_neutralise() -> None:
    assert [neutralise(c) for c in TRICKY] == [
        "'=cmd|' /C calc'!A0",
        "'+47 912 34 567",
        "'-1",
        "'@SUM(A1:A9)",
        "'\tindented",
        "'\rcarriage",
        "''=already quoted",
    ]
    for harmless in ("", "Osen", "'", "'quoted'", " =spaced", "47 912 34 567", "1-2"):
        assert neutralise(harmless) == harmless
    assert [unneutralise(neutralise(c)) for c in TRICKY] == TRICKY


@given(st.text())
def test_neutralise_round_trips_any_text(text: str) -> None:
    safe = neutralise(text)
    assert unneutralise(safe) == text
    assert safe[:1] not in FORMULA_TRIGGERS


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ")))
def test_neutralise_round_trips_trigger_heavy_text(text: str) -> None:
    safe = neutralise(text)
    assert unneutralise(safe) == text
    assert safe[:1] not in FORMULA_TRIGGERS


def test_csv_cells_are_neutralised_and_import_back_unchanged(
    make_workspace: MakeWorkspace, tmp_path: Path
) -> None:
    ws = make_workspace("a")
    ws.store._add_stakeholder(Stakeholder(id="x", name="@SUM(1+1)", phone="+47 912 34 567",
                                         notes="=cmd|' /C calc'!A0", tags=("-1",)))
    text = exported(ws, "stakeholders")

    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == "'@SUM(1+1)"
    assert cells["phone"] == "'+47 912 34 567"
    assert cells["notes"] == "'=cmd|' /C calc'!A0"
    assert cells["tags"] == "'-1"
    assert not any(c[:1] in FORMULA_TRIGGERS for c in row)

    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8", newline="")
    other = make_workspace("b")
    import_file(other, "stakeholders", path)
    assert other.store.stakeholders() == ws.store.stakeholders()


# --- the CSV and JSON formats -------------------------------------------------------------


def test_csv_format(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        count = export(workspace, "interessenter", out)

    assert count == 4
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,name,first_name,kind,email,phone,address,"
                           b"organisation,roles,groups,influence,interest,language,legal_basis,"
                           b"tags,notes\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["kari", "ola", "osen-sjomat", "tab"]
    kari = rows[0]
    assert kari["roles"] == "daglig_leder|styreleder"
    assert kari["language"] == "en"
    assert (kari["influence"], kari["interest"]) == ("5", "1")
    assert kari["notes"] == "'=HYPERLINK(\"http://x\")\r\nline two; ja"

    rels = list(csv.DictReader(io.StringIO(exported(workspace, "relationships")[1:])))
    assert rels[1] == {"source": "kari", "target": "osen-sjomat", "kind": "works_for",
                       "strength": "0.35", "directed": "true", "start": "2020-01-01",
                       "end": ""}
    assert rels[0]["strength"] == "1e-05"
    assert rels[0]["directed"] == "false"


def test_json_format(workspace: Workspace) -> None:
    fill(workspace)
    people = json.loads(exported(workspace, "stakeholders", "json"))
    kari = people[0]
    assert list(kari) == ["id", "name", "first_name", "kind", "email", "phone", "address",
                          "organisation", "roles", "groups", "influence", "interest", "language",
                          "legal_basis", "tags", "notes", "opted_out", "restricted"]
    assert kari["phone"] == "+47 912 34 567"  # JSON is not for spreadsheets: not neutralised
    assert kari["email"] is None
    assert kari["roles"] == ["daglig_leder", "styreleder"]
    assert kari["opted_out"] is False

    text = exported(workspace, "interactions", "json")
    assert "Møte hos" in text  # ensure_ascii=False
    first = json.loads(text)[0]
    assert first == {"id": "egen-id", "date": "2025-12-31", "kind": "call", "channel": None,
                     "participants": [], "groups": [], "topic": None, "commitments": [],
                     "host": None, "success": False, "notes": None, "sentiment": None,
                     "outlet": None, "tone": None, "story": None, "messages": []}


def test_export_arguments(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput, match="unknown format 'xml'"):
        export(workspace, "stakeholders", io.StringIO(), fmt="xml")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="unknown kind"):
        export(workspace, "people", io.StringIO())
    out = io.StringIO()
    assert export(workspace, "relationships", out) == 0
    assert out.getvalue() == "\ufeffsource,target,kind,strength,directed,start,end\r\n"


# --- round trips --------------------------------------------------------------------------


def test_round_trip_is_lossless(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    first = make_workspace("first")
    fill(first)
    second = make_workspace("second")

    for kind in ("stakeholders", "relationships", "interactions"):
        path = tmp_path / f"{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            export(first, kind, out)
        result = import_file(second, kind, path)
        assert (result.added, result.updated) == (result.rows, 0)
        assert result.encoding == "utf-8-sig"
        again = tmp_path / f"{kind}-again.csv"
        with again.open("w", encoding="utf-8", newline="") as out:
            export(second, kind, out)
        assert again.read_bytes() == path.read_bytes()

    assert second.store.stakeholders() == first.store.stakeholders()
    assert second.store.relationships() == first.store.relationships()
    assert second.store.interactions() == first.store.interactions()

    # importing its own export changes nothing and adds nothing
    for kind in ("stakeholders", "relationships", "interactions"):
        result = import_file(second, kind, tmp_path / f"{kind}.csv")
        assert (result.added, result.updated) == (0, result.rows)
    assert second.store.stakeholders() == first.store.stakeholders()
    assert second.store.relationships() == first.store.relationships()
    assert second.store.interactions() == first.store.interactions()
