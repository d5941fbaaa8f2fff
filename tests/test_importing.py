"""Importing CSV and XLSX files into a real SQLite store (SPEC §4, issue 2 item 7)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from interessent.errors import ImportRejected, InvalidInput, RowProblem
from interessent.exporting import export
from interessent.importing import (
    ImportResult,
    import_file,
    parse_kind,
    read_table,
    slugify,
    unneutralise,
)
from interessent.model import Interaction, Kind, Language, Relationship, Stakeholder
from interessent.workspace import Workspace

MakeWorkspace = Callable[[str], Workspace]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def dump(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the workspace's SQLite file, read with plain sqlite3
    (on another database, every table SQLAlchemy finds there)."""
    if not ws.db_url.startswith("sqlite"):
        from sqlalchemy import MetaData, select

        meta = MetaData()
        with ws.store.engine.connect() as db:
            meta.reflect(db)
            return {t.name: sorted(db.execute(select(t)).all(), key=repr)
                    for t in meta.sorted_tables}
    path = ws.root / "interessent.db"
    assert path.is_file()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def export_text(ws: Workspace, kind: str) -> str:
    out = io.StringIO()
    export(ws, kind, out)
    return out.getvalue()


def add_people(ws: Workspace, *people: Stakeholder) -> None:
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, list(people))


# --- encodings, delimiters, formats -------------------------------------------------------


def test_cp1252_semicolon_file_with_norwegian_headers(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "interessenter.csv", (
        "Navn;Type;E-post;Telefon;Adresse;Organisasjon;Roller;Målgrupper;Innflytelse;"
        "Interesse;Målform;Rettslig grunnlag;Stikkord;Notater\r\n"
        "Åse Ørnes Bækken;person;ase@osen.no;+47 912 34 567;Strandveien 1, 7740 Steinsdalen;"
        "Osen Sjømat AS;Daglig leder;Befolkningen i Osen|næringslivet;4;5;bokmål;"
        "samtykke;fiske|sjømat;Møtte oss på Brøndbo\r\n"
        "Osen Sjømat AS;bedrift;post@osensjomat.no;;;;;naeringslivet;3;;;;;\r\n"
    ), encoding="cp1252")

    result = import_file(workspace, "interessenter", path)

    assert (result.encoding, result.delimiter) == ("cp1252", ";")
    assert (result.rows, result.added, result.updated) == (2, 2, 0)
    assert result.created_organisations == ()  # the organisation is a row of the file
    ase, org = workspace.store.stakeholders()
    assert ase == Stakeholder(
        id="ase-ornes-baekken", name="Åse Ørnes Bækken", kind=Kind.PERSON,
        email="ase@osen.no", phone="+47 912 34 567",
        address="Strandveien 1, 7740 Steinsdalen", organisation="osen-sjomat-as",
        roles=("daglig_leder",), groups=("befolkningen", "naeringslivet"), influence=4,
        interest=5, language=Language.NB, legal_basis="samtykke", tags=("fiske", "sjømat"),
        notes="Møtte oss på Brøndbo",
    )
    # kind "bedrift" is an organisation; an empty language is the plan's (nn)
    assert (org.id, org.kind, org.language) == ("osen-sjomat-as", Kind.ORGANISATION, Language.NN)
    assert "read as Windows-1252 (cp1252), ';'-separated" in result.summary()


def test_utf8_file_with_byte_order_mark(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "id,navn,målform\nkari,Kari Sæther,nynorsk\n".encode())

    result = import_file(workspace, "stakeholders", path)

    assert result.encoding == "utf-8-sig"
    assert workspace.store.stakeholder("kari").name == "Kari Sæther"
    assert workspace.store.stakeholder("kari").language is Language.NN
    assert "UTF-8 with BOM, ','-separated" in result.summary()


