"""A second municipality adopts interessent with no code change: its own kinds of contact
with their categories, more names for the built-in kinds, every list of its plan folder
imported, a plan check that writes nothing, and docs that agree with the importer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Interaction, Stakeholder, Workspace, init_workspace
from interessent.cli import cli
from interessent.errors import WorkspaceError
from interessent.graph import build_graph, rank_leaders
from interessent.graph.centrality import Method
from interessent.importing import COLUMNS, KINDS, Kind, import_file
from interessent.importing.columns import _ALIASES
from interessent.periods import Period
from interessent.plan_check import check_plan
from interessent.privacy import export_person
from interessent.report import build_report
from interessent.rules import KindCategory, kind_categories, kinds_in

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
D = dt.date

PLAN = """\
[programme]
name = "Kystby-løftet"
municipality = "Kystby kommune"
start = 2027-01-01
organisation = "loftet"

[[groups]]
key = "folk"
name = "Innbyggjarane"

[[roles]]
key = "prosjektleiar"
name = "Prosjektleiar"
programme = true

[[interaction_kinds]]
key = "folkemote"
name = "Folkemøte"
categories = ["direct", "gathering"]

[[interaction_kinds]]
key = "brevpost"
name = "Brev i posten"
categories = ["direct", "written"]

[[interaction_kinds]]
key = "prat"
name = "Prat på butikken"

[[interaction_kinds]]
key = "post"
aliases = ["innlegg"]

