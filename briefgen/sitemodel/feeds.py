"""Atom feeds as plain data: one for the site, one per actor, country and relation pair.

Every date comes from the content (a briefing's date, time and `updated`), never
from the clock, and every entry id is derived from the site's host, the
briefing's date and its slug, so the same content always gives the same feed.
A feed's own `updated` is its newest entry's.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefgen import urls
from briefgen.cache import data_digest
from briefgen.content.models import Briefing
from briefgen.packed import PackedHtml
from briefgen.resolve import ResolvedBriefing
from briefgen.sitemodel.model import Remembered, SiteModel

FEED_SIZE = 50
TOPIC_FEED_SIZE = 20
NO_DATE = "1970-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str
    title: str
    url: str
    published: str
    updated: str
    summary: str
    content_html: PackedHtml
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: `url` is where it is served, `page_url` the page it follows (site URLs)."""

    url: str
    page_url: str
    title: str
    subtitle: str
    id: str
    updated: str
    entries: tuple[FeedEntry, ...]
    full_content: bool = False


@dataclass(frozen=True, slots=True)
class FeedLink:
    """What a page's `<link rel="alternate">` needs."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class FeedSource:
    """A feed before its entries are made: which page it follows and which briefings it holds.

    `positions` index `SiteModel.briefings`, newest first, like the model's indexes.
    """

    page_url: str
    title: str
    subtitle: str
    positions: tuple[int, ...]
    full_content: bool = False


def feed_sources(model: SiteModel) -> list[FeedSource]:
    """The site feed, then one per actor, country (even with no briefings yet) and covered pair.

    The site feed carries each briefing's full text; the topic feeds (one per
    entity and pair, thousands on a large site) carry summaries and links, and
    fewer entries, so that they stay small.
    """
    registry = model.linked.registry
    site = model.linked.config.title
    sources = [FeedSource(urls.HOME, site, model.linked.config.description,
                          tuple(range(len(model.briefings))), full_content=True)]
    for actor_id, actor in sorted(registry.actors.items()):
        sources.append(FeedSource(urls.actor_url(actor_id), f"{site}: {actor.name}",
                                  f"Briefings about {actor.name}", model.by_actor.get(actor_id, ())))
    for country_id, country in sorted(registry.countries.items()):
        sources.append(FeedSource(urls.country_url(country_id), f"{site}: {country.name}",
                                  f"Briefings about {country.name}",
                                  model.by_country.get(country_id, ())))
    for record in sorted(model.relations, key=lambda r: r.pair):
        a, b = (registry.countries[c].name for c in record.pair)
        sources.append(FeedSource(urls.pair_url(*record.pair), f"{site}: {a}-{b}",
                                  f"Briefings on relations between {a} and {b}", record.briefings))
    return sources


def feed_links(sources: Sequence[FeedSource]) -> dict[str, FeedLink]:
    """Page URL to the feed that follows it."""
    return {s.page_url: FeedLink(urls.feed_url(s.page_url), s.title) for s in sources}


class Feeds:
    """The feeds of `sources`, each made only when asked for (`feeds[i]`): in the worker
    that renders it, or digests its whole data. Most feeds of a large site are neither
    after one edit (their cheap digest, `inputs`, needs no entries), so their
    entries, 75,000 at 100,000 briefings, are not made at all. An entry is made once
    per process (and kept in `remembered`, when given, for a long-lived build)."""

    def __init__(self, model: SiteModel, sources: Sequence[FeedSource],
                 remembered: Remembered | None = None) -> None:
        self.model, self.sources, self.remembered = model, sources, remembered
        self._entries: dict[int, FeedEntry] = {}
        self._newest: str | None = None  # only a feed with no entries needs it
        self._updated_at: dict[int, tuple[dt.datetime, str]] = {}

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, index: int) -> Feed:
        """The feed, made now (a job asks for its feed once); its entries are made once."""
        source = self.sources[index]
        chosen = tuple(self._entry(p) for p in _chosen(source))
        return Feed(
            url=self.url(index),
            page_url=source.page_url,
            title=source.title,
            subtitle=source.subtitle,
            id=urls.absolute_url(self.model.linked.config, source.page_url),
            updated=self._updated(source),
            entries=chosen,
            full_content=source.full_content,
        )

    def url(self, index: int) -> str:
        return urls.feed_url(self.sources[index].page_url)

    def inputs(self, index: int) -> bytes:
        """A cheap digest of what `self[index]` holds, site-wide settings aside: its
        source's fields, and each entry's briefing as `ModelDigests.briefing` digests it
        (everything `make_entry` reads but the configuration). It makes no entry."""
        source = self.sources[index]
        return data_digest((
            source.page_url, source.title, source.subtitle, source.full_content, self._updated(source),
            [self.model.digests.briefing(position) for position in _chosen(source)],
        ))

    def reads(self, index: int) -> frozenset[int] | None:
        """The positions of the briefings `inputs(index)` reads; None for a feed with no
        entries, whose `updated` is the newest of every briefing."""
        chosen = _chosen(self.sources[index])
        return frozenset(chosen) if chosen else None

    def _updated(self, source: FeedSource) -> str:
        """A feed's `updated`: its newest entry's; for a feed with no entries, the site's newest."""
        chosen = [self._entry_updated(p) for p in _chosen(source)]
        return max(chosen, key=operator.itemgetter(0))[1] if chosen else self._newest_anywhere()

    def _entry_updated(self, position: int) -> tuple[dt.datetime, str]:
        """A briefing's entry's `updated` as an instant and as written, made once per process:
        a briefing is in a dozen feeds."""
        if position not in self._updated_at:
            text = _updated(self.model.briefings[position].briefing)
            self._updated_at[position] = (_instant(text), text)
        return self._updated_at[position]

    def _newest_anywhere(self) -> str:
        if self._newest is None:
            self._newest = max((_updated(item.briefing) for item in self.model.briefings), key=_instant,
                               default=NO_DATE)
        return self._newest

    def _entry(self, position: int) -> FeedEntry:
        if position not in self._entries:
            make = functools.partial(make_entry, self.model, self.model.briefings[position])
            remembered = self.remembered
            self._entries[position] = remembered.of("feed entry", self.model, position, make) if remembered \
                else make()
        return self._entries[position]


