"""Write the data files of the Osen example (``examples/osen/data/*.csv``).

The persons are fictional: their names are common Norwegian first names and surnames
combined at random (a few key figures have fixed, equally invented names so the plan can
refer to them). Institutions may be real (Osen kommune, Trøndelag fylkeskommune,
Innovasjon Norge, KMD, NTNU, SINTEF …); local firms, associations, investors and the
local newspaper are invented. E-mail addresses use the reserved ``.example`` domain,
except the programme's own (``osen-omstilling.no``, as in the plan).

The files are written the way Norwegian Excel writes "CSV UTF-8": semicolons, a BOM,
CRLF line ends, Norwegian headers, ``|`` between the values of a multi-valued cell.

The interaction log covers the start-up year up to 2026-11-20 and tells a story in which
some commitments are kept and some fall behind; ``INTENDED_STATUS`` below says which, as
of the end of November 2026, so tests can be written against it.

Deterministic: one ``random.Random(2026)``, no iteration over sets, fixed dates.
Re-running reproduces the files byte for byte. Standard library only.

    python tools/make_osen_example.py            # write and self-check
    python tools/make_osen_example.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "osen"
PLAN = EXAMPLE / "interessent.toml"

#: What the log is meant to show for each commitment as of 2026-11-30 (see README).
#: met: every window so far kept; behind: a closed window was missed (or the ratio is
#: under target); due: nothing missed yet, but the open window still lacks something.
INTENDED_STATUS: dict[str, tuple[str, str]] = {
    "B1": ("behind", "monthly articles Jan–Aug and Nov; none in Sep and Oct; Dec to come"),
    "B2": ("due", "of the ~10 top-ranked opinion leaders all but three are informed directly;"
                  " arvid-storvik, kare-vingen and ragnhild-eide have had no direct contact"),
    "B3": ("met", "a business-development article in every quarter Q1–Q4"),
    "B4": ("met", "a local business arena (event) in every quarter Q1–Q4"),
    "B5": ("due", "dialogue meeting in H1 (2026-04-15); none yet in H2"),
    "B6": ("behind", "10 board meetings, 4 hosted by a local firm: 40 % < 50 %"),
    "G1": ("met", "Q1–Q4 each have a post"),
    "G2": ("behind", "Q1 missed; Q2 and Q3 kept; Q4 not yet"),
    "G3": ("behind", "Q1, Q2, Q4 kept; Q3 missed"),
    "G4": ("behind", "only Q2 kept; Q1 and Q3 missed; Q4 not yet"),
    "L1": ("due", "annual report 2025 to the council in April; second report not yet"),
    "L2": ("behind", "Q1, Q2, Q4 kept; Q3 missed"),
    "V1": ("met", "fylkesutvalget informed 2026-06-09"),
    "V2": ("met", "two meetings with IN's contact person (March, September)"),
    "V3": ("met", "IN and TFK observer ties to osen-omstilling exist"),
    "V4": ("due", "sent to TFK and IN in May; not to KMD"),
    "E1": ("due", "5 of 8 external actors contacted; 3 not yet"),
    "E2": ("met", "two network arenas outside the municipality (April, October)"),
    "E3": ("due", "NTNU twice, SINTEF once, Nord universitet / Fosen vgs / Nofima never"),
}

START = dt.date(2026, 1, 5)
LAST = dt.date(2026, 11, 20)

rng = random.Random(2026)

# --- names -----------------------------------------------------------------------------

FEMALE = [
    "Kari", "Ingrid", "Solveig", "Anne", "Marit", "Liv", "Randi", "Hilde", "Silje", "Ida",
    "Nora", "Emma", "Sigrid", "Berit", "Ragnhild", "Tone", "Guri", "Heidi", "Camilla", "Mari",
    "Kristin", "Torill", "Gunn", "Elin", "Synnøve", "Eli", "Åse", "Turid", "Janne", "Line",
    "Maren", "Ane", "Oda", "Ingunn", "Bodil", "Wenche",
]
MALE = [
    "Ola", "Per", "Arne", "Jon", "Knut", "Lars", "Bjørn", "Terje", "Geir", "Odd", "Rune",
    "Trond", "Svein", "Tor", "Kjell", "Eirik", "Magnus", "Sindre", "Jonas", "Håkon", "Steinar",
    "Olav", "Even", "Vegard", "Anders", "Kåre", "Oddbjørn", "Arvid", "Sverre", "Ivar", "Martin",
    "Henrik", "Sigurd", "Asle", "Einar", "Ståle",
]
SURNAMES = [
    "Hansen", "Johansen", "Olsen", "Berg", "Dahl", "Strand", "Aune", "Sæther", "Høvik",
    "Ørsjødal", "Vik", "Lyng", "Moe", "Haugen", "Brevik", "Myhre", "Grande", "Wold", "Kvam",
    "Fuglem", "Rønning", "Hoff", "Lund", "Krogstad", "Rian", "Øyen", "Husby", "Sivertsen",
    "Holm", "Selnes", "Ramstad", "Åsly", "Rødsjø", "Kvernmo", "Bakken", "Næss", "Hestmo",
    "Garnes", "Stokkan", "Årnes", "Sellæg", "Uthus",
]
#: Combinations that would read as a well-known name or a placeholder; never drawn.
AVOID = {"Ola Nordmann", "Kari Nordmann", "Terje Vingen", "Per Hansen", "Kari Olsen"}

#: Fixed (invented) names of the key figures, so the plan and tests can name them.
KEY = {
    "styreleder": ("Solveig Aune", "F"),
    "daglig_leder": ("Marius Høvik", "M"),
    "prosjektleder": ("Ingrid Sæther", "F"),
    "radgiver": ("Jonas Strand", "M"),
    "styremedlem_1": ("Hilde Berg", "F"),
    "styremedlem_2": ("Torbjørn Lyng", "M"),
    "styremedlem_3": ("Liv Ørsjødal", "F"),
    "ordforer": ("Astrid Lian", "F"),
    "varaordforer": ("Randi Johansen", "F"),
    "radmann": ("Per Olav Moe", "M"),
    "naeringssjef": ("Trond Kvam", "M"),
    "in_kontakt": ("Siri Brekken", "F"),
    "tfk_kontakt": ("Eirik Nygård", "M"),
    "kmd_kontakt": ("Helene Tangen", "F"),
    "journalist_lokal": ("Kristin Hallan", "F"),
    "journalist_nrk": ("Anders Bratli", "M"),
    "butikk": ("Gunn Skjærvik", "F"),
    "idrettslag": ("Stian Bjørgum", "M"),
    "bygdekvinnelag": ("Marit Aalberg", "F"),
    "pensjonist": ("Arvid Storvik", "M"),
    "fiskarlag": ("Kåre Vingen", "M"),
    "ungdomslag": ("Emma Sæter", "F"),
    "laerer": ("Ragnhild Eide", "F"),
    "sjomat": ("Rune Tømmerås", "M"),
    "bygg": ("Geir Haugen", "M"),
    "kystlys": ("Oda Selnes", "F"),
}

_TRANS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", " ": "-", ".": ""})


def slug(text: str) -> str:
    return text.lower().translate(_TRANS)


used_names: set[str] = {name for name, _ in KEY.values()} | AVOID


def draw_name(gender: str | None = None) -> tuple[str, str]:
    """A fresh random name (first + surname) and the gender it was drawn for."""
    while True:
        g = gender or rng.choice("FM")
        first = rng.choice(FEMALE if g == "F" else MALE)
        name = f"{first} {rng.choice(SURNAMES)}"
        if name not in used_names:
            used_names.add(name)
            return name, g


# --- places, phones, e-mail ------------------------------------------------------------

BYGDER = ["Steinsdalen", "Seter", "Vingsand", "Sætervika"]
STREETS = {  # invented street names, by bygd (Osen's postnummer is 7740 Steinsdalen)
    "Steinsdalen": ["Fjordbrynet", "Kirkebakken", "Skolevegen", "Tunvegen"],
    "Seter": ["Setervegen", "Sjøbuvegen", "Myrlia"],
    "Vingsand": ["Havnegata", "Sandvikvegen", "Bjørkelia"],
    "Sætervika": ["Nordstrandvegen", "Lyngmoen", "Kaivegen"],
}
ELSEWHERE = [
    ("Bakkegata", "7014 Trondheim"), ("Innherredsveien", "7043 Trondheim"),
    ("Havnegata", "7800 Namsos"), ("Kystvegen", "7130 Brekstad"),
    ("Torget", "7713 Steinkjer"), ("Elvegata", "7600 Levanger"),
]
PRIVATE_DOMAINS = ["post.example", "epost.example", "nett.example"]


def osen_address(bygd: str) -> str:
    return f"{rng.choice(STREETS[bygd])} {rng.randint(1, 48)}, 7740 Steinsdalen"


def other_address() -> str:
    street, place = rng.choice(ELSEWHERE)
    return f"{street} {rng.randint(1, 80)}, {place}"


def mobile() -> str:
    d = f"{rng.choice('49')}{rng.randint(0, 9999999):07d}"
    return f"+47 {d[:3]} {d[3:5]} {d[5:]}"


def landline() -> str:
    d = f"72{rng.randint(0, 999999):06d}"
    return f"+47 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"


def email_for(name: str, domain: str) -> str:
    parts = slug(name).split("-")
    local = f"{parts[0]}.{parts[-1]}" if len(parts) > 1 else parts[0]
    return f"{local}@{domain}"


# --- organisations ---------------------------------------------------------------------

orgs: list[dict] = []
people: list[dict] = []
by_id: dict[str, dict] = {}


def org(oid: str, name: str, *, groups=(), tags=(), infl=3, inter=3, lang="nb",
        address="", phone="", email="", notes="", **extra) -> dict:
    row = {
        "id": oid, "navn": name, "type": "organisasjon", "e-post": email, "telefon": phone,
        "adresse": address, "organisasjon": "", "roller": [], "målgrupper": list(groups),
        "innflytelse": infl, "interesse": inter, "målform": lang, "rettslig_grunnlag": "",
        "stikkord": list(tags), "notater": notes, **extra,
    }
    orgs.append(row)
    by_id[oid] = row
    return row


org("osen-omstilling", "Osen Omstilling AS", tags=["omstilling", "lokal"], infl=4, inter=5,
    address="Fjordbrynet 2, 7740 Steinsdalen", phone=landline(),
    email="post@osen-omstilling.no",
    notes="Omstillingsselskapet. Eid av Osen kommune.")
org("osen-kommune", "Osen kommune", groups=["ledelse"], tags=["lokal", "offentlig"], infl=5,
    inter=5, address="Steinsdalen, 7740 Steinsdalen", email="postmottak@osen.kommune.example",
    notes="Eier av omstillingsselskapet.")
org("trondelag-fylkeskommune", "Trøndelag fylkeskommune", groups=["virkemiddelapparatet"],
    tags=["offentlig"], infl=5, inter=4, address="Steinkjer",
    email="postmottak@trondelagfylke.example")
org("innovasjon-norge", "Innovasjon Norge", groups=["virkemiddelapparatet"],
    tags=["offentlig"], infl=5, inter=4, address="Trondheim",
    email="trondelag@innovasjonnorge.example")
org("kmd", "Kommunal- og moderniseringsdepartementet", groups=["virkemiddelapparatet"],
    tags=["offentlig"], infl=4, inter=2, address="Oslo", email="postmottak@kmd.example")

COMPETENCE = [  # id, name, address, language of the contact
    ("ntnu", "NTNU", "Trondheim"),
    ("sintef", "SINTEF", "Trondheim"),
    ("nord-universitet", "Nord universitet", "Levanger"),
    ("fosen-vgs", "Fosen videregående skole", "Brekstad"),
    ("nofima", "Nofima", "Tromsø"),
]
for oid, name, place in COMPETENCE:
    org(oid, name, groups=["eksterne"], tags=["kompetansemiljo"], infl=3, inter=2,
        address=place, email=f"post@{oid}.example")

EXTERNAL = [  # all invented; id, name, address, language, kind of actor
    ("fosen-naeringsforum", "Fosen Næringsforum", "Kystvegen 4, 7130 Brekstad", "nb",
     "Regionalt næringsnettverk for Fosen."),
    ("trondelag-vekst-invest", "Trøndelag Vekst Invest AS", "Bakkegata 21, 7014 Trondheim",
     "nb", "Investeringsselskap, såkorn og vekst."),
    ("kystkapital", "Kystkapital AS", "Havnegata 9, 7800 Namsos", "nb",
     "Privat investor i kystnæringer."),
    ("nordic-blue-ventures", "Nordic Blue Ventures AB", "Sveavägen 12, 111 57 Stockholm", "en",
     "Swedish investor in sustainable seafood."),
    ("midtnorsk-havbruk", "Midtnorsk Havbruksutvikling AS", "Innherredsveien 40, 7043 Trondheim",
     "nb", "Regional havbruksaktør som vurderer nye lokaliteter."),
    ("fosen-energiutvikling", "Fosen Energiutvikling AS", "Kystvegen 18, 7130 Brekstad", "nb",
     "Regional energiaktør."),
    ("namdal-sjomatklynge", "Namdal Sjømatklynge SA", "Havnegata 30, 7800 Namsos", "nb",
     "Klynge for sjømatbedrifter."),
    ("trondersk-reiselivsutvikling", "Trøndersk Reiselivsutvikling AS",
     "Torget 3, 7713 Steinkjer", "nb", "Regional reiselivsutvikler."),
]
for oid, name, address, lang, notes in EXTERNAL:
    org(oid, name, groups=["eksterne"], tags=["ekstern_aktor"], infl=3,
        inter=rng.randint(2, 3), lang=lang, address=address, phone=landline(),
        email=f"post@{oid}.example", notes=notes)

org("osen-posten", "Osen-Posten", tags=["media", "lokal"], infl=4, inter=3,
    address="Kirkebakken 5, 7740 Steinsdalen", phone=landline(),
    email="tips@osen-posten.example", notes="Lokalavis (oppdiktet).")
org("nrk-trondelag", "NRK Trøndelag", tags=["media"], infl=4, inter=2, address="Trondheim",
    email="trondelag@nrk.example")

ASSOCIATIONS = [  # id, name, key figure leading it
    ("osen-idrettslag", "Osen Idrettslag", "idrettslag"),
    ("osen-bygdekvinnelag", "Osen Bygdekvinnelag", "bygdekvinnelag"),
    ("ungdomslaget-fram", "Ungdomslaget Fram", "ungdomslag"),
    ("osen-pensjonistforening", "Osen Pensjonistforening", "pensjonist"),
    ("nordvika-vel", "Nordvika Velforening", None),
    ("osen-fiskarlag", "Osen Fiskarlag", "fiskarlag"),
]
for oid, name, _ in ASSOCIATIONS:
    org(oid, name, groups=["befolkningen"], tags=["lag_forening", "lokal"],
        infl=rng.randint(2, 3), inter=3, address=osen_address(rng.choice(BYGDER)),
        email=f"post@{oid}.example")

FIRMS = [  # id, name, sector, employees in the register, key figure leading it
    ("osen-sjomat", "Osen Sjømat AS", "sjømat", 3, "sjomat"),
    ("steinsdalen-laks", "Steinsdalen Laks AS", "havbruk", 2, None),
    ("ytre-osen-havbruk", "Ytre Osen Havbruk AS", "havbruk", 1, None),
    ("storvika-fiskemottak", "Storvika Fiskemottak AS", "fiskeri", 1, None),
    ("kysthavet-fiskeri", "Kysthavet Fiskeri AS", "fiskeri", 0, None),
    ("osen-fiskeredskap", "Osen Fiskeredskap AS", "fiskeri", 0, None),
    ("lysgard-melk", "Lysgård Melk AS", "landbruk", 0, None),
    ("osen-gardsmat", "Osen Gardsmat AS", "landbruk", 1, None),
    ("osen-landbruksservice", "Osen Landbruksservice AS", "landbruk", 0, None),
    ("osen-skog-og-ved", "Osen Skog og Ved AS", "skogbruk", 0, None),
    ("osen-bygg", "Osen Bygg AS", "bygg og anlegg", 2, "bygg"),
    ("fjellstad-entreprenor", "Fjellstad Entreprenør AS", "bygg og anlegg", 1, None),
    ("osen-ror-og-varme", "Osen Rør og Varme AS", "bygg og anlegg", 0, None),
    ("osen-elektro", "Osen Elektro AS", "bygg og anlegg", 1, None),
    ("osen-maskin", "Osen Maskin AS", "bygg og anlegg", 0, None),
    ("osen-batbyggeri", "Osen Båtbyggeri AS", "båtbygging", 1, None),
    ("saetervika-trebatbyggeri", "Sætervika Trebåtbyggeri AS", "båtbygging", 0, None),
    ("kystbat-service", "Kystbåt Service AS", "båtbygging", 0, None),
    ("osen-mek-verksted", "Osen Mekaniske Verksted AS", "industri", 1, None),
    ("havgapet-rorbuer", "Havgapet Rorbuer AS", "reiseliv", 1, None),
    ("osen-fjordcamping", "Osen Fjordcamping AS", "reiseliv", 0, None),
    ("fosenkysten-opplevelser", "Fosenkysten Opplevelser AS", "reiseliv", 0, None),
    ("havbris-overnatting", "Havbris Overnatting AS", "reiseliv", 0, None),
    ("steinsdalen-naerbutikk", "Steinsdalen Nærbutikk AS", "handel", 2, "butikk"),
    ("osen-bakeri-og-kafe", "Osen Bakeri og Kafé AS", "handel", 1, None),
    ("salong-steinsdalen", "Salong Steinsdalen AS", "tjenester", 0, None),
    ("osen-regnskap", "Osen Regnskap AS", "tjenester", 0, None),
    ("osen-transport", "Osen Transport AS", "transport", 1, None),
    ("osen-eiendom", "Osen Eiendom AS", "eiendom", 0, None),
    ("kystlys-design", "Kystlys Design AS", "håndverk og design", 0, "kystlys"),
]
for oid, name, sector, _, _ in FIRMS:
    big = oid in ("osen-sjomat", "steinsdalen-laks", "steinsdalen-naerbutikk")
    org(oid, name, groups=["naeringslivet"], tags=["lokal", slug(sector.split()[0])],
        infl=4 if big else rng.randint(2, 3), inter=rng.randint(3, 5),
        address=osen_address(rng.choice(BYGDER)), phone=landline(),
        email=f"post@{oid}.example",
        notes=f"Bransje: {sector}." + (" Etablert mai 2026." if oid == "kystlys-design" else ""))

# --- persons ---------------------------------------------------------------------------


def person(*, name: str | None = None, gender: str | None = None, key: str | None = None,
           org_id: str = "", roles=(), groups=(), tags=(), infl=2, inter=3, lang=None,
           legal="berettiget interesse", osen=True, bygd=None, domain=None, notes="",
           category: str) -> dict:
    if key is not None:
        name, gender = KEY[key]
    elif name is None:
        name, gender = draw_name(gender)
    pid = slug(name)
    while pid in by_id:
        pid += "-2"
    bygd = bygd or (rng.choice(BYGDER) if osen else None)
    if lang is None:
        lang = "nn" if rng.random() < 0.15 else "nb"
    if domain is None:
        domain = by_id[org_id]["e-post"].split("@")[1] if org_id else rng.choice(PRIVATE_DOMAINS)
    row = {
        "id": pid, "navn": name, "type": "person", "e-post": email_for(name, domain),
        "telefon": mobile(), "adresse": osen_address(bygd) if osen else other_address(),
        "organisasjon": org_id, "roller": list(roles), "målgrupper": list(groups),
        "innflytelse": infl, "interesse": inter, "målform": lang, "rettslig_grunnlag": legal,
        "stikkord": list(tags), "notater": notes,
        # internal, not written:
        "_gender": gender, "_bygd": bygd, "_osen": osen, "_cat": category, "_key": key,
    }
    people.append(row)
    by_id[pid] = row
    return row


K: dict[str, dict] = {}  # key figure → row

# The programme's own people.
K["styreleder"] = person(key="styreleder", org_id="osen-omstilling", roles=["styreleder"],
                         infl=4, inter=5, lang="nb",
                         category="programme",
                         notes="Styreleder. Talsperson i overordnede, viktige saker.")
K["daglig_leder"] = person(key="daglig_leder", org_id="osen-omstilling",
                           roles=["daglig_leder"], infl=4, inter=5, lang="nb",
                           category="programme")
K["prosjektleder"] = person(key="prosjektleder", org_id="osen-omstilling",
                            roles=["prosjektleder", "ansatt"], infl=2, inter=5, lang="nb",
                            category="programme")
K["radgiver"] = person(key="radgiver", org_id="osen-omstilling", roles=["ansatt"], infl=2,
                       inter=5, lang="nn", category="programme", notes="Rådgiver, kommunikasjon.")
K["styremedlem_1"] = person(key="styremedlem_1", roles=["styremedlem"], infl=3, inter=5,
                            lang="nb", osen=False, category="programme",
                            notes="Styremedlem med erfaring fra regional næringsutvikling.")
K["styremedlem_2"] = person(key="styremedlem_2", roles=["styremedlem"], infl=3, inter=5,
                            lang="nb", category="programme")
K["styremedlem_3"] = person(key="styremedlem_3", roles=["styremedlem"], infl=3, inter=5,
                            lang="nn", category="programme")
for p in (K["daglig_leder"], K["prosjektleder"], K["radgiver"]):
    p["e-post"] = email_for(p["navn"], "osen-omstilling.no")
for k in ("styreleder", "styremedlem_1", "styremedlem_2", "styremedlem_3"):
    K[k]["e-post"] = email_for(K[k]["navn"], "osen-omstilling.no")

# The municipality.
PUBLIC = "offentlig myndighetsutøvelse"
K["ordforer"] = person(key="ordforer", org_id="osen-kommune",
                       roles=["ordforer", "kommunestyremedlem"],
                       groups=["ledelse", "befolkningen"], tags=["opinionsdanner"], infl=5,
                       inter=5, lang="nb", legal=PUBLIC, category="kommune", bygd="Steinsdalen")
K["varaordforer"] = person(key="varaordforer", org_id="osen-kommune",
                           roles=["varaordforer", "kommunestyremedlem", "styremedlem"],
                           groups=["ledelse", "befolkningen"], infl=4, inter=5, lang="nb",
                           legal=PUBLIC, category="kommune",
                           notes="Kommunens representant i styret for Osen Omstilling AS.")
K["radmann"] = person(key="radmann", org_id="osen-kommune", roles=["radmann"],
                      groups=["ledelse", "befolkningen"], infl=4, inter=5, lang="nb",
                      legal=PUBLIC, category="kommune")
K["naeringssjef"] = person(key="naeringssjef", org_id="osen-kommune", roles=["naeringssjef"],
                           groups=["ledelse", "befolkningen"], infl=3, inter=5, lang="nb",
                           legal=PUBLIC, category="kommune")
kommunalsjefer = []
for area, osen in (("helse og omsorg", True), ("oppvekst", True), ("teknisk", False)):
    kommunalsjefer.append(person(
        org_id="osen-kommune", roles=["kommunalsjef"],
        groups=["ledelse", "befolkningen"] if osen else ["ledelse"], infl=3, inter=3,
        legal=PUBLIC, osen=osen, category="kommune", notes=f"Kommunalsjef for {area}."))
politicians = []
for _ in range(8):
    politicians.append(person(
        roles=["kommunestyremedlem"], groups=["ledelse", "befolkningen"], infl=3,
        inter=rng.randint(3, 4), legal=PUBLIC, category="politiker"))

# Local firms: a leader each and a few employees.
firm_leaders: list[dict] = []
firm_staff: list[dict] = []
employer: dict[str, str] = {}
for oid, _name, _sector, n_staff, keyname in FIRMS:
    big = oid in ("osen-sjomat", "steinsdalen-laks", "steinsdalen-naerbutikk")
    roles = ["daglig_leder_bedrift"]
    tags = ["lokal"]
    notes = ""
    if keyname == "bygg":
        roles.append("styremedlem")
    if keyname == "kystlys":
        roles = ["daglig_leder_bedrift", "grunder"]
        notes = "Startet Kystlys Design AS i mai 2026 etter veiledning fra omstillingsprogrammet."
    if keyname in ("butikk", "sjomat"):
        tags.append("opinionsdanner")
    leader = person(key=keyname, org_id=oid, roles=roles,
                    groups=["naeringslivet", "befolkningen"] if keyname == "butikk"
                    else ["naeringslivet"] + (["grundere"] if keyname == "kystlys" else []),
                    tags=tags, infl=5 if keyname == "sjomat" else (4 if big else
                                                                   rng.randint(2, 4)),
                    inter=rng.randint(3, 5), category="firm_leader", notes=notes)
    if keyname:
        K[keyname] = leader
    firm_leaders.append(leader)
    employer[leader["id"]] = oid
    for _ in range(n_staff):
        staff = person(org_id=oid, groups=["naeringslivet"], tags=["lokal"],
                       infl=rng.randint(1, 2), inter=rng.randint(2, 4), category="firm_staff")
        firm_staff.append(staff)
        employer[staff["id"]] = oid
# Three firm leaders sit in the municipal council.
for leader in (firm_leaders[6], firm_leaders[13], firm_leaders[20]):
    leader["roller"].append("kommunestyremedlem")
    leader["målgrupper"].append("ledelse")

# Associations and opinion leaders in the local community.
assoc_leaders: dict[str, dict] = {}
for oid, _name, keyname in ASSOCIATIONS:
    tags = ["lag_forening", "lokal"]
    if keyname in ("idrettslag", "bygdekvinnelag", "pensjonist", "fiskarlag"):
        tags.append("opinionsdanner")
    row = person(key=keyname, gender="F" if oid == "osen-bygdekvinnelag" else None,
                 org_id=oid, roles=["leder_lag_forening"], groups=["befolkningen"], tags=tags,
                 infl=4 if "opinionsdanner" in tags else 3, inter=rng.randint(3, 4),
                 category="assoc_leader", legal="samtykke")
    if keyname:
        K[keyname] = row
    assoc_leaders[oid] = row
K["laerer"] = person(key="laerer", groups=["befolkningen"], tags=["opinionsdanner", "lokal"],
                     infl=4, inter=4, lang="nn", legal="samtykke", category="resident",
                     notes="Pensjonert lærer, skriver leserinnlegg og leder lokalhistorielaget.",
                     bygd="Seter")
assoc_leaders["osen-fiskarlag"]["målform"] = "nn"
assoc_leaders["osen-fiskarlag"]["notater"] = "Ønsker skriftlig informasjon på nynorsk."

# Potential gründers, in Osen and elsewhere.
grundere: list[dict] = []
IDEAS = ["tangprodukter", "kajakkutleie", "gårdsutsalg", "digitalt regnskapsbyrå",
         "smie og metallkunst", "matbil", "fjellføring og guiding", "reparasjon av påhengsmotorer",
         "keramikkverksted", "IT-konsulent som vil flytte hjem", "ølbryggeri",
         "produksjon av fiskefôr"]
for i, idea in enumerate(IDEAS[:11]):
    osen = i < 6
    grundere.append(person(
        roles=["grunder"], groups=["grundere", "befolkningen"] if osen else ["grundere"],
        tags=["lokal"] if osen else ["utenbygds"], infl=rng.randint(1, 2), inter=rng.randint(4, 5),
        legal="samtykke", osen=osen, category="grunder",
        notes=f"Idé: {idea}." + ("" if osen else " Vurderer å etablere seg i Osen.")))

# Contacts in the public support system (virkemiddelapparatet).
K["in_kontakt"] = person(key="in_kontakt", org_id="innovasjon-norge", roles=["kontaktperson"],
                         groups=["virkemiddelapparatet"], infl=4, inter=4, lang="nb",
                         legal=PUBLIC, osen=False, category="virkemiddel",
                         notes="INs kontaktperson for omstillingsprogrammet. Observatør i styret.")
in_2 = person(org_id="innovasjon-norge", groups=["virkemiddelapparatet"], infl=3, inter=3,
              lang="nb", legal=PUBLIC, osen=False, category="virkemiddel",
              notes="Rådgiver, bedriftsfinansiering.")
K["tfk_kontakt"] = person(key="tfk_kontakt", org_id="trondelag-fylkeskommune",
                          roles=["kontaktperson"], groups=["virkemiddelapparatet"], infl=4,
                          inter=4, lang="nb", legal=PUBLIC, osen=False, category="virkemiddel",
                          notes="TFKs kontaktperson. Observatør i styret.")
tfk_2 = person(org_id="trondelag-fylkeskommune", groups=["virkemiddelapparatet"], infl=3,
               inter=3, lang="nn", legal=PUBLIC, osen=False, category="virkemiddel",
               notes="Seniorrådgiver, regional utvikling.")
K["kmd_kontakt"] = person(key="kmd_kontakt", org_id="kmd", roles=["kontaktperson"],
                          groups=["virkemiddelapparatet"], infl=3, inter=2, lang="nb",
                          legal=PUBLIC, osen=False, category="virkemiddel")

# External business actors: one contact each.
ext_contacts: dict[str, dict] = {}
for oid, _name, _address, lang, _notes in EXTERNAL:
    roles = ["investor"] if oid in ("trondelag-vekst-invest", "kystkapital",
                                    "nordic-blue-ventures") else []
    ext_contacts[oid] = person(org_id=oid, roles=roles, groups=["eksterne"],
                               infl=3, inter=rng.randint(2, 3), lang=lang, osen=False,
                               category="external")

# Competence environments: a contact person each, and a researcher at NTNU.
comp_contacts: dict[str, dict] = {}
for oid, _name, _place in COMPETENCE:
    comp_contacts[oid] = person(org_id=oid, roles=["kontaktperson"], groups=["eksterne"],
                                infl=2, inter=rng.randint(2, 3),
                                lang="en" if oid == "sintef" else None, osen=False,
                                category="competence")
ntnu_forsker = person(org_id="ntnu", roles=["forsker"], groups=["eksterne"], infl=2, inter=3,
                      osen=False, category="competence",
                      notes="Forsker på distriktsutvikling og kystsamfunn.")

# Journalists.
K["journalist_lokal"] = person(key="journalist_lokal", org_id="osen-posten",
                               roles=["journalist"], groups=["befolkningen"], tags=["media"],
                               infl=4, inter=3, lang="nb", category="media")
journalist_2 = person(org_id="osen-posten", roles=["journalist"], tags=["media"], infl=3,
                      inter=3, lang="nn", osen=False, category="media")
K["journalist_nrk"] = person(key="journalist_nrk", org_id="nrk-trondelag", roles=["journalist"],
                             tags=["media"], infl=4, inter=2, lang="nb", osen=False,
                             category="media")

# Other inhabitants.
residents: list[dict] = []
RESIDENT_NOTES = ["", "", "", "Pensjonist.", "Engasjert i dugnadsarbeid.",
                  "Kom på folkemøtet i januar.", "Ønsker nyhetsbrev.", "Ungdomsrådet.",
                  "Jobber i Trondheim, pendler.", "Bonde."]
for _ in range(38):
    residents.append(person(groups=["befolkningen"], tags=["lokal"], infl=rng.randint(1, 2),
                            inter=rng.randint(1, 4),
                            legal=rng.choice(["samtykke", "samtykke", "berettiget interesse"]),
                            category="resident", notes=rng.choice(RESIDENT_NOTES)))

# Part of the firm people live in Osen and are counted in the population too.
for p in firm_staff:
    if rng.random() < 0.3:
        p["målgrupper"].append("befolkningen")
for p in firm_leaders:
    if "befolkningen" not in p["målgrupper"] and rng.random() < 0.2:
        p["målgrupper"].append("befolkningen")

# About one person in ten has no e-mail address on file.
for p in people:
    if p["_key"] is None and p["_cat"] in ("resident", "firm_staff", "grunder", "politiker") \
            and rng.random() < 0.2:
        p["e-post"] = ""

# A few rows name their organisation by display name, as hand-kept Excel lists do.
for p in [*rng.sample(firm_staff, 4), assoc_leaders["nordvika-vel"], in_2]:
    p["organisasjon"] = by_id[p["organisasjon"]]["navn"]

# --- relationships ---------------------------------------------------------------------

rels: list[dict] = []
rel_keys: set[tuple[str, str, str]] = set()
UNDIRECTED = ("knows", "family", "media_contact", "partner")


def rel(src: str, dst: str, kind: str, strength: float, start: str = "", end: str = "") -> bool:
    if src == dst:
        return False
    key = (src, dst, kind)
    if kind in UNDIRECTED:
        key = (*sorted((src, dst)), kind)  # type: ignore[assignment]
    if key in rel_keys:
        return False
    rel_keys.add(key)
    rels.append({"fra": src, "til": dst, "type": kind, "styrke": f"{strength:.2f}",
                 "rettet": "nei" if kind in UNDIRECTED else "ja", "start": start,
                 "slutt": end})
    return True


def strength(lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 2)


def org_of(p: dict) -> str:
    value = p["organisasjon"]
    if value and value not in by_id:
        value = next(o["id"] for o in orgs if o["navn"] == value)
    return value


def rand_start(y0: int, y1: int) -> str:
    return dt.date(rng.randint(y0, y1), rng.randint(1, 12), 1).isoformat()


# Ownership, funding and partnership between organisations.
rel("osen-kommune", "osen-omstilling", "owner_of", 1.0, "2025-09-01")
rel("osen-kommune", "osen-omstilling", "funds", 0.9, "2026-01-01")
rel("trondelag-fylkeskommune", "osen-omstilling", "funds", 0.9, "2026-01-01")
rel("kmd", "trondelag-fylkeskommune", "funds", 0.6)
rel("innovasjon-norge", "kystlys-design", "funds", 0.4, "2026-05-01")
rel("innovasjon-norge", "osen-sjomat", "funds", 0.5, "2025-06-01")
rel("osen-omstilling", "osen-batbyggeri", "funds", 0.4, "2026-04-01")
rel("osen-omstilling", "havgapet-rorbuer", "funds", 0.3, "2026-06-01")
for a, b, s in (("osen-omstilling", "fosen-naeringsforum", 0.6),
                ("osen-omstilling", "ntnu", 0.4),
                ("osen-sjomat", "steinsdalen-laks", 0.7),
                ("osen-sjomat", "storvika-fiskemottak", 0.6),
                ("osen-bygg", "osen-elektro", 0.6), ("osen-bygg", "osen-ror-og-varme", 0.6),
                ("havgapet-rorbuer", "fosenkysten-opplevelser", 0.5),
                ("osen-fjordcamping", "fosenkysten-opplevelser", 0.4),
                ("osen-batbyggeri", "kystbat-service", 0.5), ("osen-gardsmat", "lysgard-melk", 0.5),
                ("steinsdalen-naerbutikk", "osen-bakeri-og-kafe", 0.4),
                ("osen-kommune", "fosen-naeringsforum", 0.5), ("osen-kommune", "fosen-vgs", 0.3)):
    rel(a, b, "partner", s)

# The observer seats (tiltak V3) and the board.
rel("innovasjon-norge", "osen-omstilling", "observer", 0.8, "2025-10-15")
rel("trondelag-fylkeskommune", "osen-omstilling", "observer", 0.8, "2025-10-15")
rel(K["in_kontakt"]["id"], "osen-omstilling", "observer", 0.7, "2025-10-15")
rel(K["tfk_kontakt"]["id"], "osen-omstilling", "observer", 0.7, "2025-10-15")
rel(K["styreleder"]["id"], "osen-omstilling", "board_chair", 1.0, "2025-10-15")
BOARD = [K["styremedlem_1"], K["styremedlem_2"], K["styremedlem_3"], K["varaordforer"], K["bygg"]]
for p in BOARD:
    rel(p["id"], "osen-omstilling", "board_member", 0.8, "2025-10-15")

# Employment and leadership.
rel(K["daglig_leder"]["id"], "osen-omstilling", "works_for", 1.0, "2025-11-01")
rel(K["daglig_leder"]["id"], "osen-omstilling", "leads", 1.0, "2025-11-01")
rel(K["prosjektleder"]["id"], "osen-omstilling", "works_for", 1.0, "2026-02-01")
rel(K["radgiver"]["id"], "osen-omstilling", "works_for", 0.9, "2026-03-01")
rel(K["ordforer"]["id"], "osen-kommune", "leads", 1.0, "2023-10-01")
rel(K["radmann"]["id"], "osen-kommune", "works_for", 1.0, "2019-08-01")
rel(K["radmann"]["id"], "osen-kommune", "leads", 0.9, "2019-08-01")
for p in (K["naeringssjef"], *kommunalsjefer):
    rel(p["id"], "osen-kommune", "works_for", 0.9, rand_start(2012, 2024))
for p in (K["ordforer"], K["varaordforer"], *politicians, *[p for p in firm_leaders
                                                           if "kommunestyremedlem" in p["roller"]]):
    rel(p["id"], "osen-kommune", "member_of", 0.7, "2023-10-01")
for p in firm_leaders:
    oid = employer[p["id"]]
    since = "2026-05-15" if oid == "kystlys-design" else rand_start(1998, 2024)
    rel(p["id"], oid, "works_for", 1.0, since if rng.random() < 0.5 or
        oid == "kystlys-design" else "")
    rel(p["id"], oid, "leads", 1.0)
    if rng.random() < 0.65 or oid == "kystlys-design":
        rel(p["id"], oid, "owner_of", strength(0.3, 1.0), since if oid == "kystlys-design" else "")
for p in firm_staff:
    rel(p["id"], employer[p["id"]], "works_for", strength(0.6, 0.9),
        rand_start(2005, 2025) if rng.random() < 0.4 else "")
# Two people changed jobs: the old employment has an end date.
rel(firm_staff[3]["id"], "osen-transport", "works_for", 0.5, "2015-03-01", "2024-12-31")
rel(residents[5]["id"], "osen-bakeri-og-kafe", "works_for", 0.5, "2020-06-01", "2025-08-31")
for p in (K["in_kontakt"], in_2, K["tfk_kontakt"], tfk_2, K["kmd_kontakt"],
          *ext_contacts.values(), *comp_contacts.values(), ntnu_forsker, K["journalist_lokal"],
          journalist_2, K["journalist_nrk"]):
    rel(p["id"], org_of(p), "works_for", strength(0.7, 1.0))
for oid, p in assoc_leaders.items():
    rel(p["id"], oid, "leads", 0.9)
    rel(p["id"], oid, "member_of", 1.0)

# Media contacts.
for j in (K["journalist_lokal"], journalist_2, K["journalist_nrk"]):
    rel(j["id"], K["daglig_leder"]["id"], "media_contact", strength(0.5, 0.9))
rel(K["journalist_lokal"]["id"], K["styreleder"]["id"], "media_contact", 0.7)
rel(K["journalist_lokal"]["id"], K["ordforer"]["id"], "media_contact", 0.8)
rel(K["journalist_nrk"]["id"], K["ordforer"]["id"], "media_contact", 0.5)

# Advice and mentoring.
rel(K["in_kontakt"]["id"], K["daglig_leder"]["id"], "advises", 0.7)
rel(K["tfk_kontakt"]["id"], K["daglig_leder"]["id"], "advises", 0.5)
rel(K["styremedlem_1"]["id"], K["daglig_leder"]["id"], "advises", 0.6)
for g in [*grundere[:6], K["kystlys"]]:
    rel(K["prosjektleder"]["id"], g["id"], "advises", strength(0.4, 0.8), "2026-02-01")
for g in grundere[:3]:
    rel(K["naeringssjef"]["id"], g["id"], "advises", strength(0.3, 0.6))
rel(ntnu_forsker["id"], K["daglig_leder"]["id"], "advises", 0.3)

# Members of the associations (who joins what depends a little on who they are).
locals_ = [p for p in people if p["_osen"]]
MEMBER_P = {"osen-idrettslag": 0.22, "osen-bygdekvinnelag": 0.16, "ungdomslaget-fram": 0.1,
            "osen-pensjonistforening": 0.1, "nordvika-vel": 0.12, "osen-fiskarlag": 0.06}
for p in locals_:
    for oid, prob in MEMBER_P.items():
        if oid == "osen-bygdekvinnelag" and p["_gender"] != "F":
            continue
        if oid == "osen-fiskarlag" and (employer.get(p["id"], "") in (
                "kysthavet-fiskeri", "storvika-fiskemottak", "osen-fiskeredskap", "osen-sjomat")):
            prob = 0.9
        if oid == "nordvika-vel" and p["_bygd"] != "Sætervika":
            prob = 0.02
        if rng.random() < prob:
            rel(p["id"], oid, "member_of", strength(0.3, 0.8),
                rand_start(1990, 2025) if rng.random() < 0.2 else "")
for oid in ("osen-pensjonistforening", "osen-bygdekvinnelag"):
    rel(K["laerer"]["id"], oid, "member_of", 0.8)
rel(K["butikk"]["id"], "osen-idrettslag", "member_of", 0.6)
rel(K["ordforer"]["id"], "osen-idrettslag", "member_of", 0.5)

# Family ties: households in the same bygd.
fam = 0
while fam < 26:
    a, b = rng.sample(locals_, 2)
    if a["_bygd"] == b["_bygd"] and rel(a["id"], b["id"], "family", strength(0.85, 1.0)):
        fam += 1

# The "knows" web: clustered by bygd, workplace and association, with bridging hubs.
memberships: dict[str, list[str]] = {}
for r in rels:
    if r["type"] == "member_of":
        memberships.setdefault(r["fra"], []).append(r["til"])
for i, a in enumerate(locals_):
    for b in locals_[i + 1:]:
        p = 0.008
        if a["_bygd"] == b["_bygd"]:
            p += 0.06
        if a["organisasjon"] and org_of(a) == org_of(b):
            p += 0.45
        shared = len(set(memberships.get(a["id"], [])) & set(memberships.get(b["id"], [])))
        p += 0.05 * shared
        if rng.random() < p:
            lo, hi = (0.5, 0.9) if a["_bygd"] == b["_bygd"] else (0.2, 0.6)
            rel(a["id"], b["id"], "knows", strength(lo, hi))

# Bridging persons: they know people in every bygd.
HUBS = [("ordforer", 26), ("butikk", 24), ("idrettslag", 20), ("daglig_leder", 12),
        ("laerer", 15), ("pensjonist", 11), ("naeringssjef", 9), ("bygdekvinnelag", 7),
        ("fiskarlag", 6), ("styreleder", 8), ("sjomat", 7)]
for keyname, n in HUBS:
    hub = K[keyname]
    added = 0
    while added < n:
        other = rng.choice(locals_)
        if rel(hub["id"], other["id"], "knows", strength(0.3, 0.8)):
            added += 1
# Ties with the outside world.
outside = [
    (K["daglig_leder"], K["in_kontakt"], 0.7), (K["styreleder"], K["in_kontakt"], 0.6),
    (K["daglig_leder"], K["tfk_kontakt"], 0.6), (K["ordforer"], K["tfk_kontakt"], 0.5),
    (K["radmann"], tfk_2, 0.4), (K["daglig_leder"], ext_contacts["fosen-naeringsforum"], 0.6),
    (K["naeringssjef"], ext_contacts["fosen-naeringsforum"], 0.7),
    (K["styremedlem_1"], ext_contacts["trondelag-vekst-invest"], 0.6),
    (K["styremedlem_1"], ext_contacts["midtnorsk-havbruk"], 0.4),
    (K["sjomat"], ext_contacts["midtnorsk-havbruk"], 0.5),
    (K["sjomat"], ext_contacts["namdal-sjomatklynge"], 0.6),
    (K["daglig_leder"], comp_contacts["ntnu"], 0.5), (K["daglig_leder"], ntnu_forsker, 0.4),
    (K["prosjektleder"], comp_contacts["nord-universitet"], 0.3),
    (K["radmann"], comp_contacts["fosen-vgs"], 0.5),
    (K["bygg"], ext_contacts["fosen-energiutvikling"], 0.3),
    (K["styremedlem_1"], K["kmd_kontakt"], 0.2),
    (in_2, K["in_kontakt"], 0.8), (tfk_2, K["tfk_kontakt"], 0.8),
    (K["journalist_lokal"], journalist_2, 0.8),
]
for a, b, s in outside:
    rel(a["id"], b["id"], "knows", s)
for g in grundere[6:]:
    rel(g["id"], rng.choice(locals_)["id"], "knows", strength(0.3, 0.7))
    rel(g["id"], rng.choice(residents)["id"], "family", strength(0.8, 1.0))

# --- interactions ----------------------------------------------------------------------

interactions: list[dict] = []


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def log(date: dt.date | str, kind: str, channel: str, *, participants=(), groups=(),
        topic: str, commitments=(), host: str = "", success: bool = False,
        notes: str = "", outlet: str = "", tone: str = "", messages=()) -> None:
    day = d(date) if isinstance(date, str) else date
    assert START <= day <= LAST, day
    interactions.append({
        "dato": day, "type": kind, "kanal": channel, "deltakere": list(participants),
        "målgrupper": list(groups), "tema": topic, "tiltak": list(commitments),
        "vert": host, "suksess": success, "notater": notes, "stemning": "",
        "medium": outlet, "tone": tone, "historie": "", "budskap": list(messages),
    })


BN = ["befolkningen", "naeringslivet"]
ID = lambda key: K[key]["id"]  # noqa: E731

# B1 / B3 / G2: news items in local media (no article at all in September and October).
ARTICLES = [
    ("2026-01-14", "Omstillingsprogrammet i Osen er i gang", ["B1"], False, ""),
    ("2026-02-11", "Osen Sjømat får støtte til nytt pakkeri", ["B1", "B3"], False, ""),
    ("2026-03-18", "Slik skal omstillingsmidlene brukes i 2026", ["B1"], False,
     "Handlingsplan og budsjett presentert i Osen-Posten."),
    ("2026-04-22", "Årsrapporten: dette ble gjort i 2025", ["B1"], False, ""),
    ("2026-05-20", "Osen Båtbyggeri satser på elektriske arbeidsbåter", ["B1", "B3"], False,
     "Forprosjekt med støtte fra omstillingsprogrammet."),
    ("2026-06-17", "Ny gründer: Kystlys Design åpner verksted i Steinsdalen", ["B1", "G2"], True,
     "Suksesshistorie: ny bedrift etablert."),
    ("2026-07-08", "Sommerturistene fant veien til Havgapet Rorbuer", ["B1"], False, ""),
    ("2026-08-19", "Osen Sjømat ansetter fem nye", ["B1", "B3"], True,
     "Suksesshistorie: fem nye arbeidsplasser."),
    ("2026-08-26", "Fra hobby til bedrift – gründerhistorie fra Seter", ["G2"], False, ""),
    ("2026-11-11", "Nytt reiselivsselskap etablerer seg i Osen", ["B1", "B3"], True,
     "Suksesshistorie: ny bedrift, to arbeidsplasser."),
    ("2026-11-18", "NRK Trøndelag: Osen satser på kysten", ["B1"], False,
     "Reportasje på NRK Trøndelag."),
]
# Who ran each article, its tone, and the plan's key messages ([[messages]]) it carried.
PRESS = {
    "2026-01-14": ("osen-posten", "positive", []),
    "2026-02-11": ("osen-posten", "positive", ["bedriftsutvikling"]),
    "2026-03-18": ("osen-posten", "neutral", []),
    "2026-05-20": ("osen-posten", "positive", ["bedriftsutvikling"]),
    "2026-06-17": ("osen-posten", "positive", ["grunderkommune"]),
    "2026-08-19": ("osen-posten", "positive", ["bedriftsutvikling"]),
    "2026-08-26": ("osen-posten", "positive", ["grunderkommune", "attraktiv"]),
    "2026-11-11": ("osen-posten", "positive", ["attraktiv", "grunderkommune"]),
    "2026-11-18": ("nrk-trondelag", "neutral", ["attraktiv"]),
}
for date, topic, tiltak, success, notes in ARTICLES:
    groups = ["grundere", *BN] if "G2" in tiltak else BN
    outlet, tone, messages = PRESS.get(date, ("", "", []))
    log(date, "article", "media", groups=groups, topic=topic, commitments=tiltak,
        success=success, notes=notes, outlet=outlet, tone=tone, messages=messages)

# B2: the opinion leaders informed in person. Three of the most central ones (the leaders
# of the fiskarlag and the pensjonistforening, and the retired teacher) are not yet: they
# appear in no direct contact at all in 2026.
B2_INFORMED = ["ordforer", "butikk", "idrettslag", "sjomat", "bygdekvinnelag", "ungdomslag",
               "radmann", "naeringssjef", "journalist_lokal", "varaordforer"]
B2_NOT_YET = ["pensjonist", "fiskarlag", "laerer"]
for keyname, date in zip(B2_INFORMED, ["2026-01-21", "2026-01-27", "2026-02-04", "2026-02-05",
                                        "2026-03-03", "2026-04-09", "2026-05-06", "2026-01-16",
                                        "2026-01-13", "2026-03-10"], strict=True):
    extra = ["osen-idrettslag"] if keyname == "idrettslag" else []
    log(date, "meeting", "direkte", participants=[ID(keyname), *extra],
        topic="Orientering om omstillingsprogrammet og handlingsplanen", commitments=["B2"],
        notes="Daglig leder informerte og ba om innspill.")
for keyname, date, topic in (
        ("journalist_lokal", "2026-05-19", "Intervju om båtbyggeriets forprosjekt"),
        ("journalist_lokal", "2026-08-18", "Intervju om nye arbeidsplasser i Osen Sjømat"),
        ("journalist_lokal", "2026-11-10", "Intervju om nytt reiselivsselskap"),
        ("journalist_nrk", "2026-11-16", "Intervju med NRK Trøndelag")):
    log(date, "call", "direkte", participants=[ID(keyname)], topic=topic)

# B4: local business arenas, one a quarter.
leaders_pool = [p["id"] for p in firm_leaders]
for date, topic, host in (
        ("2026-03-05", "Næringsfrokost på Osen Bakeri og Kafé", "osen-bakeri-og-kafe"),
        ("2026-06-11", "Sjømatdagen i Steinsdalen", "osen-sjomat"),
        ("2026-08-27", "Næringslivets stand på Kystkulturdagene", ""),
        ("2026-10-22", "Næringsfrokost: rekruttering og bolig", "osen-bakeri-og-kafe")):
    log(date, "event", "direkte", participants=sorted(rng.sample(leaders_pool, 8)),
        groups=["naeringslivet"], topic=topic, commitments=["B4"], host=host)

# B5: dialogue meeting with local business — one in H1, none yet in H2.
log("2026-04-15", "meeting", "direkte",
    participants=sorted(rng.sample(leaders_pool, 14)), groups=["naeringslivet"],
    topic="Dialogmøte med næringslivet i Osen", commitments=["B5"],
    notes="Innspill til revidert handlingsplan. Neste dialogmøte planlagt i desember.")

# B6: ten board meetings, four held at a local company with a company visit.
board_ids = [ID("styreleder")] + [p["id"] for p in BOARD] + [ID("daglig_leder")]
observers = [ID("in_kontakt"), ID("tfk_kontakt")]
BOARD_MEETINGS = [
    ("2026-01-15", ""), ("2026-02-19", "osen-kommune"), ("2026-03-19", "osen-sjomat"),
    ("2026-04-16", ""), ("2026-05-21", ""), ("2026-06-18", "osen-batbyggeri"),
    ("2026-08-20", ""), ("2026-09-17", "havgapet-rorbuer"), ("2026-10-15", "osen-kommune"),
    ("2026-11-12", "steinsdalen-naerbutikk"),
]
for n, (date, host) in enumerate(BOARD_MEETINGS, start=1):
    present = board_ids + [o for o in observers if rng.random() < 0.7]
    where = by_id[host]["navn"] if host else "Omstillingskontoret"
    log(date, "board_meeting", "direkte", participants=present, topic=f"Styremøte {n}/2026",
        commitments=["B6"], host=host, notes=f"Møtested: {where}.")
    if host and "naeringslivet" in by_id[host]["målgrupper"]:
        leader = next(p["id"] for p in firm_leaders if employer[p["id"]] == host)
        log(date, "visit", "direkte", participants=[host, leader],
            topic=f"Bedriftsbesøk hos {by_id[host]['navn']}", host=host,
            notes="Bedriftsbesøk i forbindelse med styremøtet.")

# G1, G3, G4: gründer promotion on social media and the website.
for date, topic in (("2026-02-03", "Osen – en god kommune å starte bedrift i"),
                    ("2026-05-05", "Gründerkveld: møt de som har fått det til"),
                    ("2026-08-12", "Fem grunner til å starte bedrift i Osen"),
                    ("2026-10-07", "Gründerkommunen Osen: tilbud og nettverk")):
    log(date, "post", "sosiale_medier", groups=["grundere", "befolkningen"], topic=topic,
        commitments=["G1"])
for date, topic in (("2026-01-20", "Etablererveiledning og etablererstipend i Osen"),
                    ("2026-04-08", "Kontorplasser for gründere i Omstillingshuset"),
                    ("2026-11-04", "Søk om bedriftsutviklingsmidler før 1. desember")):
    log(date, "web", "hjemmeside", groups=["grundere"], topic=topic, commitments=["G3"])
log("2026-05-26", "post", "sosiale_medier", groups=["grundere"],
    topic="Flytt bedriften din til Osen – annonsekampanje i Trondheim og Namsos",
    commitments=["G4"], notes="Betalt kampanje rettet mot utenbygds gründere.")

# L1: the annual report for 2025 to the council; the second status report is still to come.
log("2026-04-23", "annual_report", "rapport", participants=["osen-kommune", ID("ordforer")],
    groups=["ledelse"], topic="Årsrapport 2025 lagt fram for kommunestyret",
    commitments=["L1"], notes="Andre statusrapport planlagt til kommunestyret i desember.")
# L2: the rådmann's leadership group — Q1, Q2 and Q4 (Q3 was missed).
ledergruppe = [ID("radmann"), ID("naeringssjef")] + [p["id"] for p in kommunalsjefer]
for date in ("2026-02-10", "2026-05-12", "2026-10-13"):
    log(date, "meeting", "direkte", participants=ledergruppe, groups=["ledelse"],
        topic="Orientering i rådmannens ledergruppe", commitments=["L2"])

# V1, V2, V4: the public support system.
log("2026-06-09", "presentation", "direkte",
    participants=["trondelag-fylkeskommune", ID("tfk_kontakt")], groups=["virkemiddelapparatet"],
    topic="Orientering for fylkesutvalget om omstillingsprogrammet", commitments=["V1"],
    notes="Styreleder og daglig leder orienterte.")
for date in ("2026-03-12", "2026-09-24"):
    log(date, "meeting", "direkte", participants=["innovasjon-norge", ID("in_kontakt")],
        topic="Møte med INs kontaktperson", commitments=["V2"])
for oid, contact in (("trondelag-fylkeskommune", "tfk_kontakt"),
                     ("innovasjon-norge", "in_kontakt")):
    log("2026-05-06", "report", "rapport", participants=[oid, ID(contact)],
        topic="Årsrapport 2025, revidert handlingsplan og budsjett 2026", commitments=["V4"],
        notes="Sendt per e-post. KMD står på lista, men er ikke sendt ennå.")

# E1: external business actors — five of eight contacted.
for oid, date, kind in (("fosen-naeringsforum", "2026-01-28", "meeting"),
                        ("trondelag-vekst-invest", "2026-03-24", "meeting"),
                        ("kystkapital", "2026-06-03", "call"),
                        ("fosen-naeringsforum", "2026-08-13", "email"),
                        ("nordic-blue-ventures", "2026-09-15", "email"),
                        ("midtnorsk-havbruk", "2026-10-20", "meeting")):
    log(date, kind, "direkte", participants=[oid, ext_contacts[oid]["id"]],
        topic="Muligheter for næringsutvikling og nyetableringer i Osen", commitments=["E1"])
# E2: network arenas outside the municipality.
log("2026-04-29", "presentation", "direkte", groups=["eksterne", "grundere"],
    topic="Osen presentert på Kystnæringsforum i Trondheim", commitments=["E2"])
log("2026-10-28", "presentation", "direkte", groups=["eksterne", "grundere"],
    topic="Osen presentert på nettverksmøte for trønderske kystkommuner i Namsos",
    commitments=["E2"])
# E3: competence environments — NTNU twice, SINTEF once, the rest not yet.
log("2026-02-24", "meeting", "direkte",
    participants=["ntnu", comp_contacts["ntnu"]["id"], ntnu_forsker["id"]],
    topic="Samarbeid om studentoppgaver og følgeforskning", commitments=["E3"])
log("2026-09-08", "meeting", "direkte", participants=["ntnu", comp_contacts["ntnu"]["id"]],
    topic="Oppfølging: masteroppgave om kystnæringer i Osen", commitments=["E3"])
log("2026-05-28", "meeting", "direkte", participants=["sintef", comp_contacts["sintef"]["id"]],
    topic="Mulig forprosjekt om fôr og restråstoff", commitments=["E3"])

# Ordinary direct contact with firms, gründers, opinion leaders and the municipality.
untouchable = set(ID(k) for k in B2_NOT_YET)
ordinary: list[tuple[dict, list[str]]] = []
FIRM_TOPICS = ["Søknad om bedriftsutviklingsmidler", "Oppfølging av forprosjekt",
               "Kompetanseheving for ansatte", "Rekruttering av arbeidskraft",
               "Markedsutvikling og nye kunder", "Investeringsplaner",
               "Samarbeid om felles markedsføring",
               "Digitalisering i bedriften", "Grønn omstilling og energibruk",
               "Behov for næringsareal", "Generasjonsskifte i bedriften"]
GRUNDER_TOPICS = ["Etablererveiledning", "Forretningsplan og budsjett", "Lokaler i Osen",
                  "Søknad om etablererstipend", "Nettverk og mentor", "Markedsundersøkelse"]
LOCAL_TOPICS = ["Orientering om omstillingsprogrammet", "Innspill til handlingsplanen",
                "Boliger for nye arbeidstakere", "Ungdom og arbeidsplasser i Osen",
                "Dugnad og frivillighet", "Idé til nytt tiltak"]
KOMMUNE_TOPICS = ["Koordinering med kommunen", "Næringsareal på Vingsand",
                  "Planarbeid for nytt næringsområde", "Kommunens næringsfond"]
firm_people = [p for p in firm_leaders + firm_staff]
local_people = [p for p in residents + list(assoc_leaders.values()) + politicians
                if p["id"] not in untouchable]
kommune_people = [K["ordforer"], K["varaordforer"], K["radmann"], K["naeringssjef"],
                  *kommunalsjefer]


def workday(lo: dt.date = START, hi: dt.date = LAST) -> dt.date:
    day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    if day.weekday() >= 5:
        day -= dt.timedelta(days=day.weekday() - 4)
    return max(day, lo)


for _ in range(112):
    p = rng.choice(firm_people)
    oid = employer[p["id"]]
    kind = rng.choice(["meeting", "meeting", "call", "call", "email", "visit"])
    parts = [p["id"]] + ([oid] if kind in ("meeting", "visit") else [])
    log(workday(), kind, "direkte", participants=parts, topic=rng.choice(FIRM_TOPICS),
        host=oid if kind == "visit" else "")
for _ in range(40):
    g = rng.choice([*grundere, K["kystlys"]])
    kind = rng.choice(["meeting", "meeting", "call", "email"])
    lo = d("2026-02-01")
    log(workday(lo), kind, "direkte", participants=[g["id"]], topic=rng.choice(GRUNDER_TOPICS))
for _ in range(38):
    p = rng.choice(local_people)
    log(workday(), rng.choice(["meeting", "call", "email"]), "direkte", participants=[p["id"]],
        topic=rng.choice(LOCAL_TOPICS))
for _ in range(18):
    p = rng.choice(kommune_people)
    log(workday(), rng.choice(["meeting", "call", "email"]), "direkte", participants=[p["id"]],
        topic=rng.choice(KOMMUNE_TOPICS))
# A folkemøte in January and one in September (direct contact with many at once).
for date, topic in (("2026-01-22", "Folkemøte: omstillingsprogrammet starter"),
                    ("2026-09-10", "Folkemøte: hva har skjedd så langt?")):
    crowd = sorted(p["id"] for p in rng.sample(local_people + firm_staff, 22))
    log(date, "meeting", "direkte", participants=crowd, groups=["befolkningen"], topic=topic,
        host="ungdomslaget-fram", notes="Holdt på ungdomshuset.")
# Success story: a firm leader reports new jobs after support.
batbygger = next(p["id"] for p in firm_leaders if employer[p["id"]] == "osen-batbyggeri")
log("2026-10-01", "visit", "direkte", participants=["osen-batbyggeri", batbygger],
    topic="Første elektriske arbeidsbåt levert – to nye lærlinger", host="osen-batbyggeri",
    success=True, notes="Suksesshistorie: to nye arbeidsplasser.")

# Website and social media, every month (not tied to a commitment unless tagged).
WEB_TOPICS = ["Månedsbrev fra daglig leder", "Ukens bedrift", "Ledige midler i næringsfondet",
              "Referat fra styremøtet", "Handlingsplan 2026", "Invitasjon til dialogmøte",
              "Slik søker du støtte", "Nytt fra omstillingsprogrammet"]
POST_TOPICS = ["Bilder fra bedriftsbesøk", "Gratulerer med ny bedrift!", "Ukens bedrift",
               "Påminnelse: folkemøte", "Stillinger ledig i Osen", "Sommer i Osen",
               "Takk for innspillene!", "Nytt fra styret"]
for month in range(1, 12):
    lo = dt.date(2026, month, 1)
    hi = min(dt.date(2026, month, 28), LAST)
    for _ in range(2 if month not in (7,) else 1):
        log(workday(max(lo, START), hi), "web", "hjemmeside", groups=BN,
            topic=rng.choice(WEB_TOPICS))
    for _ in range(rng.randint(2, 4)):
        log(workday(max(lo, START), hi), "post", "sosiale_medier",
            groups=rng.choice([BN, ["befolkningen"], ["naeringslivet"]]),
            topic=rng.choice(POST_TOPICS))

interactions.sort(key=lambda r: (r["dato"], r["type"], r["tema"]))
for n, r in enumerate(interactions, start=1):
    r["id"] = f"K2026-{n:04d}"

# --- writing ---------------------------------------------------------------------------

ST_HEAD = ["id", "navn", "type", "e-post", "telefon", "adresse", "organisasjon", "roller",
           "målgrupper", "innflytelse", "interesse", "målform", "rettslig_grunnlag", "stikkord",
           "notater"]
REL_HEAD = ["fra", "til", "type", "styrke", "rettet", "start", "slutt"]
INT_HEAD = ["id", "dato", "type", "kanal", "deltakere", "målgrupper", "tema", "tiltak", "vert",
            "suksess", "notater", "stemning", "medium", "tone", "historie", "budskap"]


def cell(value: object) -> str:
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write(path: Path, head: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(head)
        for row in rows:
            w.writerow([cell(row[h]) for h in head])


# --- self-check ------------------------------------------------------------------------

BUILTIN_INTERACTION_KINDS = ["meeting", "letter", "email", "call", "article", "post", "web",
                             "board_meeting", "report", "annual_report", "event", "visit",
                             "presentation", "mailing"]
BUILTIN_RELATIONSHIP_KINDS = ["works_for", "board_member", "board_chair", "observer",
                              "member_of", "owner_of", "leads", "knows", "family",
                              "media_contact", "partner", "advises", "funds"]


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    assert b"\r\n" in raw, f"{path.name}: not CRLF"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def check(out: Path) -> list[str]:
    """Every reference resolves and every key is one the plan (or the library) knows."""
    problems: list[str] = []
    plan = tomllib.loads(PLAN.read_text(encoding="utf-8"))
    groups = [g["key"] for g in plan["groups"]]
    roles = [r["key"] for r in plan["roles"]]
    channels = [c["key"] for c in plan["channels"]]
    commitments = [c["id"] for c in plan["commitments"]]
    ikinds = BUILTIN_INTERACTION_KINDS + [k["key"] for k in plan.get("interaction_kinds", [])]
    rkinds = BUILTIN_RELATIONSHIP_KINDS + [k["key"] for k in plan.get("relationship_kinds", [])]
    try:  # prefer the library's own vocabulary when it can be imported
        sys.path.insert(0, str(ROOT / "src"))
        from interessent.model import BUILTIN_INTERACTION_KINDS as LIB_I
        from interessent.model import BUILTIN_RELATIONSHIP_KINDS as LIB_R

        assert sorted(LIB_I) == sorted(BUILTIN_INTERACTION_KINDS), "interaction kinds drifted"
        assert sorted(k.key for k in LIB_R) == sorted(BUILTIN_RELATIONSHIP_KINDS)
    except ImportError:
        pass

    st = read(out / "stakeholders.csv")
    ids = [r["id"] for r in st]
    if len(ids) != len(set(ids)):
        problems.append("duplicate stakeholder ids")
    known = set(ids)
    org_names = {r["navn"]: r["id"] for r in st if r["type"] == "organisasjon"}
    kinds = {r["id"]: r["type"] for r in st}
    members: dict[str, int] = dict.fromkeys(groups, 0)
    for r in st:
        o = r["organisasjon"]
        if o and o not in known and o not in org_names:
            problems.append(f"stakeholder {r['id']}: unknown organisation {o!r}")
        if o and kinds.get(org_names.get(o, o)) != "organisasjon":
            problems.append(f"stakeholder {r['id']}: {o!r} is not an organisation")
        for v in filter(None, r["roller"].split("|")):
            if v not in roles:
                problems.append(f"stakeholder {r['id']}: unknown role {v!r}")
        for v in filter(None, r["målgrupper"].split("|")):
            if v not in groups:
                problems.append(f"stakeholder {r['id']}: unknown group {v!r}")
            else:
                members[v] += 1
        if r["type"] not in ("person", "organisasjon"):
            problems.append(f"stakeholder {r['id']}: bad type")
        if r["målform"] not in ("nb", "nn", "en"):
            problems.append(f"stakeholder {r['id']}: bad målform")
        for col in ("innflytelse", "interesse"):
            if not 1 <= int(r[col]) <= 5:
                problems.append(f"stakeholder {r['id']}: {col} out of range")
    problems += [f"group {g} has no registered members" for g, n in members.items() if not n]

    for i, r in enumerate(read(out / "relationships.csv")):
        for end in ("fra", "til"):
            if r[end] not in known:
                problems.append(f"relationship {i}: unknown {end} {r[end]!r}")
        if r["type"] not in rkinds:
            problems.append(f"relationship {i}: unknown kind {r['type']!r}")
        if not 0 <= float(r["styrke"]) <= 1:
            problems.append(f"relationship {i}: strength out of range")
    for c in plan["commitments"]:
        for tie in c.get("requires", []):
            for end in ("source", "target"):
                if tie[end] not in known:
                    problems.append(f"{c['id']}: requires unknown {tie[end]!r}")
        for sel in ("members", "host"):
            for v in c.get(sel, {}).get("ids", []):
                if v not in known:
                    problems.append(f"{c['id']}.{sel}: unknown id {v!r}")
        if c.get("responsible") and c["responsible"] not in roles:
            problems.append(f"{c['id']}: unknown responsible role")
    for g in plan["groups"]:
        for v in g.get("rule", {}).get("ids", []):
            if v not in known:
                problems.append(f"group {g['key']}: unknown id {v!r}")
    for v in [*plan.get("leaders", {}).get("pinned", []), plan["programme"]["organisation"]]:
        if v not in known:
            problems.append(f"plan names unknown stakeholder {v!r}")

    rows = read(out / "interactions.csv")
    for r in rows:
        if r["type"] not in ikinds:
            problems.append(f"{r['id']}: unknown kind {r['type']!r}")
        if r["kanal"] not in channels:
            problems.append(f"{r['id']}: unknown channel {r['kanal']!r}")
        for v in filter(None, r["deltakere"].split("|")):
            if v not in known:
                problems.append(f"{r['id']}: unknown participant {v!r}")
        if r["vert"] and r["vert"] not in known:
            problems.append(f"{r['id']}: unknown host {r['vert']!r}")
        for v in filter(None, r["målgrupper"].split("|")):
            if v not in groups:
                problems.append(f"{r['id']}: unknown group {v!r}")
        for v in filter(None, r["tiltak"].split("|")):
            if v not in commitments:
                problems.append(f"{r['id']}: unknown commitment {v!r}")
        day = dt.date.fromisoformat(r["dato"])
        if not START <= day <= LAST:
            problems.append(f"{r['id']}: date {day} outside {START}..{LAST}")
        if r["suksess"] not in ("ja", "nei"):
            problems.append(f"{r['id']}: bad suksess")
    # The story's invariants.
    art = [r for r in rows if r["type"] == "article"]
    if any(r["dato"][5:7] in ("09", "10") for r in art):
        problems.append("an article in September or October (B1 must miss them)")
    never = {"kmd", K["kmd_kontakt"]["id"], "nord-universitet", "fosen-vgs", "nofima",
             comp_contacts["nord-universitet"]["id"], comp_contacts["fosen-vgs"]["id"],
             comp_contacts["nofima"]["id"], *untouchable}
    for oid in ("fosen-energiutvikling", "namdal-sjomatklynge", "trondersk-reiselivsutvikling"):
        never |= {oid, ext_contacts[oid]["id"]}
    for r in rows:
        hit = never & set(r["deltakere"].split("|"))
        if hit:
            problems.append(f"{r['id']}: reaches {sorted(hit)}, which the story leaves out")
    bm = [r for r in rows if r["type"] == "board_meeting"]
    hosted = [r for r in bm if r["vert"] and "naeringslivet" in
              next(s["målgrupper"] for s in st if s["id"] == r["vert"]).split("|")]
    if (len(bm), len(hosted)) != (10, 4):
        problems.append(f"board meetings {len(bm)}, hosted {len(hosted)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EXAMPLE / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "stakeholders.csv", ST_HEAD, orgs + people)
    write(args.out / "relationships.csv", REL_HEAD, rels)
    write(args.out / "interactions.csv", INT_HEAD, interactions)
    problems = check(args.out)
    persons = len(people)
    in_pop = sum("befolkningen" in p["målgrupper"] for p in people)
    kinds: dict[str, int] = {}
    for r in rels:
        kinds[r["type"]] = kinds.get(r["type"], 0) + 1
    print(f"stakeholders: {len(orgs) + persons} ({len(orgs)} organisations, {persons} persons,"
          f" {in_pop / persons:.0%} of persons in befolkningen)")
    print(f"relationships: {len(rels)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"interactions: {len(interactions)}")
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
