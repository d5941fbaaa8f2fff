"""Media and key messages (issue 14, item 6) and sentiment (item 4, ``log --sentiment``):
what an article carried, which success stories are published and by whom, press tips that
never pitch a story the outlet has run, and the key messages per quarter on the dashboard.

Everything runs on the Osen example (copied per test from one module-wide init). Its log
names no story an article tells; its articles name their outlet (Osen-Posten, NRK
Trøndelag) and carry key messages (:data:`EXAMPLE_MESSAGES`, from
``tools/make_osen_example.py``), which every count below adds in, by hand, in the comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interessent import (
    InvalidInput,
    Sentiment,
    Workspace,
    edit_interaction,
    export,
    import_file,
    init_workspace,
    log_interaction,
    stakeholder_profile,
)
from interessent.cli import cli
from interessent.drafting import draft, letter_context
from interessent.errors import PlanError
from interessent.periods import Period, parse_period
from interessent.plan import parse_plan
from interessent.report import build_report, render_markdown, write_report

AS_OF = dt.date(2026, 11, 30)
#: Osen's success stories, newest first (examples/osen/data/interactions.csv, suksess=ja).
STORIES = ("K2026-0326", "K2026-0279", "K2026-0233", "K2026-0173")
TITLES = {"K2026-0326": "Nytt reiselivsselskap etablerer seg i Osen",
          "K2026-0279": "Første elektriske arbeidsbåt levert – to nye lærlinger",
          "K2026-0233": "Osen Sjømat ansetter fem nye",
          "K2026-0173": "Ny gründer: Kystlys Design åpner verksted i Steinsdalen"}
#: The key messages the example's articles carry, per quarter of 2026 (PRESS in
#: tools/make_osen_example.py): bedriftsutvikling 02-11, 05-20, 08-19; grunderkommune
#: 06-17, 08-26, 11-11; attraktiv 08-26, 11-11, 11-18. Seven articles carry one or more.
EXAMPLE_MESSAGES = {"grunderkommune": (0, 1, 1, 1), "attraktiv": (0, 0, 1, 2),
                    "bedriftsutvikling": (1, 1, 1, 0)}
#: What Osen's press tip says when it has no story to offer (suksesshistorie.j2).
NO_STORY = "Det skjer mye i omstillingsarbeidet i Osen"


@pytest.fixture(scope="module")
def osen_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media") / "osen"
    init_workspace(root, example="osen").close()
    return root


@pytest.fixture
def osen(osen_folder: Path, tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "osen"
    shutil.copytree(osen_folder, root)
    ws = Workspace(root)
    yield ws
    ws.close()


def run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(ws.root), *args],
                              catch_exceptions=False)


def ok(ws: Workspace, *args: str) -> str:
    result = run(ws, *args)
    assert result.exit_code == 0, result.output
    return result.output


def one_error_line(result: Result) -> str:
    """A user mistake: exit 1, one `Error: …` line, and never a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def article(ws: Workspace, day: str, outlet: str | None = None, story: str | None = None,
            messages: tuple[str, ...] = (), tone: str | None = None) -> str:
    return log_interaction(ws, kind="article", date=day, groups=["befolkningen"],
                           outlet=outlet, story=story, messages=messages, tone=tone,
                           topic=f"Sak {day}").id


# --- sentiment ----------------------------------------------------------------------------


