"""Information responsibility: who signs on which topic, and whom to notify."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from interessent import i18n
from interessent.drafting import notify
from interessent.errors import InteressentError, InvalidInput, NotFound, PlanError
from interessent.model import Stakeholder
from interessent.plan import parse_plan
from interessent.policy import PolicyError, Signature, notification_list, resolve_signer
from interessent.workspace import Workspace, init_workspace

DAILY_RULE = ("Daglig leder i omstillingsorganisasjonen er ansvarlig for det daglige "
              "kommunikasjonens- og informasjonsarbeidet")
POLITICAL = "Omstillingsorganisasjonen skal ikke uttale seg i saker av politisk karakter"


# --- the signer follows the topic ---------------------------------------------------------


def test_daily_matters_are_signed_by_the_daglig_leder(osen: Workspace) -> None:
    sig = resolve_signer(osen.plan, osen, topic="daily")
    assert (sig.role, sig.stakeholder, sig.name) == ("daglig_leder", "marius-hovik",
                                                     "Marius Høvik")
    assert sig.title == "Daglig leder"
    assert sig.email == "marius.hovik@osen-omstilling.no"
    assert sig.phone == "+47 426 90 909"
    assert sig.organisation == "Osen Omstilling AS"
    assert sig.rule.startswith(DAILY_RULE)
    assert sig.cleared_by is None
    assert sig.note == f"Signert av Marius Høvik (Daglig leder) etter regelen: {sig.rule}"


def test_overarching_matters_are_signed_by_the_styreleder(osen: Workspace) -> None:
    sig = resolve_signer(osen.plan, osen.store, topic="overarching")
    assert (sig.role, sig.stakeholder) == ("styreleder", "solveig-aune")
    assert "naturlige talsperson i overordnede, viktige saker" in sig.rule
    assert sig.topic_name == "Overordnede, viktige saker"


def test_a_topic_can_be_named_by_its_name(osen: Workspace) -> None:
    sig = resolve_signer(osen.plan, osen, topic="Løpende aktiviteter")
    assert sig.topic == "daily"


def test_political_matters_are_refused_quoting_the_plan(osen: Workspace) -> None:
    with pytest.raises(PolicyError) as caught:
        resolve_signer(osen.plan, osen, topic="political")
    assert POLITICAL in str(caught.value)
    assert isinstance(caught.value, InteressentError)
    assert not isinstance(caught.value, OSError)  # a refusal, not a failed write


def test_political_matters_are_refused_whoever_signs(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match="politisk karakter"):
        resolve_signer(osen.plan, osen, topic="political", signer_role="styreleder",
                       cleared_by="daglig_leder")


def test_an_unknown_topic_lists_the_plans_topics(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="daily, overarching, political"):
        resolve_signer(osen.plan, osen, topic="gossip")


def test_the_daglig_leder_confers_with_the_styreleder_on_overarching_matters(
        osen: Workspace) -> None:
    with pytest.raises(PolicyError) as caught:
        resolve_signer(osen.plan, osen, topic="overarching", signer_role="daglig_leder")
    # English (no language set), the plan's role and topic names too: the Osen plan gives
    # them in en
    assert str(caught.value) == ("Managing director may speak on overarching, important "
                                 "matters only after conferring with chair of the board")
    error = caught.value
    assert (error.rule, error.topic, error.signer, error.cleared_by) == (
        "needs clearance", "overarching", "daglig_leder", ("styreleder",))


def test_a_board_member_needs_clearance(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match=r"after conferring with chair of the board or "
                                          r"managing director$") as caught:
        resolve_signer(osen.plan, osen, topic="daily", signer_role="liv-orsjodal")
    # the person named signs; the "*" rule names both clearing roles, in the plan's order
    assert (caught.value.rule, caught.value.signer, caught.value.cleared_by) == (
        "needs clearance", "liv-orsjodal", ("styreleder", "daglig_leder"))


def test_a_board_member_with_clearance_signs_and_the_clearance_is_recorded(
        osen: Workspace) -> None:
    sig = resolve_signer(osen.plan, osen, topic="overarching", signer_role="liv-orsjodal",
                         cleared_by="styreleder")
    assert (sig.role, sig.stakeholder, sig.cleared_by) == ("styremedlem", "liv-orsjodal",
                                                           "styreleder")
    assert "etter å ha konferert med styreleder eller daglig leder" in sig.rule
    assert sig.note.endswith("Avklart med styreleder.")


def test_staff_with_clearance_sign_and_roles_go_by_name_or_alias(osen: Workspace) -> None:
    sig = resolve_signer(osen.plan, osen, topic="daily", signer_role="jonas-strand",
                         cleared_by="Daglig leder")
    assert (sig.role, sig.stakeholder, sig.cleared_by) == ("ansatt", "jonas-strand",
                                                           "daglig_leder")
    assert resolve_signer(osen.plan, osen, topic="daily",
                          signer_role="Dagleg leiar").stakeholder == "marius-hovik"


def test_the_clearing_role_must_be_one_the_rule_names(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match="must confer with styreleder or daglig_leder"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="jonas-strand",
                       cleared_by="ordforer")


def test_an_unknown_clearing_role_is_invalid_input(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="the clearing role 'kongen' is not a role") as caught:
        resolve_signer(osen.plan, osen, topic="daily", signer_role="jonas-strand",
                       cleared_by="kongen")
    assert caught.value.field == "cleared_by"


def test_a_role_several_people_hold_asks_for_the_person(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="several stakeholders hold the role 'styremedlem'"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="styremedlem",
                       cleared_by="daglig_leder")


def test_a_person_without_a_speaking_role_is_refused(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match=r"Astrid Lian .* holds no role"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="astrid-lian")


def test_an_unknown_signer_is_invalid_input(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="neither a role of the plan"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="nobody-here")


def test_a_role_nobody_holds_is_not_found(osen: Workspace) -> None:
    people = [s for s in osen.store.stakeholders() if "daglig_leder" not in s.roles]
    with pytest.raises(NotFound, match="nobody in the register holds the role 'daglig_leder'"):
        resolve_signer(osen.plan, people, topic="daily")


def test_a_list_of_stakeholders_works_as_the_directory(osen: Workspace) -> None:
    people = [Stakeholder(id="kari", name="Kari Nordmann", roles=("daglig_leder",),
                          email="kari@example.org")]
    sig = resolve_signer(osen.plan, people, topic="daily")
    assert isinstance(sig, Signature)
    assert (sig.stakeholder, sig.organisation) == ("kari", None)


# --- significant events -------------------------------------------------------------------


def test_notification_list_follows_the_plan_with_contact_details(osen: Workspace) -> None:
    found = notification_list(osen)
    assert [(n.order, n.role, n.title) for n in found] == [
        (1, "styreleder", "Styreleder"), (2, "daglig_leder", "Daglig leder"),
        (3, "ordforer", "Ordfører"), (4, "radmann", "Rådmann"),
    ]
    people = [[(p.id, p.email, p.phone) for p in n.people] for n in found]
    assert people == [
        [("solveig-aune", "solveig.aune@osen-omstilling.no", "+47 421 66 605")],
        [("marius-hovik", "marius.hovik@osen-omstilling.no", "+47 426 90 909")],
        [("astrid-lian", "astrid.lian@osen.kommune.example", "+47 415 62 287")],
        [("per-olav-moe", "per.moe@osen.kommune.example", "+47 926 29 981")],
    ]
    assert found[2].people[0].organisation == "Osen kommune"


def test_a_role_nobody_holds_is_listed_with_nobody(osen: Workspace) -> None:
    rådmann = osen.store.stakeholder("per-olav-moe")
    import attrs

    osen.store._update_stakeholder(attrs.evolve(rådmann, roles=()))
    found = notification_list(osen)
    assert found[3].role == "radmann"
    assert found[3].people == ()


# --- the rules read as written: the table in docs/information-responsibility.md -----------

DOC = Path(__file__).resolve().parents[1] / "docs" / "information-responsibility.md"

#: Why a row is refused, and what the refusal says.
REFUSALS = {
    "a political matter": "forbids the programme to speak on matters of a political nature",
    "needs clearance": "only after conferring with",
    "clears own statement": "nobody clears their own statement",
    "not a clearing role": "must confer with",
    "not the programme's own": "programme's own",
}


#: The table's reason → :attr:`PolicyError.rule`.
RULES = {
    "a political matter": "forbidden topic",
    "needs clearance": "needs clearance",
    "clears own statement": "clears own statement",
    "not a clearing role": "not a clearing role",
    "not the programme's own": "not the programme's own",
}


def _cell(text: str) -> str | None:
    text = text.strip()
    return None if text == "—" else text.strip("`")


def _table_rows() -> list[tuple[str | None, str, str | None, str]]:
    """(signer, topic, cleared with, outcome) of each row of the doc's table."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## The rules, case by case"):]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    assert lines[0] == "| signer | topic | cleared with | outcome |"
    rows = []
    for line in lines[1:]:
        signer, topic, cleared, outcome = line.strip("|").split("|")
        top = _cell(topic)
        assert top is not None
        rows.append((_cell(signer), top, _cell(cleared), outcome.strip()))
    return rows


