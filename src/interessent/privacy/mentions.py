"""Finding people in free text by their full name, id, e-mail or phone, so erasure can
scrub them and an access export can hide other people.

A person is found only by what identifies them: a sequence of two or more words (their
full name, or their id, which is made from it), their e-mail address or their phone
number. Never by one word — a first name, a surname or a one-word name such as
"Osen" — and never by their address: a place is not a person, and a place name is
shared by everyone who lives there (docs/privacy.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

_WORD = re.compile(r"\w+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t.\-]{3,}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Fewer words than this are never looked for: one word is not a person.
MIN_WORDS = 2
#: A phone number has at least this many digits (a year or a post code has fewer).
MIN_DIGITS = 5


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def _national(digits: str) -> str:
    if digits.startswith("0047") and len(digits) >= 12:
        return digits[4:]
    if digits.startswith("47") and len(digits) == 10:
        return digits[2:]
    return digits


def _phone_key(phone: str | None) -> str | None:
    """A phone number as compared: its national digits, or None when too short."""
    digits = re.sub(r"\D", "", phone or "")
    return _national(digits) if len(digits) >= MIN_DIGITS else None


def _email_key(text: str | None) -> str | None:
    """``text`` as an e-mail address is compared (NFC, case folded), or None if it is none."""
    value = unicodedata.normalize("NFC", (text or "").strip())
    return value.casefold() if _EMAIL.fullmatch(value) else None


def _sequence(text: str | None) -> tuple[str, ...] | None:
    """The words of a name or id as compared, or None when they are too few to identify."""
    words = _words(text or "")
    return words if len(words) >= MIN_WORDS else None


class _People:
    """Finds people in free text by their full name, id, e-mail or phone.

    Each person is ``(key, texts, phone)``: a text that is an e-mail address is matched
    as one, any other text as its sequence of words (two or more). Word sequences are
    looked up in a table, so the cost is one pass over the text however many people are
    looked for. Letter case, accents written as composed or decomposed characters, and
    the spacing of phone numbers do not matter."""

    def __init__(self, people: Iterable[tuple[Any, Iterable[str | None], str | None]]) -> None:
        self.sequences: dict[tuple[str, ...], Any] = {}
        self.emails: dict[str, Any] = {}
        self.phones: dict[str, Any] = {}
        for key, texts, phone in people:
            for text in texts:
                email = _email_key(text)
                if email is not None:
                    self.emails.setdefault(email, key)
                    continue
                words = _sequence(text)
                if words is not None:
                    self.sequences.setdefault(words, key)
            digits = _phone_key(phone)
            if digits is not None:
                self.phones.setdefault(digits, key)
        self.lengths = sorted({len(w) for w in self.sequences}, reverse=True)
        self.firsts = {w[0] for w in self.sequences}

    def __bool__(self) -> bool:
        return bool(self.sequences or self.emails or self.phones)

    def find(self, text: str, only: Collection[Any] | None = None) -> list[tuple[int, int, Any]]:
        """(start, end, key) of every mention in ``text`` (NFC-normalised), in order; with
        ``only``, of those people alone."""
        text = unicodedata.normalize("NFC", text)
        spans: list[tuple[int, int, Any]] = []
        if self.emails and "@" in text:
            for m in _EMAIL.finditer(text):
                key = self.emails.get(m.group().casefold())
                if key is not None:
                    spans.append((m.start(), m.end(), key))
        if self.sequences:
            matches = list(_WORD.finditer(text))
            words = [m.group().casefold() for m in matches]
            i = 0
            while i < len(words):
                hit = None
                if words[i] in self.firsts:
                    for n in self.lengths:
                        key = self.sequences.get(tuple(words[i:i + n]))
                        if key is not None and i + n <= len(words):
                            hit = (n, key)
                            break
                if hit is None:
                    i += 1
                    continue
                n, key = hit
                spans.append((matches[i].start(), matches[i + n - 1].end(), key))
                i += n
        if self.phones:
            for m in _PHONE.finditer(text):
                key = self.phones.get(_national(re.sub(r"\D", "", m.group())))
                if key is not None:
                    spans.append((m.start(), m.end(), key))
        if only is not None:
            spans = [span for span in spans if span[2] in only]
        spans.sort()
        merged: list[tuple[int, int, Any]] = []
        for span in spans:
            if merged and span[0] < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], span[1]), last[2])
            else:
                merged.append(span)
        return merged

    def keys(self, text: str) -> set[Any]:
        """Whose mentions ``text`` holds."""
        return {key for _s, _e, key in self.find(text)}

    def replace(self, text: str, by: str, only: Collection[Any] | None = None
                ) -> tuple[str, set[Any]]:
        """``text`` with every mention (with ``only``, of those people) replaced by ``by``,
        and whose mentions they were."""
        spans = self.find(text, only)
        if not spans:
            return text, set()
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        at = 0
        for start, end, _key in spans:
            out += [text[at:start], by]
            at = end
        out.append(text[at:])
        return "".join(out), {key for _s, _e, key in spans}


def _identifiers(row: Any) -> tuple[list[str | None], str | None]:
    """The texts that identify a stakeholder row in free text (full name, id, e-mail; not
    the address), and its phone."""
    return [row["name"], row["id"], row["email"]], row["phone"]
