"""The status report to those the plan names (``[report] recipients``): one list of
headings, paragraphs, tables and bullets in the report's language, written as Markdown or
as a Word document tagged with that language."""

from __future__ import annotations

import io
import re

from attrs import frozen

from ..coverage import CommitmentStatus, Status
from ..i18n import gettext, localized, ngettext, using
from ..wordfile import tag_document, tag_word_file, word_tag
from .data import Report, Resources, Story
from .wording import _date, _number, _percent, status_words


@frozen
class _Heading:
    level: int
    text: str


@frozen
class _Para:
    text: str
    italic: bool = False


@frozen
class _Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@frozen
class _Bullets:
    items: tuple[str, ...]


_Block = _Heading | _Para | _Table | _Bullets


def _status_blocks(r: Report) -> list[_Block]:
    """The status report, as headings, paragraphs and tables both writers share, in the
    current language (:func:`render_markdown` and :func:`render_docx` set the report's)."""
    blocks: list[_Block] = [
        _Heading(0, f"{r.title} – {r.programme}"),
        _Para(gettext("{municipality} · as of {day} · draft made with interessent from the "
                      "communication log").format(municipality=r.municipality,
                                                  day=_date(r.as_of)), italic=True),
    ]
    if r.recipients:
        blocks.append(_Para(gettext("To: {recipients}").format(recipients=r.recipients)))
    blocks += [
        _Heading(1, gettext("Summary")),
        _Para(_summary(r)),
        _Heading(1, gettext("Coverage by target group")),
        _Para(gettext("Coverage weighs together how many in the target group have been "
                      "reached directly and through the network (weighted by influence), how "
                      "many of the opinion leaders have been informed, and how well the "
                      "commitments have been kept.")),
        _Table((gettext("Target group"), gettext("Members"), gettext("Reached directly"),
                gettext("Direct coverage"), gettext("Through the network"),
                gettext("Opinion leaders informed"), gettext("Coverage")),
               tuple((localized(g.name), _number(g.members), _number(g.reached_directly),
                      _percent(g.direct_reach), _percent(g.network_reach),
                      _of(g.leaders_informed, g.leaders) if g.leaders else "–",
                      _percent(g.score)) for g in r.coverage)),
    ]
    if r.acceptance_weight > 0 or any(g.stances_known for g in r.coverage):
        blocks.append(_Para(_acceptance_line(r)))
    blocks += [
        _Heading(1, gettext("Commitments of the communication strategy")),
    ]
    kept = [c for c in r.commitments if c.status in (Status.MET, Status.DUE, Status.NOT_STARTED)]
    missed = [c for c in r.commitments if c.status in (Status.BEHIND, Status.OVERDUE)]
    idle = [c for c in r.commitments if c.status is Status.NOT_ACTIVE]
    headers = (gettext("Commitment"), gettext("Status"), gettext("Done"),
               gettext("Explanation"))
    words = status_words()

    def row(c: CommitmentStatus) -> tuple[str, ...]:
        done = _of(c.actual, c.expected) if c.expected else "–"
        return (f"{c.id} {localized(c.title)}", words[c.status], done, r.notes[c.id])

    blocks.append(_Heading(2, gettext("Kept or on track ({n})").format(n=len(kept))))
    blocks.append(_Table(headers, tuple(row(c) for c in kept)) if kept else
                  _Para(gettext("None.")))
    blocks.append(_Heading(2, gettext("Not kept ({n})").format(n=len(missed))))
    blocks.append(_Table(headers, tuple(row(c) for c in missed)) if missed else
                  _Para(gettext("Every commitment that has begun is kept.")))
    if idle:
        blocks.append(_Para(gettext("Not active in the period: {commitments}.").format(
            commitments=", ".join(f"{c.id} {localized(c.title)}" for c in idle))))
    blocks.append(_Heading(1, gettext("Success stories")))
    if r.stories:
        blocks.append(_Bullets(tuple(_story_line(s) for s in r.stories)))
        if r.story_count > len(r.stories):
            blocks.append(_Para(gettext("The {shown} newest of {total} success stories in "
                                        "the period.").format(
                shown=_number(len(r.stories)), total=_number(r.story_count))))
    else:
        blocks.append(_Para(gettext("No contact is logged as a success story in the "
                                    "period.")))
    if r.messages is not None and r.messages.articles:
        blocks.append(_Para(_messages_line(r)))
    res = r.resources
    blocks += [
        _Heading(1, gettext("Resources used")),
        _Para(_resources_line(res, _date(min(r.as_of, r.period.end)))),
        _Table((gettext("Kind"), gettext("Number")),
               tuple((k, _number(n)) for k, n in res.by_kind)),
        _Table((gettext("Channel"), gettext("Number")),
               tuple((k, _number(n)) for k, n in res.by_channel)),
        _Para(_finance_line(r), italic=True),
        _Heading(1, gettext("Due ahead")),
    ]
    if r.dues.items:
        blocks.append(_Table(
            (gettext("Commitment"), gettext("Urgency"), gettext("Due"),
             gettext("Explanation")),
            tuple((f"{i.commitment.id} {localized(i.commitment.title)}",
                   words.get(i.urgency, i.urgency),
                   _date(i.commitment.due) if i.commitment.due else "–",
                   r.notes.get(i.commitment.id, "")) for i in r.dues.items)))
    else:
        blocks.append(_Para(ngettext(
            "Nothing is overdue or due in the next {n} day.",
            "Nothing is overdue or due in the next {n} days.", r.dues.within).format(
            n=r.dues.within)))
    return blocks


