"""Pages of the country-relations index: `/relations/` and one page per pair."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from briefgen import urls
from briefgen.charts import ChartCountry
from briefgen.charts.plain import relations_spec, timeline_spec
from briefgen.charts.svg import name_key
from briefgen.sitemodel.model import SiteModel
from briefgen.sitemodel.page_inputs import Sources
from briefgen.sitemodel.paginate import list_pages, pick
from briefgen.sitemodel.relations import PairRecord
from briefgen.sitemodel.spec import BUILT_IN, PageSpec
from briefgen.sitemodel.views import Links, View, date_view


def pair_summary(model: SiteModel, links: Links, record: PairRecord) -> View:
    """What a list shows of a pair: who, how they stand, how that moved, how much coverage."""
    a, b = record.pair
    newest = model.briefings[record.briefings[0]].briefing
    return {
        "a": links.country(a),
        "b": links.country(b),
        "label": f"{_name(model, a)} \u2013 {_name(model, b)}",
        "url": urls.pair_url(a, b),
        "status": record.current,
        "previous": record.previous,
        "trend": record.trend(model.linked.config.relation_vocabulary),
        "last_change": date_view(record.last_change),
        "last_activity": date_view(newest.date),
        "count": len(record.briefings),
    }


def _name(model: SiteModel, country_id: str) -> str:
    return model.linked.registry.countries[country_id].name


def relation_pages(layout: Sources) -> Iterator[PageSpec]:
    """The index and the pair pages; their charts travel as plain data, drawn at render time."""
    yield _index(layout.model, layout.links)
    for record in layout.model.relations:
        yield from _pair_pages(layout, record)


def _index(model: SiteModel, links: Links) -> PageSpec:
    summaries = [pair_summary(model, links, record) for record in model.relations]
    involved = sorted({c for record in model.relations for c in record.pair},
                      key=lambda c: (name_key(_name(model, c)), c))
    by_pair = {(s["a"]["id"], s["b"]["id"]): s for s in summaries}
    rows = []
    for row_country in involved:
        cells: list[Any] = []
        for column_country in involved:
            found = by_pair.get((min(row_country, column_country), max(row_country, column_country)))
            cells.append(None if found is None or row_country == column_country else {
                "status": found["status"], "url": found["url"], "label": found["label"],
            })
        rows.append({"country": links.country(row_country), "cells": cells})
    config = model.linked.config
    countries = [
        ChartCountry(c, _name(model, c), urls.under_base(config, urls.country_url(c)),
                     model.linked.registry.countries[c].region)
        for c in involved
    ]
    vocabulary = config.relation_vocabulary
    pairs = [
        (p["a"]["id"], p["b"]["id"], p["status"] or "", urls.under_base(config, p["url"]), p["label"])
        for p in summaries
    ]
    return PageSpec(urls.RELATIONS, "relations.html", {
        "page_title": "Country relations",
        "vocabulary": list(vocabulary),
        "pairs": summaries,
        "matrix": {"countries": [links.country(c) for c in involved], "rows": rows},
        "matrix_chart": relations_spec(countries, pairs, vocabulary, "Current relations, as a matrix")
        if summaries else None,
        "network_chart": relations_spec(countries, pairs, vocabulary, "Current relations, as a map")
        if summaries else None,
    }, lastmod=max((p["last_activity"]["iso"] for p in summaries), default=None))


def _pair_pages(layout: Sources, record: PairRecord) -> Iterator[PageSpec]:
    inputs = layout.inputs
    own = inputs.once(functools.partial(inputs.pair_page, record))
    yield from list_pages(urls.pair_url(*record.pair), "pair.html", pick(layout.cards, record.briefings),
                          layout.model.linked.config.page_size,
                          functools.partial(_pair_context, layout, record), BUILT_IN,
                          functools.partial(inputs.listed, own))


def _pair_context(layout: Sources, record: PairRecord) -> View:
    """What a pair's pages show besides their list; made where each page is digested or rendered."""
    model, links, card_list = layout.model, layout.links, layout.cards
    summary = pair_summary(model, links, record)
    history = [
        {
            "date": date_view(point.date),
            "status": point.status,
            "note": point.note,
            "briefing": {
                "title": model.briefings[point.position].briefing.title,
                "url": card_list[point.position]["url"],
            },
        }
        for point in record.points
    ]
    config = model.linked.config
    points = [
        (point.date.isoformat(), point.status, urls.under_base(config, card_list[point.position]["url"]),
         model.briefings[point.position].briefing.title)
        for point in record.points
    ]
    return {
        "page_title": f"Relations: {summary['label']}",
        "timeline": timeline_spec(points, config.relation_vocabulary,
                                  f"Status of {summary['label']} over time") if points else None,
        "pair": summary,
        "history": history,
        "vocabulary": list(model.linked.config.relation_vocabulary),
        "actors": _pair_actors(model, links, record),
    }


def _pair_actors(model: SiteModel, links: Links, record: PairRecord) -> list[View]:
    """Actors of either country declared in the pair's briefings, most frequent first."""
    counts: dict[str, int] = {}
    for position in record.briefings:
        for actor in model.briefings[position].actors:
            if model.linked.actor_country.get(actor) in record.pair:
                counts[actor] = counts.get(actor, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{**links.actor(actor), "count": count} for actor, count in ranked]
