"""Drafting letters: formats, tailoring, safety, information responsibility, recording."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from interessent import drafting
from interessent.cli import cli
from interessent.coverage import check_commitments, coverage
from interessent.drafting import (
    DraftWriteError,
    LetterFormat,
    Record,
    TemplateProblem,
    TemplateSecurityError,
    draft,
    letter_context,
    list_templates,
    notify,
    output,
    safe_filename,
    template_source,
)
from interessent.errors import InteressentError, InvalidInput, NotFound
from interessent.graph import rank_leaders
from interessent.model import Stakeholder
from interessent.periods import Period, Unit
from interessent.policy import PolicyError
from interessent.rules import is_member
from interessent.workspace import Workspace

AS_OF = dt.date(2026, 11, 26)
YEAR = Period.year(2026)
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture
def template(osen: Workspace) -> Callable[[str, str], Path]:
    """Writes a template file into the workspace's templates/ folder."""

    def write(name: str, text: str) -> Path:
        path = osen.templates_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _last_contact(ws: Workspace, sid: str) -> tuple[dt.date, str | None]:
    done = [i for i in ws.store.interactions(stakeholder=sid, end=AS_OF)]
    last = max(done, key=lambda i: (i.date, i.id))
    return last.date, last.topic


def _add(ws: Workspace, stakeholder: Stakeholder) -> None:
    ws.store._add_stakeholder(stakeholder)


def _flag(ws: Workspace, sid: str, flag: str) -> None:
    """Mark a stakeholder opted out or restricted (as the GDPR commands do)."""
    from sqlalchemy import text

    assert flag in ("opted_out", "restricted")
    with ws.store.write() as session:
        session.execute(text(f"UPDATE stakeholders SET {flag} = :yes WHERE id = :id"),
                        {"yes": True, "id": sid})


# --- formats ------------------------------------------------------------------------------


def test_markdown_letters_one_file_each(osen: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat", "astrid-lian"], out=out,
                as_of=AS_OF)
    assert _files(out) == ["astrid-lian.md", "osen-sjomat.md"]
    assert [letter.path for letter in run.letters] == [out / "osen-sjomat.md",
                                                       out / "astrid-lian.md"]
    text = (out / "astrid-lian.md").read_text(encoding="utf-8")
    assert text == run.letters[1].content
    assert "<!--" not in text and "Signert av" not in text  # no provenance for the reader
    assert text.startswith("Steinsdalen, 26. november 2026") or "interessent" not in text
    assert "Steinsdalen, 26. november 2026" in text
    assert "## Invitasjon til dialogmøte med næringslivet i Osen" in text
    assert "Astrid Lian  \nOsen kommune  \nTunvegen 42  \n7740 Steinsdalen" in text
    assert "Hei Astrid," in text
    assert text.rstrip().endswith("+47 426 90 909 · marius.hovik@osen-omstilling.no")


def test_the_default_folder_is_utkast_template_date(osen: Workspace) -> None:
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], as_of=AS_OF)
    assert run.out == osen.root / "utkast" / "dialogmote-2026-11-26"
    assert _files(run.out) == ["osen-sjomat.md"]


def test_plain_text_ends_with_the_signature_not_the_rule(osen: Workspace,
                                                         tmp_path: Path) -> None:
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="txt",
                out=tmp_path / "out", as_of=AS_OF, record=True)
    text = (tmp_path / "out" / "osen-sjomat.txt").read_text(encoding="utf-8")
    assert "##" not in text and "  \n" not in text
    assert "Invitasjon til dialogmøte med næringslivet i Osen\n\nTil Osen Sjømat AS" in text
    # the recipient reads the letter, not who signed under which rule …
    assert "[interessent" not in text and "etter regelen" not in text
    assert text.rstrip().endswith("+47 426 90 909 · marius.hovik@osen-omstilling.no")
    # … which the journal keeps
    [logged] = run.recorded
    [item] = osen.store.interactions(ids=[logged])
    note = item.notes
    assert note == run.signature.note
    assert note.startswith("Signert av Marius Høvik (Daglig leder) etter regelen: ")


def test_html_uses_the_html_variant_and_escapes_data(osen: Workspace, tmp_path: Path) -> None:
    sjomat = osen.store.stakeholder("osen-sjomat")
    osen.store._update_stakeholder(attrs.evolve(sjomat, name="Osen <script>alert(1)</script> AS"))
    draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="html", out=tmp_path / "out",
          as_of=AS_OF)
    html = (tmp_path / "out" / "osen-sjomat.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "Osen &lt;script&gt;alert(1)&lt;/script&gt; AS" in html
    assert "<h1>Invitasjon til dialogmøte med næringslivet i Osen</h1>" in html
    assert '<p class="dateline">Steinsdalen, 26. november 2026</p>' in html
    assert "<!--" not in html and "Signert av" not in html


def test_html_without_an_html_variant_is_the_text_escaped(osen: Workspace,
                                                          tmp_path: Path) -> None:
    garnes = osen.store.stakeholder("turid-garnes")
    osen.store._update_stakeholder(attrs.evolve(garnes, name="Turid <b>Garnes</b>"))
    draft(osen, "grunder", stakeholders=["turid-garnes"], fmt="html", out=tmp_path / "out",
          as_of=AS_OF)
    html = (tmp_path / "out" / "turid-garnes.html").read_text(encoding="utf-8")
    assert "<b>" not in html and "Turid &lt;b&gt;Garnes&lt;/b&gt;" in html
    # Turid writes nynorsk: the nynorsk variant
    assert "<title>Tilbod til deg som vil flytte eller starte bedrift i Osen</title>" in html
    assert "<p>Hei Turid,</p>" in html


def test_eml_is_a_mime_message_with_text_and_html(osen: Workspace, tmp_path: Path) -> None:
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="eml",
                out=tmp_path / "out", as_of=AS_OF)
    data = (tmp_path / "out" / "osen-sjomat.eml").read_bytes()
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["To"] == "Osen Sjømat AS <post@osen-sjomat.example>"
    assert msg["From"] == "Marius Høvik <marius.hovik@osen-omstilling.no>"
    assert msg["Subject"] == "Invitasjon til dialogmøte med næringslivet i Osen"
    # machine data in English keys, ASCII: no bokmål rule text in the headers
    assert msg["X-Interessent-Signer"] == "stakeholder=marius-hovik; role=daglig_leder"
    assert msg["X-Interessent-Rule"] == f"topic={run.signature.topic}; role=daglig_leder"
    assert msg["X-Interessent-Template"] == "dialogmote.j2"
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"Signert" not in head and b"=?utf-8?" not in head.split(b"X-Unsent", 1)[1]
    assert msg["X-Unsent"] == "1"
    assert msg.get_content_type() == "multipart/alternative"
    plain_part, html_part = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain_part is not None and html_part is not None
    plain = plain_part.get_content().replace("\r\n", "\n")
    html = html_part.get_content().replace("\r\n", "\n")
    assert plain.startswith("Til Osen Sjømat AS\n")  # no letterhead in an e-mail
    assert "Tid og sted kommer i en egen melding." in plain  # no deadline of the plan
    assert "<p>Til Osen Sjømat AS</p>" in html