def test_tab_separated_utf8_without_bom(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.tsv", 'ID\tName\tNotes\nola\tOla Ås\t"has, commas; and\ttabs"\n')

    result = import_file(workspace, "stakeholders", path)

    assert (result.encoding, result.delimiter) == ("utf-8", "\t")
    assert workspace.store.stakeholder("ola").notes == "has, commas; and\ttabs"
    assert "tab-separated" in result.summary()


def test_encoding_and_delimiter_can_be_given(workspace: Workspace, tmp_path: Path) -> None:
    # The header has more commas than semicolons, so detection alone would guess ','.
    path = write(tmp_path / "s.csv", "name;notes\nBjørn;a,b,c,d\n", encoding="latin-1")

    result = import_file(workspace, "stakeholders", path, encoding="latin-1",
                         delimiter="semicolon")

    assert (result.encoding, result.delimiter) == ("iso8859-1", ";")
    assert workspace.store.stakeholder("bjorn").notes == "a,b,c,d"
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        import_file(workspace, "stakeholders", path, encoding="klingon")
    with pytest.raises(InvalidInput, match="unknown delimiter"):
        import_file(workspace, "stakeholders", path, delimiter="|")


def test_xlsx_file(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "liste.xlsx"
    book = openpyxl.Workbook()
    book.worksheets[0].title = "Notater"  # the first sheet is not the stakeholders' one
    book.worksheets[0].append(["this sheet is not read"])
    sheet = book.create_sheet("Interessenter")
    sheet.append(["Navn", "Telefon", "Innflytelse", "Organisasjon", "Målgrupper"])
    sheet.append(["Kari Nordmann", 4791234567, 4, "Osen Sjømat AS", "befolkningen"])
    sheet.append([None, None, None, None, None])  # an empty row (row 3) is skipped
    sheet.append(["Per Olsen", "+47 48 00 00 00", 2.0, "Osen Sjømat AS", None])
    book.save(path)
    book.close()

    result = import_file(workspace, "stakeholders", path)

    assert (result.encoding, result.delimiter) == ("xlsx", None)
    assert (result.rows, result.added) == (2, 2)
    assert result.created_organisations == ("osen-sjomat-as",)
    kari = workspace.store.stakeholder("kari-nordmann")
    assert (kari.phone, kari.influence, kari.organisation) == ("4791234567", 4, "osen-sjomat-as")
    assert workspace.store.stakeholder("per-olsen").influence == 2
    assert "read from Excel" in result.summary()


def test_xlsx_row_numbers_and_dates(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari"))
    path = tmp_path / "kontakter.xlsx"
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(["Dato", "Type", "Deltakere", "Suksess"])
    sheet.append([dt.datetime(2026, 3, 5), "Møte", "kari", True])
    sheet.append([])
    sheet.append([dt.date(2026, 3, 6), "møte", "nobody", "ja"])
    book.save(path)
    book.close()

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "kontakter", path)
    # the fourth row of the sheet, its column headed "Deltakere" as the file writes it
    assert caught.value.problems == [RowProblem(4, "Deltakere: unknown stakeholder 'nobody'",
                                                column="Deltakere")]

    sheet.delete_rows(4)
    book.save(path)
    result = import_file(workspace, "interactions", path)
    assert result.rows == 1
    assert workspace.store.interactions() == [Interaction(
        id="K2026-0001", date=dt.date(2026, 3, 5), kind="meeting", participants=("kari",),
        success=True)]


def test_decimal_comma_strength_and_norwegian_dates(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari Nordmann"),
               Stakeholder(id="osen", name="Osen Sjømat AS", kind=Kind.ORGANISATION))
    path = write(tmp_path / "relasjoner.csv", (
        "Fra;Til;Type;Styrke;Rettet;Start;Slutt\n"
        'Kari Nordmann;osen;Arbeider for;"0,75";;01.02.2024;31.12.2026\n'
        "kari;osen;knows;0.5;ja;;\n"
        "kari;osen;kjenner;;;;\n"
    ))

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "relasjoner", path)
    assert [p.row for p in caught.value.problems] == [3, 4]  # knows twice (by key and name)

    path.write_text(path.read_text(encoding="utf-8").rsplit("kari;osen;kjenner", 1)[0],
                    encoding="utf-8")
    result = import_file(workspace, "relationships", path)
    assert (result.rows, result.added) == (2, 2)
    assert workspace.store.relationships() == [
        Relationship("kari", "osen", "knows", 0.5, directed=True),
        Relationship("kari", "osen", "works_for", 0.75, directed=True,
                     start=dt.date(2024, 2, 1), end=dt.date(2026, 12, 31)),
    ]


# --- all or nothing -----------------------------------------------------------------------


def test_ten_thousand_rows_with_one_bad_row_change_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.csv", "id,name,influence\na,Anne,3\nb,Bjørn,\n")
    import_file(workspace, "stakeholders", first)
    before = dump(workspace)
    exported = export_text(workspace, "stakeholders")

    lines = ["id,name,groups,influence"]
    bad_index = 6543
    for i in range(10_000):
        influence = "9" if i == bad_index else str(i % 5 + 1)
        lines.append(f"p{i},Person {i},befolkningen,{influence}")
    lines[2] = "a,Anne updated,befolkningen,2"  # an update that must not happen either
    big = write(tmp_path / "big.csv", "\n".join(lines) + "\n")

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", big)

    bad_row = bad_index + 2  # the header is row 1, the first data row is row 2
    assert caught.value.problems == [RowProblem(bad_row, "influence: 9 is not from 1 to 5",
                                                column="influence")]
    assert f"row {bad_row}: influence" in str(caught.value)
    assert dump(workspace) == before
    assert export_text(workspace, "stakeholders") == exported

    lines[bad_index + 1] = f"p{bad_index},Person {bad_index},befolkningen,4"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(workspace, "stakeholders", big)
    assert (result.rows, result.added, result.updated) == (10_000, 9_999, 1)
    assert workspace.store.counts()["stakeholders"] == 10_001  # b is kept


def test_every_bad_row_is_listed(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", (
        "id,name,kind,roles,groups,influence,interest,language\n"
        "ok,Fine Person,person,ordfører,befolkningen,1,5,en\n"
        "r3,Role Wrong,person,kokk,,,,\n"
        "r4,Group Wrong,,,ungdom,,,\n"
        "r5,,,,,,,\n"
        "r6,Kind Wrong,robot,,,,,\n"
        "r7,Score Wrong,,,,høy,2.5,\n"
        "r8,Language Wrong,,,,,,samisk\n"
        "ok2,Fine Too,org,Styreformann,Det etablerte næringslivet,,,\n"
    ))

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)

    problems = caught.value.problems
    assert [p.row for p in problems] == [3, 4, 5, 6, 7, 7, 8]
    messages = [p.message for p in problems]
    assert messages[0] == ("roles: unknown role 'kokk' "
                           "(known: daglig_leder, ordforer, styreleder)")
    assert messages[1] == ("groups: unknown target group 'ungdom' "
                           "(known: befolkningen, naeringslivet)")
    assert messages[2] == "name: empty; every stakeholder needs a name"
    assert messages[3] == "kind: 'robot' is neither person nor organisation"
    assert messages[4] == "influence: 'høy' is not a whole number from 1 to 5"
    assert messages[5] == "interest: '2.5' is not a whole number from 1 to 5"
    assert messages[6].startswith("language: 'samisk' is not nb, nn or en")
    assert "7 bad rows" in str(caught.value)
    assert workspace.store.counts()["stakeholders"] == 0


