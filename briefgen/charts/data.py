"""What the charts draw: plain, immutable records the site model fills in.

The charts know nothing of briefings or the registry; the caller passes names,
statuses and the URLs to link to, already resolved.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChartCountry:
    """A country as a chart shows it: `url` is its page, `region` groups it on the map."""

    id: str
    name: str
    url: str
    region: str = ""


@dataclass(frozen=True, slots=True)
class ChartCell:
    """The current status of one pair in the matrix.

    `label` names the pair ("Armenia - Russia"); the tooltip adds the status.
    An empty label falls back to the two country names.
    """

    status: str
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class ChartEdge:
    """The current status of the pair `a`, `b` (country ids) on the map."""

    a: str
    b: str
    status: str
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One statement of a pair's status: `date` is YYYY-MM-DD (or an ISO datetime).

    `url` and `label` are the briefing that made the statement and its title.
    """

    date: str
    status: str
    url: str
    label: str


def unique_countries(countries: Sequence[ChartCountry]) -> dict[str, ChartCountry]:
    """The countries by id; two countries with one id are the caller's mistake."""
    by_id: dict[str, ChartCountry] = {}
    for country in countries:
        if country.id in by_id:
            raise ValueError(f"country id {country.id!r} is given twice")
        by_id[country.id] = country
    return by_id


def pair_key(a: str, b: str, known: Container[str]) -> tuple[str, str]:
    """The pair as (lower id, higher id), checked against the `known` country ids."""
    if a == b:
        raise ValueError(f"a relation needs two different countries, got {a!r} twice")
    for country in (a, b):
        if country not in known:
            raise ValueError(f"relation names country {country!r}, which is not among the countries")
    return (a, b) if a < b else (b, a)
