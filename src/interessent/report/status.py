"""The status report to the council (and TFK, IN and KMD): one list of headings,
paragraphs, tables and bullets, written as Markdown or as a Word document."""

from __future__ import annotations

import io
import re

from attrs import frozen

from ..coverage import CommitmentStatus, Status
from .data import Report, Story
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
    """The status report to the council (and TFK, IN, KMD), as headings, paragraphs and
    tables both writers share."""
    blocks: list[_Block] = [
        _Heading(0, f"{r.title} – {r.programme}"),
        _Para(f"{r.municipality} · per {_date(r.as_of)} · utkast laget med interessent "
              f"fra kommunikasjonsloggen", italic=True),
        _Heading(1, "Sammendrag"),
        _Para(_summary(r)),
        _Heading(1, "Dekning per målgruppe"),
        _Para("Dekningen veier sammen hvor mange i målgruppen som er nådd direkte og "
              "gjennom nettverket (vektet etter innflytelse), hvor mange av "
              "opinionsdannerne som er informert, og hvor godt tiltakene er holdt."),
        _Table(("Målgruppe", "Medlemmer", "Nådd direkte", "Direkte dekning",
                "Via nettverket", "Opinionsdannere informert", "Dekning"),
               tuple((g.name, _number(g.members), _number(g.reached_directly),
                      _percent(g.direct_reach), _percent(g.network_reach),
                      f"{g.leaders_informed} av {g.leaders}" if g.leaders else "–",
                      _percent(g.score)) for g in r.coverage)),
        _Heading(1, "Tiltak i kommunikasjonsstrategien"),
    ]
    kept = [c for c in r.commitments if c.status in (Status.MET, Status.DUE, Status.NOT_STARTED)]
    missed = [c for c in r.commitments if c.status in (Status.BEHIND, Status.OVERDUE)]
    idle = [c for c in r.commitments if c.status is Status.NOT_ACTIVE]
    headers = ("Tiltak", "Status", "Gjort", "Forklaring")

    def row(c: CommitmentStatus) -> tuple[str, ...]:
        done = f"{c.actual} av {c.expected}" if c.expected else "–"
        return (f"{c.id} {c.title}", status_words()[c.status], done, r.notes[c.id])

    blocks.append(_Heading(2, f"Holdt eller i rute ({len(kept)})"))
    blocks.append(_Table(headers, tuple(row(c) for c in kept)) if kept else
                  _Para("Ingen."))
    blocks.append(_Heading(2, f"Ikke holdt ({len(missed)})"))
    blocks.append(_Table(headers, tuple(row(c) for c in missed)) if missed else
                  _Para("Alle tiltak som har begynt, er holdt."))
    if idle:
        blocks.append(_Para("Ikke aktive i perioden: " + ", ".join(
            f"{c.id} {c.title}" for c in idle) + "."))
    blocks.append(_Heading(1, "Suksesshistorier"))
    if r.stories:
        blocks.append(_Bullets(tuple(_story_line(s) for s in r.stories)))
    else:
        blocks.append(_Para("Ingen kontakter er logget som suksesshistorie i perioden. "
                            "Strategien sier at suksesshistorier skal kommuniseres aktivt."))
    res = r.resources
    blocks += [
        _Heading(1, "Ressursbruk"),
        _Para(f"Kommunikasjonsloggen viser {_number(res.total)} kontakter og aktiviteter i "
              f"perioden fram til {_date(min(r.as_of, r.period.end))}: "
              f"{_number(res.letters)} brev og e-poster (til {_number(res.letter_recipients)} "
              f"mottakere), {_number(res.meetings)} møter og arrangementer, herav "
              f"{_number(res.board_meetings)} styremøter, og {_number(res.people_met)} "
              "ulike interessenter møtt."),
        _Table(("Type", "Antall"), tuple((k, _number(n)) for k, n in res.by_kind)),
        _Table(("Kanal", "Antall"), tuple((k, _number(n)) for k, n in res.by_channel)),
        _Para("Økonomi: interessent fører ikke regnskap. Daglig leder fyller inn: brukt "
              "hittil i perioden ______ kr av et budsjett på ______ kr; "
              "herav til kommunikasjon ______ kr.", italic=True),
        _Heading(1, "Dette forfaller fremover"),
    ]
    if r.dues.items:
        blocks.append(_Table(
            ("Tiltak", "Hastegrad", "Frist", "Forklaring"),
            tuple((f"{i.commitment.id} {i.commitment.title}",
                   status_words().get(i.urgency, i.urgency),
                   _date(i.commitment.due) if i.commitment.due else "–",
                   r.notes.get(i.commitment.id, "")) for i in r.dues.items)))
    else:
        blocks.append(_Para(f"Ingenting er forsinket eller forfaller de neste "
                            f"{r.dues.within} dagene."))
    return blocks


def _story_line(s: Story) -> str:
    who = f" ({', '.join(s.who)})" if s.who else ""
    notes = f" {s.notes}" if s.notes else ""
    return f"{_date(s.date)}: {s.topic or s.kind}{who}.{notes}".replace("..", ".")


def _summary(r: Report) -> str:
    active = [c for c in r.commitments if c.status is not Status.NOT_ACTIVE]
    on_track = r.count(Status.MET, Status.DUE, Status.NOT_STARTED)
    behind, overdue = r.count(Status.BEHIND), r.count(Status.OVERDUE)
    parts = [f"{on_track} av {len(active)} tiltak i kommunikasjonsstrategien holdt eller i "
             "rute"]
    if behind:
        parts.append(f"{behind} henger etter")
    if overdue:
        parts.append(f"{overdue} er forsinket")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    text = f"Per {_date(r.as_of)} er {listed}."
    scored = [g for g in r.coverage if g.members]
    if scored:
        best = max(scored, key=lambda g: g.score)
        worst = min(scored, key=lambda g: g.score)
        text += (f" Dekningen er best for {best.name} ({_percent(best.score)}) og svakest "
                 f"for {worst.name} ({_percent(worst.score)}).")
    n = len(r.stories)
    text += (f" {n} suksesshistorie{'' if n == 1 else 'r'} er fortalt." if n else
             " Ingen suksesshistorier er logget i perioden.")
    return text


def _md(text: str) -> str:
    """Markdown-safe text: punctuation that means something is escaped, so a name can
    neither start a table cell, a link nor raw HTML."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]{}<>#|!~])", r"\\\1", text)


def render_markdown(report: Report) -> str:
    """The status report as Markdown."""
    lines: list[str] = []
    for block in _status_blocks(report):
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
    """The status report as a Word document."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    props = doc.core_properties
    props.title = _xml(f"{report.title} – {report.programme}")[:255]
    props.subject = "Status for kommunikasjonsstrategien"
    props.author = "interessent"
    props.language = "nb-NO"
    for block in _status_blocks(report):
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
    return buffer.getvalue()


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text Word can hold: control characters XML forbids are dropped."""
    return _XML_BAD.sub("", text)