def test_log_with_sentiment_through_the_cli_and_the_library(osen: Workspace) -> None:
    said = ok(osen, "log", "meeting", "--with", "oda-selnes", "--date", "2026-11-02",
              "--sentiment", "positive", "--id", "M-1")
    assert "M-1" in said
    by_hand = log_interaction(osen, kind="call", participants=["oda-selnes"],
                              date=dt.date(2026, 11, 3), sentiment=Sentiment.NEGATIVE)
    worded = log_interaction(osen, kind="email", participants=["oda-selnes"],
                             date="2026-11-04", sentiment="nøytral")  # bokmål works too
    found = {i.id: i for i in osen.store.interactions(stakeholder="oda-selnes")}
    assert found["M-1"].sentiment is Sentiment.POSITIVE
    assert found[by_hand.id].sentiment is Sentiment.NEGATIVE
    assert found[worded.id].sentiment is Sentiment.NEUTRAL
    # read back as JSON (English values) and in the profile people read
    shown = json.loads(ok(osen, "stakeholder", "show", "oda-selnes", "--format", "json"))
    sentiments = {i["id"]: i["sentiment"] for i in shown[0]["interactions"]}
    assert sentiments["M-1"] == "positive" and sentiments[by_hand.id] == "negative"
    assert "[positive]" in ok(osen, "stakeholder", "show", "oda-selnes")
    # any kind may say how it went, an article too; and it can be changed and cleared
    edit_interaction(osen, "M-1", sentiment="negative")
    assert osen.store.interactions(ids=["M-1"])[0].sentiment is Sentiment.NEGATIVE
    ok(osen, "interaction", "edit", "M-1", "--clear", "sentiment")
    assert osen.store.interactions(ids=["M-1"])[0].sentiment is None


@pytest.mark.parametrize(("headers", "values", "sep"), [
    ("id;dato;type;deltakere;stemning", ("positiv", "negativ"), ";"),  # bokmål
    ("id;dato;type;deltakarar;stemning", ("nøytral", "positiv"), ";"),  # nynorsk
    ("id,date,kind,participants,sentiment", ("neutral", "negative"), ","),  # English
])
def test_sentiment_from_an_imported_list(osen: Workspace, tmp_path: Path, headers: str,
                                         values: tuple[str, str], sep: str) -> None:
    rows = [headers, sep.join(("S-1", "2026-05-02", "meeting", "oda-selnes", values[0])),
            sep.join(("S-2", "2026-05-03", "call", "oda-selnes", values[1]))]
    path = tmp_path / "kontakter.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(osen, "interactions", path)
    found = {i.id: i.sentiment for i in osen.store.interactions(ids=["S-1", "S-2"])}
    english = {"positiv": "positive", "negativ": "negative", "nøytral": "neutral"}
    assert found == {"S-1": Sentiment(english.get(values[0], values[0])),
                     "S-2": Sentiment(english.get(values[1], values[1]))}


# --- articles -----------------------------------------------------------------------------


def test_log_an_article_with_outlet_messages_tone_and_story(osen: Workspace) -> None:
    ok(osen, "log", "article", "--group", "befolkningen", "--date", "2026-11-20",
       "--outlet", "osen-posten", "--message", "grunderkommune", "--message", "attraktiv",
       "--tone", "positive", "--story", "k2026-0326",  # an id in another case finds it
       "--topic", "Reiselivet vokser", "--id", "A-1")
    [logged] = osen.store.interactions(ids=["A-1"])
    assert (logged.outlet, logged.tone, logged.story, logged.messages) == (
        "osen-posten", Sentiment.POSITIVE, "K2026-0326", ("attraktiv", "grunderkommune"))
    # the outlet's profile lists what it published, newest first: A-1 and the example's
    # eight Osen-Posten articles (01-14, 02-11, 03-18, 05-20, 06-17, 08-19, 08-26, 11-11)
    profile = stakeholder_profile(osen, "osen-posten")
    assert [i.id for i in profile.published][:2] == ["A-1", "K2026-0326"]
    assert len(profile.published) == 9
    assert profile.to_dict()["published"][0]["messages"] == ["attraktiv", "grunderkommune"]
    assert "Published (9, newest first):" in "\n".join(profile.lines())
    assert "[tone: positive]" in "\n".join(profile.lines())
    # a --message repeated in an edit replaces the messages; --clear empties the fields
    ok(osen, "interaction", "edit", "A-1", "--message", "bedriftsutvikling")
    assert osen.store.interactions(ids=["A-1"])[0].messages == ("bedriftsutvikling",)
    ok(osen, "interaction", "edit", "A-1", "--clear", "messages", "--clear", "story",
       "--clear", "outlet", "--clear", "tone")
    cleared = osen.store.interactions(ids=["A-1"])[0]
    assert (cleared.outlet, cleared.tone, cleared.story, cleared.messages) == (
        None, None, None, ())