def test_eml_without_an_html_variant_is_plain_text(osen: Workspace, tmp_path: Path) -> None:
    draft(osen, "grunder", stakeholders=["turid-garnes"], fmt="eml", out=tmp_path / "out",
          as_of=AS_OF)
    msg = email.message_from_bytes((tmp_path / "out" / "turid-garnes.eml").read_bytes(),
                                   policy=email.policy.default)
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content().startswith("Hei Turid,")


def test_docx_without_a_word_template_is_a_plain_document(osen: Workspace,
                                                          tmp_path: Path) -> None:
    import docx

    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="docx",
                out=tmp_path / "out", as_of=AS_OF)
    doc = docx.Document(str(tmp_path / "out" / "osen-sjomat.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Steinsdalen, 26. november 2026" in texts
    assert "Til Osen Sjømat AS" in texts
    subject = next(p for p in doc.paragraphs
                   if p.text == "Invitasjon til dialogmøte med næringslivet i Osen")
    assert all(r.bold for r in subject.runs)
    assert doc.core_properties.author == "Marius Høvik"
    assert doc.core_properties.comments == ""  # no rule text where the reader can look
    assert isinstance(run.letters[0].content, bytes)


def _word_template(path: Path, lines: list[str]) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("OSEN OMSTILLING AS – brevpapir")
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))


def test_docx_uses_the_workspaces_word_template(osen: Workspace, tmp_path: Path) -> None:
    import docx

    _word_template(osen.templates_path / "dialogmote.docx",
                   ["{{ recipient.name }}", "{{ today_text }}", "{{ subject }}", "{{ body }}",
                    "{{ signer.name }}, {{ signer.title }}"])
    draft(osen, "dialogmote", stakeholders=["astrid-lian"], fmt="docx", out=tmp_path / "out",
          as_of=AS_OF)
    texts = [p.text for p in docx.Document(str(tmp_path / "out" / "astrid-lian.docx")).paragraphs]
    assert texts[:4] == ["OSEN OMSTILLING AS – brevpapir", "Astrid Lian", "26. november 2026",
                         "Invitasjon til dialogmøte med næringslivet i Osen"]
    # the body block, one Word paragraph per paragraph of text
    assert texts[4].startswith("Omstillingsprogrammet i Osen inviterer deg og Osen kommune")
    assert "Tid og sted kommer i en egen melding." in texts
    assert texts[-1] == "Marius Høvik, Daglig leder"
    assert "Hei Astrid," not in texts  # the letterhead decides the layout, not base.j2


def test_a_generic_letter_docx_is_the_fallback_letterhead(osen: Workspace,
                                                          tmp_path: Path) -> None:
    import docx

    _word_template(osen.templates_path / "letter.docx", ["{{ text }}"])
    draft(osen, "grunder", stakeholders=["turid-garnes"], fmt="docx", out=tmp_path / "out",
          as_of=AS_OF)
    texts = [p.text for p in docx.Document(str(tmp_path / "out" / "turid-garnes.docx")).paragraphs]
    assert texts[0] == "OSEN OMSTILLING AS – brevpapir"
    assert "Hei Turid," in texts


def test_a_misspelt_field_in_a_word_template_writes_nothing(osen: Workspace,
                                                            tmp_path: Path) -> None:
    _word_template(osen.templates_path / "dialogmote.docx", ["{{ recipient.nmae }}"])
    with pytest.raises(TemplateProblem, match=r"template dialogmote\.docx: unknown field "
                                              r"'recipient\.nmae' — did you mean 'name'"):
        draft(osen, "dialogmote", stakeholders=["astrid-lian"], fmt="docx",
              out=tmp_path / "out", as_of=AS_OF)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "docx"])
def test_combined_puts_every_letter_in_one_file(osen: Workspace, tmp_path: Path,
                                                fmt: LetterFormat) -> None:
    out = tmp_path / "out"
    run = draft(osen, "dialogmote", stakeholders=["osen-sjomat", "astrid-lian", "turid-lund"],
                fmt=fmt, combined=True, out=out, as_of=AS_OF)
    assert _files(out) == [f"dialogmote.{fmt}"]
    assert {letter.path for letter in run.letters} == {out / f"dialogmote.{fmt}"}
    if fmt == "docx":
        import docx

        texts = [p.text for p in docx.Document(str(out / "dialogmote.docx")).paragraphs]
        assert {"Til Osen Sjømat AS", "Hei Astrid,", "Hei Turid,"} <= set(texts)
        return
    text = (out / f"dialogmote.{fmt}").read_text(encoding="utf-8")
    for greeting in ("Til Osen Sjømat AS", "Hei Astrid,", "Hei Turid,"):
        assert greeting in text
    breaks = {"md": "page-break-after", "txt": "\f", "html": '<section class="letter"'}
    assert text.count(breaks[fmt]) >= (2 if fmt != "html" else 3)