TABLE = _table_rows()


@pytest.fixture(scope="module")
def osen_as_is(osen_folder: Path) -> Iterator[Workspace]:
    """The Osen example, read only: resolving a signer writes nothing."""
    ws = Workspace(osen_folder)
    yield ws
    ws.close()


def test_the_table_has_a_row_for_each_case_the_issue_names() -> None:
    cases = {(s, t, c): o for s, t, c, o in TABLE}
    # the styreleder on a daily letter, with the daglig leder's clearance
    assert cases[("styreleder", "daily", "daglig_leder")] == "signs as `styreleder`"
    # the daglig leder on an overarching letter, with the styreleder's clearance
    assert cases[("daglig_leder", "overarching", "styreleder")] == "signs as `daglig_leder`"
    # a prosjektleder, a role no rule names
    assert cases[("prosjektleder", "daily", "daglig_leder")] == "signs as `prosjektleder`"
    # political matters: refused for every signer in the table
    signers = {s for s, _, _, _ in TABLE}
    political = {s for s, t, _, o in TABLE if t == "political"
                 and o == "refused: a political matter"}
    assert political >= {None, "daglig_leder", "styreleder", "liv-orsjodal", "prosjektleder"}
    assert len(TABLE) == 28 and len(signers) == 9


@pytest.mark.parametrize(("signer", "topic", "cleared", "outcome"), TABLE,
                         ids=[" ".join(str(c) for c in row) for row in TABLE])
