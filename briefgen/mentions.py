"""Find entity names and aliases in running text with one Aho-Corasick automaton.

The cost of `find` grows with the text and the number of hits, not with the
number of entities. Rules:

- whole words only ("Putin" is not found in "Putinism"); a possessive
  ("Putin's") or a hyphenated compound ("Moscow-dominated") still counts;
- case is ignored except that every capitalised word of a name must be
  capitalised in the text, so the alias "Will" is not found in "will";
- overlapping candidates resolve leftmost first, then longest
  ("Armenian Prime Minister Nikol Pashinyan" over "Armenian").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from briefgen.entities import EntityRef, SurfaceForm


@dataclass(frozen=True, slots=True)
class Match:
    """`text[start:end]` names `entity`, through the surface form `form`."""

    start: int
    end: int
    entity: EntityRef
    form: str


def _fold(text: str) -> str:
    """Lower-case without changing the length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _capitals(form: str) -> tuple[int, ...]:
    """Offsets of the word-initial capitals a match must keep."""
    return tuple(
        i for i, c in enumerate(form)
        if c.isupper() and (i == 0 or not form[i - 1].isalnum())
    )


class MentionMatcher:
    """All surface forms of a registry, compiled once; `find` is then cheap per text."""

    def __init__(self, forms: Iterable[SurfaceForm]) -> None:
        self._automaton = ahocorasick.Automaton()
        digest = hashlib.sha256()
        count = 0
        for form in forms:
            text = " ".join(form.text.split())
            key = _fold(text)
            if not key.strip() or key in self._automaton:
                continue
            self._automaton.add_word(key, (len(key), text, _capitals(text), form.entity))
            # The form as written, not only its folded key: its capitals decide what it matches.
            digest.update(f"{text}\x00{form.entity.kind}\x00{form.entity.id}\x01".encode())
            count += 1
        self.size = count
        self.fingerprint = digest.hexdigest()
        if count:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in text order."""
        if not self.size:
            return []
        folded = _fold(text)
        if len(folded) != len(text):  # pragma: no cover - _fold keeps lengths by design
            return []
        candidates: list[tuple[int, int, Match]] = []
        for end_index, (length, form, capitals, entity) in self._automaton.iter(folded):
            start = end_index - length + 1
            end = end_index + 1
            if not _is_word_boundary(text, start, end):
                continue
            if any(not text[start + i].isupper() for i in capitals):
                continue
            candidates.append((start, -length, Match(start, end, entity, form)))
        candidates.sort(key=lambda c: (c[0], c[1]))
        chosen: list[Match] = []
        covered = 0
        for start, _, match in candidates:
            if start >= covered:
                chosen.append(match)
                covered = match.end
        return chosen


def _is_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