def test_combined_eml_is_refused(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="a combined file is one file for printing") as caught:
        draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="eml", combined=True)
    assert caught.value.field == "combined"


# --- tailoring ----------------------------------------------------------------------------


def test_recipients_in_different_groups_and_languages_get_different_letters(
        osen: Workspace) -> None:
    run = draft(osen, "dialogmote", stakeholders=["turid-lund", "astrid-lian"], as_of=AS_OF,
                write=False)
    nynorsk, bokmal = (letter.content for letter in run.letters)
    assert isinstance(nynorsk, str) and isinstance(bokmal, str)
    assert [letter.language for letter in run.letters] == ["nn", "nb"]
    assert [letter.template for letter in run.letters] == ["dialogmote.nn.j2", "dialogmote.j2"]
    # language: the nynorsk variant, with nynorsk salutation forms and the same dates
    assert "Med venleg helsing" in nynorsk and "Med vennlig hilsen" in bokmal
    assert "Tid og stad kjem i ei eiga melding." in nynorsk
    assert "Tid og sted kommer i en egen melding." in bokmal
    for text in (nynorsk, bokmal):
        assert "Steinsdalen, 26. november 2026" in text
    # passages for the recipient's roles and groups
    assert "Som dagleg leiar i Osen Landbruksservice AS" in nynorsk
    assert "Som daglig leder" not in bokmal
    assert "Kommunens politiske og administrative ledelse er invitert" in bokmal
    assert "leiinga i kommunen er invitert" not in nynorsk
    # the last contact of each, from the log
    for sid, text in (("turid-lund", nynorsk), ("astrid-lian", bokmal)):
        day, topic = _last_contact(osen, sid)
        from babel.dates import format_date

        assert f"{format_date(day, 'long', locale='nb_NO')} om «{topic}»" in text
    # the same signer for both, the role named in the letter's language
    assert "Marius Høvik  \nDagleg leiar, Osen Omstilling AS" in nynorsk
    assert "Marius Høvik  \nDaglig leder, Osen Omstilling AS" in bokmal


def test_salutation_to_a_person_and_to_an_organisation(osen: Workspace) -> None:
    person = letter_context(osen, "dialogmote", "astrid-lian", as_of=AS_OF)
    org = letter_context(osen, "dialogmote", "osen-sjomat", as_of=AS_OF)
    english = letter_context(osen, "dialogmote", "nordic-blue-ventures", as_of=AS_OF)
    assert person["salutation"] == "Hei Astrid,"
    assert org["salutation"] == "Til Osen Sjømat AS"
    # the English variant, dates in English
    assert english["letter"]["language"] == "en"
    assert english["recipient"]["language"] == "en"
    assert english["salutation"] == "To Nordic Blue Ventures AB"
    assert english["today_text"] == "26 November 2026"


def test_an_english_variant_is_used_for_english_recipients(osen: Workspace,
                                                           template: Callable[..., Path]) -> None:
    template("dialogmote.en.j2", '{% extends "base.j2" %}{% block body %}Meeting.{% endblock %}')
    ctx = letter_context(osen, "dialogmote", "nordic-blue-ventures", as_of=AS_OF)
    assert ctx["letter"]["file"] == "dialogmote.en.j2"
    assert ctx["salutation"] == "To Nordic Blue Ventures AB"
    assert ctx["closing"] == "Kind regards"
    assert ctx["today_text"] == "26 November 2026"


def test_flags_for_groups_and_roles(osen: Workspace) -> None:
    ctx = letter_context(osen, "dialogmote", "turid-lund", as_of=AS_OF)
    recipient = ctx["recipient"]
    plan = osen.plan
    assert isinstance(recipient["in_group"], Record)
    assert {g.key: recipient["in_group"][g.key] for g in plan.groups} == {
        g.key: is_member(osen.store.stakeholder("turid-lund"), g) for g in plan.groups}
    assert recipient["has_role"]["daglig_leder_bedrift"] is True
    assert recipient["has_role"]["ordforer"] is False
    assert recipient["organisation"] == "Osen Landbruksservice AS"
    # Turid writes nynorsk: the role's name in nynorsk, as the plan gives it
    assert recipient["roles"] == ("Dagleg leiar (bedrift)",)


def test_success_stories_are_the_relevant_recent_ones(osen: Workspace) -> None:
    since = AS_OF - dt.timedelta(days=365)
    stories = [i for i in osen.store.interactions(start=since, end=AS_OF) if i.success]
    people = {s.id: s for s in osen.store.stakeholders()}
    groups = {sid: {g.key for g in osen.plan.groups if is_member(s, g)}
              for sid, s in people.items()}

    def relevant(sid: str) -> list[str]:
        s = people[sid]
        near = {sid} | ({s.organisation} if s.organisation else set())
        found = []
        for i in stories:
            touched = set(i.groups)
            involved = set(i.participants) | ({i.host} if i.host else set())
            for who in set(involved):
                touched |= groups[who]
                if org := people[who].organisation:
                    involved.add(org)
            if touched & groups[sid] or involved & near:
                found.append(i)
        found.sort(key=lambda i: (i.date, i.id), reverse=True)
        return [i.id for i in found]

    for sid in ("turid-lund", "henrik-hovik", "anders-aune", "kmd"):
        ctx = letter_context(osen, "dialogmote", sid, as_of=AS_OF)
        assert [s["id"] for s in ctx["success_stories"]] == relevant(sid), sid
    # a journalist in no target group: no relevant story, but every recent one is there
    ctx = letter_context(osen, "suksesshistorie", "anders-aune", as_of=AS_OF)
    assert ctx["success_stories"] == ()
    assert [s["id"] for s in ctx["all_success_stories"]] == [
        i.id for i in sorted(stories, key=lambda i: (i.date, i.id), reverse=True)]


