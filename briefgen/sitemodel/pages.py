"""Every page of the site as a `PageSpec`: a URL, a template and the plain data it shows."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator, Sequence

from briefgen import urls
from briefgen.content.models import Actor, Briefing, Country
from briefgen.diagnostics import Diagnostic, error
from briefgen.entities import EntityRef
from briefgen.sitemodel.model import SiteModel
from briefgen.sitemodel.page_inputs import PageInputs
from briefgen.sitemodel.paginate import list_pages, pick
from briefgen.sitemodel.relation_pages import pair_summary, relation_pages
from briefgen.sitemodel.relations import PairRecord
from briefgen.sitemodel.spec import BUILT_IN, Deferred, PageSpec
from briefgen.sitemodel.views import Card, Links, View, briefing_card, date_view


def lay_out(model: SiteModel) -> tuple[Layout, tuple[PageSpec, ...], list[Diagnostic]]:
    """All pages, in URL order, an error for each URL claimed twice, and the layout the
    pages read their data through."""
    layout = Layout(model)
    pages = [
        *_home(layout),
        *_briefings(layout),
        *_actors(layout),
        *_countries(layout),
        *tag_pages(layout),
        *relation_pages(layout),
        *_plain_pages(model),
        PageSpec(urls.SEARCH, "search.html", {"page_title": "Search"}),
        PageSpec(urls.NOT_FOUND, "404.html", {"page_title": "Page not found"}),
    ]
    found, problems = _claim_urls(pages)
    return layout, tuple(found), problems


class Layout:
    """What the pages of a site read when their data is made: its model, link views,
    cards (one per briefing, shared by every list that shows it) and the digests of
    what each page reads (`inputs`).

    The pages hold it, it does not hold them (no reference cycle through a
    large site). An edit that keeps the site's shape (`briefgen.kept`) swaps
    in the edited model (`reshape`) instead of laying every page out again.
    """

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.links = Links(model)
        self.cards = [briefing_card(model, self.links, item) for item in model.briefings]
        self.inputs = PageInputs(model, self.cards)
        self._at: dict[str, int] | None = None

    def reshape(self, model: SiteModel, changed: Iterable[int],
                pages: Sequence[PageSpec]) -> tuple[PageSpec, ...]:
        """The `pages` laid out from this layout, for `model`: one of the same shape but
        for the briefings at `changed` (`SiteModel.with_briefings`), whose tags may
        differ. From now on every page reads `model`, and their cards change in
        place, on every list that shows them; only their own pages are new specs
        (their sitemap dates and the line of their slug may move), and the tag pages
        when the tags changed (`tag_pages`: laid out again, the site's URLs checked
        by the caller). What was laid out from this layout before is stale after
        the call."""
        retagged = self.model.tag_names != model.tag_names or self.model.by_tag != model.by_tag
        tagged = {page.url for page in tag_pages(self)} if retagged else set()
        self.model = self.links.model = model
        self.inputs.reshape(model)
        if self._at is None:
            self._at = {page.url: index for index, page in enumerate(pages)}
        reshaped = list(pages)
        for position in changed:
            item = model.briefings[position]
            card = self.cards[position]
            card.clear()
            card.update(briefing_card(model, self.links, item))
            index = self._at[urls.briefing_url(model.linked.config, item.briefing)]
            reshaped[index] = dataclasses.replace(reshaped[index], line=item.briefing.slug_line,
                                                  lastmod=_lastmod(item.briefing))
        if retagged:
            reshaped = sorted([*(page for page in reshaped if page.url not in tagged), *tag_pages(self)],
                              key=lambda page: page.url)
            self._at = None
        return tuple(reshaped)


def _claim_urls(pages: list[PageSpec]) -> tuple[list[PageSpec], list[Diagnostic]]:
    owners: dict[str, PageSpec] = {}
    diagnostics: list[Diagnostic] = []
    for page in pages:
        owner = owners.get(page.url)
        if owner is None:
            owners[page.url] = page
            continue
        first, second = sorted((owner, page), key=lambda p: (p.source == BUILT_IN, p.source))
        diagnostics.append(error(
            second.source if second.source != BUILT_IN else first.source,
            (second if second.source != BUILT_IN else first).line, 0,
            f"URL {page.url} is claimed by both {first.source} and {second.source}",
            hint="change the slug (or the file name) of one of them",
        ))
    return sorted(owners.values(), key=lambda p: p.url), diagnostics


def _home(layout: Layout) -> Iterator[PageSpec]:
    model, card_list, inputs = layout.model, layout.cards, layout.inputs
    config = model.linked.config
    yield PageSpec(urls.HOME, "home.html", {
        "page_title": config.title,
        "latest": card_list[:config.home_size],
        "more_url": urls.BRIEFINGS if len(card_list) > config.home_size else None,
        "counts": {
            "briefings": len(model.briefings),
            "actors": len(model.linked.registry.actors),
            "countries": len(model.linked.registry.countries),
        },
    }, lastmod=card_list[0]["date"]["iso"] if card_list else None)
    yield from list_pages(urls.BRIEFINGS, "briefings.html", card_list, config.page_size,
                          {"page_title": "All briefings"}, BUILT_IN,
                          functools.partial(inputs.listed, lambda: b""))


def _briefings(layout: Layout) -> Iterator[PageSpec]:
    """One page per briefing, its data made where the page is digested or rendered."""
    config = layout.model.linked.config
    for position, item in enumerate(layout.model.briefings):
        briefing = item.briefing
        yield PageSpec(urls.briefing_url(config, briefing), "briefing.html",
                       Deferred(functools.partial(_briefing_context, layout, position)),
                       source=briefing.source, line=briefing.slug_line, lastmod=_lastmod(briefing),
                       inputs=functools.partial(layout.inputs.briefing_page, position))


def _lastmod(briefing: Briefing) -> str:
    return (briefing.updated or briefing.date).isoformat()


def _briefing_context(layout: Layout, position: int) -> View:
    model, links, card_list = layout.model, layout.links, layout.cards
    item = model.briefings[position]
    briefing = item.briefing
    return {
        "page_title": briefing.title,
        "title": briefing.title,
        "date": date_view(briefing.date),
        "time": briefing.time.isoformat() if briefing.time else None,
        "updated": date_view(briefing.updated),
        "summary": model.summary(item),
        "draft": briefing.draft,
        "body_html": model.bodies[briefing.source].html,
        "tags": [links.tag(t) for t in briefing.tags],
        "actors": [links.actor(a) for a in item.actors],
        "countries": [links.country(c) for c in item.countries],
        "relations": [
            {
                "a": links.country(r.pair[0]),
                "b": links.country(r.pair[1]),
                "status": r.status,
                "note": r.note,
            }
            for r in item.relations
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": s.url, "date": s.date}
            for s in briefing.sources
        ],
        "related": pick(card_list, model.related[position]),
        "extra": dict(briefing.extra),
    }


def _actors(layout: Layout) -> Iterator[PageSpec]:
    model, links, inputs = layout.model, layout.links, layout.inputs
    registry = model.linked.registry
    by_name = sorted(registry.actors.values(), key=lambda a: (a.name.casefold(), a.id))
    yield PageSpec(urls.ACTORS, "actors.html", {
        "page_title": "Actors",
        "actors": [
            {
                **links.actor(actor.id),
                "kind": actor.kind,
                "count": len(model.by_actor.get(actor.id, ())),
                "country": _actor_country(model, links, actor.id),
            }
            for actor in by_name
        ],
    })
    for actor in by_name:
        own = functools.partial(inputs.actor_page, actor.id)
        yield from list_pages(urls.actor_url(actor.id), "actor.html",
                              pick(layout.cards, model.by_actor.get(actor.id, ())),
                              model.linked.config.page_size,
                              functools.partial(_actor_context, layout, actor),
                              actor.source, functools.partial(inputs.listed, inputs.once(own)),
                              also=_newest_also(model, layout.cards, EntityRef("actor", actor.id)))


def _actor_context(layout: Layout, actor: Actor) -> View:
    """What an actor's pages show besides their list; made where each page is digested or rendered."""
    model, links, card_list = layout.model, layout.links, layout.cards
    return {
        "page_title": actor.name,
        "actor": {
            **links.actor(actor.id),
            "kind": actor.kind,
            "aliases": [a.value for a in actor.aliases],
            "country": _actor_country(model, links, actor.id),
            "body_html": model.bodies[actor.source].html,
            "extra": dict(actor.extra),
        },
        "co_actors": [
            {**links.actor(other), "count": count}
            for other, count in model.co_actors.get(actor.id, [])
        ],
        "also_mentioned": _also_mentioned(model, card_list, EntityRef("actor", actor.id)),
    }