def _resources_line(res: Resources, day: str) -> str:
    """What the log shows of the resources used, each count with its own plural."""
    parts = {
        "total": ngettext("{n} contact or activity", "{n} contacts and activities",
                          res.total),
        "letters": ngettext("{n} letter or e-mail", "{n} letters and e-mails", res.letters),
        "recipients": ngettext("to {n} recipient", "to {n} recipients",
                               res.letter_recipients),
        "meetings": ngettext("{n} meeting or event", "{n} meetings and events", res.meetings),
        "board": ngettext("{n} of them a board meeting", "{n} of them board meetings",
                          res.board_meetings),
        "people": ngettext("{n} stakeholder met", "{n} different stakeholders met",
                           res.people_met),
    }
    counts = {"total": res.total, "letters": res.letters, "recipients": res.letter_recipients,
              "meetings": res.meetings, "board": res.board_meetings, "people": res.people_met}
    return gettext("The communication log shows {total} in the period up to {day}: "
                   "{letters} ({recipients}), {meetings}, {board}, and {people}.").format(
        day=day, **{k: v.format(n=_number(counts[k])) for k, v in parts.items()})


def _acceptance_line(r: Report) -> str:
    """One sentence on acceptance per group: of the members whose stance is known on the
    as-of day, how many support the programme."""
    known = [g for g in r.coverage if g.stances_known]
    if not known:
        return gettext("No member's stance on the programme is known yet, so acceptance "
                       "does not count in the coverage.")
    parts = ", ".join(gettext("{group} {share} ({part})").format(
        group=localized(g.name), share=_percent(g.acceptance),
        part=_of(g.supporting, g.stances_known)) for g in known)
    line = gettext("Acceptance, the share of the members with a known stance who support "
                   "the programme: {groups}.").format(groups=parts)
    if len(known) < len(r.coverage):
        line += " " + gettext("No stance is known in the other target groups.")
    return line


def _of(part: int, whole: int) -> str:
    """«3 av 5»."""
    return gettext("{part} of {whole}").format(part=part, whole=whole)


def _finance_line(r: Report) -> str:
    """The finance figures left blank, and who fills them in (the plan's
    ``report.finance_role``), if the plan says."""
    blanks = gettext("spent so far in the period ______ kr of a budget of ______ kr; "
                     "of this on communication ______ kr.")
    if r.finance_by:
        fill = gettext("{who} fills in: {blanks}").format(who=r.finance_by, blanks=blanks)
    else:
        fill = gettext("To fill in: {blanks}").format(blanks=blanks)
    return gettext("Finances: interessent keeps no accounts.") + " " + fill


def _story_line(s: Story) -> str:
    who = f" ({', '.join(s.who)})" if s.who else ""
    notes = f" {s.notes}" if s.notes else ""
    line = f"{_date(s.date)}: {s.topic or s.kind}{who}.{notes}".replace("..", ".")
    if s.published:
        line += " " + (gettext("Published by {outlets}.").format(outlets=", ".join(s.outlets))
                       if s.outlets else gettext("Published."))
    return line