def test_the_table_of_information_responsibility(
        osen_as_is: Workspace, signer: str | None, topic: str, cleared: str | None,
        outcome: str) -> None:
    plan = osen_as_is.plan
    if outcome.startswith("signs as "):
        role = outcome.removeprefix("signs as ").strip("`")
        sig = resolve_signer(plan, osen_as_is, topic=topic, signer_role=signer,
                             cleared_by=cleared)
        assert (sig.role, sig.topic, sig.cleared_by) == (role, topic, cleared)
        assert role in osen_as_is.store.stakeholder(sig.stakeholder).roles
        if signer is not None and signer not in {r.key for r in plan.roles}:
            assert sig.stakeholder == signer  # a person signs as themselves
        if cleared:
            assert sig.note.endswith(f"Avklart med {plan.role(cleared).name.lower()}.")
    else:
        reason = outcome.removeprefix("refused: ")
        with pytest.raises(PolicyError, match=REFUSALS[reason]) as caught:
            resolve_signer(plan, osen_as_is, topic=topic, signer_role=signer,
                           cleared_by=cleared)
        # the error says which rule refused, on which topic, whom: as the row does
        error = caught.value
        assert (error.rule, error.topic, error.signer) == (RULES[reason], topic, signer)


def test_a_spokesperson_on_the_others_matter_records_a_rule_in_its_words(
        osen_as_is: Workspace) -> None:
    with i18n.using("nb"):  # the rule in the words of the language asked for
        sig = resolve_signer(osen_as_is.plan, osen_as_is, topic="daily",
                             signer_role="styreleder", cleared_by="daglig_leder")
    assert sig.rule == ("Styreleder uttaler seg om løpende aktiviteter etter å ha konferert "
                        "med daglig leder (informasjonsansvar)")
    english = resolve_signer(osen_as_is.plan, osen_as_is, topic="daily",
                             signer_role="styreleder", cleared_by="daglig_leder")
    # in English the plan's names too (the Osen plan gives them in en)
    assert english.rule == ("Chair of the board speaks on day-to-day activities after "
                            "conferring with managing director (information responsibility)")
    assert sig.note == ("Signert av Solveig Aune (Styreleder) etter regelen: " + sig.rule
                        + ". Avklart med daglig leder.")


SPEAKING = """\
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01

[[roles]]
key = "leiar"
name = "Prosjektleiar"
programme = true

[[roles]]
key = "styreleiar"
name = "Styreleiar"
programme = true

[[roles]]
key = "radgjevar"
name = "Rådgjevar"
programme = true

[[roles]]
key = "ordforar"
name = "Ordførar"

[[topics]]
key = "daily"
name = "Daglege saker"

[[topics]]
key = "overarching"
name = "Overordna saker"

[information]
notify = ["styreleiar", "leiar", "ordforar"]

[[information.rules]]
topic = "daily"
roles = ["leiar"]

[[information.rules]]
topic = "overarching"
roles = ["styreleiar"]
"""

PEOPLE = [Stakeholder("pl", "Pia Leiar", roles=("leiar",)),
          Stakeholder("sl", "Sara Styreleiar", roles=("styreleiar",)),
          Stakeholder("rg", "Rune Rådgjevar", roles=("radgjevar",)),
          Stakeholder("of", "Odd Ordførar", roles=("ordforar",))]


