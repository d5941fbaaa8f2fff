"""Concerns, tasks, clearances and stances are personal data (issue 14 item 7): a person's
access export holds them, erasure takes the person out of them and scrubs them from the
texts linked to them — and only there: every other text stays byte for byte as it was
(an earlier erasure rewrote 63 texts that did not name its person). Exports of concerns
and tasks leave restricted people out. Counted by hand from the register below."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

import interessent
from interessent import Stakeholder, Workspace
from interessent.cli import cli
from interessent.privacy import erase, export_person, plan_erasure, restrict
from interessent.store import CLEARANCES, CONCERN_PEOPLE, CONCERNS, STANCES, TASKS, utc_now

D = dt.date
KARI = "Kari Nordvik"
#: Texts that name nobody registered, or only others: none may change when Kari goes.
UNRELATED = [
    "Kaia må fikses", "Nordvik-vegen er stengt", "Kari vil ha svar",  # one word is no one
    "Ola Berg om bredbånd", "x y  \u00a0dobbel  mellomrom", "Å ø æ ÅØÆ",
    "Kari\u0301 Nordvik\u0301 med aksenter",  # another sequence of words
    "<b>{{ kari.nordvik }}</b>", "kari nordvik2", "Karin Nordvik",
]


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """Kari Nordvik (kari) and Ola Berg (ola), both in «befolkningen»; Dina (dl) the daglig
    leder; Stine (sty) the styreleder.

    Kari raised C2026-0001 with Ola, and C2026-0002 alone; Ola alone raised C2026-0003,
    which names Kari in its title (no link to her). Then one concern per unrelated text
    (C2026-0004 … C2026-0013, Ola's). Tasks: T2026-0001 about Kari, owned by the
    daglig leder role; T2026-0002 owned by Kari; T2026-0003 about Ola, naming Kari in its
    title (no link); then one per unrelated text about Ola (T2026-0004 … 0013). Kari has
    two stance rows, Ola one. Kari cleared one letter Dina signed; Stine cleared one."""
    for s in (Stakeholder("kari", KARI, email="kari@example.no", groups=("befolkningen",)),
              Stakeholder("ola", "Ola Berg", groups=("befolkningen",)),
              Stakeholder("dl", "Dina Leder", roles=("daglig_leder",)),
              Stakeholder("sty", "Stine Styre", roles=("styreleder",))):
        workspace.store._add_stakeholder(s)
    add = interessent.add_concern
    add(workspace, title=f"{KARI} og Ola Berg vil ha ny kai", raised_by=["kari", "ola"],
        on="2026-02-01")
    first = add(workspace, title="Skoleveien", raised_by="kari", on="2026-02-02")
    interessent.close_concern(workspace, first.id, answer=f"Svar til {KARI}: vi ser på det",
                              on="2026-02-10")
    add(workspace, title=f"Ola mener {KARI} tar feil", raised_by="ola", on="2026-02-03")
    for text in UNRELATED:
        add(workspace, title=text, raised_by="ola", on="2026-02-04")
    interessent.add_task(workspace, title=f"Ring {KARI} (kari@example.no)",
                         owner="daglig_leder", due="2026-03-01", stakeholder="kari")
    interessent.add_task(workspace, title="Skrive referat", owner="kari", due="2026-03-02")
    interessent.add_task(workspace, title=f"Spør Ola om {KARI}", owner="dl",
                         due="2026-03-03", stakeholder="ola")
    for text in UNRELATED:
        interessent.add_task(workspace, title=text, owner="dl", due="2026-03-04",
                             stakeholder="ola")
    pks = workspace.store.pk_map
    with workspace.store.write() as session:
        pk = pks(session, ["kari", "ola", "dl", "sty"])
        session.execute(insert(STANCES), [
            {"stakeholder_pk": pk["kari"], "stance": "oppose", "since": D(2026, 1, 5)},
            {"stakeholder_pk": pk["kari"], "stance": "neutral", "since": D(2026, 4, 5)},
            {"stakeholder_pk": pk["ola"], "stance": "support", "since": D(2026, 1, 5)}])
        session.execute(insert(CLEARANCES), [
            {"at": utc_now(), "template": "hendelse", "topic": "daily",
             "signer_role": "daglig_leder", "signer_pk": pk["dl"],
             "cleared_by_role": "styreleder", "cleared_by_pk": pk["kari"]},
            {"at": utc_now(), "template": "hendelse", "topic": "daily",
             "signer_role": "daglig_leder", "signer_pk": pk["dl"],
             "cleared_by_role": "styreleder", "cleared_by_pk": pk["sty"]}])
    return workspace


def texts(ws: Workspace) -> dict[str, Any]:
    """Every text of concerns and tasks, by where it is."""
    with ws.store.read() as s:
        found = {}
        for r in s.execute(select(CONCERNS.c.id, CONCERNS.c.title, CONCERNS.c.answer)):
            found[f"{r.id} title"], found[f"{r.id} answer"] = r.title, r.answer
        for r in s.execute(select(TASKS.c.id, TASKS.c.title, TASKS.c.event)):
            found[f"{r.id} title"], found[f"{r.id} event"] = r.title, r.event
    return found


def links(ws: Workspace) -> dict[str, Any]:
    with ws.store.read() as s:
        return {
            "concern_people": sorted(tuple(r) for r in s.execute(select(CONCERN_PEOPLE))),
            "tasks": sorted(tuple(r) for r in s.execute(select(
                TASKS.c.id, TASKS.c.owner_pk, TASKS.c.stakeholder_pk))),
            "stances": sorted(tuple(r) for r in s.execute(select(
                STANCES.c.stakeholder_pk, STANCES.c.stance))),
            "clearances": sorted(tuple(r) for r in s.execute(select(
                CLEARANCES.c.pk, CLEARANCES.c.signer_pk, CLEARANCES.c.cleared_by_pk))),
        }


def test_erasing_a_person_takes_them_out_and_leaves_other_texts_unchanged(
        ws: Workspace) -> None:
    before = texts(ws)
    with ws.store.read() as s:
        pk = ws.store.pk_map(s, ["kari", "ola", "dl", "sty"])

    done = erase(ws, "kari")

    after = texts(ws)
    changed = {k for k in before if before[k] != after[k]}
    # the texts linked to Kari that name her: the title of C2026-0001 (she raised it), the
    # answer of C2026-0002 (she raised it), the title of T2026-0001 (about her); nothing
    # else — not C2026-0003 or T2026-0003, which name her but are Ola's
    assert changed == {"C2026-0001 title", "C2026-0002 answer", "T2026-0001 title"}
    assert after["C2026-0001 title"] == "[slettet] og Ola Berg vil ha ny kai"
    assert after["C2026-0002 answer"] == "Svar til [slettet]: vi ser på det"
    assert after["T2026-0001 title"] == "Ring [slettet] ([slettet])"
    assert after["C2026-0003 title"] == f"Ola mener {KARI} tar feil"
    # every other text, the 10 unrelated ones in concerns and in tasks among them, is
    # byte for byte what it was
    for key in set(before) - changed:
        assert after[key] == before[key], key
    assert sum(1 for v in after.values() if v in UNRELATED) == 2 * len(UNRELATED)

    now = links(ws)
    # Kari is out of C2026-0001 (Ola stays) and C2026-0002 (now nobody's: it stays)
    assert (pk["kari"] not in {p for _c, p in now["concern_people"]})
    assert [c.raised_by for c in interessent.concerns(ws)][:3] == [("ola",), (), ("ola",)]
    assert len(interessent.concerns(ws)) == 13
    # T2026-0001 is about nobody now (its role owner stays); T2026-0002 is owned by nobody
    tasks = {t.id: t for t in interessent.tasks(ws, open_only=False)}
    assert (tasks["T2026-0001"].stakeholder, tasks["T2026-0001"].owner_role) == (
        None, "daglig_leder")
    assert (tasks["T2026-0002"].owner, tasks["T2026-0002"].owner_role) == (None, None)
    assert tasks["T2026-0003"].stakeholder == "ola"
    # her 2 stance rows are gone, Ola's stays; her clearance keeps its roles only
    assert now["stances"] == [(pk["ola"], "support")]
    assert [(signer, giver) for _pk, signer, giver in now["clearances"]] == [
        (pk["dl"], None), (pk["dl"], pk["sty"])]
    assert (done.concerns_left, done.tasks_unlinked, done.stances_deleted,
            done.clearances_unlinked, done.texts_scrubbed) == (2, 2, 2, 1, 3)
    assert done.to_dict()["concerns_left"] == 2
    assert "concern C2026-0003 title" in done.untouched
    assert "task T2026-0003 title" in done.untouched


def test_the_dry_run_lists_what_it_would_change_and_changes_nothing(ws: Workspace) -> None:
    before, linked = texts(ws), links(ws)
    plan = plan_erasure(ws, "kari", files=False)
    assert (texts(ws), links(ws)) == (before, linked)
    assert (plan.concerns, plan.tasks, plan.stances, plan.clearances) == (2, 2, 2, 1)
    wheres = {c.where: (c.before, c.after) for c in plan.changes}
    assert wheres["concern C2026-0001 title"] == (
        f"{KARI} og Ola Berg vil ha ny kai", "[slettet] og Ola Berg vil ha ny kai")
    assert wheres["concern C2026-0002 answer"][1] == "Svar til [slettet]: vi ser på det"
    assert wheres["task T2026-0001 title"][1] == "Ring [slettet] ([slettet])"
    assert not any(w.startswith(("concern", "task")) for w in wheres
                   if w not in ("concern C2026-0001 title", "concern C2026-0002 answer",
                                "task T2026-0001 title"))
    assert {m.where for m in plan.untouched} >= {"concern C2026-0003 title",
                                                 "task T2026-0003 title"}
    data = plan.to_dict()
    assert (data["concerns"], data["tasks"], data["stances"], data["clearances"]) == (
        2, 2, 2, 1)

    shown = CliRunner().invoke(cli, ["-w", str(ws.root), "privacy", "erase", "kari",
                                     "--dry-run"])
    assert shown.exit_code == 0, shown.output
    assert ("Removed from 2 concerns they raised (the concerns stay), 2 tasks about them "
            "or theirs unlinked, 2 stance rows deleted, 1 clearance unlinked.") in shown.stdout
    assert "concern C2026-0001 title: «Kari Nordvik og Ola Berg vil ha ny kai» → " \
           "«[slettet] og Ola Berg vil ha ny kai»" in shown.stdout
    assert (texts(ws), links(ws)) == (before, linked)


def test_the_access_export_holds_the_new_data_without_naming_others(ws: Workspace) -> None:
    data = export_person(ws, "kari")
    concerns = {c["id"]: c for c in data["concerns"]}
    # the two she raised, not Ola's that names her
    assert sorted(concerns) == ["C2026-0001", "C2026-0002"]
    assert concerns["C2026-0001"]["title"] == f"{KARI} og [annen person] vil ha ny kai"
    assert concerns["C2026-0001"]["other_people"] == 1
    assert concerns["C2026-0002"]["answer"] == f"Svar til {KARI}: vi ser på det"
    tasks = {t["id"]: t for t in data["tasks"]}
    assert sorted(tasks) == ["T2026-0001", "T2026-0002"]
    assert (tasks["T2026-0001"]["owner"], tasks["T2026-0001"]["about"]) == (
        "daglig_leder", "self")
    assert (tasks["T2026-0002"]["owner"], tasks["T2026-0002"]["about"]) == ("self", None)
    assert [(c["cleared_by_role"], c["cleared"], c["signed"]) for c in data["clearances"]] == [
        ("styreleder", True, False)]
    assert [(x["stance"], x["since"]) for x in data["stances"]] == [
        ("oppose", "2026-01-05"), ("neutral", "2026-04-05")]
    text = json.dumps(data, ensure_ascii=False)
    for other in ("Ola Berg", "Dina Leder", "Stine Styre", '"ola"', '"dl"', '"sty"'):
        assert other not in text


def test_exports_of_concerns_and_tasks_leave_restricted_people_out(ws: Workspace) -> None:
    restrict(ws, "kari")
    out = io.StringIO()
    interessent.export(ws, "concerns", out, fmt="json")
    concerns = json.loads(out.getvalue())
    assert concerns[0]["raised_by"] == ["ola"]  # C2026-0001: Kari and Ola raised it
    assert concerns[1]["raised_by"] == []
    out = io.StringIO()
    interessent.export(ws, "tasks", out, fmt="json")
    tasks = {t["id"]: t for t in json.loads(out.getvalue())}
    assert tasks["T2026-0001"]["stakeholder"] is None
    assert (tasks["T2026-0002"]["owner"], tasks["T2026-0002"]["owner_kind"]) == (None, None)
    assert len(tasks) == 13  # 3 + 10 unrelated
    csv_out = io.StringIO(newline="")
    assert interessent.export(ws, "concerns", csv_out, fmt="csv") == 13
    header = csv_out.getvalue().splitlines()[0]
    assert header == ("\ufeffid,title,raised_on,raised_by,interaction,group,groups,answer,"
                      "closed_on")
    rows = list(csv.DictReader(io.StringIO(csv_out.getvalue().lstrip("\ufeff"))))
    assert [r["raised_by"] for r in rows[:3]] == ["ola", "", "ola"]
