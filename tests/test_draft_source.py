"""Templates given as strings: ``draft(ws, source=...)`` (issue 13, item 7).

A template given as a string goes through the same sandbox, declarations and information
responsibility as a file in ``templates/``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from interessent import (
    InvalidInput,
    PolicyError,
    TemplateProblem,
    TemplateSecurityError,
    Workspace,
    add_stakeholder,
    draft,
)

AS_OF = dt.date(2026, 11, 26)
PLAIN = ('{% extends "base.j2" %}{% set subject = "Til " ~ recipient.name %}'
         "{% block body %}Vi skriv til {{ recipient.name }} om vegen.{% endblock %}")


@pytest.fixture
def three(osen: Workspace) -> list[str]:
    """Three people of our own in the Osen example, each with an e-mail address."""
    names = ["Åsa Strengstrand", "Bjørn Stokkvik", "Cecilie Vingsand"]
    return [add_stakeholder(osen, name=n, email=f"p{i}@example.no").id
            for i, n in enumerate(names)]


def test_a_plain_source_drafts_one_letter_per_recipient(osen: Workspace, three: list[str],
                                                        tmp_path: Path) -> None:
    run = draft(osen, source=PLAIN, stakeholders=three, as_of=AS_OF, out=tmp_path / "out")
    # three recipients named by hand, none opted out: three letters, three files
    assert len(run.letters) == 3 and len(run.files) == 3 and run.skipped == ()
    assert run.template == "source"
    by_name = {letter.name: letter for letter in run.letters}
    assert sorted(by_name) == ["Bjørn Stokkvik", "Cecilie Vingsand", "Åsa Strengstrand"]
    letter = by_name["Bjørn Stokkvik"]
    assert letter.subject == "Til Bjørn Stokkvik"
    assert "Vi skriv til Bjørn Stokkvik om vegen." in str(letter.content)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{sid}.md" for sid in three)


def test_a_source_shadows_a_workspace_template_of_the_same_name(
        osen: Workspace, three: list[str]) -> None:
    (osen.templates_path / "source.nb.j2").write_text("Frå fila.", encoding="utf-8")
    run = draft(osen, source="Frå strengen.", stakeholders=three[:1], as_of=AS_OF,
                write=False)
    assert "Frå strengen." in str(run.letters[0].content)
    assert "Frå fila." not in str(run.letters[0].content)


def test_a_sandbox_escape_in_a_source_is_a_security_error(osen: Workspace, three: list[str],
                                                          tmp_path: Path) -> None:
    with pytest.raises(TemplateSecurityError) as caught:
        draft(osen, source="Hei\n{{ ''.__class__ }}\n", stakeholders=three, as_of=AS_OF,
              out=tmp_path / "out")
    assert str(caught.value).startswith("security error: template source.j2, line 2")
    assert not (tmp_path / "out").exists()


def test_a_political_source_is_refused_like_a_file(osen: Workspace, three: list[str],
                                                   tmp_path: Path) -> None:
    political = '{% set topic = "political" %}' + PLAIN
    before = osen.store.counts()
    with pytest.raises(PolicyError, match="skal ikke uttale seg i saker av politisk karakter"):
        draft(osen, source=political, stakeholders=three, as_of=AS_OF, out=tmp_path / "out",
              record=True)
    # the same declaration in a file is refused the same way
    (osen.templates_path / "politikk.j2").write_text(political, encoding="utf-8")
    with pytest.raises(PolicyError, match="skal ikke uttale seg i saker av politisk karakter"):
        draft(osen, "politikk", stakeholders=three, as_of=AS_OF, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert osen.store.counts() == before


def test_a_misspelt_field_in_a_source_names_its_line(osen: Workspace,
                                                     three: list[str]) -> None:
    with pytest.raises(TemplateProblem, match=r"template source.j2, line 3: unknown field "
                                              r"'recipient.nmae'"):
        draft(osen, source="a\nb\n{{ recipient.nmae }}", stakeholders=three, as_of=AS_OF,
              write=False)


def test_exactly_one_of_template_and_source(osen: Workspace, three: list[str]) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        draft(osen, "dialogmote", source=PLAIN, stakeholders=three, as_of=AS_OF, write=False)
    with pytest.raises(InvalidInput, match="one of them"):
        draft(osen, stakeholders=three, as_of=AS_OF, write=False)
    with pytest.raises(InvalidInput, match="text, not bytes"):
        draft(osen, source=b"Hei", stakeholders=three, as_of=AS_OF,  # type: ignore[arg-type]
              write=False)
