"""Drafting benchmark: ``interessent.drafting.draft`` against raw Jinja.

    python benchmarks/bench_draft.py            # 10,000 letters to Markdown files
    python benchmarks/bench_draft.py --quick    # 500 letters, a few seconds
    python benchmarks/bench_draft.py --letters 2000 --repeat 5

The budget (issue 4: "drafting 10,000 letters to Markdown files takes no more than 2×
rendering a comparable template with raw Jinja and writing the same number of files").

Set-up, not timed: a workspace with a small plan, ``--letters`` recipients (persons in
one or two of three target groups, a fifth of them writing nynorsk), 200 organisations,
the programme's own people, twice as many logged meetings as recipients and a score of
success stories, all bulk-inserted with ``Store.save_stakeholders`` and
``Store.save_interactions``. The purpose template extends the built-in ``base.j2`` and
uses what a real letter uses: the recipient's fields, group and role passages, the last
interaction, success stories, the next commitment, the programme's vision and goals.

Each side runs in its own child process (so its peak memory is its own), ``--repeat``
times, best time kept, into a fresh output folder each time; the two sides take turns
going first, and the disk is flushed (``os.sync``) before each, so neither pays for the
write-back of the other's files. ``BENCH_TMP=/dev/shm`` puts the workspace and the files
on a RAM disk, which leaves only the CPU work (useful on a machine with a busy disk).

- **ours**, timed: ``draft(ws, "brev", groups=[…], fmt="md", out=…)`` — gathering
  everything from the database (all stakeholders, all interactions, the commitments'
  status), choosing the recipients, resolving the signer, building each context, rendering
  in the ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``, and writing each file
  to a temporary file renamed into place.
- **raw**, timed: a plain ``jinja2.Environment`` over a copy of the same two template
  files compiles the template, renders it with the very same context for each recipient
  and writes each file with ``Path.write_text``. Its contexts are built before the clock
  starts (by interessent's own code, then turned into plain dicts), so the raw side does
  strictly less: no database, no checks, no sandbox, no atomic writes.

Both sides must write the same number of files with the same letter text (ours adds a
one-line provenance comment at the top, which is stripped before comparing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

BUDGET = 2.0
FULL = 10_000
QUICK = 500
AS_OF = dt.date(2026, 11, 26)
GROUPS = ("befolkningen", "naeringslivet", "grundere")

PLAN = """\
[programme]
name = "Benkeprogrammet"
municipality = "Benkvik kommune"
start = 2026-01-01
end = 2031-12-31
organisation = "programmet"
vision = "Benkvik – der det er godt å bo og lett å skape nye arbeidsplasser."
goals = ["Skape 60 nye arbeidsplasser innen 2031.", "Minst 20 nye bedrifter.",
         "Et sterkere etablert næringsliv."]
website = "https://benkvik.example"
email = "post@benkvik.example"

[[groups]]
key = "befolkningen"
name = "Befolkningen"
number = 1

[[groups]]
key = "naeringslivet"
name = "Næringslivet"
number = 2

[[groups]]
key = "grundere"
name = "Potensielle gründere"
number = 3

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[channels]]
key = "media"
name = "Lokale medier"
kind = "media"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true

[[roles]]
key = "daglig_leder_bedrift"
name = "Daglig leder (bedrift)"

[[topics]]
key = "daily"
name = "Løpende aktiviteter"

[[topics]]
key = "overarching"
name = "Overordnede, viktige saker"

[information]
notify = ["styreleder", "daglig_leder"]

[[information.rules]]
topic = "daily"
roles = ["daglig_leder"]
description = "Daglig leder uttaler seg om løpende aktiviteter."

[[information.rules]]
topic = "overarching"
roles = ["styreleder"]

[[commitments]]
id = "B1"
title = "Nyheter i lokale medier"
groups = ["befolkningen", "naeringslivet"]
cadence = "month"
kinds = ["article"]

