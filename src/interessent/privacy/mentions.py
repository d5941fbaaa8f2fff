"""Finding people in free text by their full name, id, e-mail, phone or address, so
erasure can scrub them and an export can hide other people."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_WORD = re.compile(r"\w+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t.\-]{3,}\d(?!\w)")


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def _national(digits: str) -> str:
    if digits.startswith("0047") and len(digits) >= 12:
        return digits[4:]
    if digits.startswith("47") and len(digits) == 10:
        return digits[2:]
    return digits


class _People:
    """Finds people in free text by their full name, id, e-mail, phone or address.

    Word sequences are looked up in a table, so the cost is one pass over the text however
    many people are looked for. Letter case, accents written as composed or decomposed
    characters, and the spacing of phone numbers do not matter. A first name or a surname
    alone is not found: it is not unique enough to remove (docs/privacy.md)."""

    def __init__(self, people: Iterable[tuple[Any, Iterable[str | None], str | None]]) -> None:
        self.sequences: dict[tuple[str, ...], Any] = {}
        self.phones: dict[str, Any] = {}
        for key, texts, phone in people:
            for text in texts:
                words = _words(text or "")
                if words:
                    self.sequences.setdefault(words, key)
            digits = re.sub(r"\D", "", phone or "")
            if len(digits) >= 5:
                self.phones.setdefault(_national(digits), key)
        self.lengths = sorted({len(w) for w in self.sequences}, reverse=True)
        self.firsts = {w[0] for w in self.sequences}

    def __bool__(self) -> bool:
        return bool(self.sequences or self.phones)

    def find(self, text: str) -> list[tuple[int, int, Any]]:
        """(start, end, key) of every mention in ``text`` (NFC-normalised), in order."""
        text = unicodedata.normalize("NFC", text)
        spans: list[tuple[int, int, Any]] = []
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
        spans.sort()
        merged: list[tuple[int, int, Any]] = []
        for span in spans:
            if merged and span[0] < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], span[1]), last[2])
            else:
                merged.append(span)
        return merged

    def replace(self, text: str, by: str) -> tuple[str, set[Any]]:
        """``text`` with every mention replaced by ``by``, and whose mentions they were."""
        spans = self.find(text)
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
    """The texts that identify a stakeholder row in free text, and its phone."""
    return [row["name"], row["id"], row["email"], row["address"]], row["phone"]
