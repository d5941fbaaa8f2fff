"""The three kinds of list, their columns and the header names a file may use for them.

English headers are those of SPEC §4 and of exported files; bokmål and nynorsk names
work too. Headers and plan keys are compared folded by :func:`_norm` (``E-post``,
``e_post`` and ``e post`` are one column), stakeholders' names by :func:`_name_key`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from ..errors import InvalidInput
from ..rules import id_key

Kind = Literal["stakeholders", "relationships", "interactions"]
KINDS: tuple[Kind, ...] = ("stakeholders", "relationships", "interactions")

#: The columns of each kind, in the order of SPEC §4 (and of exported CSV files).
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "stakeholders": ("id", "name", "first_name", "kind", "email", "phone", "address",
                     "organisation", "roles", "groups", "influence", "interest", "language",
                     "legal_basis", "tags", "notes"),
    "relationships": ("source", "target", "kind", "strength", "directed", "start", "end"),
    "interactions": ("id", "date", "kind", "channel", "participants", "groups", "topic",
                     "commitments", "host", "success", "notes", "sentiment", "outlet",
                     "tone", "story", "messages"),
}

#: Header names besides the English ones: bokmål first, then nynorsk where it differs.
_ALIASES: dict[Kind, dict[str, tuple[str, ...]]] = {
    "stakeholders": {
        "id": (), "name": ("navn", "namn"), "first_name": ("fornavn", "førenamn"),
        "kind": ("type",),
        "email": ("e-post", "epost"), "phone": ("telefon",), "address": ("adresse",),
        "organisation": ("organisasjon", "organization"),
        "roles": ("roller", "rolle"), "groups": ("målgrupper", "målgruppe"),
        "influence": ("innflytelse", "innverknad"),
        "interest": ("interesse",), "language": ("målform", "språk"),
        "legal_basis": ("rettslig_grunnlag", "rettsleg_grunnlag"), "tags": ("stikkord",),
        "notes": ("notater", "notat"),
    },
    "relationships": {
        "source": ("fra", "kilde", "frå", "kjelde"), "target": ("til", "mål"),
        "kind": ("type",), "strength": ("styrke",), "directed": ("rettet", "retta"),
        "start": (), "end": ("slutt",),
    },
    "interactions": {
        "id": (), "date": ("dato",), "kind": ("type",), "channel": ("kanal",),
        "participants": ("deltakere", "deltakarar"), "groups": ("målgrupper", "målgruppe"),
        "topic": ("tema",), "commitments": ("tiltak",), "host": ("vert",),
        "success": ("suksess",), "notes": ("notater", "notat"),
        "sentiment": ("stemning",), "outlet": ("medium", "mediehus"), "tone": (),
        "story": ("historie", "suksesshistorie"), "messages": ("budskap", "bodskap"),
    },
}

_REQUIRED: dict[Kind, tuple[str, ...]] = {
    "stakeholders": ("name",),
    "relationships": ("source", "target", "kind"),
    "interactions": ("date", "kind"),
}

_KIND_WORDS: dict[str, Kind] = {
    **dict.fromkeys(("stakeholders", "stakeholder", "interessenter", "interessent"),
                    "stakeholders"),
    **dict.fromkeys(("relationships", "relationship", "relasjoner", "relasjon"),
                    "relationships"),
    **dict.fromkeys(("interactions", "interaction", "kontakter", "kontakt", "aktiviteter",
                     "aktivitet"), "interactions"),
}


def parse_kind(text: str) -> Kind:
    """``stakeholders``, ``relationships`` or ``interactions``, from those words, their
    singulars or the Norwegian ``interessenter``, ``relasjoner``, ``kontakter``."""
    kind = _KIND_WORDS.get(text.strip().lower())
    if kind is None:
        raise InvalidInput(
            f"unknown kind {text!r} (expected stakeholders, relationships or interactions)"
        )
    return kind


def _norm(text: str) -> str:
    """Case, accents, spacing and punctuation folded away, as in ids: ``E-post`` ==
    ``e_post`` == ``e post``, ``Næringslivet`` == ``naeringslivet``, ``Mål`` == ``mal``."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "_", text).strip("_")


def _name_key(text: str) -> str:
    """A name as names are compared: spacing, case and Unicode form folded."""
    return id_key(" ".join(text.split()))


def _known_columns(kind: Kind) -> str:
    parts = [f"{c} ({'/'.join(n)})" if n else c for c, n in _ALIASES[kind].items()]
    return f"{kind} columns: " + ", ".join(parts)