def _messages_line(r: Report) -> str:
    """The key messages the media carried in the year, with how many articles each."""
    km = r.messages
    if km is None:
        return ""
    carried = ", ".join(f"«{m.text}» {_number(m.total)}" for m in km.rows if m.total)
    return ngettext("Key messages in the media in {year} ({n} article): {carried}.",
                    "Key messages in the media in {year} ({n} articles): {carried}.",
                    km.articles).format(year=km.year, n=_number(km.articles), carried=carried)


def _summary(r: Report) -> str:
    active = [c for c in r.commitments if c.status is not Status.NOT_ACTIVE]
    on_track = r.count(Status.MET, Status.DUE, Status.NOT_STARTED)
    behind, overdue = r.count(Status.BEHIND), r.count(Status.OVERDUE)
    parts = [ngettext("{n} of {total} commitment of the communication strategy is kept or "
                      "on track", "{n} of {total} commitments of the communication strategy "
                      "are kept or on track", len(active)).format(n=on_track, total=len(active))]
    if behind:
        parts.append(ngettext("{n} is behind", "{n} are behind", behind).format(n=behind))
    if overdue:
        parts.append(ngettext("{n} is overdue", "{n} are overdue", overdue).format(n=overdue))
    listed = parts[0] if len(parts) == 1 else gettext("{items}, and {last}").format(
        items=", ".join(parts[:-1]), last=parts[-1])
    text = gettext("As of {day}, {listed}.").format(day=_date(r.as_of), listed=listed)
    scored = [g for g in r.coverage if g.members]
    if scored:
        best = max(scored, key=lambda g: g.score)
        worst = min(scored, key=lambda g: g.score)
        if len(scored) == 1:
            text += " " + gettext("Coverage of {group} is {score}.").format(
                group=localized(best.name), score=_percent(best.score))
        elif best.score == worst.score:
            text += " " + gettext("Coverage is {score} for every group.").format(
                score=_percent(best.score))
        else:
            text += " " + gettext("Coverage is best for {best} ({best_score}) and weakest "
                                  "for {worst} ({worst_score}).").format(
                best=localized(best.name), best_score=_percent(best.score),
                worst=localized(worst.name), worst_score=_percent(worst.score))
    n = r.story_count
    text += " " + (ngettext("{n} success story told.", "{n} success stories told.", n).format(
        n=_number(n)) if n else gettext("No success stories logged in the period."))
    return text


def _md(text: str) -> str:
    """Markdown-safe text: punctuation that means something is escaped, so a name can
    neither start a table cell, a link nor raw HTML."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]{}<>#|!~])", r"\\\1", text)


def render_markdown(report: Report) -> str:
    """The status report as Markdown, in the report's language."""
    with using(report.language):
        blocks = _status_blocks(report)
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, _Heading):
            lines += ["#" * (block.level + 1) + " " + _md(block.text), ""]
        elif isinstance(block, _Para):
            lines += [f"*{_md(block.text)}*" if block.italic else _md(block.text), ""]
        elif isinstance(block, _Bullets):
            lines += [f"- {_md(item)}" for item in block.items] + [""]
        else:
            lines.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            lines.append("|" + "|".join("---" for _ in block.headers) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_docx(report: Report) -> bytes:
    """The status report as a Word document, in the report's language and tagged with it
    (``w:lang`` of the document's defaults and its styles, and the core properties), so
    that Word checks its spelling in that language."""
    from docx import Document
    from docx.shared import Pt

    with using(report.language):
        blocks = _status_blocks(report)
        subject = gettext("Status of the communication strategy")
    tag = word_tag(report.language)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    tag_document(doc, report.language)
    props = doc.core_properties
    props.title = _xml(f"{report.title} – {report.programme}")[:255]
    props.subject = subject
    props.author = "interessent"
    for block in blocks:
        if isinstance(block, _Heading):
            doc.add_heading(_xml(block.text), level=block.level)
        elif isinstance(block, _Para):
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(_xml(block.text))
            run.italic = block.italic
        elif isinstance(block, _Bullets):
            for item in block.items:
                doc.add_paragraph(_xml(item), style="List Bullet")
        else:
            table = doc.add_table(rows=1, cols=len(block.headers))
            table.style = "Light List Accent 1"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = _xml(text)
            for values in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=True):
                    cell.text = _xml(text)
            doc.add_paragraph()
    buffer = io.BytesIO()
    doc.save(buffer)
    return tag_word_file(buffer.getvalue(), tag)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text Word can hold: control characters XML forbids are dropped."""
    return _XML_BAD.sub("", text)