def test_unknown_repeated_and_missing_columns(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "navn,fødselsdato\nKari,1970-01-01\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)
    (problem,) = caught.value.problems
    assert problem.row == 1
    assert problem.message.startswith("unknown column 'fødselsdato' (stakeholders columns: id,")
    assert "name (navn/namn)" in problem.message

    write(path, "Name,Navn\nKari,Kari\n")
    with pytest.raises(ImportRejected, match=r"row 1: column 'Navn' repeats column 'Name'"):
        import_file(workspace, "stakeholders", path)

    write(path, "fra,til\nkari,ola\n")
    with pytest.raises(ImportRejected, match="required column 'kind' is missing"):
        import_file(workspace, "relationships", path)

    write(path, "name|email\nKari|k@x.no\n")
    with pytest.raises(ImportRejected, match="found no ',', ';' or tab"):
        import_file(workspace, "stakeholders", path)


def test_the_same_id_twice_names_both_rows(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "id,name\nkari,Kari\nola,Ola\nkari,Kari Again\n")

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)

    message = "id: 'kari' is in rows 2 and 4; an id may appear only once in a file"
    assert caught.value.problems == [RowProblem(2, message, column="id"),
                                     RowProblem(4, message, column="id")]


def test_extra_cells_and_bad_ids(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", f"id,name\na|b,A\n{'x' * 201},B\nc,C,surplus\nd,D,,\n")

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)

    assert [str(p) for p in caught.value.problems] == [
        "row 2: id: 'a|b': an id cannot contain '|'",
        "row 3: id: an id may be at most 200 characters",
        "row 4: 3 cells, but the header has only 2 columns",
    ]


