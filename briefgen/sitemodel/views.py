"""Plain-data views of records for templates: dicts of text, numbers and lists only.

Keeping template input plain makes every page a hashable function of its
inputs, which is what lets a cache tell which pages an edit touches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefgen.resolve import ResolvedBriefing
from briefgen.sitemodel.model import SiteModel
from briefgen.urls import actor_url, briefing_url, country_url, tag_url

View = dict[str, Any]
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def display_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_view(day: dt.date | None) -> View | None:
    if day is None:
        return None
    return {"iso": day.isoformat(), "display": display_date(day)}


def actor_link(model: SiteModel, actor_id: str) -> View:
    actor = model.linked.registry.actors[actor_id]
    return {"id": actor_id, "name": actor.name, "url": actor_url(actor_id), "role": actor.role}


def country_link(model: SiteModel, country_id: str) -> View:
    country = model.linked.registry.countries[country_id]
    return {"id": country_id, "name": country.name, "url": country_url(country_id),
            "code": country.code}


def tag_link(model: SiteModel, tag: str) -> View:
    return {"name": tag, "url": tag_url(model.tag_slugs[tag])}


def briefing_card(model: SiteModel, item: ResolvedBriefing) -> View:
    """What a list shows of a briefing: enough to choose it, no body."""
    briefing = item.briefing
    return {
        "title": briefing.title,
        "url": briefing_url(model.linked.config, briefing),
        "date": date_view(briefing.date),
        "summary": model.summary(item),
        "draft": briefing.draft,
        "tags": [tag_link(model, t) for t in briefing.tags],
        "countries": [country_link(model, c) for c in item.countries],
    }


def cards(model: SiteModel, positions: tuple[int, ...] | range) -> list[View]:
    return [briefing_card(model, model.briefings[i]) for i in positions]
