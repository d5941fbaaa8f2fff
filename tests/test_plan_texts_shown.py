"""Plan texts given per language reach the output in the language shown (an outside
tester's findings after issue 12): role names in ``notify``, the signature line of
``draft`` and the signer's error; topic, phase and channel names, the report's recipients
and the information-responsibility rules' text may be given per language too.

Run the way the tester ran them: the CLI on a copy of the Osen example, ``--lang``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from interessent import Stakeholder, Workspace, i18n, parse_plan, resolve_signer
from interessent.cli import cli

OSEN = Path(__file__).resolve().parents[1] / "examples" / "osen"


def _run(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("language", "chair", "director"), [
    ("en", "Chair of the board", "Managing director"),
    ("nn", "Styreleiar", "Dagleg leiar"),
    ("nb", "Styreleder", "Daglig leder"),
])
def test_notify_names_the_roles_in_the_language_shown(osen: Workspace, language: str,
                                                      chair: str, director: str) -> None:
    code, out, _ = _run(osen, "--lang", language, "notify", "Brann på kaia")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith(f"  1. {chair}: Solveig Aune")
    assert lines[2].startswith(f"  2. {director}: Marius Høvik")


def test_the_signature_line_is_in_english_with_the_plans_english_texts(
        osen: Workspace) -> None:
    code, out, _ = _run(osen, "--lang", "en", "draft", "opinionsleder", "-s", "arvid-aune",
                        "--dry-run")
    assert code == 0
    signed = [line for line in out.splitlines() if line.startswith("Signed by")]
    assert signed == [
        "Signed by Marius Høvik (Managing director) on day-to-day activities; rule: The "
        "managing director of the development organisation is responsible for the "
        "day-to-day communication and information work, including speaking on day-to-day "
        "activities that are not of an overarching nature."]
    for norwegian in ("Daglig leder", "løpende", "ansvarlig"):
        assert norwegian not in out


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Error: Board member may speak on day-to-day activities only after conferring "
           "with chair of the board or managing director"),
    ("nn", "Feil: Styremedlem kan uttale seg om løpande aktivitetar berre etter å ha "
           "konferert med styreleiar eller dagleg leiar"),
])
def test_the_signers_error_is_one_language(osen: Workspace, language: str,
                                           expected: str) -> None:
    code, _, err = _run(osen, "--lang", language, "draft", "opinionsleder", "-s",
                          "marius-hovik", "--signer", "styremedlem", "--dry-run")
    assert code == 1
    assert err.startswith(expected)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_signature_keeps_every_language_for_letters(osen: Workspace) -> None:
    """The library's signature holds the plan's texts whole; ``localized`` reads each."""
    sig = resolve_signer(osen.plan, osen, topic="daily")
    assert i18n.localized(sig.title, "nn") == "Dagleg leiar"
    assert i18n.localized(sig.topic_name, "en") == "Day-to-day activities"
    assert i18n.localized(sig.rule, "nn").startswith("Dagleg leiar i omstillingsorganisasjonen")
    # where no language is asked for, the plan's own (bokmål)
    assert str(sig.title) == "Daglig leder"


PLAN = """
[programme]
name = "Prøve"
municipality = "Prøve kommune"
start = 2026-01-01
end = 2026-12-31
language = "nb"

[[phases]]
key = "start"
name = { nb = "Oppstartsåret", nn = "Oppstartsåret", en = "The start-up year" }
start = 2026-01-01
end = 2026-06-30

[[channels]]
key = "web"
name = { nb = "Hjemmeside", nn = "Heimeside", en = "Website" }
kind = "website"

[[roles]]
key = "leder"
name = { nb = "Daglig leder", en = "Managing director" }
programme = true

[[topics]]
key = "daily"
name = { nb = "Løpende saker", nn = "Løpande saker", en = "Daily matters" }

[information]
notify = ["leder"]

[[information.rules]]
topic = "daily"
roles = ["leder"]
description = { nb = "Daglig leder uttaler seg.", en = "The director speaks." }

[report]
recipients = { nb = "Kommunestyret", nn = "Kommunestyret", en = "The council" }
"""


def test_plan_texts_that_reach_output_take_a_table_per_language() -> None:
    plan = parse_plan(PLAN)  # "expected text, not dict" before
    assert [i18n.localized(p.name, "en") for p in plan.phases] == ["The start-up year"]
    assert [i18n.localized(c.name, "nn") for c in plan.channels] == ["Heimeside"]
    assert [i18n.localized(t.name, "en") for t in plan.topics] == ["Daily matters"]
    assert i18n.localized(plan.information.rules[0].description, "en") == "The director speaks."
    assert i18n.localized(plan.report.recipients, "en") == "The council"
    # shown in the plan's language where none is asked for
    assert (str(plan.phases[0].name), str(plan.report.recipients)) == (
        "Oppstartsåret", "Kommunestyret")


def test_a_topic_is_found_by_its_name_in_any_language() -> None:
    plan = parse_plan(PLAN)
    leader = Stakeholder(id="ola", name="Ola Nordmann", roles=("leder",))
    for name in ("daily", "Løpende saker", "Daily matters", "løpande saker"):
        sig = resolve_signer(plan, [leader], topic=name)
        assert sig.topic == "daily"


def test_the_plan_check_of_the_examples_passes() -> None:
    for example in ("osen", "kystby"):
        folder = OSEN.parent / example
        result = CliRunner().invoke(cli, ["-w", str(folder), "plan", "check"])
        assert result.exit_code == 0, result.output
