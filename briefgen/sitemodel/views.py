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


class Links:
    """Link views of entities and tags, made once each and shared by every page that shows
    them (pages never change their context, so sharing is safe and saves memory)."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self._actors: dict[str, View] = {}
        self._countries: dict[str, View] = {}
        self._tags: dict[str, View] = {}

    def actor(self, actor_id: str) -> View:
        found = self._actors.get(actor_id)
        if found is None:
            actor = self.model.linked.registry.actors[actor_id]
            found = self._actors[actor_id] = {
                "id": actor_id, "name": actor.name, "url": actor_url(actor_id), "role": actor.role,
            }
        return found

    def country(self, country_id: str) -> View:
        found = self._countries.get(country_id)
        if found is None:
            country = self.model.linked.registry.countries[country_id]
            found = self._countries[country_id] = {
                "id": country_id, "name": country.name, "url": country_url(country_id),
                "code": country.code,
            }
        return found

    def tag(self, tag: str) -> View:
        found = self._tags.get(tag)
        if found is None:
            found = self._tags[tag] = {"name": tag, "url": tag_url(self.model.tag_slugs[tag])}
        return found


class Card(dict[str, Any]):
    """What a list shows of a briefing: enough to choose it, no body.

    One per briefing per build, shared by every list that shows it; being its
    own type lets a page digest stand a card in by the card's own digest.
    """


def briefing_card(model: SiteModel, links: Links, item: ResolvedBriefing) -> Card:
    briefing = item.briefing
    return Card({
        "title": briefing.title,
        "url": briefing_url(model.linked.config, briefing),
        "date": date_view(briefing.date),
        "summary": model.summary(item),
        "draft": briefing.draft,
        "tags": [links.tag(t) for t in briefing.tags],
        "countries": [links.country(c) for c in item.countries],
    })
