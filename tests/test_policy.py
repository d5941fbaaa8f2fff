"""Information responsibility: who signs on which topic, and whom to notify."""

from __future__ import annotations

import pytest

from interessent.errors import InteressentError, InvalidInput, NotFound
from interessent.model import Stakeholder
from interessent.policy import PolicyError, Signature, notification_list, resolve_signer
from interessent.workspace import Workspace

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


def test_the_daglig_leder_may_not_sign_on_overarching_matters(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match="Daglig leder may not sign") as caught:
        resolve_signer(osen.plan, osen, topic="overarching", signer_role="daglig_leder")
    assert "styreleder (on their own authority)" in str(caught.value)


def test_a_board_member_needs_clearance(osen: Workspace) -> None:
    with pytest.raises(PolicyError, match="--cleared-by styreleder or daglig_leder"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="liv-orsjodal")


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
    with pytest.raises(InvalidInput, match="--cleared-by 'kongen'"):
        resolve_signer(osen.plan, osen, topic="daily", signer_role="jonas-strand",
                       cleared_by="kongen")


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

    osen.store.update_stakeholder(attrs.evolve(rådmann, roles=()))
    found = notification_list(osen)
    assert found[3].role == "radmann"
    assert found[3].people == ()