[[interaction_kinds]]
key = "article"
aliases = ["artikkel", "nyheitssak"]
"""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(PLAN, encoding="utf-8")
    w = Workspace(root)
    yield w
    w.close()


def _people(ws: Workspace, *ids: str) -> None:
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [Stakeholder(i, i.title(), groups=("folk",))
                                       for i in ids])


# --- a plan's own kinds count as what they declare ----------------------------------------


def test_a_plans_own_kinds_have_the_categories_they_declare(ws: Workspace) -> None:
    plan = ws.plan
    assert kind_categories("folkemote", plan) == {KindCategory.DIRECT, KindCategory.GATHERING}
    assert kind_categories("prat", plan) == frozenset()
    assert kind_categories("folkemote") == frozenset()  # without the plan: built-ins only
    assert "folkemote" in kinds_in(KindCategory.GATHERING, plan)
    assert "brevpost" in kinds_in(KindCategory.WRITTEN, plan)
    assert "folkemote" not in kinds_in(KindCategory.GATHERING)
    # an entry adding aliases to a built-in kind keeps what it is
    assert kind_categories("post", plan) == {KindCategory.BROADCAST}


def test_a_folkemote_ties_those_present_and_counts_as_a_meeting(ws: Workspace) -> None:
    _people(ws, "hub", "a", "b", "c")
    with ws.store.write() as s:
        ws.store._save_interactions(s, [
            # three folkemøter, the hub at each with one other
            Interaction("f1", D(2027, 2, 1), "folkemote", participants=("hub", "a")),
            Interaction("f2", D(2027, 3, 1), "folkemote", participants=("hub", "b")),
            Interaction("f3", D(2027, 4, 1), "folkemote", participants=("hub", "c")),
            # a kind that declares no category ties nobody and is no meeting
            Interaction("p1", D(2027, 4, 2), "prat", participants=("a", "b")),
        ])
    graph = build_graph(ws, as_of=D(2027, 6, 30))
    assert sorted(tuple(sorted(e)) for e in graph.edges) == [("a", "hub"), ("b", "hub"),
                                                              ("c", "hub")]
    assert graph.edges["a", "hub"]["shared"] == 1
    # the hub sits between each pair of a, b and c: three shortest paths run through it
    methods: tuple[Method, ...] = ("exact", "sparse")
    for method in methods:
        ranked = {s.id: s for s in rank_leaders(ws, as_of=D(2027, 6, 30), method=method,
                                                co_participation=True)}
        assert ranked["hub"].components["betweenness"] > 0, method
        assert ranked["a"].components["betweenness"] == 0, method
    resources = build_report(ws, Period.year(2027), as_of=D(2027, 6, 30)).resources
    # meetings: f1, f2, f3 (p1 is no gathering); met: hub, a, b, c
    assert (resources.meetings, resources.people_met) == (3, 4)


def test_a_plans_written_kind_is_a_letter_in_the_report_and_the_export(ws: Workspace) -> None:
    _people(ws, "a", "b")
    with ws.store.write() as s:
        ws.store._save_interactions(s, [
            Interaction("l1", D(2027, 2, 1), "brevpost", participants=("a", "b")),
            Interaction("l2", D(2027, 3, 1), "letter", participants=("a",)),
            Interaction("f1", D(2027, 3, 2), "folkemote", participants=("a", "b")),
        ])
    resources = build_report(ws, Period.year(2027), as_of=D(2027, 6, 30)).resources
    # letters: l1 and l2; recipients: a and b of l1, a of l2
    assert (resources.letters, resources.letter_recipients) == (2, 3)
    data = export_person(ws, "a")
    assert sorted(x["id"] for x in data["letters"]) == ["l1", "l2"]
    assert [x["id"] for x in data["interactions"]] == ["f1"]


def test_a_plans_own_kind_without_categories_is_a_plan_check_warning(ws: Workspace) -> None:
    warnings = check_plan(ws).warnings
    assert [w for w in warnings if w.startswith("interaction_kinds")] == [
        "interaction_kinds[2]: 'prat' declares no categories, so it counts as neither "
        "direct contact, a gathering, something written nor a broadcast"]


# --- more names for the built-in kinds ----------------------------------------------------


def test_a_nynorsk_log_uses_the_plans_aliases_for_built_in_kinds(ws: Workspace,
                                                                 tmp_path: Path) -> None:
    _people(ws, "kari")
    log = tmp_path / "kontaktar.csv"
    log.write_text("dato;type;deltakarar;notat\n"
                   "2027-02-01;innlegg;;Opning\n"
                   "2027-02-02;Artikkel;;Intervju\n"
                   "2027-02-03;nyheitssak;;\n"
                   "2027-02-04;folkemøte;kari;Første folkemøte\n", encoding="utf-8")
    assert import_file(ws, "interactions", log).added == 4
    kinds = sorted(i.kind for i in ws.store.interactions())
    assert kinds == ["article", "article", "folkemote", "post"]
    # the built-in names stay
    names = ws.plan.all_interaction_kinds
    assert (names["post"], names["article"]) == ("innlegg i sosiale medier",
                                                  "nyhetssak i media")


def test_a_new_kind_needs_a_name_an_alias_entry_does_not(ws: Workspace) -> None:
    from interessent.errors import PlanError
    from interessent.plan import parse_plan

    with pytest.raises(PlanError) as caught:
        parse_plan(PLAN + '\n[[interaction_kinds]]\nkey = "dugnad"\n')
    assert [p.path for p in caught.value.problems] == ["interaction_kinds[5].name"]
    with pytest.raises(PlanError) as caught:
        parse_plan(PLAN.replace('categories = ["direct", "gathering"]',
                                'categories = ["direct", "gossip"]'))
    assert [p.path for p in caught.value.problems] == ["interaction_kinds[0].categories[1]"]


# --- init --from imports every list the folder holds --------------------------------------


def _plan_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    (folder / "data").mkdir(parents=True)
    (folder / "interessent.toml").write_text(PLAN, encoding="utf-8")
    data = folder / "data"
    (data / "stakeholders.csv").write_text(
        "id;namn;type;målgrupper\nloftet;Kystby-løftet;organisasjon;\n"
        "kari;Kari Nes;person;folk\nola;Ola Vik;person;folk\n", encoding="utf-8")
    # the programme's own people, kept apart
    (data / "stakeholders-programmet.csv").write_text(
        "id;namn;organisasjon;roller\npia;Pia Leiar;loftet;Prosjektleiar\n", encoding="utf-8")
    (data / "relationships.csv").write_text("fra;til;type\npia;loftet;works_for\n",
                                            encoding="utf-8")
    (data / "interactions.csv").write_text(
        "id;dato;type;deltakarar\nk1;2027-02-01;folkemøte;kari|pia\n", encoding="utf-8")
    (data / "kontakter-2027.csv").write_text(
        "id;dato;type;deltakarar\nk2;2027-03-01;meeting;ola|pia\n", encoding="utf-8")
    (data / "README.md").write_text("Listene våre.\n", encoding="utf-8")
    (data / "~$stakeholders.xlsx").write_bytes(b"Excel's lock file")
    return folder


def test_init_from_imports_every_list_of_the_folder(tmp_path: Path) -> None:
    lines: list[str] = []
    ws = init_workspace(tmp_path / "ws", source=_plan_folder(tmp_path), progress=lines.append)
    with ws:
        # 3 + 1 stakeholders, 1 relationship, 2 interactions
        assert ws.store.counts() == {"stakeholders": 4, "relationships": 1,
                                     "interactions": 2}
        assert ws.store.stakeholder("pia").roles == ("prosjektleiar",)
        assert [i.participants for i in ws.store.interactions()] == [("kari", "pia"),
                                                                      ("ola", "pia")]
    # stakeholders (the plain list first), relationships, interactions
    files = [line.split(":")[0] for line in lines]
    assert files == ["stakeholders.csv", "stakeholders-programmet.csv", "relationships.csv",
                     "interactions.csv", "kontakter-2027.csv"]


def test_a_list_whose_name_says_nothing_stops_init_and_leaves_nothing(tmp_path: Path) -> None:
    folder = _plan_folder(tmp_path)
    (folder / "data" / "styret.csv").write_text("namn\nSiv\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"styret\.csv: its name does not say which list"):
        init_workspace(tmp_path / "ws", source=folder)
    assert not (tmp_path / "ws").exists()


# --- plan check writes nothing ------------------------------------------------------------


@pytest.mark.sqlite_only(reason="looks for the SQLite file a check must not create")
def test_plan_check_in_a_plan_folder_writes_nothing(tmp_path: Path) -> None:
    folder = _plan_folder(tmp_path)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    result = CliRunner().invoke(cli, ["-w", str(folder), "plan", "check"])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    assert not (folder / "interessent.db").exists()


def test_plan_check_still_looks_up_the_named_stakeholders_when_there_is_a_database(
        tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", source=_plan_folder(tmp_path))
    ws.close()
    text = (ws.root / "interessent.toml").read_text(encoding="utf-8")
    (ws.root / "interessent.toml").write_text(
        text.replace('organisation = "loftet"', 'organisation = "ukjend"'), encoding="utf-8")
    with Workspace(ws.root) as again:
        assert "programme.organisation: no stakeholder 'ukjend' is registered yet" in (
            check_plan(again).warnings)


# --- the docs agree with the importer on the headers --------------------------------------


def _doc_columns() -> dict[Kind, tuple[list[str], set[str]]]:
    """kind → (English columns, Norwegian aliases) from docs/importing.md's table."""
    text = (DOCS / "importing.md").read_text(encoding="utf-8")
    section = text[text.index("## Columns"):]
    found: dict[Kind, tuple[list[str], set[str]]] = {}
    for kind in KINDS:
        row = re.search(rf"^\| {kind} \| `([^`]*)` \| `([^`]*)` \|$", section, re.MULTILINE)
        assert row, kind
        english = [c.strip() for c in row.group(1).split(",")]
        aliases = {a.strip() for cell in row.group(2).split(",") for a in cell.split("/")}
        found[kind] = (english, aliases)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_importing_md_lists_exactly_the_headers_the_importer_accepts(kind: Kind) -> None:
    english, aliases = _doc_columns()[kind]
    assert english == list(COLUMNS[kind])
    accepted = {a for names in _ALIASES[kind].values() for a in names}
    # every alias is listed, and nothing else but the English names Norwegian shares (start)
    assert accepted <= aliases and aliases - accepted <= set(english)


def test_adapting_md_names_only_headers_the_importer_accepts() -> None:
    text = (DOCS / "adapting.md").read_text(encoding="utf-8")
    section = text[text.index("| column | Norwegian header | example |"):]
    rows = [line for line in section.splitlines()[2:] if line.startswith("|")]
    accepted = {a for names in _ALIASES["stakeholders"].values() for a in names}
    named = {h for row in rows for h in re.findall(r"`([^`]+)`", row.split("|")[2])}
    assert named and named <= accepted
    for header in ("namn", "notat", "deltakarar"):
        assert f"`{header}`" in text  # the nynorsk headers are said to work
