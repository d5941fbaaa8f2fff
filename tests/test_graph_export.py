"""Restricted people stay out of every output (issue 11, item 7), and the graph export
stays well-formed XML whatever a name holds (item 8, last line).

A restricted person (GDPR art. 18; an erased person is restricted too) is kept in the
register but not used: the GraphML and GEXF exports leave them out entirely — node,
attributes, edges, and any other node's ``organisation`` that names them — and so does
every other output, which the sweep at the end runs one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from sqlalchemy import update

from interessent.cli import cli
from interessent.drafting import draft
from interessent.errors import PolicyError
from interessent.exporting import export
from interessent.graph import GraphFormat, write_graph
from interessent.graph.network import _xml_text
from interessent.importing import import_file, import_rows
from interessent.periods import Period
from interessent.privacy import erase, restrict
from interessent.registry import add_stakeholder, log_interaction
from interessent.risk import RiskKind, structural_risks
from interessent.store import ST
from interessent.workspace import Workspace

AS_OF = "2026-11-26"


def _network(ws: Workspace) -> None:
    """Six stakeholders: Fjordkraft AS (an organisation) and five people.

    Kari Nordvik (to be restricted) works for Fjordkraft and knows Ola Berg; Per Lie
    knows Ola; Eva Sand works for Fjordkraft; Kari, Ola and Per met twice (a
    co-participation tie between each pair); Tor Vik (to be erased) knows Eva.
    """
    add_stakeholder(ws, name="Fjordkraft AS", kind="organisation")
    add_stakeholder(ws, name="Kari Nordvik", organisation="fjordkraft-as",
                    roles=["ordforer"], groups=["befolkningen"])
    for name in ("Ola Berg", "Per Lie", "Tor Vik"):
        add_stakeholder(ws, name=name, groups=["befolkningen"])
    add_stakeholder(ws, name="Eva Sand", organisation="fjordkraft-as")
    import_rows(ws, "relationships", [
        {"source": "kari-nordvik", "target": "fjordkraft-as", "kind": "works_for"},
        {"source": "kari-nordvik", "target": "ola-berg", "kind": "knows"},
        {"source": "per-lie", "target": "ola-berg", "kind": "knows"},
        {"source": "eva-sand", "target": "fjordkraft-as", "kind": "works_for"},
        {"source": "tor-vik", "target": "eva-sand", "kind": "knows"},
    ])
    for n in (1, 2):
        log_interaction(ws, id=f"M{n}", kind="meeting", date=f"2026-0{n}-10",
                        channel="direkte", participants=["kari-nordvik", "ola-berg", "per-lie"])


def _graph(ws: Workspace, fmt: GraphFormat) -> tuple[bytes, nx.Graph[str]]:
    out = io.BytesIO()
    write_graph(ws, out, fmt=fmt, as_of=None)
    data = out.getvalue()
    ET.fromstring(data)  # well-formed (a strict parser)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    return data, read(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_restricted_or_erased_person_is_not_in_the_graph(workspace: Workspace,
                                                           fmt: GraphFormat) -> None:
    _network(workspace)
    _, before = _graph(workspace, fmt)
    # Kari–Fjordkraft, Kari–Ola, Per–Ola, Eva–Fjordkraft, Tor–Eva, and Kari–Per (they met)
    assert before.number_of_nodes() == 6 and before.number_of_edges() == 6
    restrict(workspace, "kari-nordvik")
    erased = erase(workspace, "tor-vik")
    data, graph = _graph(workspace, fmt)
    # six stakeholders less Kari and the erased Tor
    assert sorted(graph.nodes) == ["eva-sand", "fjordkraft-as", "ola-berg", "per-lie"]
    # of Kari–Fjordkraft, Kari–Ola, Kari–Per (met), Per–Ola, Eva–Fjordkraft, Tor–Eva
    # (gone with the erasure): Per–Ola and Eva–Fjordkraft
    assert sorted(tuple(sorted(e)) for e in graph.edges) == [
        ("eva-sand", "fjordkraft-as"), ("ola-berg", "per-lie")]
    for needle in (b"kari-nordvik", b"Kari Nordvik", b"ordforer", erased.id.encode(),
                   b"Slettet person"):
        assert needle not in data, needle


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_no_node_names_a_restricted_organisation(workspace: Workspace,
                                                 fmt: GraphFormat) -> None:
    _network(workspace)
    restrict(workspace, "fjordkraft-as")
    data, graph = _graph(workspace, fmt)
    assert "fjordkraft-as" not in graph.nodes
    assert "organisation" not in graph.nodes["eva-sand"]  # it named Fjordkraft
    assert b"fjordkraft" not in data


def test_cli_export_graph_counts_only_who_is_shown(workspace: Workspace,
                                                   tmp_path: Path) -> None:
    _network(workspace)
    restrict(workspace, "kari-nordvik")
    workspace.close()
    out = tmp_path / "nett.gexf"
    result = CliRunner().invoke(cli, ["-w", str(workspace.root), "export", "graph",
                                      "--format", "gexf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote 5 stakeholders to {out}\n"  # six less Kari
    assert b"Kari" not in out.read_bytes()


#: What XML 1.0 cannot hold, and what a name might: ESC, BEL, NUL, form feed, vertical
#: tab, DEL's neighbour US; and what it can (tab, line feed, DEL) for contrast.
HOSTILE = "A\x1b[31mB\x07C\x00D\x0cE\x0bF\x1fG\tH\nI\x7fJ"


@pytest.mark.sqlite_only(reason="PostgreSQL text cannot hold NUL")
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_keep_the_graph_well_formed(workspace: Workspace,
                                                       fmt: GraphFormat) -> None:
    _network(workspace)
    with workspace.store.write() as s:  # stored before names and ids were checked
        s.execute(update(ST).where(ST.c.id == "ola-berg").values(name=f"Ola {HOSTILE}"))
        s.execute(update(ST).where(ST.c.id == "fjordkraft-as").values(id="fjord\x1bkraft"))
    out = io.BytesIO()
    write_graph(workspace, out, fmt=fmt)
    data = out.getvalue()
    root = ET.fromstring(data)  # expat: refuses any character XML 1.0 cannot hold
    texts = [e.text or "" for e in root.iter()] + [v for e in root.iter()
                                                   for v in e.attrib.values()]
    shown = "Ola A\\u001b[31mB\\u0007C\\u0000D\\u000cE\\u000bF\\u001fG\tH\nI\x7fJ"
    assert shown in texts
    assert any("fjord\\u001bkraft" in t for t in texts)  # a node id, and the edges to it
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
    assert graph.has_edge("eva-sand", "fjord\\u001bkraft")


def test_lone_surrogates_are_escaped_too() -> None:
    # No database stores a lone surrogate (it is no UTF-8), but a text made in Python may
    # hold one; the same escaping covers it, and U+FFFE / U+FFFF.
    text = _xml_text("a\ud800b\udfffc\ufffed\uffffe")
    assert text == "a\\ud800b\\udfffc\\ufffed\\uffffe"
    ET.fromstring(f"<a x='{text}'>{text}</a>".encode())


# --- every other output ---------------------------------------------------------------------

#: Astrid Lian (ordfører: notified of events, an opinion leader, suggested by `due`), Trond
#: Kvam (an opinion leader unknown to the programme) and Per Olav Moe (rådmann: notified)
#: in the Osen example.
RESTRICTED = {
    "astrid-lian": ("Astrid Lian", "astrid.lian@", "415 62 287"),
    "trond-kvam": ("Trond Kvam",),
    "per-olav-moe": ("Per Olav Moe", "per.moe@", "926 29 981"),
}


def _outputs(root: Path, tmp: Path) -> dict[str, str]:
    """Every output of the command line for the workspace at ``root``, as text."""
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(cli, ["-w", str(root), *args])
        assert (result.exit_code == 0) == ok, (args, result.output)
        return result.output

    got: dict[str, str] = {}
    got["leaders"] = run("leaders", "--as-of", AS_OF)
    got["leaders json"] = run("leaders", "--as-of", AS_OF, "--format", "json")
    for group in ("befolkningen", "naeringslivet", "ledelse", "grundere"):
        got[f"leaders {group}"] = run("leaders", "--group", group, "--as-of", AS_OF)
    got["due"] = run("due", "--as-of", AS_OF, "--format", "json")
    got["due table"] = run("due", "--as-of", AS_OF)
    got["risks"] = run("risks", "--as-of", AS_OF, "--format", "json")
    got["coverage"] = run("coverage", "--period", "2026", "--as-of", AS_OF, "--format", "json")
    got["notify"] = run("notify", "hendelse", "--as-of", AS_OF)
    for kind in ("stakeholders", "relationships", "interactions"):
        for fmt in ("csv", "json"):
            out = tmp / f"{kind}.{fmt}"
            run("export", kind, "--format", fmt, "--out", str(out))
            got[f"export {kind} {fmt}"] = out.read_text(encoding="utf-8")
    for fmt in ("graphml", "gexf"):
        out = tmp / f"graph.{fmt}"
        run("export", "graph", "--format", fmt, "--out", str(out), "--as-of", AS_OF)
        got[f"export graph {fmt}"] = out.read_text(encoding="utf-8")
    for fmt in ("html", "md", "docx"):
        out = tmp / f"rapport.{fmt}"
        run("report", "--period", "2026", "--as-of", AS_OF, "--format", fmt, "--out", str(out))
        got[f"report {fmt}"] = (out.read_text(encoding="utf-8") if fmt != "docx" else
                                _zip_text(out))
    letters = tmp / "brev"
    got["draft"] = run("draft", "opinionsleder", "--group", "befolkningen", "--as-of", AS_OF,
                       "--out", str(letters))
    for path in sorted(letters.iterdir()):
        got[f"letter {path.name}"] = path.read_text(encoding="utf-8")
    notices = tmp / "varsler"
    got["notify out"] = run("notify", "hendelse", "--as-of", AS_OF, "--out", str(notices))
    for path in sorted(notices.iterdir()):
        got[f"notice {path.name}"] = path.read_text(encoding="utf-8")
    return got


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(re.sub(r"<[^>]+>", "", archive.read(n).decode("utf-8"))
                       for n in archive.namelist() if n.endswith(".xml"))


def test_restricted_people_are_in_no_output(osen: Workspace, tmp_path: Path) -> None:
    for id in RESTRICTED:
        restrict(osen, id)
    osen.close()
    got = _outputs(osen.root, tmp_path)
    assert len([k for k in got if k.startswith("letter ")]) > 10  # letters were written
    # drafting tells whoever runs it whom it skipped and why (the register's own view, as
    # `stakeholder list` is); the letters it writes are outputs and are checked
    skipped = got.pop("draft")
    assert "astrid-lian" in skipped and "processing of their data is restricted" in skipped
    leaks = sorted((what, needle) for what, text in got.items()
                   for id, needles in RESTRICTED.items() for needle in (id, *needles)
                   if needle in text)
    assert leaks == []
    # the gaps show, without names
    # (in English: the Osen plan names the ordfører «Mayor» in English)
    assert "  3. Mayor: held only by people whose data is restricted (GDPR art. 18); " \
        "not listed\n" in got["notify"]


def test_a_restricted_signer_signs_no_letter(osen: Workspace) -> None:
    restrict(osen, "marius-hovik")  # the daglig leder, who signs everyday letters
    with pytest.raises(PolicyError, match="Managing director is held only by people whose data "
                                          "is restricted"):
        draft(osen, "opinionsleder", stakeholders=["trond-kvam"], write=False)
    with pytest.raises(PolicyError, match="marius-hovik: processing of their data is "
                                          "restricted"):
        draft(osen, "opinionsleder", stakeholders=["trond-kvam"], signer="marius-hovik",
              write=False)


def test_an_export_and_import_round_trip_keeps_restricted_participation(
        osen: Workspace, tmp_path: Path) -> None:
    log_interaction(osen, id="X1", kind="meeting", date="2026-05-05", channel="direkte",
                    participants=["astrid-lian", "trond-kvam"], host="astrid-lian",
                    topic="Møte")
    restrict(osen, "astrid-lian")
    out = tmp_path / "kontakter.csv"
    with out.open("w", encoding="utf-8", newline="") as stream:
        export(osen, "interactions", stream)
    [row] = [line for line in out.read_text(encoding="utf-8").splitlines()
             if line.startswith("X1,")]
    assert "astrid-lian" not in row  # neither participant nor host
    import_file(osen, "interactions", out)
    [x1] = osen.store.interactions(ids=["X1"])
    assert (sorted(x1.participants), x1.host) == (["astrid-lian", "trond-kvam"],
                                                  "astrid-lian")


def test_a_group_reached_through_a_restricted_person_only_does_not_name_them(
        workspace: Workspace) -> None:
    add_stakeholder(workspace, name="Marit Dal", roles=["daglig_leder"])  # the programme's
    add_stakeholder(workspace, name="Ola Berg", groups=["naeringslivet"])
    import_rows(workspace, "relationships", [
        {"source": "marit-dal", "target": "ola-berg", "kind": "knows"}])

    def single() -> list[tuple[str | None, str]]:
        return [(r.subject, r.explanation) for r in structural_risks(
            workspace, Period.year(2026), as_of=dt.date(2026, 11, 26))
            if r.kind is RiskKind.SINGLE_PERSON]

    assert single() == [("marit-dal", "Det etablerte næringslivet is reached through Marit "
                                      "Dal only")]
    restrict(workspace, "marit-dal")
    assert single() == [(None, "Det etablerte næringslivet is reached through one person "
                               "only (whose data is restricted)")]