def test_unknown_stakeholders_in_relationships_and_interactions(
    workspace: Workspace, tmp_path: Path
) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari"),
               Stakeholder(id="k2", name="Kari"), Stakeholder(id="ola", name="Ola"))
    rels = write(tmp_path / "r.csv", (
        "source,target,kind\nkari,nobody,knows\nKari,ola,knows\nola,ola,knows\n"
        "ola,kari,friends\n"
    ))
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "relationships", rels)
    assert [str(p) for p in caught.value.problems] == [
        "row 2: target: unknown stakeholder 'nobody'",
        "row 3: source: 'Kari' is the name of 2 stakeholders (k2, kari); use the id",
        "row 4: target: a stakeholder cannot be related to itself",
        "row 5: kind: unknown relationship kind 'friends' (known: advises, board_chair, "
        "board_member, family, funds, knows, leads, media_contact, member_of, observer, "
        "owner_of, partner, works_for)",
    ]

    acts = write(tmp_path / "i.csv", (
        "date,kind,participants,host,groups,commitments,channel\n"
        "2026-01-10,meeting,kari|ghost,,,,\n"
        "2026-01-11,meeting,,ghost,ungdom,B9,tv\n"
        "2026-13-01,dance,,,,,\n"
    ))
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "interactions", acts)
    rows = [p.row for p in caught.value.problems]
    assert rows == [2, 3, 3, 3, 3, 4, 4]
    text = str(caught.value)
    assert "row 2: participants: unknown stakeholder 'ghost'" in text
    assert "row 3: host: unknown stakeholder 'ghost'" in text
    assert "row 3: commitments: unknown commitment 'B9' (known: B1, B5)" in text
    assert "row 3: channel: unknown channel 'tv' (known: direkte, media)" in text
    assert "row 4: date: not a date: '2026-13-01'" in text
    assert "row 4: kind: unknown interaction kind 'dance'" in text
    assert workspace.store.counts() == {"stakeholders": 3, "relationships": 0,
                                        "interactions": 0}


# --- organisations and ids ----------------------------------------------------------------


def test_organisation_named_by_name_is_created_once(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", (
        "name,organisation\n"
        "Kari Nordmann,Osen Sjømat AS\n"
        "Per Olsen,  osen   sjømat as \n"   # case and spacing aside, the same organisation
        "Lise Berg,Fosen Kraft\n"
    ))

    result = import_file(workspace, "stakeholders", path)

    assert result.created_organisations == ("osen-sjomat-as", "fosen-kraft")
    assert (result.rows, result.added, result.updated) == (3, 3, 0)
    assert "2 organisations created" in result.summary()
    assert workspace.store.counts()["stakeholders"] == 5
    org = workspace.store.stakeholder("osen-sjomat-as")
    assert (org.name, org.kind, org.language) == ("Osen Sjømat AS", Kind.ORGANISATION,
                                                  Language.NN)
    assert workspace.store.stakeholder("per-olsen").organisation == "osen-sjomat-as"
    assert workspace.store.stakeholder("lise-berg").organisation == "fosen-kraft"

    again = import_file(workspace, "stakeholders", path)  # now they exist: found by name
    assert again.created_organisations == ()
    assert workspace.store.counts()["stakeholders"] == 5