def _newest_also(model: SiteModel, card_list: list[Card], entity: EntityRef) -> list[Card]:
    """The newest briefing that mentions the entity without declaring it (it dates the pages)."""
    return pick(card_list, model.also_mentioned.get(entity, ())[:1])


def _also_mentioned(model: SiteModel, card_list: list[Card], entity: EntityRef) -> View:
    """Briefings that mention the entity without declaring it: the newest page-full and a count."""
    positions = model.also_mentioned.get(entity, ())
    limit = model.linked.config.page_size
    return {"briefings": pick(card_list, positions[:limit]), "total": len(positions)}


def _actor_country(model: SiteModel, links: Links, actor_id: str) -> View | None:
    country = model.linked.actor_country.get(actor_id)
    return links.country(country) if country else None


def _countries(layout: Layout) -> Iterator[PageSpec]:
    model, links, inputs = layout.model, layout.links, layout.inputs
    registry = model.linked.registry
    by_name = sorted(registry.countries.values(), key=lambda c: (c.name.casefold(), c.id))
    actors_of: dict[str, list[str]] = {}
    for actor_id, country_id in sorted(model.linked.actor_country.items()):
        actors_of.setdefault(country_id, []).append(actor_id)
    yield PageSpec(urls.COUNTRIES, "countries.html", {
        "page_title": "Countries",
        "countries": [
            {
                **links.country(country.id),
                "region": country.region,
                "count": len(model.by_country.get(country.id, ())),
            }
            for country in by_name
        ],
    })
    pairs_of: dict[str, list[PairRecord]] = {}
    for record in model.relations:
        for country_id in record.pair:
            pairs_of.setdefault(country_id, []).append(record)
    for country in by_name:
        actors, pairs = actors_of.get(country.id, []), pairs_of.get(country.id, [])
        own = functools.partial(inputs.country_page, country.id, actors, pairs)
        yield from list_pages(urls.country_url(country.id), "country.html",
                              pick(layout.cards, model.by_country.get(country.id, ())),
                              model.linked.config.page_size,
                              functools.partial(_country_context, layout, country, actors, pairs),
                              country.source, functools.partial(inputs.listed, inputs.once(own)),
                              also=_newest_also(model, layout.cards, EntityRef("country", country.id)))


