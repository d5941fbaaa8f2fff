"""Synthetic, deterministic data for the benchmarks, in the import format of SPEC §4.

    python benchmarks/generate.py                      # 100k / 500k / 1M rows into benchmarks/out
    python benchmarks/generate.py --stakeholders 2000 --relationships 10000 \\
        --interactions 20000 --out /tmp/small

Writes ``stakeholders.csv``, ``relationships.csv`` and ``interactions.csv`` (English
headers, comma-delimited, UTF-8). Every group, role, channel and commitment id comes from
``benchmarks/plan.toml``; every stakeholder a relationship or interaction names exists;
there are no self-loops and no duplicate (source, target, kind). Undirected ties (knows,
family) are written with ``source < target`` so no importer normalisation can merge two
rows into one. Organisations come first in ``stakeholders.csv``, so a person's
organisation is always defined before it is used.

The same sizes and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAN = HERE / "plan.toml"
DEFAULT_OUT = HERE / "out"

FULL_STAKEHOLDERS = 100_000
FULL_RELATIONSHIPS = 500_000
FULL_INTERACTIONS = 1_000_000

STAKEHOLDER_HEADER = (
    "id", "name", "kind", "email", "phone", "address", "organisation", "roles", "groups",
    "influence", "interest", "language", "legal_basis", "tags", "notes",
)
RELATIONSHIP_HEADER = ("source", "target", "kind", "strength", "directed", "start", "end")
INTERACTION_HEADER = (
    "id", "date", "kind", "channel", "participants", "groups", "topic", "commitments", "host",
    "success", "notes",
)

FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Per", "Anne", "Lars", "Marit", "Jon", "Silje", "Knut",
    "Ragnhild", "Eirik", "Sigrid", "Hans", "Astrid", "Bjørn", "Solveig", "Tor", "Liv", "Arne",
    "Nora", "Emil", "Ida", "Magnus", "Hanne", "Ivar", "Guro", "Sindre", "Åse", "Øyvind",
    "Tone", "Geir", "Kristin", "Trond", "Berit", "Håkon", "Marte", "Jørgen", "Gunn", "Rune",
)
SURNAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Moen", "Strand", "Solberg", "Bakken", "Gundersen", "Vik", "Aune",
    "Sæther", "Grøtting", "Refsnes", "Stjern", "Hoff", "Lorvik", "Brekstad", "Følling",
)
PLACES = (
    "Testvik", "Steinsvik", "Nordøyan", "Sørfjord", "Kvernvik", "Råkvåg", "Bjørnør",
    "Holmen", "Brattli", "Vingsand", "Seter", "Sandvika",
)
TRADES = (
    "Sjømat", "Bygg", "Elektro", "Regnskap", "Transport", "Fisk", "Maskin", "Reiseliv",
    "Havbruk", "Trelast", "Rør", "Data", "Gårdsmat", "Marina", "Verksted", "Eiendom",
)
ASSOCIATIONS = (
    "Idrettslag", "Sanitetsforening", "Skytterlag", "Bondelag", "Musikkorps", "Ungdomslag",
    "Historielag", "Båtforening", "Pensjonistforening", "Bygdekvinnelag",
)
PUBLIC_BODIES = ("skole", "barnehage", "helsesenter", "bibliotek", "brannvesen", "havn")
COMPETENCE = ("forskningsinstitutt", "fagskole", "næringshage", "kunnskapspark", "høgskole")
STREETS = ("Storgata", "Kaivegen", "Skolevegen", "Fjordvegen", "Sjøgata", "Kirkevegen",
           "Industrivegen", "Bakkevegen")
LEGAL_BASES = ("berettiget interesse", "samtykke", "offentlig myndighetsutøvelse", "avtale")
TAGS = ("ekstern_aktor", "kompetansemiljo", "lokal", "presse", "frivillig", "fiskeri",
        "havbruk", "landbruk", "reiseliv", "ungdom")
TOPICS = (
    "Status i omstillingsarbeidet", "Ny handlingsplan", "Tilskudd til bedriftsutvikling",
    "Gründerkveld", "Nye arbeidsplasser", "Bedriftsbesøk", "Kompetanseheving",
    "Markedsføring av kommunen", "Havbruk og sjømat", "Reiseliv i sommer", "Ungt entreprenørskap",
    "Budsjett og regnskap", "Samarbeid med fylkeskommunen", "Årsrapport", "Næringsareal",
)
NOTES = ("Følg opp etter sommeren.", "Ønsker mer informasjon.", "Positiv til samarbeid.",
         "Kontakt via sekretær.", "Skeptisk, men interessert.")

_SLUG = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-"})
SCORE_WEIGHTS = (35, 30, 20, 10, 5)

# Interaction kinds: (weight, channel, direct?) — direct kinds have participants, broadcasts
# have audience groups; events have both.
INTERACTION_KINDS: dict[str, tuple[int, str, bool]] = {
    "meeting": (24, "direkte", True),
    "call": (20, "direkte", True),
    "email": (24, "direkte", True),
    "letter": (5, "direkte", True),
    "visit": (2, "direkte", True),
    "presentation": (2, "direkte", True),
    "board_meeting": (1, "direkte", True),
    "event": (4, "direkte", True),
    "article": (6, "media", False),
    "post": (8, "sosiale_medier", False),
    "web": (4, "hjemmeside", False),
}
#: Which commitment ids an interaction of a kind is likely tagged with.
COMMITMENTS_FOR_KIND = {
    "article": ("B1",), "post": ("G1",), "web": ("G3",), "board_meeting": ("B6",),
    "meeting": ("B5", "L2", "V2", "E3", "B2"), "call": ("B2", "E3"), "email": ("B2", "E3"),
    "event": ("B5", "G1"), "visit": ("B5",), "presentation": ("L2", "V2"), "letter": ("B2",),
}


def _slug(text: str) -> str:
    return text.lower().translate(_SLUG)


def _plan_keys(plan: Path) -> dict[str, list[str]]:
    data = tomllib.loads(plan.read_text(encoding="utf-8"))
    return {
        "groups": [g["key"] for g in data.get("groups", [])],
        "roles": [r["key"] for r in data.get("roles", [])],
        "channels": [c["key"] for c in data.get("channels", [])],
        "commitments": [c["id"] for c in data.get("commitments", [])],
    }


def _score(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return ""
    return str(rng.choices((1, 2, 3, 4, 5), SCORE_WEIGHTS)[0])


def _language(rng: random.Random) -> str:
    r = rng.random()
    return "nb" if r < 0.80 else "nn" if r < 0.95 else "en"


class _People:
    """What the stakeholder pass decides that the other two files need."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.persons: list[int] = []  # indexes into ids
        self.employer: dict[int, int] = {}  # person → organisation
        self.companies: list[int] = []
        self.associations: list[int] = []
        self.board: list[int] = []  # the programme's own board and staff
        self.programme = 0