def test_organisation_later_in_file_is_used_not_created(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write(tmp_path / "s.csv", (
        "name,kind,organisation\nLise Berg,person,Fosen Kraft\nFosen Kraft,organisation,\n"
    ))
    result = import_file(workspace, "stakeholders", path)
    assert result.created_organisations == ()
    assert workspace.store.stakeholder("lise-berg").organisation == "fosen-kraft"


def test_organisation_by_name_of_an_existing_one(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="org-17", name="Osen Sjømat AS",
                                      kind=Kind.ORGANISATION),
               Stakeholder(id="x1", name="Twin AS", kind=Kind.ORGANISATION),
               Stakeholder(id="x2", name="Twin AS", kind=Kind.ORGANISATION))
    path = write(tmp_path / "s.csv", "name;organisation\nKari;  OSEN SJØMAT AS \nOla;org-17\n")

    result = import_file(workspace, "stakeholders", path)

    assert result.created_organisations == ()
    assert workspace.store.stakeholder("kari").organisation == "org-17"
    assert workspace.store.stakeholder("ola").organisation == "org-17"

    write(path, "name;organisation\nKari;Twin AS\nOla;ola\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)
    assert [str(p) for p in caught.value.problems] == [
        "row 2: organisation: 'Twin AS' is the name of 2 organisations (x1, x2); use the id",
        "row 3: organisation: a stakeholder cannot be its own organisation",
    ]


def test_ids_made_from_names(workspace: Workspace, tmp_path: Path) -> None:
    assert slugify("Åse Ørnes Bækken") == "ase-ornes-baekken"
    assert slugify("  Zoë  O'Brien-Nuñez ") == "zoe-o-brien-nunez"
    assert slugify("Трондхейм").startswith("id-")
    assert len(slugify("a" * 300)) == 80

    add_people(workspace, Stakeholder(id="per-ost", name="Per Øst (en annen)"))
    path = write(tmp_path / "s.csv", (
        "id,name\n,Kari Nordmann\n,Kari Nordmann\nkari-nordmann-2,Kari N. (given id)\n"
        ",Per Øst\n"
    ))

    result = import_file(workspace, "stakeholders", path)

    ids = [s.id for s in workspace.store.stakeholders()]
    # the given id kari-nordmann-2 is reserved first; per-ost is someone else in the store
    assert ids == ["kari-nordmann", "kari-nordmann-2", "kari-nordmann-3", "per-ost",
                   "per-ost-2"]
    assert result.added == 4

    again = import_file(workspace, "stakeholders", path)  # the same people, not new ones
    assert (again.added, again.updated) == (0, 4)
    assert workspace.store.counts()["stakeholders"] == 5


def test_update_replaces_present_columns_and_keeps_absent_ones(
    workspace: Workspace, tmp_path: Path
) -> None:
    add_people(workspace, Stakeholder(
        id="kari", name="Kari", email="kari@osen.no", phone="900 00 000", influence=4,
        roles=("ordforer",), tags=("fiske",), language=Language.EN))
    path = write(tmp_path / "s.csv", "id,name,email,tags,language\nkari,Kari Nordmann,,,\n")

    result = import_file(workspace, "stakeholders", path)

    assert (result.added, result.updated) == (0, 1)
    kari = workspace.store.stakeholder("kari")
    assert kari.name == "Kari Nordmann"
    assert (kari.email, kari.tags) == (None, ())            # present and empty: cleared
    assert kari.language is Language.NN                     # empty language: the plan's
    assert (kari.phone, kari.influence, kari.roles) == ("900 00 000", 4, ("ordforer",))


def test_interactions_ids_kinds_and_replacement(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari"),
               Stakeholder(id="osen", name="Osen Sjømat AS", kind=Kind.ORGANISATION))
    workspace.store._add_interaction(Interaction(id="K2026-0007", date=dt.date(2026, 1, 2),
                                                kind="call"))
    path = write(tmp_path / "kontakter.csv", (
        "Dato;Type;Kanal;Deltakere;Målgrupper;Tema;Tiltak;Vert;Suksess;Notater\n"
        "05.03.2026;Styremøte;Direkte kontakt;kari;;Budsjett;b5;Osen Sjømat AS;ja;\n"
        "2026-03-06;Nyhetssak i media;media;;Befolkningen i Osen|naeringslivet;;B1;;nei;\n"
        "2025-12-01;møte;;Kari;;;;;;\n"
    ))

    result = import_file(workspace, "kontakter", path)

    assert (result.added, result.updated) == (3, 0)
    assert workspace.store.interactions() == [
        Interaction(id="K2025-0001", date=dt.date(2025, 12, 1), kind="meeting",
                    participants=("kari",)),
        Interaction(id="K2026-0007", date=dt.date(2026, 1, 2), kind="call"),
        Interaction(id="K2026-0008", date=dt.date(2026, 3, 5), kind="board_meeting",
                    channel="direkte", participants=("kari",), topic="Budsjett",
                    commitments=("B5",), host="osen", success=True),
        Interaction(id="K2026-0009", date=dt.date(2026, 3, 6), kind="article",
                    channel="media", groups=("befolkningen", "naeringslivet"),
                    commitments=("B1",)),
    ]

    replace = write(tmp_path / "replace.csv", "id,date,kind,topic\nK2026-0008,2026-03-05,"
                                              "board_meeting,Nytt tema\n")
    result = import_file(workspace, "interactions", replace)
    assert (result.added, result.updated) == (0, 1)
    (meeting,) = workspace.store.interactions(ids=["K2026-0008"])
    assert meeting == Interaction(id="K2026-0008", date=dt.date(2026, 3, 5),
                                  kind="board_meeting", topic="Nytt tema")


def test_relationship_directedness_and_upsert(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="a", name="A"), Stakeholder(id="b", name="B"))
    path = write(tmp_path / "r.csv", "source,target,kind,strength,directed,start,end\n"
                                     "a,b,knows,,,,\na,b,works_for,0.2,nei,2026-02-01,"
                                     "2026-01-01\n")
    with pytest.raises(ImportRejected, match="row 3: end: 2026-01-01 comes before the start"):
        import_file(workspace, "relationships", path)

    write(path, "source,target,kind,strength,directed\na,b,knows,,\na,b,works_for,0.2,nei\n")
    import_file(workspace, "relationships", path)
    write(path, "source,target,kind,strength\na,b,works_for,\"0,9\"\n")
    result = import_file(workspace, "relationships", path)

    assert (result.added, result.updated) == (0, 1)
    assert workspace.store.relationships() == [
        Relationship("a", "b", "knows", 1.0, directed=False),        # knows is mutual
        Relationship("a", "b", "works_for", 0.9, directed=True),     # the kind's default
    ]


