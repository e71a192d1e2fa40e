"""What each page reads, as a cheap digest made without making the page's data
(`PageSpec.inputs`), so that a build can tell which pages an edit touches.

Each method mirrors one page builder (`pages.py`, `relation_pages.py`) and what
the head of such a page reads (`head.py`): a builder may read nothing of the
model that its method here leaves out, beyond site-wide data (configuration,
templates, feeds), so change them together. Leaving something in that a page
does not show costs a needless check, never a stale page. A property test holds
every page to its digest over random edit sequences (tests/test_page_inputs.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from briefgen.cache import data_digest
from briefgen.entities import EntityRef
from briefgen.sitemodel.model import SiteModel
from briefgen.sitemodel.relations import PairRecord
from briefgen.sitemodel.views import Card, Links

Inputs = Callable[[], bytes]


class Sources(Protocol):
    """What the pages of a site are made of when their data is made (`pages.Layout`)."""

    model: SiteModel
    links: Links
    cards: list[Card]
    inputs: PageInputs


class PageInputs:
    """Digests for the pages of one build; parts are digested once and shared."""

    def __init__(self, model: SiteModel, card_list: Sequence[Card]) -> None:
        self.model, self.card_list = model, card_list
        self._pairs: dict[tuple[str, str], tuple[bytes, frozenset[int]]] = {}
        self.era = 0  # how often it was reshaped

    def once(self, inputs: Inputs) -> Inputs:
        """`inputs` computed on the first call only (shared by the pages of one list), until
        `reshape`."""
        return _Once(inputs, self)

    def remembered(self, inputs: Inputs) -> tuple[bytes, frozenset[int]]:
        """`inputs()`, and the briefings it read (`ModelDigests.reading`), for a digest made
        once and used again: each use must read them again (`ModelDigests.read`)."""
        return self.model.digests.reading(inputs)

    def reshape(self, model: SiteModel) -> None:
        """Digest `model` from now on: one of the same shape (`pages.Layout.reshape`), whose
        cards are this one's, changed in place."""
        self.model = model
        self._pairs.clear()
        self.era += 1

    @functools.cached_property
    def _positions(self) -> dict[int, int]:
        """Each card's position, by the card's identity (cards are made once per build)."""
        return {id(card): position for position, card in enumerate(self.card_list)}

    def card(self, card: Card) -> bytes:
        return self.model.digests.card(self._positions[id(card)])

    def cards(self, positions: Sequence[int]) -> list[bytes]:
        return [self.model.digests.card(position) for position in positions]

    def actor(self, actor_id: str) -> bytes:
        return self.model.digests.entity(EntityRef("actor", actor_id))

    def country(self, country_id: str) -> bytes:
        return self.model.digests.entity(EntityRef("country", country_id))

    def briefing_page(self, position: int) -> bytes:
        """`pages._briefing_context`, and the head of a briefing page: the briefing, the
        entities and tags it links to, the cards of its related briefings."""
        item = self.model.briefings[position]
        pairs = [country for relation in item.relations for country in relation.pair]
        return data_digest((
            self.model.digests.briefing(position),
            [(tag, self.model.tag_slugs[tag]) for tag in item.briefing.tags],
            [self.actor(a) for a in item.actors],
            [self.country(c) for c in (*item.countries, *pairs)],
            self.cards(self.model.related[position]),
        ))

    def listed(self, own: Inputs, items: Sequence[Card], pager: Mapping[str, Any]) -> bytes:
        """A page of `paginate.list_pages`: what the list's page shows besides the list
        (`own`), its slice of cards, and its pager."""
        return data_digest((own(), [self.card(card) for card in items], pager))

    def also_mentioned(self, entity: EntityRef) -> tuple[list[bytes], int]:
        """`pages._also_mentioned`."""
        positions = self.model.also_mentioned.get(entity, ())
        return self.cards(positions[:self.model.linked.config.page_size]), len(positions)

    def actor_page(self, actor_id: str) -> bytes:
        """What an actor's pages show besides their list (`pages._actor_context`), and their head:
        the actor (with its country and profile), its co-actors, its undeclared mentions."""
        country = self.model.linked.actor_country.get(actor_id)
        return data_digest((
            self.actor(actor_id),
            self.country(country) if country else b"",
            [(self.actor(other), count) for other, count in self.model.co_actors.get(actor_id, [])],
            self.also_mentioned(EntityRef("actor", actor_id)),
        ))

    def country_page(self, country_id: str, actors: Sequence[str], pairs: Sequence[PairRecord]) -> bytes:
        """What a country's pages show besides their list (`pages._country_context`), and their
        head: the country, its `actors`, the summaries of its `pairs`, its undeclared mentions."""
        return data_digest((
            self.country(country_id),
            [self.actor(a) for a in actors],
            [self.pair(record) for record in pairs],
            self.also_mentioned(EntityRef("country", country_id)),
        ))

    def pair(self, record: PairRecord) -> bytes:
        """`relation_pages.pair_summary`: the statements of the record and how many briefings
        it has, both countries, its newest briefing.

        Not the record itself: its positions shift for every pair when a newer
        briefing is added, and so would the digest of every pair and country page.
        """
        found = self._pairs.get(record.pair)
        if found is None:
            found = self._pairs[record.pair] = self.remembered(lambda: data_digest((
                record.pair, [(point.date, point.status, point.note) for point in record.points],
                len(record.briefings),
                [self.country(c) for c in record.pair], self.cards(record.briefings[:1]),
            )))
        else:
            self.model.digests.read(found[1])
        return found[0]

    def pair_page(self, record: PairRecord) -> bytes:
        """What a pair's pages show besides their list (`relation_pages._pair_context`): its
        summary, the briefings of its history, and the actors its briefings declare."""
        declared = [self.model.briefings[position].actors for position in record.briefings]
        return data_digest((
            self.pair(record),
            self.cards([point.position for point in record.points]),
            declared,
            [self.actor(a) for a in sorted({a for actors in declared for a in actors})],
        ))


class _Once:
    """`PageInputs.once`. The `PageInputs` does not hold it: that would hold every page's
    digest function, and they it (a reference cycle through a large site)."""

    __slots__ = ("_inputs", "_made", "_owner", "_value")

    def __init__(self, inputs: Inputs, owner: PageInputs) -> None:
        self._inputs, self._owner = inputs, owner
        self._made, self._value = -1, (b"", frozenset[int]())

    def __call__(self) -> bytes:
        owner = self._owner
        if self._made != owner.era:
            self._value, self._made = owner.remembered(self._inputs), owner.era
        else:
            owner.model.digests.read(self._value[1])
        return self._value[0]