def _stakeholders(path: Path, n: int, rng: random.Random, keys: dict[str, list[str]]) -> _People:
    if n < 10:
        raise ValueError("generate at least 10 stakeholders")
    known_roles = set(keys["roles"])
    groups = set(keys["groups"])
    people = _People()
    n_org = max(4, round(n * 0.15))
    employers: list[int] = []
    with path.open("w", encoding="utf-8", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(STAKEHOLDER_HEADER)
        fixed = (
            ("Testvik Omstilling AS", "naeringslivet", "company"),
            ("Innovasjon Norge", "virkemiddelapparatet", "public"),
            ("Trøndelag fylkeskommune", "virkemiddelapparatet", "public"),
        )
        for i in range(n_org):
            oid = f"org-{i + 1:06d}"
            people.ids.append(oid)
            place = rng.choice(PLACES)
            tags: list[str] = []
            if i < len(fixed):
                name, group, sort = fixed[i]
                org_groups = [group]
            else:
                r = rng.random()
                if r < 0.60:
                    sort = "company"
                    name = f"{place} {rng.choice(TRADES)} AS"
                    org_groups = ["naeringslivet"]
                    if rng.random() < 0.1:
                        org_groups.append("eksterne")
                        tags.append("ekstern_aktor")
                elif r < 0.85:
                    sort = "association"
                    name = f"{place} {rng.choice(ASSOCIATIONS)}"
                    org_groups = ["befolkningen"]
                elif r < 0.95:
                    sort = "public"
                    name = f"{place} {rng.choice(PUBLIC_BODIES)}"
                    org_groups = ["ledelse"] if rng.random() < 0.3 else []
                else:
                    sort = "competence"
                    name = f"{place} {rng.choice(COMPETENCE)}"
                    org_groups = ["eksterne"]
                    tags.append("kompetansemiljo")
            if sort == "company":
                people.companies.append(i)
            if sort == "association":
                people.associations.append(i)
            else:
                employers.append(i)
            slug = _slug(name.replace(" AS", ""))
            w.writerow((
                oid, name, "organisation", f"post@{slug}-{i + 1}.example.no",
                f"+47 7{rng.randrange(10_000_000):07d}",
                f"{rng.choice(STREETS)} {rng.randrange(1, 80)}, 7740 {place}", "", "",
                "|".join(g for g in org_groups if g in groups), _score(rng), _score(rng),
                _language(rng), "berettiget interesse", "|".join(tags),
                rng.choice(NOTES) if rng.random() < 0.03 else "",
            ))
        # The programme's own people, then the municipality's leaders, then everyone else.
        special = ["styreleder", "daglig_leder", "styremedlem", "styremedlem", "styremedlem",
                   "ordforer", "radmann"]
        for j in range(n - n_org):
            i = n_org + j
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            pid = f"{_slug(first)}-{_slug(last)}-{j + 1:06d}"
            people.ids.append(pid)
            people.persons.append(i)
            roles: list[str] = []
            pgroups: list[str] = []
            tags = []
            org = ""
            if j < len(special):
                roles.append(special[j])
                if j < 5:
                    people.board.append(i)
                    people.employer[i] = people.programme
                    org = people.ids[people.programme]
                else:
                    pgroups.append("ledelse")
            elif rng.random() < 0.8:
                e = rng.choice(employers)
                people.employer[i] = e
                org = people.ids[e]
                r = rng.random()
                if e in people.companies and r < 0.12:
                    roles.append("daglig_leder_bedrift")
                    pgroups.append("naeringslivet")
                elif r < 0.6:
                    roles.append("ansatt")
            r = rng.random()
            if r < 0.03:
                roles.append("grunder")
                pgroups.append("grundere")
            elif r < 0.04:
                roles.append("journalist")
                tags.append("presse")
            elif r < 0.05:
                roles.append("forsker")
                tags.append("kompetansemiljo")
            elif r < 0.06:
                roles.append("investor")
                tags.append("ekstern_aktor")
            elif r < 0.07:
                roles.append("kommunestyremedlem")
                pgroups.append("ledelse")
            elif r < 0.09:
                roles.append("leder_lag_forening")
            if rng.random() < 0.7:
                pgroups.append("befolkningen")
            if rng.random() < 0.03:
                pgroups.append("eksterne")
            if rng.random() < 0.12:
                tags.append(rng.choice(TAGS))
            assert known_roles.issuperset(roles), roles
            local = f"{_slug(first)}.{_slug(last)}.{j + 1}"
            w.writerow((
                pid, f"{first} {last}", "person",
                f"{local}@example.no" if rng.random() < 0.85 else "",
                f"+47 9{rng.randrange(10_000_000):07d}" if rng.random() < 0.7 else "",
                f"{rng.choice(STREETS)} {rng.randrange(1, 120)}, 7740 {rng.choice(PLACES)}"
                if rng.random() < 0.6 else "",
                org, "|".join(dict.fromkeys(roles)),
                "|".join(dict.fromkeys(g for g in pgroups if g in groups)),
                _score(rng), _score(rng), _language(rng), rng.choice(LEGAL_BASES),
                "|".join(dict.fromkeys(tags)), rng.choice(NOTES) if rng.random() < 0.03 else "",
            ))
    return people


def _relationships(path: Path, total: int, rng: random.Random, people: _People) -> None:
    ids = people.ids
    persons = people.persons
    seen: set[tuple[int, int, str]] = set()
    rows: list[tuple[int, int, str]] = []

    def add(a: int, b: int, kind: str, undirected: bool) -> bool:
        if a == b:
            return False
        if undirected and ids[a] > ids[b]:
            a, b = b, a
        key = (a, b, kind)
        if key in seen:
            return False
        seen.add(key)
        rows.append(key)
        return True

    def fill(quota: int, draw_pair: Callable[[], tuple[int, int]], kind: str,
             undirected: bool) -> None:
        made, tries = 0, 0
        while made < quota:
            tries += 1
            if tries > 50 * quota + 1000:
                raise ValueError(f"cannot draw {quota} distinct {kind} ties from "
                                 f"{len(ids)} stakeholders; generate more stakeholders")
            a, b = draw_pair()
            made += add(a, b, kind, undirected)

    if total >= 2:  # the ties plan.toml's structural commitment V3 requires
        add(1, 0, "observer", False)
        add(2, 0, "observer", False)
    employed = list(people.employer.items())
    rng.shuffle(employed)
    for person, org in employed[: min(len(employed), round(total * 0.15))]:
        add(person, org, "works_for", False)
    boards = people.companies + people.associations or [0]
    fill(round(total * 0.05), lambda: (rng.choice(persons), rng.choice(boards)),
         "board_member", False)
    clubs = people.associations or [0]
    fill(round(total * 0.08), lambda: (rng.choice(persons), rng.choice(clubs)),
         "member_of", False)
    fill(round(total * 0.06), lambda: (rng.choice(persons), rng.choice(persons)),
         "family", True)
    # knows: preferential attachment (Barabási–Albert style). People "arrive" in a shuffled
    # order and tie to earlier arrivals, mostly in proportion to the ties those already have,
    # which gives a heavy-tailed degree distribution with a few hubs.
    order = list(persons)
    rng.shuffle(order)
    seed_size = min(5, len(order))
    pool = order[:seed_size]
    quota = total - len(rows)
    span = max(1, len(order) - seed_size)
    made = tries = 0
    while made < quota:
        tries += 1
        if tries > 50 * quota + 1000:
            raise ValueError(f"cannot draw {quota} distinct knows ties; generate more "
                             "stakeholders")
        pos = min(len(order) - 1, seed_size + made * span // quota)
        a = order[pos]
        if tries % 64 == 0:  # this newcomer already knows everyone drawn so far
            b = rng.choice(order)
        elif pos > 0 and rng.random() < 0.15:
            b = order[rng.randrange(pos)]
        else:
            b = rng.choice(pool)
        if add(a, b, "knows", True):
            made += 1
            pool.append(a)
            pool.append(b)
    del rows[total:]

    undirected = {"knows", "family"}
    with path.open("w", encoding="utf-8", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(RELATIONSHIP_HEADER)
        for a, b, kind in rows:
            start = ""
            if kind in ("works_for", "board_member") and rng.random() < 0.3:
                start = (dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5800))).isoformat()
            w.writerow((ids[a], ids[b], kind, f"{rng.random():.2f}",
                        "false" if kind in undirected else "true", start, ""))


def _interactions(path: Path, total: int, rng: random.Random, people: _People,
                  keys: dict[str, list[str]]) -> None:
    ids = people.ids
    kinds = list(INTERACTION_KINDS)
    weights = [INTERACTION_KINDS[k][0] for k in kinds]
    channels = set(keys["channels"])
    commitments = set(keys["commitments"])
    audience = keys["groups"]
    everyone = range(len(ids))
    hosts = people.companies or [people.programme]
    board = people.board or people.persons[:1]
    start = dt.date(2026, 1, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(365)]
    drawn = rng.choices(kinds, weights, k=total)
    with path.open("w", encoding="utf-8", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(INTERACTION_HEADER)
        for i, kind in enumerate(drawn):
            _, channel, direct = INTERACTION_KINDS[kind]
            assert channel in channels, channel
            host = ""
            participants: Sequence[int] = ()
            groups: Sequence[str] = ()
            if kind == "board_meeting":
                participants = rng.sample(board, min(len(board), rng.randint(3, 5)))
                host = ids[rng.choice(hosts) if rng.random() < 0.6 else people.programme]
            elif direct:
                k = rng.choices((1, 2, 3, 4, 5), (50, 25, 12, 8, 5))[0]
                participants = rng.sample(everyone, k)
                if kind == "visit":
                    host = ids[rng.choice(hosts)]
                elif kind == "event":
                    groups = (rng.choice(audience),)
            else:
                groups = rng.sample(audience, rng.randint(1, 3))
            tagged = ""
            if rng.random() < 0.3:
                options = [c for c in COMMITMENTS_FOR_KIND.get(kind, ()) if c in commitments]
                tagged = rng.choice(options or sorted(commitments))
            w.writerow((
                f"K2026-{i + 1:07d}", days[i * 365 // total], kind, channel,
                "|".join(ids[p] for p in participants), "|".join(groups), rng.choice(TOPICS),
                tagged, host, "true" if rng.random() < 0.04 else "false",
                rng.choice(NOTES) if rng.random() < 0.02 else "",
            ))


def _fingerprint(stakeholders: int, relationships: int, interactions: int, seed: int,
                 plan: Path) -> str:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    digest.update(plan.read_bytes())
    digest.update(f"{stakeholders}/{relationships}/{interactions}/{seed}".encode())
    return digest.hexdigest()


def generate(
    out: Path,
    stakeholders: int = FULL_STAKEHOLDERS,
    relationships: int = FULL_RELATIONSHIPS,
    interactions: int = FULL_INTERACTIONS,
    seed: int = 1,
    *,
    plan: Path = PLAN,
    reuse: bool = False,
) -> dict[str, Path]:
    """Write the three CSV files into ``out``; returns {"stakeholders": path, …}.

    With ``reuse``, files already generated in ``out`` with the same sizes, seed, plan
    and generator code are kept (a ``manifest.json`` records what made them).
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("stakeholders", "relationships",
                                                     "interactions")}
    manifest = out / "manifest.json"
    stamp = _fingerprint(stakeholders, relationships, interactions, seed, plan)
    if reuse and manifest.is_file() and all(p.is_file() for p in paths.values()):
        try:
            if json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint") == stamp:
                return paths
        except ValueError:
            pass
    manifest.unlink(missing_ok=True)
    keys = _plan_keys(plan)
    people = _stakeholders(paths["stakeholders"], stakeholders,
                           random.Random(f"{seed}/stakeholders"), keys)
    _relationships(paths["relationships"], relationships,
                   random.Random(f"{seed}/relationships"), people)
    _interactions(paths["interactions"], interactions,
                  random.Random(f"{seed}/interactions"), people, keys)
    manifest.write_text(json.dumps({
        "fingerprint": stamp, "seed": seed, "stakeholders": stakeholders,
        "relationships": relationships, "interactions": interactions,
    }, indent=2) + "\n", encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stakeholders", type=int, default=FULL_STAKEHOLDERS)
    parser.add_argument("--relationships", type=int, default=FULL_RELATIONSHIPS)
    parser.add_argument("--interactions", type=int, default=FULL_INTERACTIONS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--plan", type=Path, default=PLAN)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        paths = generate(args.out, args.stakeholders, args.relationships, args.interactions,
                         args.seed, plan=args.plan)
    except ValueError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    for name, path in paths.items():
        print(f"{name:<14} {path}  ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
