"""The site's data for reuse: entities, briefings and relations as JSON-ready documents.

Each document is a dict of plain values with a `version` key; the README
documents every field. URLs are absolute (under `base_url`), ids are the
entity ids used in the site's URLs, and lists are in a stable order. The long
lists are generators, made item by item as the document is written (a large
site's briefings.json is over 100 MB).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from briefgen import urls
from briefgen.sitemodel.model import SiteModel

FORMAT_VERSION = 1
Document = dict[str, Any]


def _pick(absolute: Sequence[str], positions: Sequence[int]) -> list[str]:
    return [absolute[i] for i in positions]


def _absolute_briefing_urls(model: SiteModel) -> list[str]:
    """Every briefing's absolute URL by position, made once per model."""
    config = model.linked.config
    return [urls.absolute_url(config, urls.briefing_url(config, item.briefing)) for item in model.briefings]


def entities_document(model: SiteModel) -> Document:
    absolute = _absolute_briefing_urls(model)
    config = model.linked.config
    registry = model.linked.registry
    actors_of: dict[str, list[str]] = {}
    for actor_id, country_id in sorted(model.linked.actor_country.items()):
        actors_of.setdefault(country_id, []).append(actor_id)
    return {
        "version": FORMAT_VERSION,
        "actors": (
            {
                "id": actor_id,
                "name": actor.name,
                "kind": actor.kind,
                "aliases": [a.value for a in actor.aliases],
                "country": model.linked.actor_country.get(actor_id),
                "role": actor.role,
                "url": urls.absolute_url(config, urls.actor_url(actor_id)),
                "feed": urls.absolute_url(config, urls.feed_url(urls.actor_url(actor_id))),
                "briefings": _pick(absolute, model.by_actor.get(actor_id, ())),
            }
            for actor_id, actor in sorted(registry.actors.items())
        ),
        "countries": (
            {
                "id": country_id,
                "name": country.name,
                "code": country.code or None,
                "aliases": [a.value for a in country.aliases],
                "region": country.region,
                "actors": actors_of.get(country_id, []),
                "url": urls.absolute_url(config, urls.country_url(country_id)),
                "feed": urls.absolute_url(config, urls.feed_url(urls.country_url(country_id))),
                "briefings": _pick(absolute, model.by_country.get(country_id, ())),
            }
            for country_id, country in sorted(registry.countries.items())
        ),
    }


def briefings_document(model: SiteModel, items: Iterable[Any] | None = None) -> Document:
    """Every published briefing, newest first, without its body; `items`: each one's
    `briefing_item`, when made (or kept) elsewhere."""
    return {"version": FORMAT_VERSION,
            "briefings": items if items is not None else map(functools.partial(briefing_item, model),
                                                             range(len(model.briefings)))}


def briefing_item(model: SiteModel, position: int) -> Document:
    """What briefings.json says of the briefing at `position`."""
    config = model.linked.config
    item = model.briefings[position]
    briefing = item.briefing
    return {
        "url": urls.absolute_url(config, urls.briefing_url(config, briefing)),
        "slug": briefing.slug,
        "title": briefing.title,
        "date": briefing.date.isoformat(),
        "time": briefing.time.isoformat() if briefing.time else None,
        "updated": briefing.updated.isoformat() if briefing.updated else None,
        "summary": model.summary(item),
        "tags": list(briefing.tags),
        "actors": list(item.actors),
        "countries": list(item.countries),
        "relations": [
            {"between": list(r.pair), "status": r.status, "note": r.note}
            for r in item.relations
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": s.url, "date": s.date or None}
            for s in briefing.sources
        ],
        "aliases": [a.value for a in briefing.aliases],
    }


def relations_document(model: SiteModel) -> Document:
    """Every covered pair: its current status, when that status began, and its whole history."""
    return {
        "version": FORMAT_VERSION,
        "vocabulary": list(model.linked.config.relation_vocabulary),
        "pairs": _pair_items(model),
    }


def _pair_items(model: SiteModel) -> Iterator[Document]:
    absolute = _absolute_briefing_urls(model)
    config = model.linked.config
    registry = model.linked.registry
    for record in sorted(model.relations, key=lambda r: r.pair):
        page = urls.pair_url(*record.pair)
        last_change = record.last_change
        yield {
            "between": list(record.pair),
            "names": [registry.countries[c].name for c in record.pair],
            "url": urls.absolute_url(config, page),
            "feed": urls.absolute_url(config, urls.feed_url(page)),
            "status": record.current,
            "since": last_change.isoformat() if last_change else None,
            "trend": record.trend(config.relation_vocabulary),
            "history": [
                {
                    "date": point.date.isoformat(),
                    "status": point.status,
                    "note": point.note,
                    "briefing": _pick(absolute, (point.position,))[0],
                }
                for point in record.points
            ],
            "briefings": _pick(absolute, record.briefings),
        }