# --- dry run, progress, kinds -------------------------------------------------------------


def test_dry_run_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari"))
    before = dump(workspace)
    path = write(tmp_path / "s.csv", "id,name,organisation\nkari,Kari N,Ny Bedrift AS\nola,Ola,\n")

    result = import_file(workspace, "stakeholders", path, dry_run=True)

    assert result == ImportResult(
        kind="stakeholders", source="s.csv", rows=2, added=1, updated=1,
        created_organisations=("ny-bedrift-as",), encoding="utf-8", delimiter=",",
        dry_run=True,
    )
    assert result.summary() == ("s.csv: 2 rows (1 added, 1 updated), 1 organisation created; "
                                "read as UTF-8, ','-separated — dry run, nothing written")
    assert dump(workspace) == before

    write(path, "id,name,groups\nola,Ola,ungdom\n")
    with pytest.raises(ImportRejected, match="unknown target group"):
        import_file(workspace, "stakeholders", path, dry_run=True)


def test_progress_is_reported(workspace: Workspace, tmp_path: Path) -> None:
    rows = "".join(f"p{i},Person {i}\n" for i in range(2500))
    path = write(tmp_path / "s.csv", "id,name\n" + rows)
    calls: list[tuple[int, int]] = []

    import_file(workspace, "stakeholders", path, progress=lambda d, t: calls.append((d, t)))

    assert {t for _d, t in calls} == {5000}  # each row is checked, then written
    done = [d for d, _t in calls]
    assert done == sorted(done)
    assert len(set(done)) >= 3  # per column checked, per batch written
    assert done[-1] == 5000


def test_kind_names() -> None:
    assert parse_kind("Interessenter") == "stakeholders"
    assert parse_kind("relasjon") == "relationships"
    assert parse_kind("aktiviteter") == "interactions"
    with pytest.raises(InvalidInput, match="stakeholders, relationships or interactions"):
        parse_kind("people")


# --- files that are not what they claim ---------------------------------------------------


def test_unreadable_files(workspace: Workspace, tmp_path: Path) -> None:
    cases: list[tuple[str, bytes, str]] = [
        ("binary.csv", bytes(range(256)) * 4, "is not a text CSV file"),
        ("image.csv", b"\x89PNG\r\n\x1a\n" + b"\x01\x02\x03\x04" * 200, "not a text CSV file"),
        ("book.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx or .csv"),
        ("old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel .xls"),
        ("empty.csv", b"", "s empty"),
        ("blank.csv", b"\r\n\r\n", "is empty"),
        ("header.csv", b"id,name\r\n", "has a header but no rows"),
        ("broken.xlsx", b"PK\x03\x04 this is no real zip", "not an Excel .xlsx workbook"),
        ("text.xlsx", b"id,name\nkari,Kari\n", "not an Excel .xlsx workbook"),
        ("mixed.csv", "name\nÅse\n".encode() + b"\x81\x8d\x8f\x90\x9d\n",
         "neither UTF-8 nor Windows-1252"),
    ]
    for name, data, message in cases:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InvalidInput, match=message):
            import_file(workspace, "stakeholders", path)
    with pytest.raises(InvalidInput, match="no such file"):
        import_file(workspace, "stakeholders", tmp_path / "missing.csv")
    with pytest.raises(InvalidInput, match="is a folder"):
        import_file(workspace, "stakeholders", tmp_path)


