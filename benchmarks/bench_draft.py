"""Drafting benchmark: ``interessent draft`` against a raw sandboxed Jinja script, each a
whole command.

    python benchmarks/bench_draft.py            # the full register; about 24,000 letters
    python benchmarks/bench_draft.py --quick    # a small register, a few hundred letters
    python benchmarks/bench_draft.py --repeat 5

The budget (issue 10: "drafting 25,000 letters: at most 3× a raw sandboxed Jinja render
and write of a plain letter"): at most 3.0×.

Set-up, not timed: the workspace of ``_common.prepared_workspace`` (the generated register
imported: 100,000 stakeholders, 500,000 ties, 1,000,000 interactions at full size), a
fresh copy of its database for each run, and a workspace folder with the plan and a
template. The letters go to the members of three target groups (næringslivet, gründere,
eksterne: about a quarter of the register, 24,000 at full size), as of 31 December 2026.

- **ours**, timed: ``interessent draft brev --group … --as-of 2026-12-31 --out DIR``, start
  to exit: choosing the recipients by the plan's group rules, loading them, the signer by
  the plan's information responsibility, the success stories and the commitments'
  status, rendering each letter in the immutable sandbox with ``StrictUndefined`` and
  writing each file under a temporary name, renamed into place.
- **raw**, timed: ``python raw_draft.py …`` (this file's ``raw`` function): ``sqlite3`` reads
  the same recipients (the group rules written out in SQL), their organisations, the
  programme and the signer; one ``jinja2.sandbox.ImmutableSandboxedEnvironment`` template
  renders the plain letter for each and ``Path.write_text`` writes it.

The template (:data:`TEMPLATE`, extending the built-in ``base.j2``) is a plain letter:
letterhead, address block, place and date, subject, salutation, two paragraphs, closing
and signature. The raw side's template (:data:`RAW_TEMPLATE`) writes the very same text,
so both sides must write the same files with the same letters, byte for byte: checked on
every run.

A second, unbudgeted row drafts ``brev_full`` (:data:`FULL_TEMPLATE`): each recipient's
last contact, the recent success stories near them and the next commitment of their
groups too — what a real letter uses — against the same raw plain letter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common

BUDGET = 3.0
AS_OF = dt.date(2026, 12, 31)
GROUPS = ("naeringslivet", "grundere", "eksterne")
SIGNER_ROLE = "daglig_leder"

TEMPLATE = """\
{# Benchmark: a plain letter. #}
{% extends "base.j2" %}
{% set subject = "Invitasjon til dialogmøte" %}
{% block body %}
Vi inviterer til dialogmøte om næringsutvikling i {{ programme.municipality }}.
Påmelding på {{ programme.website or programme.email }}.

Visjonen vår: «{{ programme.vision }}»
{% endblock %}
"""

FULL_TEMPLATE = """\
{# Benchmark: what a real letter uses. #}
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
{% endblock %}
"""

#: The raw side's template: the text of :data:`TEMPLATE` with ``base.j2`` written out.
RAW_TEMPLATE = """\
{{ letterhead | join("  \\n") }}

{{ address | join("  \\n") }}

{{ place }}, {{ today }}

## Invitasjon til dialogmøte

{{ salutation }}

Vi inviterer til dialogmøte om næringsutvikling i {{ municipality }}.
Påmelding på {{ contact }}.

Visjonen vår: «{{ vision }}»

Med vennlig hilsen

{{ signature | join("  \\n") }}
"""


# --- the raw side (run as a whole command: python bench_draft.py --raw DB OUT) ------------


def _lines(address: str | None) -> list[str]:
    return [part.strip() for part in (address or "").split(",") if part.strip()]


def raw(db: Path, out: Path) -> int:
    """Read the recipients with sqlite3, render a plain letter in Jinja's immutable
    sandbox for each, write each file. Returns the number of letters."""
    import re
    import tomllib

    from babel.dates import format_date
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    plan = tomllib.loads(common.PLAN.read_text(encoding="utf-8"))["programme"]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    members = " UNION ".join(f"SELECT * FROM ({common.group_members_sql(g)})" for g in GROUPS)
    signer = con.execute(
        "SELECT s.id, s.name, s.email, s.phone FROM stakeholders s JOIN stakeholder_roles r "
        "ON r.stakeholder_pk = s.pk WHERE r.role = ?", (SIGNER_ROLE,)).fetchone()
    org = con.execute("SELECT name, address, phone, email FROM stakeholders WHERE id = ?",
                      (plan["organisation"],)).fetchone()
    title = "Daglig leder"
    org_lines = _lines(org[1])
    place = re.sub(r"^\d{4}\s+", "", org_lines[-1]).strip() if org_lines else re.sub(
        r"\s+kommune$", "", plan["municipality"], flags=re.IGNORECASE)
    context = {
        "letterhead": [x for x in (org[0], *org_lines, " · ".join(
            x for x in (org[2], plan.get("email"), plan.get("website")) if x)) if x],
        "place": place, "today": format_date(AS_OF, "long", locale="nb_NO"),
        "municipality": plan["municipality"], "vision": plan["vision"],
        "contact": plan.get("website") or plan.get("email") or org[3],
        "signature": [x for x in (signer[1], ", ".join(x for x in (title, org[0]) if x),
                                  " · ".join(x for x in (signer[3], signer[2]) if x)) if x],
    }
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, trim_blocks=True,
                                        lstrip_blocks=True, keep_trailing_newline=True)
    template = env.from_string(RAW_TEMPLATE)
    out.mkdir(parents=True)
    rows = con.execute(f"""
        SELECT s.id, s.name, s.kind, s.address, o.name FROM stakeholders s
        LEFT JOIN stakeholders o ON o.pk = s.organisation_pk
        WHERE s.pk IN ({members}) AND NOT s.opted_out AND NOT s.restricted AND s.id <> ?
        ORDER BY s.id""", (signer[0],))
    count = 0
    for sid, name, kind, address, org_name in rows:
        person = kind == "person"
        parts = name.split()
        lines = _lines(address)
        context["address"] = [name, org_name, *lines] if org_name and person else [name, *lines]
        context["salutation"] = f"Hei {parts[0] if parts else name}," if person else (
            f"Til {name}")
        (out / f"{sid}.md").write_text(template.render(context), encoding="utf-8")
        count += 1
    con.close()
    return count


# --- the comparison -----------------------------------------------------------------------


def workspace_folder(scratch: Path) -> Path:
    """A workspace folder with the benchmark plan and the two templates (its database is
    named with ``--db``)."""
    folder = scratch / "drafting"
    (folder / "templates").mkdir(parents=True)
    shutil.copyfile(common.PLAN, folder / "interessent.toml")
    (folder / "templates" / "brev.j2").write_text(TEMPLATE, encoding="utf-8")
    (folder / "templates" / "brev_full.j2").write_text(FULL_TEMPLATE, encoding="utf-8")
    return folder


def ours_command(folder: Path, db: Path, template: str, out: Path) -> list[str]:
    return [*common.INTERESSENT, "-w", str(folder), "--db", f"sqlite:///{db}", "draft",
            template, *(a for g in GROUPS for a in ("--group", g)), "--as-of",
            AS_OF.isoformat(), "--out", str(out)]


def same_letters(ours_dir: Path, raw_dir: Path, text: bool) -> int:
    """Both sides wrote the same files (and, with ``text``, the same letters: a letter
    carries no provenance line, what a recipient reads is the letter alone); how many."""
    a = sorted(p.name for p in ours_dir.iterdir())
    b = sorted(p.name for p in raw_dir.iterdir())
    if a != b:
        only = sorted(set(a) ^ set(b))[:5]
        raise AssertionError(f"different files: ours {len(a):,}, raw {len(b):,} (e.g. {only})")
    if text:
        for name in a[:: max(1, len(a) // 300)]:
            mine = (ours_dir / name).read_text(encoding="utf-8")
            theirs = (raw_dir / name).read_text(encoding="utf-8")
            if mine != theirs:
                raise AssertionError(f"{name} differs between the two sides:\n--- ours\n{mine}"
                                     f"\n--- raw\n{theirs}")
    return len(a)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--raw"]:
        count = raw(Path(args_list[1]), Path(args_list[2]))
        print(count)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.size_arguments(parser)
    args = parser.parse_args(args_list)
    n = common.sizes(args)
    reps = common.repeats(args, n)
    script = Path(__file__).resolve()
    print(f"drafting benchmark: {n['stakeholders']:,} stakeholders, "
          f"{n['relationships']:,} relationships, {n['interactions']:,} interactions; "
          f"median of {reps}", flush=True)
    with common.scratch_folder() as scratch_name:
        scratch = Path(scratch_name)
        t0 = time.perf_counter()
        prepared = common.prepared_workspace(args, n, scratch) / "interessent.db"
        folder = workspace_folder(scratch)
        print(f"workspace ready in {time.perf_counter() - t0:.1f} s (not timed)", flush=True)
        rows = {"brev": common.Row("draft brev (plain letter) → md", 0, budget=BUDGET),
                "brev_full": common.Row("draft brev_full (last contact, stories, next "
                                        "commitment)", 0)}
        for rep in range(reps):
            for template, row in rows.items():
                sides = ("ours", "raw") if rep % 2 == 0 else ("raw", "ours")
                got: dict[str, common.Command] = {}
                for side in sides:
                    out = scratch / f"{side}-{rep}-{template}"
                    db = common.fresh_copy(prepared, scratch / "db" / "interessent.db")
                    common.warm(db)
                    if side == "ours":
                        got[side] = common.run_command(ours_command(folder, db, template, out))
                    else:
                        got[side] = common.run_command(
                            [sys.executable, str(script), "--raw", str(db), str(out)])
                letters = same_letters(scratch / f"ours-{rep}-{template}",
                                       scratch / f"raw-{rep}-{template}", template == "brev")
                row.rows = letters
                row.add(got["ours"], got["raw"])
                print(f"  run {rep + 1}/{reps} {template:<9} {letters:,} letters: ours "
                      f"{got['ours'].seconds:6.2f} s   raw {got['raw'].seconds:6.2f} s"
                      f"{'   same letters' if template == 'brev' else '   same files'}",
                      flush=True)
                for side in ("ours", "raw"):
                    shutil.rmtree(scratch / f"{side}-{rep}-{template}")
    notes: list[Any] = [
        "",
        "rows = letters written. ours = the whole command `interessent draft TEMPLATE "
        f"--group {' --group '.join(GROUPS)} --as-of {AS_OF}` on a fresh copy of the "
        "imported database; raw = the whole command `python bench_draft.py --raw`: sqlite3, "
        "one ImmutableSandboxedEnvironment template, Path.write_text. Medians of runs taken "
        "in turns; peak MiB and processor time (cpu ×: ours over raw, user + system) from GNU "
        "time.",
    ]
    common.print_table("Drafting letters, whole commands (median of each side)",
                       list(rows.values()), notes)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