def _country_context(layout: Layout, country: Country, actors: list[str], pairs: list[PairRecord]) -> View:
    """What a country's pages show besides their list; made where each page is digested or rendered."""
    model, links, card_list = layout.model, layout.links, layout.cards
    return {
        "page_title": country.name,
        "country": {
            **links.country(country.id),
            "region": country.region,
            "aliases": [a.value for a in country.aliases],
            "body_html": model.bodies[country.source].html,
            "extra": dict(country.extra),
        },
        "actors": sorted((links.actor(a) for a in actors),
                         key=lambda view: (view["name"].casefold(), view["id"])),
        "relations": [pair_summary(model, links, record) for record in pairs],
        "also_mentioned": _also_mentioned(model, card_list, EntityRef("country", country.id)),
    }


def tag_pages(layout: Layout, model: SiteModel | None = None) -> Iterator[PageSpec]:
    """The tags index and each tag's list, for the layout's model (or `model`, when only
    their URLs are wanted: what they show is made from the layout's)."""
    model, card_list, inputs = model or layout.model, layout.cards, layout.inputs
    yield PageSpec(urls.TAGS, "tags.html", {
        "page_title": "Tags",
        "tags": [
            {"name": name, "url": urls.tag_url(slug), "count": len(model.by_tag[slug])}
            for slug, name in sorted(model.tag_names.items(), key=lambda kv: (kv[1].casefold(), kv[0]))
        ],
    })
    for slug, name in model.tag_names.items():
        yield from list_pages(urls.tag_url(slug), "tag.html", pick(card_list, model.by_tag[slug]),
                              model.linked.config.page_size,
                              {"page_title": f"Tag: {name}", "tag": name}, BUILT_IN,
                              functools.partial(inputs.listed, functools.partial(name.encode)))


def _plain_pages(model: SiteModel) -> Iterator[PageSpec]:
    for page in model.linked.pages:
        yield PageSpec(urls.page_url(page.slug), "page.html", {
            "page_title": page.title,
            "title": page.title,
            "body_html": model.bodies[page.source].html,
            "extra": dict(page.extra),
        }, source=page.source)


def menu(model: SiteModel) -> list[View]:
    """The navigation: the built-in indexes, then plain pages marked `menu: true`."""
    entries: list[View] = [
        {"title": "Briefings", "url": urls.BRIEFINGS},
        {"title": "Actors", "url": urls.ACTORS},
        {"title": "Countries", "url": urls.COUNTRIES},
        {"title": "Relations", "url": urls.RELATIONS},
        {"title": "Tags", "url": urls.TAGS},
        {"title": "Search", "url": urls.SEARCH},
    ]
    pages = sorted((p for p in model.linked.pages if p.menu), key=lambda p: (p.weight, p.title, p.slug))
    entries.extend({"title": p.title, "url": urls.page_url(p.slug)} for p in pages)
    return entries
