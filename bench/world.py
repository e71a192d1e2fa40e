"""The fictional world of a corpus: countries, actors, tags and how popular each one is.

Everything is drawn from one `random.Random`, so a seed and a size fix the
whole world. Entities are listed most popular first; `Popularity` draws from
them with Zipf-like weights, so a few actors appear in hundreds of briefings
and most in a handful.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bench import names
from bench.names import ClaimBook

COUNTRY_COUNT = 60
TAG_COUNT = 30
MIN_ACTORS = 20
ORGANIZATION_SHARE = 0.2

TAGS = (
    "diplomacy", "security", "trade", "energy", "elections", "sanctions", "migration",
    "climate", "defence", "finance", "border", "maritime", "cyber", "health", "agriculture",
    "infrastructure", "human-rights", "media", "courts", "protests", "aid", "mining",
    "transport", "water", "arms-control", "intelligence", "treaties", "labour", "space",
    "fisheries",
)
TOPICS = {
    "diplomacy": "diplomatic ties", "security": "regional security", "trade": "trade quotas",
    "energy": "gas transit", "elections": "the election timetable", "sanctions": "sanctions relief",
    "migration": "migration flows", "climate": "river flooding", "defence": "defence spending",
    "finance": "debt restructuring", "border": "the border demarcation", "maritime": "shipping lanes",
    "cyber": "network intrusions", "health": "vaccine supplies", "agriculture": "grain exports",
    "infrastructure": "the rail corridor", "human-rights": "detained activists",
    "media": "press accreditation", "courts": "the constitutional court", "protests": "street protests",
    "aid": "relief convoys", "mining": "lithium concessions", "transport": "transit fees",
    "water": "the dam project", "arms-control": "missile inspections",
    "intelligence": "intelligence sharing", "treaties": "the treaty review", "labour": "labour permits",
    "space": "the satellite launch", "fisheries": "fishing quotas",
}
REGIONS = ("Northern Reach", "Amber Coast", "Inner Steppe", "Southern Isles", "High Plateau",
           "Western Marches", "Salt Basin", "Eastern Littoral")
# (title, office, role): "Minister Varek", "Varessian Foreign Minister Ilsa Varek".
PERSON_ROLES = (
    ("President", "President", "President of {country}"),
    ("Minister", "Foreign Minister", "Foreign Minister of {country}"),
    ("Minister", "Defence Minister", "Defence Minister of {country}"),
    ("Premier", "Prime Minister", "Prime Minister of {country}"),
    ("General", "Army Chief", "Chief of the General Staff of {country}"),
    ("Ambassador", "Ambassador", "Ambassador of {country}"),
    ("Governor", "Central Bank Governor", "Governor of the central bank of {country}"),
    ("Senator", "Opposition Leader", "Opposition leader in {country}"),
    ("Envoy", "Special Envoy", "Special envoy of {country}"),
    ("Admiral", "Navy Commander", "Commander of the navy of {country}"),
    ("Judge", "Chief Justice", "Chief justice of {country}"),
    ("Director", "Intelligence Chief", "Intelligence chief of {country}"),
)
ORG_ADJECTIVES = ("Maritime", "Northern", "United", "Democratic", "Continental", "Federal",
                  "National", "Independent", "Eastern", "Sovereign", "Popular", "Central")
ORG_BODIES = ("Council", "Union", "Front", "Bank", "Alliance", "Institute", "Movement",
              "Commission", "Assembly", "Guard", "Party", "Forum", "Compact", "Agency")

T = TypeVar("T")


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    code: str
    demonym: str
    capital: str
    aliases: tuple[str, ...]
    region: str


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    country: Country
    role: str
    short: str
    """The short form prose uses after the first mention (surname or acronym)."""


class Popularity(Generic[T]):
    """Weighted draws from `items` (most popular first), weight 1 / rank ** exponent."""

    def __init__(self, items: Sequence[T], exponent: float) -> None:
        self.items = tuple(items)
        weights = [1.0 / (rank ** exponent) for rank in range(1, len(items) + 1)]
        self._cumulative = list(itertools.accumulate(weights))

    def one(self, rng: random.Random) -> T:
        point = rng.random() * self._cumulative[-1]
        return self.items[bisect.bisect_right(self._cumulative, point)]

    def some(self, rng: random.Random, count: int) -> list[T]:
        """`count` distinct items, each drawn by popularity, in draw order."""
        count = min(count, len(self.items))
        chosen: list[T] = []
        while len(chosen) < count:
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


@dataclass(frozen=True)
class World:
    countries: Popularity[Country]
    actors: Popularity[Actor]
    tags: Popularity[str]
    claims: ClaimBook


def actor_count(briefings: int) -> int:
    return max(MIN_ACTORS, briefings // 10)


def make_world(rng: random.Random, briefings: int, reserved_words: Sequence[str]) -> World:
    claims = ClaimBook(reserved_words)
    ids: set[str] = set()
    countries = _countries(rng, claims, ids)
    actors = [_actor(rng, claims, ids, countries) for _ in range(actor_count(briefings))]
    return World(
        countries=Popularity(countries, exponent=1.0),
        actors=Popularity(actors, exponent=0.85),
        tags=Popularity(TAGS[:TAG_COUNT], exponent=0.7),
        claims=claims,
    )


def _countries(rng: random.Random, claims: ClaimBook, ids: set[str]) -> list[Country]:
    countries: list[Country] = []
    codes: set[str] = set()
    while len(countries) < COUNTRY_COUNT:
        name, demonym = names.country_name(rng)
        capital = names.city_name(rng)
        aliases = [demonym, capital]
        if rng.random() < 0.5:
            aliases.append(f"Republic of {name}")
        country_id = names.fold(name)
        if country_id in ids or not claims.claim(name, *aliases):
            continue
        ids.add(country_id)
        code = _country_code(rng, name, codes)
        countries.append(Country(country_id, name, code, demonym, capital, tuple(aliases),
                                 rng.choice(REGIONS)))
    return countries


def _country_code(rng: random.Random, name: str, taken: set[str]) -> str:
    letters = [c.upper() for c in name if c.isalpha()]
    candidates = [letters[0] + other for other in letters[1:]]
    while True:
        for code in candidates:
            if code not in taken:
                taken.add(code)
                return code
        candidates = ["".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))]


def _actor(rng: random.Random, claims: ClaimBook, ids: set[str], countries: Sequence[Country]) -> Actor:
    while True:
        country = rng.choice(countries)
        make = _organization if rng.random() < ORGANIZATION_SHARE else _person
        actor = make(rng, country)
        if actor.id not in ids and claims.claim(actor.name, *actor.aliases):
            ids.add(actor.id)
            return actor


def _person(rng: random.Random, country: Country) -> Actor:
    first, last = names.given_name(rng), names.surname(rng)
    title, office, role = rng.choice(PERSON_ROLES)
    name = f"{first} {last}"
    aliases = [last, f"{title} {last}"]
    if rng.random() < 0.5:
        aliases.append(f"{country.demonym} {office} {name}")
    if rng.random() < 0.25:
        aliases.append(f"{first[0]}. {last}")
    return Actor(_id(name), name, "person", tuple(aliases), country,
                 role.format(country=country.name), last)


def _organization(rng: random.Random, country: Country) -> Actor:
    root = names.word(rng, 2)
    adjective, body = rng.choice(ORG_ADJECTIVES), rng.choice(ORG_BODIES)
    name = f"{root} {adjective} {body}"
    short = names.acronym(name.split())
    if rng.random() < 0.5:
        short = root[:2].upper() + short[1:]
    aliases = [short, f"{root} {body}"]
    return Actor(_id(name), name, "organization", tuple(aliases), country,
                 f"{body} based in {country.capital}", short)


def _id(name: str) -> str:
    return "-".join("".join(c for c in part if c.isalnum()) for part in names.fold(name).split())