def _chosen(source: FeedSource) -> tuple[int, ...]:
    """The positions of the briefings a feed holds: the newest, as many as its kind holds."""
    return source.positions[:FEED_SIZE if source.full_content else TOPIC_FEED_SIZE]


def make_entry(model: SiteModel, item: ResolvedBriefing) -> FeedEntry:
    briefing = item.briefing
    return FeedEntry(
        id=entry_id(model.linked.config.base_url, briefing.date, briefing.slug),
        title=briefing.title,
        url=urls.briefing_url(model.linked.config, briefing),
        published=rfc3339(briefing.time or briefing.date),
        updated=_updated(briefing),
        summary=model.summary(item),
        content_html=model.bodies[briefing.source].html,
        categories=briefing.tags,
    )


def _updated(briefing: Briefing) -> str:
    """An entry's `updated`: when the briefing was last updated, or else published."""
    published = rfc3339(briefing.time or briefing.date)
    updated = rfc3339(briefing.updated) if briefing.updated else published
    return max(updated, published, key=_instant)


def entry_id(base_url: str, day: dt.date, slug: str) -> str:
    """A tag URI (RFC 4151): the same for a briefing whatever its URL pattern or later edits."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{slug}"


def rfc3339(moment: dt.date | dt.datetime) -> str:
    """A date is taken as midnight UTC; a datetime without an offset as UTC."""
    if not isinstance(moment, dt.datetime):
        return f"{moment.isoformat()}T00:00:00Z"
    if moment.tzinfo is None:
        return moment.replace(microsecond=0).isoformat() + "Z"
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