def test_next_commitment_is_the_nearest_due_of_the_recipients_groups(osen: Workspace) -> None:
    statuses = {c.id: c for c in check_commitments(osen, YEAR, as_of=AS_OF)}
    ctx = letter_context(osen, "dialogmote", "turid-lund", as_of=AS_OF)
    groups = set(ctx["recipient"]["group_keys"])
    urgent = [c for c in statuses.values() if set(c.groups) & groups and c.due
              and c.status.value in ("due", "behind", "overdue")]
    expected = min(urgent, key=lambda c: (c.due, [x.id for x in osen.plan.commitments].index(c.id)))
    nxt = ctx["next_commitment"]
    assert (nxt["id"], nxt["due"], nxt["status"]) == (expected.id, expected.due,
                                                       expected.status.value)
    assert nxt["due_text"] == "31. desember 2026"
    # B5 is due in the open half-year; a met commitment points to its next window
    b5 = ctx["commitments"]["B5"]
    assert (b5["status"], b5["due"]) == ("due", dt.date(2026, 12, 31))
    v1 = ctx["commitments"]["V1"]
    assert v1["status"] == "met"
    assert (v1["window_start"], v1["due"]) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))


def test_programme_vision_goals_and_signer_are_in_the_context(osen: Workspace) -> None:
    ctx = letter_context(osen, "statusrapport", "kmd", as_of=AS_OF)
    plan = osen.plan
    assert ctx["programme"]["vision"] == plan.programme.vision
    assert ctx["programme"]["goals"] == plan.programme.goals
    assert ctx["programme"]["organisation"] == "Osen Omstilling AS"
    assert ctx["programme"]["place"] == "Steinsdalen"
    assert ctx["signer"]["name"] == "Solveig Aune"  # the template's topic: overarching
    assert [c["id"] for c in ctx["served"]] == ["L1", "V4"]


def test_uncovered_picks_members_not_reached_this_window_leaders_first(
        osen: Workspace) -> None:
    group = osen.plan.group("befolkningen")
    units = [c.cadence for c in osen.plan.commitments if "befolkningen" in c.groups and c.cadence]
    window = min(units, key=lambda u: u.months).window(AS_OF)
    assert window == Unit.MONTH.window(AS_OF)
    people = {s.id: s for s in osen.store.stakeholders()}
    reached: set[str] = set()
    for i in osen.store.interactions(start=window.start, end=AS_OF):
        reached |= set(i.participants) | ({i.host} if i.host else set())
        reached |= {org for p in i.participants if (org := people[p].organisation)}
    expected = {s.id for s in people.values() if is_member(s, group)} - reached
    run = draft(osen, "opinionsleder", groups=["befolkningen"], uncovered=True, as_of=AS_OF,
                write=False)
    got = [letter.recipient for letter in run.letters] + [s.id for s in run.skipped]
    assert set(got) == expected
    leaders = [s.id for s in rank_leaders(osen, group="befolkningen",
                                          top=osen.plan.leaders.top, as_of=AS_OF)]
    unreached_leaders = [sid for sid in leaders if sid in expected]
    assert unreached_leaders, "the example has opinion leaders not reached this month"
    assert got[: len(unreached_leaders)] == unreached_leaders


def test_leaders_picks_the_groups_opinion_leaders(osen: Workspace) -> None:
    run = draft(osen, "opinionsleder", groups=["befolkningen"], leaders=True, as_of=AS_OF,
                write=False)
    leaders = [s.id for s in rank_leaders(osen, group="befolkningen",
                                          top=osen.plan.leaders.top, as_of=AS_OF)]
    skipped = {s.id for s in run.skipped}
    assert [letter.recipient for letter in run.letters] == [x for x in leaders
                                                            if x not in skipped]
    assert skipped <= {"marius-hovik"}  # only the signer, if a leader


def test_nothing_chosen_is_a_clear_error(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="choose the recipients"):
        draft(osen, "dialogmote", as_of=AS_OF)
    with pytest.raises(NotFound, match="'nobody'"):
        draft(osen, "dialogmote", stakeholders=["nobody"], as_of=AS_OF)
    with pytest.raises(NotFound, match="no target group 'fiskere'"):
        draft(osen, "dialogmote", groups=["fiskere"], as_of=AS_OF)
    with pytest.raises(NotFound, match=r"no template 'brevet'.*dialogmote"):
        draft(osen, "brevet", stakeholders=["astrid-lian"], as_of=AS_OF)


# --- who gets no letter -------------------------------------------------------------------


def test_opted_out_restricted_and_unreachable_are_listed_never_dropped(
        osen: Workspace, tmp_path: Path) -> None:
    store = osen.store
    _flag(osen, "osen-sjomat", "opted_out")
    _flag(osen, "turid-lund", "restricted")
    members = [s for s in store.stakeholders() if is_member(s, osen.plan.group("naeringslivet"))]
    no_mail = {s.id for s in members if not s.email}
    assert no_mail
    run = draft(osen, "dialogmote", groups=["naeringslivet"], fmt="eml", out=tmp_path / "out",
                as_of=AS_OF)
    reasons = {s.id: s.reason for s in run.skipped}
    assert reasons["osen-sjomat"] == "opted out of communication from the programme"
    assert reasons["turid-lund"] == "processing of their data is restricted (GDPR)"
    assert all(reasons[sid] == "no e-mail address" for sid in no_mail)
    assert len(run.letters) + len(run.skipped) == len(members)
    assert len(_files(tmp_path / "out")) == len(run.letters)