def test_spokespersons_cross_over_with_no_rule_for_it_in_the_plan() -> None:
    plan = parse_plan(SPEAKING)
    sig = resolve_signer(plan, PEOPLE, topic="overarching", signer_role="leiar",
                         cleared_by="styreleiar")
    assert (sig.stakeholder, sig.cleared_by) == ("pl", "styreleiar")
    with pytest.raises(PolicyError, match=r"only after conferring with prosjektleiar$"):
        resolve_signer(plan, PEOPLE, topic="daily", signer_role="styreleiar")
    # a role no rule covers, in a plan without a "*" rule, is refused with who may
    with pytest.raises(PolicyError, match=r"Rådgjevar may not sign .* may: leiar"):
        resolve_signer(plan, PEOPLE, topic="daily", signer_role="radgjevar",
                       cleared_by="leiar")


def test_a_star_rule_covers_every_programme_role_no_rule_names() -> None:
    plan = parse_plan(SPEAKING + """
[[information.rules]]
topic = "*"
roles = ["*"]
cleared_by = ["leiar", "styreleiar"]
""")
    with i18n.using("nn"):
        sig = resolve_signer(plan, PEOPLE, topic="daily", signer_role="rg", cleared_by="leiar")
    assert (sig.role, sig.stakeholder) == ("radgjevar", "rg")
    assert sig.rule == ("Rådgjevar uttalar seg om daglege saker etter å ha konferert med "
                        "prosjektleiar eller styreleiar (informasjonsansvar)")
    # the ordførar holds no programme role: "*" does not reach the municipality's leaders
    with pytest.raises(PolicyError, match=r"Odd Ordførar .* holds no role of the programme"):
        resolve_signer(plan, PEOPLE, topic="daily", signer_role="of", cleared_by="leiar")


def test_a_rule_naming_someone_outside_the_programme_is_a_plan_error() -> None:
    text = SPEAKING + """
[[information.rules]]
topic = "*"
roles = ["radgjevar", "ordforar", "*"]
cleared_by = ["leiar"]
"""
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    problems = [(p.path, p.message) for p in caught.value.problems]
    assert problems == [("information.rules[2].roles[1]",
                         "'ordforar' is not one of the programme's own roles (programme = "
                         "true): the information rules bind only the programme's own people")]


# --- the notice of a significant event ----------------------------------------------------

#: Ways of asking the notified to clear what they say with the programme first.
ASKS_FOR_CLEARANCE = re.compile(r"avklar|klarer|godkjen|før (de|dere|dykk) uttal|ber om at",
                                re.IGNORECASE)


def _notices(ws: Workspace, out: Path) -> dict[str, str]:
    notice = notify(ws, "Brann i lokalene", out=out, as_of=dt.date(2026, 11, 26))
    assert notice.run is not None and notice.run.letters
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))}


def test_the_osen_notice_informs_and_offers_coordination(osen: Workspace,
                                                         tmp_path: Path) -> None:
    notices = _notices(osen, tmp_path / "varsel")
    # the signer (the daglig leder) gets none; the styreleder, ordfører and rådmann do
    assert sorted(notices) == ["astrid-lian", "per-olav-moe", "solveig-aune"]
    for text in notices.values():
        assert not ASKS_FOR_CLEARANCE.search(text), text
        assert "Vi holder dere orientert om hvordan saken utvikler seg" in text
        assert "tar gjerne en samtale om hvordan vi hver for oss informerer videre" in text
        assert "For omstillingsorganisasjonen er styreleder talsperson" in text


def test_the_built_in_notice_informs_and_offers_coordination(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root).close()
    with Workspace(root) as ws:
        ws.store._add_stakeholder(Stakeholder("dl", "Dagny Leder", roles=("daglig_leder",),
                                             email="dl@example.org"))
        ws.store._add_stakeholder(Stakeholder("sl", "Sverre Leder", roles=("styreleder",)))
        notices = _notices(ws, tmp_path / "varsel")
    assert list(notices) == ["sl"]
    assert not ASKS_FOR_CLEARANCE.search(notices["sl"])
    assert "koordinerer gjerne hvordan hendelsen omtales utad" in notices["sl"]


def test_the_kystby_notice_informs_and_offers_coordination(tmp_path: Path) -> None:
    from interessent.workspace import example_path

    with init_workspace(tmp_path / "kystby", source=example_path("kystby")) as ws:
        notices = _notices(ws, tmp_path / "varsel")
    assert notices
    for text in notices.values():
        assert not ASKS_FOR_CLEARANCE.search(text), text
        assert "samordnar gjerne korleis hendinga blir omtalt utetter" in text


def test_no_notice_template_asks_the_notified_to_clear_their_statements() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [*sorted((root / "src" / "interessent" / "templates").glob("hendelse*.j2")),
             *sorted((root / "examples").glob("*/templates/hendelse*.j2"))]
    assert len(files) == 5  # the built-in one; Osen's in nb, nn and en; Kystby's
    for path in files:
        body = path.read_text(encoding="utf-8").split("#}", 1)[-1]
        assert not ASKS_FOR_CLEARANCE.search(body), path