[[commitments]]
id = "B5"
title = "Dialogmøter med næringslivet"
groups = ["naeringslivet"]
cadence = "half_year"

[[commitments]]
id = "G3"
title = "Tilbud til gründere"
groups = ["grundere"]
cadence = "quarter"
"""

TEMPLATE = """\
{# Benchmark letter: every kind of variable a real letter uses. #}
{% extends "base.j2" %}
{% set subject = "Invitasjon til dialogmøte" %}
{% block body %}
{% if recipient.organisation %}
Vi inviterer deg og {{ recipient.organisation }} til dialogmøte.
{% else %}
Vi inviterer deg til dialogmøte.
{% endif %}

{% if recipient.in_group.naeringslivet %}
Som en del av næringslivet i {{ programme.municipality }} vil vi høre hva dere trenger.

{% endif %}
{% if recipient.in_group.grundere %}
Vi har egne tilbud til deg som vil starte noe nytt.

{% endif %}
{% if recipient.has_role.daglig_leder_bedrift %}
Som daglig leder vet du hva bedriftene trenger.

{% endif %}
{% if last_interaction %}
Takk for sist, {{ last_interaction.date_text }} ({{ last_interaction.topic }}).

{% endif %}
{% if success_stories %}
Siden sist:

{% for story in success_stories[:3] %}
- {{ story.title }} ({{ story.date_text }})
{% endfor %}

{% endif %}
{% if next_commitment %}
Neste i planen: {{ next_commitment.title }}, innen {{ next_commitment.due_text }}.

{% endif %}
Visjonen: «{{ programme.vision }}»

{% for goal in programme.goals %}
- {{ goal }}
{% endfor %}
{% endblock %}
"""

FIRST = ("Kari", "Ola", "Ingrid", "Per", "Marit", "Jon", "Solveig", "Lars", "Ragnhild",
         "Knut", "Astrid", "Arne", "Berit", "Odd", "Turid", "Håkon")
LAST = ("Hansen", "Johansen", "Olsen", "Berg", "Haugen", "Lian", "Aune", "Moe", "Strand",
        "Rønning", "Sæther", "Vik", "Lund", "Fuglem", "Høvik", "Grande")
TOPICS = ("Rekruttering", "Næringsareal", "Forprosjekt", "Etablererstipend",
          "Samarbeid om markedsføring", "Kompetanseheving", "Investeringsplaner")


# --- set-up (not timed) -------------------------------------------------------------------


def make_workspace(root: Path, letters: int, seed: int) -> None:
    """A workspace with ``letters`` recipients and a year of interactions."""
    from interessent.drafting import BUILTIN_TEMPLATES
    from interessent.model import Interaction, Stakeholder
    from interessent.workspace import PLAN_FILE, Workspace

    rng = random.Random(seed)
    (root / "templates").mkdir(parents=True)
    (root / PLAN_FILE).write_text(PLAN, encoding="utf-8")
    (root / "templates" / "brev.j2").write_text(TEMPLATE, encoding="utf-8")
    raw_templates = root / "raw-templates"
    raw_templates.mkdir()
    shutil.copy(BUILTIN_TEMPLATES / "base.j2", raw_templates / "base.j2")
    (raw_templates / "brev.j2").write_text(TEMPLATE, encoding="utf-8")

    orgs = [Stakeholder(id="programmet", name="Benkeprogrammet AS", kind="organisation",
                        address="Storgata 1, 7999 Benkvik", phone="+47 70 00 00 00",
                        email="post@benkvik.example")]
    orgs += [Stakeholder(id=f"bedrift-{n:03d}", name=f"Bedrift {n} AS", kind="organisation",
                         address=f"Kaia {n}, 7999 Benkvik",
                         email=f"post@bedrift-{n}.example") for n in range(200)]
    staff = [
        Stakeholder(id="dl", name="Dagny Leder", roles=("daglig_leder",),
                    organisation="programmet", email="dagny@benkvik.example",
                    phone="+47 900 00 001"),
        Stakeholder(id="sl", name="Styrk Leder", roles=("styreleder",),
                    organisation="programmet", email="styrk@benkvik.example"),
    ]
    people = []
    for n in range(letters):
        groups = rng.sample(GROUPS, rng.choice((1, 1, 2)))
        employed = "naeringslivet" in groups
        people.append(Stakeholder(
            id=f"p{n:06d}", name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            email=f"p{n}@post.example", phone=f"+47 4{n:07d}",
            address=f"Vegen {n % 300 + 1}, 7999 Benkvik",
            organisation=f"bedrift-{rng.randrange(200):03d}" if employed else None,
            roles=("daglig_leder_bedrift",) if employed and rng.random() < 0.2 else (),
            groups=tuple(groups), influence=rng.randint(1, 5), interest=rng.randint(1, 5),
            language="nn" if rng.random() < 0.2 else "nb",
        ))
    ids = [p.id for p in people]
    start = dt.date(2026, 1, 5)
    span = (AS_OF - start).days
    items = [
        Interaction(
            id=f"K2026-{n + 1:06d}", date=start + dt.timedelta(days=rng.randrange(span)),
            kind="meeting", channel="direkte",
            participants=tuple(rng.sample(ids, rng.randint(1, 3))),
            topic=rng.choice(TOPICS),
        )
        for n in range(2 * letters)
    ]
    items += [
        Interaction(
            id=f"S2026-{n + 1:04d}", date=start + dt.timedelta(days=rng.randrange(span)),
            kind="article", channel="media", groups=(rng.choice(GROUPS),),
            topic=f"Suksesshistorie nummer {n + 1}", success=True, commitments=("B1",),
        )
        for n in range(20)
    ]
    ws = Workspace(root)
    with ws.store.write() as session:
        ws.store.save_stakeholders(session, [*orgs, *staff, *people])
        ws.store.save_interactions(session, items)
    ws.close()


# --- the two sides (each in a child process) ----------------------------------------------


def ours(root: Path, out: Path) -> None:
    import babel.dates
    import jinja2.sandbox  # noqa: F401 - both sides import their libraries untimed

    import interessent.coverage  # noqa: F401
    from interessent.drafting import draft
    from interessent.workspace import Workspace

    babel.dates.format_date(AS_OF, "long", locale="nb_NO")  # as the raw side's contexts do
    ws = Workspace(root)
    ws.plan  # noqa: B018 - load the plan and open the database before the clock starts
    ws.store.counts()
    began = time.perf_counter()
    run = draft(ws, "brev", groups=GROUPS, fmt="md", out=out, as_of=AS_OF)
    elapsed = time.perf_counter() - began
    ws.close()
    common.report(seconds=elapsed, files=len(run.files))


def _plain(value: Any) -> Any:
    """A context with every Record turned into a dict, as a raw Jinja user would pass."""
    from interessent.drafting import Record

    if isinstance(value, Record):
        return {k: _plain(value[k]) for k in value}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _contexts(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """The exact contexts our side renders, made by interessent's own code (untimed)."""
    from interessent.drafting.gathering import _Run
    from interessent.drafting.letters import _Drafter
    from interessent.drafting.library import _Library
    from interessent.policy import resolve_signer
    from interessent.workspace import Workspace

    ws = Workspace(root)
    run = _Run(ws, AS_OF)
    library = _Library(ws)
    signature = resolve_signer(ws.plan, run.people.values(), topic="daily")
    drafter = _Drafter(run, library, name="brev", fmt="md", signature=signature,
                       combined=False, event=None, values={})
    recipients = sorted((s for s in run.people.values()
                         if set(run.groups_of[s.id]) & set(GROUPS) and s.id != "dl"),
                        key=lambda s: s.id)
    contexts = []
    for s in recipients:
        file = drafter.variant(s.language.value, "md")
        assert file is not None
        contexts.append((s.id, _plain(drafter.context(s, file, "md"))))
    ws.close()
    return contexts


def raw(root: Path, out: Path) -> None:
    from jinja2 import Environment, FileSystemLoader

    from interessent.drafting.text import _format_date

    contexts = _contexts(root)

    def lines(value: Any) -> str:
        return "  \n".join(str(v) for v in value if v)

    def date(value: Any, fmt: str = "long") -> str:
        return _format_date(value, fmt, "nb_NO")

    out.mkdir(parents=True)
    began = time.perf_counter()
    env = Environment(loader=FileSystemLoader(str(root / "raw-templates")), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(lines=lines, date=date)
    template = env.get_template("brev.j2")
    for sid, context in contexts:
        (out / f"{sid}.md").write_text(template.render(context), encoding="utf-8")
    elapsed = time.perf_counter() - began
    common.report(seconds=elapsed, files=len(contexts))


def child(argv: Sequence[str]) -> int:
    side, root, out = argv[0], Path(argv[1]), Path(argv[2])
    (ours if side == "ours" else raw)(root, out)
    return 0


# --- the comparison -----------------------------------------------------------------------


def _settle() -> None:
    """Flush the files written so far to disk, untimed, where the system allows."""
    if hasattr(os, "sync"):
        os.sync()


def _same_letters(ours_dir: Path, raw_dir: Path) -> None:
    a = sorted(p.name for p in ours_dir.iterdir())
    b = sorted(p.name for p in raw_dir.iterdir())
    if a != b:
        raise AssertionError(f"different files: ours {len(a):,}, raw {len(b):,}")
    for name in a[:: max(1, len(a) // 200)]:
        mine = (ours_dir / name).read_text(encoding="utf-8").split("\n", 1)[1]
        theirs = (raw_dir / name).read_text(encoding="utf-8")
        if mine != theirs:
            raise AssertionError(f"{name} differs between the two sides")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--child"]:
        return child(args_list[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, help=f"default {FULL:,} ({QUICK} with --quick)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} letters")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (best kept)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(args_list)
    letters = args.letters or (QUICK if args.quick else FULL)
    script = Path(__file__).resolve()
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        root = scratch / "ws"
        began = time.perf_counter()
        make_workspace(root, letters, args.seed)
        print(f"workspace with {letters:,} recipients made in "
              f"{time.perf_counter() - began:.1f} s (not timed)", file=sys.stderr)
        row = common.Row("draft → md files", letters, budget=BUDGET)
        for n in range(max(1, args.repeat)):
            # alternate which side goes first, and start each with the disk's earlier
            # writes flushed: otherwise a side pays for the write-back of the other's files
            for side in (("ours", "raw") if n % 2 == 0 else ("raw", "ours")):
                out = scratch / f"{side}-{n}"
                _settle()
                result = common.run_child(script, "--child", side, str(root), str(out))
                if result["files"] != letters:
                    raise AssertionError(f"{side} wrote {result['files']:,} files, "
                                         f"expected {letters:,}")
                getattr(row, side).append(result["seconds"])
                peak = int(result["peak_kib"])
                setattr(row, f"{side}_peak_kib", max(getattr(row, f"{side}_peak_kib"), peak))
            _same_letters(scratch / f"ours-{n}", scratch / f"raw-{n}")
            for side in ("ours", "raw"):
                shutil.rmtree(scratch / f"{side}-{n}")
        common.print_table(
            f"Drafting {letters:,} letters to Markdown files (best of {args.repeat})", [row],
            notes=[
                "ours: interessent.drafting.draft, from the database to the files, "
                "sandboxed, atomic writes",
                "raw:  plain jinja2.Environment, contexts prepared before the clock, "
                "Path.write_text",
            ],
        )
        print(json.dumps({"letters": letters, "ours_s": min(row.ours), "raw_s": min(row.raw),
                          "ratio": row.ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