def test_when_everyone_is_skipped_the_error_says_why(osen: Workspace) -> None:
    _flag(osen, "osen-sjomat", "opted_out")
    with pytest.raises(InvalidInput, match=r"every one of them was skipped\n  osen-sjomat"):
        draft(osen, "dialogmote", stakeholders=["osen-sjomat"], as_of=AS_OF)


# --- safety -------------------------------------------------------------------------------


def test_a_sandbox_escape_is_a_security_error(osen: Workspace, tmp_path: Path,
                                              template: Callable[..., Path]) -> None:
    template("lekk.j2", '{% extends "base.j2" %}{% block body %}\n'
             "{{ ''.__class__.__mro__[1].__subclasses__() }}\n{% endblock %}\n")
    with pytest.raises(TemplateSecurityError) as caught:
        draft(osen, "lekk", stakeholders=["astrid-lian"], out=tmp_path / "out", as_of=AS_OF)
    message = str(caught.value)
    assert message.startswith("security error: template lekk.j2, line 2")
    assert "__class__" in message
    assert isinstance(caught.value, InteressentError)
    assert not isinstance(caught.value, OSError)  # a refusal, not a failed write
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("expression", [
    "recipient.__init__.__globals__", "recipient.in_group.__class__", "programme.clear()",
    "recipient.has_role._data",
])
def test_other_escapes_and_mutations_are_refused(osen: Workspace,
                                                 template: Callable[..., Path],
                                                 expression: str) -> None:
    template("lekk.j2", f'{{% extends "base.j2" %}}{{% block body %}}{{{{ {expression} }}}}'
             "{% endblock %}")
    with pytest.raises(TemplateSecurityError, match=r"security error: template lekk\.j2"):
        draft(osen, "lekk", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)


