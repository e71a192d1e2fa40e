"""The country-relations index: every pair of countries with coverage, and its status history.

A pair has coverage when one briefing declares both countries. Its status
history is every relation statement about it, in briefing order; the current
status is the latest statement, and the trend compares it with the one
before (warmer: improved; colder: deteriorated; same: unchanged), as
CrisisWatch marks its monthly changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from briefgen.resolve import ResolvedBriefing

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class StatusPoint:
    """One statement: on `date`, briefing number `position` said the pair is `status`."""

    date: dt.date
    status: str
    note: str
    position: int


@dataclass(frozen=True)
class PairRecord:
    pair: Pair
    points: tuple[StatusPoint, ...]
    briefings: tuple[int, ...]

    @property
    def current(self) -> str | None:
        return self.points[-1].status if self.points else None

    @property
    def previous(self) -> str | None:
        return self.points[-2].status if len(self.points) > 1 else None

    def trend(self, vocabulary: Sequence[str]) -> str | None:
        """improved, deteriorated or unchanged against the previous statement; None for a first one."""
        if self.current is None or self.previous is None:
            return None
        now, before = vocabulary.index(self.current), vocabulary.index(self.previous)
        if now < before:
            return "improved"
        if now > before:
            return "deteriorated"
        return "unchanged"

    @property
    def last_change(self) -> dt.date | None:
        """When the status last took its current value."""
        if not self.points:
            return None
        for later, earlier in zip(reversed(self.points), reversed(self.points[:-1]), strict=False):
            if later.status != earlier.status:
                return later.date
        return self.points[0].date


def build_relations(briefings: Sequence[ResolvedBriefing]) -> list[PairRecord]:
    """Every covered pair, most recently active first (ties by pair ids).

    `briefings` is newest first; positions refer to it.
    """
    covering: dict[Pair, list[int]] = {}
    for position, item in enumerate(briefings):
        for a, b in combinations(sorted(set(item.countries)), 2):
            covering.setdefault((a, b), []).append(position)
    points: dict[Pair, list[StatusPoint]] = {}
    for position in range(len(briefings) - 1, -1, -1):  # oldest first
        item = briefings[position]
        for relation in sorted(item.relations, key=lambda r: r.line):
            points.setdefault(relation.pair, []).append(
                StatusPoint(item.briefing.date, relation.status, relation.note, position)
            )
    records = [
        PairRecord(pair, tuple(points.get(pair, ())), tuple(positions))
        for pair, positions in covering.items()
    ]
    records.sort(key=lambda r: (r.briefings[0], r.pair))
    return records