def test_the_story_an_article_tells_stays_told_when_the_story_is_edited(
        osen: Workspace) -> None:
    # an edit writes the story again (a new row in the store): its articles follow it
    article(osen, "2026-11-20", outlet="osen-posten", story="K2026-0326")
    edit_interaction(osen, "K2026-0326", topic="Nytt reiselivsselskap i Osen")
    told = [i for i in osen.store.interactions() if i.story]
    assert [(i.story, i.outlet) for i in told] == [("K2026-0326", "osen-posten")]


def test_exports_carry_the_new_fields_and_import_them_again(osen: Workspace,
                                                            tmp_path: Path) -> None:
    article(osen, "2026-11-20", outlet="osen-posten", story="K2026-0326",
            messages=("grunderkommune",), tone="neutral")
    log_interaction(osen, kind="meeting", participants=["oda-selnes"], date="2026-11-21",
                    sentiment="positive", id="M-9")
    out = io.StringIO()
    export(osen, "interactions", out, fmt="csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))}
    new = [r for r in rows.values() if r["story"]]
    assert len(new) == 1
    assert (new[0]["outlet"], new[0]["tone"], new[0]["messages"]) == (
        "osen-posten", "neutral", "grunderkommune")
    assert rows["M-9"]["sentiment"] == "positive"
    data = io.StringIO()
    export(osen, "interactions", data, fmt="json")
    records = {r["id"]: r for r in json.loads(data.getvalue())}
    assert records["M-9"]["sentiment"] == "positive"
    assert records[new[0]["id"]]["messages"] == ["grunderkommune"]
    # the exported file imports again, unchanged (the story named in the same file)
    path = tmp_path / "interactions.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    before = osen.store.interactions()
    import_file(osen, "interactions", path)
    assert osen.store.interactions() == before


def test_an_imported_article_with_norwegian_headers(osen: Workspace, tmp_path: Path) -> None:
    # nynorsk: bodskap, historie, medium, tone; the story is a success row of the same file
    path = tmp_path / "artiklar.csv"
    path.write_text(
        "id;dato;type;målgrupper;suksess;medium;tone;historie;bodskap\n"
        "H-1;2026-09-01;visit;befolkningen;ja;;;;\n"
        "A-2;2026-09-03;article;befolkningen;nei;osen-posten;positiv;H-1;"
        "grunderkommune|Osen er ein gründarkommune|bedriftsutvikling\n", encoding="utf-8")
    import_file(osen, "interactions", path)
    [a] = osen.store.interactions(ids=["A-2"])
    # a message named by its text (in any of its languages) is its key, once
    assert (a.outlet, a.tone, a.story, a.messages) == (
        "osen-posten", Sentiment.POSITIVE, "H-1", ("bedriftsutvikling", "grunderkommune"))


REFUSED = [
    (("--outlet", "ingen-avis"), "outlet: unknown stakeholder 'ingen-avis'"),
    (("--message", "ukjent"), "--message: unknown key message 'ukjent' (known: attraktiv, "
                              "bedriftsutvikling, grunderkommune)"),
    (("--story", "K2026-0001"), "story: 'K2026-0001' is not a success story"),
    (("--story", "K1999-0001"), "story: no interaction with id 'K1999-0001'"),
    (("--tone", "glad"), "tone: 'glad' is not positive, neutral or negative"),
    (("--sentiment", "very"), "sentiment: 'very' is not positive, neutral or negative"),
    (("--story", "A-1", "--id", "A-1"), "an article cannot tell itself"),
]


@pytest.mark.parametrize(("given", "said"), REFUSED, ids=[r[1][:24] for r in REFUSED])
def test_refused_articles_write_nothing(osen: Workspace, given: tuple[str, ...],
                                        said: str) -> None:
    before = osen.store.interactions()
    line = one_error_line(run(osen, "log", "article", "--group", "befolkningen",
                              "--date", "2026-11-20", *given))
    assert said in line
    assert osen.store.interactions() == before


def test_what_only_the_media_publish_is_refused_on_a_meeting(osen: Workspace) -> None:
    before = osen.store.interactions()
    for given in (("--outlet", "osen-posten"), ("--message", "grunderkommune"),
                  ("--tone", "positive"), ("--story", "K2026-0326")):
        line = one_error_line(run(osen, "log", "meeting", "--with", "oda-selnes", *given))
        assert "only what the media published" in line and "meeting is not one" in line
    # an edit that makes an article a meeting keeps the rule
    aid = article(osen, "2026-11-20", outlet="osen-posten")
    with pytest.raises(InvalidInput, match="only what the media published"):
        edit_interaction(osen, aid, kind="meeting", participants=["oda-selnes"])
    assert len(osen.store.interactions()) == len(before) + 1
    # a story no longer a success cannot be told by a new article; one that told it while
    # it was keeps it, and can still be edited
    told = article(osen, "2026-11-20", story="K2026-0326")
    edit_interaction(osen, "K2026-0326", success=False)
    with pytest.raises(InvalidInput, match="is not a success story"):
        article(osen, "2026-11-21", story="K2026-0326")
    assert edit_interaction(osen, told, topic="Retta sak").story == "K2026-0326"
    with pytest.raises(InvalidInput, match="is not a success story"):
        edit_interaction(osen, told, story="K2026-0326")


HOSTILE = ["<script>alert(1)</script>", "{{ 7*7 }}", "a\nBcc: x@y.example", "x\x00y",
           "\u202eevil", "x" * 100_000, "'=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("field", ["outlet", "story", "messages", "tone", "sentiment"])
def test_hostile_text_in_each_new_field_is_refused(osen: Workspace, field: str,
                                                   value: str) -> None:
    before = osen.store.interactions()
    given: dict[str, object] = {field: [value] if field == "messages" else value}
    with pytest.raises(InvalidInput) as caught:
        log_interaction(osen, kind="article", groups=["befolkningen"], date="2026-11-20",
                        **given)  # type: ignore[arg-type]
    said = str(caught.value)
    assert field in said and len(said) < 2_000 and "\x00" not in said and "\n" not in said
    assert osen.store.interactions() == before


def test_hostile_values_from_the_command_line(osen: Workspace) -> None:
    for option in ("--outlet", "--story", "--message", "--tone", "--sentiment"):
        for value in ("<b>x</b>", "{{ x }}", "a\nb"):
            one_error_line(run(osen, "log", "article", "--group", "befolkningen",
                               option, value))


# --- the plan's key messages --------------------------------------------------------------


PLAN = """
[programme]
name = "P"
municipality = "Osen kommune"
start = 2026-01-01

[[groups]]
key = "alle"
name = "Alle"
"""


def test_key_messages_in_the_plan() -> None:
    plan = parse_plan(PLAN + '[[messages]]\nkey = "grunder"\ntext = { nb = "Osen er en '
                      'gründerkommune", nn = "Osen er ein gründarkommune", en = "Osen is '
                      'for entrepreneurs" }\n')
    assert plan.message("grunder").text == "Osen er en gründerkommune"
    for bad, said in (
        ('[[messages]]\nkey = "a"\ntext = "x"\n[[messages]]\nkey = "a"\ntext = "y"\n',
         "messages[1].key"),
        ('[[messages]]\nkey = "Grunder Kommune"\ntext = "x"\n', "is not a key"),
        ('[[messages]]\nkey = "a"\n', "messages[0].text"),
        ('[[messages]]\nkey = "a"\ntext = "x"\ncolour = "red"\n', "colour"),
    ):
        with pytest.raises(PlanError, match=said.replace("[", r"\[").replace("]", r"\]")):
            parse_plan(PLAN + bad)


def test_the_osen_key_messages_speak_three_languages(osen: Workspace) -> None:
    from interessent.i18n import localized

    found = {m.key: m for m in osen.plan.messages}
    assert set(found) == {"grunderkommune", "attraktiv", "bedriftsutvikling"}
    assert localized(found["grunderkommune"].text, "nb") == "Osen er en gründerkommune"
    assert localized(found["grunderkommune"].text, "nn") == "Osen er ein gründarkommune"
    assert localized(found["grunderkommune"].text, "en").startswith("Osen is")


# --- published stories --------------------------------------------------------------------


def test_a_story_becomes_published_once_an_article_tells_it(osen: Workspace) -> None:
    report = build_report(osen, Period.year(2026), as_of=AS_OF)
    assert not any(s.published for s in report.stories)
    article(osen, "2026-11-20", outlet="osen-posten", story="K2026-0279")
    article(osen, "2026-11-22", outlet="nrk-trondelag", story="K2026-0279")
    article(osen, "2026-11-23", story="K2026-0233")  # no outlet named
    article(osen, "2026-12-05", outlet="osen-posten", story="K2026-0173")  # after the day
    report = build_report(osen, Period.year(2026), as_of=AS_OF)
    stories = {s.id: s for s in report.stories}
    assert stories["K2026-0279"].published
    assert stories["K2026-0279"].outlets == ("NRK Trøndelag", "Osen-Posten")
    assert stories["K2026-0233"].published and stories["K2026-0233"].outlets == ()
    assert not stories["K2026-0173"].published and not stories["K2026-0326"].published
    status = render_markdown(report)  # the plan's bokmål
    assert "Publisert av NRK Trøndelag, Osen-Posten." in status
    english = render_markdown(build_report(osen, Period.year(2026), as_of=AS_OF,
                                           language="en"))
    assert "Published by NRK Trøndelag, Osen-Posten." in english
    page = write_report(osen, Period.year(2026), as_of=AS_OF,
                        out=osen.root / "rapport.html").read_text(encoding="utf-8")
    assert "Published by NRK Trøndelag, Osen-Posten" in page or "Publisert av" in page


# --- press tips ---------------------------------------------------------------------------


def _tip(ws: Workspace, who: str) -> str:
    run_ = draft(ws, "suksesshistorie", stakeholders=[who], as_of=AS_OF, write=False)
    [letter] = run_.letters
    assert isinstance(letter.content, str)
    return letter.content


def _pitched(text: str) -> str | None:
    """The story a tip leads with: the one in its first paragraph."""
    first = text.split("Saken er fra")[0]
    found = [sid for sid, title in TITLES.items() if title in first]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_a_press_tip_never_pitches_a_story_the_outlet_has_run(osen: Workspace) -> None:
    # before any article, everyone is offered the newest story
    assert _pitched(_tip(osen, "osen-posten")) == "K2026-0326"
    # Osen-Posten ran the newest: it (and its journalist Kristin Hallan) get the next one;
    # NRK Trøndelag, which ran nothing, still gets the newest
    article(osen, "2026-11-20", outlet="osen-posten", story="K2026-0326")
    assert _pitched(_tip(osen, "osen-posten")) == "K2026-0279"
    assert _pitched(_tip(osen, "kristin-hallan")) == "K2026-0279"
    assert _pitched(_tip(osen, "nrk-trondelag")) == "K2026-0326"
    assert _pitched(_tip(osen, "anders-bratli")) == "K2026-0326"  # NRK's journalist
    # the story it has run is not among the others offered either
    assert TITLES["K2026-0326"] not in _tip(osen, "osen-posten")
    context = letter_context(osen, "suksesshistorie", "osen-posten", as_of=AS_OF)
    assert [s["id"] for s in context["stories_to_pitch"]] == list(STORIES[1:])
    told = {s["id"]: s for s in context["all_success_stories"]}
    assert told["K2026-0326"]["published"] and told["K2026-0326"]["published_by"] == (
        "osen-posten",)
    assert not told["K2026-0279"]["published"] and told["K2026-0279"]["published_by"] == ()


def test_an_outlet_that_ran_every_story_is_offered_none(osen: Workspace) -> None:
    for n, story in enumerate(STORIES):
        article(osen, f"2026-11-2{n}", outlet="osen-posten", story=story)
    text = _tip(osen, "osen-posten")
    assert _pitched(text) is None
    assert NO_STORY in text
    assert not any(title in text for title in TITLES.values())
    assert _pitched(_tip(osen, "nrk-trondelag")) == "K2026-0326"


# --- the key messages on the dashboard ----------------------------------------------------


def test_key_messages_per_quarter(osen: Workspace) -> None:
    article(osen, "2026-01-15", messages=("grunderkommune",))  # Q1: grunderkommune
    article(osen, "2026-03-31", messages=("grunderkommune", "attraktiv"))  # Q1: both
    article(osen, "2026-04-01", messages=("attraktiv",))  # Q2: attraktiv
    article(osen, "2026-09-30", messages=("grunderkommune",))  # Q3: grunderkommune
    article(osen, "2026-12-01", messages=("grunderkommune",))  # after the as-of day
    article(osen, "2025-12-31", messages=("attraktiv",))  # the year before
    article(osen, "2026-10-10")  # no message
    # the period is the second half-year: the table shows the quarters of its whole year
    km = build_report(osen, parse_period("2026-H2"), as_of=AS_OF).messages
    assert km is not None and km.year == 2026
    counts = {m.key: m.counts for m in km.rows}
    # logged here: grunderkommune Q1 two (01-15, 03-31), Q3 one (09-30); the one of 12-01
    # is after the day. attraktiv Q1 one (03-31), Q2 one (04-01); 2025 is not counted.
    here = {"grunderkommune": (2, 0, 1, 0), "attraktiv": (1, 1, 0, 0),
            "bedriftsutvikling": (0, 0, 0, 0)}
    assert counts == {k: tuple(a + b for a, b in zip(here[k], EXAMPLE_MESSAGES[k],
                                                     strict=True)) for k in here}
    assert counts == {"grunderkommune": (2, 1, 2, 1), "attraktiv": (1, 1, 1, 2),
                      "bedriftsutvikling": (1, 1, 1, 0)}
    assert km.articles == 4 + 7  # 01-15, 03-31, 04-01, 09-30 and the example's seven
    assert [m.total for m in km.rows] == [6, 5, 3]
    status = render_markdown(build_report(osen, Period.year(2026), as_of=AS_OF))
    assert ("Hovedbudskap i media i 2026 (11 saker): «Osen er en gründerkommune» 6, "
            "«Osen er en attraktiv kommune for utenbygds-gründere å flytte bedriften sin "
            "til» 5, «Omstillingsarbeidet støtter konkrete bedriftsutviklingsprosjekt i "
            "Osen» 3." in status)
    english = render_markdown(build_report(osen, Period.year(2026), as_of=AS_OF,
                                           language="en"))
    assert ("Key messages in the media in 2026 (11 articles): «Osen is a municipality for "
            "entrepreneurs» 6, «Osen is an attractive place for entrepreneurs from elsewhere "
            "to move their business to» 5, «The programme supports concrete business "
            "development projects in Osen» 3." in english)


def test_the_dashboard_shows_the_key_messages_escaped(osen_folder: Path,
                                                     tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    shutil.copytree(osen_folder, root)
    plan = root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + '\n[[messages]]\nkey = "farlig"\n'
                    'text = "<script>alert(1)</script> {{ 7*7 }}"\n', encoding="utf-8")
    with Workspace(root) as ws:
        article(ws, "2026-05-05", messages=("farlig",))
        page = write_report(ws, Period.year(2026), as_of=AS_OF,
                            out=tmp_path / "rapport.html").read_text(encoding="utf-8")
        status = render_markdown(build_report(ws, Period.year(2026), as_of=AS_OF))
    assert "«\\<script\\>alert(1)\\</script\\> \\{\\{ 7\\*7 \\}\\}» 1" in status
    assert 'id="budskap"' in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page