def test_a_misspelt_field_names_file_line_and_field_and_writes_nothing(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    # the typo only bites for members of ledelse, who come after others: still nothing
    template("skrivefeil.j2", '{% extends "base.j2" %}\n{% block body %}\nHei.\n'
             "{% if recipient.in_group.ledelse %}\n{{ recipient.nmae }}\n{% endif %}\n"
             "{% endblock %}\n")
    with pytest.raises(TemplateProblem) as caught:
        draft(osen, "skrivefeil", stakeholders=["osen-sjomat", "turid-lund", "astrid-lian"],
              out=tmp_path / "out", as_of=AS_OF)
    problem = caught.value
    assert (problem.template, problem.line, problem.field) == ("skrivefeil.j2", 5,
                                                               "recipient.nmae")
    assert "did you mean 'name'?" in str(problem)
    assert not (tmp_path / "out").exists()


def test_a_misspelt_key_of_a_flag_is_caught_too(osen: Workspace,
                                                template: Callable[..., Path]) -> None:
    template("flagg.j2", '{% extends "base.j2" %}{% block body %}\n'
             "{% if recipient.in_group.naeringslivt %}x{% endif %}{% endblock %}")
    with pytest.raises(TemplateProblem, match=r"'recipient\.in_group\.naeringslivt' — did you "
                                              r"mean 'naeringslivet'"):
        draft(osen, "flagg", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)


def test_syntax_errors_and_missing_layouts_are_template_problems(
        osen: Workspace, template: Callable[..., Path]) -> None:
    template("syntaks.j2", '{% extends "base.j2" %}\n{% block body %}\n{{ recipient.name \n'
             "{% endblock %}")
    with pytest.raises(TemplateProblem, match=r"template syntaks.j2, line \d"):
        draft(osen, "syntaks", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)
    template("forelder.j2", '{% extends "finnes-ikke.j2" %}')
    with pytest.raises(TemplateProblem, match=r"no template 'finnes-ikke\.j2' to extend"):
        draft(osen, "forelder", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)


def test_declared_commitments_must_exist(osen: Workspace, template: Callable[..., Path]) -> None:
    template("tiltak.j2", '{% extends "base.j2" %}{% set serves = ["B9"] %}')
    with pytest.raises(TemplateProblem, match="serves unknown commitment 'B9'"):
        draft(osen, "tiltak", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)
    template("tiltak.j2", '{% extends "base.j2" %}{% set serves = [recipient.id] %}')
    with pytest.raises(TemplateProblem, match="serves must be written literally"):
        draft(osen, "tiltak", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)


@pytest.mark.parametrize(("stem", "expected"), [
    ("../../x", "x.md"),
    ("..", "brev.md"),
    ("a/b\\c", "a-b-c.md"),
    ("CON", "_CON.md"),
    ("nul.txt", "_nul.txt.md"),
    ("com1", "_com1.md"),
    ("Lpt9 ", "_Lpt9.md"),
    ("kari\x00\r\nnordmann", "kari-nordmann.md"),
    ("evil\u202egpj.exe", "evil-gpj.exe.md"),
    ("trailing dots...", "trailing dots.md"),
    ("Ståle Sæther", "Ståle Sæther.md"),
])
def test_safe_filename(stem: str, expected: str) -> None:
    assert safe_filename(stem, "md") == expected


def test_long_names_are_cut() -> None:
    name = safe_filename("ø" * 300, "md")
    assert len(name) <= 100 and len(name.encode()) <= 203 and name.endswith(".md")


def test_hostile_ids_cannot_leave_the_folder_and_collisions_are_numbered(
        osen: Workspace, tmp_path: Path) -> None:
    for sid in ("../../x", "a/b", "a\\b", "CON"):
        _add(osen, Stakeholder(id=sid, name=f"Navn {sid}", groups=("befolkningen",),
                               email="x@example.org"))
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    (out / "a-b.md").write_text("an earlier draft, edited by hand", encoding="utf-8")
    run = draft(osen, "dialogmote", stakeholders=["../../x", "a/b", "a\\b", "CON"], out=out,
                as_of=AS_OF)
    assert _files(out) == ["_CON.md", "a-b-2.md", "a-b-3.md", "a-b.md", "x.md"]
    assert (out / "a-b.md").read_text(encoding="utf-8") == "an earlier draft, edited by hand"
    assert all(p.parent == out for p in run.files)
    assert _files(tmp_path) == ["deep", "ws"] and _files(tmp_path / "deep") == ["out"]


def test_header_injection_in_a_name_or_address(osen: Workspace, tmp_path: Path,
                                               template: Callable[..., Path]) -> None:
    _add(osen, Stakeholder(id="eve", name="Eve\r\nBcc: victim@example.com",
                           email="eve@example.org", groups=("befolkningen",)))
    _add(osen, Stakeholder(id="mallory", name="Mallory",
                           email="mallory@example.org\r\nBcc: victim@example.com",
                           groups=("befolkningen",)))
    _add(osen, Stakeholder(id="trudy", name="Trudy", email="trudy@example.org, victim@example.com",
                           groups=("befolkningen",)))
    template("emne.j2", '{% extends "base.j2" %}{% set subject = "Hei " ~ recipient.name %}'
             "{% block body %}Tekst.{% endblock %}")
    run = draft(osen, "emne", stakeholders=["eve", "mallory", "trudy"], fmt="eml",
                out=tmp_path / "out", as_of=AS_OF)
    assert {s.id: s.reason.split(" ")[0] for s in run.skipped} == {"mallory": "invalid",
                                                                   "trudy": "invalid"}
    data = (tmp_path / "out" / "eve.eml").read_bytes()
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["Bcc"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == ["eve@example.org"]
    assert msg["To"].addresses[0].display_name == "Eve Bcc: victim@example.com"
    assert msg["Subject"] == "Hei Eve Bcc: victim@example.com"
    assert not re.search(rb"^Bcc:", data, flags=re.MULTILINE)


def test_a_failed_write_leaves_no_letter_and_no_record(osen: Workspace, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[object] = []
    real = output._write_new

    def flaky(path: str | Path, data: bytes) -> None:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(output, "_write_new", flaky)
    before = osen.store.counts()
    for out in (tmp_path / "new", tmp_path / "existing"):
        if out.name == "existing":
            out.mkdir()
            (out / "old.md").write_text("keep", encoding="utf-8")
        written.clear()
        with pytest.raises(DraftWriteError, match="No space left on device; no letter"):
            draft(osen, "dialogmote", groups=["naeringslivet"], out=out, record=True,
                  as_of=AS_OF)
        assert _files(out) == ([] if out.name == "new" else ["old.md"])
    assert _files(tmp_path) == ["existing", "ws"]
    assert osen.store.counts() == before


# --- information responsibility -----------------------------------------------------------


def test_political_letters_are_refused(osen: Workspace, tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="skal ikke uttale seg i saker av politisk karakter"):
        draft(osen, "dialogmote", groups=["naeringslivet"], topic="political",
              out=tmp_path / "out", as_of=AS_OF)
    assert not (tmp_path / "out").exists()


def test_the_signer_follows_the_topic_and_clearance(osen: Workspace) -> None:
    daily = draft(osen, "dialogmote", stakeholders=["astrid-lian"], as_of=AS_OF, write=False)
    overarching = draft(osen, "dialogmote", stakeholders=["astrid-lian"], topic="overarching",
                        as_of=AS_OF, write=False)
    cleared = draft(osen, "dialogmote", stakeholders=["astrid-lian"], signer="liv-orsjodal",
                    cleared_by="styreleder", as_of=AS_OF, write=False)
    assert daily.signature.name == "Marius Høvik"
    assert overarching.signature.name == "Solveig Aune"
    assert (cleared.signature.name, cleared.signature.cleared_by) == ("Liv Ørsjødal",
                                                                      "styreleder")
    assert "Liv Ørsjødal  \nStyremedlem, Osen Omstilling AS" in str(cleared.letters[0].content)
    assert "Avklart med styreleder." in cleared.signature.note  # the run's, not the letter's
    assert "Avklart med" not in str(cleared.letters[0].content)
    with pytest.raises(PolicyError, match="only after conferring with") as caught:
        draft(osen, "dialogmote", stakeholders=["astrid-lian"], signer="liv-orsjodal",
              as_of=AS_OF, write=False)
    assert caught.value.rule == "needs clearance"


def test_a_template_declares_its_topic(osen: Workspace) -> None:
    run = draft(osen, "statusrapport", stakeholders=["kmd"], as_of=AS_OF, write=False)
    assert (run.signature.role, run.signature.topic) == ("styreleder", "overarching")
    assert "Solveig Aune  \nStyreleder, Osen Omstilling AS" in str(run.letters[0].content)


def test_notify_lists_in_order_and_drafts_a_notice_to_each(osen: Workspace,
                                                           tmp_path: Path) -> None:
    notice = notify(osen, "Brann i lokalene til Osen Sjømat AS", out=tmp_path / "varsel",
                    as_of=AS_OF)
    assert [n.role for n in notice.notifiees] == ["styreleder", "daglig_leder", "ordforer",
                                                  "radmann"]
    run = notice.run
    assert run is not None
    assert [letter.recipient for letter in run.letters] == ["solveig-aune", "astrid-lian",
                                                            "per-olav-moe"]
    assert [(s.id, s.reason) for s in run.skipped] == [("marius-hovik",
                                                        "is the signer of the letters")]
    text = (tmp_path / "varsel" / "per-olav-moe.md").read_text(encoding="utf-8")
    assert "## Varsel om vesentlig hendelse: Brann i lokalene til Osen Sjømat AS" in text
    assert "styreleder, daglig leder, ordfører og rådmann varsles" in text
    listed = notify(osen, "Noe skjedde", write=False)
    assert listed.run is None and len(listed.notifiees) == 4


# --- recording ----------------------------------------------------------------------------


def test_without_record_the_store_is_untouched(osen: Workspace, tmp_path: Path) -> None:
    before = osen.store.counts()
    draft(osen, "dialogmote", groups=["naeringslivet"], out=tmp_path / "out", as_of=AS_OF)
    assert osen.store.counts() == before


def test_record_logs_each_letter_and_coverage_moves(osen: Workspace, tmp_path: Path) -> None:
    people = {s.id: s for s in osen.store.stakeholders()}
    reached = set()
    for i in osen.store.interactions(start=YEAR.start, end=AS_OF):
        reached |= set(i.participants) | ({i.host} if i.host else set())
        reached |= {org for p in i.participants if (org := people[p].organisation)}
    group = osen.plan.group("befolkningen")
    unreached = sorted(s.id for s in people.values() if is_member(s, group)
                       and s.id not in reached and s.email)[:3]
    assert len(unreached) == 3
    # a person reached reaches their organisation too
    newly = {sid for sid in unreached} | {org for sid in unreached
                                         if (org := people[sid].organisation)}
    newly = {sid for sid in newly - reached if is_member(people[sid], group)}
    before = coverage(osen, YEAR, as_of=AS_OF, groups=["befolkningen"])[0]
    first_id = osen.store.next_interaction_id(AS_OF)
    run = draft(osen, "opinionsleder", stakeholders=unreached, out=tmp_path / "out",
                record=True, as_of=AS_OF)
    after = coverage(osen, YEAR, as_of=AS_OF, groups=["befolkningen"])[0]
    assert after.reached_directly == before.reached_directly + len(newly)
    assert run.recorded[0] == first_id and len(run.recorded) == 3
    logged = osen.store.interactions(ids=list(run.recorded))
    assert [i.participants for i in logged] == [(sid,) for sid in unreached]
    for item in logged:
        assert (item.date, item.kind, item.channel) == (AS_OF, "letter", "direkte")
        assert item.topic == "Orientering om omstillingsarbeidet i Osen"
        assert item.commitments == ("B2",)
        assert item.notes == run.signature.note


def test_record_tags_only_the_commitments_of_the_recipients_groups(
        osen: Workspace, tmp_path: Path) -> None:
    run = draft(osen, "statusrapport", stakeholders=["kmd", "astrid-lian"], fmt="eml",
                out=tmp_path / "out", record=True, as_of=AS_OF)
    logged = {i.participants[0]: i for i in osen.store.interactions(ids=list(run.recorded))}
    assert logged["kmd"].commitments == ("V4",)
    assert logged["astrid-lian"].commitments == ("L1",)
    assert {i.kind for i in logged.values()} == {"email"}
    v4 = {c.id: c for c in check_commitments(osen, YEAR, as_of=AS_OF)}["V4"]
    assert v4.status.value == "met"  # KMD was the one missing


# --- templates ----------------------------------------------------------------------------


def test_the_osen_templates_cover_every_purpose(osen: Workspace) -> None:
    found = {t.name: t for t in list_templates(osen)}
    for name in ("dialogmote", "statusrapport", "suksesshistorie", "grunder", "opinionsleder",
                 "hendelse"):
        assert found[name].source == "workspace", name
        assert found[name].description, name
    assert found["dialogmote"].languages == ("en", "nn")
    assert set(found["dialogmote"].formats) == {"any", "html"}
    assert found["base"].layout and found["base"].source == "built-in"
    assert (found["statusrapport"].topic, found["statusrapport"].serves) == ("overarching",
                                                                             ("L1", "V4"))


@pytest.mark.parametrize("name", ["dialogmote", "statusrapport", "suksesshistorie", "grunder",
                                  "opinionsleder", "hendelse"])
def test_every_osen_template_renders_for_every_kind_of_recipient(osen: Workspace,
                                                                 name: str) -> None:
    ids = ["turid-lund", "astrid-lian", "osen-sjomat", "kmd", "kare-vingen", "anders-aune",
           "turid-garnes", "nordic-blue-ventures"]
    for fmt in ("md", "html"):
        run = draft(osen, name, stakeholders=ids, fmt=fmt, as_of=AS_OF, write=False,
                    event="Test")
        assert len(run.letters) == len(ids)


def test_template_source_picks_the_variant(osen: Workspace) -> None:
    path, text = template_source(osen, "dialogmote", language="nn")
    assert path.name == "dialogmote.nn.j2" and "nynorsk" in text
    path, _ = template_source(osen, "dialogmote", fmt="html")
    assert path.name == "dialogmote.html.j2"
    path, _ = template_source(osen, "base.j2")
    assert path.parent == drafting.BUILTIN_TEMPLATES


def test_a_workspace_template_shadows_the_built_in_one(osen: Workspace,
                                                       template: Callable[..., Path]) -> None:
    template("base.j2", "EGEN MAL {{ recipient.name }}\n{% block body %}{% endblock %}")
    run = draft(osen, "grunder", stakeholders=["turid-garnes"], as_of=AS_OF, write=False)
    assert "EGEN MAL Turid Garnes" in str(run.letters[0].content)


# --- the CLI ------------------------------------------------------------------------------


def _invoke(ws: Workspace, *args: str) -> object:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def test_cli_political_refusal_is_one_error_line(osen: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(osen.root), "draft", "dialogmote", "-g",
                                      "naeringslivet", "--topic", "political", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: refused:")
    assert "politisk karakter" in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_misspelt_field_writes_no_files(osen: Workspace, tmp_path: Path,
                                            template: Callable[..., Path]) -> None:
    template("feil.j2", '{% extends "base.j2" %}{% block body %}{{ recipient.fornavn }}'
             "{% endblock %}")
    result = CliRunner().invoke(cli, ["-w", str(osen.root), "draft", "feil", "-g",
                                      "naeringslivet", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Error: template feil.j2, line 1: unknown field 'recipient.fornavn'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_record_moves_coverage_and_prints_skipped(osen: Workspace, tmp_path: Path) -> None:
    first = draft(osen, "opinionsleder", groups=["befolkningen"], uncovered=True, as_of=AS_OF,
                  write=False).letters[0]
    _flag(osen, first.recipient, "opted_out")
    before = coverage(osen, YEAR, as_of=AS_OF, groups=["befolkningen"])[0]
    result = CliRunner().invoke(cli, [
        "-w", str(osen.root), "draft", "opinionsleder", "-g", "befolkningen", "--uncovered",
        "--record", "--as-of", "2026-11-26", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    after = coverage(osen, YEAR, as_of=AS_OF, groups=["befolkningen"])[0]
    assert after.reached_directly > before.reached_directly
    assert f"Skipped 1:\n  {first.recipient} ({first.name}): opted out" in result.stdout
    assert "Signed by Marius Høvik (Managing director)" in result.stdout  # the plan's en
    assert re.search(r"Logged \d+ interactions: K2026-\d{4} … K2026-\d{4}", result.stdout)


def test_cli_notify_and_templates(osen: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(osen.root), "notify", "Brann på kaia",
                                      "--out", str(tmp_path / "varsel")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Notify of «Brann på kaia», in this order:"
    # the roles' names in English, as the Osen plan gives them
    assert [line.split(":")[0].strip() for line in lines[1:5]] == [
        "1. Chair of the board", "2. Managing director", "3. Mayor",
        "4. Chief municipal executive"]
    assert "Per Olav Moe (per-olav-moe) — +47 926 29 981, per.moe@osen.kommune.example" in lines[4]
    assert _files(tmp_path / "varsel") == ["astrid-lian.md", "per-olav-moe.md",
                                           "solveig-aune.md"]
    listing = CliRunner().invoke(cli, ["-w", str(osen.root), "templates", "list", "--format",
                                       "json"])
    assert listing.exit_code == 0
    assert '"name": "opinionsleder"' in listing.stdout
    shown = CliRunner().invoke(cli, ["-w", str(osen.root), "templates", "show", "grunder"])
    assert shown.exit_code == 0 and shown.stdout.startswith("{#")


def test_cli_dry_run_writes_nothing(osen: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(osen.root), "draft", "dialogmote", "-s",
                                      "astrid-lian", "--dry-run", "--record", "--set",
                                      "dato=2026-12-10", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Would draft 1 letter (dialogmote, md); wrote nothing.")
    assert not (tmp_path / "out").exists()


def test_values_reach_the_template(osen: Workspace) -> None:
    run = draft(osen, "dialogmote", stakeholders=["astrid-lian"], as_of=AS_OF, write=False,
                values={"dato": "2026-12-10", "tid": "18.00", "sted": "Osen Sjømat"})
    assert "Tid og sted: torsdag 10. desember 2026 kl. 18.00, Osen Sjømat." in str(
        run.letters[0].content)


# --- the docs -----------------------------------------------------------------------------


_SAME_AS_ELSEWHERE = ("commitments", "groups", "values", "recipient.in_group",
                      "recipient.has_role", "last_interaction", "next_commitment")


def _paths(value: object, prefix: str) -> set[str]:
    found = {prefix}
    if isinstance(value, dict | Record) and prefix not in _SAME_AS_ELSEWHERE:
        for key in value:
            found |= _paths(value[key], f"{prefix}.{key}")
    return found


def test_every_context_variable_is_documented(osen: Workspace) -> None:
    text = (DOCS / "drafting.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z_][A-Za-z_\[\]]*(?:\.[A-Za-z_\[\]]+)*)`", text))
    ctx = letter_context(osen, "dialogmote", "turid-lund", as_of=AS_OF, event="x")
    names: set[str] = set()
    for key, value in ctx.items():
        names |= _paths(value, key)
    for value, prefix in ((ctx["success_stories"][0], "success_stories[]"),
                          (ctx["commitments"]["B5"], "commitments.ID"),
                          (ctx["notify_roles"][0], "notify_roles[]"),
                          (ctx["groups"]["naeringslivet"], "groups.KEY")):
        names |= _paths(value, prefix) - {prefix}
    missing = sorted(n for n in names if n not in documented)
    assert not missing, f"undocumented template variables: {missing}"
    for name in ("date", "lines", "listing"):
        assert f"`{name}`" in text, f"filter {name} is not documented"


def test_a_signer_without_organisation_or_contact_details_reads_cleanly(tmp_path: Path) -> None:
    """On a minimal plan (no programme organisation) the signature has no 'None' and the
    notice no dangling 'på  ved spørsmål'."""
    from interessent import add_stakeholder, init_workspace
    from interessent.drafting import draft

    with init_workspace(tmp_path / "min") as ws:
        add_stakeholder(ws, name="Dagny Leder", roles=["daglig_leder"])
        add_stakeholder(ws, name="Per Innbygger", groups=["befolkningen"])
        run = draft(ws, "hendelse", groups=["befolkningen"], event="Brann i lokalet",
                    out=tmp_path / "ut")
        [letter] = run.letters
    text = letter.content if isinstance(letter.content, str) else letter.content.decode()
    assert "None" not in text
    assert "Ta kontakt med Dagny Leder ved spørsmål." in text
    assert text.rstrip().endswith("Dagny Leder  \nDaglig leder")