def test_workbook_renamed_to_csv(workspace: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.worksheets[0].append(["name"])
    book.worksheets[0].append(["Kari"])
    path = tmp_path / "liste.csv"
    book.save(path)
    book.close()
    with pytest.raises(InvalidInput, match=r"looks like an Excel workbook; rename it to \.xlsx"):
        import_file(workspace, "stakeholders", path)
    renamed = path.rename(tmp_path / "liste.xlsx")
    assert import_file(workspace, "stakeholders", renamed).added == 1


def test_zip_bomb_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    with pytest.raises(InvalidInput, match="zip bomb"):
        import_file(workspace, "stakeholders", path)


def test_utf16_text_from_excel(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("navn\tmålform\nØystein\tnn\n".encode("utf-16"))
    result = import_file(workspace, "stakeholders", path)
    assert (result.encoding, result.delimiter) == ("utf-16", "\t")
    assert workspace.store.stakeholder("oystein").name == "Øystein"


def test_read_table_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", '\nid;notes\n\na;"two\nlines"\nb;x\n')
    table = read_table(path)
    assert table.header_row == 2
    assert table.headers == ["id", "notes"]
    assert table.rows == [["a", "two\nlines"], ["b", "x"]]
    assert table.row_numbers == [4, 5]  # one row per record, as a spreadsheet counts them


def test_neutralised_cells_lose_one_apostrophe(workspace: Workspace, tmp_path: Path) -> None:
    assert unneutralise("'+47 912 34 567") == "+47 912 34 567"
    assert unneutralise("''=x") == "'=x"
    assert unneutralise("'quoted'") == "'quoted'"  # not one the exporter made
    path = write(tmp_path / "s.csv", "id,name,phone,notes\nkari,Kari,'+47 912 34 567,'Tja\n")
    import_file(workspace, "stakeholders", path)
    kari = workspace.store.stakeholder("kari")
    assert (kari.phone, kari.notes) == ("+47 912 34 567", "'Tja")


def test_unresolved_ties_are_not_reported_as_repeated(workspace: Workspace,
                                                      tmp_path: Path) -> None:
    add_people(workspace, Stakeholder(id="ola", name="Ola"))
    path = write(tmp_path / "r.csv", "source,target,kind\nghost,ola,knows\nghost,ola,knows\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "relationships", path)
    assert [str(p) for p in caught.value.problems] == [
        "row 2: source: unknown stakeholder 'ghost'",
        "row 3: source: unknown stakeholder 'ghost'",
    ]


def test_a_failure_while_writing_rolls_everything_back(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(workspace, Stakeholder(id="kari", name="Kari", email="kari@osen.no"))
    before = dump(workspace)
    store_class = type(workspace.store)
    save = store_class._save_stakeholders

    def save_then_fail(self: object, *args: object, **kwargs: object) -> tuple[int, int]:
        save(self, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk pulled out")

    monkeypatch.setattr(store_class, "_save_stakeholders", save_then_fail)
    path = write(tmp_path / "s.csv", "id,name,email,organisation\nkari,Kari,,Ny AS\nola,Ola,,\n")
    with pytest.raises(OSError, match="disk pulled out"):
        import_file(workspace, "stakeholders", path)
    assert dump(workspace) == before


def test_xlsx_without_rows(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    book = openpyxl.Workbook()
    book.save(path)
    with pytest.raises(InvalidInput, match="the sheet 'Sheet' is empty"):
        import_file(workspace, "stakeholders", path)
    book.worksheets[0].append(["navn", None, None])
    book.save(path)
    book.close()
    with pytest.raises(InvalidInput, match="has a header but no rows"):
        import_file(workspace, "stakeholders", path)


def test_nynorsk_headers(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "nn.csv",
                 "namn;innverknad;notat\nSigrid Ålvik;4;Leiar i ungdomslaget\n")
    import_file(workspace, "stakeholders", path)
    sigrid = workspace.store.stakeholder("sigrid-alvik")
    assert (sigrid.influence, sigrid.notes) == (4, "Leiar i ungdomslaget")
